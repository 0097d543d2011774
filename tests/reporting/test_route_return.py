"""The return of route werknemer (reporting.route_return) with numbers worked out by hand."""

import datetime
import io
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from clients.models import CoachChangeReason, CoachPeriod, TargetGroup
from households.models import HouseholdMember, Relation
from reporting import output, report, route_return
from reporting.kpis import Period
from reporting.models import CostParameter, CostParameterKind, ReportRun, RunKind
from tests.factories import ClientFactory, UserFactory
from trajectories.models import Outcome, Route, Trajectory

D = datetime.date
K = CostParameterKind
FIRST_JANUARY = D(2025, 1, 1)


@pytest.fixture(autouse=True)
def english():
    """The labels as written in the code (their Dutch is the .po file's business)."""
    with translation.override("en"):
        yield


def parameter(kind, amount, valid_from=FIRST_JANUARY):
    return CostParameter.objects.create(kind=kind, amount=Decimal(amount), valid_from=valid_from)


def trajectory(client, start, end=None, outcome="", route=Route.EMPLOYEE):
    return Trajectory.objects.create(
        client=client,
        route=Route.objects.get(code=route),
        start_date=start,
        end_date=end,
        outcome=outcome,
    )


def on_caseload_of(coach, *, on_route: bool):
    """A client coached by `coach` on 1 July 2025, with a route werknemer trajectory then or
    with a trajectory on another route."""
    client = ClientFactory(coach=coach)
    CoachPeriod.objects.create(
        client=client,
        coach=coach,
        started_on=D(2025, 1, 6),
        reason=CoachChangeReason.REGISTRATION,
    )
    trajectory(client, D(2025, 2, 1), route=Route.EMPLOYEE if on_route else "participation")
    return client


def leaver(outflow, *, household=None, target_group=TargetGroup.SOCIAL_ASSISTANCE, **kw):
    client = ClientFactory(target_group=target_group)
    trajectory(client, D(2024, 3, 1), outflow, kw.get("outcome", Outcome.WORK))
    if household == "partner":
        HouseholdMember.objects.create(client=client, relation=Relation.PARTNER, last_name="Bos")
    elif household == "child":
        HouseholdMember.objects.create(
            client=client, relation=Relation.CHILD, last_name="Bos", birth_date=D(2015, 5, 1)
        )
    return client


def worked_example_data(skip=()):
    """Two coaches, three clients leaving the benefit for work, and the parameters.

    Coach FTE on 1 July 2025 (full time 36 hours):
      coach of 36 hours, 2 of 4 clients on the route: 36/36 x 2/4 = 0.5
      coach of 18 hours, 2 of 2 clients on the route: 18/36 x 2/2 = 0.5   -> 1.00 FTE
    Costs: 1.00 x 70,000 + 50,000 = 120,000.

    Leavers (days from the outflow up to and including 31 December, months of 30.4375 days):
      1 April, single, 1,300:          275 days; 1,300 x 275 / 30.4375 = 11,745.38
      1 July, single parent, 1,700:    184 days; 1,700 x 184 / 30.4375 = 10,276.80
      1 October, couple, 1,900:         92 days; 1,900 x  92 / 30.4375 =  5,742.92
      up to 31 December: 551 days = 18.1 months; 27,765.09 -> 27,765
      over twelve months: 36 months; 12 x (1,300 + 1,700 + 1,900) = 58,800
    Balance: 27,765 - 120,000 = -92,235; 58,800 - 120,000 = -61,200.
    """
    full, part = UserFactory(casework_hours=36), UserFactory(casework_hours=18)
    for on_route in (True, True, False, False):
        on_caseload_of(full, on_route=on_route)
    for _ in range(2):
        on_caseload_of(part, on_route=True)
    for kind, amount in (
        (K.STAFF_COST_PER_FTE, 70000),
        (K.INTEGRATION_BUDGET, 50000),
        (K.BENEFIT_SINGLE, 1300),
        (K.BENEFIT_SINGLE_PARENT, 1700),
        (K.BENEFIT_COUPLE, 1900),
    ):
        if kind not in skip:
            parameter(kind, amount)
    leaver(D(2025, 4, 1))
    leaver(D(2025, 7, 1), household="child")
    leaver(D(2025, 10, 1), household="partner")
    # Not counted: Wajong (UWV pays it), an end with education, another route, another year.
    leaver(D(2025, 5, 1), target_group=TargetGroup.WAJONG)
    leaver(D(2025, 5, 1), outcome=Outcome.EDUCATION)
    other = ClientFactory()
    trajectory(other, D(2024, 1, 1), D(2025, 5, 1), Outcome.WORK, route="participation")
    leaver(D(2024, 12, 31))


@pytest.fixture
def worked_example(db):
    worked_example_data()


def test_the_return_of_a_year_as_worked_out_by_hand(worked_example, settings):
    settings.CASELOAD_FULL_TIME_HOURS = 36
    result = route_return.compute(2025)
    assert result.coaches == 2
    assert result.fte == Decimal("1.00")
    assert result.staff_cost == 70000
    assert result.integration_budget == 50000
    assert result.costs == 120000
    assert result.leavers == {"single": 1, "single_parent": 1, "couple": 1}
    assert result.months_to_year_end == Decimal("18.1")
    assert result.months_twelve == 36
    assert result.savings_to_year_end == 27765
    assert result.savings_twelve == 58800
    assert result.balance_to_year_end == -92235
    assert result.balance_twelve == -61200
    assert result.missing == []
    assert {(p.label, p.amount) for p in result.parameters} == {
        ("Staff cost per coach FTE per year", Decimal("70000.00")),
        ("Integration budget spent per year", Decimal("50000.00")),
        ("Average benefit per month: single", Decimal("1300.00")),
        ("Average benefit per month: single parent", Decimal("1700.00")),
        ("Average benefit per month: married or cohabiting", Decimal("1900.00")),
    }
    shown = {line.label: line.shown for line in result.lines}
    assert shown["Balance up to 31 December"] == "€ -92,235"
    assert shown["Coach FTE on route werknemer"] == "1.00"


def test_the_value_in_force_is_the_latest_valid_from_and_a_correction_wins(worked_example):
    # From 1 July a couple's benefit is 2,000, corrected to 2,100 the same day.
    parameter(K.BENEFIT_COUPLE, 2000, D(2025, 7, 1))
    parameter(K.BENEFIT_COUPLE, 2100, D(2025, 7, 1))  # a correction of the same date
    result = route_return.compute(2025)
    # The couple left on 1 October: 2,100 instead of 1,900, twelve months: +2,400.
    assert result.savings_twelve == 58800 + 12 * 200
    assert ("Average benefit per month: married or cohabiting", Decimal("1900.00")) not in {
        (p.label, p.amount) for p in result.parameters
    }


def test_a_missing_parameter_gives_a_note_not_a_wrong_figure(worked_example):
    CostParameter.objects.filter(kind=K.BENEFIT_SINGLE_PARENT).delete()
    parameter(K.BENEFIT_SINGLE_PARENT, 1700, D(2025, 8, 1))  # too late for the 1 July leaver
    result = route_return.compute(2025)
    assert result.savings_to_year_end is None
    assert result.balance_twelve is None
    assert result.costs == 120000
    assert result.missing == [
        "No value for “Average benefit per month: single parent” valid on 01-07-2025; a "
        "functional administrator fills it in under Administration > Cost parameters."
    ]


def test_without_staff_cost_the_costs_are_not_shown(worked_example):
    CostParameter.objects.filter(kind=K.STAFF_COST_PER_FTE).delete()
    result = route_return.compute(2025)
    assert result.staff_cost is None and result.costs is None
    assert result.savings_twelve == 58800
    assert "Staff cost per coach FTE per year" in result.missing[0]


def test_the_queries_do_not_grow_with_the_clients(worked_example, django_assert_num_queries):
    with django_assert_num_queries(5):
        route_return.compute(2025)
    for month in (2, 3, 5, 6):
        leaver(D(2025, month, 1), household="partner")
    with django_assert_num_queries(5):
        route_return.compute(2025)


# --- In the dashboard, the PDF and the xlsx ----------------------------------------------------


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_the_annual_pdf_holds_the_return_with_its_parameters(worked_example):
    built = report.build(Period.year(2025), today=D(2026, 6, 1), with_projects=False)
    run = ReportRun(kind=RunKind.YEAR, period_start=D(2025, 1, 1), period_end=D(2025, 12, 31))
    text = _pdf_text(output.as_pdf(built, run))
    assert str(route_return.TITLE) in text
    assert "€ 120,000" in text  # the costs (in the language of the test: English)
    assert "€ 27,765" in text and "€ 58,800" in text
    assert "€ -92,235" in text and "€ -61,200" in text
    assert "Staff cost per coach FTE per year" in text and "€ 70,000.00" in text
    assert "Average benefit per month: single parent" in text and "€ 1,700.00" in text
    assert "01-01-2025" in text
    assert "30.4375" in text  # the definition


def test_a_quarter_has_no_return_but_says_why(worked_example):
    built = report.build(Period(D(2025, 1, 1), D(2025, 3, 31)), with_projects=False)
    assert built.route_return is None
    text = _pdf_text(output.as_pdf(built))
    assert "computed for a calendar year" in " ".join(text.split())


def test_the_xlsx_has_the_return_as_numbers(worked_example):
    built = report.build(Period.year(2025), today=D(2026, 6, 1), with_projects=False)
    book = openpyxl.load_workbook(io.BytesIO(output.as_xlsx(built)))
    sheet = book["Return of the route"]
    figures = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert figures["Costs"] == 120000
    assert figures["Benefits saved up to 31 December"] == 27765
    assert figures["Balance over twelve months"] == -61200
    assert figures["Coach FTE on route werknemer"] == 1
    assert figures["Staff cost per coach FTE per year"] == datetime.datetime(2025, 1, 1)


def test_the_dashboard_shows_the_return_and_a_missing_parameter(worked_example, client, manager):
    CostParameter.objects.filter(kind=K.BENEFIT_COUPLE).delete()
    client.force_login(manager)
    with translation.override("en"):
        page = client.get(reverse("reporting:dashboard"), {"year": 2025}, HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert 'id="route_return"' in text
    assert "01-10-2025" in text  # the couple's outflow date in the note
    # A manager gets the note, not the link to the administrator's page.
    assert reverse("reporting:cost_parameters") not in text


def test_the_kpis_document_stays_as_the_spec_says(worked_example):
    from reporting import kpis

    assert "route_return" not in kpis.compute(Period.year(2025))
