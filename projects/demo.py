"""The demo's projects (part of `seed_demo`): the ESF experiment with four groups and the Wajong
secondment pilot with its screening checklist. The job festival is projects/event_demo.py's.

After trajectories/demo.py has written a chunk's trajectories (CHUNK_STEPS 10), this step (20):

- screens most route werknemer trajectories into the ESF experiment: about three in four are
  admitted into one of its four groups (each with its own chance of work), the others are not
  admitted with the reason; each member's stages are dated along their trajectory;
- screens Wajong clients into the pilot over its months: most meet all four criteria and are
  admitted, the others are not, with the criterion they miss as the reason; about four in ten
  admitted ones are seconded a few weeks later, so the funnel per month grows.

From the same seeded random stream, written in bulk.
"""

import datetime
import random

from clients.demo import CHUNK_STEPS
from clients.models import Client, TargetGroup
from core.demo import DemoContext
from projects.models import (
    Funder,
    MemberStatus,
    Milestone,
    Project,
    ProjectGroup,
    ProjectKind,
    ProjectMember,
    ProjectStage,
    ScreeningCriterion,
    StageReached,
)
from trajectories.models import Outcome, Route, Trajectory

# fmt: off
EXPERIMENT = "esf-experiment-loonwaarde"
PROJECT_GROUPS = [
    "Loonwaarde 40-60% met instrumenten", "Loonwaarde 40-60% zonder instrumenten",
    "Loonwaarde 60-80% met instrumenten", "Loonwaarde 60-80% zonder instrumenten",
]
# Chance of work per group: the instruments help, a higher wage value helps.
GROUP_WORK_CHANCE = [0.45, 0.3, 0.6, 0.45]
EXPERIMENT_STAGES = [
    ("Gescreend", Milestone.SCREENED), ("Geselecteerd", Milestone.NONE),
    ("Toegelaten", Milestone.ADMITTED), ("Geplaatst", Milestone.PLACED),
]
EXPERIMENT_MAX_SCREENED = 400

PILOT = "pilot-detachering-wajong"
PILOT_CRITERIA = [
    "Gemotiveerd", "Minimaal 12 uur per week beschikbaar", "Direct beschikbaar",
    "Binnen drie maanden te starten bij een reguliere werkgever",
]
# Why a Wajong client was not admitted, by the criterion they did not meet.
PILOT_REASONS = [
    "Wil liever eerst een opleiding afronden.",
    "Kan nu hooguit 8 uur per week werken.",
    "Eerst een operatie en herstel; over een half jaar opnieuw bekijken.",
    "Heeft eerst een werkfit-traject nodig in een beschutte omgeving.",
]
PILOT_STAGES = [
    ("Dossier ontvangen", Milestone.NONE), ("Gescreend", Milestone.SCREENED),
    ("Toegelaten", Milestone.ADMITTED), ("Gedetacheerd", Milestone.PLACED),
]
PILOT_DAYS = 240
PILOT_MAX = 80
# fmt: on
DAY = datetime.timedelta(days=1)


def _project(today, code, stages, **fields) -> tuple[Project, list[ProjectStage]]:
    # A previous demo whose clients were deleted leaves these behind: start afresh.
    Project.objects.filter(code=code).delete()
    project = Project.objects.create(code=code, **fields)
    rows = ProjectStage.objects.bulk_create(
        [
            ProjectStage(project=project, name=name, position=i, milestone=milestone)
            for i, (name, milestone) in enumerate(stages, 1)
        ]
    )
    return project, rows


class ProjectsGenerator:
    """Draws the experiment's and the pilot's members; keeps their numbers in bounds."""

    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng, self.today = rng, today
        self.employee_route = Route.objects.get(code=Route.EMPLOYEE)
        Project.objects.filter(code="pilot-loonwaarde").delete()  # the demo's earlier name
        self.project, self.stages = _project(
            today,
            EXPERIMENT,
            EXPERIMENT_STAGES,
            name="ESF-experiment loonwaarde en instrumenten",
            kind=ProjectKind.EXPERIMENT,
            funder=Funder.ESF,
            goal="40% van de deelnemers aan regulier werk.",
            description="Experiment met vier groepen: helpen instrumenten (jobcoaching, "
            "werkontwikkelplek) cliënten met een loonwaarde van 40 tot 80% aan werk?",
            start_date=today - datetime.timedelta(days=2 * 365),
            end_date=today + datetime.timedelta(days=365),
            target=40,
            planned_size=100,
            target_share=40,
        )
        self.groups = ProjectGroup.objects.bulk_create(
            [ProjectGroup(project=self.project, name=name) for name in PROJECT_GROUPS]
        )
        self.screened = 0
        self.screened_clients: set[int] = set()  # a client enters the experiment once
        self.pilot, self.pilot_stages = _project(
            today,
            PILOT,
            PILOT_STAGES,
            name="Pilot detachering Wajong",
            kind=ProjectKind.PILOT,
            funder=Funder.UWV,
            goal="Wajongers via detachering aan het werk bij een reguliere werkgever.",
            description="UWV levert dossiers aan; wij screenen op vier criteria en detacheren "
            "wie is toegelaten. Resultaten per maand voor de stuurgroep.",
            start_date=today - DAY * PILOT_DAYS,
            end_date=today + DAY * 120,
            target=20,
            planned_size=60,
            target_share=40,
        )
        self.criteria = ScreeningCriterion.objects.bulk_create(
            [
                ScreeningCriterion(project=self.pilot, text=text, position=i)
                for i, text in enumerate(PILOT_CRITERIA, 1)
            ]
        )
        self.pilot_count = 0

    def seed(self, clients: list[Client], intakes: dict[int, datetime.date]) -> dict[str, int]:
        """The experiment's members among these clients' trajectories, and the pilot's among
        the Wajong clients."""
        ids = {client.pk for client in clients}
        # The chunk's trajectories in the order they were drawn: per client, oldest first.
        trajectories = [
            trajectory
            for trajectory in Trajectory.objects.filter(
                client_id__gte=min(ids, default=0), client_id__lte=max(ids, default=0)
            ).order_by("client_id", "start_date", "pk")
            if trajectory.client_id in ids
        ]
        members, reached, met = [], [], []
        for trajectory in trajectories:
            member, rows = self.experiment_member(trajectory)
            if member is not None:
                members.append(member)
                reached += rows
                met.append([])
        Trajectory.objects.bulk_update(
            [t for t in trajectories if t.project_id is not None],
            ["project", "project_group", "outcome"],
        )
        for client in clients:
            member, rows, criteria = self.pilot_member(client)
            if member is not None:
                members.append(member)
                reached += rows
                met.append(criteria)
        members = ProjectMember.objects.bulk_create(members)
        StageReached.objects.bulk_create(reached)
        through = ProjectMember.criteria_met.through
        through.objects.bulk_create(
            [
                through(projectmember_id=member.pk, screeningcriterion_id=criterion.pk)
                for member, criteria in zip(members, met, strict=True)
                for criterion in criteria
            ]
        )
        return {}

    # --- The ESF experiment --------------------------------------------------------------

    def experiment_member(self, trajectory: Trajectory):
        """Route werknemer trajectories that start in the project period may be screened;
        of those about three in four are admitted into one of the four groups."""
        project, rng = self.project, self.rng
        if (
            trajectory.route_id != self.employee_route.pk
            or not project.start_date <= trajectory.start_date <= self.today
            or self.screened >= EXPERIMENT_MAX_SCREENED
            or trajectory.client_id in self.screened_clients
            or rng.random() >= 0.9  # most are screened: the experiment wants about 100
        ):
            return None, []
        self.screened += 1
        self.screened_clients.add(trajectory.client_id)
        screened_on = trajectory.start_date - DAY * rng.randint(7, 30)
        rows = [self.reached(project, self.stages[0], trajectory.client_id, screened_on)]
        member = ProjectMember(
            project=project,
            client_id=trajectory.client_id,
            screened_on=screened_on,
            stage=self.stages[0],
            stage_since=screened_on,
            added_by_id=trajectory.coach_id,
        )
        if rng.random() >= 0.75:
            member.status = MemberStatus.NOT_ADMITTED
            member.not_admitted_reason = rng.choice(
                [
                    "Loonwaarde buiten 40-80%.",
                    "Valt buiten de doelgroep van het experiment.",
                    "Wil niet meedoen aan het onderzoek.",
                ]
            )
            return member, rows
        index = rng.randrange(len(self.groups))
        member.group = self.groups[index]
        trajectory.project, trajectory.project_group = project, self.groups[index]
        if trajectory.end_date is not None:  # the group's own chance of work
            trajectory.outcome = (
                rng.choice([Outcome.WORK, Outcome.WORK, Outcome.WORK_LEARNING])
                if rng.random() < GROUP_WORK_CHANCE[index]
                else rng.choice([Outcome.DROPPED_OUT, Outcome.OTHER, Outcome.EDUCATION])
            )
        selected_on = screened_on + DAY * 7
        rows.append(self.reached(project, self.stages[1], trajectory.client_id, selected_on))
        self.move(member, self.stages[1], selected_on)
        if rng.random() < 0.85:
            admitted_on = max(trajectory.start_date, selected_on)
            rows.append(self.reached(project, self.stages[2], trajectory.client_id, admitted_on))
            self.move(member, self.stages[2], admitted_on)
            if trajectory.outcome in (Outcome.WORK, Outcome.WORK_LEARNING) or (
                trajectory.end_date is None and rng.random() < GROUP_WORK_CHANCE[index] / 3
            ):
                placed_on = trajectory.end_date or self.today - DAY * rng.randint(0, 60)
                placed_on = min(max(placed_on, admitted_on), self.today)
                rows.append(self.reached(project, self.stages[3], trajectory.client_id, placed_on))
                self.move(member, self.stages[3], placed_on)
        else:
            member.status = MemberStatus.NOT_ADMITTED
            member.not_admitted_reason = "Afgehaakt voor de start."
        return member, rows

    # --- The Wajong pilot ----------------------------------------------------------------

    def pilot_member(self, client: Client):
        """About half of the Wajong clients active during the pilot are screened, up to
        PILOT_MAX; three in four meet all criteria; four in ten admitted are seconded."""
        rng, start = self.rng, self.pilot.start_date
        if (
            client.target_group != TargetGroup.WAJONG
            or self.pilot_count >= PILOT_MAX
            or client.registered_on > self.today
            or (client.deregistered_on and client.deregistered_on < start)
            or rng.random() >= 0.5
        ):
            return None, [], []
        self.pilot_count += 1
        earliest = max(start, client.registered_on)
        latest = min(self.today, client.deregistered_on or self.today)
        if latest < earliest:
            return None, [], []
        received_on = earliest + DAY * rng.randint(0, (latest - earliest).days)
        screened_on = min(received_on + DAY * rng.randint(3, 14), self.today)
        stages, pilot, pk = self.pilot_stages, self.pilot, client.pk
        rows = [
            self.reached(pilot, stages[0], pk, received_on),
            self.reached(pilot, stages[1], pk, screened_on),
        ]
        member = ProjectMember(
            project=pilot,
            client_id=pk,
            screened_on=screened_on,
            stage=stages[1],
            stage_since=screened_on,
            added_by_id=client.coach_id,
        )
        if self.pilot_count % 4 == 1:  # one in four, the first one too: a refusal to show
            missed = rng.randrange(len(self.criteria))
            member.status = MemberStatus.NOT_ADMITTED
            member.not_admitted_reason = PILOT_REASONS[missed]
            return member, rows, [c for i, c in enumerate(self.criteria) if i != missed]
        rows.append(self.reached(pilot, stages[2], pk, screened_on))
        self.move(member, stages[2], screened_on)
        seconded_on = screened_on + DAY * rng.randint(14, 75)
        if rng.random() < 0.4 and seconded_on <= self.today:
            rows.append(self.reached(pilot, stages[3], pk, seconded_on))
            self.move(member, stages[3], seconded_on)
        return member, rows, list(self.criteria)

    # --- Both ----------------------------------------------------------------------------

    @staticmethod
    def move(member: ProjectMember, stage: ProjectStage, day: datetime.date) -> None:
        member.stage, member.stage_since = stage, day

    @staticmethod
    def reached(project, stage, client_id, day: datetime.date) -> StageReached:
        return StageReached(project=project, stage=stage, client_id=client_id, reached_on=day)


@CHUNK_STEPS.register(20)
def _projects(context: DemoContext):
    """Per chunk of clients, after their trajectories: the experiment's and the pilot's members."""
    return ProjectsGenerator(context.rng, context.today).seed
