"""sheltered_work (kpis.md): everyone ever placed in sheltered work up to the period's end, and
who still is on its last day."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from placements.models import Placement, PlacementKind
from reporting.models import TargetKpi
from reporting.units.base import Kpi, Period, Result, rate, running_on, target_for
from reporting.units.rows import RATE, Row


@dataclass(frozen=True)
class ShelteredWork(Result):
    placed: int
    still_employed: int
    retention: float | None


class ShelteredWorkKpi(Kpi[ShelteredWork]):
    key = "sheltered_work"
    title = gettext_lazy("Sheltered work")
    definition = gettext_lazy(
        "Everyone ever placed in sheltered work up to the end of the period, and the share "
        "still employed there on its last day."
    )

    def compute(self, period: Period) -> ShelteredWork:
        counts = Placement.objects.filter(
            kind=PlacementKind.SHELTERED_WORK, start_date__lte=period.end
        ).aggregate(placed=Count("pk"), still_employed=Count("pk", filter=running_on(period.end)))
        return ShelteredWork(
            placed=counts["placed"],
            still_employed=counts["still_employed"],
            retention=rate(counts["still_employed"], counts["placed"]),
        )

    def rows(self, now: ShelteredWork, then: ShelteredWork, period: Period) -> list[Row]:
        return [
            Row(_("Placed"), now.placed, then.placed),
            Row(_("Still employed"), now.still_employed, then.still_employed),
            Row(
                _("Still employed (share)"),
                now.retention,
                then.retention,
                RATE,
                target_for(TargetKpi.SHELTERED_WORK_RETENTION, period.end.year),
                headline=True,
            ),
        ]


KPI = ShelteredWorkKpi()
