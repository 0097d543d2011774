"""The figures of events: participants per result on the day and at the follow-up three months
later, and whether they came. The event page and the annual report (reporting) read them here.

Definitions (also printed on the event page, and for the report in DEFINITIONS):

- *Result on the day*: what a participant's coach recorded as coming from the event (paid work,
  a work-and-learn place, education, a work-development place, or nothing yet); every
  registered participant counts, with "nothing yet" until the coach records more.
- *Result after three months*: what the participant does on the day their coach follows them up,
  three months or more after the event (projects.event_services.participant_follow_up). Only
  participants followed up count; the others are shown as "not followed up yet".
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from projects.models import Event, EventParticipant, EventResult

RESULT_DEFINITION = _(
    "Result on the day: what the coach recorded as coming from the event. Every registered "
    "participant counts, as 'nothing yet' until the coach records more."
)
FOLLOW_UP_DEFINITION = _(
    "Result after three months: what the participant does on the day the coach follows them "
    "up, three months or more after the event. Only participants followed up count."
)
DEFINITIONS = [RESULT_DEFINITION, FOLLOW_UP_DEFINITION]


@dataclass(frozen=True)
class ResultCount:
    """Participants with one result (`result` is an EventResult value, `label` its name)."""

    result: str
    label: str
    participants: int


@dataclass(frozen=True)
class EventFigures:
    """One event's figures, no names.

    `on_the_day` and `after_three_months` list every EventResult in the choices' order (also
    with 0); `after_three_months` counts only the `followed_up` participants.
    """

    event: Event | None  # None for totals()
    participants: int
    attended: int  # recorded as present
    absent: int  # recorded as not present (the rest is not recorded)
    followed_up: int
    on_the_day: list[ResultCount]
    after_three_months: list[ResultCount]

    @property
    def not_followed_up(self) -> int:
        return self.participants - self.followed_up

    def on_the_day_count(self, result: str) -> int:
        return next(c.participants for c in self.on_the_day if c.result == result)

    def after_three_months_count(self, result: str) -> int:
        return next(c.participants for c in self.after_three_months if c.result == result)


def _counts(counted: dict[str, int]) -> list[ResultCount]:
    return [
        ResultCount(value, label, counted.get(value, 0)) for value, label in EventResult.choices
    ]


def event_counts(event) -> list[ResultCount]:
    """Participants per result on the day, every result listed (also with 0) in the choices'
    order. One query."""
    counted = dict(
        EventParticipant.objects.filter(event=event)
        .order_by()  # no ordering columns in the GROUP BY
        .values("result")
        .annotate(n=Count("pk"))
        .values_list("result", "n")
    )
    return _counts(counted)


def figures(events) -> list[EventFigures]:
    """The figures of these events (a list or queryset of Event), in their order, in one query
    however many events and participants there are."""
    events = list(events)
    rows = (
        EventParticipant.objects.filter(event__in=events)
        .order_by()
        .values("event_id", "result", "follow_up_result")
        .annotate(
            n=Count("pk"),
            present=Count("pk", filter=Q(attended=True)),
            away=Count("pk", filter=Q(attended=False)),
            followed=Count("pk", filter=Q(followed_up_on__isnull=False)),
        )
    )
    per_event: dict[int, dict] = {
        e.pk: {"n": 0, "present": 0, "away": 0, "followed": 0, "day": {}, "later": {}}
        for e in events
    }
    for row in rows:
        sums = per_event[row["event_id"]]
        for key in ("n", "present", "away", "followed"):
            sums[key] += row[key]
        sums["day"][row["result"]] = sums["day"].get(row["result"], 0) + row["n"]
        if row["followed"]:
            later = row["follow_up_result"]
            sums["later"][later] = sums["later"].get(later, 0) + row["followed"]
    return [
        EventFigures(
            event=e,
            participants=per_event[e.pk]["n"],
            attended=per_event[e.pk]["present"],
            absent=per_event[e.pk]["away"],
            followed_up=per_event[e.pk]["followed"],
            on_the_day=_counts(per_event[e.pk]["day"]),
            after_three_months=_counts(per_event[e.pk]["later"]),
        )
        for e in events
    ]


def event_figures(event: Event) -> EventFigures:
    """One event's figures (one query)."""
    return figures([event])[0]


def events_in_period(start: datetime.date, end: datetime.date) -> list[EventFigures]:
    """The events held from `start` to `end` (both included), oldest first, with their figures:
    two queries. For the annual report: sum `participants` and each result over the list."""
    events = Event.objects.filter(date__gte=start, date__lte=end).order_by("date", "name", "pk")
    return figures(events)


def totals(rows: list[EventFigures]) -> EventFigures | None:
    """The figures of several events added up (`event` is None); None for no events."""
    if not rows:
        return None

    def summed(attribute):
        return [
            ResultCount(
                value,
                label,
                sum(
                    r.on_the_day_count(value)
                    if attribute == "day"
                    else r.after_three_months_count(value)
                    for r in rows
                ),
            )
            for value, label in EventResult.choices
        ]

    return EventFigures(
        event=None,
        participants=sum(r.participants for r in rows),
        attended=sum(r.attended for r in rows),
        absent=sum(r.absent for r in rows),
        followed_up=sum(r.followed_up for r in rows),
        on_the_day=summed("day"),
        after_three_months=summed("later"),
    )
