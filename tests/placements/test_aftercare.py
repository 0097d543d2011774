"""Aftercare: what is due for the coach, and the daily job that turns it into follow-ups; the job
runs on a real Celery worker twice on one day and creates nothing the second time."""

import datetime

import pytest
from django.utils import timezone

from clients.models import Client
from placements import aftercare
from placements.models import Contract, Decision, FollowUp, FollowUpKind
from placements.tasks import aftercare_follow_ups
from tests.core.test_worker import worker  # noqa: F401 (the real-worker fixture)
from tests.placements.factories import PlacementFactory, ProvisionFactory

TODAY = datetime.date(2026, 11, 23)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def eight_weeks(settings):
    settings.AFTERCARE_CONTRACT_END_WEEKS = 8


@pytest.mark.django_db
def test_a_temporary_contract_is_due_within_the_look_ahead_only(client_of_coach):
    inside = PlacementFactory(client=client_of_coach, contract_end_date=TODAY + 56 * DAY)
    PlacementFactory(client=client_of_coach, contract_end_date=TODAY + 57 * DAY)  # too far
    PlacementFactory(client=client_of_coach, contract_end_date=TODAY - DAY)  # already over
    PlacementFactory(  # ended early: nothing to follow up
        client=client_of_coach, contract_end_date=TODAY + 10 * DAY, end_date=TODAY - 5 * DAY
    )
    PlacementFactory(client=client_of_coach, contract=Contract.PERMANENT, contract_end_date=None)
    clients = Client.objects.filter(pk=client_of_coach.pk)
    assert list(aftercare.contracts_ending(clients, TODAY)) == [inside]


@pytest.mark.django_db
def test_retention_checks_fall_6_and_12_months_after_the_start(client_of_coach):
    # Started 31 May 2026: six months later is 30 November (no 31st), within the look-ahead.
    six = PlacementFactory(
        client=client_of_coach, start_date=datetime.date(2026, 5, 31), contract_end_date=None
    )
    # Started 1 December 2025: twelve months later is 1 December 2026.
    twelve = PlacementFactory(
        client=client_of_coach, start_date=datetime.date(2025, 12, 1), contract_end_date=None
    )
    # Ended before its six-month date: no check.
    PlacementFactory(
        client=client_of_coach,
        start_date=datetime.date(2026, 6, 1),
        end_date=datetime.date(2026, 9, 1),
        contract_end_date=None,
    )
    items = aftercare.retention_checks(Client.objects.all(), TODAY)
    assert {(i.kind, i.placement, i.due_on) for i in items} == {
        (FollowUpKind.RETENTION_6_MONTHS, six, datetime.date(2026, 11, 30)),
        (FollowUpKind.RETENTION_12_MONTHS, twelve, datetime.date(2026, 12, 1)),
        # the 6-month check of `twelve` (1 June 2026) is long past the overdue window
    }


@pytest.mark.django_db
def test_granted_running_provisions_are_due_for_reassessment(client_of_coach):
    due = ProvisionFactory(
        client=client_of_coach,
        placement=None,
        decision=Decision.GRANTED,
        decided_on=TODAY - 100 * DAY,
        reassess_on=TODAY + 14 * DAY,
    )
    ProvisionFactory(client=client_of_coach, placement=None, reassess_on=TODAY)  # pending
    ProvisionFactory(  # ended
        client=client_of_coach,
        placement=None,
        decision=Decision.GRANTED,
        decided_on=TODAY - 100 * DAY,
        start_date=TODAY - 90 * DAY,
        end_date=TODAY - DAY,
        reassess_on=TODAY,
    )
    assert list(aftercare.reassessments_due(Client.objects.all(), TODAY)) == [due]


@pytest.mark.django_db
def test_follow_ups_go_to_the_coach_and_a_second_run_creates_nothing(client_of_coach, coach):
    PlacementFactory(client=client_of_coach, contract_end_date=TODAY + 20 * DAY)
    assert aftercare.follow_ups_create(TODAY) == 1
    assert aftercare.follow_ups_create(TODAY) == 0
    follow_up = FollowUp.objects.get()
    assert follow_up.assigned_to == coach
    assert follow_up.kind == FollowUpKind.CONTRACT_END
    assert follow_up.due_on == TODAY + 20 * DAY


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_runs_twice_on_a_real_worker_and_creates_each_follow_up_once(
    worker,  # noqa: F811
    client_of_coach,
    coach,
):
    today = timezone.localdate()
    PlacementFactory(
        client=client_of_coach,
        start_date=today - datetime.timedelta(days=300),
        contract_end_date=today + datetime.timedelta(days=20),
    )
    ProvisionFactory(
        client=client_of_coach,
        placement=None,
        decision=Decision.GRANTED,
        decided_on=today - datetime.timedelta(days=200),
        requested_on=today - datetime.timedelta(days=200),
        reassess_on=today + datetime.timedelta(days=7),
    )
    try:
        first = aftercare_follow_ups.delay().get(timeout=90)
        second = aftercare_follow_ups.delay().get(timeout=90)
    except Exception:
        worker.terminate()
        print(worker.communicate(timeout=20)[0])
        raise
    assert (first, second) == (2, 0)
    assert FollowUp.objects.filter(assigned_to=coach).count() == 2
    assert set(FollowUp.objects.values_list("kind", flat=True)) == {
        FollowUpKind.CONTRACT_END,
        FollowUpKind.REASSESSMENT,
    }
