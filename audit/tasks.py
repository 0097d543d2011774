import datetime

from celery import shared_task
from django.utils import timezone

from audit import services, unusual


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
    return services.access_report_create(week_start=day).pk
