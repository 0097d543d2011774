"""Every KPI of spec/kpis.md on a hand-built dataset, with the expected figures written out."""

import datetime
import json
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import Channel, DeregistrationReason, TargetGroup
from reporting import kpis
from reporting.kpis import Period
from reporting.units import (
    base,
    contact_coverage,
    flows,
    provisions,
    sheltered_work,
    social_return,
    status_holders,
    two_year_outflow,
    wage_value,
)
from tests.factories import ClientFactory, ContactFactory, MunicipalityFactory
from trajectories import deadline
from trajectories.deadline import Deadline
from trajectories.models import Outcome, Route, Trajectory

D = datetime.date
YEAR_2026 = Period.year(2026)


@pytest.fixture
def routes(db):
    from trajectories import reference

    reference.load()
    return {route.code: route for route in Route.objects.all()}


def trajectory(routes, start, end=None, outcome="", route="employee"):
    return Trajectory.objects.create(
        client=ClientFactory(),
        route=routes[route],
        start_date=start,
        end_date=end,
        outcome=outcome,
    )


# --- rounding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(13, 8), 2, 1.63),  # the spec's example: 1.625 rounds up
        (Fraction(6415, 100), 1, 64.2),  # a mean of exactly 64.15
        (Fraction(1, 3), 4, 0.3333),
        (Fraction(2, 3), 4, 0.6667),
        (Fraction(1, 8), 2, 0.13),  # binary floating point would give 0.12
        (Fraction(-1, 8), 2, -0.13),  # away from zero
        (Fraction(1), 4, 1.0),
    ],
)
def test_rounding_is_exact_and_half_away_from_zero(value, places, expected):
    assert base.rounded(value, places) == expected


def test_a_rate_without_a_denominator_is_null():
    assert base.rate(0, 0) is None


# --- two_year_outflow -----------------------------------------------------------------------


def test_the_deadline_bounds_map_29_february_both_ways():
    # A 29 February start ends on 28 February; nothing ends on a 29 February two years on.
    assert deadline.latest_start(D(2026, 2, 28)) == D(2024, 2, 29)
    assert deadline.earliest_start(D(2026, 2, 28)) == D(2024, 2, 28)
    assert deadline.earliest_start(D(2028, 2, 29)) == D(2026, 3, 1)
    assert deadline.latest_start(D(2028, 2, 29)) == D(2026, 2, 28)


def test_the_database_deadline_equals_the_python_one(routes):
    starts = [D(2024, 2, 29), D(2024, 2, 28), D(2024, 3, 1), D(2023, 12, 31), D(2025, 1, 1)]
    for start in starts:
        trajectory(routes, start)
    rows = Trajectory.objects.annotate(deadline_in_sql=Deadline("start_date"))
    assert {t.start_date: t.deadline_in_sql for t in rows} == {
        t.start_date: t.deadline for t in rows
    }
    assert {t.start_date: t.deadline_in_sql for t in rows}[D(2024, 2, 29)] == D(2026, 2, 28)


def test_two_year_outflow_counts_the_cohort_whose_deadline_falls_in_the_period(routes, settings):
    settings.KPI_TWO_YEAR_OUTFLOW_TARGET = 0.8
    # In the cohort of 2026 (deadlines in 2026, so starts in 2024, 29 February included):
    trajectory(routes, D(2024, 2, 29), D(2026, 2, 28), Outcome.WORK)  # work exactly on deadline
    trajectory(routes, D(2024, 3, 1), D(2026, 3, 2), Outcome.WORK)  # work a day too late
    trajectory(routes, D(2024, 5, 1), D(2025, 6, 1), Outcome.MOVED)  # excluded
    trajectory(routes, D(2024, 6, 1), D(2026, 7, 1), Outcome.MOVED)  # moved after the deadline
    trajectory(routes, D(2024, 7, 1))  # still open
    trajectory(routes, D(2024, 8, 1), D(2025, 1, 1), Outcome.WORK_LEARNING)  # not `work`
    trajectory(routes, D(2024, 12, 31), D(2026, 12, 31), Outcome.DECEASED)  # on the deadline
    # Not in the cohort:
    trajectory(routes, D(2023, 12, 31), D(2024, 6, 1), Outcome.WORK)  # deadline 2025-12-31
    trajectory(routes, D(2025, 1, 1), D(2025, 6, 1), Outcome.WORK)  # deadline 2027-01-01
    trajectory(routes, D(2024, 4, 1), D(2025, 1, 1), Outcome.WORK, route="participation")

    assert two_year_outflow.KPI.compute(YEAR_2026).as_json() == {
        "cohort": 7,
        "excluded": 2,
        "denominator": 5,
        "to_work": 1,
        "rate": 0.2,
        "target": 0.8,
    }
    # A period ending on 28 February 2026 holds the 29 February 2024 start.
    assert two_year_outflow.KPI.compute(Period(D(2026, 1, 1), D(2026, 2, 28))).to_work == 1
    assert two_year_outflow.KPI.compute(Period(D(2026, 1, 1), D(2026, 2, 27))).cohort == 0


def test_the_time_to_work_curve_ends_at_the_outflow_rate(routes):
    trajectory(routes, D(2024, 1, 15), D(2024, 3, 10), Outcome.WORK)  # within 2 months
    trajectory(routes, D(2024, 1, 15), D(2024, 3, 16), Outcome.WORK)  # a day into the third
    trajectory(routes, D(2024, 2, 29), D(2026, 2, 28), Outcome.WORK)  # on the deadline
    trajectory(routes, D(2024, 5, 1))

    outflow = two_year_outflow.KPI.compute(YEAR_2026)
    curve = dict(two_year_outflow.time_to_work(YEAR_2026, outflow.denominator))

    assert list(curve) == list(range(25))
    assert (curve[1], curve[2], curve[3], curve[23], curve[24]) == (0.0, 0.25, 0.5, 0.5, 0.75)
    assert curve[24] == outflow.rate


# --- contact_coverage -----------------------------------------------------------------------


def test_contact_coverage_counts_conversations_not_e_mail_of_clients_on_the_last_day(db):
    period = Period(D(2026, 1, 1), D(2026, 4, 30))
    since_2025 = {"registered_on": D(2025, 1, 6)}

    wajong_talked = ClientFactory(target_group=TargetGroup.WAJONG, **since_2025)
    ContactFactory(client=wajong_talked, date=D(2026, 1, 10), channel=Channel.PHONE)
    ContactFactory(client=wajong_talked, date=D(2026, 2, 1), channel=Channel.EMAIL)
    ContactFactory(client=wajong_talked, date=D(2026, 4, 30), channel=Channel.IN_PERSON)

    wajong_mailed = ClientFactory(target_group=TargetGroup.WAJONG, **since_2025)
    ContactFactory(client=wajong_mailed, date=D(2026, 3, 1), channel=Channel.EMAIL)
    ContactFactory(client=wajong_mailed, date=D(2025, 12, 31), channel=Channel.PHONE)

    assisted = ClientFactory(target_group=TargetGroup.SOCIAL_ASSISTANCE, **since_2025)
    ContactFactory(client=assisted, date=D(2026, 1, 1), channel=Channel.VIDEO)

    left_on_last_day = ClientFactory(
        target_group=TargetGroup.SOCIAL_ASSISTANCE,
        deregistered_on=D(2026, 4, 30),
        deregistration_reason=DeregistrationReason.WORK,
        **since_2025,
    )
    ContactFactory(client=left_on_last_day, date=D(2026, 2, 2), channel=Channel.PHONE)

    ClientFactory(target_group=TargetGroup.STATUS_HOLDER, registered_on=D(2026, 5, 1))
    holder = ClientFactory(
        target_group=TargetGroup.STATUS_HOLDER,
        deregistered_on=D(2026, 5, 1),
        deregistration_reason=DeregistrationReason.MOVED,
        **since_2025,
    )
    ContactFactory(client=holder, date=D(2026, 3, 1), channel=Channel.HOME_VISIT)
    ContactFactory(client=holder, date=D(2026, 3, 8), channel=Channel.HOME_VISIT)
    ContactFactory(client=holder, date=D(2026, 3, 9), channel=Channel.LETTER)

    coverage = contact_coverage.KPI.compute(period).as_json()

    assert set(coverage) == {"all", *TargetGroup.values}
    assert coverage["all"] == {
        "population": 4,
        "contacted": 3,
        "rate": 0.75,
        "conversations_per_contacted": 1.67,  # 5 conversations / 3
    }
    assert coverage["wajong"] == {
        "population": 2,
        "contacted": 1,
        "rate": 0.5,
        "conversations_per_contacted": 2.0,
    }
    assert coverage["social_assistance"]["population"] == 1
    assert coverage["social_assistance"]["conversations_per_contacted"] == 1.0
    assert coverage["status_holder"]["conversations_per_contacted"] == 2.0
    assert coverage["non_benefit"] == {
        "population": 0,
        "contacted": 0,
        "rate": None,
        "conversations_per_contacted": None,
    }


# --- status_holders and flows ---------------------------------------------------------------


@pytest.fixture
def caseload_2026(db):
    assen = MunicipalityFactory(name="Assen")
    tynaarlo = MunicipalityFactory(name="Tynaarlo")
    holder = {"target_group": TargetGroup.STATUS_HOLDER}
    ClientFactory(registered_on=D(2026, 3, 1), municipality=assen, **holder)
    ClientFactory(
        registered_on=D(2024, 5, 1),
        municipality=tynaarlo,
        deregistered_on=D(2026, 6, 1),
        deregistration_reason=DeregistrationReason.WORK,
        **holder,
    )
    ClientFactory(  # leaves on the last day of the period: out, and not active at its end
        registered_on=D(2024, 5, 1),
        municipality=assen,
        deregistered_on=D(2026, 12, 31),
        deregistration_reason=DeregistrationReason.EDUCATION,
        **holder,
    )
    ClientFactory(
        registered_on=D(2025, 2, 1),
        municipality=tynaarlo,
        deregistered_on=D(2027, 1, 5),
        deregistration_reason=DeregistrationReason.MOVED,
        **holder,
    )
    ClientFactory(
        registered_on=D(2025, 2, 1),
        municipality=assen,
        deregistered_on=D(2026, 4, 1),
        deregistration_reason=DeregistrationReason.MOVED,
        **holder,
    )
    ClientFactory(registered_on=D(2026, 2, 1), target_group=TargetGroup.WAJONG)
    ClientFactory(  # left before the period
        registered_on=D(2024, 2, 1),
        deregistered_on=D(2025, 12, 31),
        deregistration_reason=DeregistrationReason.WORK,
    )


def test_status_holders_inflow_active_at_end_per_municipality_and_outflow(caseload_2026):
    assert status_holders.KPI.compute(YEAR_2026).as_json() == {
        "inflow": 1,
        "active_at_end": 2,
        "active_at_end_by_municipality": {"Assen": 1, "Tynaarlo": 1},
        "outflow_education_or_work": 2,
    }


def test_flows_count_in_and_out_with_every_reason(caseload_2026):
    assert flows.KPI.compute(YEAR_2026).as_json() == {
        "inflow": 2,
        "outflow": 3,
        "outflow_by_reason": {
            "work": 1,
            "education": 1,
            "moved": 1,
            "deceased": 0,
            "other_benefit": 0,
            "not_entitled": 0,
            "other": 0,
        },
    }


# --- the document -----------------------------------------------------------------------------


def _document(*args):
    out = StringIO()
    call_command("kpis", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_prints_the_spec_document(caseload_2026):
    document = _document("--from", "2026-01-01", "--to", "2026-12-31")
    assert document["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert list(document) == [  # the spec's keys, in its order
        "period",
        "two_year_outflow",
        "contact_coverage",
        "status_holders",
        "social_return",
        "sheltered_work",
        "wage_value",
        "provisions",
        "flows",
    ]
    assert document["status_holders"]["active_at_end"] == 2
    assert document == json.loads(json.dumps(kpis.compute(YEAR_2026)))


@pytest.mark.parametrize(
    "args",
    [
        ("--from", "2026-02-31", "--to", "2026-12-31"),
        ("--from", "2026-12-31", "--to", "2026-01-01"),
    ],
)
def test_the_command_refuses_an_impossible_period(db, args):
    with pytest.raises(CommandError):
        _document(*args)


def test_the_document_costs_the_same_number_of_queries_for_few_and_many_clients(
    routes, caseload_2026
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            kpis.compute(YEAR_2026)
        return len(captured)

    few = queries()
    for n in range(30):
        client = ClientFactory(target_group=TargetGroup.WAJONG)
        ContactFactory(client=client, date=D(2026, 3, 1))
        trajectory(routes, D(2024, 1, 1) + datetime.timedelta(days=n), D(2026, 1, 1), "work")
        placement(D(2026, 1, 1), kind="sheltered_work", sroi=True)
        assessment(D(2026, 6, 1), n)
    assert queries() == few


# --- placements: social_return, sheltered_work ---------------------------------------------


def placement(start, end=None, kind="regular", sroi=False, municipality="Assen"):
    from employers.models import Employer
    from placements.models import Placement

    employer, _ = Employer.objects.get_or_create(name="Bouwbedrijf Drenthe")
    in_area = municipality != "Groningen"
    client = ClientFactory(
        municipality=MunicipalityFactory(name=municipality, in_service_area=in_area)
    )
    return Placement.objects.create(
        client=client, employer=employer, kind=kind, start_date=start, end_date=end, sroi=sroi
    )


def test_social_return_splits_started_and_continued_by_where_the_client_lives(db):
    placement(D(2026, 3, 1), sroi=True)  # started
    placement(D(2026, 12, 31), D(2026, 12, 31), sroi=True)  # started on the last day
    placement(D(2025, 5, 1), sroi=True, municipality="Groningen")  # continued, from elsewhere
    placement(D(2025, 1, 1), D(2026, 1, 1), sroi=True)  # continued: ended on the first day
    placement(D(2025, 1, 1), D(2025, 12, 31), sroi=True)  # ended before the period
    placement(D(2027, 1, 1), sroi=True)  # starts after it
    placement(D(2026, 2, 1))  # does not count towards Social Return

    assert social_return.KPI.compute(YEAR_2026).as_json() == {
        "started": 2,
        "continued": 2,
        "active": 4,
        "active_service_area": 3,
        "active_elsewhere": 1,
    }


def test_sheltered_work_retention_of_everyone_ever_placed(db):
    placement(D(2020, 1, 1), kind="sheltered_work")  # still employed
    placement(D(2024, 1, 1), D(2026, 12, 31), kind="sheltered_work")  # left on the last day
    placement(D(2025, 1, 1), D(2027, 3, 1), kind="sheltered_work")  # still employed at the end
    placement(D(2027, 1, 1), kind="sheltered_work")  # placed after the period
    placement(D(2021, 1, 1))  # a regular placement

    assert sheltered_work.KPI.compute(YEAR_2026).as_json() == {
        "placed": 3,
        "still_employed": 2,
        "retention": 0.6667,
    }


# --- wage_value, provisions -----------------------------------------------------------------


def assessment(on, percent):
    from placements.models import WageValueAssessment

    return WageValueAssessment.objects.create(
        client=ClientFactory(), assessed_on=on, wage_value_percent=percent
    )


def test_wage_value_bands_take_their_lower_bound_and_not_their_upper(db):
    for percent in ["39.99", "40.00", "59.99", "60.00", "79.99", "80.00", "100.00"]:
        assessment(D(2026, 6, 1), percent)
    assessment(D(2025, 12, 31), "50.00")  # before the period

    assert wage_value.KPI.compute(YEAR_2026).as_json() == {
        "assessments": 7,
        "mean_percent": 65.7,  # 459.97 / 7 = 65.71
        "bands": {"lt40": 1, "40_60": 2, "60_80": 2, "gte80": 2},
    }


def test_the_mean_wage_value_is_exact_and_rounds_half_away_from_zero(db):
    assessment(D(2026, 1, 1), "64.10")
    assessment(D(2026, 12, 31), "64.20")
    assert wage_value.KPI.compute(YEAR_2026).mean_percent == 64.2  # exactly 64.15


def test_no_assessments_gives_no_mean(db):
    assert wage_value.KPI.compute(YEAR_2026).as_json() == {
        "assessments": 0,
        "mean_percent": None,
        "bands": {"lt40": 0, "40_60": 0, "60_80": 0, "gte80": 0},
    }


def test_provisions_count_the_grants_decided_in_the_period_per_kind(db):
    from placements.models import Provision

    def provision(kind, decision, decided_on):
        Provision.objects.create(
            client=ClientFactory(), kind=kind, decision=decision, decided_on=decided_on
        )

    provision("job_coach", "granted", D(2026, 1, 1))
    provision("job_coach", "granted", D(2026, 12, 31))
    provision("job_coach", "granted", D(2025, 12, 31))  # before the period
    provision("wage_dispensation", "granted", D(2026, 5, 5))
    provision("wage_dispensation", "refused", D(2026, 5, 5))
    provision("no_risk_policy", "pending", None)

    assert provisions.KPI.compute(YEAR_2026).as_json() == {
        "wage_cost_subsidy_structural": 0,
        "wage_cost_subsidy_temporary": 0,
        "wage_dispensation": 1,
        "job_coach": 2,
        "no_risk_policy": 0,
        "workplace_adaptation": 0,
    }


def test_the_benchmark_generates_rows_and_agrees_with_its_plain_sql(db):
    """`make bench` must keep working: a small run, with its own consistency check."""
    from core.management.commands.load_reference_data import Command as LoadReferenceData

    LoadReferenceData().handle()
    out = StringIO()
    call_command("bench_kpis", "--clients", "300", "--repeat", "1", "--year", "2024", stdout=out)
    assert "same figures: yes" in out.getvalue()
    assert kpis.compute(Period.year(2024))["contact_coverage"]["all"]["population"] > 0
