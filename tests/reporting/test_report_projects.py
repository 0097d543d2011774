"""The annual report's projects and events: the funnel now and per month, the groups compared
with the difference and its interval, the events' outcomes on the day and after three months;
in the PDF and the xlsx, each with its definition."""

import datetime
import io
import subprocess

import openpyxl
import pytest
from django.utils import translation

from projects.models import (
    Event,
    EventParticipant,
    Project,
    ProjectGroup,
    ProjectMember,
    ProjectStage,
    StageReached,
)
from reporting import output, report
from reporting.kpis import Period
from tests.factories import ClientFactory
from trajectories.models import Route, Trajectory

D = datetime.date


def _pdf_text(pdf: bytes) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.split())


@pytest.fixture
def programmes(db):
    """An experiment with two groups (2 of 3 to work against 0 of 2), a funnel reached in
    March and May 2025, and a job festival with results on the day and after three months."""
    project = Project.objects.create(
        code="esf", name="ESF-experiment loonwaarde", target=4, start_date=D(2025, 1, 1)
    )
    screened = ProjectStage.objects.create(project=project, name="Gescreend", position=1)
    placed = ProjectStage.objects.create(project=project, name="Geplaatst", position=2)
    with_tools = ProjectGroup.objects.create(project=project, name="40-60 met instrumenten")
    without = ProjectGroup.objects.create(project=project, name="40-60 zonder instrumenten")
    employee = Route.objects.get(code=Route.EMPLOYEE)
    for group, outcomes in ((with_tools, ["work", "work", ""]), (without, ["dropped_out", ""])):
        for outcome in outcomes:
            client = ClientFactory()
            ProjectMember.objects.create(
                project=project,
                client=client,
                group=group,
                status="admitted",
                screened_on=D(2025, 2, 1),
            )
            StageReached.objects.create(
                project=project, stage=screened, client=client, reached_on=D(2025, 3, 3)
            )
            if outcome == "work":
                StageReached.objects.create(
                    project=project, stage=placed, client=client, reached_on=D(2025, 5, 5)
                )
            Trajectory.objects.create(
                client=client,
                route=employee,
                project=project,
                project_group=group,
                start_date=D(2025, 2, 3),
                end_date=D(2025, 9, 1) if outcome else None,
                outcome=outcome,
            )
    festival = Event.objects.create(name="Banenfestival Assen", date=D(2025, 4, 10))
    for result, later in (("work", "work"), ("education", ""), ("nothing_yet", "work_learning")):
        EventParticipant.objects.create(
            event=festival,
            client=ClientFactory(),
            result=result,
            attended=True,
            followed_up_on=D(2025, 7, 15) if later else None,
            follow_up_result=later or "nothing_yet",
        )
    Event.objects.create(name="Voorlichting 2024", date=D(2024, 11, 1))  # another year


def test_the_pdf_shows_projects_and_events_with_their_definitions(programmes):
    with translation.override("en"):
        built = report.build(Period.year(2025), today=D(2026, 6, 1))
        text = _pdf_text(output.as_pdf(built))
    assert "ESF-experiment loonwaarde" in text
    # The funnel now, and per month: screened by March, placed by May.
    assert "March 2025" in text and "May 2025" in text
    assert "To work: 2 of 5 members (40.0%)." in text
    # The groups compared, with the difference and its 95% interval in plain words.
    # 2 of 3 against 0 of 2: 66.7 points, Newcombe's interval -13.5 to 93.9 (projects'
    # own tests check the interval; here: it is in the report, read as a council would).
    assert "Difference 66.7 percentage points (95% confidence interval" in text
    assert "−13.5 to 93.9): the interval contains 0, so this difference may be chance" in text
    assert "Newcombe" in text  # how the interval is computed
    # The events of the year, on the day and after three months; not last year's.
    assert "Banenfestival Assen" in text
    assert "Voorlichting 2024" not in text
    assert "Result after three months" in text  # the definition
    festival = text[text.index("Banenfestival Assen Result") :]
    assert "Paid work 1 1" in festival  # on the day, after three months
    assert "Work-and-learn place 0 1" in festival
    assert "Not followed up yet 1" in festival


def test_the_xlsx_holds_projects_and_events_as_numbers(programmes):
    with translation.override("en"):
        built = report.build(Period.year(2025), today=D(2026, 6, 1))
        book = openpyxl.load_workbook(io.BytesIO(output.as_xlsx(built)))
    rows = list(book["Projects"].iter_rows(values_only=True))
    labels = {row[0]: row[1:] for row in rows if row[0]}
    assert labels["Members counted (admitted, also those who left later)"][0] == 5
    assert labels["To work"][0] == 2
    pair = labels["40-60 met instrumenten against 40-60 zonder instrumenten"]
    assert pair[0] == pytest.approx(200 / 3)  # 2/3 - 0/2 in percentage points
    assert pair[1] < pair[0] < pair[2]  # the 95% interval around it
    events = {row[0]: row for row in book["Events"].iter_rows(values_only=True) if row[0]}
    festival = events["Banenfestival Assen"]
    header = events["Event"]
    assert festival[header.index("Participants")] == 3
    assert festival[header.index("On the day: Paid work")] == 1
    assert festival[header.index("Followed up")] == 2
    assert festival[header.index("After three months: Work-and-learn place")] == 1


def test_a_chart_is_drawn_once_per_set_of_figures(programmes, monkeypatch, settings):
    from core import charts

    # A cache of this process only: a shared Redis may be emptied by another test run.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    drawn = []  # figures matplotlib was asked to draw
    original = charts.plt.subplots
    monkeypatch.setattr(
        charts.plt, "subplots", lambda *a, **k: drawn.append(1) or original(*a, **k)
    )
    report.build(Period.year(2025), today=D(2026, 6, 1))
    first = len(drawn)
    report.build(Period.year(2025), today=D(2026, 6, 1))
    assert first >= 1 and len(drawn) == first  # every chart came from the cache
