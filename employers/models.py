"""Employers the account managers keep: the other side of every match and placement."""

from concurrency.fields import IntegerVersionField
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Municipality
from core.validators import validate_kvk, validate_postcode


class Employer(models.Model):
    """A regular employer or a social enterprise in the region (DOMAIN.md step 4)."""

    name = models.CharField(_("name"), max_length=200)
    kvk_number = models.CharField(  # noqa: DJ001
        _("KvK number"),
        max_length=8,
        unique=True,
        null=True,  # optional, but unique when given: NULLs do not collide
        blank=True,
        validators=[validate_kvk],
        help_text=_("Chamber of Commerce number: 8 digits."),
        error_messages={"unique": _("An employer with this KvK number is already registered.")},
    )
    address = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode]
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employers",
        verbose_name=_("municipality"),
    )
    sbi_code = models.CharField(
        _("sector (SBI code)"),
        max_length=5,
        blank=True,
        help_text=_("Standard industrial classification of the CBS, for example 5610."),
    )
    social_enterprise = models.BooleanField(_("social enterprise"), default=False)
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employers",
        verbose_name=_("account manager"),
    )
    notes = models.TextField(_("notes"), blank=True)
    # The identifier in the source system of an import (interchange.md): a re-import updates
    # the same employer instead of creating a second one.
    source_ref = models.CharField(  # noqa: DJ001
        _("reference in the source system"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic locking, as on Client: a save based on an older version is refused.
    version = IntegerVersionField()

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name
