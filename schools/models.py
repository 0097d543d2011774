"""The schools for special and practical education (vso/pro) in the region, their leaving
pupils, and the exit conversation that records an advice for each (issue 18).

A leaver becomes a client with one action (schools.services.leaver_become_client); `client`
then points at the dossier, and the dossier shows the advice (schools.dossier).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Route
from core.models import Municipality
from core.validators import validate_bsn, validate_name, validate_postcode

FIRST_SCHOOL_YEAR = 2000


class SchoolKind(models.TextChoices):
    VSO = "vso", _("Special secondary education (vso)")
    PRO = "pro", _("Practical education (pro)")


class School(models.Model):
    """A school for special or practical education whose leavers the diagnosis team sees."""

    name = models.CharField(_("name"), max_length=150, validators=[validate_name])
    kind = models.CharField(_("kind of school"), max_length=3, choices=SchoolKind)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="schools",
        verbose_name=_("municipality"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact person's e-mail address"), blank=True)
    contact_phone = models.CharField(_("contact person's phone number"), max_length=20, blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active schools are offered for new leavers.")
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name", "pk"]
        permissions = [
            ("view_school_figures", _("Can see the yearly figures of the school leavers")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "municipality"],
                name="school_name_unique_in_municipality",
                violation_error_message=_("This municipality has a school of this name already."),
            ),
        ]

    def __str__(self):
        return self.name


def validate_school_year(value: int) -> None:
    """The calendar year a pupil leaves: from 2000 up to next year."""
    last = timezone.localdate().year + 1
    if not FIRST_SCHOOL_YEAR <= value <= last:
        raise ValidationError(
            _("Give the year the pupil leaves school, between %(first)s and %(last)s."),
            code="school_year",
            params={"first": FIRST_SCHOOL_YEAR, "last": last},
        )


class LeaverQuerySet(models.QuerySet):
    def for_user(self, user):
        """The leavers this user may see: the diagnosis team sees the whole region's."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("schools.view_leaver"):
            return self
        return self.none()

    def for_list(self):
        """Everything a list row shows (school, advice, client) in one query."""
        return self.select_related("school", "conversation", "client")


class Leaver(models.Model):
    """A pupil who leaves a school in `school_year`; a client once `client` is set."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="leavers", verbose_name=_("school")
    )
    school_year = models.PositiveSmallIntegerField(
        _("year of leaving"),
        validators=[MinValueValidator(FIRST_SCHOOL_YEAR), validate_school_year],
        help_text=_("The calendar year the pupil leaves school."),
    )
    first_name = models.CharField(_("first name"), max_length=150, validators=[validate_name])
    name_prefix = models.CharField(
        _("name prefix"),
        max_length=30,
        blank=True,
        help_text=_("For example 'van der'."),
        validators=[validate_name],
    )
    last_name = models.CharField(_("last name"), max_length=150, validators=[validate_name])
    birth_date = models.DateField(_("date of birth"))
    bsn = models.CharField(_("BSN"), max_length=9, blank=True, validators=[validate_bsn])
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    address = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode]
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    expected_leaving_date = models.DateField(_("expected leaving date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    client = models.OneToOneField(
        Client,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="school_leaver",
        verbose_name=_("client"),
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    objects = LeaverQuerySet.as_manager()

    class Meta:
        verbose_name = _("school leaver")
        verbose_name_plural = _("school leavers")
        ordering = ["last_name", "first_name", "pk"]
        permissions = [("register_leaver_client", _("Can make a school leaver a client"))]
        indexes = [models.Index(fields=["school", "school_year"])]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.name_prefix, self.last_name) if p)

    @property
    def sort_name(self) -> str:
        given = " ".join(p for p in (self.first_name, self.name_prefix) if p)
        return f"{self.last_name}, {given}"

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    def check_writable(self) -> None:
        """A leaver anonymised with their client cannot be changed any more."""
        if self.is_anonymised:
            raise ValidationError(
                _("This school leaver is anonymised and can no longer be changed."),
                code="anonymised",
            )

    def clean(self):
        super().clean()
        if self.birth_date and self.birth_date > timezone.localdate():
            raise ValidationError(
                {"birth_date": _("The date of birth cannot be in the future.")}, code="future"
            )
        if self.birth_date and self.birth_date < datetime.date(1900, 1, 1):
            raise ValidationError({"birth_date": _("Check the year of birth.")}, code="too_old")


class Advice(models.TextChoices):
    SHELTERED_WORK = "sheltered_work", _("Sheltered work")
    TARGET_GROUP_REGISTER = "target_group_register", _("Target-group register")
    ROUTE = "route", _("A route")
    FURTHER_EDUCATION = "further_education", _("Further education")


class ExitConversation(models.Model):
    """The conversation with the school, a job coach and an account manager about where a
    leaving pupil goes next; it ends in an advice."""

    leaver = models.OneToOneField(
        Leaver,
        on_delete=models.CASCADE,
        related_name="conversation",
        verbose_name=_("school leaver"),
    )
    held_on = models.DateField(_("date of the conversation"))
    school_contact = models.CharField(
        _("present for the school"),
        max_length=200,
        blank=True,
        help_text=_("Who took part for the school, for example the mentor."),
    )
    job_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("job coach"),
    )
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account manager"),
    )
    advice = models.CharField(_("advice"), max_length=30, choices=Advice)
    route = models.CharField(_("advised route"), max_length=20, choices=Route, blank=True)
    explanation = models.TextField(_("explanation of the advice"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        editable=False,
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("exit conversation")
        verbose_name_plural = _("exit conversations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(advice="route") & ~Q(route="")) | (~Q(advice="route") & Q(route="")),
                name="exit_conversation_route_with_route_advice",
                violation_error_message=_(
                    "Choose the route when the advice is a route, and only then."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.leaver} {self.held_on:%Y-%m-%d}"

    @property
    def advice_text(self) -> str:
        """The advice as a person reads it: 'A route: Participation route'."""
        if self.advice == Advice.ROUTE and self.route:
            return f"{self.get_advice_display()}: {self.get_route_display()}"
        return str(self.get_advice_display())
