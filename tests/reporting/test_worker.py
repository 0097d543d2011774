"""A real Celery worker (Redis in CI) builds reports, and picks up one a dead worker left."""

import datetime
import subprocess
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting import services
from reporting.kpis import Period
from reporting.models import ReportRun, RunStatus
from reporting.tasks import requeue_stalled_reports
from tests.core.test_worker import worker  # noqa: F401 (the fixture)
from tests.factories import ClientFactory, ContactFactory

# The report reads through the replica alias (config.routers; a mirror of the test database).
pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
    pytest.mark.usefixtures("worker"),
]
D = datetime.date


def _wait_until_finished(run: ReportRun, seconds: int = 120) -> ReportRun:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.is_finished:
            return run
        time.sleep(0.5)
    raise AssertionError(f"run {run.pk} still {run.status} after {seconds} s")


def _text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_a_worker_makes_the_annual_report_a_manager_asked_for(manager, client):
    person = ClientFactory(registered_on=D(2025, 1, 6))
    ContactFactory(client=person, date=D(2025, 3, 3))

    run = services.run_request(period=Period.year(2025), kind="year", user=manager)
    run = _wait_until_finished(run)

    assert run.status == RunStatus.DONE, run.error
    client.force_login(manager)
    download = client.get(reverse("reporting:report_pdf", args=[run.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="jaarverslag-2025.pdf"'
    text = _text(download.content)
    assert "Jaarverslag" in text and "2025" in text
    assert "Contactdekking" in text
    assert bytes(run.xlsx).startswith(b"PK")


def test_a_run_left_by_a_dead_worker_is_picked_up_again():
    run = ReportRun.objects.create(
        kind="year",
        period_start=D(2025, 1, 1),
        period_end=D(2025, 12, 31),
        status=RunStatus.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
    )
    requeue_stalled_reports.delay()
    run = _wait_until_finished(run)
    assert (run.status, run.attempts) == (RunStatus.DONE, 2)


def test_a_worker_killed_mid_report_leaves_a_report_that_is_finished_once(manager):
    from tests.core.test_worker import start_worker, stop_worker

    slow = start_worker("tests.reporting.slow_worker_settings")
    try:
        run = services.run_request(period=Period.year(2025), kind="year", user=manager)
        deadline = time.monotonic() + 90
        while run.status != RunStatus.RUNNING and time.monotonic() < deadline:
            time.sleep(0.2)
            run.refresh_from_db()
        assert run.status == RunStatus.RUNNING, "the slowed worker never claimed the run"
    finally:
        slow.kill()  # SIGKILL, mid-report: no chance to clean up
        slow.wait(timeout=20)

    # Later, beat finds the run without a sign of life and queues it again.
    later = timezone.now() + datetime.timedelta(minutes=60)
    assert services.stalled_requeue(later) == [run.pk]
    survivor = start_worker()
    try:
        run = _wait_until_finished(run)
    finally:
        stop_worker(survivor)
    assert (run.status, run.attempts) == (RunStatus.DONE, 2)
    assert "Jaarverslag" in _text(bytes(run.pdf))
    finished_at = run.finished_at
    # A late redelivery of the first message (the broker's visibility timeout) changes nothing.
    assert services.run_build(run.pk) == RunStatus.DONE
    run.refresh_from_db()
    assert (run.finished_at, run.attempts) == (finished_at, 2)
