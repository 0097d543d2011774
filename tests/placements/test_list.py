"""The placements list: running, ended or all, the latest start first, paged, in the user's
scope, with a number of queries that does not grow with the rows or the page (issue 16)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ClientFactory
from tests.placements.factories import PlacementFactory

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    return [row.record.employer.name for row in response.context["table"].paginated_rows]


@pytest.fixture
def placements(client_of_coach, other_team, assen):
    """Three running (started 10, 20 and 30 days ago), two ended, one still to start, and one
    of a client of another team."""
    today = timezone.localdate()
    days = datetime.timedelta

    def place(name, start, end=None, client=client_of_coach):
        PlacementFactory(
            client=client, employer__name=name, start_date=today - days(start), end_date=end
        )

    place("Loopt 10", 10)
    place("Loopt 20", 20)
    place("Loopt 30", 30, end=today)  # ends today: still running
    place("Gestopt 40", 40, end=today - days(1))
    place("Gestopt 50", 50, end=today - days(5))
    place("Straks", -7)
    place("Ander team", 5, client=ClientFactory(team=other_team, municipality=assen))


def test_the_placements_list_shows_running_ones_until_another_status_is_chosen(
    coach_client, placements, settings
):
    settings.CASELOAD_PAGE_SIZE = 2
    url = reverse("placements:list")
    first = coach_client.get(url)
    assert listed(first) == ["Loopt 10", "Loopt 20"]
    body = first.content.decode()
    assert 'aria-current="page" href="?status=running"' in body
    assert "Pagina 1 van 2" in body and 'href="?page=2"' in body
    assert listed(coach_client.get(url, {"page": 2})) == ["Loopt 30"]
    assert listed(coach_client.get(url, {"status": "ended"})) == ["Gestopt 40", "Gestopt 50"]
    every = coach_client.get(url, {"status": "all", "page": 3})
    assert every.context["table"].paginator.count == 6  # 3 running, 2 ended, 1 to start
    # Straks, Loopt 10 | Loopt 20, Loopt 30 | Gestopt 40, Gestopt 50
    assert listed(every) == ["Gestopt 40", "Gestopt 50"]
    assert 'href="?status=all&amp;page=2"' in every.content.decode()


@pytest.mark.parametrize("rows", [1, 8])
def test_a_later_page_of_all_placements_runs_a_constant_number_of_queries(
    coach_client, client_of_coach, rows, settings, django_assert_num_queries
):
    settings.CASELOAD_PAGE_SIZE = 2
    for i in range(rows):
        PlacementFactory(client=client_of_coach, start_date=datetime.date(2026, 1, 1 + i))
    # session, user, permissions (2), count, page (placements with client and employer),
    # the scope's team ids, and the idle-timeout renewal (savepoint, update, release)
    with django_assert_num_queries(9):
        response = coach_client.get(reverse("placements:list"), {"status": "all", "page": 2})
    assert len(listed(response)) == (2 if rows == 8 else 1)
