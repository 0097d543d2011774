import datetime

from celery import shared_task
from django.db import IntegrityError
from django.utils import timezone

from privacy import services, unusual


@shared_task
def retention_propose() -> int | None:
    """Monthly (beat): propose the clients whose retention period has ended. Returns its id."""
    try:
        proposal = services.proposal_build()
    except IntegrityError:  # another run proposed the same clients at the same moment
        return None
    return proposal.pk if proposal else None


@shared_task
def retention_anonymise(proposal_id: int) -> int:
    """After approval: anonymise the proposal's approved clients (idempotent)."""
    return services.proposal_anonymise(proposal_id=proposal_id)


@shared_task
def unusual_access_report(week_start: str | None = None) -> int:
    """Make the report of unusual access for a week (default: last week); beat runs it weekly.

    Safe to run twice: the report of a week is one row, replaced by a rerun.
    """
    day = (
        datetime.date.fromisoformat(week_start)
        if week_start
        else unusual.last_week_start(timezone.localdate())
    )
    return unusual.access_report_create(week_start=day).pk
