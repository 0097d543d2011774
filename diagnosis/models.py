"""Referrals to the diagnosis team and the practical assessments planned from them.

A coach who suspects a limitation refers a client to a diagnosis team with a question; the
diagnosis intake that follows (clients.Intake) answers it (diagnosis.services.referral_answer).
A practical assessment (praktijkonderzoek) of 6 to 12 weeks at a company is planned and
evaluated from the referral.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Intake, Route
from core import roles
from core.models import Team, User

# A practical assessment lasts 6 to 12 weeks at the company (DOMAIN.md, diagnosis consultant).
ASSESSMENT_MIN_WEEKS = 6
ASSESSMENT_MAX_WEEKS = 12


def signal_days() -> int:
    """Days an open referral may wait before the diagnosis team's start page signals it."""
    return settings.DIAGNOSIS_REFERRAL_SIGNAL_DAYS


def diagnosis_teams():
    """Teams with an active diagnosis consultant among their members: where a coach may refer
    to. A team of diagnosis consultants only comes first, then by name."""
    consultants = User.objects.filter(
        is_active=True, groups__name=roles.DIAGNOSIS_CONSULTANT
    ).values("pk")
    return (
        # A subquery, not a join: the count below must see every member, not only the
        # consultants a joined filter would leave.
        Team.objects.filter(
            pk__in=Team.members.through.objects.filter(user__in=consultants).values("team")
        )
        .annotate(
            others=Count(
                "members",
                filter=Q(members__is_active=True) & ~Q(members__in=consultants),
                distinct=True,
            )
        )
        .order_by("others", "name")
    )


class ReferralStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReferralQuerySet(models.QuerySet):
    def for_user(self, user):
        """The referrals of the clients this user may open."""
        return self.filter(client__in=Client.objects.for_user(user))

    def to_teams_of(self, user):
        """Referrals to a team the user is a member of (the diagnosis team's worklist)."""
        return self.filter(team__in=user.teams.values("pk"))

    def open(self):
        return self.filter(status=ReferralStatus.OPEN)

    def for_list(self):
        """Everything a row of the referral list shows, in one query."""
        return self.select_related(
            "client", "referred_by", "team", "answered_by_intake__consultant"
        )

    def for_dossier(self):
        """Everything the dossier panel shows of a client's referrals: two queries."""
        return self.select_related(
            "referred_by", "team", "withdrawn_by", "answered_by_intake__consultant"
        ).prefetch_related(
            models.Prefetch(
                "assessments",
                queryset=PracticalAssessment.objects.select_related("planned_by", "evaluated_by"),
            )
        )

    def oldest_first(self):
        return self.order_by("referred_at", "pk")


class Referral(models.Model):
    """A coach's question to the diagnosis team about a client with a suspected limitation."""

    client = models.ForeignKey(
        Client,
        on_delete=models.CASCADE,
        related_name="diagnosis_referrals",
        verbose_name=_("client"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="diagnosis_referrals",
        verbose_name=_("diagnosis team"),
    )
    question = models.TextField(
        _("question"), help_text=_("What should the diagnosis team find out?")
    )
    limitation_notes = models.TextField(
        _("suspected limitation"),
        blank=True,
        help_text=_("What you noticed. Describe what the client can and cannot do, no diagnosis."),
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred by"),
    )
    referred_at = models.DateTimeField(_("referred at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus, default=ReferralStatus.OPEN
    )
    answered_by_intake = models.ForeignKey(
        Intake,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by the intake"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral to diagnosis")
        verbose_name_plural = _("referrals to diagnosis")
        ordering = ["-referred_at", "-pk"]
        permissions = [
            ("answer_referral", _("Can see the diagnosis team's referrals and answer them")),
        ]
        indexes = [models.Index(fields=["team", "status", "referred_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(status="open"),
                name="one_open_referral_per_client",
                violation_error_message=_("This client already has an open referral."),
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | Q(answered_at__isnull=False),
                name="answered_referral_has_a_date",
                violation_error_message=_("An answered referral needs the date of its answer."),
            ),
        ]

    def __str__(self):
        return _("Referral of %(date)s") % {
            "date": timezone.localdate(self.referred_at).strftime("%d-%m-%Y")
        }

    @property
    def is_open(self) -> bool:
        return self.status == ReferralStatus.OPEN

    def days_waiting(self, today: datetime.date) -> int:
        """Whole days since the referral was made."""
        return (today - timezone.localdate(self.referred_at)).days

    def is_overdue(self, today: datetime.date) -> bool:
        """Open longer than the signal's number of days (DIAGNOSIS_REFERRAL_SIGNAL_DAYS)."""
        return self.is_open and self.days_waiting(today) > signal_days()


class AssessmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    EVALUATED = "evaluated", _("Evaluated")
    STOPPED = "stopped", _("Stopped early")


class PracticalAssessment(models.Model):
    """A practical assessment (praktijkonderzoek): 6 to 12 weeks at a company, where the
    diagnosis consultant sees what the client can do, then evaluates it with an advised route.

    Stored as planned, evaluated or stopped; it shows as running from its first day
    (`shown_status`), so nobody has to press a button on the day it starts."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("referral")
    )
    # Free text, not an employers.Employer: diagnosis sits below employers (tests/test_layering.py).
    workplace = models.CharField(
        _("workplace"), max_length=200, help_text=_("The company and the department.")
    )
    supervisor_name = models.CharField(_("supervisor at the workplace"), max_length=150)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    goal = models.TextField(_("goal and questions"))
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus, default=AssessmentStatus.PLANNED
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    evaluation = models.TextField(_("evaluation"), blank=True)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluated by"),
    )
    advised_route = models.CharField(_("advised route"), max_length=20, choices=Route, blank=True)

    class Meta:
        verbose_name = _("practical assessment")
        verbose_name_plural = _("practical assessments")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            # The 6-to-12-weeks rule is `clean()`'s (date arithmetic in a CHECK would need
            # SQLite's Django-only functions); the database keeps the order of the dates.
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="practical_assessment_ends_after_start",
                violation_error_message=_("A practical assessment ends after it starts."),
            ),
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(status__in=["planned", "running"]),
                name="one_unfinished_assessment_per_referral",
                violation_error_message=_(
                    "This referral already has a practical assessment that is not finished."
                ),
            ),
        ]

    def __str__(self):
        return _("Practical assessment at %(workplace)s") % {"workplace": self.workplace}

    def clean(self):
        """6 to 12 weeks at the company, next to the end date."""
        if self.starts_on and self.ends_on:
            weeks = (self.ends_on - self.starts_on).days / 7
            if not ASSESSMENT_MIN_WEEKS <= weeks <= ASSESSMENT_MAX_WEEKS:
                raise ValidationError(
                    {
                        "ends_on": _(
                            "A practical assessment lasts 6 to 12 weeks; from %(start)s that "
                            "is an end date from %(first)s to %(last)s."
                        )
                        % {
                            "start": self.starts_on.strftime("%d-%m-%Y"),
                            "first": (
                                self.starts_on + datetime.timedelta(weeks=ASSESSMENT_MIN_WEEKS)
                            ).strftime("%d-%m-%Y"),
                            "last": (
                                self.starts_on + datetime.timedelta(weeks=ASSESSMENT_MAX_WEEKS)
                            ).strftime("%d-%m-%Y"),
                        }
                    },
                    code="duration",
                )

    @property
    def is_finished(self) -> bool:
        return self.status in (AssessmentStatus.EVALUATED, AssessmentStatus.STOPPED)

    def shown_status(self, today: datetime.date) -> str:
        """The status as a person reads it: a planned assessment runs from its first day."""
        if self.status == AssessmentStatus.PLANNED and self.starts_on <= today:
            return AssessmentStatus.RUNNING.label
        return self.get_status_display()
