"""Retention: proposals to anonymise clients whose retention period has ended.

A proposal lists the clients deregistered long enough ago; a functional administrator takes out
whom they must keep and approves the rest (DOMAIN.md: destruction is proposed as a list that
someone approves). A client is in at most one unfinished proposal, a rule the database holds.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.models import Client


class DossierKind(models.TextChoices):
    CLIENT = "client", _("Client dossier")


class RetentionPeriod(models.Model):
    """How long a kind of dossier is kept after it closes, as set by the records manager."""

    dossier_kind = models.CharField(
        _("kind of dossier"), max_length=20, choices=DossierKind, unique=True
    )
    years = models.PositiveSmallIntegerField(
        _("years after deregistration"),
        help_text=_("After this many years the dossier is proposed for anonymisation."),
    )

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        ordering = ["dossier_kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(years__gte=1),
                name="retention_period_at_least_a_year",
                violation_error_message=_("A retention period is at least one year."),
            )
        ]

    def __str__(self):
        return f"{self.get_dossier_kind_display()}: {self.years}"


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    APPROVED = "approved", _("Approved, being anonymised")
    DONE = "done", _("Anonymised")


class RetentionProposal(models.Model):
    """A list of clients proposed for anonymisation, waiting for (or past) approval."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    retention_years = models.PositiveSmallIntegerField(_("retention period in years"))
    deregistered_before = models.DateField(
        _("deregistered on or before"),
        help_text=_("Clients deregistered on or before this date were proposed."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus, default=ProposalStatus.OPEN
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("retention proposal")
        verbose_name_plural = _("retention proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.OPEN)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="retention_proposal_approval_recorded",
                violation_error_message=_("An approved proposal records who approved it, when."),
            )
        ]

    def __str__(self):
        return _("Retention proposal of %(date)s") % {"date": f"{self.created_at:%Y-%m-%d}"}


class ItemState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    TAKEN_OUT = "taken_out", _("Taken out")
    APPROVED = "approved", _("Approved")
    ANONYMISED = "anonymised", _("Anonymised")


# While a client's item is in one of these states, the client is in an unfinished proposal.
PENDING_STATES = (ItemState.PROPOSED, ItemState.APPROVED)


class RetentionProposalItemQuerySet(models.QuerySet):
    def pending(self):
        """Items still waiting: proposed, or approved but not yet anonymised."""
        return self.filter(state__in=PENDING_STATES)


class RetentionProposalItem(models.Model):
    """One client on a proposal. Taken out or approved, the row stays as a record."""

    proposal = models.ForeignKey(
        RetentionProposal,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("proposal"),
    )
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="+", verbose_name=_("client")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ItemState, default=ItemState.PROPOSED
    )
    taken_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken out by"),
    )
    taken_out_at = models.DateTimeField(_("taken out at"), null=True, blank=True)

    objects = RetentionProposalItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposed client")
        verbose_name_plural = _("proposed clients")
        ordering = ["proposal", "pk"]
        constraints = [
            # Running the proposal job twice can never put a client in two unfinished proposals.
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(state__in=PENDING_STATES),
                name="retention_client_in_one_pending_proposal",
                violation_error_message=_("This client is already in an unfinished proposal."),
            ),
            models.UniqueConstraint(
                fields=["proposal", "client"], name="retention_client_once_per_proposal"
            ),
        ]

    def __str__(self):
        return f"{self.proposal_id}: {self.client_id} ({self.state})"
