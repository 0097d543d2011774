"""The agenda's part of the client dossier (upcoming appointments, no-shows, the buttons) and
of the coach's start page (clients who did not come twice in a row). Registered in
AgendaConfig.ready(); the panel reads two queries however many appointments the client has."""

from django.db.models import Count, Q, Subquery

from agenda import no_shows
from agenda.models import Appointment, AppointmentStatus
from clients import dossier
from clients.models import Client


@dossier.register(15)
def appointments_panel(client: Client, user) -> dossier.Panel | None:
    if not user.has_perm("agenda.view_appointment"):
        return None
    # Planned ones (the coming ones and those of today or earlier still awaiting an outcome)
    # and, in the same query, the latest no-show, which offers the reminder letter.
    own = Appointment.objects.filter(client=client)
    latest_no_show = (
        own.filter(status=AppointmentStatus.NO_SHOW).order_by("-starts_at", "-pk").values("pk")[:1]
    )
    rows = list(
        own.filter(Q(status=AppointmentStatus.PLANNED) | Q(pk=Subquery(latest_no_show)))
        .select_related("coach")
        .order_by("starts_at", "pk")
    )
    planned = [a for a in rows if a.status == AppointmentStatus.PLANNED]
    last_no_show = next((a for a in rows if a.status == AppointmentStatus.NO_SHOW), None)
    counts = Appointment.objects.filter(client=client).aggregate(
        no_shows=Count("pk", filter=Q(status=AppointmentStatus.NO_SHOW)),
        held=Count("pk", filter=Q(status=AppointmentStatus.HELD)),
    )
    return dossier.Panel(
        "agenda/_dossier.html",
        {
            "appointments": planned,
            "last_no_show": last_no_show,
            "no_shows": counts["no_shows"],
            "held": counts["held"],
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
