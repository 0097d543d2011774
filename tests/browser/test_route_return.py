"""The return of route werknemer (issue 19): a functional administrator enters a cost parameter
in the product, a manager makes the annual report and reads the return in its PDF."""

import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reporting import services
from reporting.models import CostParameter, CostParameterKind, ReportRun
from tests.browser.conftest import assert_accessible, log_out
from tests.reporting.test_route_return import worked_example_data

# The dashboard and the report read through the replica alias (config.routers; a mirror of the
# test database).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


def test_the_return_of_the_route_is_in_the_annual_report(
    page, login, live_server, functional_admin, manager, monkeypatch, tmp_path, settings
):
    settings.CASELOAD_FULL_TIME_HOURS = 36
    monkeypatch.setattr("reporting.tasks.generate_report.delay", lambda run_id: None)
    # The worked example of tests/reporting/test_route_return.py, without the staff cost.
    worked_example_data(skip=(CostParameterKind.STAFF_COST_PER_FTE,))

    login("beheerder")
    list_url = reverse("reporting:cost_parameters")
    page.locator(f'nav a[href="{list_url}"]').click()
    expect(page.locator("#staff_cost_per_fte")).to_be_visible()
    assert_accessible(page)
    page.locator(
        f'a[href="{reverse("reporting:cost_parameter_create")}?kind=staff_cost_per_fte"]'
    ).click()
    assert_accessible(page)
    page.locator("#id_valid_from").fill("2025-01-01")
    page.locator("#id_amount").fill("70.000,00")
    page.locator("#id_source").fill("Begroting 2025")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#staff_cost_per_fte")).to_contain_text("70.000,00")
    assert_accessible(page)
    row = CostParameter.objects.get(kind=CostParameterKind.STAFF_COST_PER_FTE)
    assert row.created_by == functional_admin and row.amount == 70000
    log_out(page)

    login("manager")
    page.get_by_role("spinbutton", name="Jaar").fill("2025")
    page.get_by_role("button", name="Toon").click()
    section = page.locator("#route_return")
    expect(section).to_contain_text("€ -61.200")  # the balance over twelve months
    assert_accessible(page)

    page.get_by_role("link", name="Jaarverslag (pdf en Excel)").click()
    page.get_by_role("spinbutton", name="Jaar").fill("2025")
    page.get_by_role("button", name="Maak de rapportage").click()
    expect(page.locator("progress")).to_be_visible()
    services.run_build(ReportRun.objects.get().pk)  # what the worker does
    expect(page.get_by_text("De rapportage is klaar.")).to_be_visible(timeout=10_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download de pdf").click()
    path = tmp_path / "jaarverslag.pdf"
    download.value.save_as(path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    text = " ".join(text.split())
    # The costs, the benefits saved both ways and the balances (worked out by hand in
    # tests/reporting/test_route_return.py), with the parameters used beside them.
    for figure in ("€ 120.000", "€ 27.765", "€ 58.800", "€ -92.235", "€ -61.200"):
        assert figure in text, figure
    assert "€ 70.000,00" in text and "Begroting 2025" in text
    assert "€ 1.700,00" in text and "01-01-2025" in text
    assert "30.4375" in text or "30,4375" in text  # the definition
