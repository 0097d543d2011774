"""State changes of projects and events: record a funnel stage a client reached, register an
event participant."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core.changelog import records_actor
from core.models import User
from projects.models import Event, EventParticipant, EventResult, ProjectStage, StageReached


@records_actor
@transaction.atomic
def stage_record(
    *, actor: User | None, stage: ProjectStage, client: Client, reached_on: datetime.date
) -> StageReached:
    """Record that a client reached a stage of a project's funnel (once per stage)."""
    client.check_writable()
    record = StageReached(
        project_id=stage.project_id,
        stage=stage,
        client=client,
        reached_on=reached_on,
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    return record


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
