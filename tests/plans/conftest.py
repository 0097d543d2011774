import datetime

import pytest
from django.utils import timezone

from trajectories import reference
from trajectories import services as trajectory_services
from trajectories.models import ActivityKind, Route


@pytest.fixture
def trajectory(coach, client_of_coach):
    """Fatima El Amrani on route werknemer with one goal and one activity."""
    reference.load()
    trajectory = trajectory_services.trajectory_start(
        actor=coach,
        client=client_of_coach,
        route=Route.objects.get(code="employee"),
        start_date=datetime.date(2026, 2, 2),
    )
    trajectory_services.goal_add(
        actor=coach,
        trajectory=trajectory,
        description="Een baan in de zorg vinden",
        target_date=datetime.date(2027, 3, 3),
    )
    trajectory_services.activity_add(
        actor=coach,
        trajectory=trajectory,
        kind=ActivityKind.objects.get(code="work_experience"),
        provider="Zorgcentrum De Linde",
        start_date=datetime.date(2026, 3, 2),
    )
    return trajectory


@pytest.fixture
def review_on():
    return timezone.localdate() + datetime.timedelta(days=90)


@pytest.fixture
def make_version(coach, trajectory, review_on):
    from plans import services

    def make(agreements="U komt elke twee weken op gesprek.", **fields):
        return services.plan_version_make(
            actor=fields.pop("actor", coach),
            trajectory=fields.pop("trajectory", trajectory),
            agreements=agreements,
            review_on=fields.pop("review_on", review_on),
            **fields,
        )

    return make
