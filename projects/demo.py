"""The demo's pilot with four groups and its job festival (part of `seed_demo`).

After trajectories/demo.py has written a chunk's trajectories (CHUNK_STEPS 10), this step (20)
screens some route werknemer trajectories into the pilot's funnel, puts about six in ten of those
into one of its four groups (each with its own chance of work), and lets about one in five
clients come to the job festival. From the same seeded random stream, written in bulk.
"""

import datetime
import random

from clients.demo import CHUNK_STEPS
from clients.models import Client
from core.demo import DemoContext
from projects.models import (
    Event,
    EventKind,
    EventParticipant,
    EventResult,
    Project,
    ProjectGroup,
    ProjectStage,
    StageReached,
)
from trajectories.models import Outcome, Route, Trajectory

# fmt: off
PROJECT_GROUPS = [
    "Loonwaarde 40-60% met instrumenten", "Loonwaarde 40-60% zonder instrumenten",
    "Loonwaarde 60-80% met instrumenten", "Loonwaarde 60-80% zonder instrumenten",
]
# Chance of work per group: the instruments help, a higher wage value helps.
GROUP_WORK_CHANCE = [0.45, 0.3, 0.6, 0.45]
STAGES = ["Gescreend", "Geselecteerd", "Toegelaten", "Geplaatst"]
PROJECT_MAX_SCREENED = 400
FESTIVAL_MAX = 120
FESTIVAL_RESULTS = {
    EventResult.WORK: 18, EventResult.WORK_LEARNING: 10, EventResult.EDUCATION: 6,
    EventResult.WORK_EXPERIENCE: 16, EventResult.NOTHING_YET: 50,
}
# fmt: on
DAY = datetime.timedelta(days=1)


class PilotGenerator:
    """Draws the pilot's funnel and the festival's participants; keeps their numbers in bounds."""

    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng, self.today = rng, today
        self.employee_route = Route.objects.get(code=Route.EMPLOYEE)
        # A previous demo whose clients were deleted leaves these behind: start afresh.
        Project.objects.filter(code="pilot-loonwaarde").delete()
        Event.objects.filter(name="Banenfestival Drenthe").delete()
        self.project = Project.objects.create(
            code="pilot-loonwaarde",
            name="Pilot loonwaarde en instrumenten",
            description="Experiment met vier groepen: helpen instrumenten (jobcoaching, "
            "werkontwikkelplek) cliënten met een loonwaarde van 40 tot 80% aan werk?",
            start_date=today - datetime.timedelta(days=2 * 365),
            end_date=today + datetime.timedelta(days=365),
            target=60,
        )
        self.groups = ProjectGroup.objects.bulk_create(
            [ProjectGroup(project=self.project, name=name) for name in PROJECT_GROUPS]
        )
        self.stages = ProjectStage.objects.bulk_create(
            [
                ProjectStage(project=self.project, name=name, position=i)
                for i, name in enumerate(STAGES, 1)
            ]
        )
        self.screened = 0
        self.screened_clients: set[int] = set()  # a client enters the funnel once
        self.festival = Event.objects.create(
            name="Banenfestival Drenthe",
            date=today - datetime.timedelta(days=120),
            kind=EventKind.JOB_FESTIVAL,
            description="Werkgevers uit de regio ontmoeten werkzoekenden in De Bonte Wever.",
        )
        self.festival_count = 0

    def seed(self, clients: list[Client], intakes: dict[int, datetime.date]) -> dict[str, int]:
        """The funnel stages of these clients' trajectories, and who came to the festival."""
        ids = {client.pk for client in clients}
        # The chunk's trajectories in the order they were drawn: per client, oldest first.
        trajectories = [
            trajectory
            for trajectory in Trajectory.objects.filter(
                client_id__gte=min(ids, default=0), client_id__lte=max(ids, default=0)
            ).order_by("client_id", "start_date", "pk")
            if trajectory.client_id in ids
        ]
        stages_reached = [row for t in trajectories for row in self.stages_reached(t)]
        Trajectory.objects.bulk_update(
            [t for t in trajectories if t.project_id is not None],
            ["project", "project_group", "outcome"],
        )
        StageReached.objects.bulk_create(stages_reached)
        participants = [self.festival_participant(client) for client in clients]
        EventParticipant.objects.bulk_create([p for p in participants if p is not None])
        return {}

    def stages_reached(self, trajectory: Trajectory) -> list[StageReached]:
        """Route werknemer trajectories that start in the project period may be screened;
        of those about six in ten are selected into one of the four groups."""
        project, rng = self.project, self.rng
        if (
            trajectory.route_id != self.employee_route.pk
            or not project.start_date <= trajectory.start_date <= self.today
            or self.screened >= PROJECT_MAX_SCREENED
            or trajectory.client_id in self.screened_clients
            or rng.random() >= 0.5
        ):
            return []
        self.screened += 1
        self.screened_clients.add(trajectory.client_id)
        screened_on = trajectory.start_date - DAY * rng.randint(7, 30)
        rows = [self.reached(0, trajectory, screened_on)]
        if rng.random() >= 0.6:
            return rows
        index = rng.randrange(len(self.groups))
        trajectory.project, trajectory.project_group = project, self.groups[index]
        if trajectory.end_date is not None:  # the group's own chance of work
            trajectory.outcome = (
                rng.choice([Outcome.WORK, Outcome.WORK, Outcome.WORK_LEARNING])
                if rng.random() < GROUP_WORK_CHANCE[index]
                else rng.choice([Outcome.DROPPED_OUT, Outcome.OTHER, Outcome.EDUCATION])
            )
        rows.append(self.reached(1, trajectory, screened_on + DAY * 7))
        if rng.random() < 0.85:
            rows.append(self.reached(2, trajectory, trajectory.start_date))
            if trajectory.outcome in (Outcome.WORK, Outcome.WORK_LEARNING) or (
                trajectory.end_date is None and rng.random() < GROUP_WORK_CHANCE[index] / 3
            ):
                placed_on = trajectory.end_date or self.today - DAY * rng.randint(0, 60)
                rows.append(self.reached(3, trajectory, max(placed_on, trajectory.start_date)))
        return rows

    def reached(self, stage: int, trajectory: Trajectory, day: datetime.date) -> StageReached:
        return StageReached(
            project=self.project,
            stage=self.stages[stage],
            client_id=trajectory.client_id,
            reached_on=day,
            recorded_by_id=trajectory.coach_id,
        )

    def festival_participant(self, client: Client) -> EventParticipant | None:
        """About one in five clients active on the festival's day, up to FESTIVAL_MAX."""
        day = self.festival.date
        if (
            self.festival_count >= FESTIVAL_MAX
            or client.registered_on > day
            or (client.deregistered_on and client.deregistered_on < day)
            or self.rng.random() >= 0.2
        ):
            return None
        self.festival_count += 1
        result = self.rng.choices(list(FESTIVAL_RESULTS), weights=FESTIVAL_RESULTS.values())[0]
        return EventParticipant(
            event=self.festival, client_id=client.pk, result=result, registered_by=client.coach
        )


@CHUNK_STEPS.register(20)
def _pilot(context: DemoContext):
    """Per chunk of clients, after their trajectories: the pilot's funnel and the festival."""
    return PilotGenerator(context.rng, context.today).seed
