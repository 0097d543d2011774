"""The figures of a project page: its funnel, its groups side by side, progress to the target.

Each is one aggregating query, however many trajectories or clients the project has. The
figures contain no names, so a manager sees the same page as a coach.
"""

import calendar
import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Exists, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from clients.models import Client
from projects.models import MemberStatus, Project, ProjectGroup, ProjectMember, ProjectStage
from trajectories.models import TO_WORK, Trajectory, share


@dataclass(frozen=True)
class StageCount:
    name: str
    clients: int


def funnel(project: Project) -> list[StageCount]:
    """Per stage, in order, how many clients reached it (one query)."""
    stages = (
        ProjectStage.objects.filter(project=project)
        .annotate(clients=Count("reached__client", distinct=True))
        .order_by("position")
        .values_list("name", "clients")
    )
    return [StageCount(name, clients) for name, clients in stages]


@dataclass(frozen=True)
class GroupFigures:
    name: str
    trajectories: int
    ended: int
    to_work: int

    @property
    def open(self) -> int:
        return self.trajectories - self.ended

    @property
    def work_share(self) -> Fraction | None:
        """Share to work of all the group's trajectories (shown with the group size)."""
        return share(self.to_work, self.trajectories)


def _counts(prefix: str = "") -> dict:
    return {
        "n_trajectories": Count(f"{prefix}pk"),
        "n_ended": Count(f"{prefix}pk", filter=Q(**{f"{prefix}end_date__isnull": False})),
        "n_work": Count(f"{prefix}pk", filter=Q(**{f"{prefix}outcome__in": TO_WORK})),
    }


def group_comparison(project: Project) -> list[GroupFigures]:
    """Per group of the project: trajectories, ended, reached work (one query)."""
    rows = (
        ProjectGroup.objects.filter(project=project)
        .annotate(**_counts("trajectories__"))
        .order_by("name")
        .values_list("name", "n_trajectories", "n_ended", "n_work")
    )
    return [GroupFigures(*row) for row in rows]


def project_totals(project: Project) -> GroupFigures:
    """All trajectories of the project, with or without a group (one query)."""
    totals = Trajectory.objects.filter(project=project).aggregate(**_counts())
    return GroupFigures(
        name="", trajectories=totals["n_trajectories"], ended=totals["n_ended"],
        to_work=totals["n_work"],
    )  # fmt: skip


@dataclass(frozen=True)
class Progress:
    reached: int
    target: int | None

    @property
    def share(self) -> Fraction | None:
        return share(self.reached, self.target or 0)

    @property
    def bar_value(self) -> int:
        """The value of a <progress> bar: never beyond the target."""
        return min(self.reached, self.target or 0)


def progress(project: Project, totals: GroupFigures | None = None) -> Progress:
    """Clients of the project who reached work (`to_work_clients`), against its target.

    `totals` is no longer read; it stays so earlier callers keep working."""
    return Progress(reached=to_work_count(project), target=project.target)


# --- Members, work and the funnel per month -------------------------------------------------
#
# Definition of "to work" for a project (the project page says the same in words): a client
# counts once when either
#   - they are an admitted member whose trajectory ended with work (trajectories.TO_WORK: paid
#     work or a work-and-learn place) on or after the day they were screened, or
#   - a trajectory of theirs that names the project ended with work (how projects were
#     followed before they had members).


def _to_work_client_ids(project_ref):
    """The ids of the clients who count as to work for the project `project_ref` (a pk or an
    OuterRef), as a subquery."""
    member_work = ProjectMember.objects.filter(
        project=project_ref,
        status=MemberStatus.ADMITTED,
    ).filter(
        Exists(
            Trajectory.objects.filter(
                client=OuterRef("client"),
                outcome__in=TO_WORK,
                end_date__gte=OuterRef("screened_on"),
            )
        )
    )
    named = Trajectory.objects.filter(project=project_ref, outcome__in=TO_WORK)
    return Client.objects.filter(
        Q(pk__in=member_work.values("client")) | Q(pk__in=named.values("client"))
    )


def to_work_count(project: Project) -> int:
    """How many clients of the project reached work, by the definition above (one query)."""
    return _to_work_client_ids(project.pk).count()


def _count_of(queryset) -> Subquery:
    """A correlated COUNT(*) of `queryset`, for an annotation."""
    return Coalesce(
        Subquery(queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]),
        0,
    )


def with_member_figures(projects):
    """Annotate each project with `n_members` (admitted members) and `n_work` (clients to work,
    by the definition above), in the list's one query."""
    return projects.annotate(
        n_members=Count("members", filter=Q(members__status=MemberStatus.ADMITTED), distinct=True),
        n_work=_count_of(_to_work_client_ids(OuterRef(OuterRef("pk")))),
    )


def current_stages(project: Project) -> list[StageCount]:
    """Per stage, in order, how many members (not left) are in it now (one query)."""
    stages = (
        ProjectStage.objects.filter(project=project)
        .annotate(
            clients=Count(
                "members_now", filter=~Q(members_now__status=MemberStatus.LEFT), distinct=True
            )
        )
        .order_by("position")
        .values_list("name", "clients")
    )
    return [StageCount(name, clients) for name, clients in stages]


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def project_months(project: Project, today: datetime.date, cap: int = 24) -> list[datetime.date]:
    """The first days of the months of the project's period up to `today` (or its close), the
    last `cap` of them; no start date: the last twelve months."""
    last = min(d for d in (today, project.end_date, project.closed_on) if d is not None)
    first = project.start_date or _add_months(last.replace(day=1), -11)
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = _add_months(month, 1)
    return months[-cap:]


def _add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class MonthRow:
    """Per month (its first day), how many clients had reached each stage by its last day,
    in the order of `stages` of `MonthlyFunnel`."""

    month: datetime.date
    clients: tuple[int, ...]


@dataclass(frozen=True)
class MonthlyFunnel:
    stages: tuple[str, ...]
    rows: tuple[MonthRow, ...]


def monthly_funnel(project: Project, months: list[datetime.date]) -> MonthlyFunnel:
    """For each month (given by its first day), how many clients had reached each stage of the
    project's funnel by the end of that month (results up to February), counted from the
    stages reached (StageReached), a corrected-away stage no longer counting. One aggregating
    query, however many months, stages or clients."""
    keys = {f"m{i}": month_end(month) for i, month in enumerate(months)}
    stages = list(
        ProjectStage.objects.filter(project=project)
        .annotate(
            **{
                key: Count("reached__client", filter=Q(reached__reached_on__lte=end), distinct=True)
                for key, end in keys.items()
            }
        )
        .order_by("position")
        .values_list("name", *keys)
    )
    return MonthlyFunnel(
        stages=tuple(row[0] for row in stages),
        rows=tuple(
            MonthRow(month, tuple(row[i + 1] for row in stages)) for i, month in enumerate(months)
        ),
    )


@dataclass(frozen=True)
class GoalProgress:
    """Progress to a project's goal: clients to work against the target (a number) and the
    share of the admitted members against the target share (a percentage)."""

    members: int
    to_work: int
    target: int | None
    target_share: int | None

    @property
    def share(self) -> Fraction | None:
        """Share to work of the admitted members."""
        return share(self.to_work, self.members)

    @property
    def target_fraction(self) -> Fraction | None:
        return Fraction(self.target_share, 100) if self.target_share is not None else None

    @property
    def of_target(self) -> Fraction | None:
        return share(self.to_work, self.target or 0)

    @property
    def bar_value(self) -> int:
        return min(self.to_work, self.target or 0)


def goal_progress(project: Project) -> GoalProgress:
    """Admitted members and clients to work (definition above) against the project's target
    and target share (one query)."""
    row = (
        Project.objects.filter(pk=project.pk)
        .annotate(
            n_members=Count(
                "members", filter=Q(members__status=MemberStatus.ADMITTED), distinct=True
            ),
            n_work=_count_of(_to_work_client_ids(OuterRef(OuterRef("pk")))),
        )
        .values_list("n_members", "n_work")
        .get()
    )
    return GoalProgress(
        members=row[0], to_work=row[1], target=project.target, target_share=project.target_share
    )
