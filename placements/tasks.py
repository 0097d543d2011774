"""Celery tasks of the placements app."""

from celery import shared_task

from placements import aftercare


@shared_task
def aftercare_follow_ups() -> int:
    """Daily: turn due aftercare items into follow-ups for the coaches (idempotent per day)."""
    return aftercare.follow_ups_create()
