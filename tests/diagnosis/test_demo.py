"""The demo shows what referrals to diagnosis are for: open ones of different ages (one past
the signal) on the diagnosis consultant's start page, answered ones with their intake, and a
practical assessment planned and one evaluated."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from clients.models import Client
from core.models import User
from diagnosis.models import AssessmentStatus, PracticalAssessment, Referral, ReferralStatus

pytestmark = pytest.mark.django_db


@override_settings(DIAGNOSIS_REFERRAL_SIGNAL_DAYS=10)
def test_the_demo_has_open_and_answered_referrals_and_assessments():
    call_command("seed_demo", clients=60, seed=1, allow_without_debug=True, verbosity=0)
    today = timezone.localdate()
    consultant = User.objects.get(username="diagnose")
    open_ones = Referral.objects.open().to_teams_of(consultant).oldest_first()
    # Waiting signal + 5, signal // 2 and 2 days (diagnosis/demo.py): only the first is past it.
    assert [r.days_waiting(today) for r in open_ones] == [15, 5, 2]
    assert [r.is_overdue(today) for r in open_ones] == [True, False, False]
    answered = Referral.objects.filter(status=ReferralStatus.ANSWERED)
    assert answered.count() == 2
    assert all(r.answered_by_intake.consultant == consultant for r in answered)
    assert sorted(PracticalAssessment.objects.values_list("status", flat=True)) == [
        AssessmentStatus.EVALUATED,
        AssessmentStatus.PLANNED,
    ]
    # The consultant may open every referred client.
    referred = Referral.objects.values("client")
    assert Client.objects.for_user(consultant).filter(pk__in=referred).count() == 5
