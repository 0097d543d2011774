"""The KPI definitions of spec/kpis.md: the one implementation behind every figure.

The command (`manage.py kpis`), the managers' dashboard, the xlsx and the annual PDF all call
`compute(period)`, so a figure can never differ between them. Every section is a handful of
aggregate queries, whatever the number of clients: the database counts, Python only divides.

Rates are computed exactly from integer counts (fractions, not binary floating point) and rounded
half away from zero, as the spec demands.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db.models import BigIntegerField, Case, Count, F, Q, Sum, When
from django.db.models.functions import Cast, ExtractMonth, ExtractYear, Round

from clients.models import (
    CONVERSATION_CHANNELS,
    Client,
    Contact,
    DeregistrationReason,
    TargetGroup,
    on_caseload,
)
from placements.models import (
    Decision,
    Placement,
    PlacementKind,
    Provision,
    ProvisionKind,
    WageValueAssessment,
)
from trajectories import deadline
from trajectories.models import Outcome, Route, Trajectory


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


# --- two_year_outflow ------------------------------------------------------------------------


def _grouped(queryset, by: str | None, **aggregates) -> dict[Any, dict[str, int]]:
    """The aggregates per value of `by` in one query; with `by` None, of everything, under None."""
    if by is None:
        return {None: queryset.aggregate(**aggregates)}
    rows = queryset.values(by).annotate(**aggregates).order_by(by)
    return {row.pop(by): row for row in rows}


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
    groups = _grouped(
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


def target_for(kpi: str, year: int) -> float | None:
    """The target a functional administrator set for this KPI and year, else the default."""
    from reporting.models import Target, TargetKpi

    value = Target.objects.filter(kpi=kpi, year=year).values_list("value", flat=True).first()
    if value is not None:
        return float(value)
    if kpi == TargetKpi.TWO_YEAR_OUTFLOW:
        return settings.KPI_TWO_YEAR_OUTFLOW_TARGET
    return None


def two_year_outflow(period: Period) -> dict[str, Any]:
    """Route werknemer trajectories whose deadline falls in the period: how many reached work."""
    counts = two_year_outflow_counts(period)[None]
    spec_order = ("cohort", "excluded", "denominator", "to_work", "rate")
    return {
        **{key: counts[key] for key in spec_order},
        "target": target_for("two_year_outflow", period.end.year),
    }


# --- contact_coverage ------------------------------------------------------------------------


def _coverage(population: int, contacted: int, talks: int) -> dict[str, Any]:
    return {
        "population": population,
        "contacted": contacted,
        "rate": rate(contacted, population),
        "conversations_per_contacted": rate(talks, contacted, places=2),
    }


def contact_coverage_counts(period: Period, by: str) -> dict[Any, tuple[int, int, int]]:
    """(population, contacted, conversations) per value of a client field, in two queries."""
    population = dict(
        Client.objects.active_on(period.end).values_list(by).annotate(n=Count("pk")).order_by()
    )
    conversations = {
        key: (contacted, talks)
        for key, contacted, talks in Contact.objects.filter(
            on_caseload(period.end, prefix="client__"),
            channel__in=CONVERSATION_CHANNELS,
            date__range=period.as_range(),
        )
        .values_list(f"client__{by}")
        .annotate(contacted=Count("client_id", distinct=True), talks=Count("pk"))
        .order_by()
    }
    return {key: (size, *conversations.get(key, (0, 0))) for key, size in population.items()}


def contact_coverage_by(period: Period, by: str) -> dict[Any, dict[str, Any]]:
    """Contact coverage per value of a client field (`target_group`, `municipality__name`)."""
    return {key: _coverage(*counts) for key, counts in contact_coverage_counts(period, by).items()}


def contact_coverage(period: Period) -> dict[str, Any]:
    """Per target group and for `all`: who on the last day had a conversation in the period."""
    groups = contact_coverage_counts(period, "target_group")
    totals = [sum(counts[i] for counts in groups.values()) for i in range(3)]
    result = {"all": _coverage(*totals)}
    for group in TargetGroup.values:
        result[group] = _coverage(*groups.get(group, (0, 0, 0)))
    return result


# --- status_holders --------------------------------------------------------------------------


def status_holders(period: Period) -> dict[str, Any]:
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
    return {
        "inflow": counts["inflow"],
        "active_at_end": counts["active_at_end"],
        "active_at_end_by_municipality": by_municipality,
        "outflow_education_or_work": counts["outflow"],
    }


# --- social_return, sheltered_work ----------------------------------------------------------


def _running_on(date: datetime.date) -> Q:
    """kpis.md "on date D" for a trajectory or placement: started, and not ended on or before."""
    return Q(start_date__lte=date) & (Q(end_date__isnull=True) | Q(end_date__gt=date))


def social_return(period: Period) -> dict[str, Any]:
    """Placements counting towards Social Return: started in the period, or still running."""
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
    return {
        "started": counts["started"],
        "continued": counts["continued"],
        "active": counts["started"] + counts["continued"],
        "active_service_area": counts["active_service_area"],
        "active_elsewhere": counts["active_elsewhere"],
    }


def sheltered_work(period: Period) -> dict[str, Any]:
    """Everyone ever placed in sheltered work up to the period's end, and who still is."""
    counts = Placement.objects.filter(
        kind=PlacementKind.SHELTERED_WORK, start_date__lte=period.end
    ).aggregate(placed=Count("pk"), still_employed=Count("pk", filter=_running_on(period.end)))
    return {
        "placed": counts["placed"],
        "still_employed": counts["still_employed"],
        "retention": rate(counts["still_employed"], counts["placed"]),
    }


# --- wage_value, provisions ------------------------------------------------------------------

# (band, lower bound inclusive, upper bound exclusive) of wage_value_percent
WAGE_VALUE_BANDS = (("lt40", None, 40), ("40_60", 40, 60), ("60_80", 60, 80), ("gte80", 80, None))


def _band(low: int | None, high: int | None) -> Q:
    condition = Q()
    if low is not None:
        condition &= Q(wage_value_percent__gte=low)
    if high is not None:
        condition &= Q(wage_value_percent__lt=high)
    return condition


def wage_value(period: Period) -> dict[str, Any]:
    """Assessments in the period: how many, their exact mean, and how they spread over bands."""
    # Summed in hundredths of a percent as integers: SQLite keeps decimals as binary floats, and
    # the spec wants the mean computed exactly.
    hundredths = Cast(Round(F("wage_value_percent") * 100), BigIntegerField())
    counts = WageValueAssessment.objects.filter(assessed_on__range=period.as_range()).aggregate(
        assessments=Count("pk"),
        total=Sum(hundredths),
        **{band: Count("pk", filter=_band(low, high)) for band, low, high in WAGE_VALUE_BANDS},
    )
    n = counts["assessments"]
    return {
        "assessments": n,
        "mean_percent": rounded(Fraction(counts["total"], 100 * n), 1) if n else None,
        "bands": {band: counts[band] for band, _, _ in WAGE_VALUE_BANDS},
    }


def provisions(period: Period) -> dict[str, Any]:
    """Per kind, the provisions granted in the period (the interchange's granted_on)."""
    granted = dict(
        Provision.objects.filter(decision=Decision.GRANTED, decided_on__range=period.as_range())
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {kind: granted.get(kind, 0) for kind in ProvisionKind.values}


# --- flows -----------------------------------------------------------------------------------


def flows_by(period: Period, by: str) -> dict[Any, dict[str, int]]:
    """Inflow, outflow and outflow to work per value of a client field (one query)."""
    inside = period.as_range()
    groups = _grouped(
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
    return groups


def trajectories_by_route(period: Period) -> dict[Any, dict[str, int]]:
    """Per route: trajectories started, ended, ended with work in the period, running at its end."""
    inside = period.as_range()
    return _grouped(
        Trajectory.objects.filter(start_date__lte=period.end).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=period.start)
        ),
        "route__name",
        started=Count("pk", filter=Q(start_date__range=inside)),
        ended=Count("pk", filter=Q(end_date__range=inside)),
        ended_work=Count("pk", filter=Q(end_date__range=inside, outcome=Outcome.WORK)),
        running_at_end=Count("pk", filter=_running_on(period.end)),
    )


def flows(period: Period) -> dict[str, Any]:
    inflow = Client.objects.filter(registered_on__range=period.as_range()).count()
    leaving = Client.objects.filter(deregistered_on__range=period.as_range())
    by_reason = dict(
        leaving.values_list("deregistration_reason").annotate(n=Count("pk")).order_by()
    )
    return {
        "inflow": inflow,
        "outflow": sum(by_reason.values()),
        "outflow_by_reason": {
            reason: by_reason.get(reason, 0) for reason in DeregistrationReason.values
        },
    }


# --- the document ----------------------------------------------------------------------------

Section = Callable[[Period], dict[str, Any]]

# In the order of spec/kpis.md.
SECTIONS: dict[str, Section] = {
    "two_year_outflow": two_year_outflow,
    "contact_coverage": contact_coverage,
    "status_holders": status_holders,
    "social_return": social_return,
    "sheltered_work": sheltered_work,
    "wage_value": wage_value,
    "provisions": provisions,
    "flows": flows,
}


def compute(period: Period) -> dict[str, Any]:
    """The whole document of `manage.py kpis` for one period."""
    document: dict[str, Any] = {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()}
    }
    for key, section in SECTIONS.items():
        document[key] = section(period)
    return document
