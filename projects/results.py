"""The figures of a project page: its funnel, its groups side by side, progress to the target.

Each is one aggregating query, however many trajectories or clients the project has. The
figures contain no names, so a manager sees the same page as a coach.
"""

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Q

from projects.models import Project, ProjectGroup, ProjectStage
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


def progress(project: Project, totals: GroupFigures) -> Progress:
    """Clients of the project who reached work, against its target."""
    return Progress(reached=totals.to_work, target=project.target)
