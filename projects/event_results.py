"""The figures of an event page: participants per result."""

from dataclasses import dataclass

from django.db.models import Count

from projects.models import EventParticipant, EventResult


@dataclass(frozen=True)
class ResultCount:
    result: str
    label: str
    participants: int


def event_counts(event) -> list[ResultCount]:
    """Participants per result, every result listed (also with 0) in the choices' order."""
    counted = dict(
        EventParticipant.objects.filter(event=event)
        .order_by()  # no ordering columns in the GROUP BY
        .values("result")
        .annotate(n=Count("pk"))
        .values_list("result", "n")
    )
    return [
        ResultCount(value, label, counted.get(value, 0)) for value, label in EventResult.choices
    ]
