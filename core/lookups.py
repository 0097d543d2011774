"""Lookups the ORM does not write the way the databases plan best (registered in CoreConfig)."""

from django.db.models import Field, ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class _ArrayOnPostgreSQL:
    def as_postgresql(self, compiler, connection):
        if self.rhs_is_direct_value() or not getattr(self.rhs, "has_select_fields", False):
            return self.as_sql(compiler, connection)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs_sql} = ANY(ARRAY{rhs_sql})", (*lhs_params, *rhs_params)


@Field.register_lookup
class AnyOf(_ArrayOnPostgreSQL, In):
    """`field__any_of=queryset`: `field__in=queryset`, written on PostgreSQL as
    `field = ANY(ARRAY(subquery))`.

    PostgreSQL runs `IN (subquery)` as a hashed subplan checked on every row: ORed with
    another condition (`coach = me OR team IN (my teams)`) that is a scan of the whole table,
    127 ms of clients at a million. ARRAY(subquery) is evaluated once, before the scan, and
    `= ANY` of it is an index condition, so the OR becomes a BitmapOr of two index scans (under
    1 ms; README, "A million clients"). The subquery's rows are held in memory as one array:
    for few rows (the user's teams, say). Everything else is `__in`'s: a list of values, NULLs,
    negation (exclude keeps the rows whose field is NULL), joins, an empty queryset. SQLite
    plans IN well and gets it."""

    lookup_name = "any_of"


@ForeignObject.register_lookup
class RelatedAnyOf(_ArrayOnPostgreSQL, RelatedIn):
    """`team__any_of=queryset` on a foreign key: as AnyOf."""

    lookup_name = "any_of"
