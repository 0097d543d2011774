"""State changes of projects: record a funnel stage a client reached."""

import datetime

from django.db import transaction

from clients.models import Client
from core.changelog import records_actor
from core.models import User
from projects.models import ProjectStage, StageReached


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
