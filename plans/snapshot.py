"""What a plan version prints, taken from the trajectory at the moment the version is made.

The snapshot is plain JSON (dates as ISO text) so a version reads the same however the
trajectory, its goals or the reference lists change afterwards. Goals and activities carry
their id, so two versions' snapshots can be compared item by item (plans.diff).
"""

import datetime

from trajectories.models import Trajectory

# The snapshot's shape; a later change of shape bumps it, and readers keep reading older ones.
SHAPE = 1


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def take(
    *, trajectory: Trajectory, agreements: str, review_on: datetime.date, made_on: datetime.date
) -> dict:
    """The snapshot of `trajectory` as its plan prints it today, with the coach's agreements.
    Reads the goals and activities afresh (two queries), never from a cache."""
    client = trajectory.client
    coach = trajectory.coach or client.coach
    return {
        "shape": SHAPE,
        "client": {"name": client.full_name, "first_name": client.first_name},
        "coach": _name(coach),
        "coach_email": coach.email if coach is not None else "",
        "route": {"code": trajectory.route.code, "name": trajectory.route.name},
        "branch_team": trajectory.branch_team.name if trajectory.branch_team else "",
        "start_date": _iso(trajectory.start_date),
        "goals": [
            {
                "id": goal.pk,
                "description": goal.description,
                "status": goal.status,
                "target_date": _iso(goal.target_date),
            }
            for goal in trajectory.goals.order_by("target_date", "pk")
        ],
        "activities": [
            {
                "id": activity.pk,
                "kind": activity.kind.name,
                "provider": activity.provider,
                "start_date": _iso(activity.start_date),
                "end_date": _iso(activity.end_date),
                "status": activity.status,
            }
            for activity in trajectory.activities.select_related("kind").order_by(
                "start_date", "pk"
            )
        ],
        "agreements": agreements,
        "review_on": _iso(review_on),
        "made_on": _iso(made_on),
    }


def day(value: str | None) -> datetime.date | None:
    """An ISO date of a snapshot as a date (None stays None)."""
    return datetime.date.fromisoformat(value) if value else None
