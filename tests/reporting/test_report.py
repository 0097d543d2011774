"""The report a manager reads: the same figures as `manage.py kpis`, as page, PDF and xlsx."""

import datetime
import io
import subprocess
import zipfile

import pytest
from django.utils import translation

from reporting import kpis, output, report, services
from reporting.kpis import Period
from reporting.models import ReportRun, RunKind, RunStatus
from reporting.units import two_year_outflow
from reporting.units.rows import COUNT, DECIMAL1, DECIMAL2, RATE, show
from tests.factories import ClientFactory, ContactFactory

D = datetime.date


@pytest.fixture
def caseload(db):
    for n in range(3):
        client = ClientFactory(registered_on=D(2025, 2, 1 + n))
        ContactFactory(client=client, date=D(2025, 3, 1))
    ClientFactory(registered_on=D(2024, 5, 1))  # on the caseload, never spoken to
    ClientFactory(
        registered_on=D(2024, 1, 1), deregistered_on=D(2025, 6, 30), deregistration_reason="work"
    )


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (0.7143, RATE, "71,4%"),
        (1, RATE, "100,0%"),
        (1234, COUNT, "1.234"),
        (64.2, DECIMAL1, "64,2"),
        (1.67, DECIMAL2, "1,67"),
        (None, RATE, "–"),
    ],
)
def test_figures_are_shown_the_dutch_way(value, kind, shown):
    with translation.override("nl"):
        assert show(value, kind) == shown


def test_the_report_shows_exactly_the_figures_of_the_command(caseload):
    period = Period.year(2025)
    built = report.build(period, today=D(2026, 6, 1))
    document = kpis.compute(period)

    assert [section.key for section in built.sections] == list(document)[1:]
    flows = built.section("flows")
    assert (flows.rows[0].value, flows.rows[1].value) == (3, 1)
    coverage = built.section("contact_coverage").rows
    assert coverage[2].value == document["contact_coverage"]["all"]["rate"] == 0.75
    assert (
        coverage[2].previous == kpis.compute(Period.year(2024))["contact_coverage"]["all"]["rate"]
    )


def test_an_outflow_cohort_whose_deadline_lies_ahead_is_provisional(caseload):
    assert report.build(Period.year(2025), today=D(2025, 12, 31)).sections[0].provisional
    assert not report.build(Period.year(2025), today=D(2026, 1, 1)).sections[0].provisional


def test_the_previous_period_is_the_same_stretch_a_year_earlier():
    assert report.previous_period(Period(D(2024, 3, 1), D(2024, 5, 31))) == Period(
        D(2023, 3, 1), D(2023, 5, 31)
    )
    assert report.previous_period(Period(D(2024, 2, 29), D(2024, 2, 29))).start == D(2023, 2, 28)


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_the_pdf_reads_as_a_report_with_contents_definitions_and_page_numbers(caseload):
    with translation.override("nl"):
        built = report.build(Period.year(2025), today=D(2026, 6, 1))
        run = ReportRun(kind=RunKind.YEAR, period_start=D(2025, 1, 1), period_end=D(2025, 12, 31))
        text = _pdf_text(output.as_pdf(built, run))

    assert "Jaarverslag" in text
    assert "Inhoud" in text
    assert "Wat betekent dit cijfer" in text.replace(
        "WAT BETEKENT DIT CIJFER", "Wat betekent dit cijfer"
    )
    assert "Contactdekking" in text
    assert "75,0%" in text  # 3 of the 4 clients on the caseload on 31 December were spoken to
    assert "Pagina 3 van" in text
    assert "Tijd tot werk" in text


def test_the_xlsx_holds_the_figures_as_numbers(caseload):
    with translation.override("nl"):
        built = report.build(Period.year(2025), today=D(2026, 6, 1))
        book = zipfile.ZipFile(io.BytesIO(output.as_xlsx(built)))
    names = book.read("xl/workbook.xml").decode()
    assert "Kengetallen" in names and "Uitsplitsingen" in names
    strings = book.read("xl/sharedStrings.xml").decode()
    assert "Contactdekking" in strings
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>0.75</v>" in sheet  # the rate as a number, formatted as a percentage


HOSTILE = ['=HYPERLINK("https://example.org")', "+31 6 1234", "-2+3", "@SUM(A1)"]


def test_a_name_that_looks_like_a_formula_stays_text_in_the_xlsx(caseload):
    import openpyxl

    built = report.build(Period.year(2025), today=D(2026, 6, 1))
    # Labels come from data (municipalities, teams, sectors): any of them could start so.
    breakdown = built.breakdowns[0]
    breakdown.dimension = HOSTILE[0]
    breakdown.rows = [(label, [1] * len(breakdown.columns)) for label in HOSTILE]
    built.sections[0].title = HOSTILE[3]
    book = openpyxl.load_workbook(io.BytesIO(output.as_xlsx(built)))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    assert set(HOSTILE) <= texts  # kept as the text it was, not dropped or altered


# --- the schedule and the run record ----------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (D(2027, 1, 1), [("quarter", D(2026, 10, 1), D(2026, 12, 31)),
                         ("year", D(2026, 1, 1), D(2026, 12, 31))]),
        (D(2026, 4, 1), [("quarter", D(2026, 1, 1), D(2026, 3, 31))]),
        (D(2026, 5, 15), [("quarter", D(2026, 1, 1), D(2026, 3, 31))]),
        (D(2026, 12, 31), [("quarter", D(2026, 7, 1), D(2026, 9, 30))]),
    ],
)  # fmt: skip
def test_the_schedule_owes_the_last_quarter_and_after_december_the_year(today, due):
    assert [(kind, p.start, p.end) for kind, p in services.due_periods(today)] == due


def test_the_schedule_makes_each_report_once_however_often_it_runs(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr("reporting.tasks.generate_report.delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.scheduled_create(D(2027, 1, 1))
        again = services.scheduled_create(D(2027, 1, 2))
    assert len(first) == 2 and again == []
    assert ReportRun.objects.filter(scheduled=True).count() == 2
    assert sorted(queued) == sorted(run.pk for run in first)


def test_the_database_refuses_a_second_scheduled_report_of_a_period(db):
    from django.db import IntegrityError

    fields = {"kind": "year", "period_start": D(2026, 1, 1), "period_end": D(2026, 12, 31)}
    ReportRun.objects.create(scheduled=True, **fields)
    ReportRun.objects.create(scheduled=False, **fields)  # a manager may ask for it again
    with pytest.raises(IntegrityError):
        ReportRun.objects.create(scheduled=True, **fields)


def _run(**fields):
    return ReportRun.objects.create(
        kind=RunKind.YEAR, period_start=D(2025, 1, 1), period_end=D(2025, 12, 31), **fields
    )


def test_a_run_is_built_once_even_when_its_message_comes_twice(caseload):
    run = _run()
    assert services.run_build(run.pk) == RunStatus.DONE
    assert services.run_build(run.pk) == RunStatus.DONE  # the repeat finds it done
    run.refresh_from_db()
    assert run.attempts == 1
    assert run.progress == 100
    assert bytes(run.pdf).startswith(b"%PDF")
    assert bytes(run.xlsx).startswith(b"PK")


def test_a_failed_run_says_why_and_can_be_retried(
    caseload, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("schijf vol")

    run = _run()
    monkeypatch.setattr("reporting.report.build", broken)
    assert services.run_build(run.pk) == RunStatus.FAILED
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "schijf vol" in run.error

    monkeypatch.undo()
    monkeypatch.setattr("reporting.tasks.generate_report.delay", services.run_build)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.run_retry(run)
    run.refresh_from_db()
    assert (run.status, run.attempts, run.error) == (RunStatus.DONE, 2, "")
    assert not services.run_retry(run)  # a finished run is not retried


def test_a_run_whose_worker_died_is_queued_again(
    db, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from django.utils import timezone

    settings.JOB_STALE_SECONDS, settings.JOB_UNCLAIMED_MINUTES = 10 * 60, 10
    now = timezone.now()
    dead = _run(status=RunStatus.RUNNING, heartbeat_at=now - datetime.timedelta(minutes=11))
    alive = _run(status=RunStatus.RUNNING, heartbeat_at=now - datetime.timedelta(minutes=2))
    lost = _run()
    ReportRun.objects.filter(pk=lost.pk).update(created_at=now - datetime.timedelta(minutes=30))
    fresh = _run()
    queued = []
    monkeypatch.setattr("reporting.tasks.generate_report.delay", queued.append)

    with django_capture_on_commit_callbacks(execute=True):
        requeued = services.stalled_requeue(now)

    assert sorted(requeued) == sorted([dead.pk, lost.pk])
    assert sorted(queued) == sorted([dead.pk, lost.pk])
    # Queued again now, they are not sent a third time at the next beat.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.stalled_requeue(now + datetime.timedelta(minutes=2)) == []
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == RunStatus.QUEUED and alive.status == RunStatus.RUNNING
    assert fresh.pk not in requeued


def test_a_run_whose_worker_beats_while_the_beat_looks_keeps_its_worker(
    db, settings, django_capture_on_commit_callbacks, monkeypatch
):
    """The beat read the run as silent; its worker beat just before the beat's update."""
    from django.utils import timezone

    settings.JOB_STALE_SECONDS, settings.JOB_UNCLAIMED_MINUTES = 10 * 60, 10
    now = timezone.now()
    run = _run(status=RunStatus.RUNNING, heartbeat_at=now - datetime.timedelta(minutes=11))
    real_filter = ReportRun.objects.filter
    calls = []

    def filter_after_a_beat(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:  # after the beat listed the run, before it updates it
            real_filter(pk=run.pk).update(heartbeat_at=now)  # the worker's heartbeat
        return real_filter(*args, **kwargs)

    queued = []
    monkeypatch.setattr("reporting.tasks.generate_report.delay", queued.append)
    monkeypatch.setattr(ReportRun.objects, "filter", filter_after_a_beat)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.stalled_requeue(now) == []
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and queued == []


def test_a_target_set_for_the_year_is_shown_and_judged(caseload):
    from reporting.models import Target

    Target.objects.create(kpi="contact_coverage", year=2025, value="0.8000")
    Target.objects.create(kpi="contact_coverage", year=2024, value="0.1000")  # another year
    rows = report.build(Period.year(2025), today=D(2026, 6, 1)).section("contact_coverage").rows
    coverage = next(row for row in rows if row.label == "Contactdekking")
    assert (coverage.value, coverage.target, coverage.meets_target) == (0.75, 0.8, False)
    assert two_year_outflow.KPI.compute(Period.year(2025)).target == 0.8  # the setting's default


def test_the_pdf_shows_a_project_with_its_funnel_and_groups(caseload):
    from projects.models import Project, ProjectGroup, ProjectMember, ProjectStage
    from trajectories import reference
    from trajectories.models import Route, Trajectory

    reference.load()
    project = Project.objects.create(code="pilot", name="Pilot loonwaarde 40-60", target=3)
    group = ProjectGroup.objects.create(project=project, name="Met jobcoach")
    ProjectStage.objects.create(project=project, name="Gescreend", position=1)
    member = ClientFactory()
    ProjectMember.objects.create(
        project=project, client=member, group=group, status="admitted", screened_on=D(2025, 2, 1)
    )
    Trajectory.objects.create(
        client=member,
        route=Route.objects.get(code="employee"),
        project=project,
        project_group=group,
        start_date=D(2025, 2, 3),
        end_date=D(2025, 9, 1),
        outcome="work",
    )
    with translation.override("nl"):
        text = _pdf_text(output.as_pdf(report.build(Period.year(2025), today=D(2026, 6, 1))))
    assert "Pilot loonwaarde 40-60" in text
    assert "Met jobcoach" in text
    assert "Gescreend" in text
