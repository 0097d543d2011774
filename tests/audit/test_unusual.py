"""The weekly report of unusual access, on a hand-built access log.

The week under report is Monday 9 November 2026 up to Monday 16 November 00:00 (Amsterdam);
the baseline is the 8 weeks before it: 14 September 00:00 up to 9 November 00:00.
"""

import datetime
from decimal import Decimal

import pytest

from audit.models import AccessReport
from privacy import unusual
from privacy.tasks import unusual_access_report
from tests.audit.helpers import local, log
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

WEEK = datetime.date(2026, 11, 9)
IN_WEEK = local(2026, 11, 11, 10, 0)
IN_BASELINE = local(2026, 10, 1, 10, 0)


@pytest.fixture
def staff(make_user, team):
    names = ["anna", "bram", "carla", "dirk", "eva", "frank"]
    return {
        n: make_user(n, "work_coach", teams=[team], first_name=n.title(), last_name="Smit")
        for n in names
    }


def test_a_user_reading_far_more_than_usual_is_flagged(staff):
    s = staff
    # anna: 16 reads in the baseline = 2 a week; 21 this week > 3 x 2 and >= 20: flagged.
    log(s["anna"], IN_BASELINE, 16)
    log(s["anna"], IN_WEEK, 21)
    log(s["anna"], local(2026, 9, 13, 23, 30))  # before the baseline: would make 17 / 8
    log(s["anna"], local(2026, 11, 16, 0, 0))  # next week already: would make 22
    log(s["anna"], IN_WEEK, result="denied")  # denied is no read
    log(s["anna"], IN_WEEK, kind="full_bsn")  # a BSN shown is no dossier read
    # bram: 80 = 10 a week; 25 is not above 30.
    log(s["bram"], IN_BASELINE, 80)
    log(s["bram"], IN_WEEK, 25)
    # carla: new, 19 this week: below the minimum of 20.
    log(s["carla"], IN_WEEK, 19)
    # dirk: new, 20 this week: at the minimum, and anything is above 3 x 0.
    log(s["dirk"], IN_WEEK, 20)
    # eva: 56 = 7 a week; 21 is exactly 3 x 7, not above it.
    log(s["eva"], IN_BASELINE, 56)
    log(s["eva"], IN_WEEK, 21)

    found = unusual.unusual_volume(week_start=WEEK, factor=Decimal("3"), minimum=20)

    assert found == [
        {
            "user_id": s["anna"].pk,
            "username": "anna",
            "name": "Anna Smit",
            "reads": 21,
            "baseline_reads": 16,
            "weekly_average": 2.0,
        },
        {
            "user_id": s["dirk"].pk,
            "username": "dirk",
            "name": "Dirk Smit",
            "reads": 20,
            "baseline_reads": 0,
            "weekly_average": 0.0,
        },
    ]


def test_factor_and_minimum_are_parameters(staff):
    log(staff["bram"], IN_BASELINE, 80)
    log(staff["bram"], IN_WEEK, 25)
    # 25 > 2 x 10 and >= 25
    found = unusual.unusual_volume(week_start=WEEK, factor=Decimal("2"), minimum=25)
    assert [row["username"] for row in found] == ["bram"]
    assert unusual.unusual_volume(week_start=WEEK, factor=Decimal("2"), minimum=26) == []


def test_users_with_denied_accesses_are_listed(staff):
    s = staff
    log(s["frank"], IN_WEEK, 2, object_id=5, result="denied")
    log(s["frank"], IN_WEEK, object_id=6, result="denied", kind="full_bsn")
    log(s["frank"], local(2026, 11, 8, 23, 0), object_id=7, result="denied")  # last week
    log(s["anna"], IN_WEEK, object_id=5, result="denied")
    log(s["bram"], IN_WEEK, 3, object_id=5)  # granted

    found = unusual.denied_accesses(week_start=WEEK)

    assert found == [
        {
            "user_id": s["frank"].pk,
            "username": "frank",
            "name": "Frank Smit",
            "denied": 3,
            "objects": 2,
        },
        {
            "user_id": s["anna"].pk,
            "username": "anna",
            "name": "Anna Smit",
            "denied": 1,
            "objects": 1,
        },
    ]


def test_reads_outside_caseload_and_teams_are_listed(make_user, team, other_team):
    anna = make_user("anna", "work_coach", teams=[team], first_name="Anna", last_name="Smit")
    bram = make_user("bram", "work_coach", first_name="Bram", last_name="Smit")  # no team
    of_team = ClientFactory(team=team)
    caseload_elsewhere = ClientFactory(team=other_team, coach=anna)
    stranger = ClientFactory(team=other_team)
    log(anna, IN_WEEK, object_id=of_team.pk)  # own team
    log(anna, IN_WEEK, object_id=caseload_elsewhere.pk)  # own caseload
    log(anna, IN_WEEK, 2, object_id=stranger.pk)  # outside: 2 reads of 1 client
    log(anna, IN_WEEK, object_id=9000001)  # no such client (any more): not counted
    log(bram, IN_WEEK, object_id=of_team.pk, kind="full_bsn")  # outside
    log(bram, IN_WEEK, object_id=stranger.pk)  # outside
    log(bram, IN_WEEK, object_id=stranger.pk, result="denied")  # refused, so not read
    log(bram, local(2026, 11, 2, 9, 0), object_id=stranger.pk)  # last week

    found = unusual.outside_scope_reads(week_start=WEEK)

    assert found == [
        {"user_id": anna.pk, "username": "anna", "name": "Anna Smit", "reads": 2, "clients": 1},
        {"user_id": bram.pk, "username": "bram", "name": "Bram Smit", "reads": 2, "clients": 2},
    ]


def test_last_week_starts_on_the_monday_before_this_week():
    assert unusual.last_week_start(datetime.date(2026, 11, 16)) == WEEK  # a Monday
    assert unusual.last_week_start(datetime.date(2026, 11, 22)) == WEEK  # a Sunday


def test_the_task_stores_one_report_per_week_even_when_run_twice(staff, settings):
    settings.AUDIT_UNUSUAL_READS_FACTOR = 3.0
    settings.AUDIT_UNUSUAL_READS_MINIMUM = 20
    log(staff["dirk"], IN_WEEK, 20)
    log(staff["frank"], IN_WEEK, object_id=5, result="denied")

    first = unusual_access_report("2026-11-09")
    second = unusual_access_report("2026-11-09")

    assert first == second
    report = AccessReport.objects.get()
    assert report.week_start == WEEK
    assert (report.factor, report.minimum_reads) == (Decimal("3.00"), 20)
    assert [row["username"] for row in report.findings["unusual_volume"]] == ["dirk"]
    assert [row["username"] for row in report.findings["denied"]] == ["frank"]
    assert report.findings["outside_scope"] == []
    assert report.finding_count == 2


def test_the_task_reports_last_week_by_default(staff, settings):
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 11, 18)):
        unusual_access_report()
    assert AccessReport.objects.get().week_start == WEEK


def test_the_report_runs_weekly_by_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["unusual-access-report"]
    assert entry["task"] == "privacy.tasks.unusual_access_report"
    assert entry["schedule"].day_of_week == {1}  # Monday
