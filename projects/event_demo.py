"""The demo's events (part of `seed_demo`): a job festival about four months ago with its outcomes
and follow-ups, and an information meeting in three weeks with invitations sent.

Per chunk of clients (CHUNK_STEPS 25, after the pilot's step): about one in five clients active
on the festival's day took part, up to FESTIVAL_MAX. Their results on the day keep the
proportions of the festival in the issue (41 to work, 9 to a work-and-learn place, 11 to
education, 33 to a work-development place; the rest nothing yet), whatever the demo's size;
about half are followed up three months later. About one in six active clients is registered
for the coming meeting, up to its places, with the invitation sent (invited_on).

The step draws from its own random stream, seeded from the demo's without taking from it, so
the other steps' data stay as they were.
"""

import datetime
import random

from dateutil.relativedelta import relativedelta

from clients.demo import CHUNK_STEPS
from clients.models import Client
from core.demo import DemoContext
from projects.models import Event, EventKind, EventParticipant, EventResult

FESTIVAL = "Banenfestival Assen"
MEETING = "Informatiebijeenkomst werken in de zorg"
FESTIVAL_MAX = 240
MEETING_PLACES = 40
# fmt: off
# The festival's outcomes out of every 150 participants: the 41, 9, 11 and 33, the rest
# nothing yet.
FESTIVAL_RESULTS = {
    EventResult.WORK: 41, EventResult.WORK_LEARNING: 9, EventResult.EDUCATION: 11,
    EventResult.WORK_EXPERIENCE: 33, EventResult.NOTHING_YET: 56,
}
# What a participant does three months on, by their result on the day (weights).
FOLLOW_UP = {
    EventResult.WORK: {EventResult.WORK: 9, EventResult.NOTHING_YET: 1},
    EventResult.WORK_LEARNING: {EventResult.WORK_LEARNING: 8, EventResult.WORK: 2},
    EventResult.EDUCATION: {EventResult.EDUCATION: 9, EventResult.NOTHING_YET: 1},
    EventResult.WORK_EXPERIENCE: {EventResult.WORK_EXPERIENCE: 7, EventResult.WORK: 3},
    EventResult.NOTHING_YET: {
        EventResult.NOTHING_YET: 6, EventResult.WORK_EXPERIENCE: 2, EventResult.WORK: 1,
        EventResult.EDUCATION: 1,
    },
}
# fmt: on


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class EventGenerator:
    """Makes the two events and draws their participants chunk by chunk."""

    def __init__(self, context: DemoContext):
        today = context.today
        # Its own stream, seeded from the demo's state without drawing from it.
        self.rng = random.Random(repr(context.rng.getstate()[1][:8]))
        self.today = today
        manager = context.staff.users.get("manager")
        # A previous demo whose clients were deleted leaves these behind: start afresh.
        Event.objects.filter(name__in=[FESTIVAL, MEETING]).delete()
        self.festival = Event.objects.create(
            name=FESTIVAL,
            date=today - datetime.timedelta(days=122),
            kind=EventKind.JOB_FESTIVAL,
            starts_at=datetime.time(13, 0),
            ends_at=datetime.time(17, 0),
            location="De Bonte Wever, Assen",
            description="Werkgevers uit de regio ontmoeten werkzoekenden: banen, "
            "leerwerkplekken, opleidingen en werkontwikkelplekken.",
            created_by=manager,
        )
        self.meeting = Event.objects.create(
            name=MEETING,
            date=today + datetime.timedelta(days=21),
            kind=EventKind.INFORMATION,
            starts_at=datetime.time(10, 0),
            ends_at=datetime.time(12, 0),
            location="Zorggroep Drenthe, Kloosterveen 3, Assen",
            capacity=MEETING_PLACES,
            description="Zorgorganisaties vertellen over werk en leerwerkplekken in de zorg.",
            created_by=manager,
        )
        pattern = [result for result, n in FESTIVAL_RESULTS.items() for _ in range(n)]
        self.rng.shuffle(pattern)
        self.pattern = pattern  # participant i gets pattern[i % 150]: the proportions hold
        self.festival_count = 0
        self.meeting_count = 0

    def seed(self, clients: list[Client], intakes: dict) -> dict[str, int]:
        rows = [row for client in clients for row in self.participations(client)]
        EventParticipant.objects.bulk_create(rows)
        return {"event participants": len(rows)} if rows else {}

    def participations(self, client: Client) -> list[EventParticipant]:
        rows = []
        festival = self.festival_participant(client)
        if festival is not None:
            rows.append(festival)
        meeting = self.meeting_participant(client)
        if meeting is not None:
            rows.append(meeting)
        return rows

    @staticmethod
    def _active(client: Client, day: datetime.date) -> bool:
        return client.registered_on <= day and not (
            client.deregistered_on and client.deregistered_on < day
        )

    def festival_participant(self, client: Client) -> EventParticipant | None:
        day, rng = self.festival.date, self.rng
        if (
            self.festival_count >= FESTIVAL_MAX
            or client.coach_id is None
            or not self._active(client, day)
            or rng.random() >= 0.2
        ):
            return None
        result = self.pattern[self.festival_count % len(self.pattern)]
        self.festival_count += 1
        attended = result != EventResult.NOTHING_YET or rng.random() < 0.8
        participant = EventParticipant(
            event=self.festival,
            client_id=client.pk,
            result=result,
            attended=attended,
            registered_on=day - datetime.timedelta(days=rng.randint(14, 35)),
            invited_on=day - datetime.timedelta(days=rng.randint(10, 14)),
            registered_by_id=client.coach_id,
        )
        due = day + relativedelta(months=3)
        if rng.random() < 0.5 and due <= self.today:
            participant.followed_up_on = min(
                due + datetime.timedelta(days=rng.randint(0, 10)), self.today
            )
            participant.follow_up_result = _weighted(rng, FOLLOW_UP[result])
        return participant

    def meeting_participant(self, client: Client) -> EventParticipant | None:
        rng = self.rng
        if (
            self.meeting_count >= MEETING_PLACES - 5  # a few places left
            or client.coach_id is None
            or not self._active(client, self.today)
            or rng.random() >= 1 / 6
        ):
            return None
        self.meeting_count += 1
        registered_on = self.today - datetime.timedelta(days=rng.randint(1, 10))
        return EventParticipant(
            event=self.meeting,
            client_id=client.pk,
            registered_on=registered_on,
            invited_on=registered_on,
            registered_by_id=client.coach_id,
        )


@CHUNK_STEPS.register(25)
def _events(context: DemoContext):
    """Per chunk of clients: the festival's participants and the meeting's."""
    return EventGenerator(context).seed
