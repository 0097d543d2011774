"""Documents in a client's dossier, and the letters sent to clients from templates.

A document's file lives in the `documents` storage (settings.STORAGES), outside the static and
media paths, under a random name; it is read only through documents.views.document_download,
which checks the client's scope and logs the read.
"""

import datetime
import uuid

from concurrency.fields import IntegerVersionField
from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from clients.models import Client


def document_storage():
    """The storage of documents (a callable, so a changed STORAGES setting applies)."""
    return storages["documents"]


def random_name(instance, filename: str) -> str:
    """A random path: the user's file name never reaches the storage (it is kept in a column)."""
    name = uuid.uuid4().hex
    extension = getattr(instance, "extension", "") or "bin"
    return f"{name[:2]}/{name}.{extension}"


class DocumentKind(models.Model):
    """A kind of document (identity document, diploma ...): a list the administrator keeps."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active kinds can be chosen for an upload.")
    )

    class Meta:
        verbose_name = _("document kind")
        verbose_name_plural = _("document kinds")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DocumentQuerySet(models.QuerySet):
    def for_user(self, user):
        """The documents of the clients this user may open."""
        return self.filter(client__in=Client.objects.for_user(user))

    def for_list(self):
        """Everything a row shows (kind, uploader, the letter it holds) in one query."""
        return self.select_related("kind", "uploaded_by", "letter")

    def with_renewed(self):
        """Annotate `renewed`: a document of the same kind of the same client runs longer."""
        longer = Document.objects.filter(
            client=OuterRef("client"), kind=OuterRef("kind"), expires_on__gt=OuterRef("expires_on")
        )
        return self.annotate(renewed=Exists(longer))

    def expiring(self, *, today: datetime.date, weeks: int):
        """Documents whose expiry date falls within `weeks` from `today` (or has passed),
        unless a document of the same kind of the same client runs longer (a renewed one)."""
        return self.with_renewed().filter(
            expires_on__lte=warning_horizon(today, weeks), renewed=False
        )


def warning_horizon(today: datetime.date, weeks: int) -> datetime.date:
    """The last expiry date that is a signal today."""
    return today + datetime.timedelta(weeks=weeks)


class Document(models.Model):
    """A file in the dossier: a scan, a report, a letter that was sent."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="documents", verbose_name=_("client")
    )
    kind = models.ForeignKey(
        DocumentKind, on_delete=models.PROTECT, related_name="documents", verbose_name=_("kind")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(
        _("file"), storage=document_storage, upload_to=random_name, max_length=200
    )
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    dated_on = models.DateField(_("date of the document"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-dated_on", "-pk"]
        indexes = [models.Index(fields=["client", "kind"]), models.Index(fields=["expires_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("dated_on")),
                name="document_expires_after_its_date",
                violation_error_message=_("A document cannot expire before its date."),
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.original_name}"

    def is_expiring(self, *, today: datetime.date, weeks: int) -> bool:
        """As DocumentQuerySet.expiring, for a row read `with_renewed()`."""
        return (
            self.expires_on is not None
            and self.expires_on <= warning_horizon(today, weeks)
            and not self.renewed
        )

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


class LetterKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    NO_SHOW_REMINDER = "no_show_reminder", _("Reminder after a no-show")
    AGREEMENTS = "agreements", _("Confirmation of agreements")
    APPOINTMENT_MOVED = "appointment_moved", _("Appointment moved")
    APPOINTMENT_CANCELLED = "appointment_cancelled", _("Appointment cancelled")
    # Sent by projects.event_services when a coach registers a client for an event.
    EVENT_INVITATION = "event_invitation", _("Invitation to an event")


class LetterTemplate(models.Model):
    """The text of one kind of letter, with merge fields (documents.merge), kept by the
    functional administrator."""

    kind = models.CharField(_("kind of letter"), max_length=30, choices=LetterKind, unique=True)
    subject = models.CharField(
        _("subject"), max_length=200, help_text=_("The letter's subject line and the e-mail's.")
    )
    body = models.TextField(
        _("text"), help_text=_("Plain text; an empty line starts a new paragraph.")
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only an active template can be sent.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = IntegerVersionField()

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()


class Delivery(models.TextChoices):
    EMAIL = "email", _("By e-mail")
    POST = "post", _("By post")


class LetterQuerySet(models.QuerySet):
    def for_user(self, user):
        """The letters of the clients this user may open."""
        return self.filter(client__in=Client.objects.for_user(user))

    def to_post(self):
        """Letters marked for the post that nobody has ticked off as posted yet."""
        return self.filter(delivery=Delivery.POST, posted_at__isnull=True)


class Letter(models.Model):
    """A letter sent to a client: its PDF is a document in the dossier."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="letters", verbose_name=_("client")
    )
    kind = models.CharField(_("kind of letter"), max_length=30, choices=LetterKind)
    subject = models.CharField(_("subject"), max_length=200)
    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, related_name="letter", verbose_name=_("document")
    )
    delivery = models.CharField(_("sent"), max_length=10, choices=Delivery)
    email = models.EmailField(_("sent to"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["delivery", "posted_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.sent_at:%Y-%m-%d}"

    @property
    def waits_for_post(self) -> bool:
        return self.delivery == Delivery.POST and self.posted_at is None
