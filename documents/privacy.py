"""The documents sections of a right-of-access export (privacy.export): every document in the
dossier and every letter sent. The export is a PDF or JSON, not an archive, so the files are
listed with their name, kind, dates, type and size (the coach can hand a copy over from the
dossier). One query each; imported by DocumentsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from audit import history
from clients.models import Client
from core import gdpr
from core.gdpr import Section, choice_label, field_label, person
from documents.models import Delivery, Document, Letter, LetterKind

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


@gdpr.register(90)
def documents(client: Client) -> Section:
    rows = (
        Document.objects.filter(client=client)
        .select_related("kind", "uploaded_by")
        .order_by("dated_on", "pk")
    )
    return Section(
        key="documents",
        title=_("Documents"),
        fields=[(name, field_label(Document, name)) for name in DOCUMENT_EXPORT],
        records=[
            {
                **{name: getattr(d, name) for name in DOCUMENT_EXPORT},
                "kind": str(d.kind),
                "uploaded_by": person(d.uploaded_by),
            }
            for d in rows
        ],
    )


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
