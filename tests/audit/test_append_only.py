"""On PostgreSQL the database itself refuses to change or remove audit rows."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

from audit.models import AccessLog

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the append-only triggers exist on PostgreSQL"
    ),
]


@pytest.fixture
def access_entry(coach):
    return AccessLog.objects.create(
        user=coach,
        username=coach.username,
        kind="dossier",
        object_type="clients.client",
        object_id="7",
        result="granted",
    )


@pytest.fixture
def change_entry(coach):
    return LogEntry.objects.create(
        content_type=ContentType.objects.get(app_label="clients", model="client"),
        object_pk="7",
        object_id=7,
        object_repr="x",
        action=LogEntry.Action.UPDATE,
        changes={"phone": ["", "0592-123456"]},
        actor=coach,
    )


def refused(operation):
    """True when the database raises on `operation` (in a savepoint, so the test goes on)."""
    try:
        with transaction.atomic():
            operation()
    except DatabaseError as error:
        assert "append-only" in str(error)
        return True
    return False


def raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_access_log_rows_cannot_be_updated_or_deleted(access_entry):
    pk = access_entry.pk
    assert refused(lambda: AccessLog.objects.filter(pk=pk).update(result="denied"))
    assert refused(lambda: AccessLog.objects.filter(pk=pk).delete())
    access_entry.username = "someone-else"
    assert refused(access_entry.save)
    assert refused(
        lambda: raw("UPDATE audit_accesslog SET object_id = %s WHERE id = %s", ["8", pk])
    )
    assert refused(lambda: raw("DELETE FROM audit_accesslog WHERE id = %s", [pk]))
    row = AccessLog.objects.get(pk=pk)
    assert (row.username, row.object_id, row.result) == ("coach", "7", "granted")


def test_change_log_rows_cannot_be_updated_or_deleted(change_entry):
    pk = change_entry.pk
    assert refused(lambda: LogEntry.objects.filter(pk=pk).update(changes={}))
    assert refused(lambda: LogEntry.objects.filter(pk=pk).delete())
    assert refused(lambda: raw("UPDATE auditlog_logentry SET actor_id = NULL WHERE id = %s", [pk]))
    assert refused(lambda: raw("DELETE FROM auditlog_logentry WHERE id = %s", [pk]))
    assert LogEntry.objects.get(pk=pk).changes == {"phone": ["", "0592-123456"]}


def test_deleting_a_user_with_change_history_is_refused(change_entry, coach):
    # The actor would be set to NULL: an UPDATE of a log row.
    assert refused(coach.delete)


def test_inserting_audit_rows_still_works(access_entry, change_entry, coach):
    AccessLog.objects.create(
        user=coach,
        username=coach.username,
        kind="full_bsn",
        object_type="clients.client",
        object_id="7",
        result="granted",
    )
    assert AccessLog.objects.count() == 2
    assert LogEntry.objects.count() == 1


def test_an_update_that_matches_no_row_passes(access_entry):
    assert AccessLog.objects.filter(pk=access_entry.pk + 1000).update(result="denied") == 0
