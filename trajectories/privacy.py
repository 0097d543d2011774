"""The trajectories section of a right-of-access export (privacy.export): each trajectory with its
goals, activities and skill evaluations, in five queries however many there are. Imported by
TrajectoriesConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from audit import history
from clients.privacy import removal
from core import gdpr
from core.gdpr import Section, choice_label, field_label, person
from trajectories.dossier import load_trajectories
from trajectories.models import (
    Activity,
    ActivityStatus,
    Goal,
    GoalStatus,
    Outcome,
    SkillEvaluation,
    SkillScore,
    Trajectory,
)

for _model, _lookup in (
    (Trajectory, "client"),
    (Goal, "trajectory__client"),
    (Activity, "trajectory__client"),
    (SkillEvaluation, "activity__trajectory__client"),
    (SkillScore, "evaluation__activity__trajectory__client"),
):
    history.register_owned_records(_model, _lookup)


def _record(trajectory: Trajectory) -> dict:
    return {
        "route": str(trajectory.route),
        "branch_team": str(trajectory.branch_team or ""),
        "coach": person(trajectory.coach),
        "start_date": trajectory.start_date,
        "end_date": trajectory.end_date,
        "outcome": choice_label(trajectory.outcome, Outcome.choices),
        "project": str(trajectory.project or ""),
        "project_group": str(trajectory.project_group or ""),
        "goals": [
            {
                "description": goal.description,
                "status": choice_label(goal.status, GoalStatus.choices),
                "target_date": goal.target_date,
                "status_date": goal.status_date,
            }
            for goal in trajectory.goals.all()
        ],
        "activities": [
            {
                "kind": str(activity.kind),
                "provider": activity.provider,
                "start_date": activity.start_date,
                "end_date": activity.end_date,
                "cost": activity.cost,
                "status": choice_label(activity.status, ActivityStatus.choices),
                "result": activity.result,
                "evaluations": [
                    {
                        "evaluated_on": evaluation.evaluated_on,
                        "evaluator": person(evaluation.evaluator),
                        "notes": evaluation.notes,
                        "removed": removal(evaluation),
                        "scores": {
                            str(score.get_skill_display()): score.score
                            for score in evaluation.scores.all()
                        },
                    }
                    for evaluation in activity.evaluations.all()
                ],
            }
            for activity in trajectory.activities.all()
        ],
    }


@gdpr.register(50)
def trajectories(client) -> Section:
    # Evaluations removed with a reason are still held: the client gets them, marked.
    rows = sorted(load_trajectories(client, with_removed=True), key=lambda t: (t.start_date, t.pk))
    return Section(
        key="trajectories",
        title=_("Trajectories"),
        fields=[
            *[
                (name, field_label(Trajectory, name))
                for name in (
                    "route",
                    "branch_team",
                    "coach",
                    "start_date",
                    "end_date",
                    "outcome",
                    "project",
                    "project_group",
                )
            ],
            ("goals", _("Goals")),
            ("activities", _("Activities")),
        ],
        records=[_record(t) for t in rows],
        template="trajectories/export/_trajectories.html",
        extra={
            "goal_fields": [
                (name, field_label(Goal, name))
                for name in ("description", "status", "target_date", "status_date")
            ],
            "activity_fields": [
                (name, field_label(Activity, name))
                for name in (
                    "kind",
                    "provider",
                    "start_date",
                    "end_date",
                    "cost",
                    "status",
                    "result",
                )
            ],
        },
    )
