"""Changing ids in the employers' URLs never reaches a candidate outside the user's scope."""

import pytest
from django.urls import reverse

from audit.models import AccessLog
from employers.models import CandidateProfile, ConsentRecord, Match
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_teams_candidate(region, other_team, make_user):
    from core.models import Municipality
    from employers import services

    other_coach = make_user("anderecoach", "work_coach", teams=[other_team])
    client = ClientFactory(
        first_name="Piet",
        last_name="Bakker",
        coach=other_coach,
        team=other_team,
        municipality=Municipality.objects.get(name="Assen"),
    )
    return services.candidate_profile_save(
        actor=other_coach, client=client, hours_per_week=20, open_for_matching=True
    )


def test_a_coach_cannot_reach_another_teams_candidate_profile(coach_client, other_teams_candidate):
    pk = other_teams_candidate.pk
    assert coach_client.get(reverse("employers:candidate_detail", args=[pk])).status_code == 404
    response = coach_client.post(
        reverse("employers:consent_create", args=[pk]),
        {"given_on": "2026-11-01", "scope": "all_employers"},
    )
    assert response.status_code == 404
    client_pk = other_teams_candidate.client_id
    assert coach_client.get(reverse("employers:profile_edit", args=[client_pk])).status_code == 404
    response = coach_client.post(
        reverse("employers:profile_edit", args=[client_pk]), {"hours_per_week": 40}
    )
    assert response.status_code == 404
    other_teams_candidate.refresh_from_db()
    assert other_teams_candidate.hours_per_week == 20
    assert not ConsentRecord.objects.exists()
    assert AccessLog.objects.filter(result="denied").count() == 4
    assert not AccessLog.objects.filter(result="granted").exists()


def test_an_account_manager_cannot_propose_or_open_a_profile_closed_for_matching(
    am_client, other_teams_candidate, vacancy
):
    CandidateProfile.objects.filter(pk=other_teams_candidate.pk).update(open_for_matching=False)
    pk = other_teams_candidate.pk
    assert am_client.get(reverse("employers:candidate_detail", args=[pk])).status_code == 404
    response = am_client.post(reverse("employers:match_propose", args=[vacancy.pk, pk]))
    assert response.status_code == 404
    assert not Match.objects.exists()
    body = am_client.get(reverse("employers:vacancy_detail", args=[vacancy.pk])).content.decode()
    assert "Bakker" not in body
    assert AccessLog.objects.filter(result="denied", object_id=str(pk)).count() == 2


def test_ids_that_do_not_exist_answer_404(am_client, vacancy):
    for name, kwargs in [
        ("employers:detail", {"employer": 999}),
        ("employers:update", {"employer": 999}),
        ("employers:vacancy_detail", {"vacancy": 999}),
        ("employers:vacancy_update", {"vacancy": 999}),
        ("employers:candidate_detail", {"candidate": 999}),
        ("employers:vacancy_create", {"employer": 999}),
    ]:
        assert am_client.get(reverse(name, kwargs=kwargs)).status_code == 404, name
    posts = [
        ("employers:match_advance", {"match": 999}),
        ("employers:shortlist_create", {"vacancy": 999}),
        ("employers:contact_create", {"employer": 999}),
        ("employers:match_propose", {"vacancy": vacancy.pk, "candidate": 999}),
    ]
    for name, kwargs in posts:
        assert am_client.post(reverse(name, kwargs=kwargs)).status_code == 404, name


def test_a_contact_person_of_another_employer_is_refused(am_client, employer, account_manager):
    from employers import services

    other = services.employer_register(actor=account_manager, name="Ander")
    person = services.contact_person_add(actor=account_manager, employer=other, name="Els")
    response = am_client.post(
        reverse("employers:contact_create", args=[employer.pk]),
        {
            "date": "2026-11-02",
            "channel": "phone",
            "subject": "Kennismaking",
            "contact_person": person.pk,
        },
    )
    assert response.status_code == 200  # the form again, with the error on the field
    assert not employer.contacts.exists()


def test_the_shortlist_token_is_long_and_unguessable(
    am_client, vacancy, make_candidate, account_manager
):
    from employers import services

    match = services.match_propose(
        actor=account_manager, vacancy=vacancy, profile=make_candidate(), score=1, explanation=[]
    )
    shortlist = services.shortlist_send(actor=account_manager, vacancy=vacancy, matches=[match])
    assert len(shortlist.token) >= 40
