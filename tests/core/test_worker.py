"""A real Celery worker process: the embedded broker locally, Redis in CI (REDIS_URL)."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from config.embedded_broker import TRANSPORT as EMBEDDED_TRANSPORT
from config.embedded_broker import transport_options as embedded_transport_options
from core.tasks import clear_expired_sessions

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(
    settings_module: str = "config.test_settings",
    *,
    pool: str = "solo",
    concurrency: int = 1,
    env: dict | None = None,
    args: tuple[str, ...] = (),
) -> subprocess.Popen:
    """A Celery worker process on the test database (by default one process: --pool=solo).

    It leads a process group of its own, so a test can kill it with its pool children.
    """
    queue = Path(settings.CELERY_QUEUE_DIR)
    (queue / "processed").mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": settings_module,
        **(env or {}),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--pool={pool}",
            *([f"--concurrency={concurrency}"] if pool == "prefork" else []),
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            *args,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def children(pid: int) -> list[int]:
    """The process ids whose parent is pid (a prefork worker's pool children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # with its pool children
        process.wait(timeout=20)


@pytest.fixture
def worker():
    process = start_worker()
    yield process
    stop_worker(process)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_daily_session_cleanup(worker):
    Session.objects.create(
        session_key="expired",
        session_data="",
        expire_date=timezone.now() - datetime.timedelta(days=1),
    )
    result = clear_expired_sessions.delay()
    try:
        assert result.get(timeout=90) == 1
    except Exception:
        worker.terminate()
        print(worker.communicate(timeout=20)[0])
        raise
    assert not Session.objects.exists()


# Jobs the services queue; with an embedded-broker worker they must reach its folder.
JOB_TASKS = (
    "reporting.tasks.generate_report",
    "interchange.tasks.import_run_check",
    "interchange.tasks.import_run_import",
)
# A worker on the embedded broker, whatever this process talks to: without REDIS_URL the
# settings pick the filesystem broker in CELERY_QUEUE_DIR, which the worker inherits.
EMBEDDED = {"REDIS_URL": ""}


@pytest.fixture
def embedded_broker(settings, monkeypatch):
    """The worker environment for the embedded broker. When this process talks to Redis (CI),
    the jobs the services queue are sent to the embedded broker's folder instead."""
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        yield EMBEDDED
        return
    queue = str(settings.CELERY_QUEUE_DIR)
    embedded = Celery("embedded", broker="filesystem://", set_as_current=False)
    embedded.conf.broker_transport = EMBEDDED_TRANSPORT  # as config/settings.py
    embedded.conf.broker_transport_options = embedded_transport_options(queue)
    for name in JOB_TASKS:
        monkeypatch.setattr(
            f"{name}.delay", lambda *args, name=name: embedded.send_task(name, args=args)
        )
    yield EMBEDDED
    embedded.close()


@pytest.fixture(
    params=[
        "embedded",
        pytest.param(
            "redis",
            marks=pytest.mark.skipif(
                not os.environ.get("REDIS_URL"), reason="the Redis broker needs REDIS_URL (CI)"
            ),
        ),
    ]
)
def broker(request):
    """Each broker a worker may use: the embedded one always, Redis when REDIS_URL is set (CI).
    Returns the environment the worker needs for it."""
    if request.param == "redis":
        return {}
    return request.getfixturevalue("embedded_broker")


def claimant_pid(claimed_by: str) -> int:
    """The process id in a claimant token (core.jobs): host/namespace:pid:nonce."""
    return int(claimed_by.rsplit(":", 2)[1])


def wait_for(row, condition, seconds: float = 90, worker: subprocess.Popen | None = None):
    """Refresh row until condition(row); on a time-out, fail with the worker's output."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row.refresh_from_db()
        if condition(row):
            return row
        time.sleep(0.2)
    output = ""
    if worker is not None:
        os.killpg(worker.pid, signal.SIGKILL)
        output = worker.communicate(timeout=20)[0]
    raise AssertionError(f"{row!r} still {row.__dict__} after {seconds} s\n{output}")
