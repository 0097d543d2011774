"""No-shows: how often a client did not come, and who did not come twice in a row."""

from django.db.models import OuterRef, QuerySet, Subquery

from agenda.models import OUTCOMES, Appointment, AppointmentStatus
from clients.models import Client


def no_show_count(client: Client) -> int:
    return Appointment.objects.filter(client=client, status=AppointmentStatus.NO_SHOW).count()


def twice_in_a_row(clients: QuerySet[Client]) -> QuerySet[Client]:
    """Clients whose latest two recorded outcomes (held or no-show, by the appointment's start)
    are both a no-show; a held appointment in between ends the row. One query."""
    outcomes = (
        Appointment.objects.filter(client=OuterRef("pk"), status__in=OUTCOMES)
        .order_by("-starts_at", "-pk")
        .values("status")
    )
    return (
        clients.annotate(
            latest_outcome=Subquery(outcomes[:1]), earlier_outcome=Subquery(outcomes[1:2])
        )
        .filter(latest_outcome=AppointmentStatus.NO_SHOW, earlier_outcome=AppointmentStatus.NO_SHOW)
        .order_by("last_name", "first_name", "pk")
    )
