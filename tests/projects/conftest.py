import pytest

from trajectories import reference
from trajectories.models import Route


@pytest.fixture
def employee_route(db):
    reference.load()
    return Route.objects.get(code=Route.EMPLOYEE)
