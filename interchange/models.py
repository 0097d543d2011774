"""An import run from the browser: the uploaded zip, its check, its import, who and when.

The page of a run can be left and found again: everything it shows is on this row (and, while a
job runs, in its progress file in the attempt's folder; see interchange.progress).
"""

import datetime
import shutil
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import jobs
from core.jobs import Job, Step


class RunStatus(models.TextChoices):
    CHECK_QUEUED = "check_queued", _("Waiting to be checked")
    CHECKING = "checking", _("Being checked")
    REJECTED = "rejected", _("Problems found: nothing imported")
    CHECKED = "checked", _("Checked: ready to import")
    IMPORT_QUEUED = "import_queued", _("Waiting to be imported")
    IMPORTING = "importing", _("Being imported")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed: nothing imported")


def work_root() -> Path:
    """Where jobs unpack zips: under MEDIA_ROOT, which web and workers share (the uploads are
    there) and which nothing serves (there is no MEDIA_URL)."""
    return Path(settings.MEDIA_ROOT) / "imports" / "work"


def attempt_dir(run_id: int, claimant: str) -> Path:
    """The folder of one attempt at a run (one claim): named by the claim's nonce."""
    nonce = jobs.claim_nonce(claimant)
    return work_root() / (f"run-{run_id}-{nonce}" if nonce else f"run-{run_id}")


def work_dir(run: "ImportRun") -> Path:
    """The folder of the attempt at a run that holds its claim: its progress file and the
    unpacked zip (BSNs, names, birth dates). Deleted when the attempt ends; the sweep deletes
    the folders of attempts whose worker died."""
    return attempt_dir(run.pk, run.claimed_by)


def progress_path(run: "ImportRun") -> Path:
    """The job's progress file: what the page shows, and by its age the job's heartbeat."""
    return work_dir(run) / "progress.json"


class ImportRun(Job):
    """One uploaded folder (a zip): checked first, imported when the check found no problem.

    A job of two steps (core.jobs.Job), each claimed, run and recorded on this row. Its
    heartbeat is the time of its progress file, not heartbeat_at: the import's transaction holds
    the database (on SQLite the write lock), so a heartbeat row would only appear at COMMIT.
    """

    CHECK = Step(RunStatus.CHECK_QUEUED, RunStatus.CHECKING, "interchange.tasks.import_run_check")
    IMPORT = Step(
        RunStatus.IMPORT_QUEUED, RunStatus.IMPORTING, "interchange.tasks.import_run_import"
    )
    steps = (CHECK, IMPORT)
    gave_up_message = _("The worker stopped %(count)d times while working on this import.")

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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    # Attempts count the claims of the current step (services.run_start sets them back to 0).

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at", "-pk"]
        permissions = [("import_data", _("Can import data in the interchange format"))]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @classmethod
    def last_seen(
        cls,
        pk: int,
        claimant: str,
        heartbeat_at: datetime.datetime | None,
        started_at: datetime.datetime | None,
    ) -> jobs.Seen:
        """A running job's last sign of life: its progress file's time, else when it started."""
        try:
            mtime = (attempt_dir(pk, claimant) / "progress.json").stat().st_mtime
        except OSError:
            return jobs.Seen(claimant, started_at)
        return jobs.Seen(claimant, datetime.datetime.fromtimestamp(mtime, tz=datetime.UTC))

    @classmethod
    def as_seen(cls, seen: jobs.Seen) -> dict:
        # The beat is a file's time, not a column: the claim's nonce tells the attempts apart.
        return {"claimed_by": seen.claimant}

    @classmethod
    def taken_over(cls, pk: int, seen: jobs.Seen) -> None:
        """The dead attempt's unpacked zip (personal data) goes at once."""
        shutil.rmtree(attempt_dir(pk, seen.claimant), ignore_errors=True)

    @classmethod
    def give_up(cls, pk: int, dead: models.QuerySet) -> bool:
        if not super().give_up(pk, dead):
            return False
        cls.objects.get(pk=pk).upload_forget()
        return True

    def upload_forget(self) -> None:
        """The zip holds personal data (BSNs): once the run is done with it, it is deleted. The
        run keeps its name, who, when, the problems and the summary."""
        self.upload.storage.delete(self.upload.name)
