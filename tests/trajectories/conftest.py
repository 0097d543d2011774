import datetime

import pytest

from trajectories import reference
from trajectories.models import ActivityKind, BranchTeam, Route


@pytest.fixture
def reference_lists(db):
    reference.load()


@pytest.fixture
def employee_route(reference_lists):
    return Route.objects.get(code="employee")


@pytest.fixture
def hodezo(reference_lists):
    return BranchTeam.objects.get(code="hodezo")


@pytest.fixture
def wop(reference_lists):
    return ActivityKind.objects.get(code="work_experience")


@pytest.fixture
def language_course(reference_lists):
    return ActivityKind.objects.get(code="language_course")


@pytest.fixture
def open_trajectory(coach, client_of_coach, employee_route, hodezo):
    from trajectories import services

    return services.trajectory_start(
        actor=coach,
        client=client_of_coach,
        route=employee_route,
        branch_team=hodezo,
        start_date=datetime.date(2026, 1, 5),
    )
