"""social_return (kpis.md): placements counting towards Social Return, started in the period or
still running, split by where the client lives."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from placements.models import Placement
from reporting.units.base import Kpi, Period, Result
from reporting.units.rows import Row


@dataclass(frozen=True)
class SocialReturn(Result):
    started: int
    continued: int
    active: int
    active_service_area: int
    active_elsewhere: int


class SocialReturnKpi(Kpi[SocialReturn]):
    key = "social_return"
    title = gettext_lazy("Social Return placements")
    definition = gettext_lazy(
        "Placements that count towards an employer's Social Return obligation: those that "
        "started in the period, and those from earlier that were still running, split by "
        "where the client lives."
    )

    def compute(self, period: Period) -> SocialReturn:
        started = Q(start_date__range=period.as_range())
        continued = Q(start_date__lt=period.start) & (
            Q(end_date__isnull=True) | Q(end_date__gte=period.start)
        )
        active = started | continued
        in_area = Q(client__municipality__in_service_area=True)
        counts = Placement.objects.filter(sroi=True).aggregate(
            started=Count("pk", filter=started),
            continued=Count("pk", filter=continued),
            active_service_area=Count("pk", filter=active & in_area),
            active_elsewhere=Count("pk", filter=active & ~in_area),
        )
        return SocialReturn(
            started=counts["started"],
            continued=counts["continued"],
            active=counts["started"] + counts["continued"],
            active_service_area=counts["active_service_area"],
            active_elsewhere=counts["active_elsewhere"],
        )

    def rows(self, now: SocialReturn, then: SocialReturn, period: Period) -> list[Row]:
        return [
            Row(_("Started in the period"), now.started, then.started),
            Row(_("Continued from earlier"), now.continued, then.continued),
            Row(_("Active"), now.active, then.active),
            Row(
                _("Active, client from the service area"),
                now.active_service_area,
                then.active_service_area,
            ),
            Row(_("Active, client from elsewhere"), now.active_elsewhere, then.active_elsewhere),
        ]


KPI = SocialReturnKpi()
