import base64
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.forms import coach_text
from clients.models import Instrument, IntakeScore, LadderObservation
from privacy import export
from privacy.services import ANONYMISED_TEXT, client_anonymise
from tests.factories import ClientFactory, IntakeFactory
from trajectories import services
from trajectories.models import Activity, Goal, SkillEvaluation, Trajectory

pytestmark = pytest.mark.django_db

SKILL_NAMES = [
    "Op tijd komen",
    "Afspraken nakomen",
    "Werken onder leiding",
    "Samenwerken",
    "Instructies opvolgen",
]
SKILLS = ["on_time", "appointments", "supervision", "cooperating", "instructions"]


def _scores(*values):
    return {f"skill_{skill}": str(v) for skill, v in zip(SKILLS, values, strict=True)}


@pytest.fixture
def wop_activity(coach, open_trajectory, wop):
    return services.activity_add(
        actor=coach,
        trajectory=open_trajectory,
        kind=wop,
        provider="Restaurant De Smaak",
        start_date=datetime.date(2026, 2, 2),
    )


@pytest.fixture
def urls(client_of_coach, open_trajectory, wop_activity, coach):
    goal = services.goal_add(actor=coach, trajectory=open_trajectory, description="Op tijd komen")
    return {
        "start": reverse("trajectories:start", args=[client_of_coach.pk]),
        "update": reverse("trajectories:update", args=[open_trajectory.pk]),
        "end": reverse("trajectories:end", args=[open_trajectory.pk]),
        "goal_create": reverse("trajectories:goal_create", args=[open_trajectory.pk]),
        "goal_status": reverse("trajectories:goal_status", args=[goal.pk]),
        "activity_create": reverse("trajectories:activity_create", args=[open_trajectory.pk]),
        "activity_update": reverse("trajectories:activity_update", args=[wop_activity.pk]),
        "evaluation_create": reverse("trajectories:evaluation_create", args=[wop_activity.pk]),
    }


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("coach", True),
        ("diagnosis_consultant", True),
        ("account_manager", False),
        ("manager", False),
        ("functional_admin", False),
    ],
)
def test_every_trajectory_page_for_every_role(client, request, urls, role, allowed):
    client.force_login(request.getfixturevalue(role))
    for name, url in urls.items():
        status = client.get(url).status_code
        assert status == (200 if allowed else 403), (name, status)


def test_another_teams_clients_trajectory_is_404(
    client, make_user, other_team, urls, open_trajectory
):
    from core import roles

    stranger = make_user("vreemde", roles.WORK_COACH, teams=[other_team])
    client.force_login(stranger)
    for name, url in urls.items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, {}).status_code == 404, name
    assert Trajectory.objects.get().end_date is None


def test_coach_starts_a_trajectory_with_a_branch_team(
    coach_client, client_of_coach, coach, employee_route, hodezo
):
    response = coach_client.post(
        reverse("trajectories:start", args=[client_of_coach.pk]),
        {
            "route": employee_route.pk,
            "branch_team": hodezo.pk,
            "coach": coach_text(coach),
            "start_date": "2026-03-02",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/clients/{client_of_coach.pk}/#trajectory")
    trajectory = Trajectory.objects.get()
    assert (trajectory.route, trajectory.branch_team, trajectory.coach) == (
        employee_route,
        hodezo,
        coach,
    )
    page = coach_client.get(reverse("clients:detail", args=[client_of_coach.pk])).content.decode()
    assert "Route werknemer" in page
    assert "Termijn van twee jaar" in page
    assert "2 maart 2028" in page  # start plus two years


def test_a_second_open_trajectory_is_refused_and_the_form_keeps_its_input(
    coach_client, client_of_coach, open_trajectory, coach, reference_lists
):
    from trajectories.models import Route

    participation = Route.objects.get(code="participation")
    response = coach_client.post(
        reverse("trajectories:start", args=[client_of_coach.pk]),
        {"route": participation.pk, "coach": coach_text(coach), "start_date": "2026-04-01"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deze cliënt heeft al een open traject. Beëindig dat voordat u een nieuw" in page
    assert 'value="2026-04-01"' in page
    assert f'<option value="{participation.pk}" selected>' in page
    assert Trajectory.objects.count() == 1


def test_a_branch_team_on_another_route_is_refused_in_dutch(
    coach_client, client_of_coach, hodezo, reference_lists
):
    from trajectories.models import Route

    response = coach_client.post(
        reverse("trajectories:start", args=[client_of_coach.pk]),
        {
            "route": Route.objects.get(code="participation").pk,
            "branch_team": hodezo.pk,
            "start_date": "2026-04-01",
        },
    )
    assert "Een brancheteam hoort alleen bij route werknemer; laat het leeg." in (
        response.content.decode()
    )
    assert not Trajectory.objects.exists()


def test_a_double_submitted_start_writes_once(coach_client, client_of_coach, employee_route, coach):
    url = reverse("trajectories:start", args=[client_of_coach.pk])
    form = coach_client.get(url).context["form"]
    data = {
        "route": employee_route.pk,
        "coach": coach_text(coach),
        "start_date": "2026-03-02",
        "submission_token": str(form["submission_token"].value()),
    }
    first, second = coach_client.post(url, data), coach_client.post(url, data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert Trajectory.objects.count() == 1


def test_ending_needs_an_outcome_and_a_date_after_the_start(coach_client, open_trajectory):
    url = reverse("trajectories:end", args=[open_trajectory.pk])
    page = coach_client.post(url, {"end_date": "2025-12-01", "outcome": ""}).content.decode()
    assert "Een traject kan niet eindigen voordat het begint (05-01-2026)." in page
    assert "Dit veld is verplicht." in page
    coach_client.post(url, {"end_date": "2026-10-01", "outcome": "work"})
    open_trajectory.refresh_from_db()
    assert (open_trajectory.end_date, open_trajectory.outcome) == (
        datetime.date(2026, 10, 1),
        "work",
    )
    # Ended: a new one may start.
    assert coach_client.get(url).status_code == 302


def test_goals_are_added_and_get_a_status(coach_client, open_trajectory):
    coach_client.post(
        reverse("trajectories:goal_create", args=[open_trajectory.pk]),
        {"description": "Zelfstandig reizen naar het werk", "target_date": "2026-06-01"},
    )
    goal = Goal.objects.get()
    coach_client.post(
        reverse("trajectories:goal_status", args=[goal.pk]),
        {"status": "achieved", "status_date": "2026-05-20"},
    )
    goal.refresh_from_db()
    assert (goal.status, goal.status_date) == ("achieved", datetime.date(2026, 5, 20))


def test_activity_before_its_trajectory_is_refused_with_the_services_message(
    coach_client, open_trajectory, wop
):
    response = coach_client.post(
        reverse("trajectories:activity_create", args=[open_trajectory.pk]),
        {"kind": wop.pk, "start_date": "2025-12-01", "status": "planned", "cost": "-5"},
    )
    page = response.content.decode()
    assert "De kosten kunnen niet negatief zijn." in page
    coach_client.post(
        reverse("trajectories:activity_create", args=[open_trajectory.pk]),
        {"kind": wop.pk, "start_date": "2025-12-01", "status": "planned"},
    )
    assert not Activity.objects.exists()


def test_activity_is_changed_with_its_result(coach_client, wop_activity, wop):
    coach_client.post(
        reverse("trajectories:activity_update", args=[wop_activity.pk]),
        {
            "kind": wop.pk,
            "provider": "Restaurant De Smaak",
            "start_date": "2026-02-02",
            "end_date": "2026-03-16",
            "cost": "450.00",
            "status": "completed",
            "result": "Werkt zelfstandig in de keuken.",
        },
    )
    wop_activity.refresh_from_db()
    assert wop_activity.status == "completed"
    assert wop_activity.result == "Werkt zelfstandig in de keuken."


def test_evaluation_needs_every_skill_and_is_recorded(coach_client, wop_activity):
    url = reverse("trajectories:evaluation_create", args=[wop_activity.pk])
    partial = _scores(3, 3, 3, 3, 3)
    del partial["skill_instructions"]
    page = coach_client.post(url, {"evaluated_on": "2026-02-16", **partial}).content.decode()
    assert "Geef deze vaardigheid een score van 1 tot 5." in page
    coach_client.post(url, {"evaluated_on": "2026-02-16", **_scores(2, 3, 4, 3, 5)})
    evaluation = SkillEvaluation.objects.get()
    assert {s.skill: s.score for s in evaluation.scores.all()} == dict(
        zip(SKILLS, [2, 3, 4, 3, 5], strict=True)
    )


def test_evaluation_of_an_activity_without_evaluations_goes_back_to_the_dossier(
    coach_client, coach, open_trajectory, language_course
):
    course = services.activity_add(
        actor=coach,
        trajectory=open_trajectory,
        kind=language_course,
        start_date=datetime.date(2026, 2, 2),
    )
    response = coach_client.get(reverse("trajectories:evaluation_create", args=[course.pk]))
    assert response.status_code == 302


def test_an_anonymised_clients_trajectory_cannot_be_changed(
    coach_client, coach, client_of_coach, urls
):
    client_anonymise(client=client_of_coach, actor=coach)
    for name, url in urls.items():
        response = coach_client.post(url, {})
        assert response.status_code == 302, name
        assert response["Location"] == reverse("clients:detail", args=[client_of_coach.pk])


def test_timeline_shows_start_end_activity_and_evaluation(
    coach_client, coach, client_of_coach, open_trajectory, wop_activity
):
    services.evaluation_record(
        actor=coach,
        activity=wop_activity,
        evaluated_on=datetime.date(2026, 2, 16),
        scores=dict.fromkeys(SKILLS, 4),
        notes="Komt elke dag op tijd.",
    )
    services.trajectory_end(
        actor=coach, trajectory=open_trajectory, end_date=datetime.date(2026, 9, 1), outcome="work"
    )
    response = coach_client.get(reverse("clients:detail", args=[client_of_coach.pk]))
    kinds = [(e.kind, e.date) for e in response.context["timeline"]]
    assert kinds == [
        ("trajectory-end", datetime.date(2026, 9, 1)),
        ("evaluation", datetime.date(2026, 2, 16)),
        ("activity", datetime.date(2026, 2, 2)),
        ("trajectory", datetime.date(2026, 1, 5)),
    ]
    page = response.content.decode()
    for text in (
        "Traject gestart",
        "Traject beëindigd",
        "Werkontwikkelplek (WOP), Restaurant De Smaak",
        "Komt elke dag op tijd.",
        "Op tijd komen: 4/5",
    ):
        assert text in page, text


def test_charts_show_the_skills_and_the_ladder_with_their_figures(
    coach_client, coach, client_of_coach, wop_activity
):
    intake = IntakeFactory(client=client_of_coach, held_on=datetime.date(2025, 12, 1))
    IntakeScore.objects.create(
        intake=intake, instrument=Instrument.EMPLOYEE_SKILL, domain="on_time", score=2
    )
    LadderObservation.objects.create(
        client=client_of_coach, step=2, observed_on=datetime.date(2025, 12, 1)
    )
    LadderObservation.objects.create(
        client=client_of_coach, step=4, observed_on=datetime.date(2026, 6, 1)
    )
    services.evaluation_record(
        actor=coach,
        activity=wop_activity,
        evaluated_on=datetime.date(2026, 2, 16),
        scores=dict(zip(SKILLS, [4, 3, 5, 2, 1], strict=True)),
    )
    response = coach_client.get(reverse("clients:detail", args=[client_of_coach.pk]))
    page = response.content.decode()
    images = re.findall(
        r'<img class="chart img-fluid" alt="([^"]*)" src="data:image/svg\+xml;base64,([^"]+)"', page
    )
    assert [alt for alt, _svg in images] == [
        "Ontwikkeling van de werknemersvaardigheden (1 = onvoldoende, 5 = goed)",
        "Stijging op de participatieladder (1 = geïsoleerd, 6 = betaald werk)",
    ]
    skills_svg = base64.b64decode(images[0][1]).decode()
    assert skills_svg.startswith("<svg")
    for skill in SKILL_NAMES:
        assert "<text" in skills_svg and skill in skills_svg, skill
    panel = next(p.context for p in response.context["panels"] if "skill_moments" in p.context)
    # The table: the intake (only on time scored) and the evaluation, oldest first.
    assert [(m.date, m.scores) for m in panel["skill_moments"]] == [
        (datetime.date(2025, 12, 1), [2, None, None, None, None]),
        (datetime.date(2026, 2, 16), [4, 3, 5, 2, 1]),
    ]
    assert 'id="skills-table"' in page
    assert "<td>Evaluatie Werkontwikkelplek (WOP)</td><td>4</td><td>3</td><td>5</td>" in page
    assert 'id="ladder-table"' in page
    assert "4 Onbetaald werk" in page


def test_export_has_the_trajectories_and_anonymisation_empties_their_free_text(
    coach, client_of_coach, open_trajectory, wop_activity
):
    services.goal_add(actor=coach, trajectory=open_trajectory, description="Schulden regelen")
    services.activity_update(actor=coach, activity=wop_activity, result="Goed gegaan bij Jan")
    services.evaluation_record(
        actor=coach,
        activity=wop_activity,
        evaluated_on=datetime.date(2026, 2, 16),
        scores=dict.fromkeys(SKILLS, 4),
        notes="Praat over zijn schulden",
    )
    section = next(
        s for s in export.export_build(client_of_coach).sections if s.key == "trajectories"
    )
    [record] = section.records
    assert record["route"] == "Route werknemer"
    assert record["goals"][0]["description"] == "Schulden regelen"
    [activity] = record["activities"]
    assert (activity["provider"], activity["result"]) == (
        "Restaurant De Smaak",
        "Goed gegaan bij Jan",
    )
    assert activity["evaluations"][0]["notes"] == "Praat over zijn schulden"
    assert export.as_pdf(export.export_build(client_of_coach)).startswith(b"%PDF")

    client_anonymise(client=client_of_coach, actor=coach)
    assert Goal.objects.get().description == ANONYMISED_TEXT
    activity = Activity.objects.get()
    assert (activity.provider, activity.result) == ("", "")
    assert SkillEvaluation.objects.get().notes == ""
    # What the figures need stays: kind, dates, status, scores.
    assert activity.kind.code == "work_experience"
    assert SkillEvaluation.objects.get().scores.count() == 5


def test_start_in_the_future_is_refused(coach_client, client_of_coach, employee_route):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = coach_client.post(
        reverse("trajectories:start", args=[client_of_coach.pk]),
        {"route": employee_route.pk, "start_date": tomorrow.isoformat()},
    ).content.decode()
    assert "Een traject kan niet in de toekomst starten." in page


def test_another_teams_client_cannot_get_a_trajectory(
    client, make_user, other_team, reference_lists
):
    from core import roles

    stranger_client = ClientFactory(team=other_team, coach=None)
    coach = make_user("anderecoach", roles.WORK_COACH)
    client.force_login(coach)
    url = reverse("trajectories:start", args=[stranger_client.pk])
    assert client.get(url).status_code == 404
