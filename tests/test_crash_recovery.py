"""A worker killed by SIGKILL mid-job costs seconds: real workers, a report and an import at once.

Each test starts a prefork worker with two pool children (one job each), on a worker settings
module that pauses each job half-way (tests/reporting/slow_worker_settings.py): the report
before it builds, the import inside its transaction after its first rows. Then it kills either
the pool children (Celery redelivers their messages at once) or the whole worker (the embedded
broker loses the messages with it; the next worker's beat sweeps). The recovery times are
printed: run with -s to see them.
"""

import os
import signal
import time

import pytest
from django.core.files.base import ContentFile

from clients.models import Client
from interchange import services as imports
from interchange.models import ImportRun
from interchange.models import RunStatus as ImportStatus
from interchange.progress import read_progress
from reporting import services as reports
from reporting.kpis import Period
from reporting.models import ReportRun
from reporting.models import RunStatus as ReportStatus
from tests.core.test_worker import (  # noqa: F401 (the fixtures)
    EMBEDDED,
    broker,
    claimant_pid,
    embedded_broker,
    start_worker,
    stop_worker,
    wait_for,
)
from tests.interchange.conftest import HEADER, client_line, lines, reference_data  # noqa: F401
from tests.interchange.test_views import zipped
from tests.interchange.test_worker import shared_media  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)
SLOW = "tests.reporting.slow_worker_settings"
PAUSE = 6  # seconds each job pauses half-way: the kills land there


def _start_jobs(manager, admin) -> tuple[ReportRun, ImportRun]:
    """A report asked for, and a checked folder of two clients to import."""
    report = reports.run_request(period=Period.year(2025), kind="year", user=manager)
    data = zipped({"clients.csv": lines(HEADER, client_line("C1", n=1), client_line("C2", n=2))})
    run = ImportRun.objects.create(
        upload=ContentFile(data, name="clients.zip"),
        original_name="clients.zip",
        created_by=admin,
        status=ImportStatus.CHECKED,
    )
    return report, imports.run_start(actor=admin, run=run)


def _mid_job(report, run, worker) -> tuple[ReportRun, ImportRun]:
    """Wait until both jobs are half-way: the report running, the import writing its rows."""
    report = wait_for(report, lambda r: r.status == ReportStatus.RUNNING, worker=worker)
    run = wait_for(
        run,
        lambda r: (
            r.status == ImportStatus.IMPORTING
            and read_progress(imports.progress_path(r)).get("stage") == "write"
        ),
        worker=worker,
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING, "the report finished before the kill"
    return report, run


def _recovery(report, run, claimants, killed, worker) -> dict[str, tuple[float, float]]:
    """Seconds from the kill until each job was claimed again, and until it was done."""
    rows = {"report": report, "import": run}
    taken, done = {}, {}
    deadline = time.monotonic() + 90
    while len(done) < 2 and time.monotonic() < deadline:
        for name, row in rows.items():
            row.refresh_from_db()
            if name not in taken and row.claimed_by != claimants[name]:
                taken[name] = time.monotonic() - killed
            finished = row.is_finished if name == "report" else not row.is_running
            if name in taken and name not in done and finished:
                done[name] = time.monotonic() - killed
        time.sleep(0.2)
    if len(done) < 2:
        wait_for(report, lambda r: False, seconds=0, worker=worker)  # fails, with its output
    return {name: (taken[name], done[name]) for name in rows}


def _assert_recovered(report, run, dead_folder):
    report.refresh_from_db()
    run.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.DONE, 2), report.error
    assert bytes(report.pdf).startswith(b"%PDF")
    # Imported once, from the start: the killed attempt's rows rolled back with its process.
    assert (run.status, run.attempts) == (ImportStatus.IMPORTED, 2), run.error
    assert run.summary["clients.csv"]["created"] == 2
    assert Client.objects.count() == 2
    # The unpacked zip of the killed attempt (BSNs, names) is gone, and no other is left.
    assert not dead_folder.exists()
    assert list(imports.work_root().iterdir()) == []


def test_killed_pool_children_cost_seconds(
    broker,  # noqa: F811
    shared_media,  # noqa: F811
    reference_data,  # noqa: F811
    manager,
    functional_admin,
):
    """Celery redelivers a killed pool child's message at once; the redelivery finds the
    claimant's process gone from this host and takes the run over without waiting for the
    heartbeat's window (JOB_STALE_SECONDS, 20 s here)."""
    process = start_worker(
        SLOW, pool="prefork", concurrency=2, env={**broker, "WO_SLOW_SECONDS": str(PAUSE)}
    )
    try:
        report, run = _mid_job(*_start_jobs(manager, functional_admin), process)
        dead_folder = imports.work_dir(run)
        assert (dead_folder / "folder" / "clients.csv").is_file()
        claimants = {"report": report.claimed_by, "import": run.claimed_by}
        pool = {claimant_pid(c) for c in claimants.values()}
        assert len(pool) == 2 and process.pid not in pool  # two pool children, not the worker
        for pid in pool:
            os.kill(pid, signal.SIGKILL)
        times = _recovery(report, run, claimants, time.monotonic(), process)
    finally:
        stop_worker(process)
    label = "embedded" if broker else "redis"
    for name, (taken, done) in times.items():
        print(
            f"\n{name}, pool child killed ({label}): taken over after {taken:.1f} s, "
            f"done after {done:.1f} s (the job pauses {PAUSE} s)"
        )
    _assert_recovered(report, run, dead_folder)
    # Well within the window (20 s): the claimant was provably dead.
    assert all(taken < 15 and done < 60 for taken, done in times.values())


def test_a_killed_worker_leaves_its_jobs_to_the_next_worker(
    embedded_broker,  # noqa: F811
    shared_media,  # noqa: F811
    reference_data,  # noqa: F811
    manager,
    functional_admin,
    tmp_path,
):
    """The embedded broker loses the messages with their worker: the next worker's beat sweeps
    the runs back into the queue. The report's dead worker counts as on another host here, so
    only its heartbeat's silence tells (JOB_STALE_SECONDS, 4 s here); the import's is provably
    dead on this host."""
    env = {**EMBEDDED, "JOB_HEARTBEAT_SECONDS": "1", "JOB_STALE_SECONDS": "4"}
    first = start_worker(
        SLOW, pool="prefork", concurrency=2, env={**env, "WO_SLOW_SECONDS": str(PAUSE)}
    )
    try:
        report, run = _mid_job(*_start_jobs(manager, functional_admin), first)
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool children
        first.wait(timeout=20)
    killed = time.monotonic()
    dead_folder = imports.work_dir(run)
    assert dead_folder.is_dir()
    elsewhere = "elsewhere/1:" + report.claimed_by.split(":", 1)[1]
    ReportRun.objects.filter(pk=report.pk).update(claimed_by=elsewhere)
    claimants = {"report": elsewhere, "import": run.claimed_by}

    second = start_worker(
        SLOW,
        pool="prefork",
        concurrency=2,
        env={**env, "WO_SLOW_SECONDS": "0", "WO_SWEEP_SECONDS": "2"},
        args=("--beat", f"--schedule={tmp_path / 'beat-schedule'}"),
    )
    try:
        times = _recovery(report, run, claimants, killed, second)
    finally:
        stop_worker(second)
    for name, (taken, done) in times.items():
        print(
            f"\n{name}, whole worker killed (embedded): claimed again after {taken:.1f} s, "
            f"done after {done:.1f} s (window 4 s, sweep every 2 s, a new worker started)"
        )
    _assert_recovered(report, run, dead_folder)
    assert times["report"][0] > 3  # not before its heartbeat had been silent for the window
    assert all(done < 60 for _taken, done in times.values())
