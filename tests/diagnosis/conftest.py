import datetime

import pytest
from django.utils import timezone

from core import roles
from diagnosis import services
from diagnosis.models import Referral, ReferralStatus
from tests.factories import TeamFactory


@pytest.fixture
def diagnosis_team(db):
    return TeamFactory(name="Diagnoseteam")


@pytest.fixture
def consultant(make_user, diagnosis_team):
    """Ingrid Hoekstra, diagnosis consultant in the diagnosis team only: she sees the coach's
    clients only through a referral."""
    return make_user(
        "ingrid",
        roles.DIAGNOSIS_CONSULTANT,
        teams=[diagnosis_team],
        first_name="Ingrid",
        last_name="Hoekstra",
    )


@pytest.fixture
def consultant_client(consultant):
    """A browser of its own, logged in as the diagnosis consultant (beside `coach_client`)."""
    from tests.conftest import BrowserLikeClient

    browser = BrowserLikeClient()
    browser.force_login(consultant)
    return browser


@pytest.fixture
def refer(coach, diagnosis_team, consultant):
    """Refer a client of the coach to the diagnosis team."""

    def do(client, question="Hoeveel uur per dag kan zij werken?", **fields):
        return services.referral_make(
            actor=coach, client=client, team=diagnosis_team, question=question, **fields
        )

    return do


def intake_by(actor, client, **fields):
    """Record a diagnosis intake through the service the intake page calls."""
    from clients.services import intake_record

    return intake_record(
        actor=actor,
        client=client,
        held_on=fields.pop("held_on", timezone.localdate()),
        ladder_step=fields.pop("ladder_step", 3),
        advised_route=fields.pop("advised_route", "employee"),
        work_estimate=fields.pop("work_estimate", "within_two_years"),
        **fields,
    )


def referral_row(client, team, *, days_ago=0, status=ReferralStatus.OPEN, **fields):
    """A referral written directly, made `days_ago` days ago (the service makes it now)."""
    return Referral.objects.create(
        client=client,
        team=team,
        question=fields.pop("question", "Welk werk past?"),
        referred_at=timezone.now() - datetime.timedelta(days=days_ago),
        status=status,
        answered_at=timezone.now() if status == ReferralStatus.ANSWERED else None,
        **fields,
    )
