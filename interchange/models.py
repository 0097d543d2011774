"""An import run from the browser: the uploaded zip, its check, its import, who and when.

The page of a run can be left and found again: everything it shows is on this row (and, while a
job runs, in its progress file next to the upload; see interchange.progress).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    CHECK_QUEUED = "check_queued", _("Waiting to be checked")
    CHECKING = "checking", _("Being checked")
    REJECTED = "rejected", _("Problems found: nothing imported")
    CHECKED = "checked", _("Checked: ready to import")
    IMPORT_QUEUED = "import_queued", _("Waiting to be imported")
    IMPORTING = "importing", _("Being imported")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed: nothing imported")


RUNNING = (
    RunStatus.CHECK_QUEUED,
    RunStatus.CHECKING,
    RunStatus.IMPORT_QUEUED,
    RunStatus.IMPORTING,
)


class ImportRun(models.Model):
    """One uploaded folder (a zip): checked first, imported when the check found no problem."""

    upload = models.FileField(_("zip file"), upload_to="imports/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus, default=RunStatus.CHECK_QUEUED
    )
    # [[file, line, column, problem], ...] as the check reported them (line may be null).
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("number of problems"), default=0)
    # {file: {"rows": n, "created": n, "updated": n, "unchanged": n}}: predicted by the check,
    # then what the import wrote.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    # When it was last put in the queue: not claimed within JOB_UNCLAIMED_MINUTES of this, its
    # message counts as lost (services.stalled_requeue).
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # host:pid:nonce of the worker process checking or importing it (core.jobs); its progress
    # file's age is its heartbeat. Attempts count the claims of the current step.
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at", "-pk"]
        permissions = [("import_data", _("Can import data in the interchange format"))]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING
