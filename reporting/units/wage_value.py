"""wage_value (kpis.md): assessments made in the period, their exact mean, and their bands."""

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import BigIntegerField, Count, F, Q, Sum
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from placements.models import WageValueAssessment
from reporting.units.base import Kpi, Period, Result, rounded
from reporting.units.rows import DECIMAL1, Row

# (band, lower bound inclusive, upper bound exclusive) of wage_value_percent
WAGE_VALUE_BANDS = (("lt40", None, 40), ("40_60", 40, 60), ("60_80", 60, 80), ("gte80", 80, None))


def _band(low: int | None, high: int | None) -> Q:
    condition = Q()
    if low is not None:
        condition &= Q(wage_value_percent__gte=low)
    if high is not None:
        condition &= Q(wage_value_percent__lt=high)
    return condition


@dataclass(frozen=True)
class WageValue(Result):
    assessments: int
    mean_percent: float | None
    bands: dict[str, int]  # every band of WAGE_VALUE_BANDS, in its order


class WageValueKpi(Kpi[WageValue]):
    key = "wage_value"
    title = gettext_lazy("Wage-value assessments")
    definition = gettext_lazy(
        "Assessments of a client's wage value made in the period, their mean, and how many "
        "fell in each band."
    )

    def compute(self, period: Period) -> WageValue:
        # Summed in hundredths of a percent as integers: SQLite keeps decimals as binary floats,
        # and the spec wants the mean computed exactly.
        hundredths = Cast(Round(F("wage_value_percent") * 100), BigIntegerField())
        counts = WageValueAssessment.objects.filter(assessed_on__range=period.as_range()).aggregate(
            assessments=Count("pk"),
            total=Sum(hundredths),
            **{band: Count("pk", filter=_band(low, high)) for band, low, high in WAGE_VALUE_BANDS},
        )
        n = counts["assessments"]
        return WageValue(
            assessments=n,
            mean_percent=rounded(Fraction(counts["total"], 100 * n), 1) if n else None,
            bands={band: counts[band] for band, _low, _high in WAGE_VALUE_BANDS},
        )

    def rows(self, now: WageValue, then: WageValue, period: Period) -> list[Row]:
        return [
            Row(_("Assessments"), now.assessments, then.assessments),
            Row(_("Mean wage value (%)"), now.mean_percent, then.mean_percent, DECIMAL1),
        ] + [
            Row(label, now.bands[band], then.bands[band])
            for band, label in (
                ("lt40", _("Below 40%")),
                ("40_60", _("40% to 60%")),
                ("60_80", _("60% to 80%")),
                ("gte80", _("80% or more")),
            )
        ]


KPI = WageValueKpi()
