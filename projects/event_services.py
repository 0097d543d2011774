"""State changes of events: create and change an event, register participants (one or many, with
an invitation letter), record what came of it on the day and at the follow-up three months on."""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clients.models import Client
from core.changelog import records_actor
from core.editing import save_versioned
from core.models import User
from documents import services as documents
from documents.models import LetterKind
from projects.models import Event, EventParticipant, EventResult

EVENT_FIELDS = (
    "name",
    "kind",
    "date",
    "starts_at",
    "ends_at",
    "location",
    "capacity",
    "project",
    "description",
)
FOLLOW_UP_AFTER = relativedelta(months=3)
ALREADY_REGISTERED = _("This client is already registered for this event.")


# --- The event ----------------------------------------------------------------------------------


def _check_event(event: Event, *, project_before=None) -> None:
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        raise ValidationError({"ends_at": _("The event must end after it starts.")})
    if event.project is not None and event.project != project_before and event.project.is_closed:
        raise ValidationError({"project": _("This project is closed.")})
    if event.capacity is not None and event.pk is not None:
        taken = event.participants.count()
        if event.capacity < taken:
            raise ValidationError(
                {
                    "capacity": ngettext(
                        "%(count)d client is already registered; the places cannot be fewer.",
                        "%(count)d clients are already registered; the places cannot be fewer.",
                        taken,
                    )
                    % {"count": taken}
                }
            )


@records_actor
@transaction.atomic
def event_create(*, actor: User, **fields) -> Event:
    """A new event (a job festival, an information meeting), kept by managers."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown event fields: {sorted(unknown)}")
    event = Event(created_by=actor, **fields)
    _check_event(event)
    event.full_clean()
    event.save()
    return event


@records_actor
@transaction.atomic
def event_update(*, actor: User, event: Event, version: int | None = None, **changes) -> Event:
    """Change an event; a save based on an older version raises ConcurrentEdit. The places
    cannot drop below the clients already registered."""
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown event fields: {sorted(unknown)}")
    project_before = event.project
    for name, value in changes.items():
        setattr(event, name, value)
    _check_event(event, project_before=project_before)
    return save_versioned(event, version)


# --- Participants -------------------------------------------------------------------------------


def places_left(event: Event) -> int | None:
    """Free places (None: no limit)."""
    if event.capacity is None:
        return None
    return max(event.capacity - event.participants.count(), 0)


def invitation_merge(event: Event) -> dict[str, str]:
    """The event as the Dutch invitation letter writes it (documents.merge.EVENT_KEYS)."""
    with translation.override("nl"):
        # "Het begint om {{ evenement_tijd }}": the start (check_invitable makes sure of it).
        time = f"{event.starts_at:%H:%M} uur" if event.starts_at else ""
        return {
            "event_name": event.name,
            "event_date": formats.date_format(event.date, "l j F Y"),
            "event_time": time,
            "event_place": event.location,
        }


def _locked(event: Event) -> Event:
    """The event row locked: two coaches filling the last place wait for each other."""
    return Event.objects.select_for_update(of=("self",)).get(pk=event.pk)


def check_invitable(event: Event) -> None:
    """The invitation says when the event starts and where: without both it cannot go out."""
    if not event.starts_at or not event.location.strip():
        raise ValidationError(
            _(
                "The invitation says when the event starts and where: fill in the start time "
                "and the location of the event first."
            ),
            code="incomplete",
        )


def _invite(*, actor: User, participant: EventParticipant) -> None:
    documents.letter_send(
        actor=actor,
        client=participant.client,
        kind=LetterKind.EVENT_INVITATION,
        merge=invitation_merge(participant.event),
    )
    participant.invited_on = timezone.localdate()
    participant.save(update_fields=["invited_on", "updated_at"])


@records_actor
@transaction.atomic
def participant_register(
    *,
    actor: User,
    event: Event,
    client: Client,
    result: str = EventResult.NOTHING_YET,
    invite: bool = False,
) -> EventParticipant:
    """Register a client for an event, once; with `invite`, send the invitation letter (by
    e-mail or post, as the client prefers; the PDF in the dossier). A second registration of the
    same client, or one beyond the event's places, is refused."""
    client.check_writable()
    return participants_register(
        actor=actor, event=event, clients=[client], result=result, invite=invite
    )[0]


@records_actor
@transaction.atomic
def participants_register(
    *,
    actor: User,
    event: Event,
    clients: list[Client],
    result: str = EventResult.NOTHING_YET,
    invite: bool = False,
) -> list[EventParticipant]:
    """Register several clients at once: all or nothing. Refused (nothing written, no letter
    sent) when any of them is registered already, is anonymised, cannot be sent the invitation
    (no active template, no address for the post), or when they do not fit in the places left;
    the message names the clients concerned."""
    if result not in EventResult.values:
        raise ValidationError({"result": _("Choose one of the results.")})
    if not clients:
        raise ValidationError(_("Choose at least one client."))
    event = _locked(event)
    single = len(clients) == 1
    registered = set(
        EventParticipant.objects.filter(event=event, client__in=clients).values_list(
            "client_id", flat=True
        )
    )
    if invite:
        check_invitable(event)  # refused before anything else
        documents.active_template(LetterKind.EVENT_INVITATION)
    problems = []
    for client in clients:
        try:
            if client.pk in registered:
                raise ValidationError(ALREADY_REGISTERED, code="registered")
            client.check_writable()
            if invite:
                documents.letter_delivery(client)
        except ValidationError as refused:
            if single:
                raise ValidationError({"client": refused.messages}) from None
            problems.append(f"{client.full_name}: {' '.join(refused.messages)}")
    if problems:
        raise ValidationError(
            _("No client was registered. Not possible for: %(clients)s")
            % {"clients": "; ".join(problems)},
            code="refused",
        )
    left = places_left(event)
    if left is not None and len(clients) > left:
        raise ValidationError(
            ngettext(
                "The event is full: %(left)d place is left, and you chose %(chosen)d.",
                "The event is full: %(left)d places are left, and you chose %(chosen)d.",
                left,
            )
            % {"left": left, "chosen": len(clients)},
            code="full",
        )
    participants = []
    for client in clients:
        participant = EventParticipant(
            event=event, client=client, result=result, registered_by=actor
        )
        participant.full_clean(validate_constraints=False)
        participant.save()
        if invite:
            _invite(actor=actor, participant=participant)
        participants.append(participant)
    return participants


@records_actor
@transaction.atomic
def participant_invite(*, actor: User, participant: EventParticipant) -> EventParticipant:
    """Send (again) the invitation letter to a registered participant."""
    participant.client.check_writable()
    check_invitable(participant.event)
    _invite(actor=actor, participant=participant)
    return participant


@records_actor
@transaction.atomic
def participant_result_set(
    *,
    actor: User,
    participant: EventParticipant,
    result: str,
    attended: bool | None = None,
) -> EventParticipant:
    """Record what came of the event for a participant (on the day), and whether they came."""
    if result not in EventResult.values:
        raise ValidationError({"result": _("Choose one of the results.")})
    participant.client.check_writable()
    if participant.event.date > timezone.localdate() and attended is not None:
        raise ValidationError({"attended": _("The event has not taken place yet.")})
    participant.result = result
    participant.attended = attended
    participant.full_clean(validate_constraints=False)
    participant.save(update_fields=["result", "attended", "updated_at"])
    return participant


def follow_up_due(event: Event) -> datetime.date:
    """The first day of the follow-up: three months after the event."""
    return event.date + FOLLOW_UP_AFTER


@records_actor
@transaction.atomic
def participant_follow_up(
    *,
    actor: User,
    participant: EventParticipant,
    followed_up_on: datetime.date,
    follow_up_result: str,
) -> EventParticipant:
    """Record the follow-up: what the participant does on the day the coach checks, three
    months or more after the event (the "result after three months"). Not before those three
    months, not in the future."""
    if follow_up_result not in EventResult.values:
        raise ValidationError({"follow_up_result": _("Choose one of the results.")})
    participant.client.check_writable()
    due = follow_up_due(participant.event)
    if followed_up_on < due:
        raise ValidationError(
            {
                "followed_up_on": _(
                    "The follow-up is three months after the event: on %(date)s at the earliest."
                )
                % {"date": formats.date_format(due, "SHORT_DATE_FORMAT")}
            }
        )
    if followed_up_on > timezone.localdate():
        raise ValidationError({"followed_up_on": _("A follow-up cannot be in the future.")})
    participant.followed_up_on = followed_up_on
    participant.follow_up_result = follow_up_result
    participant.save(update_fields=["followed_up_on", "follow_up_result", "updated_at"])
    return participant
