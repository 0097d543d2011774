from celery import shared_task
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
