"""Appointments a coach plans with a client, and the secret link of a coach's calendar feed."""

import datetime

from concurrency.fields import IntegerVersionField
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import CONVERSATION_CHANNELS, Client, Contact

# An appointment is a conversation: in person, by phone, by video or at home.
APPOINTMENT_CHANNELS = [(channel.value, channel.label) for channel in CONVERSATION_CHANNELS]
MAX_DURATION_MINUTES = 8 * 60


class AppointmentKind(models.TextChoices):
    INTAKE = "intake", _("Intake")
    PROGRESS = "progress", _("Progress conversation")
    JOB_COACH = "job_coach", _("Job-coach conversation")
    OTHER = "other", _("Other appointment")


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


# The outcomes recorded afterwards; a no-show signal looks at the latest two of these.
OUTCOMES = (AppointmentStatus.HELD, AppointmentStatus.NO_SHOW)


class ParticipantRole(models.TextChoices):
    JOB_COACH = "job_coach", _("Job coach")
    INTERPRETER = "interpreter", _("Interpreter")
    EMPLOYER_CONTACT = "employer_contact", _("Employer's contact person")
    OTHER = "other", _("Other participant")


class AppointmentQuerySet(models.QuerySet):
    def for_user(self, user):
        """Appointments with the clients this user may open (Client.objects.for_user)."""
        return self.filter(client__in=Client.objects.for_user(user))

    def not_cancelled(self):
        return self.exclude(status=AppointmentStatus.CANCELLED)

    def overlapping(self, starts_at: datetime.datetime, ends_at: datetime.datetime):
        """Appointments that share a moment with [starts_at, ends_at): one ending exactly when
        the other starts does not (back to back is no clash)."""
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def clashing(self, *, coach, starts_at, ends_at, exclude_pk=None):
        """The coach's other, not cancelled appointments overlapping this period, earliest first."""
        return (
            self.filter(coach=coach)
            .not_cancelled()
            .overlapping(starts_at, ends_at)
            .exclude(pk=exclude_pk)
            .select_related("client")
            .order_by("starts_at", "pk")
        )

    def between(self, start: datetime.date, end: datetime.date):
        """Appointments starting on a day from `start` up to and including `end` (local time)."""
        zone = timezone.get_current_timezone()
        first = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
        after = datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return self.filter(starts_at__gte=first, starts_at__lt=after)

    def for_calendar(self):
        """What an agenda item shows (client and coach) in a constant number of queries."""
        return self.select_related("client", "coach").order_by("starts_at", "pk")

    def with_client_shown(self, user):
        """Annotate `client_shown`: whether `user` may see the client's name (and dossier)."""
        return self.annotate(
            client_shown=Exists(Client.objects.for_user(user).filter(pk=OuterRef("client_id")))
        )


class Appointment(models.Model):
    """A conversation a coach plans with a client; afterwards held, a no-show, or cancelled."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("client")
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("work coach"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[
            MinValueValidator(5, _("An appointment lasts at least 5 minutes.")),
            MaxValueValidator(
                MAX_DURATION_MINUTES, _("An appointment lasts at most 8 hours (480 minutes).")
            ),
        ],
    )
    # Stored for the clash query (starts_at + duration), set on every save.
    ends_at = models.DateTimeField(_("ends at"), editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=AppointmentKind)
    channel = models.CharField(_("channel"), max_length=20, choices=APPOINTMENT_CHANNELS)
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("Where, for a conversation in person or a home visit; a link for video."),
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AppointmentStatus, default=AppointmentStatus.PLANNED
    )
    # The contact moment a held appointment became (clients.Contact, on the timeline).
    contact = models.OneToOneField(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="appointment",
        verbose_name=_("contact moment"),
    )
    outcome_recorded_at = models.DateTimeField(
        _("outcome recorded at"), null=True, blank=True, editable=False
    )
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("outcome recorded by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = IntegerVersionField()

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["coach", "starts_at"]),
            models.Index(fields=["client", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="appointment_ends_after_start",
                violation_error_message=_("An appointment ends after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status=AppointmentStatus.HELD) | Q(contact__isnull=True),
                name="appointment_contact_only_when_held",
                violation_error_message=_("Only a held appointment has a contact moment."),
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.get_kind_display()} {local:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.set_end()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.set_end()

    def set_end(self) -> None:
        if self.starts_at is not None and self.duration_minutes:
            self.ends_at = self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.starts_at)

    @property
    def local_end(self) -> datetime.datetime:
        return timezone.localtime(self.ends_at)

    @property
    def is_planned(self) -> bool:
        return self.status == AppointmentStatus.PLANNED

    @property
    def has_begun(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def awaits_outcome(self) -> bool:
        """Planned, and its day has come: held or no-show can be recorded."""
        return self.is_planned and self.local_start.date() <= timezone.localdate()

    @property
    def where(self) -> str:
        """The place if given, otherwise the channel (by phone, video call)."""
        return self.place or str(self.get_channel_display())


class Participant(models.Model):
    """Someone else at the appointment: a job coach, an interpreter, an employer's contact."""

    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("appointment"),
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole)
    name = models.CharField(_("name"), max_length=200, blank=True)
    contact_person = models.ForeignKey(
        "employers.ContactPerson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person of an employer"),
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_role_display()}: {self.shown_name}"

    @property
    def shown_name(self) -> str:
        if self.name:
            return self.name
        return self.contact_person.name if self.contact_person_id else ""


class FeedToken(models.Model):
    """The secret of a coach's calendar feed, kept only as its SHA-256: a new one replaces it,
    so the old link stops working at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agenda_feed",
        verbose_name=_("user"),
    )
    token_hash = models.CharField(_("hash of the secret"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("calendar feed link")
        verbose_name_plural = _("calendar feed links")

    def __str__(self):
        return str(self.user)
