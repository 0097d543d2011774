"""Import runs from the browser: upload, check (a dry run), import; each step a Celery job.

A job claims its run with a conditional update, so a message delivered twice does nothing the
second time (CELERY_TASK_ACKS_LATE). The run row records who, when, the problems and the
summary; the page shows it and can be left and found again.
"""

import datetime
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AccessKind
from audit.services import access_record_unattended
from clients.models import Client
from core.models import User
from interchange import formats
from interchange.archive import ArchiveProblem, extract
from interchange.engine import import_folder
from interchange.models import ImportRun, RunStatus
from interchange.progress import FileProgress, write_progress

logger = logging.getLogger(__name__)

# The page and the CSV show every problem; beyond this many the run keeps the first ones.
MAX_STORED_PROBLEMS = 10_000


def progress_path(run: ImportRun) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / f"run-{run.pk}.progress.json"


@transaction.atomic
def run_create(*, actor: User, upload) -> ImportRun:
    """Store the uploaded zip and queue its check."""
    run = ImportRun.objects.create(upload=upload, original_name=upload.name[:255], created_by=actor)
    _enqueue(run.pk, dry_run=True)
    run.refresh_from_db()
    return run


@transaction.atomic
def run_start(*, actor: User, run: ImportRun) -> ImportRun:
    """Queue the import of a run whose check found no problem (once, whoever clicks twice)."""
    claimed = ImportRun.objects.filter(pk=run.pk, status=RunStatus.CHECKED).update(
        status=RunStatus.IMPORT_QUEUED, imported_by=actor
    )
    if not claimed:
        raise ValidationError(
            gettext_lazy("This import cannot be started: it was not checked clean, or it runs.")
        )
    _enqueue(run.pk, dry_run=False)
    run.refresh_from_db()
    return run


def run_process(run_id: int, *, dry_run: bool) -> str | None:
    """Check (dry_run) or import the run's zip; record the outcome. None if not ours to run."""
    waiting, busy = (
        (RunStatus.CHECK_QUEUED, RunStatus.CHECKING)
        if dry_run
        else (RunStatus.IMPORT_QUEUED, RunStatus.IMPORTING)
    )
    if not ImportRun.objects.filter(pk=run_id, status=waiting).update(
        status=busy, started_at=timezone.now(), finished_at=None
    ):
        return None
    run = ImportRun.objects.get(pk=run_id)
    progress_file = progress_path(run)
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    write_progress(progress_file, {"stage": "check", "file": "", "percent": 0})
    bsn_matched: list[int] = []
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with tempfile.TemporaryDirectory(prefix="import-run-") as work:
                folder = extract(Path(run.upload.path), Path(work))
                present = [s.name for s in formats.FILES if (folder / s.name).is_file()]
                result = import_folder(
                    folder,
                    dry_run=dry_run,
                    progress=FileProgress(progress_file, present),
                    actor=None if dry_run else run.imported_by,
                )
            problems = [p.as_list() for p in result.problems]
            summary = result.summary
            bsn_matched = result.bsn_matched
        except ArchiveProblem as error:
            problems, summary = [[run.original_name, None, "-", str(error)]], {}
        except Exception as error:  # recorded for the page; the transaction rolled back
            logger.exception("Import run %s failed", run_id)
            ImportRun.objects.filter(pk=run_id).update(
                status=RunStatus.FAILED,
                error=_("Unexpected error: %(error)s") % {"error": error},
                finished_at=timezone.now(),
            )
            _forget_upload(run)
            progress_file.unlink(missing_ok=True)
            return RunStatus.FAILED
    if bsn_matched:
        # The run's problems tell who uploaded it that these BSNs are registered: logged as
        # look-ups by BSN in their name, one row per client (audit).
        access_record_unattended(
            kind=AccessKind.BSN_LOOKUP,
            model=Client,
            object_ids=bsn_matched,
            user=run.created_by,
            detail=f"import run {run.pk}: this BSN is registered already",
        )
    if problems:
        status = RunStatus.REJECTED
    else:
        status = RunStatus.CHECKED if dry_run else RunStatus.IMPORTED
    ImportRun.objects.filter(pk=run_id).update(
        status=status,
        problems=problems[:MAX_STORED_PROBLEMS],
        problem_count=len(problems),
        summary=summary,
        finished_at=timezone.now(),
    )
    progress_file.unlink(missing_ok=True)
    if status != RunStatus.CHECKED:
        _forget_upload(run)
    logger.info(
        "Import run %s (%s): %s, %d problem(s)", run_id, run.original_name, status, len(problems)
    )
    return status


def _forget_upload(run: ImportRun):
    """The zip holds personal data (BSNs): once the run is done with it, it is deleted. The run
    keeps its name, who, when, the problems and the summary."""
    run.upload.storage.delete(run.upload.name)


def _enqueue(run_id: int, *, dry_run: bool):
    """Queue the check or the import, and start its clock: a run counts as lost only when no
    worker claimed it within IMPORT_STALE_MINUTES of being queued (not of its upload)."""
    from interchange import tasks

    task = tasks.import_run_check if dry_run else tasks.import_run_import
    ImportRun.objects.filter(pk=run_id).update(queued_at=timezone.now())
    transaction.on_commit(lambda: task.delay(run_id))


def checked_expire(now: datetime.datetime | None = None) -> list[int]:
    """A folder checked but not imported within IMPORT_CHECKED_KEEP_HOURS: its zip (personal
    data) is deleted and the run ends; the administrator uploads it again to import it."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(hours=settings.IMPORT_CHECKED_KEEP_HOURS)
    expired = []
    for run in ImportRun.objects.filter(status=RunStatus.CHECKED, finished_at__lt=limit):
        ended = ImportRun.objects.filter(pk=run.pk, status=RunStatus.CHECKED).update(
            status=RunStatus.FAILED,
            error=_(
                "Not imported within %(hours)d hours of the check: the upload was deleted. "
                "Upload the folder again to import it."
            )
            % {"hours": settings.IMPORT_CHECKED_KEEP_HOURS},
        )
        if ended:  # not started by the administrator a moment ago
            _forget_upload(run)
            expired.append(run.pk)
    return expired


def stalled_requeue(now: datetime.datetime | None = None) -> list[int]:
    """Runs a dead worker left behind go back to the queue.

    A job shows it lives by its progress file (the import's transaction holds the database, so
    a heartbeat row would only appear at COMMIT). Running with a progress file untouched for
    IMPORT_STALE_MINUTES, or queued that long (a message the embedded broker lost with its
    worker): queued again. The job's claim makes a duplicate delivery harmless.
    """
    now = now or timezone.now()
    stale = now - datetime.timedelta(minutes=settings.IMPORT_STALE_MINUTES)
    requeued = []
    candidates = ImportRun.objects.filter(
        Q(status__in=[RunStatus.CHECKING, RunStatus.IMPORTING], started_at__lt=stale)
        | Q(status__in=[RunStatus.CHECK_QUEUED, RunStatus.IMPORT_QUEUED], queued_at__lt=stale)
    )
    for run in candidates:
        dry_run = run.status in (RunStatus.CHECKING, RunStatus.CHECK_QUEUED)
        if run.status in (RunStatus.CHECKING, RunStatus.IMPORTING):
            path = progress_path(run)
            alive = (
                path.exists()
                and datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC) >= stale
            )
            if alive:
                continue
            waiting = RunStatus.CHECK_QUEUED if dry_run else RunStatus.IMPORT_QUEUED
            if not ImportRun.objects.filter(pk=run.pk, status=run.status).update(status=waiting):
                continue
        with transaction.atomic():
            _enqueue(run.pk, dry_run=dry_run)
        requeued.append(run.pk)
    return requeued
