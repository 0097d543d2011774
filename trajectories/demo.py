"""Demo trajectories (part of `seed_demo`).

clients/demo.py makes the clients; this module adds, per chunk of clients (its CHUNK_STEPS),
their trajectories over the years with goals, activities, skill evaluations and outcomes (the
pilot and the job festival follow in projects/demo.py). All from the same seeded random stream,
written with bulk_create. At most one open trajectory per client: the trajectories of one client
follow each other, and only the last may still run.
"""

import datetime
import random

from clients.demo import CHUNK_STEPS
from clients.models import Client, EmployeeSkill
from core.demo import DemoContext
from core.models import User
from trajectories import reference
from trajectories.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    BranchTeam,
    Goal,
    GoalStatus,
    Outcome,
    Route,
    SkillEvaluation,
    SkillScore,
    Trajectory,
)

# fmt: off
GOALS = [
    "Dagritme opbouwen: vier ochtenden per week actief", "Cv en sollicitatiebrief op orde",
    "Taalniveau A2 spreken halen", "Werkervaring opdoen in de zorg", "Rijbewijs B halen",
    "Schulden in beeld en een betalingsregeling", "Twintig uur per week werken",
    "Vaste baan met een contract voor een jaar", "VCA-certificaat halen",
    "Werknemersvaardigheden op niveau 4", "Zelfstandig met het openbaar vervoer reizen",
]
PROVIDERS = {
    "practical_assessment": ["Werkplaats Assen", "Leerwerkbedrijf Drenthe"],
    "work_experience": ["Zorggroep Assen", "Kringloop Tynaarlo", "Groenbedrijf Aa en Hunze"],
    "work_learning": ["Drenthe College", "Bouwmensen Drenthe"],
    "training": ["Sollicitatiecentrum Noord", "Werkplaats Assen"],
    "language_course": ["Taalhuis Assen", "Alfa-college"],
    "job_coaching": ["Jobcoach Noord", "Begeleid Werken Drenthe"],
    "debt_counselling": ["Schuldhulp gemeente", "Humanitas Drenthe"],
}
OUTCOME_WEIGHTS = {
    "employee": {Outcome.WORK: 45, Outcome.WORK_LEARNING: 12, Outcome.EDUCATION: 8,
                 Outcome.DROPPED_OUT: 15, Outcome.MOVED: 8, Outcome.OTHER: 12},
    "participation": {Outcome.WORK: 10, Outcome.WORK_LEARNING: 8, Outcome.OTHER: 50,
                      Outcome.DROPPED_OUT: 20, Outcome.MOVED: 12},
    "sheltered_work": {Outcome.SHELTERED_WORK: 70, Outcome.DROPPED_OUT: 15, Outcome.OTHER: 15},
    "daytime_activities": {Outcome.OTHER: 70, Outcome.DROPPED_OUT: 20, Outcome.MOVED: 10},
}
BRANCH_COACHES = {
    "hodezo": ["coach", "lvisser", "ebos"], "bilt": ["mbakker", "jsmit", "rvandijk"],
    "business_services": ["yelamrani", "ameijer", "tdijkstra"],
}
# fmt: on
DAY = datetime.timedelta(days=1)


class TrajectoryGenerator:
    """Draws trajectories for clients, with their goals, activities and evaluations."""

    def __init__(self, rng: random.Random, today: datetime.date, users: dict[str, User]):
        reference.load()
        self.rng, self.today = rng, today
        self.routes = {r.code: r for r in Route.objects.all()}
        self.branch_teams = {b.code: b for b in BranchTeam.objects.all()}
        self.kinds = {k.code: k for k in ActivityKind.objects.all()}
        for code, usernames in BRANCH_COACHES.items():
            self.branch_teams[code].coaches.set([users[u] for u in usernames if u in users])

    def seed(self, clients: list[Client], intakes: dict[int, datetime.date]) -> dict[str, int]:
        """Trajectories and all that hangs on them for these clients (those with an intake)."""
        trajectories = []
        for client in clients:
            if client.pk in intakes:
                trajectories.extend(self.trajectories(client, intakes[client.pk]))
        Trajectory.objects.bulk_create(trajectories)
        goals, activities = [], []
        for trajectory in trajectories:
            goals.extend(self.goals(trajectory))
            activities.extend(self.activities(trajectory))
        Goal.objects.bulk_create(goals)
        Activity.objects.bulk_create(activities)
        evaluations = [e for a in activities for e in self.evaluations(a)]
        SkillEvaluation.objects.bulk_create(evaluations)
        scores = [s for e in evaluations for s in self.scores(e)]
        SkillScore.objects.bulk_create(scores)
        return {
            "trajectories": len(trajectories),
            "activities": len(activities),
            "skill evaluations": len(evaluations),
        }

    # Trajectories

    def trajectories(self, client: Client, intake_on: datetime.date) -> list[Trajectory]:
        """One to three trajectories after the intake, one after the other; the last may run."""
        rng = self.rng
        end_of_caseload = client.deregistered_on or self.today
        start = intake_on + DAY * rng.randint(7, 45)
        rows = []
        for _number in range(rng.choice([1, 1, 1, 2, 2, 3])):
            if start >= end_of_caseload:
                break
            route = self.route()
            length = DAY * rng.randint(90, 2 * 365)
            end = start + length
            still_running = end >= end_of_caseload
            if still_running and client.deregistered_on is None:
                end, outcome = None, ""
            else:
                end = min(end, end_of_caseload)
                outcome = self.outcome(route)
            branch = self.branch_team() if route == "employee" else None
            rows.append(
                Trajectory(
                    client_id=client.pk,
                    route=self.routes[route],
                    branch_team=branch,
                    coach_id=client.coach_id,
                    start_date=start,
                    end_date=end,
                    outcome=outcome,
                )
            )
            if end is None or outcome in (Outcome.WORK, Outcome.MOVED):
                break
            start = end + DAY * rng.randint(14, 90)
        return rows

    def route(self) -> str:
        return self.rng.choices(list(OUTCOME_WEIGHTS), weights=[60, 28, 6, 6])[0]

    def branch_team(self) -> BranchTeam:
        return self.branch_teams[self.rng.choice(list(BRANCH_COACHES))]

    def outcome(self, route: str) -> str:
        weights = OUTCOME_WEIGHTS[route]
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def goals(self, trajectory: Trajectory) -> list[Goal]:
        rows = []
        for description in self.rng.sample(GOALS, k=self.rng.randint(1, 3)):
            target = trajectory.start_date + DAY * self.rng.randint(60, 300)
            status, status_date = GoalStatus.OPEN, None
            if target < self.today:
                status = self.rng.choices(
                    [GoalStatus.ACHIEVED, GoalStatus.NOT_ACHIEVED, GoalStatus.DROPPED, "open"],
                    weights=[55, 20, 10, 15],
                )[0]
                status_date = None if status == GoalStatus.OPEN else target
            rows.append(
                Goal(
                    trajectory_id=trajectory.pk,
                    description=description,
                    status=status,
                    target_date=target,
                    status_date=status_date,
                )
            )
        return rows

    def activities(self, trajectory: Trajectory) -> list[Activity]:
        rng = self.rng
        last_day = trajectory.end_date or self.today
        codes = rng.sample(list(PROVIDERS), k=rng.randint(1, 3))
        if trajectory.route.code == "employee" and "practical_assessment" not in codes:
            codes[0] = rng.choice(["practical_assessment", "work_experience", codes[0]])
        rows, start = [], trajectory.start_date + DAY * rng.randint(0, 21)
        for code in codes:
            if start > last_day:
                break
            end = start + DAY * rng.randint(42, 180)
            if end > last_day:
                end, status = (
                    (None, ActivityStatus.RUNNING)
                    if trajectory.end_date is None
                    else (last_day, ActivityStatus.COMPLETED)
                )
            else:
                status = rng.choices(
                    [ActivityStatus.COMPLETED, ActivityStatus.CANCELLED], weights=[85, 15]
                )[0]
            result = ""
            if status == ActivityStatus.COMPLETED and rng.random() < 0.8:
                result = rng.choice(
                    [
                        "Goed afgerond; werkhouding voldoende.",
                        "Afgerond, advies: doorstromen naar een werkontwikkelplek.",
                        "Afgerond; cliënt kan zelfstandig verder solliciteren.",
                        "Afgerond met certificaat.",
                    ]
                )
            rows.append(
                Activity(
                    trajectory_id=trajectory.pk,
                    kind=self.kinds[code],
                    provider=rng.choice(PROVIDERS[code]),
                    start_date=start,
                    end_date=end,
                    cost=rng.choice([None, 250, 450, 900, 1500, 2400]),
                    status=status,
                    result=result,
                )
            )
            start = (end or last_day) + DAY * rng.randint(0, 30)
        return rows

    def evaluations(self, activity: Activity) -> list[SkillEvaluation]:
        """Every four weeks while a WOP or practical assessment runs, at most five."""
        if not activity.kind.evaluated:
            return []
        last_day = min(activity.end_date or self.today, self.today)
        day, rows = activity.start_date + DAY * 28, []
        while day <= last_day and len(rows) < 5:
            rows.append(SkillEvaluation(activity_id=activity.pk, evaluated_on=day))
            day += DAY * 28
        return rows

    def scores(self, evaluation: SkillEvaluation) -> list[SkillScore]:
        base = self.rng.randint(1, 3)
        return [
            SkillScore(
                evaluation_id=evaluation.pk,
                skill=skill,
                score=max(1, min(5, base + self.rng.choice([0, 0, 1, 1, 2]))),
            )
            for skill in EmployeeSkill
        ]


@CHUNK_STEPS.register(10)
def _trajectories(context: DemoContext):
    """Per chunk of clients: their trajectories."""
    return TrajectoryGenerator(context.rng, context.today, context.staff.users).seed
