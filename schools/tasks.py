from celery import shared_task

from schools.services import leavers_cleanup


@shared_task
def school_leavers_cleanup() -> int:
    """Monthly (beat): remove the leavers who never became a client once their time is up
    (services.leavers_cleanup); a second run removes nothing more. Returns how many."""
    return leavers_cleanup()
