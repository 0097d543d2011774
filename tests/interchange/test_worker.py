"""The import job on a real Celery worker process (the embedded broker locally, Redis in CI)."""

import time

import pytest
from django.core.files.base import ContentFile

from clients.models import Client
from interchange import services
from interchange.models import RunStatus
from tests.core.test_worker import worker  # noqa: F401  (the fixture)
from tests.interchange.conftest import HEADER, client_line, lines
from tests.interchange.test_views import zipped


@pytest.fixture
def shared_media(tmp_path, settings, monkeypatch):
    """Web and worker must see the same uploads: set before the worker starts."""
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "media"))
    settings.MEDIA_ROOT = tmp_path / "media"


def wait_for(run, statuses, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in statuses:
            return run.status
        time.sleep(0.5)
    raise AssertionError(f"run stayed {run.status}")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_checks_and_imports_an_uploaded_zip(
    shared_media,
    reference_data,
    functional_admin,
    worker,  # noqa: F811
):
    data = zipped({"clients.csv": lines(HEADER, client_line("C1", n=1), client_line("C2", n=2))})
    run = services.run_create(actor=functional_admin, upload=ContentFile(data, name="big.zip"))
    try:
        assert wait_for(run, {RunStatus.CHECKED, RunStatus.REJECTED, RunStatus.FAILED}) == (
            RunStatus.CHECKED
        )
        services.run_start(actor=functional_admin, run=run)
        assert wait_for(run, {RunStatus.IMPORTED, RunStatus.FAILED}) == RunStatus.IMPORTED
    except AssertionError:
        worker.terminate()
        print(worker.communicate(timeout=20)[0])
        raise
    assert run.summary["clients.csv"]["created"] == 2
    assert Client.objects.count() == 2
