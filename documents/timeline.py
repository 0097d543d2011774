"""Timeline entries of the letters sent to a client. Registered with clients.timeline when
DocumentsConfig.ready() imports this module; one query however many letters."""

from collections.abc import Iterable

from django.utils import timezone

from clients.models import Client
from clients.timeline import Entry, register
from documents.rows import letters_of


@register
def letters(client: Client) -> Iterable[Entry]:
    for letter in letters_of(client):
        yield Entry(
            timezone.localdate(letter.sent_at),
            letter.sent_at,
            "letter",
            "documents/timeline/_letter.html",
            letter,
        )
