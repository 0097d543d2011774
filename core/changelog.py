"""Change-history rows for changes written set-wise (`QuerySet.update`), which send no signals.

django-auditlog records a `save()`; a bulk UPDATE of many rows must write its entries itself,
one per object, in the shape auditlog writes them: `changes` maps a field to [before, after] as
text. Used by the service area and by the worklist's bulk assignment.
"""

from collections.abc import Iterable

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
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
