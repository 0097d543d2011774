"""A real Celery worker process: the embedded broker locally, Redis in CI (REDIS_URL)."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.tasks import clear_expired_sessions

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(settings_module: str = "config.test_settings") -> subprocess.Popen:
    """A Celery worker process on the test database (one process: --pool=solo)."""
    queue = Path(settings.CELERY_QUEUE_DIR)
    (queue / "processed").mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": settings_module,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


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
