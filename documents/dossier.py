"""The documents part of the client dossier and of the coach's start page. Registered in
DocumentsConfig.ready(): the panel reads its rows in two queries (documents, letters to post), the
start page's part in one, however many there are."""

from django.conf import settings
from django.utils import timezone

from clients import dossier
from clients.models import Client
from documents.models import Document, Letter


def warning_weeks() -> int:
    return settings.DOCUMENT_EXPIRY_WARNING_WEEKS


@dossier.register(45)
def documents_panel(client: Client, user) -> dossier.Panel | None:
    if not user.has_perm("documents.view_document"):
        return None
    today, weeks = timezone.localdate(), warning_weeks()
    documents = list(Document.objects.filter(client=client).for_list().with_renewed())
    for document in documents:
        document.expiring = document.is_expiring(today=today, weeks=weeks)
        document.expired = document.expires_on is not None and document.expires_on < today
    return dossier.Panel(
        "documents/_dossier.html",
        {
            "documents": documents,
            "to_post": list(Letter.objects.filter(client=client).to_post().order_by("sent_at")),
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
