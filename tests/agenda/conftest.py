import datetime

import pytest
from django.utils import timezone

from agenda import services


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


@pytest.fixture
def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def plan(coach, client_of_coach):
    """Plan an appointment of the coach with Fatima El Amrani (45 minutes unless told)."""

    def do(starts_at, duration=45, client=None, **fields):
        return services.appointment_plan(
            actor=coach,
            client=client or client_of_coach,
            starts_at=starts_at,
            duration_minutes=duration,
            kind=fields.pop("kind", "progress"),
            channel=fields.pop("channel", "in_person"),
            **fields,
        )

    return do


def planned_in_the_past(client, coach, starts_at, duration=45, status="planned"):
    """An appointment that began already (planning refuses the past, so written directly)."""
    from agenda.models import Appointment

    return Appointment.objects.create(
        client=client,
        coach=coach,
        starts_at=starts_at,
        duration_minutes=duration,
        kind="progress",
        channel="phone",
        status=status,
    )


@pytest.fixture
def client_of_coach(client_of_coach):
    """Fatima El Amrani with an address, so a letter about an appointment can go by post."""
    client_of_coach.address = "Kerkstraat 1"
    client_of_coach.save()
    return client_of_coach
