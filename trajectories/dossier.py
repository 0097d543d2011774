"""The trajectories part of the client dossier: the current trajectory and the earlier ones, and
the development charts (employee skills, participation ladder). Registered in
TrajectoriesConfig.ready(); one query however many trajectories, goals, activities and
evaluations the client has (trajectories with their goals, activities, evaluations and their
scores as JSON rows); the intake skill scores and the ladder measurements of the charts are
the rows the timeline reads."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from clients import dossier
from clients.models import Client, EmployeeSkill, Instrument, LadderStep
from clients.timeline import intakes_of, ladder_of
from core.charts import line_chart
from trajectories import alerts
from trajectories.models import Activity, Route, SkillEvaluation, Trajectory

# Goals come with their trajectory's query, and so do the activities with their evaluations and
# the evaluations' scores (nested JSON rows).
GOALS = dossier.JSONPrefetch("goals", order=("target_date", "pk"))
SCORES = dossier.JSONPrefetch("scores")
EVALUATIONS = dossier.JSONRows(
    "evaluations", related=("evaluator",), order=("evaluated_on", "pk"), nested=(SCORES,)
)
ACTIVITIES = dossier.JSONRows(
    "activities", related=("kind",), order=("-start_date", "-pk"), nested=(EVALUATIONS,)
)

# What other apps read with each trajectory, as JSON rows in the trajectories' query (plans: the
# plan's versions); an app appends its JSONRows when its dossier module is imported.
with_trajectory: list[dossier.JSONRows] = []


def trajectories_of(client: Client) -> list[Trajectory]:
    """All trajectories of the client with their plan, activities and evaluations (one query,
    once per client object: the panel and the timeline share them)."""
    return dossier.loaded(client, "trajectories", lambda: load_trajectories(client))


def load_trajectories(client: Client, *, with_removed: bool = False) -> list[Trajectory]:
    """As trajectories_of, read afresh (for whatever is not one page of the dossier); with the
    evaluations removed with a reason too when `with_removed` (the right-of-access export)."""
    if with_removed:
        trajectories = _trajectories(client.pk)
        evaluations = SCORES.annotate(SkillEvaluation.with_removed.select_related("evaluator"))
        activities = Activity.objects.select_related("kind").prefetch_related(
            Prefetch("evaluations", queryset=evaluations)
        )
        trajectories = list(trajectories.prefetch_related(Prefetch("activities", activities)))
        for trajectory in trajectories:
            for activity in trajectory.activities.all():
                SCORES.attach(activity.evaluations.all())
    else:
        # SkillEvaluation's default manager leaves the removed ones out.
        trajectories = dossier.rows_once(_dossier_trajectories, client)
        ACTIVITIES.attach(trajectories)
    for rows in (GOALS, *with_trajectory):
        rows.attach(trajectories)
    return trajectories


def _trajectories(client_pk):
    trajectories = GOALS.annotate(Trajectory.objects.filter(client_id=client_pk)).select_related(
        "route", "branch_team", "coach", "project", "project_group"
    )
    for rows in with_trajectory:
        trajectories = rows.annotate(trajectories)
    return trajectories


def _dossier_trajectories(client_pk):
    return ACTIVITIES.annotate(_trajectories(client_pk))


@dataclass(frozen=True)
class SkillMoment:
    """One row of the skills table: a date, where the scores come from, a score per skill."""

    date: datetime.date
    source: str
    scores: list[int | None]  # in EmployeeSkill order


def skill_moments(client: Client, trajectories: list[Trajectory]) -> list[SkillMoment]:
    """Intake employee-skill scores and the evaluations already loaded, by date (the intakes
    come from the rows the timeline reads, clients.timeline.intakes_of)."""
    by_intake = defaultdict(dict)
    dates = {}
    for intake in reversed(intakes_of(client)):  # oldest first
        for score in intake.scores.all():
            if score.instrument == Instrument.EMPLOYEE_SKILL:
                by_intake[intake.pk][score.domain] = score.score
                dates[intake.pk] = intake.held_on
    skills = EmployeeSkill.values
    moments = [
        SkillMoment(dates[pk], _("Intake"), [scores.get(skill) for skill in skills])
        for pk, scores in by_intake.items()
    ]
    for trajectory in trajectories:
        for activity in trajectory.activities.all():
            for evaluation in activity.evaluations.all():
                scores = {s.skill: s.score for s in evaluation.scores.all()}
                moments.append(
                    SkillMoment(
                        evaluation.evaluated_on,
                        _("Evaluation %(activity)s") % {"activity": activity.kind},
                        [scores.get(skill) for skill in skills],
                    )
                )
    moments.sort(key=lambda m: m.date)
    return moments


def skills_chart(moments: list[SkillMoment]):
    series = {
        str(label): [(m.date, m.scores[i]) for m in moments if m.scores[i] is not None]
        for i, label in enumerate(EmployeeSkill.labels)
    }
    return line_chart(
        series,
        title=_("Development of the employee skills (1 = insufficient, 5 = good)"),
        y_min=1,
        y_max=5,
        y_label=_("score"),
    )


def ladder_chart(observations: list[tuple[datetime.date, int]]):
    return line_chart(
        {str(_("Participation ladder step")): observations},
        title=_("Climb on the participation ladder (1 = isolated, 6 = paid work)"),
        y_min=1,
        y_max=6,
        y_label=_("step"),
    )


@dossier.register(20)
def trajectories_panel(client: Client, user) -> dossier.Panel | None:
    if not user.has_perm("trajectories.view_trajectory"):
        return None
    trajectories = trajectories_of(client)
    current = next((t for t in trajectories if t.is_open), None)
    earlier = [t for t in trajectories if t is not current]
    moments = skill_moments(client, trajectories)
    # The measurements the timeline reads (clients.timeline.ladder_of), oldest first.
    observations = sorted(ladder_of(client), key=lambda obs: (obs.observed_on, obs.pk))
    ladder = [(obs.observed_on, obs.step) for obs in observations]
    return dossier.Panel(
        "trajectories/_dossier.html",
        {
            "current": current,
            "earlier": earlier,
            "employee_route": Route.EMPLOYEE,
            "skill_names": EmployeeSkill.labels,
            "skill_moments": moments,
            "skills_chart": skills_chart(moments) if moments else None,
            "ladder": [(day, LadderStep(step).label) for day, step in ladder],
            "ladder_chart": ladder_chart(ladder) if ladder else None,
        },
    )


@dossier.register_start(10)
def signals_part(user, caseload) -> dossier.Panel | None:
    """The signals of the coach's own caseload, each with its clients (trajectories.alerts)."""
    signals = alerts.signals_for(caseload)
    if not signals:
        return None
    return dossier.Panel("trajectories/_signals.html", {"signals": signals, "show_clients": True})
