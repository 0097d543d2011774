"""two_year_outflow (kpis.md): route werknemer trajectories whose two-year deadline falls in the
period, and how many of them reached work within those two years."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, Q, When
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import TargetGroup
from core import charts
from reporting.models import TargetKpi
from reporting.units.base import Kpi, Period, Result, grouped, rate, running_on, target_for
from reporting.units.rows import COUNT, RATE, Breakdown, Curve, Row, key_label
from trajectories import deadline
from trajectories.models import Outcome, Route, Trajectory


@dataclass(frozen=True)
class TwoYearOutflow(Result):
    cohort: int
    excluded: int  # moved away or deceased within the two years
    denominator: int
    to_work: int
    rate: float | None
    target: float | None


def two_year_cohort(period: Period):
    """Route werknemer trajectories whose two-year deadline falls within the period."""
    return Trajectory.objects.filter(
        route__code=Route.EMPLOYEE,
        start_date__gte=deadline.earliest_start(period.start),
        start_date__lte=deadline.latest_start(period.end),
    )


def two_year_outflow_counts(period: Period, by: str | None = None) -> dict[Any, dict[str, int]]:
    """cohort, excluded, denominator, to_work of the route werknemer cohort (per `by` value)."""
    cohort = two_year_cohort(period).annotate(deadline=deadline.Deadline("start_date"))
    ended_in_time = Q(end_date__isnull=False, end_date__lte=F("deadline"))
    groups = grouped(
        cohort,
        by,
        cohort=Count("pk"),
        excluded=Count(
            "pk", filter=ended_in_time & Q(outcome__in=[Outcome.MOVED, Outcome.DECEASED])
        ),
        to_work=Count("pk", filter=ended_in_time & Q(outcome=Outcome.WORK)),
    )
    for counts in groups.values():
        counts["denominator"] = counts["cohort"] - counts["excluded"]
        counts["rate"] = rate(counts["to_work"], counts["denominator"])
    return groups


def months_to_reach(start: str, end: str):
    """SQL for the fewest whole months n with start + n months on or after end.

    A trajectory that ended with work at n or fewer months "was at work after n months"; at 24
    this is exactly "ended on or before its deadline", so the curve ends at the KPI's rate.
    """
    return (
        (ExtractYear(end) - ExtractYear(start)) * 12
        + ExtractMonth(end)
        - ExtractMonth(start)
        + Case(When(**{f"{end}__day__gt": F(f"{start}__day")}, then=1), default=0)
    )


def time_to_work(period: Period, denominator: int) -> list[tuple[int, float | None]]:
    """Share of the two-year cohort's `denominator` (two_year_outflow) at work after 0..24
    months (one query)."""
    reached = dict(
        two_year_cohort(period)
        .filter(outcome=Outcome.WORK, end_date__isnull=False)
        .annotate(months=months_to_reach("start_date", "end_date"))
        .filter(months__lte=24)
        .values_list("months")
        .annotate(n=Count("pk"))
        .order_by()
    )
    curve, at_work = [], 0
    for month in range(25):
        at_work += reached.get(month, 0)
        curve.append((month, rate(at_work, denominator)))
    return curve


def trajectories_by_route(period: Period) -> dict[Any, dict[str, int]]:
    """Per route: trajectories started, ended, ended with work in the period, running at its end."""
    inside = period.as_range()
    return grouped(
        Trajectory.objects.filter(start_date__lte=period.end).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=period.start)
        ),
        "route__name",
        started=Count("pk", filter=Q(start_date__range=inside)),
        ended=Count("pk", filter=Q(end_date__range=inside)),
        ended_work=Count("pk", filter=Q(end_date__range=inside, outcome=Outcome.WORK)),
        running_at_end=Count("pk", filter=running_on(period.end)),
    )


class TwoYearOutflowKpi(Kpi[TwoYearOutflow]):
    key = "two_year_outflow"
    title = gettext_lazy("Outflow to work within two years (route werknemer)")
    definition = gettext_lazy(
        "Of the clients on route werknemer whose two years ended in this period, the share "
        "that found paid work within those two years. Clients who moved away or died within "
        "the two years are not counted."
    )

    def compute(self, period: Period) -> TwoYearOutflow:
        counts = two_year_outflow_counts(period)[None]
        return TwoYearOutflow(
            cohort=counts["cohort"],
            excluded=counts["excluded"],
            denominator=counts["denominator"],
            to_work=counts["to_work"],
            rate=counts["rate"],
            target=target_for(TargetKpi.TWO_YEAR_OUTFLOW, period.end.year),
        )

    def rows(self, now: TwoYearOutflow, then: TwoYearOutflow, period: Period) -> list[Row]:
        return [
            Row(_("Clients whose two years ended"), now.cohort, then.cohort),
            Row(_("Moved away or deceased (not counted)"), now.excluded, then.excluded),
            Row(_("Counted"), now.denominator, then.denominator),
            Row(_("Found work within two years"), now.to_work, then.to_work),
            Row(_("Share to work"), now.rate, then.rate, RATE, now.target, headline=True),
        ]

    def provisional(self, period: Period, today: datetime.date) -> bool:
        # Trajectories whose deadline is still ahead can yet reach work: not final.
        return period.end >= today

    def curve(self, period: Period, now: TwoYearOutflow) -> Curve:
        points = time_to_work(period, now.denominator)
        return Curve(
            title=_("Time to work"),
            definition=_(
                "Of the counted clients on route werknemer whose two years ended in this "
                "period, the share that had found paid work after each number of months. After "
                "24 months the curve reaches the share to work above."
            ),
            points=points,
            chart=charts.curve_chart(
                [(month, share) for month, share in points if share is not None],
                title=_("Share of the cohort at work, by months after the start"),
                x_label=_("months after the start of the trajectory"),
                target=now.target,
            ),
        )

    def breakdowns(self, period: Period) -> list[Breakdown]:
        columns = [
            (_("Two years ended"), COUNT),
            (_("Counted"), COUNT),
            (_("To work"), COUNT),
            (_("Share to work"), RATE),
        ]
        breakdowns = []
        for label, path, choices in (
            (_("Branch team"), "branch_team__name", None),
            (_("Target group"), "client__target_group", TargetGroup),
            (_("Municipality"), "client__municipality__name", None),
        ):
            breakdowns.append(
                Breakdown(
                    _("Outflow to work within two years, per %(dimension)s")
                    % {"dimension": label.lower()},
                    _("As the total: route werknemer, two years ended in the period."),
                    label,
                    columns,
                    [
                        (
                            key_label(key, choices),
                            [
                                counts[column]
                                for column in ("cohort", "denominator", "to_work", "rate")
                            ],
                        )
                        for key, counts in two_year_outflow_counts(period, by=path).items()
                    ],
                )
            )
        breakdowns.append(
            Breakdown(
                _("Trajectories per route"),
                _(
                    "Trajectories started and ended in the period, of which ended with paid "
                    "work, and those still running on its last day."
                ),
                _("Route"),
                [
                    (_("Started"), COUNT),
                    (_("Ended"), COUNT),
                    (_("Ended with work"), COUNT),
                    (_("Running at the end"), COUNT),
                ],
                [
                    (
                        key_label(key),
                        [
                            counts[column]
                            for column in ("started", "ended", "ended_work", "running_at_end")
                        ],
                    )
                    for key, counts in trajectories_by_route(period).items()
                ],
            )
        )
        return breakdowns


KPI = TwoYearOutflowKpi()
