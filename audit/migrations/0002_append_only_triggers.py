"""Audit rows are append-only on PostgreSQL: UPDATE and DELETE raise, INSERT works.

Applies to our access log and to django-auditlog's change log. On SQLite (embedded mode and
the developer's test run) nothing is installed: there the guarantee is the code's (nothing
updates or deletes a log row), on PostgreSQL it is the database's.

TRUNCATE is deliberately left alone: it is a statement of its own (no row triggers fire) and
pytest-django flushes the tables of transactional and live-server tests with TRUNCATE on
PostgreSQL. Only the tables' owner (who runs migrations) may truncate; for a hard guarantee
run the application as a role that does not own these tables, with only SELECT and INSERT
granted on them.

A future django-auditlog migration that rewrites rows (as its 0015 did) would be refused: such
an upgrade must drop the trigger, migrate and recreate it, on purpose and recorded.
"""

from django.db import migrations

TABLES = ("audit_accesslog", "auditlog_logentry")

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # no placeholders: keep the % of RAISE
    for table in TABLES:
        # Row-level: an UPDATE or DELETE that matches no row is harmless and passes.
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS audit_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_access_log"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(install, remove, elidable=False)]
