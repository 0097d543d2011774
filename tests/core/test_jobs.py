"""core.jobs: when a job's worker counts as dead, and the heartbeat that says it lives."""

import datetime
import os
import subprocess
import threading
import time

import pytest
from django.utils import timezone

from core import jobs


def dead_claimant() -> str:
    """The token a process of this host that has exited would have written."""
    process = subprocess.Popen(["true"])
    process.wait()
    return f"{jobs.HOST}:{process.pid}:0badc0de"


def test_a_claimant_is_dead_only_when_its_process_is_gone_from_this_host():
    assert jobs.claimant_is_dead(dead_claimant())
    assert not jobs.claimant_is_dead(jobs.claimant_token())  # this very process
    assert not jobs.claimant_is_dead(f"{jobs.HOST}:1:0badc0de")  # init lives
    # Another host, or the same host name in another process namespace: cannot tell.
    assert not jobs.claimant_is_dead(dead_claimant().replace(jobs.HOST, "elsewhere/1"))
    host, namespace = jobs.HOST.split("/")
    assert not jobs.claimant_is_dead(dead_claimant().replace(jobs.HOST, f"{host}/1{namespace}"))
    assert not jobs.claimant_is_dead("")
    assert not jobs.claimant_is_dead("a:b:c")


def test_each_claim_gets_its_own_nonce():
    first, second = jobs.claimant_token(), jobs.claimant_token()
    assert first != second
    assert jobs.claim_nonce(first) == first.rsplit(":", 1)[1] != jobs.claim_nonce(second)
    assert jobs.claim_nonce("") == ""


@pytest.fixture
def window(settings):
    settings.JOB_STALE_SECONDS = 1
    return datetime.timedelta(seconds=1)


def test_a_run_silent_for_the_window_is_taken_over_at_once(window):
    seen = jobs.Seen("elsewhere/1:7:ab", timezone.now() - 2 * window)
    started = time.monotonic()
    assert jobs.await_silence(lambda: seen) == seen
    assert time.monotonic() - started < 0.5


def test_a_run_whose_claimant_died_on_this_host_is_taken_over_at_once(window):
    seen = jobs.Seen(dead_claimant(), timezone.now())  # beat a moment ago
    started = time.monotonic()
    assert jobs.await_silence(lambda: seen) == seen
    assert time.monotonic() - started < 0.5


def test_a_run_that_stops_beating_is_taken_over_after_the_window(window):
    seen = jobs.Seen("elsewhere/1:7:ab", timezone.now())
    started = time.monotonic()
    assert jobs.await_silence(lambda: seen, poll=0.1) == seen
    assert 1 <= time.monotonic() - started < 2


def test_a_run_that_beats_or_finishes_is_left_to_its_worker(window):
    beats = iter(timezone.now() + datetime.timedelta(milliseconds=n) for n in range(100))
    started = time.monotonic()
    assert jobs.await_silence(lambda: jobs.Seen("elsewhere/1:7:ab", next(beats)), poll=0.1) is None
    assert time.monotonic() - started < 0.5
    assert jobs.await_silence(lambda: None) is None


def test_the_heartbeat_beats_while_the_job_works_and_survives_a_failed_beat():
    beats = []

    def beat():
        beats.append(threading.current_thread().name)
        if len(beats) == 2:
            raise OSError("database is locked")

    with jobs.Heartbeat(beat, every=0.05):
        time.sleep(0.5)
    count = len(beats)
    time.sleep(0.2)
    assert count >= 4 and len(beats) == count  # went on after the failure; stopped with the job
    assert set(beats) == {"job-heartbeat"}


def test_a_zombie_counts_as_dead():
    """A killed pool child its parent has not reaped yet still has a process id."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    try:
        time.sleep(0.2)
        assert jobs.claimant_is_dead(f"{jobs.HOST}:{pid}:0badc0de")
    finally:
        os.waitpid(pid, 0)


def test_a_task_is_sent_by_its_name_only_once_the_transaction_commits(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("reporting.tasks.generate_report.delay", lambda *args: sent.append(args))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        jobs.task_enqueue("reporting.tasks.generate_report", 7)
        assert sent == []  # not before the commit: the worker must find the row
    assert len(callbacks) == 1 and sent == [(7,)]


def test_each_job_step_names_the_celery_task_that_runs_it():
    """A service queues a step by the name its job gives (core.jobs.task_enqueue): a name that
    is no task's would fail only in the commit's callback."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    named = {
        model.__name__: [step.task for step in model.steps]
        for model in apps.get_models()
        if issubclass(model, jobs.Job)
    }
    assert named == {
        "ReportRun": ["reporting.tasks.generate_report"],
        "ImportRun": ["interchange.tasks.import_run_check", "interchange.tasks.import_run_import"],
    }
    for names in named.values():
        for name in names:
            assert import_string(name).name == name  # the dotted path is the Celery name
