"""What the application's database role may do, granted by the owner role after every migrate.

Production runs two PostgreSQL roles (settings.DATABASE_APP_ROLE, deploy/postgres/): the owner
runs `migrate` and owns every table, the application connects as a role that owns nothing. The
owner grants it:

- SELECT, INSERT, UPDATE, DELETE on every table of the schema;
- only SELECT and INSERT on the audit trail (audit.AccessLog, auditlog's LogEntry), so UPDATE,
  DELETE and TRUNCATE are refused by privilege (the triggers of migration 0002 refuse row
  changes even to the owner), and ALTER TABLE ... DISABLE TRIGGER or DROP TRIGGER need
  ownership, which the application never has;
- only SELECT on django_migrations: the migration history is the owner's to write;
- USAGE and SELECT on the sequences, never UPDATE (setval).

No TRUNCATE, REFERENCES or TRIGGER anywhere, and no CREATE on the schema: a function or
trigger the application could create would run with the owner's rights during the next
migrate (the CVE-2018-1058 pattern). Temporary tables (the import's staging tables) come with
the database's default TEMP privilege.

Each run first revokes everything, then grants the list above, in one transaction: it is
idempotent and undoes a grant made by hand. No default privileges: a table a later migration
creates is covered by the grant that same migrate runs at its end, after it is known whether
the table belongs to the audit trail.
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from psycopg import sql

TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
AUDIT_PRIVILEGES = "SELECT, INSERT"


def audit_tables() -> list[str]:
    """The append-only tables (the same two the triggers of migration 0002 guard)."""
    return [
        apps.get_model("audit", "AccessLog")._meta.db_table,
        apps.get_model("auditlog", "LogEntry")._meta.db_table,
    ]


def _one(cursor, query, params=()):
    cursor.execute(query, params)
    return cursor.fetchone()[0]


def apply(connection, role: str) -> bool:
    """Grant `role` what the application needs on this database; False when not ours to grant.

    Does nothing (False) when the connection is not the owner of the audit tables, for instance
    the application itself running `migrate` with nothing to apply. Refuses (ImproperlyConfigured)
    a role that is missing or that holds the owner's rights, which would make the grants moot.
    """
    if connection.vendor != "postgresql" or not role:
        return False
    tables = audit_tables()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if not _one(cursor, "SELECT count(*) FROM pg_roles WHERE rolname = %s", [role]):
            raise ImproperlyConfigured(
                f"DATABASE_APP_ROLE names the role {role!r}, which does not exist: create it "
                "(deploy/postgres/init-roles.sh) or leave the setting empty."
            )
        owner = _one(
            cursor,
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = to_regclass(%s)",
            [tables[0]],
        )
        if owner is None:  # migrated back to before the audit trail: nothing to guard
            return False
        if _one(cursor, "SELECT pg_has_role(%s, %s, 'USAGE')", [role, owner]):
            raise ImproperlyConfigured(
                f"The application role {role!r} has the rights of {owner!r}, the owner of the "
                "audit tables (it is that role, a member of it, or a superuser), so it could "
                "rewrite the audit trail. Run the application as a role that owns nothing."
            )
        if not _one(cursor, "SELECT pg_has_role(current_user, %s, 'USAGE')", [owner]):
            return False
        schema = _one(cursor, "SELECT current_schema()")
        # A table of its own could carry a trigger that runs as the owner when a migration
        # writes to it: the application role must own nothing the owner touches.
        owned = _one(
            cursor,
            "SELECT string_agg(relname, ', ' ORDER BY relname) FROM pg_class "
            "WHERE relnamespace = current_schema()::regnamespace AND relowner = "
            "(SELECT oid FROM pg_roles WHERE rolname = %s)",
            [role],
        )
        if owned:
            raise ImproperlyConfigured(
                f"The application role {role!r} owns {owned}: hand them to the owner role "
                "(deploy/postgres/init-roles.sh does) so the application owns nothing."
            )
        names = {
            "role": sql.Identifier(role),
            "schema": sql.Identifier(schema),
            "audit": sql.SQL(", ").join(sql.Identifier(t) for t in tables),
            "table_privileges": sql.SQL(TABLE_PRIVILEGES),
            "audit_privileges": sql.SQL(AUDIT_PRIVILEGES),
        }
        for statement in (
            "REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
            "REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
            "REVOKE CREATE ON SCHEMA {schema} FROM {role}",
            "GRANT USAGE ON SCHEMA {schema} TO {role}",
            "GRANT {table_privileges} ON ALL TABLES IN SCHEMA {schema} TO {role}",
            "REVOKE UPDATE, DELETE ON {audit} FROM {role}",
            "REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {role}",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        ):
            cursor.execute(sql.SQL(statement).format(**names))
        # PUBLIC may still hold CREATE on the schema (a cluster upgraded from PostgreSQL 14 or
        # older); that is the database owner's to revoke, and the role must not keep it.
        if _one(cursor, "SELECT has_schema_privilege(%s, %s, 'CREATE')", [role, schema]):
            raise ImproperlyConfigured(
                f"The application role {role!r} may create objects in the schema {schema!r} "
                f"(through PUBLIC): REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC as its owner."
            )
    return True


def grant_after_migrate(sender, using, verbosity=1, stdout=None, **kwargs):
    """post_migrate: re-apply the grants, so a table a migration added is covered at once."""
    role = settings.DATABASE_APP_ROLE
    if apply(connections[using], role) and verbosity >= 1 and stdout is not None:
        stdout.write(f"  Granted the application role {role} its privileges (audit/grants.py)\n")
