"""Timeline entries of trajectories: start, end, activities and skill evaluations.

Registered with clients.timeline when TrajectoriesConfig.ready() imports this module. They come
from the rows the dossier's trajectory panel loads (trajectories.dossier.trajectories_of), so
the dossier asks for them once. Activities and evaluations have no creation time of their own:
they sort after their trajectory's start on the same day.
"""

import datetime
from collections.abc import Iterable

from clients.models import Client
from clients.timeline import Entry, register
from trajectories.dossier import trajectories_of

_AFTER_START = datetime.timedelta(seconds=1)


@register
def trajectories(client: Client) -> Iterable[Entry]:
    for trajectory in trajectories_of(client):
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
    for trajectory in trajectories_of(client):
        for activity in trajectory.activities.all():
            yield Entry(
                activity.start_date,
                trajectory.created_at + _AFTER_START,
                "activity",
                "trajectories/timeline/_activity.html",
                activity,
            )


@register
def evaluations(client: Client) -> Iterable[Entry]:
    for trajectory in trajectories_of(client):
        for activity in trajectory.activities.all():
            for evaluation in activity.evaluations.all():
                yield Entry(
                    evaluation.evaluated_on,
                    trajectory.created_at + 2 * _AFTER_START,
                    "evaluation",
                    "trajectories/timeline/_evaluation.html",
                    evaluation,
                )
