"""State changes of the clients app: one function for each action a user would name.

Views, commands, tasks and imports all call these, so a rule holds however a row is written.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients import corrections, handover
from clients.models import (
    Client,
    CoachChangeReason,
    Contact,
    Correction,
    CorrectionAction,
    Instrument,
    Intake,
    IntakeScore,
    LadderObservation,
)
from core.changelog import records_actor
from core.editing import save_versioned
from core.models import Team, User
from core.registry import OrderedRegistry

CLIENT_FIELDS = (
    "first_name",
    "name_prefix",
    "last_name",
    "bsn",
    "birth_date",
    "email",
    "phone",
    "correspondence",
    "address",
    "postcode",
    "municipality",
    "target_group",
    "target_group_register",
    "registered_on",
    "deregistered_on",
    "deregistration_reason",
    "coach",
    "team",
)


# What other apps derive from where a client lives (employers: a candidate's place, for the
# distance to a vacancy) is refreshed by a hook registered here: hook(client_ids), called in
# the same transaction when a client's postcode or municipality changes.
PLACE_CHANGED = OrderedRegistry()


def _place(client: Client) -> tuple:
    return (client.postcode, client.municipality_id)


def client_place_changed(client_ids) -> None:
    """Tell the apps that keep something derived from these clients' place (PLACE_CHANGED)."""
    for hook in PLACE_CHANGED:
        hook(client_ids)


@records_actor
@transaction.atomic
def client_register(*, actor: User, **fields) -> Client:
    """Register a new client; every field is validated, the row is written whole or not at all."""
    unknown = set(fields) - set(CLIENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown client fields: {sorted(unknown)}")
    client = Client(**fields)
    client.full_clean()
    client.save()
    if client.coach_id:  # the coach history begins (clients.handover)
        handover.coach_period_change(
            client=client, old_coach_id=None, actor=actor, reason=CoachChangeReason.REGISTRATION
        )
    return client


@records_actor
@transaction.atomic
def client_update(*, actor: User, client: Client, version: int | None = None, **changes) -> Client:
    """Change a client's data; the audit trail records the before and after.

    `version` is the version the user started editing from: if someone saved the client since,
    nothing is written and ConcurrentEdit carries the client as it is now.
    """
    unknown = set(changes) - set(CLIENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown client fields: {sorted(unknown)}")
    if "bsn" in changes and changes["bsn"] != client.bsn:
        raise TypeError("A BSN is changed through client_bsn_change, with a reason.")
    client.check_writable()
    place, old_coach_id = _place(client), client.coach_id
    for name, value in changes.items():
        setattr(client, name, value)
    save_versioned(client, version)
    if _place(client) != place:
        client_place_changed([client.pk])
    if client.coach_id != old_coach_id:  # the coach history follows (clients.handover)
        handover.coach_period_change(
            client=client,
            old_coach_id=old_coach_id,
            actor=actor,
            reason=CoachChangeReason.REASSIGNMENT,
        )
    return client


@records_actor
@transaction.atomic
def client_bsn_change(*, actor: User, client: Client, bsn: str, reason: str) -> Client:
    """Correct a client's BSN, a deliberate action apart from editing the other data: the
    change history keeps the old and new BSN masked, with the reason given."""
    client.check_writable()
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for changing the BSN.")})
    if bsn == client.bsn:
        raise ValidationError({"bsn": _("This is the client's BSN already.")}, code="same")
    client.bsn = bsn
    client.change_reason = reason.strip()
    client.full_clean()
    client.save()
    return client


@records_actor
@transaction.atomic
def contact_log(
    *,
    actor: User,
    client: Client,
    date: datetime.date,
    channel: str,
    subject: str = "",
    notes: str = "",
) -> Contact:
    """Record a contact moment with the client, logged by `actor`."""
    client.check_writable()
    contact = Contact(
        client=client, date=date, channel=channel, subject=subject, notes=notes, author=actor
    )
    contact.full_clean()
    contact.save()
    return contact


@records_actor
@transaction.atomic
def ladder_observe(
    *,
    actor: User,
    client: Client,
    observed_on: datetime.date,
    step: int,
    intake: Intake | None = None,
) -> LadderObservation:
    """Record a dated measurement on the participation ladder."""
    client.check_writable()
    observation = LadderObservation(
        client=client, observed_on=observed_on, step=step, intake=intake, recorded_by=actor
    )
    observation.full_clean()
    observation.save()
    return observation


@dataclass(frozen=True)
class ScoreInput:
    instrument: Instrument
    domain: str
    score: int
    purpose: str = ""


@records_actor
@transaction.atomic
def intake_record(
    *,
    actor: User,
    client: Client,
    held_on: datetime.date,
    ladder_step: int,
    advised_route: str,
    work_estimate: str,
    scores: Iterable[ScoreInput] = (),
    **details,
) -> Intake:
    """Record a diagnosis intake with its scores, and its ladder step as a dated observation."""
    client.check_writable()
    intake = Intake(
        client=client,
        held_on=held_on,
        consultant=actor,
        advised_route=advised_route,
        work_estimate=work_estimate,
        **details,
    )
    intake.full_clean()
    intake.save()
    rows = [
        IntakeScore(
            intake=intake,
            instrument=s.instrument,
            domain=s.domain,
            score=s.score,
            purpose=s.purpose,
        )
        for s in scores
    ]
    for row in rows:  # one save each, so the audit trail records every score
        row.full_clean()
        row.save()
    ladder_observe(actor=actor, client=client, observed_on=held_on, step=ladder_step, intake=intake)
    return intake


@records_actor
@transaction.atomic
def clients_assign(
    *, actor: User, clients: QuerySet[Client], team: Team, coach: User | None = None
) -> int:
    """Give the clients of `clients` that still have neither team nor coach this team (and
    coach); returns how many. The coach becomes a member of the team if not yet, so the team's
    list shows them too. Clients someone assigned meanwhile are left as they are.

    The same move as a handover (handover.clients_move): one UPDATE for the lot, one entry in
    the change log and one coach period per client.
    """
    chosen = (
        Client.objects.filter(pk__in=clients.values("pk"))
        .unassigned()
        .not_anonymised()
        .select_for_update(of=("self",))  # the clients, not the outer-joined coach
    )
    rows = list(chosen.values_list(*handover.ROW_FIELDS))
    if not rows:
        return 0
    target = (team.pk, coach.pk if coach else None)
    count = handover.clients_move(
        actor=actor,
        rows=rows,
        targets=dict.fromkeys((row[0] for row in rows), target),
        reason=CoachChangeReason.ASSIGNMENT,
    )
    if coach is not None:
        # After the update: a client of a memberless team would otherwise stop counting as
        # unassigned the moment the coach joins it, and be left out.
        team.members.add(coach)  # adds nobody who is a member already
    return count


# --- Correcting the record (GDPR art. 16) -------------------------------------------------------
#
# A contact, intake or ladder measurement logged on the wrong client or with a wrong value is
# corrected or removed, always with a reason (an intake within INTAKE_EDIT_DAYS without one).
# Moving to another client: the view offers only clients the user may change
# (clients.access.writable_client); here both clients must still be writable.

CONTACT_FIELDS = ("client", "date", "channel", "subject", "notes")
LADDER_FIELDS = ("client", "observed_on", "step")


def _known(changes: dict, allowed, what: str) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown {what} fields: {sorted(unknown)}")


def _correct(*, actor, record, changes, reason, version, extra=()) -> Correction:
    """Check both clients, write the record and its Correction row; nothing when unchanged."""
    old_client = record.client
    old_client.check_writable()
    new_client = changes.get("client", old_client)
    new_client.check_writable()
    record.correction_reason = reason
    changed = corrections.apply_changes(record, changes, version=version) + list(extra)
    moved = new_client.pk != old_client.pk
    if not changed and not moved:
        raise corrections.nothing_changed()
    return corrections.correction_note(
        actor=actor,
        record=record,
        client=new_client,
        action=CorrectionAction.CORRECTED,
        reason=reason,
        changes=changed,
        moved_from=old_client if moved else None,
    )


def _remove(*, actor, record, client, reason, version) -> Correction:
    client.check_writable()
    corrections.soft_remove(record, actor=actor, reason=reason, version=version)
    return corrections.correction_note(
        actor=actor, record=record, client=client, action=CorrectionAction.REMOVED, reason=reason
    )


@records_actor
@transaction.atomic
def contact_correct(
    *, actor: User, contact: Contact, reason: str, version: int | None = None, **changes
) -> Contact:
    """Correct a contact moment's values, or move it to the client it belongs to, with a reason
    the change history and the timeline keep."""
    _known(changes, CONTACT_FIELDS, "contact")
    reason = corrections.required_reason(reason)
    _correct(actor=actor, record=contact, changes=changes, reason=reason, version=version)
    return contact


@records_actor
@transaction.atomic
def contact_remove(
    *, actor: User, contact: Contact, reason: str, version: int | None = None
) -> Contact:
    """Remove a contact moment with a reason: gone from the timeline, lists, KPIs and export,
    kept for the functional administrator."""
    reason = corrections.required_reason(reason, _("Give the reason for removing it."))
    _remove(actor=actor, record=contact, client=contact.client, reason=reason, version=version)
    return contact


@records_actor
@transaction.atomic
def ladder_correct(
    *,
    actor: User,
    observation: LadderObservation,
    reason: str,
    version: int | None = None,
    **changes,
) -> LadderObservation:
    """Correct a participation-ladder measurement (its date, step or client), with a reason.
    A step measured at an intake is corrected with that intake."""
    _known(changes, LADDER_FIELDS, "ladder measurement")
    if observation.intake_id:
        raise ValidationError(
            _("This step was measured at an intake: correct the intake."), code="intake"
        )
    reason = corrections.required_reason(reason)
    _correct(actor=actor, record=observation, changes=changes, reason=reason, version=version)
    return observation


@records_actor
@transaction.atomic
def ladder_remove(
    *, actor: User, observation: LadderObservation, reason: str, version: int | None = None
) -> LadderObservation:
    """Remove a participation-ladder measurement with a reason (soft delete)."""
    if observation.intake_id:
        raise ValidationError(
            _("This step was measured at an intake: remove the intake."), code="intake"
        )
    reason = corrections.required_reason(reason, _("Give the reason for removing it."))
    _remove(
        actor=actor, record=observation, client=observation.client, reason=reason, version=version
    )
    return observation


INTAKE_FIELDS = (
    "client",
    "held_on",
    "dream",
    "barriers",
    "language_spoken",
    "language_written",
    "hours_per_week",
    "available_from",
    "functional_limitations",
    "capacity",
    "advised_route",
    "work_estimate",
    "advice_notes",
)


def intake_edit_deadline(intake: Intake) -> datetime.date:
    """The last day an intake is changed without a reason: settings.INTAKE_EDIT_DAYS after it
    was held or recorded (the later)."""
    start = max(intake.held_on, timezone.localdate(intake.created_at))
    return start + datetime.timedelta(days=settings.INTAKE_EDIT_DAYS)


def intake_freely_editable(intake: Intake, today: datetime.date | None = None) -> bool:
    """Within INTAKE_EDIT_DAYS an intake is changed without a reason; later only with one."""
    return (today or timezone.localdate()) <= intake_edit_deadline(intake)


def _score_changes(intake: Intake, scores: Iterable[ScoreInput]) -> list[list[str]]:
    """Replace the intake's scores by `scores`; what changed, as [label, before, after]."""
    old = {(s.instrument, s.domain): s for s in intake.scores.all()}
    new = {(s.instrument, s.domain): s for s in scores}
    changed = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before and after and (before.score, before.purpose) == (after.score, after.purpose):
            continue
        label = (before or IntakeScore(instrument=key[0], domain=key[1])).get_domain_display()
        changed.append(
            [label, str(before.score) if before else "–", str(after.score) if after else "–"]
        )
        if before:
            before.delete()
        if after:
            row = IntakeScore(
                intake=intake,
                instrument=after.instrument,
                domain=after.domain,
                score=after.score,
                purpose=after.purpose,
            )
            row.full_clean()
            row.save()
    return changed


@records_actor
@transaction.atomic
def intake_correct(
    *,
    actor: User,
    intake: Intake,
    reason: str = "",
    version: int | None = None,
    ladder_step: int | None = None,
    scores: Iterable[ScoreInput] | None = None,
    **changes,
) -> Intake:
    """Correct an intake: its details, scores and ladder step, or the client it belongs to.
    Within INTAKE_EDIT_DAYS no reason is needed; later (or for a move) it is."""
    _known(changes, INTAKE_FIELDS, "intake")
    moving = "client" in changes and changes["client"].pk != intake.client_id
    if moving or not intake_freely_editable(intake):
        reason = corrections.required_reason(
            reason,
            _("This intake is older than %(days)s days: give the reason for the correction.")
            % {"days": settings.INTAKE_EDIT_DAYS}
            if not moving
            else None,
        )
    reason = (reason or "").strip()
    extra = _score_changes(intake, scores) if scores is not None else []
    observation = LadderObservation.objects.filter(intake=intake).first()
    if observation is not None:
        ladder = {"client": changes.get("client", observation.client)}
        if "held_on" in changes:
            ladder["observed_on"] = changes["held_on"]
        if ladder_step is not None:
            ladder["step"] = ladder_step
        observation.correction_reason = reason
        extra += [
            change
            for change in corrections.apply_changes(observation, ladder, version=None)
            if change[0] != str(LadderObservation._meta.get_field("observed_on").verbose_name)
        ]
    _correct(
        actor=actor, record=intake, changes=changes, reason=reason, version=version, extra=extra
    )
    return intake


@records_actor
@transaction.atomic
def intake_remove(
    *, actor: User, intake: Intake, reason: str, version: int | None = None
) -> Intake:
    """Remove an intake with a reason, and the ladder step measured at it (soft delete)."""
    reason = corrections.required_reason(reason, _("Give the reason for removing it."))
    _remove(actor=actor, record=intake, client=intake.client, reason=reason, version=version)
    observation = LadderObservation.objects.filter(intake=intake).first()
    if observation is not None:
        corrections.soft_remove(observation, actor=actor, reason=reason)
    return intake
