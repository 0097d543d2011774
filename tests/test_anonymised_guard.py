"""Every service that changes a client's data refuses an anonymised client.

The views refuse them too, but a command, a task or the next page must not need to know:
the guard is in the services (Client.check_writable), so every caller meets it.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agenda import services as agenda_services
from agenda.models import Appointment
from clients import services as client_services
from clients.models import Client, Contact, LadderObservation
from documents import services as document_services
from documents.models import Document, DocumentKind, Letter
from employers import services as employer_services
from placements import services as placement_services
from projects import event_services
from projects import services as project_services
from projects.models import Event, Project
from tests.factories import ClientFactory, IntakeFactory
from trajectories import reference
from trajectories import services as trajectory_services
from trajectories.models import Activity, ActivityKind, Route, SkillEvaluation, Trajectory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def trajectory(client_of_coach, coach):
    reference.load()
    return Trajectory.objects.create(
        client=client_of_coach, route=Route.objects.get(code="employee"), start_date=DAY
    )


def _appointment(client, coach, hours=1):
    return Appointment.objects.create(
        client=client,
        coach=coach,
        starts_at=timezone.now() + datetime.timedelta(hours=hours),
        duration_minutes=45,
        kind="progress",
        channel="phone",
    )


def _contact(client):
    return Contact.objects.create(client=client, date=DAY, channel="phone")


def _observation(client):
    return LadderObservation.objects.create(client=client, observed_on=DAY, step=3)


def _evaluation(trajectory):
    activity = Activity.objects.create(
        trajectory=trajectory,
        kind=ActivityKind.objects.get(code="work_experience"),
        start_date=DAY,
    )
    return SkillEvaluation.objects.create(activity=activity, evaluated_on=DAY)


CHANGES = {
    "appointment_plan": lambda c, t, actor: agenda_services.appointment_plan(
        actor=actor,
        client=c,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        duration_minutes=45,
        kind="intake",
        channel="phone",
    ),
    "appointment_move": lambda c, t, actor: agenda_services.appointment_move(
        actor=actor,
        appointment=_appointment(c, actor, hours=24),
        starts_at=timezone.now() + datetime.timedelta(days=2),
    ),
    "appointment_cancel": lambda c, t, actor: agenda_services.appointment_cancel(
        actor=actor, appointment=_appointment(c, actor, hours=24)
    ),
    "appointment_held": lambda c, t, actor: agenda_services.appointment_held(
        actor=actor, appointment=_appointment(c, actor, hours=-1), date=DAY, channel="phone"
    ),
    "appointment_no_show": lambda c, t, actor: agenda_services.appointment_no_show(
        actor=actor, appointment=_appointment(c, actor, hours=-1)
    ),
    "appointment_invite": lambda c, t, actor: agenda_services.appointment_invite(
        actor=actor, appointment=_appointment(c, actor, hours=24)
    ),
    "contact_log": lambda c, t, actor: client_services.contact_log(
        actor=actor, client=c, date=DAY, channel="phone", subject="Bellen"
    ),
    "ladder_observe": lambda c, t, actor: client_services.ladder_observe(
        actor=actor, client=c, observed_on=DAY, step=3
    ),
    "intake_record": lambda c, t, actor: client_services.intake_record(
        actor=actor,
        client=c,
        held_on=DAY,
        ladder_step=3,
        advised_route="employee",
        work_estimate="within_two_years",
    ),
    "client_update": lambda c, t, actor: client_services.client_update(
        actor=actor, client=c, phone="0592-123456"
    ),
    "trajectory_start": lambda c, t, actor: trajectory_services.trajectory_start(
        actor=actor, client=c, route=t.route, start_date=DAY
    ),
    "trajectory_end": lambda c, t, actor: trajectory_services.trajectory_end(
        actor=actor, trajectory=t, end_date=DAY, outcome="work"
    ),
    "goal_add": lambda c, t, actor: trajectory_services.goal_add(
        actor=actor, trajectory=t, description="Werken"
    ),
    "activity_add": lambda c, t, actor: trajectory_services.activity_add(
        actor=actor, trajectory=t, kind=ActivityKind.objects.first(), start_date=DAY
    ),
    "candidate_profile_save": lambda c, t, actor: employer_services.candidate_profile_save(
        actor=actor, client=c, hours_per_week=20
    ),
    "consent_record": lambda c, t, actor: employer_services.consent_record(
        actor=actor, client=c, given_on=DAY, scope="all_employers"
    ),
    "provision_request": lambda c, t, actor: placement_services.provision_request(
        actor=actor, client=c, kind="job_coach", requested_on=DAY
    ),
    "stage_record": lambda c, t, actor: project_services.stage_record(
        actor=actor,
        client=c,
        reached_on=DAY,
        stage=Project.objects.create(code="pilot", name="Pilot").stages.create(
            name="Gescreend", position=1
        ),
    ),
    "participant_register": lambda c, t, actor: event_services.participant_register(
        actor=actor, client=c, event=Event.objects.create(name="Banenfestival", date=DAY)
    ),
    "member_add": lambda c, t, actor: project_services.member_add(
        actor=actor,
        client=c,
        project=Project.objects.create(code="pilot", name="Pilot")
        .stages.create(name="Gescreend", position=1)
        .project,
        not_admitted_reason="Niet beschikbaar",
    ),
    "document_upload": lambda c, t, actor: document_services.document_upload(
        actor=actor,
        client=c,
        kind=DocumentKind.objects.get(code="diploma"),
        file=SimpleUploadedFile("diploma.pdf", b"%PDF-1.4\n%%EOF\n"),
        dated_on=DAY,
    ),
    "letter_send": lambda c, t, actor: document_services.letter_send(
        actor=actor, client=c, kind="agreements"
    ),
    "letter_mark_posted": lambda c, t, actor: document_services.letter_mark_posted(
        actor=actor, letter=_letter_to_post(c)
    ),
    # Correcting the record (issue 17): the record was logged before the anonymisation.
    "contact_correct": lambda c, t, actor: client_services.contact_correct(
        actor=actor, contact=_contact(c), reason="Verkeerd", subject="Anders"
    ),
    "contact_correct (moved to an anonymised client)": lambda c, t, actor: (
        client_services.contact_correct(
            actor=actor, contact=_contact(ClientFactory()), reason="Verkeerd", client=c
        )
    ),
    "contact_remove": lambda c, t, actor: client_services.contact_remove(
        actor=actor, contact=_contact(c), reason="Dubbel"
    ),
    "ladder_correct": lambda c, t, actor: client_services.ladder_correct(
        actor=actor, observation=_observation(c), reason="Verkeerd", step=4
    ),
    "ladder_remove": lambda c, t, actor: client_services.ladder_remove(
        actor=actor, observation=_observation(c), reason="Dubbel"
    ),
    "intake_correct": lambda c, t, actor: client_services.intake_correct(
        actor=actor, intake=IntakeFactory(client=c), reason="Verkeerd", dream="Anders"
    ),
    "intake_remove": lambda c, t, actor: client_services.intake_remove(
        actor=actor, intake=IntakeFactory(client=c), reason="Dubbel"
    ),
    "evaluation_correct": lambda c, t, actor: trajectory_services.evaluation_correct(
        actor=actor, evaluation=_evaluation(t), reason="Verkeerd", notes="Anders"
    ),
    "evaluation_remove": lambda c, t, actor: trajectory_services.evaluation_remove(
        actor=actor, evaluation=_evaluation(t), reason="Dubbel"
    ),
}


def _letter_to_post(client):
    """A letter for the post, sent before the client was anonymised."""
    document = Document.objects.create(
        client=client,
        kind=DocumentKind.objects.get(code="letter"),
        original_name="brief.pdf",
        file="aa/brief.pdf",
        content_type="application/pdf",
        size=1,
        dated_on=DAY,
    )
    return Letter.objects.create(
        client=client, kind="agreements", subject="Afspraken", document=document, delivery="post"
    )


@pytest.mark.parametrize("change", CHANGES)
def test_an_anonymised_clients_data_cannot_be_changed_through_any_service(
    change, client_of_coach, trajectory, coach
):
    Client.objects.filter(pk=client_of_coach.pk).update(anonymised_at=timezone.now())
    client = Client.objects.get(pk=client_of_coach.pk)
    trajectory = Trajectory.objects.get(pk=trajectory.pk)
    with pytest.raises(ValidationError) as refused:
        CHANGES[change](client, trajectory, coach)
    assert refused.value.code == "anonymised"
