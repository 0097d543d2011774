import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from audit.models import AccessLog
from clients import services
from clients.models import Client, Contact, Intake, IntakeScore, LadderObservation
from tests.factories import ClientFactory, ContactFactory, IntakeFactory

pytestmark = pytest.mark.django_db


def test_every_page_needs_a_login(client, client_of_coach):
    for url in [
        reverse("home"),
        reverse("clients:list"),
        reverse("clients:detail", args=[client_of_coach.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_health_answers_without_login_and_shows_no_data(client, client_of_coach):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_coach_start_page_is_the_own_active_caseload(coach_client, coach, team):
    mine = ClientFactory(coach=coach, team=team, last_name="Bakker")
    ClientFactory(
        coach=coach,
        team=team,
        last_name="Weg",
        deregistered_on=datetime.date(2025, 6, 1),
        deregistration_reason="work",
    )
    ClientFactory(team=team, last_name="Collega")
    response = coach_client.get(reverse("home"), follow=True)
    assert response.context["own_caseload"] is True
    assert list(response.context["table"].data) == [mine]
    assert "Mijn caseload" in response.content.decode()


def test_caseload_filters_by_target_group_and_team(coach_client, coach, team, other_team):
    wajong = ClientFactory(team=team, target_group="wajong")
    ClientFactory(team=team, target_group="status_holder")
    ClientFactory(coach=coach, team=other_team, target_group="wajong")
    response = coach_client.get(
        reverse("clients:list"), {"target_group": "wajong", "team": team.pk, "status": "active"}
    )
    assert list(response.context["table"].data) == [wajong]


def test_caseload_shows_bsn_masked(coach_client, client_of_coach):
    response = coach_client.get(reverse("clients:list"))
    body = response.content.decode()
    assert client_of_coach.bsn_masked in body
    assert client_of_coach.bsn not in body


def test_bsn_search_is_posted_and_finds_the_client(coach_client, client_of_coach, team):
    ClientFactory(team=team)
    response = coach_client.post(reverse("clients:list"), {"bsn": client_of_coach.bsn})
    assert list(response.context["table"].data) == [client_of_coach]


def test_bsn_in_the_url_is_dropped(coach_client, client_of_coach, team):
    other = ClientFactory(team=team, coach=client_of_coach.coach)
    response = coach_client.get(
        reverse("clients:list"), {"bsn": client_of_coach.bsn, "status": "active"}, follow=True
    )
    assert response.redirect_chain == [(reverse("clients:list") + "?status=active", 302)]
    assert set(response.context["table"].data) == {client_of_coach, other}


def test_bsn_search_does_not_reach_other_teams(coach_client, other_team):
    stranger = ClientFactory(team=other_team)
    response = coach_client.post(reverse("clients:list"), {"bsn": stranger.bsn})
    assert list(response.context["table"].data) == []


def test_roles_without_dossier_access_get_403_on_the_caseload(client, manager, account_manager):
    for user in (manager, account_manager):
        client.force_login(user)
        assert client.get(reverse("clients:list")).status_code == 403


def test_coach_cannot_open_client_of_other_team(coach_client, other_team):
    stranger = ClientFactory(team=other_team)
    for name in ["clients:detail", "clients:update", "clients:intake_create"]:
        assert coach_client.get(reverse(name, args=[stranger.pk])).status_code == 404
    response = coach_client.post(
        reverse("clients:contact_create", args=[stranger.pk]),
        {"date": "2026-01-01", "channel": "phone"},
    )
    assert response.status_code == 404
    assert not Contact.objects.exists()


def test_opening_a_dossier_is_logged(coach_client, coach, client_of_coach):
    coach_client.get(reverse("clients:detail", args=[client_of_coach.pk]), REMOTE_ADDR="10.1.2.3")
    entry = AccessLog.objects.get()
    assert (entry.user, entry.username) == (coach, coach.username)
    assert (entry.kind, entry.result) == ("dossier", "granted")
    assert (entry.object_type, entry.object_id) == ("clients.client", str(client_of_coach.pk))
    assert entry.ip_address == "10.1.2.3"


def test_register_client_redirects_to_the_new_dossier(coach_client, new_client_data):
    response = coach_client.post(reverse("clients:create"), new_client_data)
    client = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:detail", args=[client.pk])
    assert client.postcode == "9402 CD"
    assert LogEntry.objects.filter(action=LogEntry.Action.CREATE).exists()


def test_wrong_bsn_keeps_everything_typed(coach_client, new_client_data):
    response = coach_client.post(reverse("clients:create"), {**new_client_data, "bsn": "123456783"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "voldoet niet aan de elfproef" in body
    for typed in [
        'value="Selam"',
        'value="Tesfay"',
        'value="123456783"',
        'value="selam@example.org"',
        'value="1995-07-01"',
    ]:
        assert typed in body
    assert not Client.objects.exists()


def edit_form_data(form, **changes) -> dict:
    """What the edit form posts as the page rendered it, with `changes` typed over it."""
    data = {name: form[name].value() for name in form.fields}
    data = {name: str(value) for name, value in data.items() if value not in (None, False)}
    data.update(changes)
    return data


def test_edit_client_records_before_and_after(coach_client, client_of_coach):
    url = reverse("clients:update", args=[client_of_coach.pk])
    form = coach_client.get(url).context["form"]
    data = edit_form_data(form, phone="0592-123456")
    response = coach_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    client_of_coach.refresh_from_db()
    assert client_of_coach.phone == "0592-123456"
    change = LogEntry.objects.filter(action=LogEntry.Action.UPDATE).get()
    assert change.changes_dict["phone"] == ["", "0592-123456"]


def test_contact_logged_with_htmx_returns_the_panel_and_the_timeline(
    coach_client, client_of_coach, coach
):
    response = coach_client.post(
        reverse("clients:contact_create", args=[client_of_coach.pk]),
        {"date": "2026-11-20", "channel": "in_person", "subject": "Kennismaking"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    contact = Contact.objects.get()
    assert (contact.client, contact.author, contact.channel) == (
        client_of_coach,
        coach,
        "in_person",
    )
    assert 'id="contact-panel"' in body
    assert 'hx-swap-oob="true"' in body and "Kennismaking" in body


def test_contact_without_htmx_redirects_to_the_dossier(coach_client, client_of_coach):
    url = reverse("clients:contact_create", args=[client_of_coach.pk])
    response = coach_client.post(url, {"date": "2026-11-20", "channel": "email"})
    assert response.status_code == 302
    assert Contact.objects.count() == 1


def test_invalid_contact_keeps_the_input_and_saves_nothing(coach_client, client_of_coach):
    response = coach_client.post(
        reverse("clients:contact_create", args=[client_of_coach.pk]),
        {"date": "", "channel": "phone", "subject": "Bespreken vacature"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert 'value="Bespreken vacature"' in body
    assert "is-invalid" in body
    assert not Contact.objects.exists()


def test_contact_form_accepts_only_post(coach_client, client_of_coach):
    url = reverse("clients:contact_create", args=[client_of_coach.pk])
    assert coach_client.get(url).status_code == 405


def test_intake_is_recorded_with_scores_and_a_dated_ladder_step(coach_client, client_of_coach):
    response = coach_client.post(
        reverse("clients:intake_create", args=[client_of_coach.pk]),
        {
            "held_on": "2026-11-02",
            "ladder_step": "3",
            "advised_route": "employee",
            "work_estimate": "within_two_years",
            "dream": "Koken in een restaurant",
            "barriers": ["debts", "language"],
            "hours_per_week": "24",
            "life_wheel_work": "3",
            "employee_skill_cooperating": "4",
            "zrm_finances": "2",
            "zrm_finances_purpose": "Schuldhulp afstemmen",
        },
    )
    assert response.status_code == 302
    intake = Intake.objects.get()
    assert intake.barriers == ["debts", "language"]
    assert intake.intensive_service is True
    assert IntakeScore.objects.filter(intake=intake).count() == 3
    ladder = LadderObservation.objects.get()
    assert (ladder.step, ladder.observed_on, ladder.intake) == (
        3,
        datetime.date(2026, 11, 2),
        intake,
    )


def test_ladder_measurements_show_the_climb(coach_client, client_of_coach):
    url = reverse("clients:ladder_create", args=[client_of_coach.pk])
    coach_client.post(url, {"observed_on": "2026-01-10", "step": "2"})
    coach_client.post(url, {"observed_on": "2026-07-10", "step": "4"})
    steps = list(
        client_of_coach.ladder_observations.order_by("observed_on").values_list("step", flat=True)
    )
    assert steps == [2, 4]


def _caseload_rows(coach, team, n):
    clients = ClientFactory.create_batch(n, coach=coach, team=team)
    for c in clients:
        ContactFactory(client=c)


@pytest.mark.parametrize("rows", [1, 50])
def test_caseload_runs_a_constant_number_of_queries(
    coach_client, coach, team, rows, django_assert_num_queries
):
    _caseload_rows(coach, team, rows)
    # session, user, permissions (2), coach filter value, count, page, coach and team choices,
    # the five signals above the caseload (trajectories.alerts, one query each),
    # the coach's incomplete candidate profiles (employers.profiles, one query),
    # aftercare (placements.aftercare): contracts ending, retention checks, re-assessments
    # and their follow-ups (four queries), the documents expiring (documents.dossier, one query),
    # the clients handed over to the coach with an unread note (clients.handover, one query),
    # the events to follow up (projects.event_dossier, one query),
    # and the idle-timeout renewal of the session (savepoint, update, release)
    with django_assert_num_queries(25):
        response = coach_client.get(reverse("clients:list"))
    assert response.status_code == 200


def _trajectories(client, rows):
    """`rows` ended trajectories and an open one, each with a goal, a WOP and an evaluation."""
    from trajectories import reference
    from trajectories.models import (
        Activity,
        ActivityKind,
        Goal,
        Route,
        SkillEvaluation,
        SkillScore,
        Trajectory,
    )

    reference.load()
    route, wop = (
        Route.objects.get(code="employee"),
        ActivityKind.objects.get(code="work_experience"),
    )
    for year in range(rows + 1):
        start = datetime.date(2000 + year, 1, 10)
        ended = year < rows
        trajectory = Trajectory.objects.create(
            client=client,
            route=route,
            start_date=start,
            end_date=start.replace(month=12) if ended else None,
            outcome="work" if ended else "",
        )
        Goal.objects.create(trajectory=trajectory, description="Op tijd komen")
        activity = Activity.objects.create(trajectory=trajectory, kind=wop, start_date=start)
        evaluation = SkillEvaluation.objects.create(activity=activity, evaluated_on=start)
        SkillScore.objects.bulk_create(
            SkillScore(evaluation=evaluation, skill=skill, score=3)
            for skill in ("on_time", "appointments", "supervision", "cooperating", "instructions")
        )


@pytest.mark.parametrize("rows", [1, 50])
def test_dossier_runs_a_constant_number_of_queries(
    coach_client, client_of_coach, rows, django_assert_num_queries
):
    for contact in ContactFactory.create_batch(rows, client=client_of_coach):
        services.contact_correct(
            actor=contact.author or client_of_coach.coach,
            contact=contact,
            reason="Verkeerd onderwerp",
            subject="Gecorrigeerd",
        )
    for intake in IntakeFactory.create_batch(rows, client=client_of_coach):
        IntakeScore.objects.create(intake=intake, instrument="life_wheel", domain="work", score=5)
        IntakeScore.objects.create(
            intake=intake, instrument="employee_skill", domain="on_time", score=2
        )
        LadderObservation.objects.create(client=client_of_coach, step=2, intake=intake)
    LadderObservation.objects.bulk_create(
        LadderObservation(client=client_of_coach, step=3) for _ in range(rows)
    )
    _trajectories(client_of_coach, rows)
    # session, user, permissions (2); the client, with what the panels read of it (counts,
    # one-to-one rows, coach history, appointments, projects, matches, placements, provisions,
    # referrals with their practical assessments, household: clients.dossier.register_reads);
    # the access log entry and the idle-timeout renewal of the session (savepoint, update,
    # release): 9. The timeline and the panels: contacts, intakes (with their scores), ladder
    # steps (shared with the ladder chart), trajectories (with their goals, activities,
    # evaluations and scores, and the plans' versions), wage-value assessments (with their
    # tasks), documents (with their letters), the corrections of the page's entries: 16
    # (issue 20; 42 before)
    with django_assert_num_queries(16):
        response = coach_client.get(reverse("clients:detail", args=[client_of_coach.pk]))
    # contacts, intakes, ladder steps; each trajectory's start, activity and evaluation,
    # and the end of the ended ones: one page of them
    total = 3 * rows + 3 * (rows + 1) + rows
    assert len(response.context["timeline"]) == min(total, 25)
    assert response.context["timeline"].has_next == (total > 25)
    panel = next(p.context for p in response.context["panels"] if "current" in p.context)
    assert panel["current"].start_date == datetime.date(2000 + rows, 1, 10)
    assert len(panel["earlier"]) == rows


def test_dossier_without_trajectories_runs_the_fewest_queries(
    coach_client, client_of_coach, django_assert_num_queries
):
    # The 16 of the dossier above less the corrections (no entry on the page): 15
    with django_assert_num_queries(15):
        response = coach_client.get(reverse("clients:detail", args=[client_of_coach.pk]))
    assert "Geen lopend traject." in response.content.decode()


def test_health_answers_for_any_host_and_over_plain_http(client, settings, db):
    settings.ALLOWED_HOSTS = ["wo.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/health", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
