"""Panels other apps add to the client dossier, below the client's details.

Each provider returns a Panel (a template and its context) for one client in a fixed number of
queries, or None to show nothing. Apps register theirs in their AppConfig.ready(), so the
clients app does not import them (trajectories registers its trajectory and chart panels).

A panel that shows a few facts (a count, whether something exists, a one-to-one row) adds them
to the dossier's one query of the client instead of a query of its own: it registers a reader
(`register_reads`), `reader(queryset, user) -> queryset`, which annotates or select_relates the
client queryset before the view reads the client; the panel then finds the facts on the client.
A panel and a timeline provider of one app that read the same rows share them (`loaded`).
"""

import copy
import datetime
import decimal
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, connections
from django.db.models import Aggregate, DecimalField, JSONField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject

from clients.models import Client
from core.registry import OrderedRegistry


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[Client, Any], Panel | None]  # (client, user)
_providers = OrderedRegistry()
register = _providers.register  # @dossier.register(order): panels appear in `order`

# reader(queryset, user) -> queryset: what the panels add to the dossier's query of the client.
_readers = OrderedRegistry()
register_reads = _readers.register


def client_queryset(queryset, user):
    """The client queryset of the dossier with what every panel reads of the client itself
    (annotations, one-to-one rows): still one query."""
    for reader in _readers:
        queryset = reader(queryset, user)
    return queryset.annotate(dossier_read=Value(True))


T = TypeVar("T")


def loaded(client: Client, key: str, load: Callable[[], T]) -> T:
    """`load()` once per client object: a panel and the timeline entries of one app read the
    same rows, so the dossier asks the database once (the object lives for one request)."""
    cache = client.__dict__.setdefault("_dossier_loaded", {})
    if key not in cache:
        cache[key] = load()
    return cache[key]


class _JSONRows(Aggregate):
    """The rows of a group as one JSON array."""

    function = "JSON_GROUP_ARRAY"  # SQLite
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


_compiled: dict = {}


def correlated(model, build, output_field):
    """A subquery on each row of `model`'s table, as SQL compiled once per process and database
    (Django resolves an expression of many columns anew for every query: milliseconds on each
    dossier). `build(model, parent_pk)` returns a queryset of one column, one row, with
    `parent_pk` in its filter where OuterRef("pk") would be; it must hold no value that changes
    between requests (today's date, the user), as its SQL is kept. Only for a query whose table
    is `model`'s own, unaliased (the dossier's query of the client)."""
    key = (build, model, connection.vendor)
    if key not in _compiled:
        quote = connection.ops.quote_name
        pk = RawSQL(f"{quote(model._meta.db_table)}.{quote(model._meta.pk.column)}", [])
        sql, params = build(model, pk).query.sql_with_params()
        _compiled[key] = (f"({sql})", params)
    sql, params = _compiled[key]
    return RawSQL(sql, params, output_field=output_field)


# A client pk no row has: where it lands in the parameters of a compiled query, the pk goes.
_MARKER = -7_310_531


class _Prepared:
    """A queryset compiled once, run again with another client's pk (rows_once)."""

    def __init__(self, queryset):
        self.queryset = queryset
        self.compiler = queryset.query.get_compiler(queryset.db)
        self.sql, params = self.compiler.as_sql()  # also sets the compiler's select, klass_info
        self.params = list(params)
        self.positions = [i for i, value in enumerate(self.params) if value == _MARKER]
        if not self.positions:
            raise ValueError("rows_once: the query does not filter on the client's pk")

    def rows(self, pk: int) -> list:
        params = list(self.params)
        for i in self.positions:
            params[i] = pk
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[self.queryset.db]  # this thread's connection
        compiler.as_sql = lambda *args, **kwargs: (self.sql, tuple(params))
        queryset = self.queryset.all()  # a clone with a result cache of its own
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)


_prepared: dict = {}


def rows_once(build: Callable[[int], Any], client: Client) -> list:
    """`list(build(client.pk))`, with the queryset's SQL compiled once per process and database
    engine instead of on every view (a replica must have the primary's engine, config.settings):
    Django builds the SQL of a query of many columns and joins anew each time, milliseconds of
    a dossier's view (issue 20). `build(pk)` returns a queryset of model instances whose only
    value that changes is `pk`, the client's: no today's date, no user, no prefetch_related
    (its SQL and the compiler's columns are kept)."""
    key = (build.__module__, build.__qualname__, connection.vendor)
    if key not in _prepared:
        _prepared[key] = _Prepared(build(_MARKER))
    return _prepared[key].rows(client.pk)


@dataclass(frozen=True)
class JSONRows:
    """Rows a panel shows, read with the query of their parent instead of a query of their own:
    each parent row carries its children as one JSON array (`annotate`), turned back into model
    instances (`of`), with the rows of `related` (foreign keys, "a__b" for a chain) attached as
    select_related would. For a handful of rows of plain columns: no annotations, no prefetches
    of the children themselves; ordered in Python by `order` ("-field" descending).

    On the dossier's client a panel registers `annotate` as a reader (register_reads) and reads
    `of(client)`; as a prefetch of small children (scores, goals) `attach(parents)` makes
    `parent.<name>.all()` return them.

    `nested` JSONRows of the children's own children come inside each child's JSON object (a
    correlated subquery in the children's subquery), attached with them: a parent, its children
    and theirs in one query."""

    name: str  # the parent's reverse accessor of the children, e.g. "coach_periods"
    related: tuple[str, ...] = ()
    order: tuple[str, ...] = ("pk",)
    where: Callable[[Any], Any] | None = None  # queryset -> queryset: which children
    nested: tuple["JSONRows", ...] = ()

    def _fk(self, model):
        return model._meta.get_field(self.name).field  # the child's foreign key to the parent

    def annotate(self, queryset):
        return queryset.annotate(**{self._key: correlated(queryset.model, self._rows, JSONField())})

    def _rows(self, model, parent_pk):
        fk = self._fk(model)
        child = fk.model
        columns = {f.attname: f.attname for f in child._meta.concrete_fields}
        for path in self.related:
            target = _model_at(child, path)
            columns[path] = JSONObject(
                **{f.attname: f"{path}__{f.attname}" for f in target._meta.concrete_fields}
            )
        for rows in self.nested:
            columns[rows._key] = correlated(child, rows._rows, JSONField())
        rows = child._default_manager.filter(**{fk.attname: parent_pk})
        if self.where is not None:
            rows = self.where(rows)
        return (
            rows.order_by()
            .values(fk.attname)
            .annotate(rows=_JSONRows(JSONObject(**columns)))
            .values("rows")
        )

    @property
    def _key(self) -> str:
        return f"{self.name}_json"

    def of(self, parent) -> list:
        """The children of `parent`, read by `annotate` (decoded once per parent object); for a
        parent read without it (not by the dossier's view), in a query of their own."""
        cache = parent.__dict__.setdefault("_json_rows", {})
        if self.name not in cache:
            if not hasattr(parent, self._key):
                model = type(parent)
                rows = self.annotate(model._base_manager.filter(pk=parent.pk)).values(self._key)
                setattr(parent, self._key, rows.get()[self._key])
            fk = self._fk(type(parent))
            objects = []
            for row in _decoded(getattr(parent, self._key)) or ():
                obj = _instance(fk.model, row, self.related)
                fk.set_cached_value(obj, parent)
                for rows in self.nested:
                    setattr(obj, rows._key, row.get(rows._key))
                objects.append(obj)
            for key in reversed(self.order):  # stable sorts, the last key first
                name = key.lstrip("-")
                objects.sort(
                    key=lambda obj, name=name: _nulls_last(getattr(obj, name)),
                    reverse=key.startswith("-"),
                )
            for rows in self.nested:
                rows.attach(objects)
            cache[self.name] = objects
        return cache[self.name]

    def attach(self, parents) -> None:
        for parent in parents:
            queryset = getattr(parent, self.name).all()
            queryset._result_cache, queryset._prefetch_done = self.of(parent), True
            parent.__dict__.setdefault("_prefetched_objects_cache", {})[self.name] = queryset


def JSONPrefetch(name: str, order: tuple[str, ...] = ("pk",)) -> JSONRows:  # noqa: N802
    """Small children of plain columns prefetched in their parents' query (JSONRows.attach)."""
    return JSONRows(name, order=order)


def _decoded(value):
    # A nested array comes as JSON text from SQLite (a subquery's value loses its JSON type).
    return json.loads(value) if isinstance(value, str) else value


def _model_at(model, path: str):
    for part in path.split("__"):
        model = model._meta.get_field(part).related_model
    return model


def _instance(model, row: dict, related: tuple[str, ...] = ()):
    fields = model._meta.concrete_fields
    obj = model.from_db(
        None, [f.attname for f in fields], [_python(f, row.get(f.attname)) for f in fields]
    )
    for path in sorted(related, key=lambda path: path.count("__")):
        holder, _sep, name = path.rpartition("__")
        owner = obj
        for part in holder.split("__") if holder else ():
            owner = getattr(owner, part)
            if owner is None:
                break
        if owner is None:
            continue
        values = row.get(path) or {}
        target = _model_at(model, path)
        value = None if values.get("id") is None else _instance(target, values)
        type(owner)._meta.get_field(name).set_cached_value(owner, value)
    return obj


def _nulls_last(value):
    return (value is None, value if value is not None else 0)


def _python(field, value):
    if value is None:
        return None
    if isinstance(field, DecimalField):
        # As the database backends give them: with the field's decimal places.
        places = decimal.Decimal(1).scaleb(-field.decimal_places)
        return decimal.Decimal(str(value)).quantize(places)
    if isinstance(field, JSONField):
        # SQLite's json_object() embeds a JSON column as its text; PostgreSQL as JSON.
        return json.loads(value) if connection.vendor == "sqlite" else value
    value = field.to_python(value)
    if isinstance(value, datetime.datetime) and settings.USE_TZ and value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)  # SQLite keeps UTC without an offset
    return value


def panels_for(client: Client, user) -> list[Panel]:
    if not getattr(client, "dossier_read", False):
        # Not read by the dossier's view (a form re-rendered with its errors): read it again.
        client = client_queryset(Client.objects.filter(pk=client.pk), user).get()
    panels = (provider(client, user) for provider in _providers)
    return [panel for panel in panels if panel is not None]


# The coach's start page above their own caseload: parts the other apps add (signals,
# candidate profiles to complete, aftercare). provider(user, caseload) -> Panel | None, where
# `caseload` is the coach's own clients (a queryset); registered in the apps' ready().
_start_providers = OrderedRegistry()
register_start = _start_providers.register


def start_parts_for(user, caseload) -> list[Panel]:
    parts = (provider(user, caseload) for provider in _start_providers)
    return [part for part in parts if part is not None]
