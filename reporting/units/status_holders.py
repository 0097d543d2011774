"""status_holders (kpis.md): refugees with a residence permit, in, under guidance and out."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client, DeregistrationReason, TargetGroup, on_caseload
from reporting.units.base import Kpi, Period, Result
from reporting.units.rows import Row


@dataclass(frozen=True)
class StatusHolders(Result):
    inflow: int
    active_at_end: int
    active_at_end_by_municipality: dict[str, int]  # every municipality with one or more
    outflow_education_or_work: int


class StatusHoldersKpi(Kpi[StatusHolders]):
    key = "status_holders"
    title = gettext_lazy("Status holders")
    definition = gettext_lazy(
        "Refugees with a residence permit: how many came in during the period, how many were "
        "under guidance on its last day, and how many left for education or work."
    )

    def compute(self, period: Period) -> StatusHolders:
        holders = Client.objects.filter(target_group=TargetGroup.STATUS_HOLDER)
        counts = holders.aggregate(
            inflow=Count("pk", filter=Q(registered_on__range=period.as_range())),
            active_at_end=Count("pk", filter=on_caseload(period.end)),
            outflow=Count(
                "pk",
                filter=Q(
                    deregistered_on__range=period.as_range(),
                    deregistration_reason__in=[
                        DeregistrationReason.WORK,
                        DeregistrationReason.EDUCATION,
                    ],
                ),
            ),
        )
        by_municipality = dict(
            holders.active_on(period.end)
            .values_list("municipality__name")
            .annotate(n=Count("pk"))
            .order_by("municipality__name")
        )
        return StatusHolders(
            inflow=counts["inflow"],
            active_at_end=counts["active_at_end"],
            active_at_end_by_municipality=by_municipality,
            outflow_education_or_work=counts["outflow"],
        )

    def rows(self, now: StatusHolders, then: StatusHolders, period: Period) -> list[Row]:
        return [
            Row(_("Inflow"), now.inflow, then.inflow),
            Row(_("Under guidance at the end"), now.active_at_end, then.active_at_end),
            Row(
                _("Left for education or work"),
                now.outflow_education_or_work,
                then.outflow_education_or_work,
            ),
        ] + [
            Row(
                _("Under guidance at the end: %(municipality)s") % {"municipality": name},
                count,
                then.active_at_end_by_municipality.get(name, 0),
            )
            for name, count in now.active_at_end_by_municipality.items()
        ]


KPI = StatusHoldersKpi()
