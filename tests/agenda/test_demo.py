import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from agenda.models import Appointment, AppointmentStatus
from agenda.no_shows import twice_in_a_row
from clients.models import Client
from core import roles
from core.demo import DEMO_USERS, MAIN_COACH, TEAM_ASSEN
from core.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    call_command("seed_demo", clients=120, seed=1, allow_without_debug=True, stdout=io.StringIO())


def test_every_demo_coach_with_clients_has_appointments_in_the_coming_weeks(seeded):
    now = timezone.now()
    coaches = [u.username for u in DEMO_USERS if u.role == roles.WORK_COACH]
    with_clients = set(
        Client.objects.filter(coach__username__in=coaches, deregistered_on__isnull=True)
        .values_list("coach__username", flat=True)
        .distinct()
    )
    planned = set(
        Appointment.objects.filter(starts_at__gt=now, status=AppointmentStatus.PLANNED)
        .values_list("coach__username", flat=True)
        .distinct()
    )
    assert with_clients and with_clients <= planned


def test_demo_appointments_never_clash_and_held_ones_are_contacts(seeded):
    for appointment in Appointment.objects.not_cancelled():
        assert not Appointment.objects.clashing(
            coach=appointment.coach_id,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            exclude_pk=appointment.pk,
        ).exists()
    held = Appointment.objects.filter(status=AppointmentStatus.HELD)
    assert held.exists() and not held.filter(contact__isnull=True).exists()
    assert Appointment.objects.filter(status=AppointmentStatus.NO_SHOW).exists()


def test_the_main_coach_has_a_client_who_did_not_come_twice_in_a_row(seeded):
    coach = User.objects.get(username=MAIN_COACH)
    assert twice_in_a_row(Client.objects.filter(coach=coach)).exists()


def test_the_demo_manager_leads_team_assen(seeded):
    manager = next(u for u in DEMO_USERS if u.role == roles.MANAGER)
    assert User.objects.get(username=manager.username).teams.filter(name=TEAM_ASSEN).exists()
