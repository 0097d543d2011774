"""Query expressions the ORM does not write the way the databases plan best."""

from django.db.models import BooleanField, F, Func, Subquery


class AnyOf(Func):
    """`field IN (subquery)` as a condition for filter() and Q(), written on PostgreSQL as
    `field = ANY(ARRAY(subquery))`.

    PostgreSQL runs `IN (subquery)` as a hashed subplan checked on every row: ORed with
    another condition (`coach = me OR team IN (my teams)`) that is a scan of the whole table,
    127 ms of clients at a million. ARRAY(subquery) is evaluated once, before the scan, and
    `= ANY` of it is an index condition, so the OR becomes a BitmapOr of two index scans
    (under 1 ms; make bench's team view). The subquery must return one column of few rows
    (the user's teams, say): they are held in memory as one array. SQLite plans IN well."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str, queryset):
        super().__init__(F(field), Subquery(queryset))

    def as_sql(self, compiler, connection, **extra_context):
        # Compiled here rather than by Func: an empty subquery (`.none()`) raises EmptyResultSet,
        # which makes the condition match nothing, as `field__in=queryset.none()` does.
        field, subquery = self.get_source_expressions()
        field_sql, field_params = compiler.compile(field)
        subquery_sql, subquery_params = compiler.compile(subquery)
        if connection.vendor == "postgresql":
            sql = f"{field_sql} = ANY(ARRAY{subquery_sql})"
        else:
            sql = f"{field_sql} IN {subquery_sql}"
        return sql, (*field_params, *subquery_params)
