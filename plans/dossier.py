"""The plan-of-approach panel of the client dossier: every version of each trajectory's plan,
which one is in force, what changed from the version before. Registered in PlansConfig.ready();
the versions come as JSON rows with the trajectories the trajectory panel loads
(trajectories.dossier.trajectories_of), shared with the timeline's entries of plans made and
signed (versions_of), and so does the open trajectory."""

from dataclasses import dataclass

from clients import dossier
from clients.models import Client
from plans.diff import PlanDiff, plan_diff
from plans.models import PlanVersion, in_force
from trajectories.dossier import trajectories_of, with_trajectory
from trajectories.models import Trajectory


@dataclass(frozen=True)
class VersionRow:
    version: PlanVersion
    state: str  # "in_force", "awaiting", "replaced", "unsigned_replaced"
    previous: PlanVersion | None
    diff: PlanDiff | None


@dataclass(frozen=True)
class TrajectoryPlan:
    trajectory: Trajectory
    rows: list[VersionRow]  # newest first
    in_force: PlanVersion | None


# Each trajectory's plan versions, with what PlanVersion.objects.for_panel() reads of them.
VERSIONS = dossier.JSONRows(
    "plan_versions", related=("document", "made_by", "signed_recorded_by"), order=("number",)
)
with_trajectory.append(VERSIONS)


def versions_of(client: Client) -> list[PlanVersion]:
    """Every plan version of the client's trajectories, oldest first per trajectory, the
    trajectories by start (as for_panel orders them); from the rows trajectories_of reads once
    per client object, so the panel and the timeline share them."""
    trajectories = sorted(trajectories_of(client), key=lambda t: (t.start_date, t.pk))
    return [version for t in trajectories for version in t.plan_versions.all()]


def plan_rows(versions: list[PlanVersion]) -> list[VersionRow]:
    """One trajectory's versions (oldest first) as the panel lists them, newest first."""
    current = in_force(versions)
    newest = versions[-1] if versions else None
    rows = []
    for index, version in enumerate(versions):
        previous = versions[index - 1] if index else None
        if version is current:
            state = "in_force"
        elif version is newest and not version.is_signed:
            state = "awaiting"
        else:
            state = "replaced" if version.is_signed else "unsigned_replaced"
        diff = plan_diff(previous.content, version.content) if previous else None
        rows.append(VersionRow(version, state, previous, diff))
    return rows[::-1]


@dossier.register(26)
def plans_panel(client: Client, user) -> dossier.Panel | None:
    if not user.has_perm("plans.view_planversion"):
        return None
    by_trajectory: dict[int, list[PlanVersion]] = {}
    for version in versions_of(client):
        by_trajectory.setdefault(version.trajectory_id, []).append(version)
    plans = [
        TrajectoryPlan(versions[0].trajectory, plan_rows(versions), in_force(versions))
        for versions in by_trajectory.values()
    ]
    plans.sort(key=lambda plan: (plan.trajectory.end_date is None, plan.trajectory.start_date))
    plans.reverse()  # the open trajectory first, then the newest ended one
    current = next((t for t in trajectories_of(client) if t.is_open), None)
    return dossier.Panel("plans/_dossier.html", {"plans": plans, "current": current})
