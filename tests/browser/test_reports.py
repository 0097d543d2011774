"""A manager reads the KPIs and fetches the annual report as PDF."""

import datetime
import subprocess

import pytest
from playwright.sync_api import expect

from reporting import services
from reporting.models import ReportRun
from tests.browser.conftest import assert_accessible
from tests.factories import ClientFactory, ContactFactory

# The report reads through the replica alias (config.routers; a mirror of the test database).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


def test_manager_reads_the_kpis_and_downloads_the_annual_report(
    page, login, live_server, manager, monkeypatch, tmp_path
):
    # No worker in this test: the job is run by the test itself, while the page polls.
    monkeypatch.setattr("reporting.tasks.generate_report.delay", lambda run_id: None)
    for n in range(4):
        client = ClientFactory(registered_on=datetime.date(2025, 1, 6))
        if n:
            ContactFactory(client=client, date=datetime.date(2025, 3, 3))

    login("manager")
    expect(page.get_by_role("heading", level=1)).to_contain_text("KPI's")
    page.get_by_role("spinbutton", name="Jaar").fill("2025")
    page.get_by_role("button", name="Toon").click()
    expect(page.get_by_role("heading", name="KPI's 2025")).to_be_visible()
    coverage = page.locator("#contact_coverage")
    expect(coverage.get_by_role("row", name="Contactdekking 75,0%")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Jaarverslag (pdf en Excel)").click()
    expect(page.get_by_role("heading", name="Rapportages", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("spinbutton", name="Jaar").fill("2025")
    page.get_by_role("button", name="Maak de rapportage").click()
    expect(page.get_by_text("U kunt deze pagina verlaten").first).to_be_visible()
    expect(page.locator("progress")).to_be_visible()
    assert_accessible(page)

    run = ReportRun.objects.get()
    services.run_build(run.pk)  # what the worker does; the page finds out by itself
    expect(page.get_by_text("De rapportage is klaar.")).to_be_visible(timeout=10_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download de pdf").click()
    assert download.value.suggested_filename == "jaarverslag-2025.pdf"
    path = tmp_path / "jaarverslag.pdf"
    download.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    assert "Contactdekking" in text.decode()

    # The page can be left and found again.
    page.get_by_role("link", name="Rapportages").first.click()
    expect(page.get_by_role("link", name="Jaarverslag 01-01-2025 – 31-12-2025")).to_be_visible()
