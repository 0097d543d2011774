"""Import runs from the browser: upload, check (a dry run), import; each step a Celery job.

A job claims its run with a conditional update, so a message delivered twice does nothing while
the first delivery lives (CELERY_TASK_ACKS_LATE); a message redelivered after its worker died
takes the run over and imports again from the start (the dead worker's transaction rolled back
with its connection; core.jobs). The run row records who, when, the problems and the summary;
the page shows it and can be left and found again.
"""

import datetime
import logging
import re
import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
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
from interchange.models import RUNNING, ImportRun, RunStatus
from interchange.progress import FileProgress, touch_progress, write_progress

logger = logging.getLogger(__name__)

# The engine keeps the first problems of each file in full and counts the rest per column and
# kind (interchange.engine.Problems); this caps what the run row stores of that list.
MAX_STORED_PROBLEMS = 10_000


BUSY = (RunStatus.CHECKING, RunStatus.IMPORTING)


def work_root() -> Path:
    """Where jobs unpack zips: under MEDIA_ROOT, which web and workers share (the uploads are
    there) and which nothing serves (there is no MEDIA_URL)."""
    return Path(settings.MEDIA_ROOT) / "imports" / "work"


def _work_dir(run_id: int, claimant: str) -> Path:
    nonce = jobs.claim_nonce(claimant)
    return work_root() / (f"run-{run_id}-{nonce}" if nonce else f"run-{run_id}")


def work_dir(run: ImportRun) -> Path:
    """The folder of the attempt at a run that holds its claim: its progress file and the
    unpacked zip (BSNs, names, birth dates). Deleted when the attempt ends; the sweep deletes
    the folders of attempts whose worker died."""
    return _work_dir(run.pk, run.claimed_by)


def progress_path(run: ImportRun) -> Path:
    """The job's progress file: what the page shows, and by its age the job's heartbeat."""
    return work_dir(run) / "progress.json"


def _seen(run_id: int, claimant: str, started_at: datetime.datetime | None) -> jobs.Seen:
    """A running job's last sign of life: its progress file's time, else when it started."""
    try:
        mtime = (_work_dir(run_id, claimant) / "progress.json").stat().st_mtime
    except OSError:
        return jobs.Seen(claimant, started_at)
    return jobs.Seen(claimant, datetime.datetime.fromtimestamp(mtime, tz=datetime.UTC))


def _seen_running(run_id: int, busy: str) -> jobs.Seen | None:
    row = (
        ImportRun.objects.filter(pk=run_id, status=busy)
        .values_list("claimed_by", "started_at")
        .first()
    )
    return _seen(run_id, *row) if row else None


def _claim(run_id: int, token: str, *, waiting: str, busy: str) -> bool:
    """Claim a queued step, or take over a running one whose worker died (core.jobs); the
    conditional UPDATE lets one delivery win. False: done, or a live worker has it."""
    claimed = {
        "status": busy,
        "started_at": timezone.now(),
        "finished_at": None,
        "claimed_by": token,
        "attempts": F("attempts") + 1,
    }
    # Read first: on SQLite an UPDATE waits for the write lock a running import holds.
    queued = ImportRun.objects.filter(pk=run_id, status=waiting)
    if queued.exists() and queued.update(**claimed):
        return True
    # A redelivered message (its pool child was killed): wait, at most a few heartbeats, for
    # the claimant to be provably dead or silent, then take over from exactly what was seen.
    seen = jobs.await_silence(lambda: _seen_running(run_id, busy))
    if seen is None:
        return False
    logger.warning("Import run %s: taking over from dead worker %s", run_id, seen.claimant)
    dead = ImportRun.objects.filter(pk=run_id, status=busy, claimed_by=seen.claimant)
    taken = not _gave_up(run_id, dead) and dead.update(**claimed)
    if taken:
        shutil.rmtree(_work_dir(run_id, seen.claimant), ignore_errors=True)
    return bool(taken)


def _gave_up(run_id: int, dead) -> bool:
    """A step whose worker died JOB_MAX_ATTEMPTS times fails, instead of killing the next one."""
    failed = dead.filter(attempts__gte=settings.JOB_MAX_ATTEMPTS).update(
        status=RunStatus.FAILED,
        error=_("The worker stopped %(count)d times while working on this import.")
        % {"count": settings.JOB_MAX_ATTEMPTS},
        finished_at=timezone.now(),
    )
    if failed:
        _forget_upload(ImportRun.objects.get(pk=run_id))
    return bool(failed)


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
        status=RunStatus.IMPORT_QUEUED, imported_by=actor, attempts=0
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
    token = jobs.claimant_token()
    if not _claim(run_id, token, waiting=waiting, busy=busy):
        return None
    run = ImportRun.objects.get(pk=run_id)
    work = work_dir(run)
    (work / "folder").mkdir(parents=True, exist_ok=True)
    write_progress(progress_path(run), {"stage": "check", "file": "", "percent": 0})
    # The import's transaction holds the database: the heartbeat is the progress file's time,
    # beaten until the outcome is recorded. Then the unpacked zip (personal data) is deleted.
    try:
        with jobs.Heartbeat(lambda: touch_progress(progress_path(run))):
            mine = ImportRun.objects.filter(pk=run_id, claimed_by=token)
            return _process(run, mine, dry_run=dry_run)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _process(run: ImportRun, mine, *, dry_run: bool) -> str:
    """The check or the import of a claimed run; `mine` updates it while the claim holds."""
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
            mine.update(
                status=RunStatus.FAILED,
                error=_("Unexpected error: %(error)s") % {"error": error},
                finished_at=timezone.now(),
            )
            _forget_upload(run)
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
    mine.update(
        status=status,
        problems=problems[:MAX_STORED_PROBLEMS],
        problem_count=problem_count,
        summary=summary,
        finished_at=timezone.now(),
    )
    if status != RunStatus.CHECKED:
        _forget_upload(run)
    logger.info(
        "Import run %s (%s): %s, %d problem(s)", run_id, run.original_name, status, problem_count
    )
    return status


def _forget_upload(run: ImportRun):
    """The zip holds personal data (BSNs): once the run is done with it, it is deleted. The run
    keeps its name, who, when, the problems and the summary."""
    run.upload.storage.delete(run.upload.name)


def _enqueue(run_id: int, *, dry_run: bool):
    """Queue the check or the import, and start its clock: a run counts as lost only when no
    worker claimed it within JOB_UNCLAIMED_MINUTES of being queued (not of its upload)."""
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
    """Runs a dead worker left behind go back to the queue, and the folders of dead attempts
    are deleted (beat, every minute).

    A job shows it lives by its progress file (the import's transaction holds the database, so
    a heartbeat row would only appear at COMMIT). Checking or importing, and its claimant's
    process is gone from this host or its file is JOB_STALE_SECONDS old: the whole worker died
    with its message (a killed pool child's message comes back by itself, see _claim). Queued
    JOB_UNCLAIMED_MINUTES ago and not claimed: its message was lost. Both are queued (again);
    the job's claim makes a duplicate delivery harmless.
    """
    now = now or timezone.now()
    unclaimed = now - datetime.timedelta(minutes=settings.JOB_UNCLAIMED_MINUTES)
    requeued = []
    for run in ImportRun.objects.filter(status__in=RUNNING):
        dry_run = run.status in (RunStatus.CHECKING, RunStatus.CHECK_QUEUED)
        if run.status in BUSY:
            if not jobs.is_dead(_seen(run.pk, run.claimed_by, run.started_at), now):
                continue
            waiting = RunStatus.CHECK_QUEUED if dry_run else RunStatus.IMPORT_QUEUED
            dead = ImportRun.objects.filter(pk=run.pk, status=run.status, claimed_by=run.claimed_by)
            if _gave_up(run.pk, dead) or not dead.update(status=waiting):
                continue
        elif run.queued_at is None or run.queued_at >= unclaimed:
            continue
        with transaction.atomic():
            _enqueue(run.pk, dry_run=dry_run)
        requeued.append(run.pk)
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
            ImportRun.objects.filter(pk=run_id, status__in=BUSY)
            .values_list("claimed_by", "started_at")
            .first()
        )
        if row and jobs.claim_nonce(row[0]) == nonce and not jobs.is_dead(_seen(run_id, *row), now):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder.name)
    return removed
