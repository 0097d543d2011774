"""Registering a client who is there already: a BSN that exists is refused with where that
dossier is; a similar name with the same birth date asks for confirmation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLog
from clients import duplicates
from clients.models import Client
from core.models import User
from tests.clients.test_views import edit_form_data
from tests.factories import ClientFactory, TeamFactory

pytestmark = pytest.mark.django_db

BORN = datetime.date(1990, 4, 12)


@pytest.fixture
def registration(new_client_data):
    """Mohamed El Amrani, born 12 April 1990, as a coach types him in."""
    return {
        **new_client_data,
        "first_name": "Mohamed",
        "last_name": "El Amrani",
        "birth_date": BORN.isoformat(),
        "bsn": "123456782",
    }


@pytest.fixture
def muhammad(coach, team, assen):
    """Already registered, in the coach's own team: the same person spelled otherwise."""
    return ClientFactory(
        first_name="Muhammad", last_name="Elamrani", birth_date=BORN, team=team, municipality=assen
    )


def register(http, data):
    return http.post(reverse("clients:create"), data)


def test_a_similar_name_with_the_same_birth_date_asks_for_confirmation(
    coach_client, registration, muhammad
):
    response = register(coach_client, registration)
    assert response.status_code == 200
    assert Client.objects.count() == 1  # nothing registered yet
    form = response.context["form"]
    assert [c.client for c in form.duplicate_candidates] == [muhammad]
    assert form.has_error("other_person", "near_duplicate")
    page = response.content.decode()
    assert "Muhammad Elamrani" in page
    assert reverse("clients:detail", args=[muhammad.pk]) in page
    assert "Dit is een andere persoon, toch inschrijven" in page
    # Nothing typed is lost.
    assert 'value="Mohamed"' in page and 'value="El Amrani"' in page
    assert 'value="selam@example.org"' in page


def test_ticking_the_box_registers_the_client(coach_client, registration, muhammad):
    response = register(coach_client, {**registration, "other_person": "on"})
    assert response.status_code == 302
    new = Client.objects.get(first_name="Mohamed")
    assert response.url == reverse("clients:detail", args=[new.pk])
    assert Client.objects.count() == 2


def test_a_different_name_or_birth_date_registers_without_asking(
    coach_client, registration, muhammad
):
    assert register(coach_client, {**registration, "first_name": "Fatima"}).status_code == 302
    other = {**registration, "bsn": "111222333", "birth_date": "1990-04-13"}
    assert register(coach_client, other).status_code == 302
    assert Client.objects.count() == 3


def test_a_candidate_outside_the_users_scope_shows_only_its_team(
    coach_client, registration, other_team, assen
):
    stranger = ClientFactory(
        first_name="Muhammad", last_name="Elamrani", birth_date=BORN, team=other_team
    )
    response = register(coach_client, registration)
    page = response.content.decode()
    assert [c.visible for c in response.context["form"].duplicate_candidates] == [False]
    assert "Een cliënt in team Team Tynaarlo" in page
    assert "Elamrani" not in page
    assert reverse("clients:detail", args=[stranger.pk]) not in page


def test_an_anonymised_client_is_no_candidate(coach_client, registration, muhammad):
    Client.objects.filter(pk=muhammad.pk).update(
        anonymised_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), bsn=None
    )
    assert register(coach_client, registration).status_code == 302


def test_a_bsn_that_exists_links_to_the_dossier_the_user_may_open(
    coach_client, coach, registration, team
):
    owner = ClientFactory(bsn=registration["bsn"], team=team, first_name="Noor", last_name="Bos")
    response = register(coach_client, registration)
    assert response.status_code == 200
    page = response.content.decode()
    link = reverse("clients:detail", args=[owner.pk])
    assert f'<a href="{link}">open het dossier van Noor Bos</a>' in page
    assert Client.objects.count() == 1
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.user, entry.object_id) == ("bsn_lookup", coach, str(owner.pk))


def test_a_bsn_that_exists_outside_the_scope_says_whom_to_ask(
    coach_client, coach, registration, other_team, make_user
):
    colleague = make_user("pieter", first_name="Pieter", last_name="Smit", teams=[other_team])
    owner = ClientFactory(
        bsn=registration["bsn"], team=other_team, coach=colleague, last_name="Verborgen"
    )
    response = register(coach_client, registration)
    page = response.content.decode()
    assert "dat u niet mag openen" in page
    assert "Pieter Smit (team Team Tynaarlo)" in page
    assert "Verborgen" not in page
    assert reverse("clients:detail", args=[owner.pk]) not in page
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.user, entry.object_id) == ("bsn_lookup", coach, str(owner.pk))


def test_who_to_ask_falls_back_to_the_team_and_the_functional_administrator(make_user):
    team = TeamFactory(name="Team Noord")
    assert duplicates.who_to_ask(ClientFactory(team=team, coach=None)) == "team Team Noord"
    nobody = ClientFactory(team=None, coach=None)
    assert duplicates.who_to_ask(nobody) == "de functioneel beheerder"


def test_the_candidates_take_as_many_queries_for_fifty_as_for_one(coach, team):
    def look_up():
        user = User.objects.get(pk=coach.pk)  # no permissions cached from an earlier call
        with CaptureQueriesContext(connection) as queries:
            found = duplicates.near_duplicates(
                user=user, first_name="Jan", name_prefix="", last_name="Janssen", birth_date=BORN
            )
        return found, len(queries)

    ClientFactory(first_name="Jan", last_name="Jansen", birth_date=BORN, team=team)
    found, for_one = look_up()
    assert len(found) == 1
    for _ in range(49):
        ClientFactory(first_name="Jan", last_name="Jansen", birth_date=BORN, team=team)
    found, for_fifty = look_up()
    assert len(found) == 50 and all(c.visible for c in found)
    assert for_fifty == for_one


def test_the_edit_form_does_not_ask(coach_client, muhammad, client_of_coach):
    url = reverse("clients:update", args=[client_of_coach.pk])
    form = coach_client.get(url).context["form"]
    data = edit_form_data(
        form, first_name="Mohamed", last_name="El Amrani", birth_date=BORN.isoformat()
    )
    response = coach_client.post(url, data)
    assert response.status_code == 302
