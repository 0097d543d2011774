"""flows (kpis.md): clients who entered the caseload in the period, and who left it, per reason."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client, DeregistrationReason, TargetGroup
from reporting.units.base import Kpi, Period, Result, grouped
from reporting.units.rows import COUNT, Breakdown, Row, key_label


@dataclass(frozen=True)
class Flows(Result):
    inflow: int
    outflow: int
    outflow_by_reason: dict[str, int]  # every DeregistrationReason, in its order


def flows_by(period: Period, by: str) -> dict[Any, dict[str, int]]:
    """Inflow, outflow and outflow to work per value of a client field (one query)."""
    inside = period.as_range()
    return grouped(
        Client.objects.filter(Q(registered_on__range=inside) | Q(deregistered_on__range=inside)),
        by,
        inflow=Count("pk", filter=Q(registered_on__range=inside)),
        outflow=Count("pk", filter=Q(deregistered_on__range=inside)),
        outflow_work=Count(
            "pk",
            filter=Q(
                deregistered_on__range=inside,
                deregistration_reason=DeregistrationReason.WORK,
            ),
        ),
    )


class FlowsKpi(Kpi[Flows]):
    key = "flows"
    title = gettext_lazy("Inflow and outflow")
    definition = gettext_lazy(
        "Clients who entered the caseload in the period, and those who left it, per reason for "
        "leaving."
    )

    def compute(self, period: Period) -> Flows:
        inflow = Client.objects.filter(registered_on__range=period.as_range()).count()
        leaving = Client.objects.filter(deregistered_on__range=period.as_range())
        by_reason = dict(
            leaving.values_list("deregistration_reason").annotate(n=Count("pk")).order_by()
        )
        return Flows(
            inflow=inflow,
            outflow=sum(by_reason.values()),
            outflow_by_reason={
                reason: by_reason.get(reason, 0) for reason in DeregistrationReason.values
            },
        )

    def rows(self, now: Flows, then: Flows, period: Period) -> list[Row]:
        return [
            Row(_("Inflow"), now.inflow, then.inflow),
            Row(_("Outflow"), now.outflow, then.outflow),
        ] + [
            Row(
                _("Outflow: %(reason)s") % {"reason": DeregistrationReason(reason).label},
                now.outflow_by_reason[reason],
                then.outflow_by_reason[reason],
            )
            for reason in DeregistrationReason.values
        ]

    def breakdowns(self, period: Period) -> list[Breakdown]:
        breakdowns = []
        for label, path, choices in (
            (_("Target group"), "target_group", TargetGroup),
            (_("Municipality"), "municipality__name", None),
        ):
            rows = [
                (
                    key_label(key, choices),
                    [counts[column] for column in ("inflow", "outflow", "outflow_work")],
                )
                for key, counts in flows_by(period, path).items()
            ]
            breakdowns.append(
                Breakdown(
                    _("Inflow and outflow, per %(dimension)s") % {"dimension": label.lower()},
                    _("Clients who entered or left the caseload in the period."),
                    label,
                    [(_("Inflow"), COUNT), (_("Outflow"), COUNT), (_("Outflow to work"), COUNT)],
                    sorted(rows, key=lambda row: row[0]),
                )
            )
        return breakdowns


KPI = FlowsKpi()
