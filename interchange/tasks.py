from celery import shared_task

from interchange import services


@shared_task
def import_run_check(run_id: int) -> str | None:
    """Check an uploaded folder (a dry run): its problems, or what the import would write."""
    return services.run_process(run_id, dry_run=True)


@shared_task
def import_run_import(run_id: int) -> str | None:
    """Import a checked folder in one transaction (checked again: the data may have moved)."""
    return services.run_process(run_id, dry_run=False)


@shared_task
def requeue_stalled_imports() -> list[int]:
    """Every minute (beat): queue runs a dead worker left behind again; delete their folders."""
    return services.stalled_requeue()


@shared_task
def expire_checked_imports() -> list[int]:
    """Hourly (beat): delete the zips of folders checked but never imported."""
    return services.checked_expire()
