"""State changes of placements, wage-value assessments, provisions and follow-ups.

One function per action a user would name; views, the aftercare job, the demo data and imports
call these, so a rule holds however a row is written.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core.changelog import records_actor
from core.editing import save_versioned
from core.models import User
from core.registry import OrderedRegistry
from employers.models import Match, MatchStage
from placements import subsidy
from placements.models import (
    AssessmentTask,
    Decision,
    FollowUp,
    Placement,
    Provision,
    SubsidyCalculation,
    WageValueAssessment,
    placeable_employers,
)
from placements.wage_value import TaskScore, shares_total, wage_value_from_tasks

PLACEMENT_FIELDS = (
    "employer",
    "kind",
    "job_title",
    "start_date",
    "end_date",
    "contract",
    "contract_end_date",
    "hours_per_week",
    "hourly_wage",
    "sroi",
    "end_reason",
    "notes",
)
ASSESSMENT_FIELDS = (
    "placement",
    "assessed_on",
    "wage_value_percent",
    "method",
    "assessor",
    "reference_job",
    "notes",
)
PROVISION_FIELDS = (
    "placement",
    "kind",
    "requested_on",
    "decision",
    "decided_on",
    "start_date",
    "end_date",
    "amount_eur",
    "reassess_on",
    "job_coach_kind",
    "job_coach_hours",
    "notes",
)


def _check_fields(changes, allowed) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")


def _check_placement_of_client(placement: Placement | None, client: Client) -> None:
    if placement is not None and placement.client_id != client.pk:
        raise ValidationError(
            {"placement": _("Choose a placement of this client.")}, code="other_client"
        )


# Placements ------------------------------------------------------------------------------

# What follows a placement that starts (projects: the client moves to a project's "placed"
# stage): hook(actor, placement), called in the same transaction when a placement is created
# with a start date on or before today, or when an update brings its start to today or before.
PLACEMENT_STARTED = OrderedRegistry()


def _started(placement: Placement) -> bool:
    return placement.start_date is not None and placement.start_date <= timezone.localdate()


def placement_started(actor: User | None, placement: Placement) -> None:
    """Tell the apps that follow placements that this one has started (PLACEMENT_STARTED)."""
    for hook in PLACEMENT_STARTED:
        hook(actor, placement)


@records_actor
@transaction.atomic
def placement_create(*, actor: User | None, client: Client, **fields) -> Placement:
    """Place the client with an employer; every field is validated, written whole or not at all."""
    _check_fields(fields, PLACEMENT_FIELDS)
    client.check_writable()
    placement = Placement(client=client, **fields)
    placement.full_clean()
    placement.save()
    if _started(placement):
        placement_started(actor, placement)
    return placement


@records_actor
@transaction.atomic
def placement_update(
    *, actor: User | None, placement: Placement, version: int | None = None, **changes
) -> Placement:
    """Change a placement; a save based on an older version raises ConcurrentEdit."""
    _check_fields(changes, PLACEMENT_FIELDS)
    placement.client.check_writable()
    had_started = _started(placement)
    for name, value in changes.items():
        setattr(placement, name, value)
    placement = save_versioned(placement, version)
    if not had_started and _started(placement):
        placement_started(actor, placement)
    return placement


# Wage-value assessments ------------------------------------------------------------------


def _task_scores(tasks: Sequence[dict]) -> list[TaskScore]:
    return [
        TaskScore(
            share_percent=Decimal(task["share_percent"]),
            quality_percent=Decimal(task["quality_percent"]),
            pace_percent=Decimal(task["pace_percent"]),
            employability_percent=Decimal(task["employability_percent"]),
        )
        for task in tasks
    ]


def assessment_preview(tasks: Sequence[dict]) -> Decimal:
    """The wage value a task table gives, without saving anything (the form's "Compute")."""
    return wage_value_from_tasks(_task_scores(tasks))


def _apply_tasks(fields: dict, tasks: Sequence[dict] | None, current=None) -> None:
    """With a task table, the wage value is computed from it (and must add up to 100%);
    without one it must be given (here, or already on the `current` assessment)."""
    if not tasks:
        if fields.get("wage_value_percent", getattr(current, "wage_value_percent", None)) is None:
            raise ValidationError(
                {
                    "wage_value_percent": ValidationError(
                        _("Give the wage value, or fill in the main tasks to compute it."),
                        code="wage_value_missing",
                    )
                }
            )
        return
    scores = _task_scores(tasks)
    total = shares_total(scores)
    if total != 100:
        raise ValidationError(
            _("The shares of the main tasks add up to %(total)s%%; they must add up to 100%%.")
            % {"total": total},
            code="shares_total",
        )
    fields["wage_value_percent"] = wage_value_from_tasks(scores)


def _write_tasks(assessment: WageValueAssessment, tasks: Sequence[dict] | None) -> None:
    assessment.tasks.all().delete()
    rows = []
    for position, task in enumerate(tasks or (), start=1):
        row = AssessmentTask(assessment=assessment, position=position, **task)
        row.full_clean(exclude=["assessment"])
        rows.append(row)
    AssessmentTask.objects.bulk_create(rows)


@records_actor
@transaction.atomic
def assessment_record(
    *, actor: User | None, client: Client, tasks: Sequence[dict] | None = None, **fields
) -> WageValueAssessment:
    """Record a wage-value assessment; with a task table the percentage is computed from it."""
    _check_fields(fields, ASSESSMENT_FIELDS)
    client.check_writable()
    _check_placement_of_client(fields.get("placement"), client)
    _apply_tasks(fields, tasks)
    assessment = WageValueAssessment(client=client, recorded_by=actor, **fields)
    assessment.full_clean()
    assessment.save()
    _write_tasks(assessment, tasks)
    return assessment


@records_actor
@transaction.atomic
def assessment_update(
    *,
    actor: User | None,
    assessment: WageValueAssessment,
    version: int | None = None,
    tasks: Sequence[dict] | None = None,
    **changes,
) -> WageValueAssessment:
    """Change an assessment and replace its task table; stale saves raise ConcurrentEdit."""
    _check_fields(changes, ASSESSMENT_FIELDS)
    assessment.client.check_writable()
    _check_placement_of_client(changes.get("placement"), assessment.client)
    _apply_tasks(changes, tasks, current=assessment)
    for name, value in changes.items():
        setattr(assessment, name, value)
    save_versioned(assessment, version)
    _write_tasks(assessment, tasks)
    return assessment


# Provisions ------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def provision_request(*, actor: User | None, client: Client, **fields) -> Provision:
    """Record a provision: requested, and if known already decided, with period and amount."""
    _check_fields(fields, PROVISION_FIELDS)
    client.check_writable()
    _check_placement_of_client(fields.get("placement"), client)
    provision = Provision(client=client, **fields)
    provision.full_clean()
    provision.save()
    return provision


@records_actor
@transaction.atomic
def provision_update(
    *, actor: User | None, provision: Provision, version: int | None = None, **changes
) -> Provision:
    """Change a provision (decision, period, amount, re-assessment); stale saves are refused."""
    _check_fields(changes, PROVISION_FIELDS)
    provision.client.check_writable()
    _check_placement_of_client(changes.get("placement"), provision.client)
    for name, value in changes.items():
        setattr(provision, name, value)
    return save_versioned(provision, version)


@records_actor
@transaction.atomic
def subsidy_calculate(
    *,
    actor: User | None,
    provision: Provision,
    reference_date: datetime.date,
    wage_value_percent: Decimal,
    contract_hours: Decimal,
    full_time_hours: Decimal,
    apply: bool = False,
) -> SubsidyCalculation:
    """Calculate the wage-cost subsidy and keep it with the parameters it used.

    With `apply`, the provision's amount becomes the proposed subsidy, unless it was already
    granted: a granted amount is changed only by editing the provision on purpose.
    """
    provision.client.check_writable()
    row, result = subsidy.calculate_on(
        reference_date,
        wage_value_percent=wage_value_percent,
        contract_hours=contract_hours,
        full_time_hours=full_time_hours,
    )
    calculation = SubsidyCalculation(
        provision=provision,
        reference_date=reference_date,
        wage_value_percent=wage_value_percent,
        contract_hours=contract_hours,
        full_time_hours=full_time_hours,
        parameters=row,
        parameters_valid_from=row.valid_from,
        minimum_wage_month=row.minimum_wage_month,
        holiday_pay_factor=row.holiday_pay_factor,
        cap_percent=row.cap_percent,
        employer_cost_percent=row.employer_cost_percent,
        base_eur=result.base,
        core_eur=result.core,
        cap_applied=result.cap_applied,
        subsidy_eur=result.subsidy,
        calculated_by=actor,
    )
    calculation.full_clean()
    calculation.save()
    if apply:
        if provision.decision == Decision.GRANTED:
            raise ValidationError(
                _(
                    "This subsidy is already granted; its amount is not changed by a new "
                    "calculation. Change the provision itself if the decision changed."
                ),
                code="granted",
            )
        Provision.objects.filter(pk=provision.pk).update(
            amount_eur=result.subsidy, updated_at=timezone.now()
        )
        provision.refresh_from_db()
    return calculation


def calculation_result(calculation: SubsidyCalculation) -> subsidy.Calculation:
    """All steps of a stored calculation, recomputed from the parameters it kept."""
    return subsidy.calculate(
        parameters=subsidy.Parameters(
            valid_from=calculation.parameters_valid_from,
            minimum_wage_month=calculation.minimum_wage_month,
            holiday_pay_factor=calculation.holiday_pay_factor,
            cap_percent=calculation.cap_percent,
            employer_cost_percent=calculation.employer_cost_percent,
        ),
        wage_value_percent=calculation.wage_value_percent,
        contract_hours=calculation.contract_hours,
        full_time_hours=calculation.full_time_hours,
    )


# Follow-ups ------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def follow_up_done(
    *, actor: User, kind: str, subject: Placement | Provision, due_on: datetime.date
) -> FollowUp:
    """Mark the follow-up of a due aftercare item as done, creating it if the daily job has not
    yet; doing it twice keeps the first moment and person."""
    about = {"placement": subject} if isinstance(subject, Placement) else {"provision": subject}
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                kind=kind,
                client=subject.client,
                due_on=due_on,
                assigned_to_id=subject.client.coach_id,
                **about,
            )
        ],
        ignore_conflicts=True,
    )
    follow_up = FollowUp.objects.get(kind=kind, due_on=due_on, **about)
    FollowUp.objects.filter(pk=follow_up.pk, done_at__isnull=True).update(
        done_at=timezone.now(), done_by=actor
    )
    follow_up.refresh_from_db()
    return follow_up


# Hired matches ---------------------------------------------------------------------------


def hired_match_to_place(user: User, match_id: int) -> Match:
    """A hired match of a vacancy at an employer the user keeps, not placed yet; else 404."""
    return get_object_or_404(
        Match.objects.select_related("vacancy", "client"),
        pk=match_id,
        stage=MatchStage.HIRED,
        placement__isnull=True,
        vacancy__employer__in=placeable_employers(user),
    )


def match_placed(*, match: Match, placement) -> None:
    """Link the placement recorded for a hired match to it (the vacancy it came from)."""
    Match.objects.filter(pk=match.pk, placement__isnull=True).update(placement=placement)
