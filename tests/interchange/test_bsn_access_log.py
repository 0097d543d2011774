"""An import that says "this BSN is registered already", and export_data (every BSN), are logged."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import AccessLog
from clients.models import Client
from interchange import tasks
from interchange.engine import MAX_KEPT_PROBLEMS_PER_FILE, import_folder
from interchange.models import ImportRun, RunStatus
from tests.factories import ClientFactory, valid_bsn
from tests.interchange.conftest import HEADER, client_line, lines
from tests.interchange.test_views import zipped

pytestmark = pytest.mark.usefixtures("reference_data")


def test_the_check_names_the_clients_whose_bsn_it_found_taken(folder):
    taken = ClientFactory(bsn=valid_bsn(3))
    ClientFactory(bsn=valid_bsn(4))  # in the product, not in the folder: nobody learns of it
    rows = [client_line("C1", n=3), client_line("C2", n=5)]
    result = import_folder(folder({"clients.csv": lines(HEADER, *rows)}), dry_run=True)
    assert [p.code for p in result.problems] == ["taken"]
    assert result.bsn_matched == [taken.pk]


def test_only_the_taken_bsns_the_problems_show_are_logged_not_those_only_counted(folder):
    # Every BSN of the file is registered under another ref: the first 500 problems are shown
    # one by one, the rest counted on one line whose example is the first of them (line 502).
    over = MAX_KEPT_PROBLEMS_PER_FILE + 4
    one = ClientFactory(source_ref="X1", bsn=valid_bsn(1))
    Client.objects.bulk_create(
        ClientFactory.build(
            source_ref=f"X{i}", bsn=valid_bsn(i), team=one.team, municipality=one.municipality
        )
        for i in range(2, over + 1)
    )
    owner = dict(Client.objects.values_list("bsn", "pk"))
    rows = [client_line(f"C{i}", n=i) for i in range(1, over + 1)]
    result = import_folder(folder({"clients.csv": lines(HEADER, *rows)}), dry_run=True)
    assert result.problem_count == over
    assert result.problems[-1].code == "more"
    shown = range(1, MAX_KEPT_PROBLEMS_PER_FILE + 2)  # lines 2 to 502
    assert result.bsn_matched == sorted(owner[valid_bsn(i)] for i in shown)


def test_a_clean_check_matches_no_bsn(folder):
    result = import_folder(folder({"clients.csv": lines(HEADER, client_line("C1", n=1))}))
    assert result.problems == []
    assert result.bsn_matched == []


def test_a_browser_check_that_finds_a_bsn_taken_logs_it_for_who_uploaded(
    client, functional_admin, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(functional_admin)
    first, second = ClientFactory(bsn=valid_bsn(3)), ClientFactory(bsn=valid_bsn(4))
    rows = [client_line("C1", n=3), client_line("C2", n=4), client_line("C3", n=5)]
    data = zipped({"clients.csv": lines(HEADER, *rows)})
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("interchange:index"), {"upload": SimpleUploadedFile("x.zip", data)})
    run = ImportRun.objects.get()

    assert tasks.import_run_check(run.pk) == RunStatus.REJECTED

    entries = AccessLog.objects.order_by("object_id")
    assert [(e.kind, e.object_id) for e in entries] == sorted(
        [("bsn_lookup", str(first.pk)), ("bsn_lookup", str(second.pk))], key=lambda e: e[1]
    )
    assert {(e.user, e.username, e.result) for e in entries} == {
        (functional_admin, functional_admin.username, "granted")
    }
    assert all(f"import run {run.pk}" in e.detail for e in entries)


def test_the_import_command_logs_the_bsns_it_found_taken(folder):
    taken = ClientFactory(bsn=valid_bsn(3))
    path = folder({"clients.csv": lines(HEADER, client_line("C1", n=3))})
    with pytest.raises(CommandError):
        call_command("import_data", str(path), "--dry-run")
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.object_id) == ("bsn_lookup", str(taken.pk))
    assert "manage.py import_data" in entry.username
    assert entry.user is None


def test_export_data_logs_an_export_entry_for_every_client_it_wrote(tmp_path, capsys):
    written = ClientFactory.create_batch(3)
    ClientFactory(bsn=None, anonymised_at="2025-01-01T00:00:00Z")  # not exported: no BSN
    call_command("export_data", str(tmp_path / "out"))
    entries = AccessLog.objects.order_by("object_id")
    assert [(e.kind, e.object_type, e.object_id) for e in entries] == [
        ("export", "clients.client", str(c.pk)) for c in sorted(written, key=lambda c: str(c.pk))
    ]
    assert all("manage.py export_data" in e.username for e in entries)
    assert all("3 clients" in e.detail for e in entries)
    # Each client's own access history shows that their BSN left in the export.
    assert AccessLog.objects.filter(object_type="clients.client", object_id=str(written[0].pk))
