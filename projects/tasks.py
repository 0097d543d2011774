from celery import shared_task

from projects.services import members_placed_since

# Days back the morning run looks: a day or a week the scheduler was down is caught up; a member
# already placed is not moved again (services.members_placed).
CATCH_UP_DAYS = 7


@shared_task
def placements_started() -> int:
    """Every morning (beat): placements entered ahead of their start that started since the
    last runs move their clients to their projects' "placed" stage, as a placement entered on
    or after its start does at once (projects.hooks). Returns how many members moved."""
    return members_placed_since(days=CATCH_UP_DAYS)
