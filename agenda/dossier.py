"""The agenda's part of the client dossier (upcoming appointments, no-shows, the buttons) and
of the coach's start page (clients who did not come twice in a row). Registered in
AgendaConfig.ready(); the panel's appointments and its counts of no-shows and held ones come with
the dossier's query of the client, however many appointments the client has."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from agenda import no_shows
from agenda.models import Appointment, AppointmentStatus
from clients import dossier
from clients.models import Client


def _planned_or_last_no_show(appointments):
    """Planned ones (the coming ones and those of today or earlier still awaiting an outcome)
    and the latest no-show, which offers the reminder letter."""
    latest_no_show = (
        Appointment.objects.filter(client=OuterRef("client"), status=AppointmentStatus.NO_SHOW)
        .order_by("-starts_at", "-pk")
        .values("pk")[:1]
    )
    return appointments.filter(Q(status=AppointmentStatus.PLANNED) | Q(pk=Subquery(latest_no_show)))


APPOINTMENTS = dossier.JSONRows(
    "appointments", related=("coach",), order=("starts_at", "pk"), where=_planned_or_last_no_show
)


def _counted(status):
    def build(model, client_pk):
        return (
            Appointment.objects.filter(client=client_pk, status=status)
            .values("client")
            .annotate(n=Count("pk"))
            .values("n")
        )

    return build


_NO_SHOWS, _HELD = _counted(AppointmentStatus.NO_SHOW), _counted(AppointmentStatus.HELD)


def _count(build):
    return Coalesce(dossier.correlated(Client, build, IntegerField()), 0)


@dossier.register_reads(15)
def appointment_counts(queryset, user):
    """How often the client did not come and how many appointments were held."""
    if not user.has_perm("agenda.view_appointment"):
        return queryset
    return APPOINTMENTS.annotate(queryset).annotate(
        appointments_no_show=_count(_NO_SHOWS),
        appointments_held=_count(_HELD),
    )


@dossier.register(15)
def appointments_panel(client: Client, user) -> dossier.Panel | None:
    if not user.has_perm("agenda.view_appointment"):
        return None
    rows = APPOINTMENTS.of(client)
    planned = [a for a in rows if a.status == AppointmentStatus.PLANNED]
    last_no_show = next((a for a in rows if a.status == AppointmentStatus.NO_SHOW), None)
    return dossier.Panel(
        "agenda/_dossier.html",
        {
            "appointments": planned,
            "last_no_show": last_no_show,
            "no_shows": client.appointments_no_show,
            "held": client.appointments_held,
            "writable": not client.is_anonymised,
        },
    )


@dossier.register_start(15)
def no_show_signal(user, caseload) -> dossier.Panel | None:
    """Clients of the coach's own caseload who did not come to their last two appointments."""
    if not user.has_perm("agenda.view_appointment"):
        return None
    clients = list(no_shows.twice_in_a_row(caseload))
    if not clients:
        return None
    return dossier.Panel("agenda/_no_show_signal.html", {"no_show_clients": clients})
