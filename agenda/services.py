"""State changes of the agenda: plan, move, cancel an appointment, record its outcome.

The rules live here, whoever calls: no appointment in the past, none that clashes with the
coach's other (not cancelled) appointments, an outcome recorded once, and the client told by
letter or e-mail when an appointment is moved or cancelled (or the coach told why no letter
could go).
"""

import datetime
import hashlib
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agenda import letters
from agenda.models import (
    Appointment,
    AppointmentStatus,
    FeedToken,
    Participant,
)
from clients.models import Client
from clients.services import contact_log
from core.changelog import records_actor
from core.editing import save_versioned
from core.models import User

# What a plan or a move may set (the form's fields after the date and time are combined).
APPOINTMENT_FIELDS = ("starts_at", "duration_minutes", "kind", "channel", "place", "subject")
# A change of one of these is a move the client is told about.
MOVE_FIELDS = ("starts_at", "duration_minutes", "channel", "place")


def clash_message(clash: Appointment) -> str:
    """ "At that time you already have an appointment: …, Monday 7 December 14:00–14:45"."""
    start, end = clash.local_start, clash.local_end
    return _(
        "At that time you already have an appointment: %(kind)s with %(client)s, "
        "%(day)s %(start)s–%(end)s."
    ) % {
        "kind": clash.get_kind_display().lower(),
        "client": clash.client,
        "day": date_format(start.date(), "l j F"),
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}",
    }


def _check_free(appointment: Appointment) -> None:
    """Refuse a time the coach has another (not cancelled) appointment in; back to back is
    allowed. The coach's row is locked first, so two plans at once cannot both pass."""
    User.objects.select_for_update().filter(pk=appointment.coach_id).first()
    appointment.set_end()
    clash = Appointment.objects.clashing(
        coach=appointment.coach_id,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        exclude_pk=appointment.pk,
    ).first()
    if clash is not None:
        raise ValidationError(clash_message(clash), code="clash")


def _check_not_past(appointment: Appointment) -> None:
    if appointment.starts_at < timezone.now():
        raise ValidationError(
            {"date": _("An appointment cannot be planned in the past.")}, code="past"
        )


def _check_not_begun(appointment: Appointment, message: str) -> None:
    if appointment.status != AppointmentStatus.PLANNED:
        raise ValidationError(
            _("This appointment is %(status)s; it can no longer be changed.")
            % {"status": appointment.get_status_display().lower()},
            code="not_planned",
        )
    if appointment.starts_at <= timezone.now():
        raise ValidationError(message, code="begun")


def _participants_set(appointment: Appointment, participants: Iterable[dict] | None) -> None:
    """Replace the appointment's participants by these ({role, name, contact_person})."""
    if participants is None:
        return
    appointment.participants.all().delete()
    for row in participants:
        participant = Participant(appointment=appointment, **row)
        if not participant.name and participant.contact_person is None:
            raise ValidationError(
                _("Give the name of each participant, or choose a contact person."),
                code="participant_name",
            )
        participant.full_clean()
        participant.save()


def _locked(appointment: Appointment) -> Appointment:
    return Appointment.objects.select_for_update().select_related("client").get(pk=appointment.pk)


@records_actor
@transaction.atomic
def appointment_plan(
    *,
    actor: User,
    client: Client,
    starts_at: datetime.datetime,
    duration_minutes: int,
    kind: str,
    channel: str,
    place: str = "",
    subject: str = "",
    participants: Iterable[dict] = (),
    coach: User | None = None,
) -> Appointment:
    """Plan an appointment of `coach` (the actor) with the client: not in the past, not at a
    time the coach has another appointment."""
    client.check_writable()
    appointment = Appointment(
        client=client,
        coach=coach or actor,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        kind=kind,
        channel=channel,
        place=place,
        subject=subject,
        created_by=actor,
    )
    appointment.full_clean()
    _check_not_past(appointment)
    _check_free(appointment)
    appointment.save()
    _participants_set(appointment, participants)
    return appointment


@records_actor
@transaction.atomic
def appointment_move(
    *,
    actor: User,
    appointment: Appointment,
    version: int | None = None,
    participants: Iterable[dict] | None = None,
    **changes,
) -> Appointment:
    """Change a planned appointment that has not begun; a new time, length, channel or place is
    sent to the client (letter or e-mail, as they prefer). A save over someone else's change
    raises ConcurrentEdit."""
    unknown = set(changes) - set(APPOINTMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown appointment fields: {sorted(unknown)}")
    appointment.client.check_writable()
    current = Appointment.objects.select_related("client").get(pk=appointment.pk)
    _check_not_begun(current, _("This appointment has begun; it can no longer be moved."))
    before = {name: getattr(current, name) for name in MOVE_FIELDS}
    for name, value in changes.items():
        setattr(appointment, name, value)
    appointment.status = current.status
    _check_not_past(appointment)
    _check_free(appointment)
    save_versioned(appointment, version)
    _participants_set(appointment, participants)
    appointment.told, appointment.untold = False, ""
    if any(getattr(appointment, name) != value for name, value in before.items()):
        _tell_client(letters.appointment_moved, actor=actor, appointment=appointment)
    return appointment


@records_actor
@transaction.atomic
def appointment_cancel(*, actor: User, appointment: Appointment) -> Appointment:
    """Cancel a planned appointment that has not begun, and tell the client."""
    appointment.client.check_writable()
    current = _locked(appointment)
    _check_not_begun(
        current,
        _("This appointment has begun; record it as held or as a no-show instead."),
    )
    current.status = AppointmentStatus.CANCELLED
    current.save()
    _tell_client(letters.appointment_cancelled, actor=actor, appointment=current)
    return current


def _tell_client(send, *, actor: User, appointment: Appointment) -> None:
    """Send the client the letter about a move or a cancellation. When none can go (no
    template, or by post without an address) the change stands: a client without an address
    must still be able to have an appointment cancelled. `appointment.untold` then says why,
    so the coach tells the client another way; `appointment.told` that a letter went."""
    appointment.told, appointment.untold = False, ""
    try:
        with transaction.atomic():  # a refused letter leaves nothing behind
            send(actor=actor, appointment=appointment)
    except ValidationError as refused:
        appointment.untold = " ".join(refused.messages)
    else:
        appointment.told = True


def _check_outcome_due(current: Appointment) -> None:
    if current.status != AppointmentStatus.PLANNED:
        raise ValidationError(
            _("The outcome of this appointment was recorded already: %(status)s.")
            % {"status": current.get_status_display().lower()},
            code="recorded",
        )
    if current.local_start.date() > timezone.localdate():
        raise ValidationError(
            _("The outcome can be recorded from the day of the appointment on."),
            code="not_yet",
        )


def _outcome(current: Appointment, status: str, actor: User) -> None:
    current.status = status
    current.outcome_recorded_at = timezone.now()
    current.outcome_recorded_by = actor


@records_actor
@transaction.atomic
def appointment_held(
    *,
    actor: User,
    appointment: Appointment,
    date: datetime.date,
    channel: str,
    subject: str = "",
    notes: str = "",
) -> Appointment:
    """Record that the appointment was held: the contact moment (clients.contact_log) and the
    outcome in one transaction; recorded once (a second time is refused, changing nothing)."""
    appointment.client.check_writable()
    current = _locked(appointment)
    _check_outcome_due(current)
    current.contact = contact_log(
        actor=actor,
        client=current.client,
        date=date,
        channel=channel,
        subject=subject,
        notes=notes,
    )
    _outcome(current, AppointmentStatus.HELD, actor)
    current.save()
    return current


@records_actor
@transaction.atomic
def appointment_no_show(*, actor: User, appointment: Appointment) -> Appointment:
    """Record that the client did not come; recorded once (a second time is refused)."""
    appointment.client.check_writable()
    current = _locked(appointment)
    _check_outcome_due(current)
    _outcome(current, AppointmentStatus.NO_SHOW, actor)
    current.save()
    return current


@records_actor
@transaction.atomic
def appointment_invite(*, actor: User, appointment: Appointment):
    """Send the client the invitation letter for a planned appointment that has not begun."""
    appointment.client.check_writable()
    current = _locked(appointment)
    _check_not_begun(current, _("This appointment has begun; an invitation is too late."))
    return letters.invitation(actor=actor, appointment=current)


@records_actor
@transaction.atomic
def appointment_remind(*, actor: User, appointment: Appointment):
    """Send the client the reminder letter after an appointment they did not come to."""
    appointment.client.check_writable()
    current = _locked(appointment)
    if current.status != AppointmentStatus.NO_SHOW:
        raise ValidationError(
            _("A reminder goes only after an appointment the client did not come to."),
            code="not_a_no_show",
        )
    return letters.no_show_reminder(actor=actor, appointment=current)


# The calendar feed's secret link -------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_token_renew(*, user: User) -> str:
    """A new secret for the user's calendar feed; the old link stops working at once. Returns
    the secret, which is stored only as its hash (so it is shown once)."""
    token = secrets.token_urlsafe(32)
    FeedToken.objects.update_or_create(
        user=user,
        defaults={"token_hash": token_hash(token), "created_at": timezone.now()},
    )
    return token
