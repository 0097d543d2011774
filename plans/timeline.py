"""Timeline entries of plan versions: made, and signed. Registered with clients.timeline when
PlansConfig.ready() imports this module. They come from the rows the dossier's plan panel loads
(plans.dossier.versions_of), so the dossier asks for them once; a client has a handful."""

from collections.abc import Iterable

from django.utils import timezone

from clients.models import Client
from clients.timeline import Entry, register
from plans.dossier import versions_of


@register
def plans_made(client: Client) -> Iterable[Entry]:
    """Each version made."""
    for version in versions_of(client):
        yield Entry(
            timezone.localdate(version.made_at),
            version.made_at,
            "plan-made",
            "plans/timeline/_made.html",
            version,
        )


@register
def plans_signed(client: Client) -> Iterable[Entry]:
    """Each signature recorded, on the day of signing."""
    for version in versions_of(client):
        if version.signed_on is not None:
            yield Entry(
                version.signed_on,
                version.signed_recorded_at,
                "plan-signed",
                "plans/timeline/_signed.html",
                version,
            )
