"""The browser import for a functional administrator: upload, check, problems, import."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients.models import Client
from interchange import services, tasks
from interchange.models import ImportRun, RunStatus
from tests.interchange.conftest import HEADER, client_line, lines

pytestmark = pytest.mark.usefixtures("reference_data")


def zipped(files: dict, folder: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(folder + name, text)
    return buffer.getvalue()


@pytest.fixture
def admin_client(client, functional_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(functional_admin)
    return client


def upload(admin_client, data: bytes, name="export.zip", capture=None):
    return admin_client.post(
        reverse("interchange:index"), {"upload": SimpleUploadedFile(name, data)}
    )


def test_upload_check_and_import_a_clean_folder(
    admin_client, functional_admin, django_capture_on_commit_callbacks
):
    data = zipped({"clients.csv": lines(HEADER, client_line("C1", n=1))}, folder="export/")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = upload(admin_client, data)
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("interchange:run", kwargs={"import_run": run.pk})
    assert (run.status, run.created_by, run.original_name) == (
        RunStatus.CHECK_QUEUED,
        functional_admin,
        "export.zip",
    )
    assert len(queued) == 1  # the check is a Celery job, queued once the upload is stored
    page = admin_client.get(response["Location"])
    assert b"hx-trigger" in page.content  # polled while waiting
    assert tasks.import_run_check(run.pk) == RunStatus.CHECKED
    assert tasks.import_run_check(run.pk) is None  # a second delivery finds nothing to claim
    run.refresh_from_db()
    assert run.summary["clients.csv"]["created"] == 1
    assert not Client.objects.exists()  # the check wrote nothing
    assert run.upload.storage.exists(run.upload.name)  # kept for the import
    page = admin_client.get(reverse("interchange:run", kwargs={"import_run": run.pk}))
    assert "Nu importeren" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        admin_client.post(reverse("interchange:start", kwargs={"import_run": run.pk}))
        admin_client.post(
            reverse("interchange:start", kwargs={"import_run": run.pk})
        )  # double click
    assert len(queued) == 1
    assert tasks.import_run_import(run.pk) == RunStatus.IMPORTED
    run.refresh_from_db()
    assert run.imported_by == functional_admin
    assert run.finished_at is not None
    assert Client.objects.get().source_ref == "C1"
    # The zip held personal data: once imported it is deleted; the run keeps its record.
    assert not run.upload.storage.exists(run.upload.name)
    # The list of imports leads back to the run.
    listing = admin_client.get(reverse("interchange:index")).content.decode()
    assert reverse("interchange:run", kwargs={"import_run": run.pk}) in listing
    assert "Geïmporteerd" in listing


def test_problems_are_shown_as_a_table_and_downloadable_as_csv(admin_client):
    rows = [client_line("C1", n=1, birth_date="1990-02-31"), client_line("C1", n=2)]
    upload(admin_client, zipped({"clients.csv": lines(HEADER, *rows)}))
    run = ImportRun.objects.get()
    assert tasks.import_run_check(run.pk) == RunStatus.REJECTED
    page = admin_client.get(
        reverse("interchange:run", kwargs={"import_run": run.pk})
    ).content.decode()
    assert "2 problemen gevonden: er is niets geïmporteerd" in page
    assert "<td>clients.csv</td><td>2</td><td>birth_date</td>" in page
    assert "Nu importeren" not in page
    download = admin_client.get(reverse("interchange:report", kwargs={"import_run": run.pk}))
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    text = download.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0] == ["bestand", "regel", "kolom", "probleem"]
    assert table[1][:3] == ["clients.csv", "2", "birth_date"]
    assert table[2][:3] == ["clients.csv", "3", "client_ref"]
    assert "regel 2" in table[2][3]
    # A run with problems cannot be imported.
    admin_client.post(reverse("interchange:start", kwargs={"import_run": run.pk}))
    run.refresh_from_db()
    assert run.status == RunStatus.REJECTED


def test_an_upload_that_is_not_a_zip_is_refused_in_dutch(admin_client):
    response = upload(admin_client, b"client_ref,bsn\n", name="clients.csv")
    assert response.status_code == 200
    assert "Dit is geen zip-bestand." in response.content.decode()
    response = upload(admin_client, b"not a zip at all", name="renamed.zip")
    assert "Dit is geen zip-bestand." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_an_upload_too_large_is_refused_in_dutch(admin_client, settings):
    settings.IMPORT_MAX_MEGABYTES = 1
    data = zipped({"clients.csv": "x" * (2 * 1024 * 1024)})
    data = b"PK\x03\x04" + b"0" * (2 * 1024 * 1024)
    response = upload(admin_client, data)
    assert "maximaal 1,0" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_damaged_zip_is_a_problem_of_the_run_not_an_error(admin_client):
    upload(admin_client, b"PK\x03\x04" + b"garbage" * 10)
    run = ImportRun.objects.get()
    assert tasks.import_run_check(run.pk) == RunStatus.REJECTED
    run.refresh_from_db()
    assert run.problems == [["export.zip", None, "-", "Het bestand is geen geldig zip-bestand."]]


def test_a_zip_with_a_path_outside_its_folder_is_refused(admin_client):
    upload(admin_client, zipped({"../clients.csv": lines(HEADER)}))
    run = ImportRun.objects.get()
    assert tasks.import_run_check(run.pk) == RunStatus.REJECTED


def test_the_progress_is_read_from_the_jobs_progress_file(admin_client):
    from interchange.progress import write_progress

    upload(admin_client, zipped({"clients.csv": lines(HEADER)}))
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.CHECKING)
    path = services.progress_path(run)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_progress(path, {"stage": "check", "file": "contacts.csv", "percent": 37})
    fragment = admin_client.get(
        reverse("interchange:run", kwargs={"import_run": run.pk}), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'value="37"' in fragment
    assert "contacts.csv" in fragment
    assert "<h1" not in fragment  # only the fragment the page swaps in


def test_an_unexpected_error_fails_the_run_and_writes_nothing(admin_client, monkeypatch):
    upload(admin_client, zipped({"clients.csv": lines(HEADER, client_line("C1"))}))
    run = ImportRun.objects.get()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "import_folder", broken)
    assert tasks.import_run_check(run.pk) == RunStatus.FAILED
    run.refresh_from_db()
    assert "disk full" in run.error
    assert not Client.objects.exists()


def test_runs_a_dead_worker_left_behind_are_queued_again(
    functional_admin, settings, tmp_path, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from interchange.progress import write_progress

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOB_STALE_SECONDS, settings.JOB_UNCLAIMED_MINUTES = 10 * 60, 10
    now = timezone.now()
    long_ago = now - datetime.timedelta(minutes=45)

    def make(status, *, started_at=None, queued_at=None):
        run = ImportRun.objects.create(
            upload="imports/x.zip", original_name="x.zip", created_by=functional_admin
        )
        ImportRun.objects.filter(pk=run.pk).update(
            status=status, started_at=started_at, created_at=long_ago, queued_at=queued_at or now
        )
        return run

    dead = make(RunStatus.CHECKING, started_at=long_ago)
    alive = make(RunStatus.IMPORTING, started_at=long_ago)
    path = services.progress_path(alive)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_progress(path, {"stage": "write", "file": "contacts.csv", "percent": 60})
    lost = make(RunStatus.IMPORT_QUEUED, queued_at=long_ago)
    # Uploaded and checked long ago, queued for its import just now: waiting, not lost.
    waiting = make(RunStatus.IMPORT_QUEUED, queued_at=now)
    recent = make(RunStatus.CHECKING, started_at=now)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert sorted(services.stalled_requeue(now)) == sorted([dead.pk, lost.pk])
    assert len(queued) == 2
    statuses = dict(ImportRun.objects.values_list("pk", "status"))
    assert statuses[dead.pk] == RunStatus.CHECK_QUEUED  # claimable again by the check job
    assert statuses[lost.pk] == RunStatus.IMPORT_QUEUED
    assert statuses[alive.pk] == RunStatus.IMPORTING
    assert statuses[recent.pk] == RunStatus.CHECKING
    assert statuses[waiting.pk] == RunStatus.IMPORT_QUEUED
    # Queued again means its clock starts again: not sent once more at the next beat.
    with django_capture_on_commit_callbacks(execute=False):
        assert services.stalled_requeue(now + datetime.timedelta(minutes=5)) == []


def test_a_folder_checked_but_not_imported_is_deleted_after_a_day(
    admin_client, functional_admin, settings
):
    """The zip holds BSNs: it may not wait for an import that never comes."""
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    settings.IMPORT_CHECKED_KEEP_HOURS = 24
    now = timezone.now()
    runs = {}
    for name, hours_ago in (("old", 25), ("recent", 2)):
        run = ImportRun.objects.create(
            upload=ContentFile(b"PK", name=f"{name}.zip"),
            original_name=f"{name}.zip",
            created_by=functional_admin,
        )
        ImportRun.objects.filter(pk=run.pk).update(
            status=RunStatus.CHECKED, finished_at=now - datetime.timedelta(hours=hours_ago)
        )
        runs[name] = run
    assert services.checked_expire(now) == [runs["old"].pk]
    old, recent = (ImportRun.objects.get(pk=runs[name].pk) for name in ("old", "recent"))
    assert old.status == RunStatus.FAILED and "opnieuw" in old.error
    assert not old.upload.storage.exists(old.upload.name)
    assert recent.status == RunStatus.CHECKED
    assert recent.upload.storage.exists(recent.upload.name)


def test_the_problems_csv_never_holds_a_formula(admin_client):
    """A cell starting with =, +, - or @ would run as a formula in Excel; it gets a `'`."""
    link = "=HYPERLINK(A1)"
    upload(admin_client, zipped({"clients.csv": lines(f"{HEADER},{link}", client_line("C1"))}))
    run = ImportRun.objects.get()
    assert tasks.import_run_check(run.pk) == RunStatus.REJECTED
    download = admin_client.get(reverse("interchange:report", kwargs={"import_run": run.pk}))
    table = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert table[1][:3] == ["clients.csv", "1", "'=HYPERLINK(A1)"]
    formulas = [c for row in table for c in row if c.startswith(("=", "+", "-", "@")) and c != "-"]
    assert formulas == []  # a lone "-" (no column) is text to a spreadsheet
