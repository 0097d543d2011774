"""State changes of core's reference data that a user makes in the product."""

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from core.models import Municipality, User


@transaction.atomic
def service_area_set(*, actor: User | None, municipalities) -> tuple[int, int]:
    """Make exactly `municipalities` the service area (kpis.md); each change is in the change
    history under the actor's name (none: a command). Returns (added, removed)."""
    wanted = {m.pk for m in municipalities}
    current = set(Municipality.objects.service_area().values_list("pk", flat=True))
    added, removed = wanted - current, current - wanted
    Municipality.objects.filter(pk__in=added).update(in_service_area=True)
    Municipality.objects.filter(pk__in=removed).update(in_service_area=False)
    content_type = ContentType.objects.get_for_model(Municipality)
    now = timezone.now()
    names = dict(Municipality.objects.filter(pk__in=added | removed).values_list("pk", "name"))
    LogEntry.objects.bulk_create(
        LogEntry(
            content_type=content_type,
            object_pk=str(pk),
            object_id=pk,
            object_repr=names[pk],
            action=LogEntry.Action.UPDATE,
            changes={"in_service_area": [str(pk in removed), str(pk in added)]},
            changes_text="",
            actor=actor,
            actor_email=actor.email if actor else None,
            cid=get_cid(),
            timestamp=now,
        )
        for pk in sorted(added | removed)
    )
    return len(added), len(removed)
