"""Import runs from the browser: upload, check (a dry run), import; each step a Celery job.

An ImportRun is a job of two steps (core.jobs.Job). A job claims its run with a conditional
update, so a message delivered twice does nothing while the first delivery lives
(CELERY_TASK_ACKS_LATE); a message redelivered after its worker died takes the run over and
imports again from the start (the dead worker's transaction rolled back with its connection).
The run row records who, when, the problems and the summary; the page shows it and can be left
and found again. A step is queued by its task's name (ImportRun.steps), so this module never
imports interchange.tasks.
"""

import datetime
import logging
import re
import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AccessKind
from audit.services import access_record_unattended
from clients.models import Client
from core import jobs
from core.models import User
from interchange import formats
from interchange.archive import ArchiveProblem, extract
from interchange.engine import import_folder
from interchange.models import (
    ImportRun,
    RunStatus,
    progress_path,
    work_dir,
    work_root,
)
from interchange.progress import FileProgress, touch_progress, write_progress

logger = logging.getLogger(__name__)

# The engine keeps the first problems of each file in full and counts the rest per column and
# kind (interchange.engine.Problems); this caps what the run row stores of that list.
MAX_STORED_PROBLEMS = 10_000


@transaction.atomic
def run_create(*, actor: User, upload) -> ImportRun:
    """Store the uploaded zip and queue its check."""
    run = ImportRun.objects.create(upload=upload, original_name=upload.name[:255], created_by=actor)
    ImportRun.enqueue(run.pk, ImportRun.CHECK)
    run.refresh_from_db()
    return run


@transaction.atomic
def run_start(*, actor: User, run: ImportRun) -> ImportRun:
    """Queue the import of a run whose check found no problem (once, whoever clicks twice)."""
    claimed = ImportRun.objects.filter(pk=run.pk, status=RunStatus.CHECKED).update(
        status=RunStatus.IMPORT_QUEUED, imported_by=actor, attempts=0
    )
    if not claimed:
        raise ValidationError(
            gettext_lazy("This import cannot be started: it was not checked clean, or it runs.")
        )
    ImportRun.enqueue(run.pk, ImportRun.IMPORT)
    run.refresh_from_db()
    return run


def run_process(run_id: int, *, dry_run: bool) -> str | None:
    """Check (dry_run) or import the run's zip; record the outcome. None if not ours to run."""
    token = jobs.claimant_token()
    if not ImportRun.claim(run_id, token, ImportRun.CHECK if dry_run else ImportRun.IMPORT):
        return None
    run = ImportRun.objects.get(pk=run_id)
    work = work_dir(run)
    (work / "folder").mkdir(parents=True, exist_ok=True)
    write_progress(progress_path(run), {"stage": "check", "file": "", "percent": 0})
    # The import's transaction holds the database: the heartbeat is the progress file's time,
    # beaten until the outcome is recorded. Then the unpacked zip (personal data) is deleted.
    try:
        with jobs.Heartbeat(lambda: touch_progress(progress_path(run))):
            return _process(run, token, dry_run=dry_run)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _process(run: ImportRun, token: str, *, dry_run: bool) -> str:
    """The check or the import of a run claimed with `token`; its outcome is recorded while the
    claim holds."""
    run_id = run.pk
    progress_file = progress_path(run)
    bsn_matched: list[int] = []
    with translation.override(settings.LANGUAGE_CODE):
        try:
            folder = extract(Path(run.upload.path), work_dir(run) / "folder")
            present = [s.name for s in formats.FILES if (folder / s.name).is_file()]
            result = import_folder(
                folder,
                dry_run=dry_run,
                progress=FileProgress(progress_file, present),
                actor=None if dry_run else run.imported_by,
            )
            problems = [p.as_list() for p in result.problems]
            problem_count = result.problem_count  # exact, also of the problems only counted
            summary = result.summary
            bsn_matched = result.bsn_matched
        except ArchiveProblem as error:
            problems, summary = [[run.original_name, None, "-", str(error)]], {}
            problem_count = 1
        except Exception as error:  # recorded for the page; the transaction rolled back
            logger.exception("Import run %s failed", run_id)
            ImportRun.fail(run_id, token, _("Unexpected error: %(error)s") % {"error": error})
            run.upload_forget()
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
    ImportRun.finish(
        run_id,
        token,
        status,
        problems=problems[:MAX_STORED_PROBLEMS],
        problem_count=problem_count,
        summary=summary,
    )
    if status != RunStatus.CHECKED:
        run.upload_forget()
    logger.info(
        "Import run %s (%s): %s, %d problem(s)", run_id, run.original_name, status, problem_count
    )
    return status


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
            run.upload_forget()
            expired.append(run.pk)
    return expired


def stalled_requeue(now: datetime.datetime | None = None) -> list[int]:
    """Runs a dead worker left behind, or whose message was lost, go back to the queue, and the
    folders of dead attempts are deleted (beat, every minute; core.jobs.Job.stalled_requeue).

    A job shows it lives by its progress file (ImportRun.last_seen): the import's transaction
    holds the database, so a heartbeat row would only appear at COMMIT.
    """
    requeued = ImportRun.stalled_requeue(now)
    work_folders_remove(now)
    return requeued


def work_folders_remove(now: datetime.datetime | None = None) -> list[str]:
    """Delete the folders no live attempt works in: of a run that finished, was queued again or
    was deleted, or whose worker died. They hold the unpacked zip (BSNs, names, birth dates)."""
    root = work_root()
    if not root.is_dir():
        return []
    removed = []
    for folder in root.iterdir():
        match = re.fullmatch(r"run-(\d+)(?:-([0-9a-f]+))?", folder.name)
        if not match:
            continue
        run_id, nonce = int(match[1]), match[2] or ""
        # Read after listing: a claim is written before its folder is made, so a folder of a
        # live attempt is always seen with its claim.
        row = (
            ImportRun.objects.filter(pk=run_id, status__in=[s.busy for s in ImportRun.steps])
            .values_list("claimed_by", "heartbeat_at", "started_at")
            .first()
        )
        if (
            row
            and jobs.claim_nonce(row[0]) == nonce
            and not jobs.is_dead(ImportRun.last_seen(run_id, *row), now)
        ):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder.name)
    return removed
