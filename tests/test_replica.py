"""Reports and exports read from a replica (config.routers), everything else stays on default.

The test settings always have a `replica` alias, a mirror of the test database (TEST MIRROR), as
production has one with DATABASE_REPLICA_URL: the same rows through a connection of its own.
A read that reaches `replica` here went through that second connection. The tests that read
through it commit their rows (`transaction=True`): a test inside a transaction stays on
default, as the router keeps every transaction's reads where its writes are.
"""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from clients import services as client_services
from clients.models import Client, Contact
from config.routers import REPLICA, ReportsToReplica, reading_from_replica, replica_in_use
from core.models import Team
from reporting import kpis
from tests.factories import ClientFactory, ContactFactory, UserFactory

BOTH = ["default", "replica"]
# config/test_settings.py adds the alias (a mirror of the test database); CI fails on a skip.
needs_replica = pytest.mark.skipif(
    REPLICA not in settings.DATABASES, reason="the test settings have no 'replica' alias"
)
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def routed(settings):
    """The router as production has it with DATABASE_REPLICA_URL; the rest of the suite runs
    without it (config/test_settings.py)."""
    settings.DATABASE_ROUTERS = ["config.routers.ReportsToReplica"]


WRITES = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT", "RELEASE", "BEGIN")


class Queries:
    """The SQL sent to each alias inside a `with`."""

    def __enter__(self):
        self.contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in BOTH}
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self.contexts.values():
            context.__exit__(*exc)

    def on(self, alias) -> list[str]:
        return [query["sql"] for query in self.contexts[alias].captured_queries]


def writes(statements) -> list[str]:
    return [sql for sql in statements if sql.lstrip().upper().startswith(WRITES)]


@needs_replica
def test_the_test_settings_route_through_the_replica_router():
    assert settings.DATABASES[REPLICA]["TEST"]["MIRROR"] == "default"
    assert settings.DATABASE_ROUTERS == ["config.routers.ReportsToReplica"]


@needs_replica
def test_the_router_sends_only_reads_in_the_block_to_the_replica():
    router = ReportsToReplica()
    assert router.db_for_read(Client) == "default"
    with reading_from_replica():
        assert replica_in_use()
        assert router.db_for_read(Client) == REPLICA
        assert router.db_for_write(Client) == "default"
        with reading_from_replica():  # nested: still the replica, and after it too
            pass
        assert router.db_for_read(Client) == REPLICA
    assert router.db_for_read(Client) == "default"
    # The replica is never migrated: replication brings the schema.
    assert router.allow_migrate("default", "clients")
    assert not router.allow_migrate(REPLICA, "clients")


def test_an_error_in_the_block_leaves_reads_on_default():
    with pytest.raises(RuntimeError), reading_from_replica():
        raise RuntimeError("the report failed")
    assert not replica_in_use()


@needs_replica
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_reads_in_the_block_go_to_the_replica_and_find_the_rows():
    client = ClientFactory(last_name="Replica")
    with Queries() as queries, reading_from_replica():
        names = list(Client.objects.filter(pk=client.pk).values_list("last_name", flat=True))
        team = Client.objects.get(pk=client.pk).team  # a related object: the replica too
    assert names == ["Replica"]
    assert team.pk == client.team_id
    assert len(queries.on(REPLICA)) == 3
    assert queries.on("default") == []


@needs_replica
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_outside_the_block_a_row_read_from_the_replica_pulls_nothing_there():
    client = ClientFactory()
    with reading_from_replica():
        read_there = Client.objects.get(pk=client.pk)
    assert read_there._state.db == REPLICA
    with Queries() as queries:
        read_there.team  # noqa: B018 (the related object is read now)
        list(read_there.contacts.all())
    assert len(queries.on("default")) == 2
    assert queries.on(REPLICA) == []


@needs_replica
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_writes_in_the_block_go_to_default():
    client = ClientFactory()
    coach = UserFactory()
    with Queries() as queries, reading_from_replica():
        team = Team.objects.create(name="Team replica")
        Team.objects.filter(pk=team.pk).update(name="Team replica 2")
        contact = client_services.contact_log(
            actor=coach, client=client, date=datetime.date(2026, 3, 2), channel="phone"
        )
        Team.objects.filter(pk=team.pk).delete()
    # The service's transaction read and wrote on default: its reads stay with its writes.
    assert queries.on(REPLICA) == []
    assert any(sql.startswith("INSERT") for sql in writes(queries.on("default")))
    assert Contact.objects.filter(pk=contact.pk).exists()
    assert not Team.objects.filter(name__startswith="Team replica").exists()


@needs_replica
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_transaction_in_the_block_reads_its_own_writes_on_default():
    with Queries() as queries, reading_from_replica(), transaction.atomic():
        team = Team.objects.create(name="Nog niet vastgelegd")
        assert Team.objects.filter(pk=team.pk).exists()  # not yet on any replica
    assert queries.on(REPLICA) == []


@pytest.mark.django_db  # "replica" not allowed: a query sent there would fail the test
def test_inside_a_test_transaction_reads_stay_on_default():
    """What keeps the report tests, which run in a transaction, reading their own rows.

    (A test inside a transaction cannot allow "replica" on SQLite: the test case opens a
    transaction on each database it allows, and two writers on one file lock each other.)"""
    client = ClientFactory()
    with reading_from_replica():
        assert not replica_in_use()
        assert Client.objects.filter(pk=client.pk).exists()
        assert kpis.compute(kpis.Period.year(2025))


@needs_replica
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_kpis_read_from_the_replica_and_give_the_same_figures():
    for _ in range(3):
        ContactFactory(client=ClientFactory(registered_on=datetime.date(2025, 3, 1)))
    period = kpis.Period.year(2025)
    on_default = kpis.compute(period)
    with Queries() as queries, reading_from_replica():
        on_replica = kpis.compute(period)
    assert on_replica == on_default
    assert queries.on(REPLICA)
    assert writes(queries.on(REPLICA)) == []
    assert queries.on("default") == []


@needs_replica
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_export_writes_its_references_on_default_and_reads_the_rows_from_the_replica(
    tmp_path,
):
    from interchange.exporter import export_folder

    ContactFactory(client=ClientFactory())
    with Queries() as queries, reading_from_replica():
        written = export_folder(tmp_path / "replica")
    assert written["clients.csv"] == 1
    assert writes(queries.on(REPLICA)) == []
    # assign_refs runs in a transaction: its reads and UPDATEs on default; the rows after it
    # from the replica.
    assert any(sql.startswith("UPDATE") for sql in queries.on("default"))
    assert len(queries.on(REPLICA)) >= len(written)
    export_folder(tmp_path / "default")
    for name in written:
        assert (tmp_path / "replica" / name).read_bytes() == (
            tmp_path / "default" / name
        ).read_bytes()


def settings_with(**environment) -> subprocess.CompletedProcess:
    """config.settings imported in a fresh interpreter with these variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DATABASE_REPLICA_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(environment, SECRET_KEY="replica-test")
    code = (
        "from config import settings as s; "
        "print(sorted(s.DATABASES), s.DATABASES.get('replica', {}).get('TEST'), "
        "getattr(s, 'DATABASE_ROUTERS', []))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_settings_add_the_replica_alias_and_router_when_the_variable_is_set():
    result = settings_with(
        DATABASE_URL="postgres://app:secret@db.example.org:5432/wo",
        DATABASE_REPLICA_URL="postgres://app:secret@replica.example.org:5432/wo",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['default', 'replica'] {'MIRROR': 'default'} ['config.routers.ReportsToReplica']"
    )


def test_settings_without_the_variable_have_one_database_and_no_router():
    result = settings_with(DATABASE_URL="postgres://app:secret@db.example.org:5432/wo")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['default'] None []"


def test_settings_refuse_a_replica_of_sqlite():
    result = settings_with(
        DATABASE_URL="sqlite:////tmp/wo.sqlite3",
        DATABASE_REPLICA_URL="postgres://app:secret@replica.example.org:5432/wo",
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL needs a postgres://" in result.stderr
