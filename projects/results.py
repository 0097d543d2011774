"""The figures of a project page: its funnel, its groups side by side, progress to the target.

Each is one aggregating query, however many trajectories or clients the project has. The
figures contain no names, so a manager sees the same page as a coach.
"""

import calendar
import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core import charts
from projects.models import MemberStatus, Project, ProjectMember, ProjectStage
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


# --- Members, work and the funnel per month -------------------------------------------------
#
# Definition of "to work" for a project (the project page, its list, the groups compared and
# the annual report all count this way; the project page says the same in words):
#   - who counts: every member admitted to the project, also one who left it later (the groups
#     are compared as they were formed: "intention to treat"); clients not admitted never do;
#   - their outcome: of their trajectories since the screening (started on or after it, or open
#     on it), the first that ended with work or work-and-learn; otherwise that of the latest
#     ("" while it runs, or when there is none), so reaching work is never undone;
#   - to work: that outcome is paid work or a work-and-learn place (trajectories.TO_WORK).
# So the share to work is at most 100%, and the progress to the goal is the comparison's total.

COUNTED = (MemberStatus.ADMITTED, MemberStatus.LEFT)


def member_outcome():
    """The outcome of a member (a ProjectMember row), as an expression. Of their trajectories
    since the screening (started on or after it, or still open on it): the first that ended
    with work or a work-and-learn place, so reaching work is never undone by a later
    trajectory; otherwise that of the latest; "" (still running) when it has not ended or when
    there is none."""
    since = Trajectory.objects.filter(client=OuterRef("client")).filter(
        Q(start_date__gte=OuterRef("screened_on"))
        | Q(end_date__isnull=True)
        | Q(end_date__gte=OuterRef("screened_on"))
    )
    worked = since.filter(outcome__in=TO_WORK).order_by("end_date", "pk").values("outcome")[:1]
    latest = since.order_by("-start_date", "-pk").values("outcome")[:1]
    return Coalesce(Subquery(worked), Subquery(latest), Value(""))


def counted_members(project_ref):
    """The members of the project `project_ref` (a pk or an OuterRef) who count."""
    return ProjectMember.objects.filter(project=project_ref, status__in=COUNTED)


def to_work_members(project_ref):
    """The counted members of `project_ref` whose outcome is work, by the definition above."""
    return (
        counted_members(project_ref)
        .alias(outcome_code=member_outcome())
        .filter(outcome_code__in=TO_WORK)
    )


def to_work_count(project: Project) -> int:
    """How many members of the project reached work, by the definition above (one query)."""
    return to_work_members(project.pk).count()


def _count_of(queryset) -> Subquery:
    """A correlated COUNT(*) of `queryset`, for an annotation."""
    return Coalesce(
        Subquery(queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]),
        0,
    )


def with_member_figures(projects):
    """Annotate each project with `n_members` (counted members) and `n_work` (members to
    work, by the definition above), in the list's one query."""
    return projects.annotate(
        n_members=_count_of(counted_members(OuterRef("pk"))),
        n_work=_count_of(to_work_members(OuterRef("pk"))),
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
    """Progress to a project's goal: members to work against the target (a number) and their
    share of the counted members against the target share (a percentage)."""

    members: int
    to_work: int
    target: int | None
    target_share: int | None

    @property
    def share(self) -> Fraction | None:
        """Share to work of the counted members (at most 1: to_work is a part of them)."""
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
    """Counted members and members to work (definition above) against the project's target
    and target share (one query)."""
    row = (
        counted_members(project.pk)
        .alias(outcome_code=member_outcome())
        .aggregate(members=Count("pk"), to_work=Count("pk", filter=Q(outcome_code__in=TO_WORK)))
    )
    return GoalProgress(
        members=row["members"],
        to_work=row["to_work"],
        target=project.target,
        target_share=project.target_share,
    )


def monthly_chart(project: Project, monthly: MonthlyFunnel, **size) -> str | None:
    """The funnel per month as a line chart (SVG, core.charts; `size`: its width or height),
    or None when there is nothing to draw. The project page and the annual report draw it."""
    if not monthly.rows or not monthly.stages:
        return None
    top = max(max(row.clients, default=0) for row in monthly.rows)
    title = _("Funnel of %(project)s per month: clients who reached each stage") % {
        "project": project.name
    }
    series = {
        stage: [(row.month, row.clients[i]) for row in monthly.rows]
        for i, stage in enumerate(monthly.stages)
    }
    return charts.line_chart(
        series, title=title, y_min=0, y_max=max(top, 1), y_step=max(1, -(-top // 5)), **size
    )
