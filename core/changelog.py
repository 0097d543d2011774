"""Who the change history names, and rows for changes written set-wise.

django-auditlog names the user of a request (its middleware); a service called by a command or
a Celery task has no request, so `records_actor` names the `actor` the service was given.

A bulk UPDATE of many rows (`QuerySet.update`) sends no signals, so auditlog records nothing:
`record_updates` writes its entries itself, one per object, in the shape auditlog writes them
(`changes` maps a field to [before, after] as text). Used by the service area and by the
worklist's bulk assignment.
"""

import functools
from collections.abc import Iterable
from contextlib import contextmanager

from auditlog.cid import get_cid
from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import pre_save
from django.utils import timezone


def record_updates(
    *,
    model: type[models.Model],
    actor,
    entries: Iterable[tuple[int, str, dict[str, list[str]]]],
) -> None:
    """One UPDATE entry per (pk, repr, changes), under `actor` (None: a command or a task)."""
    content_type = ContentType.objects.get_for_model(model)
    now, cid = timezone.now(), get_cid()
    LogEntry.objects.bulk_create(
        (
            LogEntry(
                content_type=content_type,
                object_pk=str(pk),
                object_id=pk,
                object_repr=text,
                action=LogEntry.Action.UPDATE,
                changes=changes,
                changes_text="",
                actor=actor,
                actor_email=actor.email if actor else None,
                cid=cid,
                timestamp=now,
            )
            for pk, text, changes in entries
        ),
        batch_size=1_000,
    )


def _naming_someone(context) -> bool:
    """Whether auditlog's context names an actor and is still in force (its receiver still
    connected: auditlog leaves the last context's value behind when it ends)."""
    if context is None or context.get("actor") is None:
        return False
    return any(key[0] == context["signal_duid"] for key, *_rest in pre_save.receivers)


@contextmanager
def acting_as(actor):
    """What the block saves is recorded under `actor`, unless a request already names its user
    (whose address the history keeps too)."""
    outer = auditlog_value.get(None)
    if actor is None or _naming_someone(outer):
        yield
        return
    try:
        with set_actor(actor):
            yield
    finally:
        if outer is not None:
            auditlog_value.set(outer)  # an enclosing context (say, without actor) goes on


def records_actor(service):
    """Decorate a service taking `actor=`: its changes name that actor in a command or task."""

    @functools.wraps(service)
    def wrapped(*args, **kwargs):
        with acting_as(kwargs.get("actor")):
            return service(*args, **kwargs)

    return wrapped
