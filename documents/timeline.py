"""Timeline entries of the letters sent to a client. Registered with clients.timeline when
DocumentsConfig.ready() imports this module; one query for a page, however many letters."""

from collections.abc import Iterable

from django.utils import timezone

from clients.models import Client
from clients.timeline import Entry, register
from documents.models import Letter


@register
def letters(client: Client, limit: int | None = None) -> Iterable[Entry]:
    """The newest `limit` letters (all without a limit), newest first."""
    queryset = (
        Letter.objects.filter(client=client)
        .select_related("document", "sent_by")
        .order_by("-sent_at", "-pk")
    )
    for letter in queryset[:limit]:
        yield Entry(
            timezone.localdate(letter.sent_at),
            letter.sent_at,
            "letter",
            "documents/timeline/_letter.html",
            letter,
        )
