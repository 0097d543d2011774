"""State changes of trajectories: one function for each action a coach would name."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients import corrections
from clients.models import Client, CorrectionAction, EmployeeSkill
from core.changelog import records_actor
from core.models import User
from trajectories.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    BranchTeam,
    Goal,
    GoalStatus,
    Outcome,
    Route,
    SkillEvaluation,
    SkillScore,
    Trajectory,
)

OPEN_TRAJECTORY_EXISTS = _(
    "This client already has an open trajectory. End it before starting another."
)


def _save(instance):
    """Validate and write; the open-trajectory rule is a DB constraint, its error a message."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        if "one_open_trajectory_per_client" in str(
            error
        ) or "trajectories_trajectory.client_id" in str(error):
            raise ValidationError(OPEN_TRAJECTORY_EXISTS, code="open_trajectory") from None
        raise
    return instance


def _check_choices(*, route=None, branch_team=None, start_date=None, end_date=None) -> None:
    """What a coach may choose (forms, and any caller of these services). An imported
    trajectory may differ (interchange.md allows a branch team on any route); editing it later
    checks only what the edit changes."""
    today, errors = timezone.localdate(), {}
    if start_date and start_date > today:
        errors["start_date"] = ValidationError(
            _("A trajectory cannot start in the future."), code="future"
        )
    if end_date and end_date > today:
        errors["end_date"] = ValidationError(
            _("A trajectory cannot end in the future."), code="future"
        )
    if branch_team is not None and route is not None and route.code != Route.EMPLOYEE:
        errors["branch_team"] = ValidationError(
            _("A branch team belongs to route werknemer only; leave it empty."),
            code="branch_team_route",
        )
    if errors:
        raise ValidationError(errors)


def check_end_date(trajectory: Trajectory, end_date: datetime.date) -> None:
    """An end date may not lie in the future or before the start (the end form asks this
    too, so that its every error shows at once)."""
    _check_choices(end_date=end_date)
    if end_date < trajectory.start_date:
        raise ValidationError(
            {
                "end_date": ValidationError(
                    _("A trajectory cannot end before it starts (%(date)s).")
                    % {"date": trajectory.start_date.strftime("%d-%m-%Y")},
                    code="before_start",
                )
            }
        )


@records_actor
@transaction.atomic
def trajectory_start(
    *,
    actor: User,
    client: Client,
    route: Route,
    start_date: datetime.date,
    branch_team: BranchTeam | None = None,
    coach: User | None = None,
    # A projects.Project and one of its ProjectGroups; trajectories does not import projects.
    project: models.Model | None = None,
    project_group: models.Model | None = None,
) -> Trajectory:
    """Put a client on a route. Refused while the client has an open trajectory."""
    client.check_writable()
    _check_choices(route=route, branch_team=branch_team, start_date=start_date)
    trajectory = Trajectory(
        client=client,
        route=route,
        branch_team=branch_team,
        coach=coach or client.coach,
        start_date=start_date,
        project=project,
        project_group=project_group,
    )
    return _save(trajectory)


@records_actor
@transaction.atomic
def trajectory_update(*, actor: User, trajectory: Trajectory, **changes) -> Trajectory:
    """Change route, branch team, coach, dates or project of a trajectory."""
    trajectory.client.check_writable()
    allowed = {"route", "branch_team", "coach", "start_date", "project", "project_group"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Unknown trajectory fields: {sorted(unknown)}")
    if {"route", "branch_team"} & set(changes):
        route = changes.get("route", trajectory.route)
        _check_choices(route=route, branch_team=changes.get("branch_team", trajectory.branch_team))
    if "start_date" in changes and changes["start_date"] != trajectory.start_date:
        _check_choices(start_date=changes["start_date"])
    for name, value in changes.items():
        setattr(trajectory, name, value)
    return _save(trajectory)


@records_actor
@transaction.atomic
def trajectory_end(
    *, actor: User, trajectory: Trajectory, end_date: datetime.date, outcome: Outcome | str
) -> Trajectory:
    """End a trajectory with its outcome; the client may then start a new one."""
    trajectory.client.check_writable()
    if not trajectory.is_open:
        raise ValidationError(_("This trajectory has already ended."), code="ended")
    check_end_date(trajectory, end_date)
    trajectory.end_date = end_date
    trajectory.outcome = outcome
    return _save(trajectory)


@records_actor
@transaction.atomic
def goal_add(
    *,
    actor: User,
    trajectory: Trajectory,
    description: str,
    target_date: datetime.date | None = None,
) -> Goal:
    """Add a goal to the trajectory's plan."""
    trajectory.client.check_writable()
    return _save(Goal(trajectory=trajectory, description=description, target_date=target_date))


@records_actor
@transaction.atomic
def goal_set_status(
    *, actor: User, goal: Goal, status: GoalStatus | str, status_date: datetime.date
) -> Goal:
    """Mark a goal achieved, not achieved, dropped or open again, as of a date."""
    goal.trajectory.client.check_writable()
    goal.status, goal.status_date = status, status_date
    return _save(goal)


@records_actor
@transaction.atomic
def activity_add(
    *,
    actor: User,
    trajectory: Trajectory,
    kind: ActivityKind,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    provider: str = "",
    cost: Decimal | None = None,
    status: ActivityStatus | str = ActivityStatus.PLANNED,
    result: str = "",
) -> Activity:
    """Add an activity (an instrument) to a trajectory."""
    trajectory.client.check_writable()
    activity = Activity(
        trajectory=trajectory,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        provider=provider,
        cost=cost,
        status=status,
        result=result,
    )
    if start_date < trajectory.start_date:
        raise ValidationError(
            {"start_date": _("An activity cannot start before its trajectory.")}, code="early"
        )
    return _save(activity)


@records_actor
@transaction.atomic
def activity_update(*, actor: User, activity: Activity, **changes) -> Activity:
    """Change an activity: its dates, provider, cost, status or result."""
    activity.trajectory.client.check_writable()
    allowed = {"kind", "provider", "start_date", "end_date", "cost", "status", "result"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Unknown activity fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(activity, name, value)
    return _save(activity)


@records_actor
@transaction.atomic
def evaluation_record(
    *,
    actor: User,
    activity: Activity,
    evaluated_on: datetime.date,
    scores: dict[str, int],
    notes: str = "",
) -> SkillEvaluation:
    """Record an interim evaluation: every employee skill scored 1 to 5."""
    activity.trajectory.client.check_writable()
    if not activity.kind.evaluated:
        raise ValidationError(
            _("Activities of this kind have no skill evaluations."), code="not_evaluated"
        )
    missing = set(EmployeeSkill.values) - set(scores)
    unknown = set(scores) - set(EmployeeSkill.values)
    if missing or unknown:
        raise ValidationError(_("Score each of the five employee skills."), code="skills")
    evaluation = _save(
        SkillEvaluation(activity=activity, evaluated_on=evaluated_on, evaluator=actor, notes=notes)
    )
    for skill, score in scores.items():
        _save(SkillScore(evaluation=evaluation, skill=skill, score=score))
    return evaluation


EVALUATION_FIELDS = ("activity", "evaluated_on", "notes")


def _scores_changed(evaluation: SkillEvaluation, scores: dict[str, int]) -> list[list[str]]:
    """Set the five skills' scores; what changed, as [skill, before, after]."""
    if set(scores) != set(EmployeeSkill.values):
        raise ValidationError(_("Score each of the five employee skills."), code="skills")
    changed = []
    for row in evaluation.scores.all():
        new = scores[row.skill]
        if row.score != new:
            changed.append([row.get_skill_display(), str(row.score), str(new)])
            row.score = new
            _save(row)
    return changed


@records_actor
@transaction.atomic
def evaluation_correct(
    *,
    actor: User,
    evaluation: SkillEvaluation,
    reason: str,
    version: int | None = None,
    scores: dict[str, int] | None = None,
    **changes,
) -> SkillEvaluation:
    """Correct a skill evaluation (date, notes, scores, or the activity it belongs to, also of
    another client), with a reason the change history and the timeline keep."""
    unknown = set(changes) - set(EVALUATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown evaluation fields: {sorted(unknown)}")
    reason = corrections.required_reason(reason)
    old_client = evaluation.activity.trajectory.client
    old_client.check_writable()
    activity = changes.get("activity", evaluation.activity)
    new_client = activity.trajectory.client
    new_client.check_writable()
    if not activity.kind.evaluated:
        raise ValidationError({"activity": _("Activities of this kind have no skill evaluations.")})
    evaluation.correction_reason = reason
    changed = corrections.apply_changes(evaluation, changes, version=version)
    if scores is not None:
        changed += _scores_changed(evaluation, scores)
    moved = new_client.pk != old_client.pk
    if not changed and not moved:
        raise corrections.nothing_changed()
    corrections.correction_note(
        actor=actor,
        record=evaluation,
        client=new_client,
        action=CorrectionAction.CORRECTED,
        reason=reason,
        changes=changed,
        moved_from=old_client if moved else None,
    )
    return evaluation


@records_actor
@transaction.atomic
def evaluation_remove(
    *, actor: User, evaluation: SkillEvaluation, reason: str, version: int | None = None
) -> SkillEvaluation:
    """Remove a skill evaluation with a reason (soft delete, kept for the administrator)."""
    client = evaluation.activity.trajectory.client
    client.check_writable()
    reason = corrections.required_reason(reason, _("Give the reason for removing it."))
    corrections.soft_remove(evaluation, actor=actor, reason=reason, version=version)
    corrections.correction_note(
        actor=actor,
        record=evaluation,
        client=client,
        action=CorrectionAction.REMOVED,
        reason=reason,
    )
    return evaluation
