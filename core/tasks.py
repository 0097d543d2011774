from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry (beat runs it daily): no stale logins linger."""
    deleted, _per_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def forget_old_submission_tokens() -> int:
    """Delete once-only form tokens older than two days (beat runs it daily)."""
    from core.idempotency import forget_old_tokens

    return forget_old_tokens()


@shared_task
def remove_old_broker_files() -> int:
    """The embedded broker's (no REDIS_URL) files that senders killed while writing left in
    its queue and control folders, deleted after an hour, and the messages workers took, after
    a day (beat runs it daily; config.embedded_broker)."""
    from config.embedded_broker import PARTIAL, remove_old

    if not settings.CELERY_BROKER_URL.startswith("filesystem"):
        return 0
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    folders = [options["data_folder_out"], options["control_folder"]]
    return remove_old(folders, f"*{PARTIAL}", older_than=60 * 60) + remove_old(
        [options["processed_folder"]], "*.msg", older_than=24 * 60 * 60
    )
