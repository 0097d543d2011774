"""A client's household: partner, children and adult housemates (DOMAIN.md: route werknemer
serves benefit recipients and their adult household members).

A member is either a client with a dossier of their own (`member`, linked both ways: the row
shows on both dossiers, read from either side) or a person without one (names and birth
date here). One row per pair: the member's dossier reads it backwards (a child's dossier
shows the client as parent).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core.validators import validate_name

ADULT_AGE = 18


class Relation(models.TextChoices):
    PARTNER = "partner", _("partner")
    CHILD = "child", _("child")
    HOUSEMATE = "housemate", _("adult housemate")


# How the member's own dossier names the client of the row.
REVERSE_LABELS = {
    Relation.PARTNER: _("partner"),
    Relation.CHILD: _("parent"),
    Relation.HOUSEMATE: _("adult housemate"),
}


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


class HouseholdMemberQuerySet(models.QuerySet):
    def of_client(self, client: Client):
        """Every row that touches this client, from either side, with both people read."""
        return (
            self.filter(Q(client=client) | Q(member=client))
            .select_related("client", "member")
            .order_by("relation", "pk")
        )


class HouseholdMember(models.Model):
    client = models.ForeignKey(
        Client,
        on_delete=models.CASCADE,
        related_name="household_members",
        verbose_name=_("client"),
    )
    relation = models.CharField(_("relation"), max_length=12, choices=Relation)
    member = models.ForeignKey(
        Client,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="household_of",
        verbose_name=_("dossier of the household member"),
    )
    # A person without a dossier of their own; empty once `member` is set (the dossier holds it).
    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=[validate_name]
    )
    name_prefix = models.CharField(
        _("name prefix"), max_length=30, blank=True, validators=[validate_name]
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=[validate_name]
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    obligation = models.BooleanField(
        _("own re-integration obligation"),
        default=False,
        help_text=_(
            "Under the Participatiewet the partner or housemate must look for work too; they "
            "can become a client with one action."
        ),
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = HouseholdMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.CheckConstraint(
                condition=~Q(member=models.F("client")),
                name="household_member_is_someone_else",
                violation_error_message=_("A client cannot be their own household member."),
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(last_name=""),
                name="household_member_has_a_name_or_dossier",
                violation_error_message=_("Give the household member's last name."),
            ),
            models.UniqueConstraint(
                fields=["client", "member"],
                condition=Q(member__isnull=False),
                name="household_member_once",
                violation_error_message=_("This client is already in the household."),
            ),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(relation="partner"),
                name="household_one_partner",
                violation_error_message=_("The household already has a partner."),
            ),
        ]

    def __str__(self):
        return f"{self.get_relation_display()}: {self.name}"

    @property
    def name(self) -> str:
        if self.member_id:
            return self.member.full_name
        return " ".join(p for p in (self.first_name, self.name_prefix, self.last_name) if p)

    def person_birth_date(self) -> datetime.date | None:
        return self.member.birth_date if self.member_id else self.birth_date
