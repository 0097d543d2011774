"""Timeline entries of plan versions: made, and signed. Registered with clients.timeline when
PlansConfig.ready() imports this module; one query each for a page, however many versions."""

from collections.abc import Iterable

from django.utils import timezone

from clients.models import Client
from clients.timeline import Entry, register
from plans.models import PlanVersion


def _versions(client: Client):
    return PlanVersion.objects.filter(trajectory__client=client).select_related(
        "trajectory__route", "made_by", "signed_recorded_by", "document"
    )


@register
def plans_made(client: Client, limit: int | None = None) -> Iterable[Entry]:
    """The newest `limit` versions made (all without a limit), newest first."""
    for version in _versions(client).order_by("-made_at", "-pk")[:limit]:
        yield Entry(
            timezone.localdate(version.made_at),
            version.made_at,
            "plan-made",
            "plans/timeline/_made.html",
            version,
        )


@register
def plans_signed(client: Client, limit: int | None = None) -> Iterable[Entry]:
    """The newest `limit` signatures recorded, newest first by the day of signing."""
    signed = _versions(client).filter(signed_on__isnull=False)
    for version in signed.order_by("-signed_on", "-signed_recorded_at", "-pk")[:limit]:
        yield Entry(
            version.signed_on,
            version.signed_recorded_at,
            "plan-signed",
            "plans/timeline/_signed.html",
            version,
        )
