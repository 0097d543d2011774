"""Timeline entries of trajectories: start, end, activities and skill evaluations.

Registered with clients.timeline when TrajectoriesConfig.ready() imports this module; four
queries however many there are. Activities and evaluations have no creation time of their own:
they sort after their trajectory's start on the same day.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Prefetch

from clients.models import Client
from clients.timeline import Entry, register
from trajectories.models import Activity, SkillEvaluation, SkillScore, Trajectory

_AFTER_START = datetime.timedelta(seconds=1)


@register
def trajectories(client: Client) -> Iterable[Entry]:
    for trajectory in Trajectory.objects.filter(client=client).select_related(
        "route", "branch_team", "coach"
    ):
        yield Entry(
            trajectory.start_date,
            trajectory.created_at,
            "trajectory",
            "trajectories/timeline/_start.html",
            trajectory,
        )
        if trajectory.end_date:
            yield Entry(
                trajectory.end_date,
                trajectory.updated_at,
                "trajectory-end",
                "trajectories/timeline/_end.html",
                trajectory,
            )


@register
def activities(client: Client) -> Iterable[Entry]:
    for activity in Activity.objects.filter(trajectory__client=client).select_related(
        "kind", "trajectory"
    ):
        yield Entry(
            activity.start_date,
            activity.trajectory.created_at + _AFTER_START,
            "activity",
            "trajectories/timeline/_activity.html",
            activity,
        )


@register
def evaluations(client: Client) -> Iterable[Entry]:
    queryset = (
        SkillEvaluation.objects.filter(activity__trajectory__client=client)
        .select_related("activity__kind", "activity__trajectory", "evaluator")
        .prefetch_related(Prefetch("scores", queryset=SkillScore.objects.order_by("pk")))
    )
    for evaluation in queryset:
        yield Entry(
            evaluation.evaluated_on,
            evaluation.activity.trajectory.created_at + 2 * _AFTER_START,
            "evaluation",
            "trajectories/timeline/_evaluation.html",
            evaluation,
        )
