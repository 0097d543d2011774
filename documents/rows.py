"""The rows of one client's documents and letters, read once per client object: the dossier
panel and the timeline share them (clients.dossier.loaded)."""

from clients import dossier
from clients.models import Client
from documents.models import Document, Letter


def documents_of(client: Client) -> list[Document]:
    """The client's documents, newest first, once per client object."""
    return dossier.loaded(
        client, "documents", lambda: list(Document.objects.filter(client=client).for_list())
    )


def letters_of(client: Client) -> list[Letter]:
    """The client's letters, newest first, once per client object (the panel and the timeline
    share them)."""
    return dossier.loaded(
        client,
        "letters",
        lambda: list(
            Letter.objects.filter(client=client).select_related("document", "sent_by", "posted_by")
        ),
    )
