"""The documents sections of a right-of-access export (privacy.export): every document in the
dossier and every letter sent, each document with the name its file has in the export archive
(the zip holds the files themselves, handed over through core.gdpr.register_files). One query
each; imported by DocumentsConfig.ready()."""

import posixpath

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from audit import history
from clients.models import Client
from core import gdpr
from core.gdpr import ExportFile, Section, choice_label, field_label, person
from documents.models import Delivery, Document, Letter, LetterKind
from documents.services import documents_remove

history.register_owned_records(Document, "client")
history.register_owned_records(Letter, "client")

DOCUMENT_EXPORT = [
    "kind",
    "description",
    "original_name",
    "dated_on",
    "expires_on",
    "content_type",
    "size",
    "uploaded_by",
    "created_at",
]


ARCHIVE_FOLDER = "documenten"


def archive_path(document: Document) -> str:
    """The document's name in the export archive: date, number and the uploaded name, made
    safe for every file system (the number keeps two files of the same name apart)."""
    stem, extension = posixpath.splitext(document.original_name)
    name = slugify(stem)[:60] or "document"
    extension = "." + slugify(extension.lstrip("."))[:10] if extension.strip(".") else ""
    return f"{ARCHIVE_FOLDER}/{document.dated_on:%Y-%m-%d}-{document.pk}-{name}{extension}"


def _documents_of(client: Client):
    return (
        Document.objects.filter(client=client)
        .select_related("kind", "uploaded_by")
        .order_by("dated_on", "pk")
    )


@gdpr.register(90)
def documents(client: Client) -> Section:
    return Section(
        key="documents",
        title=_("Documents"),
        fields=[(name, field_label(Document, name)) for name in DOCUMENT_EXPORT]
        + [("archive_path", _("file in the archive"))],
        records=[
            {
                **{name: getattr(d, name) for name in DOCUMENT_EXPORT},
                "kind": str(d.kind),
                "uploaded_by": person(d.uploaded_by),
                "archive_path": archive_path(d),
            }
            for d in _documents_of(client)
        ],
    )


@gdpr.register_files(90)
def document_files(client: Client) -> list[ExportFile]:
    return [
        ExportFile(path=archive_path(d), open=lambda d=d: d.file.open("rb"))
        for d in Document.objects.filter(client=client)
        .only("pk", "dated_on", "original_name", "file")
        .order_by("dated_on", "pk")
    ]


LETTER_EXPORT = ["kind", "subject", "sent_at", "delivery", "email", "sent_by", "posted_at"]


@gdpr.register(91)
def letters(client: Client) -> Section:
    rows = Letter.objects.filter(client=client).select_related("sent_by").order_by("sent_at", "pk")
    return Section(
        key="letters",
        title=_("Letters"),
        fields=[(name, field_label(Letter, name)) for name in LETTER_EXPORT],
        records=[
            {
                **{name: getattr(letter, name) for name in LETTER_EXPORT},
                "kind": choice_label(letter.kind, LetterKind.choices),
                "delivery": choice_label(letter.delivery, Delivery.choices),
                "sent_by": person(letter.sent_by),
            }
            for letter in rows
        ],
    )


@gdpr.register_anonymiser(10)
def anonymise(client: Client) -> None:
    """Scans, reports and letters are personal through and through: anonymisation
    (privacy.services.client_anonymise) deletes the rows now and the files after the commit."""
    documents_remove(client=client)
