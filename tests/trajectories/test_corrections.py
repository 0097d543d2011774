"""Correcting and removing a skill evaluation (issue 17): with a reason, through the scope."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clients.models import Correction
from tests.factories import ClientFactory
from trajectories import services
from trajectories.models import SkillEvaluation, SkillScore

pytestmark = pytest.mark.django_db

SKILLS = ["on_time", "appointments", "supervision", "cooperating", "instructions"]


@pytest.fixture
def evaluation(coach, open_trajectory, wop):
    activity = services.activity_add(
        actor=coach, trajectory=open_trajectory, kind=wop, start_date=datetime.date(2026, 2, 2)
    )
    return services.evaluation_record(
        actor=coach,
        activity=activity,
        evaluated_on=datetime.date(2026, 2, 16),
        scores=dict.fromkeys(SKILLS, 3),
    )


def test_a_corrected_score_is_kept_with_its_reason(evaluation, coach):
    scores = dict.fromkeys(SKILLS, 3) | {"on_time": 5}
    services.evaluation_correct(
        actor=coach, evaluation=evaluation, reason="Verkeerd ingevuld", scores=scores
    )
    assert SkillScore.objects.get(evaluation=evaluation, skill="on_time").score == 5
    correction = Correction.objects.get()
    assert correction.changes == [["Op tijd komen", "3", "5"]]
    assert correction.reason == "Verkeerd ingevuld"


def test_a_removed_evaluation_leaves_the_dossier(evaluation, coach, coach_client, client_of_coach):
    with pytest.raises(ValidationError):
        services.evaluation_remove(actor=coach, evaluation=evaluation, reason=" ")
    services.evaluation_remove(actor=coach, evaluation=evaluation, reason="Dubbel")
    assert not SkillEvaluation.objects.exists()
    assert SkillEvaluation.with_removed.get().removal_reason == "Dubbel"
    response = coach_client.get(reverse("clients:detail", args=[client_of_coach.pk]))
    assert not [e for e in response.context["timeline"] if e.kind == "evaluation"]


def test_the_correction_page_saves_with_a_reason(evaluation, coach_client):
    url = reverse("trajectories:evaluation_correct", args=[evaluation.pk])
    form = coach_client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: str(v) for k, v in data.items() if v not in (None, False)}
    data["notes"] = "Kwam te laat"
    assert coach_client.post(url, data).status_code == 200  # no reason: the form again
    data["reason"] = "Notitie vergeten"
    assert coach_client.post(url, data).status_code == 302
    assert SkillEvaluation.objects.get().notes == "Kwam te laat"


def test_an_evaluation_of_another_team_is_a_404(
    coach_client, other_team, wop, coach, employee_route
):
    stranger = ClientFactory(team=other_team)
    trajectory = services.trajectory_start(
        actor=coach,
        client=stranger,
        route=employee_route,
        start_date=datetime.date(2026, 1, 5),
    )
    activity = services.activity_add(
        actor=coach, trajectory=trajectory, kind=wop, start_date=datetime.date(2026, 2, 2)
    )
    evaluation = services.evaluation_record(
        actor=coach,
        activity=activity,
        evaluated_on=datetime.date(2026, 2, 16),
        scores=dict.fromkeys(SKILLS, 3),
    )
    for name in ("trajectories:evaluation_correct", "trajectories:evaluation_remove"):
        assert coach_client.get(reverse(name, args=[evaluation.pk])).status_code == 404


def test_the_export_holds_a_removed_evaluation_marked(evaluation, coach, client_of_coach):
    from trajectories.privacy import trajectories

    services.evaluation_remove(actor=coach, evaluation=evaluation, reason="Dubbel")
    [record] = trajectories(client_of_coach).records
    [removed] = record["activities"][0]["evaluations"]
    assert removed["removed"].endswith(": Dubbel")


def test_an_evaluation_moves_to_the_right_clients_activity(
    evaluation, coach, coach_client, team, employee_route, wop
):
    right = ClientFactory(coach=coach, team=team)
    trajectory = services.trajectory_start(
        actor=coach, client=right, route=employee_route, start_date=datetime.date(2026, 1, 5)
    )
    activity = services.activity_add(
        actor=coach, trajectory=trajectory, kind=wop, start_date=datetime.date(2026, 1, 12)
    )
    url = reverse("trajectories:evaluation_correct", args=[evaluation.pk])
    form = coach_client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: str(v) for k, v in data.items() if v not in (None, False)}
    data |= {"activity": str(activity.pk), "reason": "Bij de verkeerde cliënt"}
    response = coach_client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("clients:detail", args=[right.pk]))
    assert SkillEvaluation.objects.get().activity == activity
    correction = Correction.objects.get()
    assert (correction.client, correction.moved_from) == (
        right,
        evaluation.activity.trajectory.client,
    )
