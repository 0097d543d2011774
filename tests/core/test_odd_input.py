"""Odd values in a list page's query string never answer 500 (issue 15, item 5).

Every filter parameter of every list page gets every odd value, as a role that may open the
page. An invalid filter value is ignored with a note, so the answer is the page itself (200).
"""

import pytest
from django.urls import reverse

from core import roles
from employers.models import Employer
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "²",
    "99999999999999999999",
    "-1",
    "abc",
    "\x00",
    "Jan\x00sen",
    "x" * 5000,
    "\u202eAnn",
]

# page name -> (role that may open it, the GET parameters it reads)
LIST_PAGES = {
    "clients:list": (roles.WORK_COACH, ["q", "target_group", "coach", "team", "status", "sort"]),
    "clients:unassigned": (
        roles.MANAGER,
        ["q", "municipality", "target_group", "registered_since", "status", "sort"],
    ),
    "employers:list": (
        roles.ACCOUNT_MANAGER,
        ["q", "municipality", "mine", "social_enterprise"],
    ),
    "employers:vacancy_list": (roles.ACCOUNT_MANAGER, ["q", "status", "sector"]),
    "employers:candidate_list": (roles.ACCOUNT_MANAGER, ["q", "sector", "incomplete"]),
    "placements:list": (roles.ACCOUNT_MANAGER, ["status"]),
    "teams:list": (roles.MANAGER, ["q"]),
    "projects:list": (roles.MANAGER, ["q"]),
    "projects:event_list": (roles.MANAGER, ["q"]),
    "reporting:dashboard": (roles.MANAGER, ["year"]),
    "reporting:report_list": (roles.MANAGER, ["q"]),
    "audit:denied": (roles.FUNCTIONAL_ADMIN, ["page"]),
    "audit:reports": (roles.FUNCTIONAL_ADMIN, ["page"]),
    "privacy:retention": (roles.FUNCTIONAL_ADMIN, ["page"]),
}

CASES = [
    (name, parameter)
    for name, (_role, parameters) in LIST_PAGES.items()
    for parameter in [*parameters, "page"]
]


@pytest.fixture
def user_for(request, make_user, team):
    def make(role):
        if role == roles.FUNCTIONAL_ADMIN:
            return request.getfixturevalue("functional_admin")
        return make_user(f"user-{role}", role, teams=[team])

    return make


@pytest.mark.parametrize(("name", "parameter"), CASES)
def test_odd_filter_values_show_the_page(client, user_for, assen, team, name, parameter):
    role, _parameters = LIST_PAGES[name]
    client.force_login(user_for(role))
    ClientFactory(municipality=assen, team=None, coach=None)
    Employer.objects.create(name="Zorggroep Drenthe", municipality=assen)
    url = reverse(name)
    for value in ODD_VALUES:
        response = client.get(url, {parameter: value})
        assert response.status_code == 200, (value, response.status_code)


NOTE = "Een filter had een ongeldige waarde en is genegeerd."


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "abc", "-1"])
def test_an_invalid_municipality_is_ignored_with_a_note(client, make_user, assen, value):
    client.force_login(make_user("am", roles.ACCOUNT_MANAGER))
    Employer.objects.create(name="Zorggroep Drenthe", municipality=assen)
    response = client.get(reverse("employers:list"), {"municipality": value})
    page = response.content.decode()
    assert NOTE in page
    assert "Zorggroep Drenthe" in page  # the filter is left out, the rest of the list stays


def test_a_valid_filter_shows_no_note(client, make_user, assen):
    client.force_login(make_user("am", roles.ACCOUNT_MANAGER))
    response = client.get(reverse("employers:list"), {"municipality": str(assen.pk)})
    assert NOTE not in response.content.decode()


def test_a_nul_byte_in_the_search_is_left_out(client, make_user, assen):
    client.force_login(make_user("am", roles.ACCOUNT_MANAGER))
    Employer.objects.create(name="Zorggroep Drenthe", municipality=assen)
    response = client.get(reverse("employers:list"), {"q": "Zorg\x00groep"})
    assert "Zorggroep Drenthe" in response.content.decode()


def test_an_invalid_team_on_the_caseload_is_ignored_with_a_note(client, coach, client_of_coach):
    client.force_login(coach)
    response = client.get(reverse("clients:list"), {"team": "²", "status": "active"})
    page = response.content.decode()
    assert NOTE in page
    assert client_of_coach.last_name in page  # before: an invalid filter showed no one


def test_a_nul_byte_in_the_caseload_search_is_left_out(client, coach, client_of_coach):
    client.force_login(coach)
    name = client_of_coach.last_name
    response = client.get(reverse("clients:list"), {"q": f"{name[:2]}\x00{name[2:]}"})
    page = response.content.decode()
    assert NOTE not in page
    assert name in page


def test_a_team_that_does_not_exist_selects_no_one_without_a_note(client, coach, client_of_coach):
    client.force_login(coach)
    response = client.get(reverse("clients:list"), {"team": "987654", "status": "active"})
    page = response.content.decode()
    assert NOTE not in page
    assert client_of_coach.last_name not in page
