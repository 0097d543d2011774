"""The documents part of the client dossier and of the coach's start page. Registered in
DocumentsConfig.ready(): the panel reads its rows in one query (documents with their letters,
shared with the timeline's letters: documents_of), the start page's part in one, however many
there are."""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from clients import dossier
from clients.models import Client
from documents.models import Document, Letter


def warning_weeks() -> int:
    return settings.DOCUMENT_EXPIRY_WARNING_WEEKS


def documents_of(client: Client) -> list[Document]:
    """The client's documents (with their letter, marked `awaits_post`: LetterQuerySet.to_post)
    in one query, once per client object: the panel's documents and letters to post and the
    timeline's letters (every letter is a document of its client) share them."""

    return dossier.loaded(client, "documents", lambda: dossier.rows_once(_documents, client))


def _documents(client_pk):
    to_post = Letter.objects.filter(document=OuterRef("pk")).to_post()
    return (
        Document.objects.filter(client_id=client_pk)
        .for_list()
        .with_renewed()
        .select_related("letter__sent_by")
        .annotate(awaits_post=Exists(to_post))
    )


def letters_of(client: Client) -> list[Letter]:
    """The client's letters, newest first, each with `awaits_post`."""
    letters = []
    for document in documents_of(client):
        letter = getattr(document, "letter", None)
        if letter is not None:
            letter.awaits_post = document.awaits_post
            letters.append(letter)
    return sorted(letters, key=lambda letter: (letter.sent_at, letter.pk), reverse=True)


@dossier.register(45)
def documents_panel(client: Client, user) -> dossier.Panel | None:
    if not user.has_perm("documents.view_document"):
        return None
    today, weeks = timezone.localdate(), warning_weeks()
    documents = documents_of(client)
    for document in documents:
        document.expiring = document.is_expiring(today=today, weeks=weeks)
        document.expired = document.expires_on is not None and document.expires_on < today
    return dossier.Panel(
        "documents/_dossier.html",
        {
            "documents": documents,
            "to_post": [letter for letter in letters_of(client) if letter.awaits_post][::-1],
            "expiring_count": sum(document.expiring for document in documents),
            "weeks": weeks,
        },
    )


@dossier.register_start(40)
def expiring_part(user, caseload) -> dossier.Panel | None:
    """Documents of the coach's own clients that expire within the warning weeks (or have)."""
    if not user.has_perm("documents.view_document"):
        return None
    today = timezone.localdate()
    rows = list(
        Document.objects.filter(client__in=caseload)
        .expiring(today=today, weeks=warning_weeks())
        .select_related("client", "kind")
        .order_by("expires_on", "pk")
    )
    for row in rows:
        row.expired = row.expires_on < today
    return dossier.Panel("documents/_expiring.html", {"expiring": rows, "weeks": warning_weeks()})
