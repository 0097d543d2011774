"""A functional administrator imports a company's data: upload, check, problems, import."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from clients.models import Client
from core.reference import load_reference_data
from interchange import tasks
from interchange.models import ImportRun
from tests.browser.conftest import assert_accessible
from tests.interchange.conftest import HEADER, client_line, lines

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def zip_file(tmp_path, name, files):
    path = tmp_path / name
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file_name, text in files.items():
            archive.writestr(file_name, text)
    path.write_bytes(buffer.getvalue())
    return path


def test_functional_admin_fixes_problems_and_imports_a_folder(
    page, login, functional_admin, monkeypatch, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_reference_data()
    queued = []  # no worker here: record what is enqueued, then run it as the worker would
    monkeypatch.setattr(tasks.import_run_check, "delay", lambda pk: queued.append(("check", pk)))
    monkeypatch.setattr(tasks.import_run_import, "delay", lambda pk: queued.append(("import", pk)))

    login("beheerder")
    page.get_by_role("link", name="Import", exact=True).click()
    expect(
        page.get_by_role("heading", name="Gegevens importeren in het uitwisselformaat")
    ).to_be_visible()
    assert_accessible(page)

    # Not a zip: refused with a Dutch message, nothing stored.
    not_zip = tmp_path / "clients.csv"
    not_zip.write_text(lines(HEADER))
    page.get_by_label("Zip-bestand met de uitwisselbestanden").set_input_files(not_zip)
    page.get_by_role("button", name="Uploaden en controleren").click()
    expect(page.get_by_text("Dit is geen zip-bestand.")).to_be_visible()
    assert not ImportRun.objects.exists()

    # A folder with two problems: the check is a job; the page shows its progress, then the table.
    bad = zip_file(
        tmp_path,
        "export-1.zip",
        {
            "clients.csv": lines(
                HEADER,
                client_line("C1", n=1, birth_date="1990-02-31"),
                client_line("C2", n=2, first="ሰላም", municipality="Asen"),
            )
        },
    )
    page.get_by_label("Zip-bestand met de uitwisselbestanden").set_input_files(bad)
    page.get_by_role("button", name="Uploaden en controleren").click()
    expect(page.get_by_role("heading", name="Import van export-1.zip")).to_be_visible()
    expect(page.get_by_text("Wacht op controle")).to_be_visible()
    expect(page.locator("progress")).to_be_visible()
    assert_accessible(page)
    run = ImportRun.objects.get()
    assert queued == [("check", run.pk)]
    tasks.import_run_check(run.pk)
    # The page polls: the result appears without a reload.
    expect(
        page.get_by_role("heading", name="2 problemen gevonden: er is niets geïmporteerd")
    ).to_be_visible(timeout=10_000)
    rows = page.get_by_role("row")
    expect(rows.filter(has_text="birth_date")).to_contain_text(
        "deze datum bestaat niet: 1990-02-31"
    )
    expect(rows.filter(has_text="municipality")).to_contain_text("onbekende gemeente Asen")
    expect(page.get_by_role("button", name="Nu importeren")).to_have_count(0)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Problemen downloaden (CSV)").click()
    report = download.value.path().read_text(encoding="utf-8-sig")
    assert report.splitlines()[0] == "bestand;regel;kolom;probleem"
    assert "clients.csv;2;birth_date;" in report

    # The list leads back to the run; a corrected folder checks clean and is imported.
    page.get_by_role("link", name="Alle imports").click()
    expect(page.get_by_role("link", name="export-1.zip")).to_be_visible()
    good = zip_file(
        tmp_path,
        "export-2.zip",
        {"clients.csv": lines(HEADER, client_line("C1", n=1), client_line("C2", n=2, first="ሰላም"))},
    )
    page.get_by_label("Zip-bestand met de uitwisselbestanden").set_input_files(good)
    page.get_by_role("button", name="Uploaden en controleren").click()
    expect(page.get_by_role("heading", name="Import van export-2.zip")).to_be_visible()
    second = ImportRun.objects.get(original_name="export-2.zip")
    tasks.import_run_check(second.pk)
    expect(page.get_by_role("button", name="Nu importeren")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("row", name="clients.csv")).to_contain_text("2")
    assert not Client.objects.exists()
    page.get_by_role("button", name="Nu importeren").click()
    expect(page.get_by_role("status").filter(has_text="Status: Wacht op import")).to_be_visible()
    assert queued[-1] == ("import", second.pk)
    tasks.import_run_import(second.pk)
    expect(page.get_by_role("heading", name="Wat er is geschreven")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("status").filter(has_text="Status: Geïmporteerd")).to_be_visible()
    assert_accessible(page)
    assert set(Client.objects.values_list("first_name", flat=True)) == {"Selam", "ሰላም"}
