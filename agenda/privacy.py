"""The agenda's part of privacy: the right-of-access section listing a client's appointments
(one query for the appointments, one for their participants; registered in
AgendaConfig.ready()), the change history they own, and what anonymisation removes."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.models import (
    APPOINTMENT_CHANNELS,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Participant,
    ParticipantRole,
)
from audit import history
from clients.models import Client
from core import gdpr
from core.gdpr import Section, choice_label, field_label, person

history.register_owned_records(Appointment, "client")
history.register_owned_records(Participant, "appointment__client")


@gdpr.register(100)
def appointments(client: Client) -> Section:
    rows = (
        Appointment.objects.filter(client=client)
        .select_related("coach")
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("contact_person"))
        )
        .order_by("starts_at", "pk")
    )
    names = ["kind", "duration_minutes", "channel", "place", "subject", "status", "coach"]
    return Section(
        key="appointments",
        title=_("Appointments"),
        fields=[("starts_at", field_label(Appointment, "starts_at"))]
        + [(name, field_label(Appointment, name)) for name in names]
        + [("participants", _("participants"))],
        records=[
            {
                "starts_at": timezone.localtime(a.starts_at).strftime("%Y-%m-%d %H:%M"),
                "kind": choice_label(a.kind, AppointmentKind.choices),
                "duration_minutes": a.duration_minutes,
                "channel": choice_label(a.channel, APPOINTMENT_CHANNELS),
                "place": a.place,
                "subject": a.subject,
                "status": choice_label(a.status, AppointmentStatus.choices),
                "coach": person(a.coach),
                "participants": "; ".join(
                    f"{choice_label(p.role, ParticipantRole.choices)}: {p.shown_name}"
                    for p in a.participants.all()
                ),
            }
            for a in rows
        ],
    )


@gdpr.register_anonymiser(40)
def anonymise(client: Client) -> None:
    """What anonymisation (privacy.services.client_anonymise, through
    core.gdpr.register_anonymiser) removes here: the free text of the client's appointments
    (subject, place) and the names of the other participants. Kind, moment, length, channel
    and outcome stay: they are no one's name."""
    Appointment.objects.filter(client=client).update(subject="", place="")
    Participant.objects.filter(appointment__client=client).update(name="", contact_person=None)
