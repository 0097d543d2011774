"""Report runs: requesting one, building it in a worker, finding the ones a dead worker left.

A ReportRun is a job (core.jobs.Job): the row is the source of truth, not the broker. A worker
claims a run with a conditional UPDATE, so a second delivery of the same message does nothing
while the first lives; while it builds, a thread beats its heartbeat. A message redelivered
after its worker died takes the run over; `stalled_requeue` sends a run whose heartbeat stopped
back to the queue when the message died with the whole worker. The run is queued by its task's
name (ReportRun.steps), so this module never imports reporting.tasks.
"""

import datetime
import logging
from collections.abc import Callable, Sequence

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.routers import reading_from_replica
from core import jobs
from core.changelog import records_actor
from reporting.kpis import Period
from reporting.models import CostParameter, ReportRun, RunKind, RunStatus, quarter_of

log = logging.getLogger(__name__)


@transaction.atomic
def run_request(*, period: Period, kind: str, user=None) -> ReportRun:
    """A manager asks for a report: the run is recorded and queued (after the commit)."""
    run = ReportRun.objects.create(
        kind=kind, period_start=period.start, period_end=period.end, requested_by=user
    )
    ReportRun.enqueue(run.pk)
    return run


def run_retry(run: ReportRun) -> bool:
    """A failed run goes back to the queue; False when it was not failed (any more)."""
    retried = ReportRun.objects.filter(pk=run.pk, status=RunStatus.FAILED).update(
        status=RunStatus.QUEUED, progress=0, step="", error="", finished_at=None
    )
    if retried:
        ReportRun.enqueue(run.pk)
    return bool(retried)


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
    files = {}
    # Reads only: from the replica when DATABASE_REPLICA_URL is set (config.routers).
    with reading_from_replica():
        built = report.build(Period(run.period_start, run.period_end))
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
    if not ReportRun.claim(run_id, token):
        # Already built, being built by a live worker, or unknown: a repeated delivery.
        status = ReportRun.objects.filter(pk=run_id).values_list("status", flat=True).first()
        return status or "missing"
    run = ReportRun.objects.defer("pdf", "xlsx").get(pk=run_id)
    try:
        with jobs.Heartbeat(lambda: ReportRun.beat(run_id, token)):
            files = report_render(
                run=run,
                progress=lambda percent, text: ReportRun.beat(
                    run_id, token, progress=percent, step=text
                ),
            )
    except Exception as error:  # the run must say why, whatever went wrong
        log.exception("report run %s failed", run_id)
        ReportRun.fail(run_id, token, f"{type(error).__name__}: {error}")
        return RunStatus.FAILED
    ReportRun.finish(
        run_id, token, RunStatus.DONE, progress=100, step="", pdf=files["pdf"], xlsx=files["xlsx"]
    )
    return RunStatus.DONE


def stalled_requeue(now: datetime.datetime | None = None) -> list[int]:
    """Runs a dead worker left behind, or whose message was lost, go back to the queue (beat,
    every minute; core.jobs.Job.stalled_requeue)."""
    return ReportRun.stalled_requeue(now)


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
            ReportRun.enqueue(run.pk)
            created.append(run)
    return created


@records_actor
@transaction.atomic
def cost_parameter_add(
    *, actor, kind: str, valid_from: datetime.date, amount, source: str = ""
) -> CostParameter:
    """A functional administrator enters a cost parameter's value from a date. Never an
    overwrite: the earlier rows stay, and the value in force on a date is read from them all
    (CostParameter.objects.in_force_on)."""
    parameter = CostParameter(
        kind=kind, valid_from=valid_from, amount=amount, source=source, created_by=actor
    )
    parameter.full_clean()
    parameter.save()
    return parameter
