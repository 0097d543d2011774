"""Writing checked rows into a model's table by their source_ref: create, update or leave alone.

PERFORMANCE.md measured what costs the time on PostgreSQL: Django's foreign keys are checked at
COMMIT (DEFERRABLE INITIALLY DEFERRED), about 7 s per million child rows, and every index is
maintained row by row. So:

- A table that holds no imported row yet (the first import, by far the largest) gets its rows
  by COPY straight into the table. When many rows come, its foreign keys and secondary indexes
  are dropped first and rebuilt afterwards, inside the import's transaction: rebuilding checks
  every key in one pass, and a failed rebuild rolls everything back.
- A table that holds imported rows gets the file in a temporary staging table (COPY), which is
  ANALYZEd (a staging table without statistics can turn a join of 0.1 s into 30 s), then one
  UPDATE of the rows whose values differ and one INSERT of the refs that are new. An unchanged
  folder writes nothing.

SQLite takes the same two paths with executemany instead of COPY.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from concurrency.fields import VersionField
from django.db import connection, models

# Below this many rows dropping and rebuilding keys costs more than it saves.
REBUILD_KEYS_FROM = 20_000
BATCH = 10_000


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


class _Nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def merge(
    model,
    fields: tuple[str, ...],
    rows: Iterable[tuple],
    *,
    expected: int,
    now: datetime.datetime,
    on_row: Callable[[int], None] | None = None,
    rebuild_keys: bool = True,
) -> Counts:
    """Write rows (tuples in `fields` order, `source_ref` first) into the model's table by ref.

    rebuild_keys=False (a dry run) keeps the keys: dropping them locks the table against every
    reader until the end of the transaction, which a check that is rolled back need not do.
    """
    table = model._meta.db_table
    extras = insert_defaults(model, fields, now)
    extra_names = list(extras)
    extra_values = tuple(_sql_value(v) for v in extras.values())

    def counted(source):
        for n, row in enumerate(source, 1):
            if on_row and n % BATCH == 0:
                on_row(n)
            yield row

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {_q(table)} WHERE source_ref IS NOT NULL LIMIT 1")
        holds_imports = cursor.fetchone() is not None

    if not holds_imports:
        rebuild = rebuild_keys and _postgres() and expected >= REBUILD_KEYS_FROM and _owns(table)
        keys = _KeysDropped(table) if rebuild else _Nothing()
        # COPY parses text by the column's type: a constant timestamp formatted once here costs
        # less than formatting the same datetime again for every row.
        copy_extras = tuple(
            v.isoformat() if isinstance(v, datetime.datetime) and _postgres() else v
            for v in extra_values
        )
        with keys:
            created = _load(
                table,
                list(fields) + extra_names,
                (row + copy_extras for row in counted(rows)),
            )
        return Counts(created=created)

    stage = f"interchange_stage_{table}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_q(stage)}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_q(stage)} AS SELECT "
            + ", ".join(_q(f) for f in fields)
            + f" FROM {_q(table)} WHERE 1 = 0"
        )
        cursor.execute(f"ALTER TABLE {_q(stage)} ADD COLUMN line_number integer")
    total = _load(
        stage,
        list(fields) + ["line_number"],
        (row + (n,) for n, row in enumerate(counted(rows))),
    )
    with connection.cursor() as cursor:
        if _postgres():
            cursor.execute(f"CREATE INDEX ON {_q(stage)} (source_ref)")
            cursor.execute(f"ANALYZE {_q(stage)}")
        else:
            cursor.execute(f"CREATE INDEX {_q(stage + '_ref')} ON {_q(stage)} (source_ref)")
        data = [f for f in fields if f != "source_ref"]
        sets = [f"{_q(f)} = s.{_q(f)}" for f in data]
        params: list = []
        for f in model._meta.concrete_fields:
            if isinstance(f, VersionField):
                sets.append(f"{_q(f.attname)} = {_q(table)}.{_q(f.attname)} + 1")
            elif getattr(f, "auto_now", False):
                sets.append(f"{_q(f.attname)} = %s")
                params.append(_sql_value(now))
        differs = " OR ".join(_distinct(f"{_q(table)}.{_q(f)}", f"s.{_q(f)}") for f in data)
        cursor.execute(
            f"UPDATE {_q(table)} SET {', '.join(sets)} FROM {_q(stage)} AS s "
            f"WHERE {_q(table)}.source_ref = s.source_ref AND ({differs})",
            params,
        )
        updated = cursor.rowcount
        placeholders = ", ".join(["%s"] * len(extra_values))
        cursor.execute(
            f"INSERT INTO {_q(table)} ("
            + ", ".join(_q(c) for c in list(fields) + extra_names)
            + ") SELECT "
            + ", ".join(f"s.{_q(f)}" for f in fields)
            + (f", {placeholders}" if extra_values else "")
            + f" FROM {_q(stage)} AS s WHERE NOT EXISTS (SELECT 1 FROM {_q(table)} AS t "
            f"WHERE t.source_ref = s.source_ref) ORDER BY s.line_number",
            list(extra_values),
        )
        created = cursor.rowcount
        cursor.execute(f"DROP TABLE {_q(stage)}")
    return Counts(created=created, updated=updated, unchanged=total - created - updated)


def ref_ids(model) -> dict[str, int]:
    """source_ref -> primary key of every imported record of the model."""
    return dict(model.objects.filter(source_ref__isnull=False).values_list("source_ref", "pk"))
