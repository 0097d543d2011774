"""The plan of approach as a PDF, in plain Dutch (language level B1), for the client to sign.

Rendered by WeasyPrint from templates/plans/plan_pdf.html, in the house style of the letters
(documents/letter_pdf.html). It prints a version's snapshot only, so the same version always
prints the same plan. The text is Dutch whatever the user's language: it is the client's.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from plans.snapshot import day

# Goal and activity statuses in the words of the plan (B1), not the coach's screen.
GOAL_WORDS = {
    "open": "Hier werkt u aan",
    "achieved": "Gehaald",
    "not_achieved": "Niet gehaald",
    "dropped": "Gestopt",
}
ACTIVITY_WORDS = {
    "planned": "Gepland",
    "running": "Bezig",
    "completed": "Klaar",
    "cancelled": "Gestopt",
}
# What each route means, in one or two short sentences (a route's name alone is jargon).
ROUTE_WORDS = {
    "employee": "U werkt toe naar betaald werk. Het doel is dat u binnen twee jaar een baan heeft.",
    "participation": (
        "U gaat stap voor stap meedoen in de samenleving, bijvoorbeeld met vrijwilligerswerk."
    ),
    "sheltered_work": (
        "U gaat werken op een beschutte plek. Daar krijgt u de hulp en begeleiding die u nodig "
        "heeft."
    ),
    "daytime_activities": "U gaat overdag iets doen dat op werk lijkt, met begeleiding.",
}


def printable(content: dict, number: int) -> dict:
    """The template's context: the snapshot with its dates as dates and its codes in words."""
    return {
        "number": number,
        "client": content["client"],
        "coach": content["coach"],
        "coach_email": content.get("coach_email", ""),
        "route": content["route"]["name"],
        "route_words": ROUTE_WORDS.get(content["route"]["code"], ""),
        "branch_team": content.get("branch_team", ""),
        "start_date": day(content.get("start_date")),
        "made_on": day(content.get("made_on")),
        "review_on": day(content.get("review_on")),
        "goals": [
            {
                **goal,
                "target_date": day(goal.get("target_date")),
                "words": GOAL_WORDS.get(goal["status"], goal["status"]),
            }
            for goal in content.get("goals", [])
        ],
        "activities": [
            {
                **activity,
                "start_date": day(activity.get("start_date")),
                "end_date": day(activity.get("end_date")),
                "words": ACTIVITY_WORDS.get(activity["status"], activity["status"]),
            }
            for activity in content.get("activities", [])
        ],
        "agreements": content.get("agreements", ""),
    }


def plan_pdf(content: dict, number: int) -> bytes:
    """The PDF of a version's snapshot."""
    from weasyprint import HTML  # heavy import, only when a PDF is made

    with translation.override(settings.LANGUAGE_CODE):  # Dutch dates: "3 maart 2026"
        html = render_to_string(
            "plans/plan_pdf.html",
            {"organisation": _("Work and Development"), **printable(content, number)},
        )
    return HTML(string=html).write_pdf()
