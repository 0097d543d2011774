"""Timeline entries of the letters sent to a client. Registered with clients.timeline when
DocumentsConfig.ready() imports this module. They come from the rows the dossier's documents
panel reads (documents.dossier.letters_of), so the dossier asks for them once."""

from collections.abc import Iterable

from django.utils import timezone

from clients.models import Client
from clients.timeline import Entry, register
from documents.dossier import letters_of


@register
def letters(client: Client, limit: int | None = None) -> Iterable[Entry]:
    """The newest `limit` letters (all without a limit), newest first."""
    for letter in letters_of(client)[:limit]:
        yield Entry(
            timezone.localdate(letter.sent_at),
            letter.sent_at,
            "letter",
            "documents/timeline/_letter.html",
            letter,
        )
