"""The caseload overview, the handover page and the handover note on the dossier."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients import handover
from clients.models import Client, CoachChangeReason, CoachPeriod, HandoverNote
from core import roles
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaving(make_user, team):
    return make_user("vertrekt", roles.WORK_COACH, teams=[team], first_name="Karin")


@pytest.fixture
def anna(make_user, team):
    return make_user("anna", roles.WORK_COACH, teams=[team], first_name="Anna", last_name="Smit")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def _count(browser, url):
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def _coaches_with_clients(make_user, team, n, prefix):
    for i in range(n):
        coach = make_user(f"{prefix}{i:02d}", roles.WORK_COACH, teams=[team])
        ClientFactory(coach=coach, team=team)


def test_the_overview_runs_as_many_queries_for_50_coaches_as_for_1(
    manager_client, make_user, team, django_assert_num_queries
):
    url = reverse("clients:caseloads")
    _coaches_with_clients(make_user, team, 1, "een")
    manager_client.get(url)  # the session's first renewal is not the page's
    one = _count(manager_client, url)
    Client.objects.all().delete()
    _coaches_with_clients(make_user, team, 49, "veel")
    with django_assert_num_queries(one):
        response = manager_client.get(url)
    assert response.context["table"].paginator.count == 50


def test_the_overview_filters_by_a_team_typed_by_name_and_lists_no_team_as_options(
    manager_client, make_user, team, other_team
):
    from tests.factories import TeamFactory

    _coaches_with_clients(make_user, team, 2, "assen")
    _coaches_with_clients(make_user, other_team, 1, "tynaarlo")
    for t in range(20):  # teams a <select> would have sent with the page
        TeamFactory(name=f"Team {t:03}")
    url = reverse("clients:caseloads")
    page = manager_client.get(url).content.decode()
    assert "Team 000" not in page
    assert '<datalist id="caseloads-team-options">' in page
    response = manager_client.get(url, {"team": "team tynaarlo"})
    assert [row.record.team for row in response.context["table"].page] == [other_team]
    # A team that is not there selects nobody and says why, not every team's coaches.
    response = manager_client.get(url, {"team": "Team Nergens"})
    assert response.context["table"].paginator.count == 0
    assert "Er is geen team Team Nergens" in response.content.decode()
    assert not list(response.context["messages"])  # no "filter ignored"


def test_the_overviews_team_filter_suggests_teams_as_one_types(manager_client, team, other_team):
    url = reverse("clients:caseloads")
    response = manager_client.get(url, {"suggest": "team", "team": "tyn"})
    assert re.findall(r"<option\b[^>]*>", response.content.decode()) == [
        '<option value="Team Tynaarlo">'
    ]


def test_the_overview_shows_caseload_against_maximum_with_a_handover_link(
    manager_client, leaving, team
):
    leaving.max_caseload = 2
    leaving.save()
    for _ in range(3):
        ClientFactory(coach=leaving, team=team)
    response = manager_client.get(reverse("clients:caseloads"))
    (row,) = response.context["table"].rows
    assert [row.get_cell(c) for c in ("clients_count", "maximum")] == [3, 2]
    assert "1 boven het maximum" in row.get_cell("room")
    assert reverse("clients:handover", args=[team.pk, leaving.pk]) in response.text


def _periods(client, coaches, n):
    CoachPeriod.objects.filter(client=client).delete()
    start = datetime.date(2020, 1, 1)
    CoachPeriod.objects.bulk_create(
        CoachPeriod(
            client=client,
            coach=coaches[i % len(coaches)],
            started_on=start + datetime.timedelta(days=10 * i),
            ended_on=start + datetime.timedelta(days=10 * i + 10) if i < n - 1 else None,
            reason=CoachChangeReason.REASSIGNMENT,
        )
        for i in range(n)
    )


def test_the_dossier_runs_as_many_queries_for_50_coach_periods_as_for_1(
    coach_client, coach, leaving, client_of_coach, django_assert_num_queries
):
    HandoverNote.objects.create(
        client=client_of_coach, from_coach=leaving, to_coach=coach, text="Let op de schulden."
    )
    url = reverse("clients:detail", args=[client_of_coach.pk])
    _periods(client_of_coach, [coach, leaving], 1)
    coach_client.get(url)
    one = _count(coach_client, url)
    _periods(client_of_coach, [coach, leaving], 50)
    with django_assert_num_queries(one):
        response = coach_client.get(url)
    panel = next(
        p for p in response.context["panels"] if p.template == "clients/_coach_history.html"
    )
    assert len(panel.context["periods"]) == 50
    assert "Let op de schulden." in response.text


def test_the_handover_page_shows_names_and_capacity_but_no_dossier_links(
    manager_client, leaving, anna, team
):
    client = ClientFactory(coach=leaving, team=team, first_name="Ruud", last_name="Kok")
    response = manager_client.get(reverse("clients:handover", args=[team.pk, leaving.pk]))
    assert response.status_code == 200
    assert "Kok, Ruud" in response.text
    assert reverse("clients:detail", args=[client.pk]) not in response.text
    assert "Anna Smit: 0 van 60 cliënten, ruimte voor 60" in response.text
    assert response.context["form"].suggestion == anna


def test_a_coach_in_two_teams_is_handed_over_per_team(
    manager_client, leaving, anna, team, other_team
):
    other_team.members.add(leaving)
    ClientFactory(coach=leaving, team=team, first_name="Ruud", last_name="Kok")
    ClientFactory(coach=leaving, team=other_team, first_name="Els", last_name="Dam")
    response = manager_client.get(reverse("clients:handover", args=[team.pk, leaving.pk]))
    assert "Kok, Ruud" in response.text
    assert "Dam, Els" not in response.text


def test_a_coach_outside_the_team_has_no_handover_page(manager_client, leaving, other_team):
    url = reverse("clients:handover", args=[other_team.pk, leaving.pk])
    assert manager_client.get(url).status_code == 404


def test_handing_over_moves_the_ticked_clients_and_says_so(
    manager_client, manager, leaving, anna, team
):
    ticked = ClientFactory(coach=leaving, team=team)
    left = ClientFactory(coach=leaving, team=team)
    response = manager_client.post(
        reverse("clients:handover", args=[team.pk, leaving.pk]),
        {
            "clients": [ticked.pk],
            "to_coaches": [anna.pk],
            "reason": CoachChangeReason.COACH_LEFT,
            "note": "Loopt bij de schuldhulp.",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("clients:caseloads")
    assert "1 cliënt van Karin" in response.text
    ticked.refresh_from_db()
    left.refresh_from_db()
    assert (ticked.coach, left.coach) == (anna, leaving)
    assert HandoverNote.objects.get().client == ticked


def test_a_handover_without_a_note_is_refused_next_to_the_field(
    manager_client, leaving, anna, team
):
    ticked = ClientFactory(coach=leaving, team=team)
    response = manager_client.post(
        reverse("clients:handover", args=[team.pk, leaving.pk]),
        {"clients": [ticked.pk], "to_coaches": [anna.pk], "reason": "handover", "note": ""},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["note"] == ["Schrijf een overdrachtsnotitie voor de nieuwe coach."]
    assert form["clients"].value() == [str(ticked.pk)]
    ticked.refresh_from_db()
    assert ticked.coach == leaving
    assert not HandoverNote.objects.exists()


def test_the_new_coach_sees_the_note_until_they_dismiss_it(
    client, manager, coach, leaving, team, make_user
):
    colleague = make_user("collega", roles.WORK_COACH, teams=[team])
    moved = ClientFactory(coach=leaving, team=team)
    handover.caseload_hand_over(
        actor=manager,
        from_coach=leaving,
        clients=Client.objects.filter(pk=moved.pk),
        team=team,
        to_coaches=[coach],
        note="Vraag naar de sollicitatie bij de bakker.",
    )
    note = HandoverNote.objects.get()
    dossier = reverse("clients:detail", args=[moved.pk])
    dismiss = reverse("clients:handover_note_dismiss", args=[note.pk])
    client.force_login(colleague)  # a colleague of the team sees the dossier, not the note
    assert "Vraag naar de sollicitatie" not in _history_free(client.get(dossier).text)
    assert client.post(dismiss).status_code == 404
    client.force_login(coach)
    assert "Vraag naar de sollicitatie" in client.get(dossier).text
    assert client.get(dismiss).status_code == 405
    response = client.post(dismiss, follow=True)
    assert response.redirect_chain[-1][0] == dossier
    note.refresh_from_db()
    assert note.dismissed_by == coach
    assert "Read, dismiss" not in response.text and "notitie afsluiten" not in response.text


def _history_free(text: str) -> str:
    """The page without the coach history panel (which keeps the note with the period)."""
    start = text.find('id="coach-history-heading"')
    return text[:start] if start >= 0 else text


def test_the_overviews_suggestions_are_for_those_who_hand_over_caseloads(coach_client, team):
    response = coach_client.get(reverse("clients:caseloads"), {"suggest": "team", "team": "as"})
    assert response.status_code == 403
