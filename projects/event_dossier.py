"""The coach's start page: clients of their own caseload whose event was three months ago or
more and who are not followed up yet (projects.event_services.participant_follow_up).
Registered in ProjectsConfig.ready(); one query however many there are."""

from django.utils import timezone

from clients import dossier
from projects.event_services import FOLLOW_UP_AFTER
from projects.models import EventParticipant, EventResult


@dossier.register_start(50)
def follow_up_part(user, caseload) -> dossier.Panel | None:
    if not user.has_perm("projects.change_eventparticipant"):
        return None
    due_before = timezone.localdate() - FOLLOW_UP_AFTER
    rows = list(
        EventParticipant.objects.filter(
            client__in=caseload, followed_up_on__isnull=True, event__date__lte=due_before
        )
        .select_related("event", "client")
        .order_by("event__date", "client__last_name", "pk")
    )
    if not rows:
        return None
    return dossier.Panel(
        "projects/event_follow_ups.html",
        {
            "follow_ups": rows,
            "results": EventResult.choices,
            "today": timezone.localdate(),
        },
    )
