import datetime

import pytest
from django.utils import timezone

from agenda.models import Appointment, Participant
from core import gdpr
from privacy.services import client_anonymise
from tests.agenda.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(plan, tomorrow):
    return plan(
        at(tomorrow, 10, 30),
        subject="Schulden bespreken",
        place="Wijkcentrum De Kloosterhof",
        participants=[{"role": "interpreter", "name": "Ahmed Tolk", "contact_person": None}],
    )


def test_the_right_of_access_export_lists_the_clients_appointments(
    appointment, client_of_coach, tomorrow
):
    section = next(s for s in gdpr.sections_for(client_of_coach) if s.key == "appointments")
    assert section.records == [
        {
            "starts_at": f"{tomorrow:%Y-%m-%d} 10:30",
            "kind": "Voortgangsgesprek",
            "duration_minutes": 45,
            "channel": "Persoonlijk",
            "place": "Wijkcentrum De Kloosterhof",
            "subject": "Schulden bespreken",
            "status": "Gepland",
            "coach": "Sanne de Vries",
            "participants": "Tolk: Ahmed Tolk",
        }
    ]


def test_anonymising_removes_subject_place_and_participant_names(
    appointment, client_of_coach, coach
):
    client_anonymise(client=client_of_coach, actor=None)
    kept = Appointment.objects.get()
    assert (kept.subject, kept.place) == ("", "")
    assert (kept.kind, kept.duration_minutes, kept.channel) == ("progress", 45, "in_person")
    assert list(Participant.objects.values_list("role", "name")) == [("interpreter", "")]


def test_an_appointment_of_another_client_is_untouched(appointment, client_of_coach, coach):
    from tests.factories import ClientFactory

    other = ClientFactory(coach=coach, team=client_of_coach.team)
    Appointment.objects.create(
        client=other,
        coach=coach,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        duration_minutes=30,
        kind="intake",
        channel="phone",
        subject="Kennismaking",
    )
    client_anonymise(client=client_of_coach, actor=None)
    assert Appointment.objects.get(client=other).subject == "Kennismaking"


@pytest.mark.parametrize("rows", [1, 20])
def test_the_export_section_reads_two_queries_however_many_appointments(
    plan, client_of_coach, rows, django_assert_num_queries
):
    from agenda.privacy import appointments

    start = timezone.now() + datetime.timedelta(days=1)
    for i in range(rows):
        plan(
            start + datetime.timedelta(hours=i),
            participants=[{"role": "job_coach", "name": f"Coach {i}", "contact_person": None}],
        )
    # the appointments with their coach, their participants with any contact person
    with django_assert_num_queries(2):
        section = appointments(client_of_coach)
    assert len(section.records) == rows
