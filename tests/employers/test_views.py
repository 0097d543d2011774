import datetime
import re

import pytest
from django.urls import reverse

from audit.models import AccessLog
from employers.models import CandidateProfile, Employer, Match, MatchStage, Shortlist, Vacancy
from tests.factories import ClientFactory, IntakeFactory

pytestmark = pytest.mark.django_db


def test_account_manager_starts_on_their_employers_page(am_client):
    response = am_client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("employers:start")
    assert response.status_code == 200


def test_an_invalid_kvk_number_is_refused_in_dutch_and_nothing_typed_is_lost(am_client, region):
    data = {"name": "Bakkerij Bol", "kvk_number": "1234567", "notes": "via netwerk"}
    response = am_client.post(reverse("employers:create"), data)
    assert response.status_code == 200
    assert "Een KvK-nummer heeft precies 8 cijfers" in response.content.decode()
    assert response.context["form"]["notes"].value() == "via netwerk"
    assert not Employer.objects.exists()
    response = am_client.post(reverse("employers:create"), {**data, "kvk_number": "1234 5678"})
    employer = Employer.objects.get()
    assert employer.kvk_number == "12345678"
    assert response["Location"] == reverse("employers:detail", args=[employer.pk])


def test_a_kvk_number_is_registered_once(am_client, employer):
    response = am_client.post(
        reverse("employers:create"), {"name": "Tweede", "kvk_number": "12345678"}
    )
    assert response.status_code == 200
    assert "Er is al een werkgever met dit KvK-nummer geregistreerd" in response.content.decode()


def test_a_stale_employer_edit_answers_409_with_the_input_kept(
    am_client, employer, account_manager
):
    from employers import services

    page = am_client.get(reverse("employers:update", args=[employer.pk]))
    version = page.context["form"]["version"].value()
    services.employer_update(
        actor=account_manager, employer=Employer.objects.get(pk=employer.pk), name="Zorggroep Noord"
    )
    response = am_client.post(
        reverse("employers:update", args=[employer.pk]),
        {"name": "Zorggroep Zuid", "kvk_number": "12345678", "version": version},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Zorggroep Noord" in body and "Zorggroep Zuid" in body
    employer.refresh_from_db()
    assert employer.name == "Zorggroep Noord"


def test_a_vacancy_edit_sent_twice_saves_once_and_does_not_cry_conflict(am_client, vacancy):
    """The second send carries the old version but changes nothing anyone else wrote."""
    form = am_client.get(reverse("employers:vacancy_update", args=[vacancy.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        title="Medewerker schoonmaak",
        version=form["version"].value(),
        skills=[skill.pk for skill in vacancy.skills.all()],
    )
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    first = am_client.post(reverse("employers:vacancy_update", args=[vacancy.pk]), data)
    assert first.status_code == 302, first.context["form"].errors
    again = am_client.post(reverse("employers:vacancy_update", args=[vacancy.pk]), data)
    assert again.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.title == "Medewerker schoonmaak"


def test_the_ranking_page_explains_and_proposes(am_client, vacancy, make_candidate):
    candidate = make_candidate(first_name="Anna", last_name="Kuipers")
    response = am_client.get(reverse("employers:vacancy_detail", args=[vacancy.pk]))
    body = response.content.decode()
    assert "Anna Kuipers" in body
    assert "1 van 2 vereiste vaardigheden" in body
    response = am_client.post(
        reverse("employers:match_propose", args=[vacancy.pk, candidate.pk]),
        {
            "w_sector": 25,
            "w_hours": 20,
            "w_skills": 25,
            "w_distance": 15,
            "w_availability": 10,
            "w_register": 5,
        },
    )
    match = Match.objects.get()
    assert match.stage == MatchStage.PROPOSED
    assert float(match.score) == 87.5
    assert [c["criterion"] for c in match.explanation["criteria"]][0] == "sector"


def test_a_match_is_introduced_only_after_consent(
    am_client, vacancy, make_candidate, account_manager
):
    from employers import services

    profile = make_candidate()
    match = services.match_propose(
        actor=account_manager, vacancy=vacancy, profile=profile, score=50, explanation=[]
    )
    url = reverse("employers:match_advance", args=[match.pk])
    am_client.post(url, {"stage": "introduced"})
    match.refresh_from_db()
    assert match.stage == MatchStage.PROPOSED
    am_client.post(
        reverse("employers:consent_create", args=[profile.pk]),
        {"given_on": "2026-11-01", "scope": "employer", "employer": vacancy.employer_id},
    )
    am_client.post(url, {"stage": "introduced"})
    match.refresh_from_db()
    assert match.stage == MatchStage.INTRODUCED
    am_client.post(url, {"stage": "rejected"})  # no reason
    match.refresh_from_db()
    assert match.stage == MatchStage.INTRODUCED


def test_hiring_the_last_position_closes_the_vacancy(vacancy, make_candidate, account_manager):
    from employers import services

    services.consent_record(
        actor=account_manager,
        client=(profile := make_candidate()).client,
        given_on=datetime.date(2026, 11, 1),
        scope="all_employers",
    )
    match = services.match_propose(
        actor=account_manager, vacancy=vacancy, profile=profile, score=50, explanation=[]
    )
    services.match_advance(actor=account_manager, match=match, stage="introduced")
    services.match_advance(actor=account_manager, match=match, stage="hired")
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.CLOSED
    assert list(match.events.values_list("stage", flat=True)) == ["proposed", "introduced", "hired"]


def test_the_shortlist_holds_no_name_bsn_birth_date_or_address(
    am_client, client, vacancy, make_candidate, account_manager
):
    from employers import services

    profiles = [
        make_candidate(first_name="Anna", last_name="Kuipers", address="Brink 4"),
        make_candidate(first_name="Yusuf", last_name="Demir", address="Markt 9"),
    ]
    for p in profiles:
        services.match_propose(
            actor=account_manager, vacancy=vacancy, profile=p, score=60, explanation=[]
        )
    am_client.post(
        reverse("employers:shortlist_create", args=[vacancy.pk]),
        {"match_ids": [m.pk for m in Match.objects.all()]},
    )
    shortlist = Shortlist.objects.get()
    client.logout()
    body = client.get(reverse("shortlists:shortlist", args=[shortlist.token])).content.decode()
    assert "Kandidaat A" in body and "Kandidaat B" in body
    for p in profiles:
        c = p.client
        for secret in (
            c.first_name,
            c.last_name,
            c.bsn,
            c.address,
            c.postcode,
            c.birth_date.strftime("%d-%m-%Y"),
            c.birth_date.isoformat(),
        ):
            assert secret not in body
    shortlist.expires_at = shortlist.created_at
    shortlist.save()
    assert client.get(reverse("shortlists:shortlist", args=[shortlist.token])).status_code == 410
    assert client.get(reverse("shortlists:shortlist", args=["guess"])).status_code == 404


def test_reading_a_candidate_profile_is_logged(am_client, make_candidate, account_manager):
    profile = make_candidate()
    assert (
        am_client.get(reverse("employers:candidate_detail", args=[profile.pk])).status_code == 200
    )
    log = AccessLog.objects.get()
    assert (log.kind, log.object_id, log.user) == (
        "candidate_profile",
        str(profile.pk),
        account_manager,
    )


def test_a_profile_closed_for_matching_is_a_404_for_account_managers(am_client, make_candidate):
    profile = make_candidate()
    CandidateProfile.objects.filter(pk=profile.pk).update(open_for_matching=False)
    assert (
        am_client.get(reverse("employers:candidate_detail", args=[profile.pk])).status_code == 404
    )
    assert AccessLog.objects.get().result == "denied"


def test_account_managers_never_see_the_intake_or_client_dossier(am_client, make_candidate):
    profile = make_candidate()
    IntakeFactory(
        client=profile.client,
        functional_limitations="Kan niet tillen door rugklachten",
        advice_notes="Coachnotitie: vertrouwelijk",
    )
    body = am_client.get(reverse("employers:candidate_detail", args=[profile.pk])).content.decode()
    assert "rugklachten" not in body and "vertrouwelijk" not in body
    assert am_client.get(reverse("clients:detail", args=[profile.client.pk])).status_code == 403


def test_coach_fills_in_the_profile_from_the_intake(coach_client, client_of_coach, region):
    IntakeFactory(
        client=client_of_coach, hours_per_week=24, available_from=datetime.date(2026, 12, 1)
    )
    url = reverse("employers:profile_edit", args=[client_of_coach.pk])
    form = coach_client.get(url).context["form"]
    assert form["hours_per_week"].value() == 24
    response = coach_client.post(
        url,
        {
            "hours_per_week": 24,
            "available_from": "2026-12-01",
            "language_level": "b1",
            "driving_licence": "True",
            "open_for_matching": "on",
        },
    )
    assert response.status_code == 302
    profile = CandidateProfile.objects.get(client=client_of_coach)
    assert profile.open_for_matching and profile.latitude is not None


def test_an_anonymised_clients_profile_cannot_be_made(coach_client, client_of_coach, region):
    from django.utils import timezone

    from clients.models import Client

    Client.objects.filter(pk=client_of_coach.pk).update(anonymised_at=timezone.now())
    url = reverse("employers:profile_edit", args=[client_of_coach.pk])
    response = coach_client.post(url, {"hours_per_week": 24, "open_for_matching": "on"})
    assert response.url == reverse("clients:detail", args=[client_of_coach.pk])
    assert not CandidateProfile.objects.exists()
    page = coach_client.get(response.url).content.decode()
    assert "geanonimiseerd" in page


def test_coach_start_page_lists_incomplete_profiles(coach_client, coach, team, region):
    from core.models import Municipality

    assen = Municipality.objects.get(name="Assen")
    can_work = ClientFactory(coach=coach, team=team, municipality=assen, last_name="Zonder")
    IntakeFactory(client=can_work, work_estimate="directly")
    cannot = ClientFactory(coach=coach, team=team, municipality=assen, last_name="Niet")
    IntakeFactory(client=cannot, work_estimate="not_within_two_years")
    response = coach_client.get(reverse("clients:list"))
    rows = response.context["incomplete_profiles"]
    assert [r["client"] for r in rows] == [can_work]
    assert "Kandidaatprofielen aan te vullen" in response.content.decode()


def listed(response) -> list:
    """The records on the list page's table, as the page shows them."""
    return [row.record for row in response.context["table"].paginated_rows]


@pytest.fixture(params=[1, 12])
def rows(request):
    return request.param


@pytest.mark.parametrize("candidates", [1, 40])
def test_ranking_page_runs_a_constant_number_of_queries(
    am_client, vacancy, make_candidate, account_manager, candidates, django_assert_num_queries
):
    from employers import services

    for i in range(candidates):
        profile = make_candidate(skills=("customer_contact", "cleaning_methods"))
        if i % 2 == 0:
            services.match_propose(
                actor=account_manager, vacancy=vacancy, profile=profile, score=50, explanation=[]
            )
    # session, user, permissions (2), vacancy, its skills, count, the page of the ranking
    # (of everyone when they fit on it, else of a pool), pipeline, rejection reasons,
    # shortlists, session renewal (3)
    with django_assert_num_queries(14):
        response = am_client.get(reverse("employers:vacancy_detail", args=[vacancy.pk]))
    assert response.status_code == 200
    ranking = response.context["page"].paginator.object_list
    assert ranking.attempts == ([None] if candidates == 1 else [10.0])


def test_candidate_list_runs_a_constant_number_of_queries(
    am_client, make_candidate, rows, django_assert_num_queries
):
    for _ in range(rows):
        make_candidate()
    # session, user, permissions (2), count, page, the page's rows with their completeness,
    # their sectors, sector filter, session renewal (3)
    with django_assert_num_queries(12):
        response = am_client.get(reverse("employers:candidate_list"))
    assert len(listed(response)) == rows


def test_employer_list_and_dossier_run_a_constant_number_of_queries(
    am_client, region, account_manager, rows, django_assert_num_queries
):
    from employers import services

    for i in range(rows):
        services.employer_register(actor=account_manager, name=f"Werkgever {i}")
    with django_assert_num_queries(10):
        am_client.get(reverse("employers:list"))
    employer = Employer.objects.first()
    for i in range(rows):
        services.contact_person_add(actor=account_manager, employer=employer, name=f"P {i}")
    # session, user, permissions (2), employer, contact persons, contacts, the contact form's
    # persons, obligations with progress, vacancies, matches, placements (their wage values
    # and provisions are prefetched only when there are placements), session renewal (3)
    with django_assert_num_queries(15):
        am_client.get(reverse("employers:detail", args=[employer.pk]))


def test_vacancy_list_runs_a_constant_number_of_queries(
    am_client, employer, vacancy, account_manager, rows, django_assert_num_queries
):
    with django_assert_num_queries(10):
        response = am_client.get(reverse("employers:vacancy_list"))
    assert re.search(r"Medewerker facilitair", response.content.decode())


def test_a_hired_match_becomes_a_placement_linked_to_its_vacancy(
    am_client, account_manager, client_of_coach, coach
):
    """The pipeline's last step: the account manager records the placement of a hire."""
    from employers import services
    from employers.models import Sector
    from placements.models import Placement

    employer = services.employer_register(
        actor=account_manager, name="Zorggroep Assen", account_manager=account_manager
    )
    vacancy = services.vacancy_register(
        actor=account_manager,
        employer=employer,
        title="Medewerker facilitair",
        sector=Sector.objects.get_or_create(code="care", defaults={"name": "Zorg"})[0],
        hours_per_week=24,
        municipality=client_of_coach.municipality,
    )
    profile = services.candidate_profile_save(
        actor=coach, client=client_of_coach, hours_per_week=24, open_for_matching=True
    )
    match = services.match_propose(
        actor=account_manager, vacancy=vacancy, profile=profile, score=50, explanation=[]
    )
    Match.objects.filter(pk=match.pk).update(stage=MatchStage.HIRED)

    form_page = am_client.get(reverse("placements:create") + f"?match={match.pk}")
    assert form_page.status_code == 200
    form = form_page.context["form"]
    assert form.initial["employer"] == employer.pk
    assert form.initial["job_title"] == "Medewerker facilitair"
    sent = {
        "candidate": client_of_coach.pk,
        "employer": employer.pk,
        "kind": "regular",
        "job_title": "Medewerker facilitair",
        "start_date": datetime.date(2026, 12, 1).isoformat(),
        "contract": "temporary",
        "contract_end_date": datetime.date(2027, 5, 31).isoformat(),
        "hours_per_week": "24",
        "submission_token": form["submission_token"].value(),
    }
    answer = am_client.post(reverse("placements:create") + f"?match={match.pk}", sent)
    assert answer.status_code == 302, answer.context["form"].errors
    placement = Placement.objects.get()
    match.refresh_from_db()
    assert match.placement == placement
    assert (placement.client, placement.employer) == (client_of_coach, employer)
    # The same form sent again (back button) goes to the placement; nothing is saved twice.
    again = am_client.post(reverse("placements:create") + f"?match={match.pk}", sent)
    assert again.url == answer.url
    assert Placement.objects.count() == 1
    # Once placed, the match cannot be placed a second time.
    assert am_client.get(reverse("placements:create") + f"?match={match.pk}").status_code == 404


def test_the_second_page_of_a_ranking_shows_the_default_weights(am_client, vacancy):
    response = am_client.get(reverse("employers:vacancy_detail", args=[vacancy.pk]), {"page": 2})
    form = response.context["ranking_form"]
    assert not form.is_bound
    assert 'name="w_sector" value="25"' in response.content.decode()


def test_candidate_list_shows_completeness_and_filters_the_incomplete(am_client, make_candidate):
    complete = make_candidate(skills=("customer_contact",))
    lacking = make_candidate(skills=())
    url = reverse("employers:candidate_list")
    response = am_client.get(url)
    rows = {row.pk: row for row in listed(response)}
    assert rows[complete.pk].completeness == "100,0%" and rows[complete.pk].missing == []
    # 5 of 6 parts: 83,3% (one decimal, as every share reads), not a whole 83.
    assert rows[lacking.pk].completeness == "83,3%"
    assert rows[lacking.pk].missing == ["vaardigheden"]
    assert "83,3%" in response.content.decode()
    detail = am_client.get(reverse("employers:candidate_detail", args=[lacking.pk]))
    assert "83,3% volledig" in detail.content.decode()
    only = listed(am_client.get(url, {"incomplete": 1}))
    assert [row.pk for row in only] == [lacking.pk]
