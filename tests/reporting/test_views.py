"""The dashboard and the report pages as a manager uses them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.models import ReportRun, RunStatus
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def managed(client, manager):
    client.force_login(manager)
    return client


def test_a_manager_lands_on_the_dashboard(managed):
    assert managed.get(reverse("home")).url == reverse("reporting:dashboard")


def test_the_dashboard_shows_a_year_against_the_previous_one(managed):
    client = ClientFactory(registered_on=D(2025, 1, 6))
    ContactFactory(client=client, date=D(2025, 3, 3))
    page = managed.get(reverse("reporting:dashboard"), {"year": 2025}).content.decode()
    assert "KPI's 2025" in page
    assert "Vergeleken met 2024" in page
    assert "Contactdekking" in page
    assert "100,0%" in page  # the one client on the caseload was spoken to
    assert 'alt="Contactdekking"' in page  # the chart, with its figures in the table beside it


def test_the_dashboard_rounds_a_share_half_away_from_zero_and_leads_with_the_total(managed):
    # 16 clients on the caseload at the end of 2025, 7 of them spoken to: 7/16 = 43.75%, which
    # reads 43,8% (cut off it read 43,7%). All are in one target group, so the total and that
    # group agree; a second group of 1 client, spoken to, makes the last row 100,0% and the
    # total 8/17 = 47.06%, which reads 47,1%.
    spoken_to = ClientFactory.create_batch(7, registered_on=D(2025, 1, 6), target_group="wajong")
    ClientFactory.create_batch(9, registered_on=D(2025, 1, 6), target_group="wajong")
    for client in spoken_to:
        ContactFactory(client=client, date=D(2025, 3, 3), channel="phone")
    page = managed.get(reverse("reporting:dashboard"), {"year": 2025}).content.decode()
    assert '<span class="fs-3 fw-bold" id="contact_coverage-headline">43,8%</span>' in page

    last = ClientFactory(registered_on=D(2025, 1, 6), target_group="school_leaver")
    ContactFactory(client=last, date=D(2025, 3, 3), channel="phone")
    page = managed.get(reverse("reporting:dashboard"), {"year": 2025, "fresh": 1}).content
    assert '<span class="fs-3 fw-bold" id="contact_coverage-headline">47,1%</span>' in (
        page.decode()
    )


def test_a_year_in_the_future_is_refused_and_the_current_year_shown(managed):
    page = managed.get(reverse("reporting:dashboard"), {"year": 2999})
    assert page.status_code == 200
    assert "is-invalid" in page.content.decode()


def test_the_dashboard_costs_the_same_queries_for_few_and_many_clients(managed):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            managed.get(reverse("reporting:dashboard"), {"year": 2025, "fresh": 1})
        return len(captured)

    ClientFactory(registered_on=D(2025, 1, 6))
    few = queries()
    for n in range(25):
        client = ClientFactory(registered_on=D(2025, 1, 6))
        ContactFactory(client=client, date=D(2025, 2, 1 + n))
    assert queries() == few


def test_requesting_a_report_records_a_run_once_and_shows_its_progress(
    managed, manager, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr("reporting.tasks.generate_report.delay", queued.append)
    form = managed.get(reverse("reporting:report_list")).context["form"]
    token = form["submission_token"].value()
    data = {"kind": "year", "year": "2025", "submission_token": token}

    with django_capture_on_commit_callbacks(execute=True):
        first = managed.post(reverse("reporting:report_list"), data)
        again = managed.post(reverse("reporting:report_list"), data)  # a double click

    run = ReportRun.objects.get()
    assert (run.period_start, run.period_end, run.requested_by) == (
        D(2025, 1, 1),
        D(2025, 12, 31),
        manager,
    )
    assert first.url == again.url == reverse("reporting:report_detail", args=[run.pk])
    assert queued == [run.pk]
    page = managed.get(first.url).content.decode()
    assert "<progress" in page and "U kunt deze pagina verlaten" in page


def test_a_report_finished_before_its_page_opens_shows_only_that_it_is_ready(
    managed, django_capture_on_commit_callbacks, monkeypatch
):
    def finished_at_once(run_id):  # a fast worker (or an eager one): done before the redirect
        ReportRun.objects.filter(pk=run_id).update(
            status=RunStatus.DONE, progress=100, pdf=b"%PDF", xlsx=b"PK"
        )

    monkeypatch.setattr("reporting.tasks.generate_report.delay", finished_at_once)
    form = managed.get(reverse("reporting:report_list")).context["form"]
    data = {"kind": "year", "year": "2025", "submission_token": form["submission_token"].value()}
    with django_capture_on_commit_callbacks(execute=True):
        answer = managed.post(reverse("reporting:report_list"), data)

    page = managed.get(answer.url).content.decode()
    run = ReportRun.objects.get()
    assert "De rapportage is klaar." in page
    assert reverse("reporting:report_pdf", args=[run.pk]) in page
    assert "wordt gemaakt" not in page and "<progress" not in page and "hx-get" not in page


def test_a_period_that_ends_before_it_starts_is_refused_and_keeps_the_input(managed):
    answer = managed.post(
        reverse("reporting:report_list"),
        {"kind": "period", "start": "2025-06-30", "end": "2025-06-01"},
    )
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "De periode kan niet eindigen voordat hij begint." in page
    assert 'value="2025-06-30"' in page and 'value="2025-06-01"' in page
    assert not ReportRun.objects.exists()


def test_a_ready_report_is_downloaded_as_pdf_and_xlsx(managed):
    run = ReportRun.objects.create(
        kind="year",
        period_start=D(2025, 1, 1),
        period_end=D(2025, 12, 31),
        status=RunStatus.DONE,
        pdf=b"%PDF-1.7 test",
        xlsx=b"PK test",
    )
    pdf = managed.get(reverse("reporting:report_pdf", args=[run.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert 'filename="jaarverslag-2025.pdf"' in pdf["Content-Disposition"]
    assert pdf.content == b"%PDF-1.7 test"
    xlsx = managed.get(reverse("reporting:report_xlsx", args=[run.pk]))
    assert xlsx.content == b"PK test"


def test_a_report_not_ready_cannot_be_downloaded(managed):
    run = ReportRun.objects.create(
        kind="year", period_start=D(2025, 1, 1), period_end=D(2025, 12, 31)
    )
    assert managed.get(reverse("reporting:report_pdf", args=[run.pk])).status_code == 404


def test_a_failed_report_shows_why_and_offers_a_retry(
    managed, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("reporting.tasks.generate_report.delay", lambda run_id: None)
    run = ReportRun.objects.create(
        kind="year",
        period_start=D(2025, 1, 1),
        period_end=D(2025, 12, 31),
        status=RunStatus.FAILED,
        error="OperationalError: database is locked",
    )
    page = managed.get(reverse("reporting:report_progress", args=[run.pk])).content.decode()
    assert "De rapportage kon niet worden gemaakt." in page
    assert "database is locked" in page
    with django_capture_on_commit_callbacks(execute=True):
        managed.post(reverse("reporting:report_retry", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED and run.error == ""


def test_the_list_says_who_asked_and_which_runs_the_schedule_made(managed, manager):
    period = {"kind": "year", "period_start": D(2025, 1, 1), "period_end": D(2025, 12, 31)}
    ReportRun.objects.create(scheduled=True, **period)
    ReportRun.objects.create(requested_by=manager, **period)
    ReportRun.objects.create(**period)  # asked by someone whose account was removed since
    page = managed.get(reverse("reporting:report_list")).content.decode()
    assert page.count("de planning") == 1  # not the run of the removed account
    assert manager.get_full_name() in page


def test_the_dashboard_keeps_its_figures_until_asked_afresh(managed):
    client = ClientFactory(registered_on=D(2025, 1, 6))
    ContactFactory(client=client, date=D(2025, 3, 3))
    url = reverse("reporting:dashboard")
    assert "100,0%" in managed.get(url, {"year": 2025}).content.decode()
    ClientFactory(registered_on=D(2025, 1, 6))  # not spoken to: coverage drops to 50 %
    with CaptureQueriesContext(connection) as kept:
        page = managed.get(url, {"year": 2025}).content.decode()
    assert "100,0%" in page and "Berekend om" in page
    assert len(kept) < 10  # session and user, no KPI query
    assert "50,0%" in managed.get(url, {"year": 2025, "fresh": 1}).content.decode()
    assert "50,0%" in managed.get(url, {"year": 2025}).content.decode()  # kept afresh
