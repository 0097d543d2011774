import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agenda import services
from agenda.models import Appointment, AppointmentStatus
from clients.models import Contact
from documents.models import Letter, LetterKind
from tests.agenda.conftest import at, planned_in_the_past
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


# The clash rule, worked out by hand: a planned 14:00-14:45 against a new one of 45 minutes.
@pytest.mark.parametrize(
    ("hour", "minute", "duration", "clashes"),
    [
        (13, 15, 45, False),  # 13:15-14:00 ends as the other starts: back to back
        (14, 45, 30, False),  # 14:45-15:15 starts as the other ends: back to back
        (13, 16, 45, True),  # 13:16-14:01 overlaps one minute at the start
        (14, 44, 30, True),  # 14:44-15:14 overlaps one minute at the end
        (14, 10, 15, True),  # 14:10-14:25 lies inside
        (13, 30, 120, True),  # 13:30-15:30 lies around it
        (14, 0, 45, True),  # the very same time
    ],
)
def test_a_clash_with_the_coachs_other_appointment_is_refused_and_named(
    plan, tomorrow, hour, minute, duration, clashes
):
    plan(at(tomorrow, 14, 0), duration=45)
    other_client = ClientFactory(first_name="Jan", last_name="Jansen")
    if not clashes:
        plan(at(tomorrow, hour, minute), duration=duration, client=other_client)
        assert Appointment.objects.count() == 2
        return
    with pytest.raises(ValidationError) as refused:
        plan(at(tomorrow, hour, minute), duration=duration, client=other_client)
    assert refused.value.code == "clash"
    message = refused.value.messages[0]
    assert message.startswith("Op dat moment hebt u al een afspraak: voortgangsgesprek met")
    assert "Fatima El Amrani" in message
    assert message.endswith("14:00–14:45.")
    assert Appointment.objects.count() == 1


def test_a_cancelled_appointment_or_another_coachs_does_not_clash(
    plan, coach, tomorrow, make_user, team
):
    first = plan(at(tomorrow, 10))
    services.appointment_cancel(actor=coach, appointment=first)
    plan(at(tomorrow, 10))  # the cancelled one leaves the time free
    colleague = make_user("collega", "work_coach", teams=[team])
    services.appointment_plan(
        actor=colleague,
        client=ClientFactory(coach=colleague, team=team, address="Markt 2"),
        starts_at=at(tomorrow, 10),
        duration_minutes=45,
        kind="intake",
        channel="phone",
    )
    assert Appointment.objects.not_cancelled().count() == 2


def test_an_appointment_cannot_be_planned_in_the_past(plan):
    with pytest.raises(ValidationError) as refused:
        plan(timezone.now() - datetime.timedelta(minutes=1))
    assert refused.value.message_dict == {"date": ["Een afspraak kan niet in het verleden liggen."]}
    assert not Appointment.objects.exists()


def test_moving_checks_clashes_but_not_with_itself_and_tells_the_client(plan, coach, tomorrow):
    first = plan(at(tomorrow, 10))
    second = plan(at(tomorrow, 11))
    # Ten minutes later overlaps its own old time only: allowed.
    services.appointment_move(actor=coach, appointment=first, starts_at=at(tomorrow, 10, 10))
    with pytest.raises(ValidationError) as refused:
        services.appointment_move(actor=coach, appointment=second, starts_at=at(tomorrow, 10, 30))
    assert "10:10–10:55" in refused.value.messages[0]
    second.refresh_from_db()
    assert second.local_start.hour == 11
    letter = Letter.objects.get()
    assert letter.kind == LetterKind.APPOINTMENT_MOVED
    assert letter.client == first.client


def test_cancelling_tells_the_client_and_a_begun_appointment_cannot_be_cancelled(
    plan, coach, client_of_coach, tomorrow
):
    appointment = services.appointment_cancel(actor=coach, appointment=plan(at(tomorrow, 9)))
    assert appointment.status == AppointmentStatus.CANCELLED
    assert Letter.objects.get().kind == LetterKind.APPOINTMENT_CANCELLED
    begun = planned_in_the_past(
        client_of_coach, coach, timezone.now() - datetime.timedelta(minutes=5)
    )
    with pytest.raises(ValidationError):
        services.appointment_cancel(actor=coach, appointment=begun)
    assert Letter.objects.count() == 1


def test_held_logs_the_contact_and_marks_the_appointment_once(coach, client_of_coach):
    appointment = planned_in_the_past(
        client_of_coach, coach, timezone.now() - datetime.timedelta(hours=1)
    )
    today = timezone.localdate()
    held = services.appointment_held(
        actor=coach,
        appointment=appointment,
        date=today,
        channel="phone",
        subject="Voortgang",
        notes="Gaat goed",
    )
    assert held.status == AppointmentStatus.HELD
    contact = Contact.objects.get()
    assert (contact.client, contact.date, contact.subject, contact.author) == (
        client_of_coach,
        today,
        "Voortgang",
        coach,
    )
    assert held.contact == contact
    with pytest.raises(ValidationError) as again:
        services.appointment_no_show(actor=coach, appointment=appointment)
    assert again.value.code == "recorded"
    with pytest.raises(ValidationError):
        services.appointment_held(actor=coach, appointment=appointment, date=today, channel="phone")
    assert Contact.objects.count() == 1
    assert Appointment.objects.get().status == AppointmentStatus.HELD


def test_a_failing_contact_leaves_the_appointment_planned(coach, client_of_coach):
    appointment = planned_in_the_past(
        client_of_coach, coach, timezone.now() - datetime.timedelta(hours=1)
    )
    with pytest.raises(ValidationError):
        services.appointment_held(
            actor=coach,
            appointment=appointment,
            date=timezone.localdate(),
            channel="carrier pigeon",
        )
    assert Appointment.objects.get().status == AppointmentStatus.PLANNED
    assert not Contact.objects.exists()


def test_the_outcome_of_a_later_day_cannot_be_recorded_yet(plan, coach, tomorrow):
    appointment = plan(at(tomorrow, 9))
    with pytest.raises(ValidationError) as refused:
        services.appointment_no_show(actor=coach, appointment=appointment)
    assert refused.value.code == "not_yet"


def test_participants_are_kept_with_a_role_and_a_name(plan, tomorrow):
    appointment = plan(
        at(tomorrow, 9),
        participants=[{"role": "interpreter", "name": "Ahmed Tolk", "contact_person": None}],
    )
    assert [str(p) for p in appointment.participants.all()] == ["Tolk: Ahmed Tolk"]
    with pytest.raises(ValidationError):
        plan(
            at(tomorrow, 11),
            participants=[{"role": "job_coach", "name": "", "contact_person": None}],
        )
    assert Appointment.objects.count() == 1


def test_the_invitation_letter_carries_the_appointment_in_dutch(plan, coach):
    from agenda.letters import merge_fields

    appointment = plan(
        at(datetime.date(2030, 12, 2), 14, 30),
        duration=45,
        subject="Voortgang",
        place="Kantoor Assen, Stationsstraat 2",
    )
    assert merge_fields(appointment) == {
        "appointment_date": "maandag 2 december 2030",
        "appointment_time": "14:30",
        "appointment_duration": "45 minuten",
        "appointment_place": "Kantoor Assen, Stationsstraat 2",
        "appointment_subject": "Voortgang",
    }
    by_phone = plan(at(datetime.date(2030, 12, 3), 9, 0), duration=60, channel="phone")
    assert (
        merge_fields(by_phone)["appointment_place"],
        merge_fields(by_phone)["appointment_subject"],
    ) == (
        "Telefoon",
        "Voortgangsgesprek",
    )
    services.appointment_invite(actor=coach, appointment=appointment)
    assert Letter.objects.get().kind == LetterKind.INVITATION
