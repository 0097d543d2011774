"""The rules of a referral to diagnosis and of a practical assessment."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from clients.models import Client
from diagnosis import services
from diagnosis.models import AssessmentStatus, Referral, ReferralStatus
from tests.diagnosis.conftest import intake_by, referral_row
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_a_referral_is_open_with_the_coach_as_referrer(refer, client_of_coach, coach):
    referral = refer(client_of_coach, limitation_notes="  Raakt snel vermoeid.  ")
    assert referral.status == ReferralStatus.OPEN
    assert referral.referred_by == coach
    assert referral.limitation_notes == "Raakt snel vermoeid."


def test_a_second_open_referral_of_the_same_client_is_refused(refer, client_of_coach):
    refer(client_of_coach)
    with pytest.raises(ValidationError) as refused:
        refer(client_of_coach, question="Nog een vraag")
    assert "al een open verwijzing" in " ".join(refused.value.messages)
    assert Referral.objects.count() == 1


def test_a_team_without_a_diagnosis_consultant_is_refused_next_to_the_team(
    coach, client_of_coach, other_team
):
    with pytest.raises(ValidationError) as refused:
        services.referral_make(actor=coach, client=client_of_coach, team=other_team, question="?")
    assert "team" in refused.value.message_dict
    assert not Referral.objects.exists()


def test_an_anonymised_client_cannot_be_referred(refer, client_of_coach):
    Client.objects.filter(pk=client_of_coach.pk).update(anonymised_at=timezone.now())
    client_of_coach.refresh_from_db()
    with pytest.raises(ValidationError):
        refer(client_of_coach)


def test_the_consultants_intake_answers_the_open_referral(refer, client_of_coach, consultant):
    referral = refer(client_of_coach)
    intake = intake_by(
        consultant,
        client_of_coach,
        advised_route="sheltered_work",
        work_estimate="not_within_two_years",
        advice_notes="Beschut werk met vaste begeleiding.",
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ANSWERED
    assert referral.answered_by_intake == intake
    assert referral.answer == "Beschut werk met vaste begeleiding."
    assert referral.answered_at is not None


def test_a_coachs_own_intake_leaves_the_referral_open(refer, client_of_coach, coach):
    referral = refer(client_of_coach)
    intake_by(coach, client_of_coach)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN


def test_an_intake_held_before_the_referral_does_not_answer_it(refer, client_of_coach, consultant):
    referral = refer(client_of_coach)
    intake_by(consultant, client_of_coach, held_on=timezone.localdate() - datetime.timedelta(1))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN


def test_a_refused_intake_answers_nothing(refer, client_of_coach, consultant):
    referral = refer(client_of_coach)
    with pytest.raises(ValidationError):
        intake_by(consultant, client_of_coach, hours_per_week=50)  # a week has at most 40
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN


def test_withdrawing_needs_a_reason_and_an_open_referral(refer, client_of_coach, coach):
    referral = refer(client_of_coach)
    with pytest.raises(ValidationError) as refused:
        services.referral_withdraw(actor=coach, referral=referral, reason="  ")
    assert "reason" in refused.value.message_dict
    services.referral_withdraw(actor=coach, referral=referral, reason="Cliënt verhuist.")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    assert referral.withdrawal_reason == "Cliënt verhuist."
    with pytest.raises(ValidationError):
        services.referral_withdraw(actor=coach, referral=referral, reason="Nogmaals")
    # Withdrawn, the client may be referred again.
    assert services.referral_make(
        actor=coach, client=client_of_coach, team=referral.team, question="Opnieuw"
    ).is_open


def plan(referral, actor, starts_on, ends_on):
    return services.assessment_plan(
        actor=actor,
        referral=referral,
        workplace="Distributiecentrum Assen",
        supervisor_name="Kees Brouwer",
        starts_on=starts_on,
        ends_on=ends_on,
        goal="Hoeveel uur houdt zij het vol?",
    )


MONDAY = datetime.date(2026, 1, 5)


@pytest.mark.parametrize("days", [6 * 7, 8 * 7, 12 * 7])
def test_a_practical_assessment_of_6_to_12_weeks_is_planned(
    refer, client_of_coach, consultant, days
):
    assessment = plan(refer(client_of_coach), consultant, MONDAY, MONDAY + datetime.timedelta(days))
    assert assessment.status == AssessmentStatus.PLANNED
    assert assessment.planned_by == consultant


@pytest.mark.parametrize("days", [6 * 7 - 1, 12 * 7 + 1, 0])
def test_a_practical_assessment_shorter_than_6_or_longer_than_12_weeks_is_refused(
    refer, client_of_coach, consultant, days
):
    with pytest.raises(ValidationError) as refused:
        plan(refer(client_of_coach), consultant, MONDAY, MONDAY + datetime.timedelta(days))
    # From Monday 5 January 2026: 6 weeks is 16 February, 12 weeks 30 March.
    assert refused.value.message_dict["ends_on"] == [
        "Een praktijkonderzoek duurt 6 tot 12 weken; vanaf 05-01-2026 is dat een einddatum "
        "van 16-02-2026 tot en met 30-03-2026."
    ]


def test_one_unfinished_assessment_per_referral_and_none_from_a_withdrawn_one(
    refer, client_of_coach, consultant, coach
):
    referral = refer(client_of_coach)
    plan(referral, consultant, MONDAY, MONDAY + datetime.timedelta(weeks=8))
    with pytest.raises(ValidationError):
        plan(referral, consultant, MONDAY, MONDAY + datetime.timedelta(weeks=8))
    services.referral_withdraw(actor=coach, referral=referral, reason="Verhuisd")
    with pytest.raises(ValidationError) as refused:
        plan(referral, consultant, MONDAY, MONDAY + datetime.timedelta(weeks=8))
    assert "ingetrokken" in " ".join(refused.value.messages)


def finish(assessment, actor, **fields):
    return services.assessment_finish(
        actor=actor,
        assessment=assessment,
        status=fields.pop("status", AssessmentStatus.EVALUATED),
        evaluation=fields.pop("evaluation", "Werkt goed in een vaste ploeg."),
        evaluated_on=fields.pop("evaluated_on", MONDAY + datetime.timedelta(weeks=8)),
        **fields,
    )


def test_an_evaluation_advises_a_route_and_is_dated_within_the_assessment(
    refer, client_of_coach, consultant
):
    assessment = plan(
        refer(client_of_coach), consultant, MONDAY, MONDAY + datetime.timedelta(weeks=8)
    )
    with pytest.raises(ValidationError) as refused:
        finish(assessment, consultant, evaluated_on=MONDAY - datetime.timedelta(1))
    assert set(refused.value.message_dict) == {"evaluated_on", "advised_route"}
    with pytest.raises(ValidationError) as refused:
        finish(
            assessment,
            consultant,
            evaluated_on=timezone.localdate() + datetime.timedelta(1),
            advised_route="employee",
        )
    assert set(refused.value.message_dict) == {"evaluated_on"}
    done = finish(assessment, consultant, advised_route="sheltered_work")
    assert (done.status, done.advised_route, done.evaluated_by) == (
        AssessmentStatus.EVALUATED,
        "sheltered_work",
        consultant,
    )
    with pytest.raises(ValidationError):
        finish(done, consultant, advised_route="employee")


def test_an_assessment_stopped_early_needs_no_route(refer, client_of_coach, consultant):
    assessment = plan(
        refer(client_of_coach), consultant, MONDAY, MONDAY + datetime.timedelta(weeks=8)
    )
    done = finish(assessment, consultant, status=AssessmentStatus.STOPPED, evaluation="Ziek.")
    assert done.status == AssessmentStatus.STOPPED
    # Finished, another one can be planned from the same referral.
    assert plan(assessment.referral, consultant, MONDAY, MONDAY + datetime.timedelta(weeks=6))


def test_a_planned_assessment_shows_as_running_from_its_first_day(
    refer, client_of_coach, consultant
):
    assessment = plan(
        refer(client_of_coach), consultant, MONDAY, MONDAY + datetime.timedelta(weeks=8)
    )
    assert assessment.shown_status(MONDAY - datetime.timedelta(1)) == "Gepland"
    assert assessment.shown_status(MONDAY) == "Lopend"


@override_settings(DIAGNOSIS_REFERRAL_SIGNAL_DAYS=10)
def test_an_open_referral_is_overdue_after_the_signal_days(client_of_coach, diagnosis_team):
    referral = referral_row(client_of_coach, diagnosis_team)
    today = timezone.localdate(referral.referred_at)
    assert not referral.is_overdue(today + datetime.timedelta(days=10))
    assert referral.is_overdue(today + datetime.timedelta(days=11))
    referral.status = ReferralStatus.ANSWERED
    assert not referral.is_overdue(today + datetime.timedelta(days=11))


# --- The diagnosis team's scope -----------------------------------------------------------------


def visible(user, client) -> bool:
    return Client.objects.for_user(user).filter(pk=client.pk).exists()


def test_the_diagnosis_team_sees_a_client_only_while_referred_to_it(
    refer, client_of_coach, consultant, coach
):
    assert not visible(consultant, client_of_coach)
    referral = refer(client_of_coach)
    assert visible(consultant, client_of_coach)
    services.referral_withdraw(actor=coach, referral=referral, reason="Niet meer nodig")
    assert not visible(consultant, client_of_coach)


def test_a_consultant_of_another_team_does_not_see_the_referred_client(
    refer, client_of_coach, make_user
):
    from core import roles

    elsewhere = make_user("elders", roles.DIAGNOSIS_CONSULTANT, teams=[TeamFactory(name="Elders")])
    refer(client_of_coach)
    assert not visible(elsewhere, client_of_coach)


@override_settings(DIAGNOSIS_FOLLOW_UP_DAYS=90)
def test_after_the_answer_the_team_follows_the_client_for_the_follow_up_days(
    client_of_coach, consultant, diagnosis_team
):
    referral = referral_row(client_of_coach, diagnosis_team, status=ReferralStatus.ANSWERED)
    assert visible(consultant, client_of_coach)
    Referral.objects.filter(pk=referral.pk).update(
        answered_at=timezone.now() - datetime.timedelta(days=91)
    )
    assert not visible(consultant, client_of_coach)
    # ... unless a practical assessment from it is still to be finished.
    plan(referral, consultant, MONDAY, MONDAY + datetime.timedelta(weeks=8))
    assert visible(consultant, client_of_coach)


def test_the_scope_adds_no_duplicate_rows(refer, client_of_coach, consultant, diagnosis_team):
    referral = refer(client_of_coach)
    plan(referral, consultant, MONDAY, MONDAY + datetime.timedelta(weeks=8))
    referral_row(
        client_of_coach, diagnosis_team, status=ReferralStatus.WITHDRAWN, question="Eerder"
    )
    assert list(Client.objects.for_user(consultant)) == [client_of_coach]


def test_a_team_of_diagnosis_consultants_only_comes_first_among_the_teams_to_refer_to(
    make_user, team, coach
):
    from core import roles
    from diagnosis.models import diagnosis_teams

    make_user("mixed", roles.DIAGNOSIS_CONSULTANT, teams=[team])  # Team Assen, with the coach
    dedicated = TeamFactory(name="Zorgdiagnose")
    make_user("dedicated", roles.DIAGNOSIS_CONSULTANT, teams=[dedicated])
    TeamFactory(name="Zonder diagnose").members.add(coach)
    assert [(t.name, t.others) for t in diagnosis_teams()] == [
        ("Zorgdiagnose", 0),
        ("Team Assen", 1),
    ]
