"""Demo plan versions (seed_demo): for a few of the main coach's clients with an open
trajectory, version 1 signed, then a goal reached and a goal added and version 2 signed with
changed agreements; for the first of them a version 3 waiting for the client's signature.

Made through the services, so each version has its snapshot and its PDF in the dossier (the
slow part: a PDF per version, so a fixed number of clients).
"""

import datetime

from django.utils import timezone

from clients.models import Client
from core.demo import DEMO_STEPS, MAIN_COACH, DemoContext, DemoStep
from plans import services
from plans.models import PlanVersion
from trajectories import services as trajectory_services
from trajectories.models import GoalStatus, Trajectory

CLIENTS = 4
DAY = datetime.timedelta(days=1)
AGREEMENTS = [
    "U komt elke twee weken naar het gesprek met uw werkcoach.\n"
    "U zoekt elke week twee vacatures die bij u passen.\n"
    "Wij zoeken samen met u een werkervaringsplek.",
    "U komt elke twee weken naar het gesprek met uw werkcoach.\n"
    "U solliciteert elke maand op drie vacatures.\n"
    "Wij helpen u met uw cv en oefenen een sollicitatiegesprek met u.",
    "U komt elke twee weken naar het gesprek met uw werkcoach.\n"
    "U solliciteert elke maand op drie vacatures.\n"
    "Wij helpen u met uw cv en oefenen een sollicitatiegesprek met u.\n"
    "Wij regelen een jobcoach voor de eerste drie maanden van uw nieuwe baan.",
]
NEW_GOAL = "Elke maand op drie vacatures solliciteren"


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())


def seed(context: DemoContext) -> dict[str, int]:
    today = context.today
    main_coach = context.staff.users[MAIN_COACH]
    trajectories = list(
        Trajectory.objects.open()
        .filter(
            client__coach=main_coach,
            client__in=Client.objects.active_on(today),
            start_date__lte=today - 150 * DAY,
            goals__isnull=False,
        )
        .distinct()
        .order_by("client_id")[:CLIENTS]
    )
    made = signed = 0
    for index, trajectory in enumerate(trajectories):
        coach = trajectory.client.coach
        first_on, second_on = today - 120 * DAY, today - 30 * DAY
        first = services.plan_version_make(
            actor=coach,
            trajectory=trajectory,
            agreements=AGREEMENTS[0],
            review_on=first_on + 90 * DAY,
            now=_moment(first_on),
        )
        services.plan_version_sign(actor=coach, version=first, signed_on=first_on + 3 * DAY)
        # Between the versions: a goal reached (or, when none is open, one more goal).
        goal = trajectory.goals.filter(status=GoalStatus.OPEN).order_by("pk").first()
        if goal is not None:
            trajectory_services.goal_set_status(
                actor=coach, goal=goal, status=GoalStatus.ACHIEVED, status_date=today - 40 * DAY
            )
        trajectory_services.goal_add(
            actor=coach, trajectory=trajectory, description=NEW_GOAL, target_date=today + 120 * DAY
        )
        second = services.plan_version_make(
            actor=coach,
            trajectory=trajectory,
            agreements=AGREEMENTS[1],
            review_on=second_on + 120 * DAY,
            now=_moment(second_on),
        )
        services.plan_version_sign(actor=coach, version=second, signed_on=second_on + 2 * DAY)
        made, signed = made + 2, signed + 2
        if index == 0:  # a newer version the client has not signed yet
            services.plan_version_make(
                actor=coach,
                trajectory=trajectory,
                agreements=AGREEMENTS[2],
                review_on=today + 90 * DAY,
                now=_moment(today - 2 * DAY),
            )
            made += 1
    return {"plan versions": made, "plan versions signed": signed}


def _step(context: DemoContext) -> None:
    for label, n in seed(context).items():
        context.count(label, n)


DEMO_STEPS.register(73)(DemoStep(seed=_step, holds_data=PlanVersion.objects.exists))
