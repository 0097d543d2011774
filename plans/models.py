"""The signed plan of approach (plan van aanpak): numbered versions of a trajectory's plan.

A version is a snapshot (`content`) of everything its PDF prints: the client, the coach, the
route, the goals and activities as they were, and the agreements the coach wrote. So a version
never changes when the trajectory changes later; what changed between two versions is computed
from their snapshots (plans.diff). The PDF is a document in the dossier (documents.Document),
read only through documents:download, which checks the scope and logs the read.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from documents.models import Document
from trajectories.models import Trajectory


class PlanVersionQuerySet(models.QuerySet):
    def for_user(self, user):
        """The plan versions of the clients this user may open."""
        return self.filter(trajectory__client__in=Client.objects.for_user(user))

    def for_panel(self):
        """Everything the dossier's plan panel shows of a version, in one query."""
        return self.select_related(
            "trajectory__route", "document", "made_by", "signed_recorded_by"
        ).order_by("trajectory__start_date", "trajectory_id", "number")


class PlanVersion(models.Model):
    """One version of a trajectory's plan: made, printed, and (later) signed by the client."""

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="plan_versions",
        verbose_name=_("trajectory"),
    )
    number = models.PositiveSmallIntegerField(_("version"))
    made_at = models.DateTimeField(_("made at"), default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    agreements = models.TextField(
        _("agreements"),
        help_text=_("What the client does and what we do, in plain words."),
    )
    review_on = models.DateField(_("plan looked at again on"))
    content = models.JSONField(_("contents of the plan"), default=dict, editable=False)
    # The anonymisation deletes a client's documents (documents.services.documents_remove);
    # the version, which prints the same data, goes with its PDF.
    document = models.OneToOneField(
        Document,
        on_delete=models.CASCADE,
        related_name="plan_version",
        verbose_name=_("document"),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signature recorded by"),
    )
    signed_recorded_at = models.DateTimeField(_("signature recorded at"), null=True, blank=True)

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["trajectory", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "number"],
                name="plan_version_number_once",
                violation_error_message=_(
                    "This trajectory already has a version with this number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="plan_version_number_from_one",
                violation_error_message=_("Versions are numbered from 1."),
            ),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True) | Q(signed_recorded_at__isnull=False),
                name="plan_version_signature_recorded",
                violation_error_message=_("A signed version records when the signature was noted."),
            ),
        ]

    def __str__(self):
        return f"{self.trajectory} v{self.number}"

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None


def in_force(versions) -> PlanVersion | None:
    """The version in force among one trajectory's versions: the newest signed one."""
    signed = [version for version in versions if version.is_signed]
    return max(signed, key=lambda version: version.number, default=None)
