"""Demo school leavers (seed_demo): three schools for special and practical education in the
demo municipalities, their leavers of last year and this year with exit conversations and
advices; of last year's, those advised to work became clients through the one action
(services.leaver_become_client), as the diagnosis team would do it, and those advised a route
started a trajectory on it after the summer.

A fixed number (30 leavers), whatever the number of clients asked for. BSNs come from a range
the clients' demo does not reach (it counts down from 999999999).
"""

import datetime

from clients.models import Client, Route
from core.demo import DEMO_STEPS, DIAGNOSIS, TEAM_ASSEN, DemoContext, DemoStep
from core.models import Municipality, Team
from core.validators import bsn_check_digit
from schools import services
from schools.models import Advice, Leaver, SchoolKind
from trajectories.models import Route as TrajectoryRoute
from trajectories.services import trajectory_start

SCHOOLS = [
    ("Vso De Atlas", SchoolKind.VSO, "Assen", "Groningerstraat 12", "Marleen Kuiper"),
    ("Praktijkschool Het Ravelijn", SchoolKind.PRO, "Tynaarlo", "Brink 4", "Wim Postma"),
    ("Vso De Esborg", SchoolKind.VSO, "Aa en Hunze", "Hoofdweg 30", "Joke Hendriks"),
]
PUPILS_PER_YEAR = 5
FIRST_NAMES = [
    "Daan",
    "Lotte",
    "Mohamed",
    "Sem",
    "Amira",
    "Jesse",
    "Noa",
    "Yusuf",
    "Femke",
    "Bram",
    "Senna",
    "Milan",
    "Aya",
    "Ruben",
    "Lieke",
]
LAST_NAMES = [
    ("", "Bakker"),
    ("de", "Jong"),
    ("", "Haddou"),
    ("van der", "Veen"),
    ("", "Tesfay"),
    ("", "Kramer"),
    ("", "Wolters"),
    ("el", "Idrissi"),
    ("", "Boer"),
    ("van", "Dam"),
]
# The advices in turn, each a (advice, route) pair.
ADVICES = [
    (Advice.ROUTE, Route.EMPLOYEE),
    (Advice.TARGET_GROUP_REGISTER, ""),
    (Advice.SHELTERED_WORK, ""),
    (Advice.FURTHER_EDUCATION, ""),
    (Advice.ROUTE, Route.PARTICIPATION),
]
EXPLANATIONS = {
    Advice.ROUTE: "Kan met begeleiding binnen twee jaar aan het werk; stage in de zorg ging goed.",
    Advice.TARGET_GROUP_REGISTER: "Kan het minimumloon niet verdienen; banenafspraak past.",
    Advice.SHELTERED_WORK: "Heeft veel begeleiding nodig; een beschutte plek bij het SW-bedrijf.",
    Advice.FURTHER_EDUCATION: "Gaat naar de entree-opleiding van het mbo.",
}


def demo_bsns():
    """Valid BSNs counting up from 110000000, far from the clients' demo range."""
    for prefix in range(11_000_000, 99_999_999):
        digits = f"{prefix:08d}"
        check = bsn_check_digit(digits)
        if check is not None:
            yield f"{digits}{check}"


def seed(context: DemoContext) -> dict[str, int]:
    rng, today = context.rng, context.today
    actor = context.staff.users[DIAGNOSIS]
    job_coaches = context.staff.coaches[TEAM_ASSEN] or [actor]
    account_manager = context.staff.users.get("accountmanager")
    team = Team.objects.get(pk=context.staff.team_ids[TEAM_ASSEN])
    municipalities = {
        m.name: m for m in Municipality.objects.filter(name__in=[s[2] for s in SCHOOLS])
    }
    routes = {route.code: route for route in TrajectoryRoute.objects.all()}
    taken = set(Client.objects.values_list("bsn", flat=True))
    bsns = (bsn for bsn in demo_bsns() if bsn not in taken)
    made = {"schools": 0, "school leavers": 0, "exit conversations": 0, "leavers made clients": 0}
    number = 0
    for name, kind, place, address, contact in SCHOOLS:
        school = services.school_save(
            actor=actor,
            name=name,
            kind=kind,
            municipality=municipalities[place],
            address=address,
            contact_name=contact,
            contact_email=f"{contact.split()[0].lower()}@school.example.nl",
        )
        made["schools"] += 1
        for year in (today.year - 1, today.year):
            for index in range(PUPILS_PER_YEAR):
                number += 1
                prefix, last = LAST_NAMES[(number * 3) % len(LAST_NAMES)]
                leaver = services.leaver_save(
                    actor=actor,
                    school=school,
                    school_year=year,
                    first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
                    name_prefix=prefix,
                    last_name=last,
                    birth_date=datetime.date(
                        year - rng.randint(17, 20), rng.randint(1, 12), rng.randint(1, 28)
                    ),
                    bsn=next(bsns) if index % 2 == 0 else "",
                    municipality=municipalities[place],
                    expected_leaving_date=datetime.date(year, 7, 10),
                )
                made["school leavers"] += 1
                this_year = year == today.year
                if this_year and index >= 3:
                    continue  # their exit conversation is still to come
                advice, route = ADVICES[(number + index) % len(ADVICES)]
                held_on = min(datetime.date(year, 5, 1 + index * 3), today)
                services.conversation_record(
                    actor=actor,
                    leaver=leaver,
                    held_on=held_on,
                    school_contact=f"{contact} (mentor)",
                    job_coach=rng.choice(job_coaches),
                    account_manager=account_manager,
                    advice=advice,
                    route=route,
                    explanation=EXPLANATIONS[advice],
                )
                made["exit conversations"] += 1
                if not this_year and advice != Advice.FURTHER_EDUCATION and index < 3:
                    leaver.refresh_from_db()
                    client = services.leaver_become_client(
                        actor=actor,
                        leaver=leaver,
                        bsn=leaver.bsn or next(bsns),
                        municipality=municipalities[place],
                        team=team,
                        coach=leaver.conversation.job_coach,
                        registered_on=datetime.date(year, 8, 1),
                    )
                    made["leavers made clients"] += 1
                    if advice == Advice.ROUTE:  # the advised route began after the summer
                        trajectory_start(
                            actor=actor,
                            client=client,
                            route=routes[route],
                            start_date=datetime.date(year, 9, 1),
                        )
    return made


def _step(context: DemoContext) -> None:
    for label, n in seed(context).items():
        context.count(label, n)


DEMO_STEPS.register(72)(DemoStep(seed=_step, holds_data=Leaver.objects.exists))
