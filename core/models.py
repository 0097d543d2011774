import datetime

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import roles


class User(AbstractUser):
    """A member of staff. What they may do comes from their role groups (core.roles)."""

    # Capacity for a caseload (clients.handover): the hours of casework a week, and a maximum
    # set for this coach; without one the maximum follows from the hours and
    # settings.CASELOAD_PER_FULL_TIME.
    casework_hours = models.PositiveSmallIntegerField(
        _("hours of casework per week"),
        default=36,
        validators=[MaxValueValidator(60)],
        help_text=_("The hours a week this coach spends on their caseload."),
    )
    max_caseload = models.PositiveSmallIntegerField(
        _("maximum caseload"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: follows from the hours of casework (clients for a full-time week, in "
            "proportion)."
        ),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["first_name", "last_name", "username"]
        permissions = [("administer", _("Can manage users and reference data"))]

    def __str__(self):
        return self.get_full_name() or self.username

    def has_role(self, role: str) -> bool:
        return self.groups.filter(name=role).exists()

    @property
    def role_names(self) -> list[str]:
        """The translated names of this user's roles, for display."""
        return [str(roles.LABELS[g.name]) for g in self.groups.all() if g.name in roles.LABELS]


class Team(models.Model):
    """A team of staff. A client belongs to one team; the team's members work with its clients."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    members = models.ManyToManyField(
        User, related_name="teams", blank=True, verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def service_area(self):
        """The municipalities the company works for (kpis.md: the service area)."""
        return self.filter(in_service_area=True)

    def current(self, on: datetime.date | None = None):
        """The municipalities that exist on `on` (today): none merged away by then."""
        on = on or datetime.date.today()
        return self.filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=on))


class Municipality(models.Model):
    """A Dutch municipality, by CBS's name (core/data/municipalities.csv, loaded by migrate)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    cbs_code = models.CharField(
        _("CBS code"), max_length=6, blank=True, help_text=_("For example GM0106 for Assen.")
    )
    province = models.CharField(_("province"), max_length=30, blank=True)
    # A municipality merged away stays, so that records of before the merger keep their place
    # and an import accepts its name for dates before ended_on (interchange.md).
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_("The first day the municipality no longer existed (merged into another)."),
    )
    merged_into = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    aliases = models.CharField(
        _("other names"),
        max_length=200,
        blank=True,
        help_text=_("Everyday names, separated by semicolons, for example Den Haag."),
    )
    in_service_area = models.BooleanField(
        _("in service area"),
        default=False,
        help_text=_("The company works for this municipality."),
    )
    # The centre of the municipality (WGS84), for the distance criterion of matching
    # (employers.matching). Loaded by load_reference_data for the demo region, or by
    # `manage.py load_coordinates` from a CSV for any region.
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PostcodeArea(models.Model):
    """The centre of a four-digit postcode area: a finer place for distances, where loaded.

    Only distance is derived from it (employers.matching), never a score of its own: a
    neighbourhood must not count for or against a person (DOMAIN.md, Privacy and fairness).
    """

    code = models.CharField(_("postcode area"), max_length=4, primary_key=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="postcode_areas",
        verbose_name=_("municipality"),
    )

    class Meta:
        verbose_name = _("postcode area")
        verbose_name_plural = _("postcode areas")
        ordering = ["code"]

    def __str__(self):
        return self.code


class SubmissionToken(models.Model):
    """A form that was submitted once: a second submit of the same form does not write again.

    Create forms carry a random token (core.idempotency). The first submit stores it together
    with the page its result is on; a double click or a resubmit finds it and goes there.
    """

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("submitted form")
        verbose_name_plural = _("submitted forms")

    def __str__(self):
        return str(self.token)
