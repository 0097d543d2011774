"""State changes of the diagnosis app: referring a client to the diagnosis team, withdrawing
the referral, answering it with the intake that follows, planning and finishing a practical
assessment, and removing it all when a client is anonymised."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Intake
from core.changelog import records_actor
from core.models import Team, User
from diagnosis.models import (
    AssessmentStatus,
    PracticalAssessment,
    Referral,
    ReferralStatus,
    diagnosis_teams,
)


@records_actor
@transaction.atomic
def referral_make(
    *,
    actor: User | None,
    client: Client,
    team: Team,
    question: str,
    limitation_notes: str = "",
) -> Referral:
    """Refer the client to a diagnosis team with a question; one open referral per client."""
    client.check_writable()
    Client.objects.select_for_update().filter(pk=client.pk).first()  # two coaches at once
    if not diagnosis_teams().filter(pk=team.pk).exists():
        raise ValidationError(
            {"team": _("This team has no diagnosis consultant; choose a diagnosis team.")},
            code="no_consultant",
        )
    if Referral.objects.filter(client=client).open().exists():
        raise ValidationError(
            _(
                "This client already has an open referral to diagnosis; withdraw it first if "
                "the question has changed."
            ),
            code="open_referral",
        )
    referral = Referral(
        client=client,
        team=team,
        question=question.strip(),
        limitation_notes=limitation_notes.strip(),
        referred_by=actor,
    )
    referral.full_clean()
    referral.save()
    return referral


@records_actor
@transaction.atomic
def referral_withdraw(*, actor: User | None, referral: Referral, reason: str) -> Referral:
    """Withdraw an open referral, with a reason; an answered one stays as it is."""
    referral.client.check_writable()
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is withdrawn.")}, code="reason")
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referral.is_open:
        raise ValidationError(
            _("Only an open referral can be withdrawn; this one is %(status)s."),
            code="not_open",
            params={"status": referral.get_status_display().lower()},
        )
    referral.status = ReferralStatus.WITHDRAWN
    referral.withdrawn_at = timezone.now()
    referral.withdrawn_by = actor
    referral.withdrawal_reason = reason.strip()
    referral.save()
    return referral


def answers_referrals(intake: Intake) -> bool:
    """An intake answers a referral when someone who answers referrals held it (a coach's own
    intake does not, nor an imported one without its consultant)."""
    consultant = intake.consultant
    return consultant is not None and consultant.has_perm("diagnosis.answer_referral")


@transaction.atomic
def referral_answer(*, intake: Intake) -> list[Referral]:
    """The diagnosis intake answers the client's open referral made before it: the referral
    is answered with the intake (advised route and work estimate) and its advice as the
    answer. Runs in the intake's transaction (diagnosis.receivers)."""
    if not answers_referrals(intake):
        return []
    held_until = datetime.datetime.combine(
        intake.held_on + datetime.timedelta(days=1),
        datetime.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    referrals = list(
        Referral.objects.select_for_update()
        .filter(client_id=intake.client_id, referred_at__lt=held_until)
        .open()
    )
    now = timezone.now()
    for referral in referrals:  # one save each, so the change history records the answer
        referral.status = ReferralStatus.ANSWERED
        referral.answered_by_intake = intake
        referral.answered_at = now
        referral.answer = intake.advice_notes
        referral.save()
    return referrals


@records_actor
@transaction.atomic
def assessment_plan(
    *,
    actor: User | None,
    referral: Referral,
    workplace: str,
    supervisor_name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    goal: str,
) -> PracticalAssessment:
    """Plan a practical assessment of 6 to 12 weeks from a referral that was not withdrawn;
    one unfinished assessment per referral."""
    referral.client.check_writable()
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status == ReferralStatus.WITHDRAWN:
        raise ValidationError(
            _("This referral was withdrawn; no practical assessment can be planned from it."),
            code="withdrawn",
        )
    if referral.assessments.filter(
        status__in=[AssessmentStatus.PLANNED, AssessmentStatus.RUNNING]
    ).exists():
        raise ValidationError(
            _("This referral already has a practical assessment that is not finished."),
            code="unfinished",
        )
    assessment = PracticalAssessment(
        referral=referral,
        workplace=workplace.strip(),
        supervisor_name=supervisor_name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        goal=goal.strip(),
        planned_by=actor,
    )
    assessment.full_clean()
    assessment.save()
    return assessment


@records_actor
@transaction.atomic
def assessment_finish(
    *,
    actor: User | None,
    assessment: PracticalAssessment,
    status: str,
    evaluation: str,
    evaluated_on: datetime.date,
    advised_route: str = "",
) -> PracticalAssessment:
    """Evaluate a practical assessment (with the route it advises) or record that it stopped
    early (with why); once, on or after its first day and not in the future."""
    assessment.referral.client.check_writable()
    assessment = PracticalAssessment.objects.select_for_update().get(pk=assessment.pk)
    errors = {}
    if assessment.is_finished:
        raise ValidationError(_("This practical assessment is finished already."), code="finished")
    if status not in (AssessmentStatus.EVALUATED, AssessmentStatus.STOPPED):
        errors["status"] = _("Choose evaluated or stopped early.")
    if not evaluation.strip():
        errors["evaluation"] = _("Write down what the assessment showed.")
    if evaluated_on < assessment.starts_on:
        errors["evaluated_on"] = _(
            "The assessment starts on %(date)s; it cannot be evaluated before then."
        ) % {"date": assessment.starts_on.strftime("%d-%m-%Y")}
    elif evaluated_on > timezone.localdate():
        errors["evaluated_on"] = _("The date of the evaluation cannot be in the future.")
    if status == AssessmentStatus.EVALUATED and not advised_route:
        errors["advised_route"] = _("An evaluation advises a route.")
    if errors:
        raise ValidationError(errors)
    assessment.status = status
    assessment.evaluation = evaluation.strip()
    assessment.evaluated_on = evaluated_on
    assessment.evaluated_by = actor
    assessment.advised_route = advised_route
    assessment.full_clean()
    assessment.save()
    return assessment


def referrals_remove(*, client: Client) -> int:
    """Delete the client's referrals and their practical assessments: questions, suspected
    limitations, workplaces and evaluations are personal through and through (the
    anonymisation, privacy.services.client_anonymise, calls it in its transaction); returns
    how many referrals."""
    return Referral.objects.filter(client=client).delete()[1].get(Referral._meta.label, 0)
