"""Reports and exports read from a PostgreSQL replica when DATABASE_REPLICA_URL is set.

A router sees only the model, never the caller, so the caller says so: the report and export
entry points run their reading under `reading_from_replica()`, and `ReportsToReplica` (settings:
DATABASE_ROUTERS, only when the `replica` alias exists) sends those reads to `replica`.
Everything else reads from `default`, and every write goes to `default`, inside the block too.

Inside a transaction on `default` reads stay on `default`: a transaction must see its own
writes and the rows it locked, and a replica that lags a few seconds would show neither. So a
service called inside the block reads and writes where it always does, and the block must wrap
the reading outside any `transaction.atomic()` to have an effect. The same rule keeps a
test that runs inside a transaction (pytest-django's `db`) on `default`, where its rows are;
tests/test_replica.py uses committed rows (`transaction=True`) to see the replica at work.

A replica is behind by its replication lag: a report just after an import may not count it yet.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# A context variable, not a thread-local: per thread, and per task if reports ever run async.
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Reads inside this block (outside a transaction) go to the replica, when there is one.

    Without a `replica` alias (development, SQLite, a single server) it changes nothing.
    """
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def replica_in_use() -> bool:
    """Whether a read here and now would go to the replica."""
    return (
        _reading_from_replica.get()
        and REPLICA in connections.settings
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


class ReportsToReplica:
    """Reads inside `reading_from_replica()` from `replica`; all else, and all writes, `default`."""

    def db_for_read(self, model, **hints):
        # Always an answer, never None: Django would otherwise read a related object from
        # the database its parent came from, and a row read in the block would pull later
        # reads to the replica outside it.
        return REPLICA if replica_in_use() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows: an object read there may point at one from default.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary by replication; nothing migrates it.
        return db == DEFAULT_DB_ALIAS
