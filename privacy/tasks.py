from celery import shared_task
from django.db import IntegrityError

from privacy import services


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
