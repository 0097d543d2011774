"""State changes of core's reference data that a user makes in the product."""

from django.db import transaction

from core.changelog import record_updates
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
    names = dict(Municipality.objects.filter(pk__in=added | removed).values_list("pk", "name"))
    record_updates(
        model=Municipality,
        actor=actor,
        entries=(
            (pk, names[pk], {"in_service_area": [str(pk in removed), str(pk in added)]})
            for pk in sorted(added | removed)
        ),
    )
    return len(added), len(removed)
