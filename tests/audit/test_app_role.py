"""Connected as the application's PostgreSQL role, the audit trail can be read and appended to,
never changed, emptied or unguarded (issue 15, item 4; audit/grants.py).

The suite itself runs as the owner role, which creates the test database; its migrate grants
the role named by DATABASE_APP_ROLE, and these tests log in to that test database as that role
(password from DATABASE_APP_PASSWORD). CI sets both (.ci/run), so there they must run.
"""

import os

import psycopg
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from audit import grants

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="database roles exist on PostgreSQL only"
    ),
    pytest.mark.skipif(
        not settings.DATABASE_APP_ROLE,
        reason="DATABASE_APP_ROLE (and DATABASE_APP_PASSWORD) name no application role",
    ),
]

ACCESS_ROW = (
    "INSERT INTO audit_accesslog (at, username, kind, object_type, object_id, result, detail) "
    "VALUES (now(), 'coach', 'dossier', 'clients.client', '7', 'granted', '') RETURNING id"
)
CHANGE_ROW = (
    "INSERT INTO auditlog_logentry (object_pk, object_id, object_repr, action, changes, "
    "timestamp, content_type_id, changes_text) SELECT '7', 7, 'x', 1, "
    """'{"phone": ["", "0592-123456"]}', now(), id, '' FROM django_content_type """
    "WHERE app_label = 'clients' AND model = 'client' RETURNING id"
)


@pytest.fixture
def app_db():
    """A connection to the test database as the application role; everything is rolled back."""
    params = connection.settings_dict
    conn = psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        dbname=params["NAME"],  # the test database, which pytest-django made and migrated
        user=settings.DATABASE_APP_ROLE,
        password=os.environ.get("DATABASE_APP_PASSWORD") or None,
        autocommit=False,
    )
    # A refusal must come from a privilege check, never from waiting for the owner's locks.
    conn.execute("SET lock_timeout = '5s'")
    try:
        yield conn
    finally:
        conn.rollback()
        conn.close()


def refusal(app_db, statement: str) -> str | None:
    """The database's error when it refuses `statement` for lack of rights, else None."""
    try:
        with app_db.transaction():  # a savepoint: the connection goes on after a refusal
            app_db.execute(statement)
    except psycopg.errors.InsufficientPrivilege as error:
        return str(error)
    return None


def test_the_connection_is_the_application_role_not_an_owner(app_db):
    user, superuser = app_db.execute(
        "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    assert (user, superuser) == (settings.DATABASE_APP_ROLE, False)
    owners = app_db.execute(
        "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class "
        "WHERE relnamespace = current_schema()::regnamespace"
    ).fetchall()
    assert (user,) not in owners


@pytest.mark.parametrize("insert", [ACCESS_ROW, CHANGE_ROW], ids=["access", "change"])
def test_the_application_role_appends_and_reads_audit_rows(app_db, insert):
    table = insert.split()[2]
    pk = app_db.execute(insert).fetchone()[0]
    assert app_db.execute(f"SELECT count(*) FROM {table} WHERE id = %s", [pk]).fetchone() == (1,)


@pytest.mark.parametrize("insert", [ACCESS_ROW, CHANGE_ROW], ids=["access", "change"])
def test_the_application_role_cannot_change_empty_or_unguard_audit_rows(app_db, insert):
    table = insert.split()[2]
    pk = app_db.execute(insert).fetchone()[0]
    trigger = f"{table}_append_only"
    statements = {
        "update": (
            f"UPDATE {table} SET object_id = object_id WHERE id = {pk}",
            "permission denied",
        ),
        "delete": (f"DELETE FROM {table} WHERE id = {pk}", "permission denied"),
        "truncate": (f"TRUNCATE {table}", "permission denied"),
        "disable trigger": (f"ALTER TABLE {table} DISABLE TRIGGER {trigger}", "must be owner"),
        "disable all": (f"ALTER TABLE {table} DISABLE TRIGGER ALL", "must be owner"),
        "drop trigger": (f"DROP TRIGGER {trigger} ON {table}", "must be owner"),
        "drop table": (f"DROP TABLE {table}", "must be owner"),
        "set owner": (f"ALTER TABLE {table} OWNER TO current_user", "must be owner"),
    }
    for name, (statement, expected) in statements.items():
        error = refusal(app_db, statement)
        assert error is not None, f"{name} was allowed: {statement}"
        assert expected in error, (name, error)
    assert app_db.execute(f"SELECT count(*) FROM {table} WHERE id = {pk}").fetchone() == (1,)
    enabled = app_db.execute(
        "SELECT tgenabled FROM pg_trigger WHERE tgname = %s", [trigger]
    ).fetchone()
    assert enabled == ("O",)  # still there and firing


def test_the_application_role_reads_and_writes_ordinary_tables(app_db):
    pk = app_db.execute(
        "INSERT INTO django_content_type (app_label, model) VALUES ('h4', 'thing') RETURNING id"
    ).fetchone()[0]
    app_db.execute("UPDATE django_content_type SET model = 'other' WHERE id = %s", [pk])
    app_db.execute(
        "INSERT INTO django_session (session_key, session_data, expire_date) "
        "VALUES ('k', 'd', now())"
    )
    app_db.execute("DELETE FROM django_session WHERE session_key = 'k'")
    app_db.execute("DELETE FROM django_content_type WHERE id = %s", [pk])
    # The import's staging tables are temporary tables of its own.
    app_db.execute("CREATE TEMPORARY TABLE staging AS SELECT * FROM core_team WHERE 1 = 0")
    app_db.execute("CREATE INDEX ON staging (name)")
    app_db.execute("ANALYZE staging")


def test_the_application_role_cannot_change_the_schema_or_the_migration_history(app_db):
    for statement in [
        "CREATE TABLE planted (id int)",
        "CREATE FUNCTION planted() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "ALTER TABLE core_user ADD COLUMN planted int",
        "CREATE TRIGGER planted BEFORE UPDATE ON core_user "
        "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
        "TRUNCATE django_session",
        "INSERT INTO django_migrations (app, name, applied) VALUES ('audit', 'x', now())",
        "DELETE FROM django_migrations",
    ]:
        assert refusal(app_db, statement) is not None, statement


def test_the_grants_name_exactly_the_two_audit_tables():
    assert sorted(grants.audit_tables()) == ["audit_accesslog", "auditlog_logentry"]


def test_the_next_migrate_takes_back_a_grant_made_by_hand():
    role = settings.DATABASE_APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT UPDATE, DELETE, TRUNCATE ON auditlog_logentry TO "{role}"')
        assert grants.apply(connection, role)
        cursor.execute(
            "SELECT privilege, has_table_privilege(%s, 'auditlog_logentry', privilege) "
            "FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) privilege",
            [role],
        )
        assert dict(cursor.fetchall()) == {
            "SELECT": True,
            "INSERT": True,
            "UPDATE": False,
            "DELETE": False,
            "TRUNCATE": False,
        }


def test_the_owner_cannot_be_named_the_application_role():
    with pytest.raises(ImproperlyConfigured, match="could rewrite the audit trail"):
        grants.apply(connection, connection.settings_dict["USER"])
