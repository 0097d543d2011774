"""State changes of events: register a participant and record what came of it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core.changelog import records_actor
from core.models import User
from projects.models import Event, EventParticipant, EventResult


@records_actor
@transaction.atomic
def event_participant_register(
    *, actor: User, event: Event, client: Client, result: str = EventResult.NOTHING_YET
) -> EventParticipant:
    """Add a client to an event, or change what came of it for a client already taking part."""
    if result not in EventResult.values:
        raise ValidationError({"result": _("Choose one of the results.")})
    client.check_writable()
    participant, _created = EventParticipant.objects.update_or_create(
        event=event, client=client, defaults={"result": result, "registered_by": actor}
    )
    return participant
