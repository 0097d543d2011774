"""State changes of the documents app: uploading a document, sending a letter, ticking a
letter off as posted, keeping the letter templates, and removing a client's documents."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Correspondence
from core.changelog import records_actor
from core.editing import save_versioned
from core.models import User
from documents import merge as merging
from documents.filecheck import check_file
from documents.models import (
    Delivery,
    Document,
    DocumentKind,
    Letter,
    LetterKind,
    LetterTemplate,
)
from documents.reference import LETTER_KIND

logger = logging.getLogger(__name__)


@records_actor
@transaction.atomic
def document_upload(
    *,
    actor: User | None,
    client: Client,
    kind: DocumentKind,
    file,
    dated_on: datetime.date,
    expires_on: datetime.date | None = None,
    description: str = "",
) -> Document:
    """Store a file in the client's dossier, checked by its content and size (filecheck)."""
    client.check_writable()
    checked = check_file(file)
    document = Document(
        client=client,
        kind=kind,
        description=description,
        original_name=_base_name(file.name),
        content_type=checked.mime,
        size=file.size,
        dated_on=dated_on,
        expires_on=expires_on,
        uploaded_by=actor,
    )
    document.extension = checked.extension  # random_name's suffix
    document.full_clean(exclude=["file"])
    return _store(document, file)


def _store(document: Document, content) -> Document:
    """Write the file, then the row; a refused row leaves no file behind.

    A rollback of the caller's transaction after this returns would leave the file unreferenced
    (a random name no URL reaches); Django has no hook for a rollback.
    """
    document.file.save("upload", content, save=False)
    try:
        document.save()
    except BaseException:
        document.file.delete(save=False)
        raise
    return document


def _base_name(name: str) -> str:
    """The file name the user chose, without any folder a browser may send with it."""
    return name.replace("\\", "/").rsplit("/", 1)[-1][:255] or "document"


# --- Letters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Composed:
    """A letter's text as it will be sent: the template it came from, subject and body."""

    template: LetterTemplate
    subject: str
    body: str


def active_template(kind: str) -> LetterTemplate:
    """The template of this kind that may be sent; a Dutch refusal when there is none."""
    template = LetterTemplate.objects.filter(kind=kind, active=True).first()
    if template is None:
        raise ValidationError(
            _("There is no active letter template for '%(kind)s'; ask a functional administrator."),
            code="no_template",
            params={"kind": LetterKind(kind).label},
        )
    return template


def letter_signer(*, actor: User | None, client: Client):
    """Who signs: the person sending it, or the client's coach when a task sends it."""
    return actor if actor is not None else client.coach


def letter_compose(
    *, actor: User | None, client: Client, kind: str, merge: dict[str, str] | None = None
) -> Composed:
    """The letter of `kind` for `client` with its fields filled in; writes nothing (the
    preview shows this)."""
    template = active_template(kind)
    coach = letter_signer(actor=actor, client=client)
    with translation.override(settings.LANGUAGE_CODE):  # the client's letter is Dutch
        values = merging.letter_fields(client=client, coach=coach, merge=merge)
    return Composed(
        template, merging.fill(template.subject, values), merging.fill(template.body, values)
    )


def letter_pdf(client: Client, subject: str, body: str, coach) -> bytes:
    """The letter in the house style (documents/letter_pdf.html), as WeasyPrint renders it."""
    from weasyprint import HTML  # heavy import, only when a PDF is made

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "documents/letter_pdf.html",
            {
                "organisation": str(_("Work and Development")),
                "client": client,
                "subject": subject,
                "body": body,
                "date": merging.letter_fields(client=client, coach=coach)["datum"],
                "reference": f"{client.pk}-{timezone.localdate():%Y%m%d}",
                "coach_name": (coach.get_full_name() or coach.get_username()) if coach else "",
                "coach_email": coach.email if coach else "",
            },
        )
    return HTML(string=html).write_pdf()


def letter_file_name(kind: str, day: datetime.date) -> str:
    """`brief-uitnodiging-2026-12-14.pdf`: the kind in the client's language, never a name."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"brief-{slugify(str(LetterKind(kind).label))}-{day:%Y-%m-%d}.pdf"


def letter_delivery(client: Client) -> tuple[str, str]:
    """By e-mail when the client prefers it and has an address; otherwise by post, which needs
    a street and a postcode."""
    if client.correspondence == Correspondence.EMAIL and client.email:
        return Delivery.EMAIL, client.email
    if not (client.address and client.postcode):
        raise ValidationError(
            _(
                "This letter goes by post, but the client's address is incomplete: fill in "
                "the street and number and the postcode first."
            ),
            code="no_address",
        )
    return Delivery.POST, ""


@records_actor
@transaction.atomic
def letter_send(
    *, actor: User | None, client: Client, kind: str, merge: dict[str, str] | None = None
) -> Letter:
    """Send the letter of `kind` to the client: a PDF in the dossier (a document of kind
    letter), by e-mail after commit when the client prefers e-mail and has an address,
    otherwise marked for the post; on the timeline. Nothing is written when it is refused."""
    client.check_writable()
    delivery, email = letter_delivery(client)
    composed = letter_compose(actor=actor, client=client, kind=kind, merge=merge)
    pdf = letter_pdf(
        client, composed.subject, composed.body, letter_signer(actor=actor, client=client)
    )
    today = timezone.localdate()
    document = Document(
        client=client,
        kind=DocumentKind.objects.get(code=LETTER_KIND),
        description=composed.subject[:200],
        original_name=letter_file_name(kind, today),
        content_type="application/pdf",
        size=len(pdf),
        dated_on=today,
        uploaded_by=actor,
    )
    document.extension = "pdf"
    _store(document, ContentFile(pdf))
    letter = Letter.objects.create(
        client=client,
        kind=kind,
        subject=composed.subject[:200],
        document=document,
        delivery=delivery,
        email=email,
        sent_by=actor,
    )
    if delivery == Delivery.EMAIL:
        message = EmailMessage(
            subject=composed.subject,
            body=composed.body,
            to=[email],
            reply_to=[actor.email] if actor is not None and actor.email else None,
        )
        message.attach(document.original_name, pdf, "application/pdf")
        transaction.on_commit(lambda: _send_mail(message, letter.pk))
    return letter


def _send_mail(message: EmailMessage, letter_id: int) -> None:
    """After commit: a mail server that is down must not undo the letter (it is in the
    dossier); the failure is logged for the administrator."""
    try:
        message.send()
    except Exception:
        logger.exception("letter %s: the e-mail could not be sent", letter_id)


@records_actor
@transaction.atomic
def letter_mark_posted(*, actor: User | None, letter: Letter) -> Letter:
    """Tick a letter for the post off as posted; once."""
    letter.client.check_writable()
    marked = Letter.objects.filter(
        pk=letter.pk, delivery=Delivery.POST, posted_at__isnull=True
    ).update(posted_at=timezone.now(), posted_by=actor)
    if not marked:
        raise ValidationError(_("This letter was already marked as posted."), code="posted")
    letter.refresh_from_db()
    return letter


@records_actor
@transaction.atomic
def letter_template_save(
    *, actor: User | None, template: LetterTemplate, version: int | None = None, **fields
) -> LetterTemplate:
    """Change a letter template; a merge field that does not exist is refused, and so is a save
    over someone else's change (ConcurrentEdit)."""
    errors = {}
    for name in ("subject", "body"):
        if name in fields:
            try:
                merging.validate_text(fields[name])
            except ValidationError as error:
                errors[name] = error.error_list
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(template, name, value)
    return save_versioned(template, version)


@records_actor
@transaction.atomic
def document_kind_save(
    *, actor: User | None, kind: DocumentKind | None = None, **fields
) -> DocumentKind:
    """Add a kind of document (`kind` None) or change one; its code stays once it is made, so
    an import or a saved filter that names it keeps working. A duplicate code is refused."""
    kind = kind or DocumentKind()
    if kind.pk is not None:
        fields.pop("code", None)
    for name, value in fields.items():
        setattr(kind, name, value)
    kind.full_clean()
    kind.save()
    return kind


# --- Anonymisation ------------------------------------------------------------------------------


def documents_remove(*, client: Client) -> int:
    """Delete the client's documents and letters, rows now and files after commit (the
    anonymisation, privacy.services.client_anonymise, calls it in its transaction); returns
    how many documents."""
    documents = Document.objects.filter(client=client)
    names = list(documents.values_list("file", flat=True))
    Letter.objects.filter(client=client).delete()
    count = documents.delete()[1].get(Document._meta.label, 0)
    storage = Document._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names if name])
    return count
