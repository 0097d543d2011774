"""Report runs: requesting one, building it in a worker, finding the ones a dead worker left.

The ReportRun row is the source of truth, not the broker (ECOSYSTEM.md: the embedded broker loses
a killed worker's message and Redis returns it only after its visibility timeout). A worker
claims a run with a conditional UPDATE, so a second delivery of the same message does nothing
while the first lives; while it builds, a thread beats its heartbeat (core.jobs). A message
redelivered after its worker died takes the run over; `stalled_requeue` sends a run whose
heartbeat stopped back to the queue when the message died with the whole worker.
"""

import datetime
import logging
from collections.abc import Callable, Sequence

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import jobs
from reporting.kpis import Period
from reporting.models import ReportRun, RunKind, RunStatus, quarter_of

log = logging.getLogger(__name__)


def _enqueue(run: ReportRun) -> None:
    """Queue the run, and start its clock: it counts as lost only if no worker claims it
    within JOB_UNCLAIMED_MINUTES of now (not of when it was first asked for)."""
    from reporting.tasks import generate_report

    ReportRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())
    # After the commit: a worker must find the row it is asked to build.
    transaction.on_commit(lambda: generate_report.delay(run.pk))


def run_request(*, period: Period, kind: str, user=None) -> ReportRun:
    """A manager asks for a report: the run is recorded and queued."""
    run = ReportRun.objects.create(
        kind=kind, period_start=period.start, period_end=period.end, requested_by=user
    )
    _enqueue(run)
    return run


def run_retry(run: ReportRun) -> bool:
    """A failed run goes back to the queue; False when it was not failed (any more)."""
    retried = ReportRun.objects.filter(pk=run.pk, status=RunStatus.FAILED).update(
        status=RunStatus.QUEUED, progress=0, step="", error="", finished_at=None
    )
    if retried:
        _enqueue(run)
    return bool(retried)


def _seen(run_id: int) -> jobs.Seen | None:
    row = (
        ReportRun.objects.filter(pk=run_id, status=RunStatus.RUNNING)
        .values_list("claimed_by", "heartbeat_at")
        .first()
    )
    return jobs.Seen(*row) if row else None


def _claim(run_id: int, token: str) -> bool:
    """Claim a queued run, or take over a running one whose worker died (core.jobs); the
    conditional UPDATE lets one delivery win. False: finished, or a live worker has it."""
    now = timezone.now()
    claimed = {
        "status": RunStatus.RUNNING,
        "attempts": F("attempts") + 1,
        "started_at": now,
        "heartbeat_at": now,
        "progress": 0,
        "step": "",
        "error": "",
        "claimed_by": token,
    }
    if ReportRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(**claimed):
        return True
    # A redelivered message (its pool child was killed): wait, at most a few heartbeats, for
    # the claimant to be provably dead or silent, then take over from exactly what was seen.
    seen = jobs.await_silence(lambda: _seen(run_id))
    if seen is None:
        return False
    log.warning("report run %s: taking over from dead worker %s", run_id, seen.claimant)
    dead = ReportRun.objects.filter(
        pk=run_id, status=RunStatus.RUNNING, claimed_by=seen.claimant, heartbeat_at=seen.beat
    )
    if _gave_up(dead):
        return False
    return bool(dead.update(**claimed))


def _gave_up(dead) -> bool:
    """A run whose worker died JOB_MAX_ATTEMPTS times fails, instead of killing the next one."""
    return bool(
        dead.filter(attempts__gte=settings.JOB_MAX_ATTEMPTS).update(
            status=RunStatus.FAILED,
            error=_("The worker stopped %(count)d times while making this report.")
            % {"count": settings.JOB_MAX_ATTEMPTS},
            finished_at=timezone.now(),
        )
    )


def _progress(run_id: int, token: str, percent: int, step: str) -> None:
    ReportRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, claimed_by=token).update(
        progress=percent, step=step, heartbeat_at=timezone.now()
    )


def _beat(run_id: int, token: str) -> None:
    ReportRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, claimed_by=token).update(
        heartbeat_at=timezone.now()
    )


FORMATS = ("pdf", "xlsx")


def kind_of(period: Period) -> str:
    """The kind of report a period makes: a calendar year's, a quarter's, or any period's."""
    if period == Period.year(period.start.year):
        return RunKind.YEAR
    quarter_start = datetime.date(period.start.year, 3 * (quarter_of(period.start) - 1) + 1, 1)
    quarter_end = quarter_start + relativedelta(months=3, days=-1)
    if period == Period(quarter_start, quarter_end):
        return RunKind.QUARTER
    return RunKind.PERIOD


def report_render(
    *,
    run: ReportRun,
    formats: Sequence[str] = FORMATS,
    progress: Callable[[int, str], None] | None = None,
) -> dict[str, bytes]:
    """The files of a run's report, by format, all from one reporting.report.Report: what a
    worker stores for the download and what `manage.py report` writes (the run may be unsaved).
    """
    from reporting import output, report

    step = progress or (lambda percent, text: None)
    step(10, _("Computing the figures"))
    built = report.build(Period(run.period_start, run.period_end))
    files = {}
    if "pdf" in formats:
        step(50, _("Drawing the report"))
        files["pdf"] = output.as_pdf(built, run)
    if "xlsx" in formats:
        step(85, _("Writing the Excel file"))
        files["xlsx"] = output.as_xlsx(built)
    return files


def report_write(*, period: Period, file_format: str) -> bytes:
    """One file of a period's report, built now in this process (no worker, no run recorded):
    the same document a manager downloads for that period."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown format {file_format!r}: choose from {', '.join(FORMATS)}")
    run = ReportRun(kind=kind_of(period), period_start=period.start, period_end=period.end)
    return report_render(run=run, formats=[file_format])[file_format]


def run_build(run_id: int) -> str:
    """Build the report of a run (in a worker). Returns the run's status afterwards."""
    token = jobs.claimant_token()
    if not _claim(run_id, token):
        # Already built, being built by a live worker, or unknown: a repeated delivery.
        status = ReportRun.objects.filter(pk=run_id).values_list("status", flat=True).first()
        return status or "missing"
    mine = ReportRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, claimed_by=token)
    run = ReportRun.objects.defer("pdf", "xlsx").get(pk=run_id)
    try:
        with jobs.Heartbeat(lambda: _beat(run_id, token)):
            files = report_render(
                run=run, progress=lambda percent, text: _progress(run_id, token, percent, text)
            )
    except Exception as error:  # the run must say why, whatever went wrong
        log.exception("report run %s failed", run_id)
        mine.update(
            status=RunStatus.FAILED,
            error=f"{type(error).__name__}: {error}",
            finished_at=timezone.now(),
        )
        return RunStatus.FAILED
    # Only while the claim is still ours: a worker that took over a run it thought dead
    # (a heartbeat lost to a locked database) stores its own files.
    mine.update(
        status=RunStatus.DONE,
        progress=100,
        step="",
        pdf=files["pdf"],
        xlsx=files["xlsx"],
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    return RunStatus.DONE


def stalled_requeue(now: datetime.datetime | None = None) -> list[int]:
    """Runs a dead worker left behind go back to the queue (beat, every minute).

    Running, and its claimant's process is gone from this host or it gave no sign of life for
    JOB_STALE_SECONDS: the whole worker died with its message (a killed pool child's message
    comes back by itself, see _claim). Queued JOB_UNCLAIMED_MINUTES ago and not claimed: its
    message was lost. Both are queued (again); the claim makes a duplicate harmless.
    """
    now = now or timezone.now()
    unclaimed = now - datetime.timedelta(minutes=settings.JOB_UNCLAIMED_MINUTES)
    requeued = []
    for run_id, status, claimant, beat, created_at in ReportRun.objects.filter(
        status__in=[RunStatus.RUNNING, RunStatus.QUEUED]
    ).values_list("pk", "status", "claimed_by", "heartbeat_at", "created_at"):
        if status == RunStatus.QUEUED:
            if (beat or created_at) >= unclaimed:
                continue
        else:
            if not jobs.is_dead(jobs.Seen(claimant, beat), now):
                continue
            # Checked again in the update: a worker that beat a moment ago keeps its run, else
            # two workers would build it at once.
            dead = ReportRun.objects.filter(
                pk=run_id, status=RunStatus.RUNNING, claimed_by=claimant, heartbeat_at=beat
            )
            if _gave_up(dead) or not dead.update(status=RunStatus.QUEUED):
                continue
        _enqueue(ReportRun(pk=run_id))
        requeued.append(run_id)
    return requeued


def due_periods(today: datetime.date) -> list[tuple[str, Period]]:
    """The reports the schedule owes on `today`: the last full quarter, and on a quarter that
    closes a year also that year."""
    this_quarter_start = datetime.date(today.year, 3 * (quarter_of(today) - 1) + 1, 1)
    end = this_quarter_start - datetime.timedelta(days=1)
    start = datetime.date(end.year, 3 * (quarter_of(end) - 1) + 1, 1)
    due = [(RunKind.QUARTER, Period(start, end))]
    if end.month == 12:
        due.append((RunKind.YEAR, Period.year(end.year)))
    return due


def scheduled_create(today: datetime.date | None = None) -> list[ReportRun]:
    """Create and queue the scheduled reports not made yet (beat; running twice is harmless)."""
    today = today or timezone.localdate()
    created = []
    for kind, period in due_periods(today):
        try:
            with transaction.atomic():
                run, new = ReportRun.objects.get_or_create(
                    kind=kind,
                    period_start=period.start,
                    period_end=period.end,
                    scheduled=True,
                )
        except IntegrityError:  # a concurrent beat run made it a moment ago
            continue
        if new:
            _enqueue(run)
            created.append(run)
    return created
