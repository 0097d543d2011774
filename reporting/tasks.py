from celery import shared_task

from reporting import services


@shared_task  # acknowledged late, re-sent if its worker dies: CELERY_TASK_ACKS_LATE and co.
def generate_report(run_id: int) -> str:
    """Build one report run; a repeated delivery does nothing (see services.run_build)."""
    return services.run_build(run_id)


@shared_task
def requeue_stalled_reports() -> list[int]:
    """Every minute (beat): send runs a dead worker left behind back to the queue."""
    return services.stalled_requeue()


@shared_task
def schedule_reports() -> list[int]:
    """Daily (beat): the quarter's report after each quarter, the year's after 31 December."""
    return [run.pk for run in services.scheduled_create()]
