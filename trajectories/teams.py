"""The team view: per branch team its clients by route and status, its signals, its share to work.

Who sees what (core.roles, `trajectories.view_team_figures`):
- casework roles see the branch teams they are a coach of; client names only of clients they
  may open (Client.objects.for_user: their caseload and their teams' clients);
- a manager sees every branch team, as figures only: no names, no links to dossiers.
All figures are database aggregates.
"""

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from clients.models import Client
from trajectories.models import TO_WORK, BranchTeam, Outcome, Trajectory, share

OPEN = "open"


def sees_dossiers(user) -> bool:
    """Whether the user may see client names (and open dossiers) on the team view."""
    return user.has_perm("clients.view_client")


def teams_for(user) -> QuerySet[BranchTeam]:
    """The branch teams the user may see on the team view."""
    if not user.has_perm("trajectories.view_team_figures"):
        return BranchTeam.objects.none()
    if user.is_superuser or not sees_dossiers(user):
        return BranchTeam.objects.all()
    return BranchTeam.objects.filter(coaches=user)


def _work_counts(prefix: str = "") -> dict:
    ended = Q(**{f"{prefix}end_date__isnull": False})
    return {
        "open_count": Count(f"{prefix}pk", filter=Q(**{f"{prefix}end_date__isnull": True})),
        "ended_count": Count(f"{prefix}pk", filter=ended),
        "work_count": Count(f"{prefix}pk", filter=ended & Q(**{f"{prefix}outcome__in": TO_WORK})),
    }


def with_figures(teams: QuerySet[BranchTeam]) -> QuerySet[BranchTeam]:
    """Annotate open, ended and to-work trajectory counts: one query for any number of teams."""
    return teams.annotate(**_work_counts("trajectories__")).order_by("name")


@dataclass
class WorkShare:
    """Ended trajectories that reached work, out of all ended ones; shown with both counts."""

    work: int
    ended: int

    @property
    def rate(self) -> Fraction | None:
        return share(self.work, self.ended)


def work_share(team: BranchTeam) -> WorkShare:
    counts = Trajectory.objects.filter(branch_team=team).aggregate(**_work_counts())
    return WorkShare(work=counts["work_count"], ended=counts["ended_count"])


@dataclass
class RouteRow:
    route: str
    cells: list[int]  # number of clients per column, in the order of `columns`


@dataclass
class RouteTable:
    columns: list[tuple[str, str]]  # (status code, label): open first, then each outcome seen
    rows: list[RouteRow]


def clients_by_route_and_status(team: BranchTeam) -> RouteTable:
    """Distinct clients per route and status (open, or ended with each outcome), in one query.

    A client who ended one trajectory and started another in the same route counts once in each
    column, so a row is not summed into a total.
    """
    groups = (
        Trajectory.objects.filter(branch_team=team)
        .values("route__name", "outcome")
        .annotate(clients=Count("client", distinct=True))
        .order_by("route__name", "outcome")
    )
    counts: dict[str, dict[str, int]] = {}
    for group in groups:  # a handful of aggregated groups, laid out as a table
        status = group["outcome"] or OPEN
        counts.setdefault(group["route__name"], {})[status] = group["clients"]
    seen = {status for row in counts.values() for status in row}
    columns = [(OPEN, gettext("Open"))] + [
        (code, label) for code, label in Outcome.choices if code in seen
    ]
    rows = [
        RouteRow(route, [by_status.get(code, 0) for code, _label in columns])
        for route, by_status in counts.items()
    ]
    return RouteTable(columns, rows)


def signal_scope(team: BranchTeam, user) -> QuerySet[Client]:
    """The team's clients the signals concern: those with an open trajectory in the team.

    For a casework user, only the clients they may open, so the counts match the names shown.
    """
    clients = Client.objects.filter(
        trajectories__branch_team=team, trajectories__end_date__isnull=True
    )
    if sees_dossiers(user):
        clients = clients.filter(pk__in=Client.objects.for_user(user).values("pk"))
    return clients
