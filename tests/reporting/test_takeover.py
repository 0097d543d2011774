"""A report whose worker died is taken over by the redelivered message; a live one is not.

In-process: a claimant that has exited stands for a killed worker (tests/test_crash_recovery.py
kills real ones).
"""

import datetime
import time

import pytest
from django.utils import timezone

from core import jobs
from reporting import services
from reporting.models import ReportRun, RunKind, RunStatus
from tests.core.test_jobs import dead_claimant

D = datetime.date


def _run(**fields) -> ReportRun:
    fields = {"status": RunStatus.RUNNING, "attempts": 1, **fields}
    return ReportRun.objects.create(
        kind=RunKind.YEAR, period_start=D(2025, 1, 1), period_end=D(2025, 12, 31), **fields
    )


@pytest.fixture
def quick_render(monkeypatch):
    """The claim is under test, not the drawing (tests/reporting/test_report.py)."""
    monkeypatch.setattr(
        services, "report_render", lambda **kwargs: {"pdf": b"%PDF-", "xlsx": b"PK"}
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("quick_render")
def test_a_redelivered_report_whose_worker_died_is_built_at_once(settings):
    settings.JOB_STALE_SECONDS = 60
    run = _run(claimed_by=dead_claimant(), heartbeat_at=timezone.now(), progress=50)
    started = time.monotonic()
    assert services.run_build(run.pk) == RunStatus.DONE
    assert time.monotonic() - started < 30  # no wait for the window: provably dead
    run.refresh_from_db()
    assert (run.attempts, run.progress) == (2, 100)
    assert run.claimed_by.startswith(jobs.HOST)


@pytest.mark.django_db
def test_a_second_delivery_leaves_a_beating_report_to_its_worker(settings, monkeypatch):
    settings.JOB_STALE_SECONDS = 5
    run = _run(claimed_by="elsewhere/1:7:0badc0de", heartbeat_at=timezone.now())
    beats = iter(range(1, 100))

    def seen(cls, run_id, busy):  # its worker beats every time the duplicate looks
        beat = timezone.now() + datetime.timedelta(milliseconds=next(beats))
        return jobs.Seen("elsewhere/1:7:0badc0de", beat)

    monkeypatch.setattr(ReportRun, "seen", classmethod(seen))
    started = time.monotonic()
    assert services.run_build(run.pk) == RunStatus.RUNNING
    assert time.monotonic() - started < 2
    run.refresh_from_db()
    assert (run.attempts, run.claimed_by) == (1, "elsewhere/1:7:0badc0de")


@pytest.mark.django_db
def test_a_report_whose_worker_keeps_dying_fails(settings):
    settings.JOB_MAX_ATTEMPTS = 3
    run = _run(claimed_by=dead_claimant(), heartbeat_at=timezone.now(), attempts=3)
    assert services.run_build(run.pk) == RunStatus.FAILED
    run.refresh_from_db()
    assert run.error == "De achtergrondverwerking stopte 3 keer tijdens het maken van dit rapport."
    assert services.stalled_requeue() == []  # failed: not queued again either


@pytest.mark.django_db
def test_the_sweep_queues_a_report_whose_worker_died_on_this_host_at_once(
    django_capture_on_commit_callbacks,
):
    dead = _run(claimed_by=dead_claimant(), heartbeat_at=timezone.now())
    alive = _run(claimed_by=jobs.claimant_token(), heartbeat_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert services.stalled_requeue() == [dead.pk]
    assert len(queued) == 1
    alive.refresh_from_db()
    assert alive.status == RunStatus.RUNNING
