"""The yearly overview per school: pupils, advices per kind, and where the pupils went.

Every figure is counted by the database in a fixed number of queries (two for the figures,
one for the pupils' names), however many pupils there are. "Where they went" is the leaver's
client as it stands today: not a client; a client deregistered (with the reason); placed (a
placement running today); in a trajectory (the route of the open one); or a client without a
trajectory yet. The first that holds counts, in that order.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from clients.models import DeregistrationReason
from placements.models import Placement
from schools.models import Advice, Leaver, School
from trajectories.models import Trajectory

NOT_CLIENT = "not_client"
DEREGISTERED = "deregistered"
PLACED = "placed"
TRAJECTORY = "trajectory"
REGISTERED = "registered"
DESTINATIONS = [
    (TRAJECTORY, _("In a trajectory")),
    (PLACED, _("Placed")),
    (REGISTERED, _("Client, no trajectory yet")),
    (DEREGISTERED, _("Deregistered")),
    (NOT_CLIENT, _("Not a client")),
]


def with_destination(leavers, today: datetime.date):
    """Annotate `destination` (one of DESTINATIONS), `trajectory_route` (the name of the open
    trajectory's route) and `placed` on each leaver, in the same query."""
    running = Placement.objects.filter(client=OuterRef("client_id"), start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    open_trajectory = Trajectory.objects.filter(
        client=OuterRef("client_id"), end_date__isnull=True
    ).order_by("-start_date", "-pk")
    return leavers.annotate(
        placed=Exists(running),
        trajectory_route=Subquery(open_trajectory.values("route__name")[:1]),
        destination=Case(
            When(client__isnull=True, then=Value(NOT_CLIENT)),
            When(client__deregistered_on__lte=today, then=Value(DEREGISTERED)),
            When(placed=True, then=Value(PLACED)),
            When(trajectory_route__isnull=False, then=Value(TRAJECTORY)),
            default=Value(REGISTERED),
            output_field=CharField(),
        ),
    )


@dataclass
class SchoolFigures:
    """One school's leavers of one year, counted."""

    school: School | None  # None: the total of all schools
    pupils: int = 0
    without_advice: int = 0
    advices: dict[str, int] = field(default_factory=dict)  # Advice value -> pupils
    destinations: dict[str, int] = field(default_factory=dict)  # DESTINATIONS code -> pupils
    routes: dict[str, int] = field(default_factory=dict)  # route name -> pupils in a trajectory
    reasons: dict[str, int] = field(default_factory=dict)  # reason label -> deregistered

    def add(self, other: "SchoolFigures") -> None:
        self.pupils += other.pupils
        self.without_advice += other.without_advice
        for mine, theirs in (
            (self.advices, other.advices),
            (self.destinations, other.destinations),
            (self.routes, other.routes),
            (self.reasons, other.reasons),
        ):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n

    @property
    def advice_rows(self) -> list[tuple[str, int]]:
        return [(label, self.advices.get(value, 0)) for value, label in Advice.choices]

    @property
    def destination_rows(self) -> list[tuple[str, str, int]]:
        return [(code, label, self.destinations.get(code, 0)) for code, label in DESTINATIONS]


@dataclass
class YearOverview:
    year: int
    schools: list[SchoolFigures]
    total: SchoolFigures


def year_overview(*, year: int, today: datetime.date) -> YearOverview:
    """The figures of every school for the leavers of `year`: active schools and any school
    with leavers that year, by name, and their total."""
    leavers = Leaver.objects.filter(school_year=year)
    advice_counts = {
        f"advice_{value}": Count("pk", filter=Q(conversation__advice=value))
        for value in Advice.values
    }
    per_school = {
        row["school"]: row
        for row in leavers.values("school")
        .annotate(
            pupils=Count("pk"),
            without_advice=Count("pk", filter=Q(conversation__isnull=True)),
            **advice_counts,
        )
        .order_by()
    }
    destinations = (
        with_destination(leavers, today)
        .values("school", "destination", "trajectory_route", "client__deregistration_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    schools = School.objects.filter(Q(active=True) | Q(pk__in=list(per_school))).select_related(
        "municipality"
    )
    figures = {school.pk: SchoolFigures(school) for school in schools}
    reasons = dict(DeregistrationReason.choices)
    for pk, row in per_school.items():
        figure = figures[pk]
        figure.pupils = row["pupils"]
        figure.without_advice = row["without_advice"]
        figure.advices = {value: row[f"advice_{value}"] for value in Advice.values}
    for row in destinations:
        figure, n = figures[row["school"]], row["n"]
        destination = row["destination"]
        figure.destinations[destination] = figure.destinations.get(destination, 0) + n
        if destination == TRAJECTORY:
            route = row["trajectory_route"]
            figure.routes[route] = figure.routes.get(route, 0) + n
        elif destination == DEREGISTERED:
            reason = str(reasons.get(row["client__deregistration_reason"], _("Other")))
            figure.reasons[reason] = figure.reasons.get(reason, 0) + n
    total = SchoolFigures(None)
    for figure in figures.values():
        total.add(figure)
    return YearOverview(year=year, schools=list(figures.values()), total=total)


def year_pupils(*, year: int, today: datetime.date):
    """The leavers of `year` with their school, advice, client and destination, in one query
    (for those who may see names)."""
    return (
        with_destination(Leaver.objects.filter(school_year=year), today)
        .select_related("school", "conversation", "client")
        .order_by("school__name", "last_name", "first_name", "pk")
    )


def years_with_leavers() -> list[int]:
    """The years that have leavers, newest first (the year selector's choices)."""
    return list(
        Leaver.objects.order_by("-school_year").values_list("school_year", flat=True).distinct()
    )
