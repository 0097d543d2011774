import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from trajectories import reference, services
from trajectories.models import ActivityKind, Route, SkillScore, Trajectory

pytestmark = pytest.mark.django_db


def test_a_trajectory_starts_with_the_clients_coach(open_trajectory, coach):
    assert open_trajectory.coach == coach
    assert open_trajectory.is_open


def test_a_second_open_trajectory_is_refused_with_a_clear_message(
    open_trajectory, coach, client_of_coach, employee_route
):
    with pytest.raises(ValidationError) as refused:
        services.trajectory_start(
            actor=coach,
            client=client_of_coach,
            route=employee_route,
            start_date=datetime.date(2026, 3, 1),
        )
    assert "heeft al een open traject" in str(refused.value.messages)
    assert Trajectory.objects.count() == 1


def test_the_database_itself_refuses_a_second_open_trajectory(
    open_trajectory, client_of_coach, employee_route
):
    with pytest.raises(IntegrityError), transaction.atomic():
        Trajectory.objects.create(
            client=client_of_coach, route=employee_route, start_date=datetime.date(2026, 3, 1)
        )


def test_after_ending_one_the_client_can_start_another(
    open_trajectory, coach, client_of_coach, employee_route
):
    services.trajectory_end(
        actor=coach, trajectory=open_trajectory, end_date=datetime.date(2026, 6, 30), outcome="work"
    )
    second = services.trajectory_start(
        actor=coach,
        client=client_of_coach,
        route=Route.objects.get(code="participation"),
        start_date=datetime.date(2026, 7, 1),
    )
    assert [t.is_open for t in client_of_coach.trajectories.order_by("start_date")] == [
        False,
        True,
    ]
    assert second.route.code == "participation"


def test_an_end_before_the_start_or_without_outcome_is_refused(open_trajectory, coach):
    with pytest.raises(ValidationError):
        services.trajectory_end(
            actor=coach,
            trajectory=open_trajectory,
            end_date=datetime.date(2025, 12, 31),
            outcome="work",
        )
    open_trajectory.refresh_from_db()
    with pytest.raises(ValidationError):
        services.trajectory_end(
            actor=coach, trajectory=open_trajectory, end_date=datetime.date(2026, 2, 1), outcome=""
        )


@pytest.mark.parametrize(
    ("start", "deadline"),
    [
        (datetime.date(2024, 2, 29), datetime.date(2026, 2, 28)),  # kpis.md: 29 Feb → 28 Feb
        (datetime.date(2026, 1, 5), datetime.date(2028, 1, 5)),
        (datetime.date(2026, 2, 28), datetime.date(2028, 2, 28)),
    ],
)
def test_the_two_year_deadline(start, deadline):
    assert Trajectory(start_date=start).deadline == deadline


def test_an_evaluation_scores_every_skill_of_an_evaluated_activity(open_trajectory, coach, wop):
    activity = services.activity_add(
        actor=coach, trajectory=open_trajectory, kind=wop, start_date=datetime.date(2026, 2, 2)
    )
    scores = {
        "on_time": 3,
        "appointments": 4,
        "supervision": 2,
        "cooperating": 5,
        "instructions": 3,
    }
    evaluation = services.evaluation_record(
        actor=coach, activity=activity, evaluated_on=datetime.date(2026, 2, 16), scores=scores
    )
    assert dict(evaluation.scores.values_list("skill", "score")) == scores
    with pytest.raises(ValidationError):
        services.evaluation_record(
            actor=coach,
            activity=activity,
            evaluated_on=datetime.date(2026, 3, 2),
            scores={"on_time": 3},
        )
    assert SkillScore.objects.count() == 5


def test_a_language_course_has_no_skill_evaluations(open_trajectory, coach, language_course):
    activity = services.activity_add(
        actor=coach,
        trajectory=open_trajectory,
        kind=language_course,
        start_date=datetime.date(2026, 2, 2),
    )
    with pytest.raises(ValidationError):
        services.evaluation_record(
            actor=coach,
            activity=activity,
            evaluated_on=datetime.date(2026, 2, 16),
            scores=dict.fromkeys(
                ["on_time", "appointments", "supervision", "cooperating", "instructions"], 3
            ),
        )


def test_an_activity_cannot_start_before_its_trajectory(open_trajectory, coach, wop):
    with pytest.raises(ValidationError) as refused:
        services.activity_add(
            actor=coach, trajectory=open_trajectory, kind=wop, start_date=datetime.date(2025, 12, 1)
        )
    assert "start_date" in refused.value.error_dict


def test_reference_lists_load_once_and_keep_an_administrators_edits(db):
    # migrate loaded them (trajectories/migrations/0005); a reload adds only what is missing.
    assert reference.load() == {"routes": 0, "branch_teams": 0, "activity_kinds": 0}
    Route.objects.filter(code="participation").update(name="Participatie (nieuw)")
    ActivityKind.objects.filter(code="training").delete()
    assert reference.load() == {"routes": 0, "branch_teams": 0, "activity_kinds": 1}
    assert Route.objects.get(code="participation").name == "Participatie (nieuw)"
