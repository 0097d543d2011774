"""The two-year rule of route werknemer, in Python and in SQL: one place for the deadline.

spec/kpis.md: a trajectory's deadline is its start plus two calendar years; a start on
29 February ends on 28 February. The deadline never decreases as the start moves later, so a
condition on deadlines becomes a range of start dates (an index can serve it).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import DateField, Func

YEARS = 2


def deadline(start: datetime.date) -> datetime.date:
    """Start plus two calendar years; a start on 29 February gets 28 February."""
    try:
        return start.replace(year=start.year + YEARS)
    except ValueError:
        return start.replace(year=start.year + YEARS, day=28)


def latest_start(limit: datetime.date) -> datetime.date:
    """The last start date whose deadline falls on or before `limit`."""
    bound = limit - relativedelta(years=YEARS)  # 29 Feb - 2 years = 28 Feb
    if limit.month == 2 and limit.day == 28:
        try:  # a 29 February start two years earlier also ends on this 28 February
            bound = bound.replace(day=29)
        except ValueError:
            pass
    return bound


def earliest_start(limit: datetime.date) -> datetime.date:
    """The first start date whose deadline falls on or after `limit`.

    A limit of 29 February has no start exactly two years before it: 28 February's deadline is
    28 February, so the first start is 1 March.
    """
    try:
        return limit.replace(year=limit.year - YEARS)
    except ValueError:  # 29 February
        return datetime.date(limit.year - YEARS, 3, 1)


class Deadline(Func):
    """`deadline(start)` in SQL.

    PostgreSQL's interval arithmetic already clamps to the month's last day; SQLite's date()
    would roll 29 February over to 1 March, so it first steps back a day (SQLite keeps dates as
    'YYYY-MM-DD' text, so characters 6 to 10 are the month and day).
    """

    arity = 1
    output_field = DateField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="(%(expressions)s + interval '2 years')::date"
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template=(
                "CASE WHEN substr(%(expressions)s, 6, 5) = '02-29' "
                "THEN date(%(expressions)s, '-1 day', '+2 years') "
                "ELSE date(%(expressions)s, '+2 years') END"
            ),
        )
