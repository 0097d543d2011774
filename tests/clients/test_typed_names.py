"""The forms that choose a team or a caseworker take the name typed, with suggestions
(clients.forms.typed_names): a list of every team and caseworker of the region made each of
these pages 1.1-1.4 s at a million clients (README, "A million clients")."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.forms import coach_text
from clients.models import Client
from tests.clients.test_worklist import options, region_of

SUGGEST = reverse("clients:suggest")


def test_the_client_and_trajectory_forms_keep_their_size_with_ten_times_the_coaches(
    coach_client, client_of_coach
):
    pages = [
        reverse("clients:create"),
        reverse("clients:update", args=[client_of_coach.pk]),
        reverse("trajectories:start", args=[client_of_coach.pk]),
    ]
    region_of(teams=2, coaches_per_team=2)
    small = {}
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            body = coach_client.get(url).content.decode()
        small[url] = (len(queries), len(options(body)))
    for t in range(2, 20):  # ten times the teams and their coaches
        region_of_team(t)
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            body = coach_client.get(url).content.decode()
        assert (len(queries), len(options(body))) == small[url], url


def region_of_team(t: int) -> None:
    from core import roles
    from tests.factories import TeamFactory, UserFactory

    made = TeamFactory(name=f"Team {t:03}")
    for c in range(2):
        made.members.add(UserFactory(username=f"coach{t}-{c}", roles=[roles.WORK_COACH]))


def test_the_edit_form_shows_the_team_and_coach_as_typed_and_saves_them_unchanged(
    coach_client, client_of_coach, coach, team
):
    url = reverse("clients:update", args=[client_of_coach.pk])
    form = coach_client.get(url).context["form"]
    assert (form["coach"].value(), form["team"].value()) == (coach_text(coach), "Team Assen")
    body = coach_client.get(url).content.decode()
    assert re.search(r'<datalist id="client-coach-options">', body)
    assert 'hx-get="/clients/suggesties/"' in body


def test_a_new_client_is_given_a_coach_and_team_typed_by_name(
    coach_client, new_client_data, coach, other_team, make_user
):
    from core import roles

    colleague = make_user(
        "pim", roles.WORK_COACH, teams=[other_team], first_name="Pim", last_name="Bos"
    )
    response = coach_client.post(
        reverse("clients:create"),
        {**new_client_data, "team": "team tynaarlo", "coach": "Pim Bos"},
    )
    # Another team's client, whose dossier the coach may not open: back to the caseload.
    assert response["Location"] == reverse("clients:list")
    client = Client.objects.get(bsn=new_client_data["bsn"])
    assert (client.team, client.coach) == (other_team, colleague)


def test_an_unknown_coach_keeps_everything_typed_and_says_so(coach_client, new_client_data):
    response = coach_client.post(
        reverse("clients:create"), {**new_client_data, "coach": "Niemand Bekend"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["coach"]
    assert form["coach"].value() == "Niemand Bekend"
    assert form["first_name"].value() == "Selam"
    assert not Client.objects.filter(bsn=new_client_data["bsn"]).exists()


@pytest.mark.parametrize("field", ["coach", "job_coach"])
def test_every_caseworker_gets_coach_suggestions_with_the_teams_members_first(
    coach_client, coach, other_team, make_user, field
):
    from core import roles

    make_user("pvries", roles.WORK_COACH, teams=[other_team], first_name="Pim",
              last_name="de Vries")  # fmt: skip
    make_user(
        "jbakker", roles.WORK_COACH, teams=[other_team], first_name="Jan", last_name="Bakker"
    )  # not what was typed
    query = {"suggest": "coach", field: "vries", "team": "team tynaarlo"}
    if field != "coach":
        query["field"] = field
    response = coach_client.get(SUGGEST, query)
    assert options(response.content.decode()) == [
        '<option value="Pim de Vries (pvries)">',
        '<option value="Sanne de Vries (coach)">',
    ]


def test_suggestions_stay_at_twenty_with_the_same_queries_whatever_the_region(coach_client):
    region_of(teams=30, coaches_per_team=1)
    with CaptureQueriesContext(connection) as small:
        coach_client.get(SUGGEST, {"suggest": "coach", "coach": ""})
    for t in range(30, 60):
        region_of_team(t)
    with CaptureQueriesContext(connection) as large:
        response = coach_client.get(SUGGEST, {"suggest": "coach", "coach": ""})
    assert len(options(response.content.decode())) == 20
    assert len(large) == len(small)
    assert options(coach_client.get(SUGGEST).content.decode()) == []  # no question


def test_a_field_holding_a_suggestion_suggests_that_coach_again(coach_client, coach):
    """An edit page starts with "Sanne de Vries (coach)": asked on focus, it suggests her."""
    response = coach_client.get(SUGGEST, {"suggest": "coach", "coach": coach_text(coach)})
    assert options(response.content.decode()) == ['<option value="Sanne de Vries (coach)">']


def test_a_team_is_taken_by_its_name_as_written_before_one_that_differs_in_capitals(
    coach_client, new_client_data, team
):
    from tests.factories import TeamFactory

    lower = TeamFactory(name="team assen")
    for written, expected in (("team assen", lower), ("Team Assen", team)):
        data = {**new_client_data, "bsn": "", "team": written}
        form = coach_client.post(reverse("clients:create"), data).context["form"]
        assert form.cleaned_data["team"] == expected


def test_a_coach_who_left_stays_the_clients_coach_through_an_edit_until_another_is_typed(
    coach_client, team, make_user, new_client_data
):
    """As a reference item that became inactive stays chosen: a colleague who changes the
    phone number of a client whose coach left is not made to choose a new coach."""
    from core import roles
    from tests.clients.test_views import edit_form_data
    from tests.factories import ClientFactory

    leaver = make_user("karin", roles.WORK_COACH, teams=[team], first_name="Karin", last_name="Ek")
    client = ClientFactory(coach=leaver, team=team)
    leaver.is_active = False
    leaver.save()
    url = reverse("clients:update", args=[client.pk])
    form = coach_client.get(url).context["form"]
    assert form["coach"].value() == "Karin Ek (karin)"
    response = coach_client.post(url, edit_form_data(form, phone="0592-123456"))
    assert response.status_code == 302, response.context["form"].errors
    client.refresh_from_db()
    assert (client.phone, client.coach) == ("0592-123456", leaver)
    # Only as the client's own coach: no new client is given her.
    data = {**new_client_data, "coach": "Karin Ek (karin)"}
    response = coach_client.post(reverse("clients:create"), data)
    assert response.status_code == 200, response.get("Location")
    form = response.context["form"]
    assert form.errors["coach"] == [
        "Er is geen werkcoach Karin Ek (karin): kies een van de suggesties."
    ]
