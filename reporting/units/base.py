"""What every KPI unit is made of: the period it counts, exact rates, and the `Kpi` it is.

A unit (one module of reporting.units) counts its figures in the database and returns them as a
typed `Result`; `as_json()` is its part of the document of `manage.py kpis` (spec/kpis.md), and
`rows()`, `breakdowns()` and `curve()` are what the dashboard, the PDF and the xlsx show of it.

Rates are computed exactly from integer counts (fractions, not binary floating point) and
rounded half away from zero, as the spec demands.
"""

import dataclasses
import datetime
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db.models import Q
from django.utils.functional import Promise

from reporting.models import Target, TargetKpi
from reporting.units.rows import Breakdown, Curve, Row


@dataclass(frozen=True)
class Period:
    """A pair of dates, both inclusive."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("a period cannot end before it starts")

    def as_range(self) -> tuple[datetime.date, datetime.date]:
        return (self.start, self.end)

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def rounded(value: Fraction, places: int) -> float:
    """`value` rounded to `places` decimals, half away from zero, computed exactly."""
    scale = 10**places
    scaled = abs(value) * scale
    whole = int(scaled)  # floor, as scaled >= 0
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    sign = -1 if value < 0 else 1
    return sign * whole / scale  # a float only for printing: it is the nearest to the decimal


def rate(part: int, whole: int, places: int = 4) -> float | None:
    """part / whole rounded to `places` decimals; None when there is nothing to divide by."""
    return rounded(Fraction(part, whole), places) if whole else None


def grouped(queryset, by: str | None, **aggregates) -> dict[Any, dict[str, int]]:
    """The aggregates per value of `by` in one query; with `by` None, of everything, under None."""
    if by is None:
        return {None: queryset.aggregate(**aggregates)}
    rows = queryset.values(by).annotate(**aggregates).order_by(by)
    return {row.pop(by): row for row in rows}


def running_on(date: datetime.date) -> Q:
    """kpis.md "on date D" for a trajectory or placement: started, and not ended on or before."""
    return Q(start_date__lte=date) & (Q(end_date__isnull=True) | Q(end_date__gt=date))


def target_for(kpi: str, year: int) -> float | None:
    """The target a functional administrator set for this KPI and year, else the default."""
    value = Target.objects.filter(kpi=kpi, year=year).values_list("value", flat=True).first()
    if value is not None:
        return float(value)
    if kpi == TargetKpi.TWO_YEAR_OUTFLOW:
        return settings.KPI_TWO_YEAR_OUTFLOW_TARGET
    return None


class Result:
    """A unit's figures of one period (a frozen dataclass)."""

    def as_json(self) -> dict[str, Any]:
        """Its part of the document of `manage.py kpis`: the fields in the spec's order."""
        return dataclasses.asdict(self)


R = TypeVar("R", bound=Result)


class Kpi(Generic[R]):
    """One KPI of spec/kpis.md: its key, its query, its labels and what the report shows of it.

    The document, the dashboard, the PDF and the xlsx iterate reporting.units.UNITS, so a new
    KPI is a module that subclasses this, plus its line in UNITS.
    """

    key: str  # its key in the document of `manage.py kpis`
    title: str | Promise  # gettext_lazy: a unit is made once, read in any language
    definition: str | Promise

    def compute(self, period: Period) -> R:
        """The figures of `period`, counted by the database in a fixed number of queries."""
        raise NotImplementedError

    def rows(self, now: R, then: R, period: Period) -> list[Row]:
        """The section's table: this period's figures beside those of a year earlier."""
        raise NotImplementedError

    def breakdowns(self, period: Period) -> list[Breakdown]:
        """Tables of this KPI per team, target group, municipality, ...; none by default."""
        return []

    def provisional(self, period: Period, today: datetime.date) -> bool:
        """Whether the figures can still change after `today`."""
        return False

    def curve(self, period: Period, now: R) -> Curve | None:
        """A share per month shown beside the section (with its chart), if the KPI has one."""
        return None
