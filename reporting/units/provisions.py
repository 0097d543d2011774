"""provisions (kpis.md): per kind, the provisions granted in the period."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy

from placements.models import Decision, Provision, ProvisionKind
from reporting.units.base import Kpi, Period, Result
from reporting.units.rows import Row


@dataclass(frozen=True)
class Provisions(Result):
    granted: dict[str, int]  # every ProvisionKind, in its order, 0 where none

    def as_json(self) -> dict[str, Any]:
        return dict(self.granted)


class ProvisionsKpi(Kpi[Provisions]):
    key = "provisions"
    title = gettext_lazy("Provisions granted")
    definition = gettext_lazy(
        "Provisions granted in the period (by the date of the decision), per kind."
    )

    def compute(self, period: Period) -> Provisions:
        """By the date of the decision: the interchange's granted_on."""
        granted = dict(
            Provision.objects.filter(decision=Decision.GRANTED, decided_on__range=period.as_range())
            .values_list("kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return Provisions({kind: granted.get(kind, 0) for kind in ProvisionKind.values})

    def rows(self, now: Provisions, then: Provisions, period: Period) -> list[Row]:
        return [
            Row(ProvisionKind(kind).label, now.granted[kind], then.granted[kind])
            for kind in ProvisionKind.values
        ]


KPI = ProvisionsKpi()
