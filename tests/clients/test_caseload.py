"""The caseload keeps "Mijn caseload" (own coach, active) across its pages and sorted views."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.filters import coaches_of_teams
from core.models import User
from tests.factories import ClientFactory, ContactFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE_SIZE = 10


@pytest.fixture
def caseloads(settings, coach, team, make_user):
    """The coach: 23 active clients and 4 who left; a colleague in the same team: 12 active."""
    settings.CASELOAD_PAGE_SIZE = PAGE_SIZE
    colleague = make_user("collega", "work_coach", teams=[team])
    mine = ClientFactory.create_batch(23, coach=coach, team=team)
    ClientFactory.create_batch(
        4,
        coach=coach,
        team=team,
        deregistered_on=datetime.date(2025, 6, 1),
        deregistration_reason="work",
    )
    ClientFactory.create_batch(12, coach=colleague, team=team)
    return mine


def shown(response) -> list:
    return list(response.context["table"].page.object_list.data)


def test_next_page_of_my_caseload_still_shows_only_my_active_clients(coach_client, caseloads):
    response = coach_client.get(reverse("clients:list"), {"page": 2})
    assert response.context["own_caseload"] is True
    # 23 of mine at 10 a page: 10, 10, 3.
    assert response.context["table"].paginator.count == 23
    assert len(shown(response)) == 10
    assert set(shown(response)) <= set(caseloads)
    last = coach_client.get(reverse("clients:list"), {"page": 3})
    assert len(shown(last)) == 3
    assert set(shown(last)) <= set(caseloads)
    assert "Mijn caseload" in response.content.decode()


@pytest.mark.parametrize("sort", ["name", "-name", "birth_date", "coach", "-last_contact_on"])
def test_sorting_my_caseload_keeps_it_mine(coach_client, caseloads, sort):
    response = coach_client.get(reverse("clients:list"), {"sort": sort})
    assert response.context["own_caseload"] is True
    assert response.context["table"].paginator.count == 23
    assert set(shown(response)) <= set(caseloads)
    second = coach_client.get(reverse("clients:list"), {"sort": sort, "page": 3})
    assert len(shown(second)) == 3
    assert set(shown(second)) <= set(caseloads)


def test_sorted_second_page_has_the_rest_of_my_clients_in_order(coach_client, caseloads):
    pages = [
        shown(coach_client.get(reverse("clients:list"), {"sort": "name", "page": page}))
        for page in (1, 2, 3)
    ]
    listed = [c for page in pages for c in page]
    assert sorted(listed, key=lambda c: c.pk) == sorted(caseloads, key=lambda c: c.pk)
    names = [(c.last_name, c.first_name) for c in listed]
    assert names == sorted(names)


def test_the_page_links_keep_the_caseload_and_add_only_page_and_sort(coach_client, caseloads):
    body = coach_client.get(reverse("clients:list")).content.decode()
    assert 'href="?page=2"' in body
    assert 'href="?sort=name"' in body


def test_a_chosen_filter_is_kept_on_the_next_page(coach_client, caseloads):
    """ "All coaches, all statuses" chosen in the form: 23 + 4 + 12 = 39 clients, page 4 has 9."""
    query = {"q": "", "target_group": "", "coach": "", "team": "", "status": ""}
    response = coach_client.get(reverse("clients:list"), {**query, "page": 4})
    assert response.context["own_caseload"] is False
    assert response.context["table"].paginator.count == 39
    assert len(shown(response)) == 9


@pytest.mark.parametrize(
    "query, queries",
    # The first page with what needs doing above it (the start parts' 14 queries), as
    # test_caseload_runs_a_constant_number_of_queries counts them; the next pages without.
    [({}, 25), ({"page": 2}, 11), ({"sort": "-name", "page": 2}, 11)],
)
def test_each_page_of_the_caseload_runs_the_same_number_of_queries(
    coach_client, coach, team, settings, query, queries, django_assert_num_queries
):
    settings.CASELOAD_PAGE_SIZE = PAGE_SIZE
    for c in ClientFactory.create_batch(2 * PAGE_SIZE, coach=coach, team=team):
        ContactFactory(client=c)
    with django_assert_num_queries(queries):
        response = coach_client.get(reverse("clients:list"), query)
    assert len(shown(response)) == PAGE_SIZE


def options_of(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))


def other_teams(count: int, coaches_per_team: int) -> None:
    """Teams of the region the coach is not in, each with its work coaches and a client."""
    from core import roles

    for t in range(count):
        other = TeamFactory(name=f"Team elders {t:03}")
        for c in range(coaches_per_team):
            colleague = UserFactory(username=f"elders{t}-{c}", roles=[roles.WORK_COACH])
            other.members.add(colleague)
            ClientFactory(team=other, coach=colleague)


def test_the_filters_offer_the_coachs_own_teams_and_their_coaches(coach_client, caseloads):
    other_teams(2, 2)
    page = coach_client.get(reverse("clients:list")).content.decode()
    assert options_of(page, "team") == ["Alle teams", "Team Assen"]
    colleague = User.objects.get(username="collega")
    assert options_of(page, "coach") == ["Alle werkcoaches", *sorted(
        [str(colleague), "Sanne de Vries"]
    )]  # fmt: skip


def test_the_filters_do_not_grow_with_ten_times_the_coaches_and_teams_of_the_region(
    coach_client, caseloads
):
    other_teams(3, 2)
    with CaptureQueriesContext(connection) as small_queries:
        small = coach_client.get(reverse("clients:list")).content.decode()
    other_teams(30, 2)  # ten times the other teams and coaches
    with CaptureQueriesContext(connection) as large_queries:
        large = coach_client.get(reverse("clients:list")).content.decode()
    assert re.findall(r"<option\b[^>]*>", large) == re.findall(r"<option\b[^>]*>", small)
    assert len(large_queries) == len(small_queries)


def test_the_coach_filter_asks_the_teams_members_before_it_reads_users(coach, caseloads):
    """On PostgreSQL the members of the coach's teams are an array the user table is looked up
    in by key: "in my teams or me" joined to every user read a million clients' 20,000 coaches."""
    colleague = User.objects.get(username="collega")
    other_teams(2, 1)
    assert set(coaches_of_teams(coach)) == {coach, colleague}
    sql = str(coaches_of_teams(coach).query)
    assert ("= ANY(ARRAY(" in sql) == (connection.vendor == "postgresql")


def test_a_coach_of_the_own_team_filters_the_caseload(coach_client, caseloads):
    colleague = User.objects.get(username="collega")
    response = coach_client.get(reverse("clients:list"), {"coach": colleague.pk})
    assert response.context["table"].paginator.count == 12


def test_a_coach_of_another_team_is_no_choice_and_selects_nobody(coach_client, caseloads):
    other_teams(1, 1)
    elsewhere = User.objects.get(username="elders0-0")
    response = coach_client.get(reverse("clients:list"), {"coach": elsewhere.pk})
    assert response.context["table"].paginator.count == 0


def test_what_needs_doing_stands_above_the_first_page_only(coach_client, caseloads):
    """The signals (23 clients without a conversation) head the start page; paging on through
    the caseload shows the list without computing them again."""
    first = coach_client.get(reverse("clients:list"))
    assert first.context["start_parts"]
    assert "Geen gesprek in 30 dagen" in first.content.decode()
    second = coach_client.get(reverse("clients:list"), {"page": 2})
    assert "start_parts" not in second.context
    assert "Geen gesprek in 30 dagen" not in second.content.decode()
    assert len(shown(second)) == PAGE_SIZE


def test_a_page_past_the_end_shows_the_first_with_what_needs_doing(coach_client, coach, team):
    """?page=2 of a caseload that fits one page shows the first page, signals included."""
    ClientFactory.create_batch(3, coach=coach, team=team)
    response = coach_client.get(reverse("clients:list"), {"page": 2})
    assert response.context["table"].page.number == 1
    assert response.context["start_parts"]
