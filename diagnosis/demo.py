"""Demo referrals to diagnosis (seed_demo): a diagnosis team with the demo's diagnosis
consultant; open referrals of the main coach's clients of different ages (one past the signal);
answered ones with the intake that answered them; one practical assessment planned and one
evaluated. A fixed number, so the demo's time does not grow with the number of clients."""

import datetime

from django.utils import timezone

from clients.models import Client, Intake, LadderObservation, Route, WorkEstimate
from core.demo import DEMO_STEPS, DIAGNOSIS, MAIN_COACH, DemoContext, DemoStep
from core.models import Team
from diagnosis.models import (
    AssessmentStatus,
    PracticalAssessment,
    Referral,
    ReferralStatus,
    signal_days,
)

DIAGNOSIS_TEAM = "Diagnoseteam"

QUESTIONS = [
    (
        "Hoeveel uur per dag kan mevrouw werken, en in wat voor werk? Zij raakt snel vermoeid "
        "en haakte twee keer af bij een werkervaringsplek.",
        "Vergeet afspraken, heeft moeite met meerdere opdrachten tegelijk.",
    ),
    (
        "Is beschut werk passend, of lukt een reguliere werkplek met een jobcoach?",
        "Werkt traag en heeft veel aansturing nodig; kan moeilijk lezen.",
    ),
    (
        "Kan meneer fysiek zwaar werk aan? Hij wil in de bouw werken.",
        "Klaagt over rugpijn na een dag stage.",
    ),
    (
        "Wat is de loonwaarde-inschatting vooraf: is een doelgroepregistratie kansrijk?",
        "",
    ),
    (
        "Welke ondersteuning heeft de cliënt nodig om een dag te kunnen werken?",
        "Raakt overprikkeld in drukke ruimtes.",
    ),
]
ANSWERS = [
    (
        Route.EMPLOYEE,
        WorkEstimate.WITHIN_TWO_YEARS,
        "Vier uur per dag in rustig, gestructureerd werk is haalbaar; met een jobcoach in de "
        "eerste maanden. Praktijkonderzoek in de logistiek om dat te bevestigen.",
    ),
    (
        Route.SHELTERED_WORK,
        WorkEstimate.NOT_WITHIN_TWO_YEARS,
        "Heeft blijvend intensieve begeleiding nodig; beschut werk is passend. Aanmelden bij "
        "het UWV voor het advies beschut werk.",
    ),
]


def seed(context: DemoContext) -> dict[str, int]:
    today = context.today
    coach = context.staff.users[MAIN_COACH]
    consultant = context.staff.users[DIAGNOSIS]
    team, _ = Team.objects.get_or_create(name=DIAGNOSIS_TEAM)
    team.members.add(consultant)
    clients = list(
        Client.objects.active_on(today)
        # On the caseload since before the oldest answered referral (70 days), so its intake
        # falls within their time on the caseload.
        .filter(coach=coach, registered_on__lte=today - datetime.timedelta(days=80))
        .order_by("-pk")[: len(QUESTIONS)]
    )
    if len(clients) < len(QUESTIONS):
        return {}
    signal = signal_days()
    # Open: waiting a few days, about half the signal, and past it.
    open_ages = [2, max(signal // 2, 3), signal + 5]
    for client, age, (question, notes) in zip(clients, open_ages, QUESTIONS, strict=False):
        Referral.objects.create(
            client=client,
            team=team,
            question=question,
            limitation_notes=notes,
            referred_by=coach,
            # In the morning of the day `age` days ago, local time: "now minus 3 hours" fell on
            # the day before between midnight and three, one day more waiting than meant.
            referred_at=_at(today - datetime.timedelta(days=age)),
        )
    # Answered by an intake the consultant held: one with an assessment planned to start next
    # week, one with an assessment evaluated.
    answered = []
    for index, (client, (question, notes), (route, estimate, advice)) in enumerate(
        zip(clients[len(open_ages) :], QUESTIONS[len(open_ages) :], ANSWERS, strict=True)
    ):
        referred = today - datetime.timedelta(days=40 + 30 * index)
        held_on = referred + datetime.timedelta(days=9)
        intake = Intake.objects.create(
            client=client,
            held_on=held_on,
            consultant=consultant,
            functional_limitations=notes,
            advised_route=route,
            work_estimate=estimate,
            advice_notes=advice,
        )
        LadderObservation.objects.create(
            client=client, observed_on=held_on, step=3, intake=intake, recorded_by=consultant
        )
        answered.append(
            Referral.objects.create(
                client=client,
                team=team,
                question=question,
                limitation_notes=notes,
                referred_by=coach,
                referred_at=_at(referred),
                status=ReferralStatus.ANSWERED,
                answered_by_intake=intake,
                answered_at=_at(held_on),
                answer=advice,
            )
        )
    next_week = today + datetime.timedelta(days=7)
    PracticalAssessment.objects.create(
        referral=answered[0],
        workplace="Distributiecentrum Assen, afdeling orderpicken",
        supervisor_name="Kees Brouwer",
        starts_on=next_week,
        ends_on=next_week + datetime.timedelta(weeks=8),
        goal="Hoeveel uur per dag houdt de cliënt het vol, en kan zij werken met een scanner?",
        planned_by=consultant,
    )
    started = today - datetime.timedelta(weeks=9)
    PracticalAssessment.objects.create(
        referral=answered[1],
        workplace="Groenvoorziening Drenthe, buitendienst",
        supervisor_name="Fenna de Boer",
        starts_on=started,
        ends_on=started + datetime.timedelta(weeks=8),
        goal="Kan de cliënt in een ploeg werken met een vaste werkleider?",
        status=AssessmentStatus.EVALUATED,
        planned_by=consultant,
        evaluation=(
            "Werkt goed in een vaste ploeg met dagelijkse aansturing; zonder werkleider valt "
            "hij stil. Eigen tempo ligt rond de helft van een collega."
        ),
        evaluated_on=started + datetime.timedelta(weeks=8, days=2),
        evaluated_by=consultant,
        advised_route=Route.SHELTERED_WORK,
    )
    return {"referrals to diagnosis": len(open_ages) + len(answered), "practical assessments": 2}


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())


def _step(context: DemoContext) -> None:
    for label, n in seed(context).items():
        context.count(label, n)


DEMO_STEPS.register(71)(DemoStep(seed=_step, holds_data=Referral.objects.exists))
