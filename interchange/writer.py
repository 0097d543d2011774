"""Writing checked rows into a model's table by their source_ref: create, update or leave alone.

The engine keeps the valid rows of each file in a temporary staging table (COPY on PostgreSQL,
executemany on SQLite), with their refs as the file has them: no row and no ref-to-id map is
held in memory. Each table is then written by a few statements that join the staging table to
the records its refs name.

PERFORMANCE.md measured what costs the time on PostgreSQL: Django's foreign keys are checked at
COMMIT (DEFERRABLE INITIALLY DEFERRED), about 7 s per million child rows, and every index is
maintained row by row. So:

- A table that holds no imported row yet (the first import, by far the largest) gets its rows
  by one INSERT ... SELECT. When many rows come, its foreign keys and secondary indexes are
  dropped first and rebuilt afterwards, inside the import's transaction: rebuilding checks
  every key in one pass, and a failed rebuild rolls everything back. Its ids then follow the
  lines by number, not by a sort of every row (_reserve_ids).
- A table that holds imported rows is joined to the staging table once, keeping the rows whose
  values differ (IS DISTINCT FROM over the columns) and the refs that are new; one UPDATE ...
  FROM writes the first, one INSERT ... SELECT the others. An unchanged folder writes nothing.

A staging table is ANALYZEd before it is joined (PERFORMANCE.md: without statistics a join of
0.1 s can take 30 s).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from concurrency.fields import VersionField
from django.conf import settings
from django.db import IntegrityError, connection, models, transaction

# Below this many rows dropping and rebuilding keys costs more than it saves.
REBUILD_KEYS_FROM = 20_000
BATCH = 10_000
# A re-import's rows that differ from their record or are new, while one table is written;
# from this many changed rows the planner gets their statistics before they are joined.
CHANGES = "interchange_changes"
ANALYZE_CHANGES_FROM = 20_000


def _temporary(name: str) -> str:
    """A temporary table's name, qualified: unqualified, a DROP with no temporary table of that
    name would go on to the permanent one."""
    return f"{'pg_temp' if _postgres() else 'temp'}.{_q(name)}"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self, rows: int) -> dict:
        return {
            "rows": rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _owns(table: str) -> bool:
    """Whether this connection may drop and rebuild the table's keys: only its owner may. The
    application role of a two-role install (audit/grants.py) owns nothing, so its first import
    keeps the keys and checks them row by row (slower, see README: Speed of the import)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
            "WHERE oid = %s::regclass",
            [table],
        )
        return bool(cursor.fetchone()[0])


def insert_defaults(model, fields, now: datetime.datetime) -> dict[str, object]:
    """Values for the model's columns the format does not carry, as a new record gets them."""
    values = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in fields:
            continue
        if isinstance(f, VersionField):
            value = 1
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        elif isinstance(f, models.CharField | models.TextField):
            value = ""
        else:  # pragma: no cover - a model change the format's declaration must follow
            raise TypeError(f"{model.__name__}.{f.name} needs a value the format does not carry")
        values[f.attname] = value
    return values


def _sql_value(value):
    """A Python value as the connection takes it (SQLite stores datetimes as naive UTC text)."""
    if isinstance(value, datetime.datetime) and not _postgres():
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _distinct(left: str, right: str) -> str:
    return f"{left} IS DISTINCT FROM {right}" if _postgres() else f"{left} IS NOT {right}"


def copy_file(table: str, columns: list[str], file) -> None:
    """Send a file of COPY's text rows (PostgreSQL), as it is, into the table's columns."""
    with connection.cursor() as cursor:
        names = ", ".join(_q(c) for c in columns)
        with cursor.cursor.copy(f"COPY {_q(table)} ({names}) FROM STDIN") as copy:
            while block := file.read(1 << 20):
                copy.write(block)


def _load(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    """Append rows to a table: COPY on PostgreSQL, executemany on SQLite. Returns the count."""
    count = 0
    if _postgres():
        with connection.cursor() as cursor:
            names = ", ".join(_q(c) for c in columns)
            with cursor.cursor.copy(f"COPY {_q(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        _q(table), ", ".join(_q(c) for c in columns), ", ".join("?" * len(columns))
    )
    raw = connection.connection
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            raw.executemany(sql, batch)
            count += len(batch)
            batch.clear()
    if batch:
        raw.executemany(sql, batch)
        count += len(batch)
    return count


class _KeysDropped:
    """Drop a PostgreSQL table's foreign keys, unique constraints and secondary indexes; rebuild."""

    def __init__(self, table: str):
        self.table = table
        self.constraints: list[tuple[str, str]] = []
        self.indexes: list[str] = []

    def __enter__(self):
        with connection.cursor() as cursor:
            # Nobody else writes the table while its keys are off, until the transaction ends
            # (an insert would also take an id from the block _reserve_ids hands out); dropping
            # a key would lock it too, but only if the table has one.
            cursor.execute(f"LOCK TABLE {_q(self.table)} IN ACCESS EXCLUSIVE MODE")
            # Earlier writes of this transaction left deferred key checks queued, and
            # PostgreSQL refuses to alter a table with pending trigger events: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY conname",
                [self.table],
            )
            self.constraints = cursor.fetchall()
            for name, _definition in self.constraints:
                cursor.execute(f"ALTER TABLE {_q(self.table)} DROP CONSTRAINT {_q(name)}")
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
                "ORDER BY 1",
                [self.table],
            )
            found = cursor.fetchall()
            self.indexes = [definition for _name, definition in found]
            for name, _definition in found:
                cursor.execute(f"DROP INDEX {name}")
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            return False  # the transaction rolls back: the keys come back with it
        with connection.cursor() as cursor:
            for definition in self.indexes:
                cursor.execute(definition)
            for name, definition in self.constraints:
                cursor.execute(
                    f"ALTER TABLE {_q(self.table)} ADD CONSTRAINT {_q(name)} {definition}"
                )
        return False


def _reserve_ids(model, lines: tuple[int, int]) -> int:
    """The first of the ids the table's sequence hands out for the lines `lines[0]` to
    `lines[1]`, one a line, which it will not hand out again. Sorting ten million rows by line
    for their ids spilled to disk (README, Speed of the import); an id per line needs no sort.
    Only under _KeysDropped, whose lock keeps inserts (which take their ids from the sequence)
    out until the transaction ends; a bare nextval() elsewhere would not wait: nothing in the
    product calls one. A rolled-back import leaves the block unused (setval is not undone).
    Only the table's owner comes here (merge drops keys only then): setval needs UPDATE on the
    sequence, which the application role of a two-role install does not have
    (audit/grants.py). Every imported model's key is an identity column with a sequence."""
    key = [model._meta.db_table, model._meta.pk.column]
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", key)
        (first,) = cursor.fetchone()
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
            [*key, first + lines[1] - lines[0]],
        )
    return first


class _Nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def stage_create(table: str, columns: list[str], flag: str | None = None):
    """A temporary table for the checked rows of one file: `line` and the file's columns, as
    text on PostgreSQL (COPY sends text; merge casts to the model's types), untyped on SQLite
    (which keeps what it is given), and an integer `flag` column if named (1 or 0). It lives
    as long as the connection, or until stage_drop."""
    kind = " text" if _postgres() else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_temporary(table)}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_q(table)} (line integer"
            + "".join(f", {_q(c)}{kind}" for c in columns)
            + (f", {_q(flag)} integer" if flag else "")
            + ")"
        )


def stage_analyze(table: str, columns: list[str]):
    """Statistics for the planner, of the columns it joins on: without them one join can take
    30 s instead of 0.1 s (PERFORMANCE.md); the other columns' would only cost time."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {_q(table)} ({', '.join(_q(c) for c in columns)})")


def stage_unique(table: str, column: str, collate: str = "") -> bool:
    """Whether no value of the column repeats: a unique index over it is one sort, refused at
    the first repeat (ten million refs: 3.0 s on PostgreSQL, where a window finding each
    repeat's first line sorts them in 6.3 s). The index is dropped again either way."""
    index = "interchange_unique_probe"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"CREATE UNIQUE INDEX {_q(index)} ON {_q(table)} ({_q(column)}{collate})"
            )
            cursor.execute(f"DROP INDEX {_temporary(index)}")
    except IntegrityError:
        return False
    return True


def stage_drop(table: str):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_temporary(table)}")


def session_tune():
    """Memory for the import's transaction (PostgreSQL): its joins hash a whole table and its
    inserts sort by line, which spill to disk in batches with the stock 4 MB; its key rebuilds
    sort a column of every row. One import at a time, for the length of its transaction;
    settings.IMPORT_WORK_MEM says how much (a size PostgreSQL reads, checked at startup)."""
    size = settings.IMPORT_WORK_MEM
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{size}'")
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{size}'")
        # Each statement runs once over many rows: compiling it costs more than it saves.
        cursor.execute("SET LOCAL jit = off")
        # The checks read their problems through a server-side cursor (engine._streamed), which
        # PostgreSQL plans for the first tenth of the rows: nested loops over the staging
        # tables (1.2 s instead of 0.03 s for a placement's client at 20,000 clients). Every
        # row is read, so plan for all of them.
        cursor.execute("SET LOCAL cursor_tuple_fraction = 1")
        # Joins of a whole file to a whole table are hashed: for a re-import's join by ref (then
        # an UPDATE ... FROM, now the changes' table of merge) the planner chose a merge join,
        # which sorted the million staged refs by the database's collation first (EXPLAIN
        # ANALYZE at 100,000 clients: 1.8 s, hashed 1.1 s; bench_import's unchanged re-import
        # went from 1.28x to 1.09-1.13x the COPY).
        cursor.execute("SET LOCAL enable_mergejoin = off")


def _field(model, attname: str):
    return next(c for c in model._meta.concrete_fields if c.attname == attname)


def _cast(model, field: str, expression: str) -> str:
    """The expression as the type of the model's column: a staging table holds text on
    PostgreSQL. SQLite keeps what it is given, but a decimal column holds a number, so a
    decimal's text is made one too (else every re-import would see it changed)."""
    f = _field(model, field)
    if _postgres():
        return f"CAST({expression} AS {f.db_type(connection)})"
    if isinstance(f, models.DecimalField):
        return f"CAST({expression} AS NUMERIC)"
    return expression


def merge(
    model,
    fields: tuple[str, ...],
    expressions: tuple[str, ...],
    source: str,
    *,
    expected: int,
    now: datetime.datetime,
    rebuild_keys: bool = True,
    lines: tuple[int, int] | None = None,
) -> Counts:
    """Write the rows of `source` (a FROM clause over a staging table `s` with a `line`
    column) into the model's table by ref: each field's value is its SQL expression, in
    `fields` order (`source_ref` first). New refs are inserted with ids in line order, rows
    whose values differ are updated, the others are left as they are: the comparison runs in
    the database.

    rebuild_keys=False (a dry run) keeps the keys: dropping them locks the table against every
    reader until the end of the transaction, which a check that is rolled back need not do.

    `lines`: the first and last line of the staging table's rows. A first import with its keys
    dropped numbers its records by them (ids in line order, so an export in id order keeps
    the file's order) instead of sorting every row by line.
    """
    table = model._meta.db_table
    extras = insert_defaults(model, fields, now)
    extra_names = list(extras)
    extra_values = [_sql_value(v) for v in extras.values()]
    selected = ", ".join(
        f"{_cast(model, f, e)} AS {_q(f)}" for f, e in zip(fields, expressions, strict=True)
    )
    rows = f"(SELECT {selected}, s.line AS line FROM {source}) AS n"
    columns = ", ".join(_q(c) for c in list(fields) + extra_names)
    values = ", ".join([f"n.{_q(f)}" for f in fields] + ["%s"] * len(extra_values))

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {_q(table)} WHERE source_ref IS NOT NULL LIMIT 1")
        holds_imports = cursor.fetchone() is not None

    if not holds_imports:
        rebuild = rebuild_keys and _postgres() and expected >= REBUILD_KEYS_FROM and _owns(table)
        keys = _KeysDropped(table) if rebuild else _Nothing()
        with keys, connection.cursor() as cursor:
            # INSERT ... SELECT on both databases: on PostgreSQL a binary COPY out of the join
            # and back in through the client took longer (contacts of 100,000 clients written
            # in 5.1-5.2 s that way, 4.4-4.6 s so; bench_import's "writing per file").
            if rebuild and lines:
                offset = _reserve_ids(model, lines) - lines[0]  # line n's id: offset + n
                cursor.execute(
                    f"INSERT INTO {_q(table)} ({_q(model._meta.pk.column)}, {columns}) "
                    f"SELECT CAST(%s AS bigint) + n.line, {values} FROM {rows}",
                    [offset, *extra_values],
                )
            else:
                cursor.execute(
                    f"INSERT INTO {_q(table)} ({columns}) SELECT {values} FROM {rows} "
                    "ORDER BY n.line",
                    extra_values,
                )
            return Counts(created=cursor.rowcount)

    # One join of the file to the table finds the rows that differ and the refs that are new,
    # and keeps only those: an unchanged folder writes nothing and reads the table once (an
    # UPDATE ... FROM and an INSERT ... WHERE NOT EXISTS joined the ten million contacts of a
    # million clients twice, 17 s and 8 s). The UPDATE then runs before the INSERT, as a file
    # that ends a client's open trajectory and starts the next one needs.
    pk = _q(model._meta.pk.column)
    data = [f for f in fields if f != "source_ref"]
    differs = " OR ".join(_distinct(f"t.{_q(f)}", f"n.{_q(f)}") for f in data)
    sets = [f"{_q(f)} = n.{_q(f)}" for f in data]
    params: list = []
    for f in model._meta.concrete_fields:
        if isinstance(f, VersionField):
            sets.append(f"{_q(f.attname)} = {_q(table)}.{_q(f.attname)} + 1")
        elif getattr(f, "auto_now", False):
            sets.append(f"{_q(f.attname)} = %s")
            params.append(_sql_value(now))
    created = updated = 0
    changes = _temporary(CHANGES)
    stage_drop(CHANGES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_q(CHANGES)} AS "
            f"SELECT n.*, t.{pk} AS target FROM {rows} "
            f"LEFT JOIN {_q(table)} AS t ON t.source_ref = n.source_ref "
            f"WHERE t.{pk} IS NULL OR ({differs})"
        )
        cursor.execute(f"SELECT count(target), count(*) FROM {changes}")
        changed, either = cursor.fetchone()
        if changed >= ANALYZE_CHANGES_FROM and _postgres():
            # Without statistics the planner would not hash the changed rows for the join.
            cursor.execute(f"ANALYZE {changes} (target)")
        if changed:
            cursor.execute(
                f"UPDATE {_q(table)} SET {', '.join(sets)} FROM {changes} AS n "
                f"WHERE {_q(table)}.{pk} = n.target",
                params,
            )
            updated = cursor.rowcount
        if either > changed:
            cursor.execute(
                f"INSERT INTO {_q(table)} ({columns}) SELECT {values} FROM {changes} AS n "
                "WHERE n.target IS NULL ORDER BY n.line",
                extra_values,
            )
            created = cursor.rowcount
    stage_drop(CHANGES)
    return Counts(created=created, updated=updated, unchanged=expected - created - updated)
