"""An import whose worker died is taken over and run from the start; its folders do not linger.

In-process: a claimant that has exited stands for a killed worker (tests/test_crash_recovery.py
kills real ones).
"""

import datetime
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from clients.models import Client
from core import jobs
from interchange import services, tasks
from interchange.models import ImportRun, RunStatus
from interchange.progress import write_progress
from tests.core.test_jobs import dead_claimant
from tests.interchange.conftest import HEADER, client_line, lines
from tests.interchange.test_views import zipped

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _run(admin, status, claimed_by="", **fields) -> ImportRun:
    data = zipped({"clients.csv": lines(HEADER, client_line("C1", n=1), client_line("C2", n=2))})
    run = ImportRun.objects.create(
        upload=ContentFile(data, name="clients.zip"),
        original_name="clients.zip",
        created_by=admin,
        imported_by=admin,
    )
    ImportRun.objects.filter(pk=run.pk).update(
        status=status, claimed_by=claimed_by, started_at=timezone.now(), **fields
    )
    run.refresh_from_db()
    return run


def _left_behind(run: ImportRun) -> os.PathLike:
    """What a killed attempt leaves: its progress file and the unpacked zip."""
    folder = services.work_dir(run)
    (folder / "folder").mkdir(parents=True)
    (folder / "folder" / "clients.csv").write_text(lines(HEADER, client_line("C1", n=1)))
    write_progress(services.progress_path(run), {"stage": "write", "percent": 60})
    return folder


def test_a_check_and_an_import_leave_no_unpacked_folder(functional_admin):
    run = _run(functional_admin, RunStatus.CHECK_QUEUED)
    assert tasks.import_run_check(run.pk) == RunStatus.CHECKED
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.IMPORT_QUEUED)
    assert tasks.import_run_import(run.pk) == RunStatus.IMPORTED
    assert list(services.work_root().iterdir()) == []
    run.refresh_from_db()
    assert run.claimed_by.startswith(jobs.HOST) and run.attempts == 2  # one per claim


def test_a_failed_import_leaves_no_unpacked_folder(functional_admin, monkeypatch):
    run = _run(functional_admin, RunStatus.CHECK_QUEUED)

    def broken(folder, **kwargs):
        assert (folder / "clients.csv").is_file()
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "import_folder", broken)
    assert tasks.import_run_check(run.pk) == RunStatus.FAILED
    assert list(services.work_root().iterdir()) == []


def test_a_redelivered_import_whose_worker_died_imports_again_at_once(functional_admin, settings):
    settings.JOB_STALE_SECONDS = 60
    run = _run(functional_admin, RunStatus.IMPORTING, claimed_by=dead_claimant(), attempts=1)
    dead_folder = _left_behind(run)  # its progress file is fresh: only the process is gone
    started = time.monotonic()
    assert tasks.import_run_import(run.pk) == RunStatus.IMPORTED
    assert time.monotonic() - started < 30  # not the window: the claimant was provably dead
    run.refresh_from_db()
    assert (run.attempts, run.summary["clients.csv"]["created"]) == (2, 2)
    assert Client.objects.count() == 2
    assert not dead_folder.exists()


def test_a_second_delivery_leaves_a_live_import_to_its_worker(functional_admin, settings):
    """Its progress file changes (the heartbeat): a duplicate message, not a dead worker."""
    settings.JOB_STALE_SECONDS = 5
    run = _run(functional_admin, RunStatus.IMPORTING, claimed_by="elsewhere/1:7:0badc0de")
    _left_behind(run)
    progress = services.progress_path(run)
    started = time.monotonic()
    with jobs.Heartbeat(lambda: os.utime(progress), every=0.2):
        assert tasks.import_run_import(run.pk) is None
    assert time.monotonic() - started < 2
    run.refresh_from_db()
    assert (run.status, run.claimed_by) == (RunStatus.IMPORTING, "elsewhere/1:7:0badc0de")
    assert not Client.objects.exists()


def test_an_import_whose_worker_keeps_dying_fails(functional_admin, settings):
    settings.JOB_MAX_ATTEMPTS = 3
    run = _run(functional_admin, RunStatus.IMPORTING, claimed_by=dead_claimant(), attempts=3)
    assert tasks.import_run_import(run.pk) is None
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.error == "De achtergrondverwerking stopte 3 keer tijdens deze import."
    assert not run.upload.storage.exists(run.upload.name)  # the zip (BSNs) is deleted


def test_the_sweep_deletes_the_folders_no_live_attempt_works_in(functional_admin, settings):
    settings.JOB_STALE_SECONDS = 20
    now = timezone.now()
    live = _run(functional_admin, RunStatus.IMPORTING, claimed_by=jobs.claimant_token())
    live_folder = _left_behind(live)
    # The folder of an earlier attempt at the same run (the nonce differs).
    earlier = ImportRun(pk=live.pk, claimed_by="elsewhere/1:7:0badc0de")
    earlier_folder = _left_behind(earlier)
    died = _run(functional_admin, RunStatus.CHECKING, claimed_by=dead_claimant())
    died_folder = _left_behind(died)
    finished = _run(functional_admin, RunStatus.IMPORTED, claimed_by="elsewhere/1:7:0ddba11")
    finished_folder = _left_behind(finished)
    orphan = services.work_root() / "run-999999-abcd"
    orphan.mkdir()

    assert services.stalled_requeue(now) == [died.pk]
    assert sorted(p.name for p in services.work_root().iterdir()) == [live_folder.name]
    for gone in (earlier_folder, died_folder, finished_folder, orphan):
        assert not gone.exists()
    # A minute without its heartbeat later, the live attempt's folder goes too.
    assert services.stalled_requeue(now + datetime.timedelta(minutes=1)) == [live.pk]
    assert list(services.work_root().iterdir()) == []
