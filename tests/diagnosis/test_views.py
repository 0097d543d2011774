"""The referral pages: a coach refers from the dossier, the diagnosis team sees its referrals on
its start page and list, and every page answers only to whom it is for."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from diagnosis.models import PracticalAssessment, Referral, ReferralStatus
from tests.diagnosis.conftest import referral_row
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_the_dossier_offers_the_referral_and_the_form_refers(
    coach_client, client_of_coach, diagnosis_team, consultant
):
    dossier = reverse("clients:detail", args=[client_of_coach.pk])
    page = coach_client.get(dossier).content.decode()
    refer_url = reverse("diagnosis:refer", args=[client_of_coach.pk])
    assert refer_url in page
    form = coach_client.get(refer_url)
    # The diagnosis team (only diagnosis consultants) is preselected.
    assert form.context["form"].initial["team"] == diagnosis_team.pk
    response = coach_client.post(
        refer_url, {"team": diagnosis_team.pk, "question": "Hoeveel uur per dag?"}
    )
    assert response.status_code == 302
    assert response["Location"] == dossier + "#diagnosis"
    referral = Referral.objects.get(client=client_of_coach)
    assert (referral.question, referral.status) == ("Hoeveel uur per dag?", ReferralStatus.OPEN)
    page = coach_client.get(dossier).content.decode()
    assert "Hoeveel uur per dag?" in page
    assert refer_url not in page  # one open referral at a time
    assert reverse("diagnosis:withdraw", args=[referral.pk]) in page


def test_a_referral_without_a_question_comes_back_with_the_input_kept(
    coach_client, client_of_coach, diagnosis_team, consultant
):
    response = coach_client.post(
        reverse("diagnosis:refer", args=[client_of_coach.pk]),
        {"team": diagnosis_team.pk, "question": "   ", "limitation_notes": "Vergeet afspraken"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["question"]
    assert "Vergeet afspraken" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_second_referral_is_refused_on_the_form(
    coach_client, client_of_coach, diagnosis_team, refer
):
    refer(client_of_coach)
    response = coach_client.post(
        reverse("diagnosis:refer", args=[client_of_coach.pk]),
        {"team": diagnosis_team.pk, "question": "Nog een vraag"},
    )
    assert response.status_code == 200
    assert "Nog een vraag" in response.content.decode()
    assert Referral.objects.count() == 1


def test_a_coach_cannot_refer_a_client_outside_their_scope(
    coach_client, diagnosis_team, other_team
):
    stranger = ClientFactory(team=other_team)
    response = coach_client.post(
        reverse("diagnosis:refer", args=[stranger.pk]),
        {"team": diagnosis_team.pk, "question": "?"},
    )
    assert response.status_code == 404
    assert not Referral.objects.exists()


def test_withdrawing_asks_for_a_reason(coach_client, client_of_coach, refer):
    referral = refer(client_of_coach)
    url = reverse("diagnosis:withdraw", args=[referral.pk])
    assert coach_client.post(url, {"reason": ""}).status_code == 200
    response = coach_client.post(url, {"reason": "Cliënt is verhuisd"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN


@override_settings(DIAGNOSIS_REFERRAL_SIGNAL_DAYS=10)
def test_the_consultants_start_page_lists_open_referrals_oldest_first_with_the_signal(
    consultant_client, coach, diagnosis_team
):
    recent = ClientFactory(first_name="Recent", last_name="Aalders", coach=coach)
    old = ClientFactory(first_name="Oud", last_name="Zandstra", coach=coach)
    referral_row(recent, diagnosis_team, days_ago=3)
    referral_row(old, diagnosis_team, days_ago=14)
    answered = ClientFactory(first_name="Klaar", last_name="Bos", coach=coach)
    referral_row(answered, diagnosis_team, status=ReferralStatus.ANSWERED)
    response = consultant_client.get(reverse("clients:list"))
    part = next(
        p for p in response.context["start_parts"] if p.template == "diagnosis/_open_referrals.html"
    )
    rows = [(r.client.first_name, r.waiting, r.overdue) for r in part.context["open_referrals"]]
    assert rows == [("Oud", 14, True), ("Recent", 3, False)]
    page = response.content.decode()
    assert page.index("Zandstra") < page.index("Aalders")
    assert "wacht 14 dagen" in page
    assert "meer dan 10 dagen" in page


def test_a_coach_sees_no_referral_part_nor_the_referral_list(coach_client, client_of_coach):
    response = coach_client.get(reverse("clients:list"))
    assert all(
        p.template != "diagnosis/_open_referrals.html" for p in response.context["start_parts"]
    )
    assert coach_client.get(reverse("diagnosis:referrals")).status_code == 403


def test_the_referral_list_shows_open_ones_and_filters_answered_ones(
    consultant_client, coach, diagnosis_team
):
    waiting = ClientFactory(last_name="Molenaar", coach=coach)
    done = ClientFactory(last_name="Hofstede", coach=coach)
    late = ClientFactory(last_name="Veenstra", coach=coach)
    referral_row(waiting, diagnosis_team, days_ago=2)
    referral_row(late, diagnosis_team, days_ago=11)
    referral_row(done, diagnosis_team, status=ReferralStatus.ANSWERED)
    url = reverse("diagnosis:referrals")
    with override_settings(DIAGNOSIS_REFERRAL_SIGNAL_DAYS=10):
        page = consultant_client.get(url).content.decode()
    assert "Molenaar" in page and "Hofstede" not in page
    # Oldest first; only the one waiting 11 days is past the signal of 10.
    assert page.index("Veenstra") < page.index("Molenaar")
    assert page.count('data-overdue="yes"') == 1
    assert "11 dagen" in page and "te lang" in page
    assert reverse("clients:intake_create", args=[waiting.pk]) in page
    page = consultant_client.get(url, {"status": "answered"}).content.decode()
    assert "Hofstede" in page and "Molenaar" not in page


def test_holding_the_intake_from_the_referral_answers_it_and_the_coach_sees_it(
    consultant_client, coach_client, client_of_coach, refer
):
    referral = refer(client_of_coach)
    response = consultant_client.post(
        reverse("clients:intake_create", args=[client_of_coach.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "ladder_step": 3,
            "advised_route": "participation",
            "work_estimate": "not_within_two_years",
            "advice_notes": "Eerst vrijwilligerswerk, dan opnieuw kijken.",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ANSWERED
    page = coach_client.get(reverse("clients:detail", args=[client_of_coach.pk])).content.decode()
    assert "Route participatie" in page
    assert "Eerst vrijwilligerswerk, dan opnieuw kijken." in page


def test_the_consultant_plans_and_evaluates_an_assessment_the_coach_cannot(
    consultant_client, coach_client, client_of_coach, refer
):
    referral = refer(client_of_coach)
    plan_url = reverse("diagnosis:assessment_plan", args=[referral.pk])
    start = timezone.localdate() - datetime.timedelta(weeks=8)
    data = {
        "workplace": "Groenvoorziening Drenthe",
        "supervisor_name": "Fenna de Boer",
        "starts_on": start.isoformat(),
        "ends_on": (start + datetime.timedelta(weeks=13)).isoformat(),
        "goal": "Werken in een ploeg",
    }
    assert coach_client.get(plan_url).status_code == 403
    response = consultant_client.post(plan_url, data)
    assert response.status_code == 200
    assert "6 tot 12 weken" in str(response.context["form"].errors["ends_on"])
    assert "Groenvoorziening Drenthe" in response.content.decode()
    data["ends_on"] = (start + datetime.timedelta(weeks=8)).isoformat()
    assert consultant_client.post(plan_url, data).status_code == 302
    assessment = PracticalAssessment.objects.get()
    finish_url = reverse("diagnosis:assessment_finish", args=[assessment.pk])
    assert coach_client.get(finish_url).status_code == 403
    response = consultant_client.post(
        finish_url,
        {
            "status": "evaluated",
            "evaluated_on": timezone.localdate().isoformat(),
            "evaluation": "Werkt goed met een vaste werkleider.",
            "advised_route": "sheltered_work",
        },
    )
    assert response.status_code == 302
    page = coach_client.get(reverse("clients:detail", args=[client_of_coach.pk])).content.decode()
    assert "Werkt goed met een vaste werkleider." in page
    assert "Beschut werk" in page


def test_a_consultant_of_another_team_gets_a_404_for_the_referral(
    make_user, client_of_coach, refer, client
):
    from core import roles
    from tests.factories import TeamFactory

    elsewhere = make_user("elders", roles.DIAGNOSIS_CONSULTANT, teams=[TeamFactory(name="Elders")])
    referral = refer(client_of_coach)
    client.force_login(elsewhere)
    assert client.get(reverse("diagnosis:assessment_plan", args=[referral.pk])).status_code == 404
    assert "Fatima" not in client.get(reverse("diagnosis:referrals")).content.decode()


# --- Query counts -------------------------------------------------------------------------------


def _dossier_referrals(client, team, consultant, n):
    """n referrals of one client (one open, the rest answered), each with an assessment."""
    Referral.objects.filter(client=client).delete()
    for i in range(n):
        referral = referral_row(
            client,
            team,
            days_ago=n - i,
            status=ReferralStatus.OPEN if i == n - 1 else ReferralStatus.ANSWERED,
            referred_by=consultant,
        )
        PracticalAssessment.objects.create(
            referral=referral,
            workplace=f"Bedrijf {i}",
            supervisor_name="Kees",
            starts_on=datetime.date(2026, 1, 5),
            ends_on=datetime.date(2026, 3, 2),
            goal="Tempo",
            status="evaluated" if i < n - 1 else "planned",
            planned_by=consultant,
        )


def _count(browser, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def test_the_dossier_runs_as_many_queries_for_50_referrals_as_for_1(
    coach_client, client_of_coach, diagnosis_team, consultant, django_assert_num_queries
):
    url = reverse("clients:detail", args=[client_of_coach.pk])
    _dossier_referrals(client_of_coach, diagnosis_team, consultant, 1)
    coach_client.get(url)  # the session's first renewal is not the page's
    one = _count(coach_client, url)
    _dossier_referrals(client_of_coach, diagnosis_team, consultant, 50)
    with django_assert_num_queries(one):
        response = coach_client.get(url)
    panel = next(p for p in response.context["panels"] if p.template == "diagnosis/_dossier.html")
    assert len(panel.context["referrals"]) == 50


@pytest.mark.parametrize("screen", ["list", "start"])
def test_the_referral_list_and_start_page_run_as_many_queries_for_50_as_for_1(
    consultant_client, coach, diagnosis_team, screen, django_assert_num_queries
):
    url = {"list": reverse("diagnosis:referrals"), "start": reverse("clients:list")}[screen]

    def referrals(n):
        Referral.objects.all().delete()
        Client.objects.all().delete()
        for i in range(n):
            referral_row(ClientFactory(coach=coach), diagnosis_team, days_ago=i, referred_by=coach)

    referrals(1)
    consultant_client.get(url)
    one = _count(consultant_client, url)
    referrals(50)
    with django_assert_num_queries(one):
        response = consultant_client.get(url)
    if screen == "list":
        assert response.context["table"].paginator.count == 50
    else:
        part = next(
            p
            for p in response.context["start_parts"]
            if p.template == "diagnosis/_open_referrals.html"
        )
        assert part.context["open_total"] == 50
