"""Demo coach histories and a handover note (seed_demo, after the clients).

Every demo client gets its coach period from registration (the demo writes clients in bulk,
past client_register). Some clients of Team Assen changed coach on the way, with the reason;
one client of the main coach came by a handover whose note the coach has not dismissed yet, so
the `coach` login shows it on that dossier. Part-time hours and one explicit maximum make the
caseload overview tell coaches apart. A fixed number of rows, whatever the number of clients.
"""

import datetime

from clients.handover import coach_periods_sync
from clients.models import Client, CoachChangeReason, CoachPeriod, HandoverNote
from core.demo import DEMO_STEPS, MAIN_COACH, TEAM_ASSEN, DemoContext, DemoStep
from core.models import User

CHANGED = 8  # clients of Team Assen whose coach changed once
# Hours of casework and maximum caseloads of some demo coaches (the rest: full time).
HOURS = {"lvisser": 24, "mbakker": 32}
MAXIMUM = {"yelamrani": 45}
REASONS = [
    CoachChangeReason.COACH_LEFT,
    CoachChangeReason.REASSIGNMENT,
    CoachChangeReason.HANDOVER,
]
NOTES = {
    CoachChangeReason.COACH_LEFT: "Vorige coach uit dienst; caseload verdeeld door de teamleider.",
    CoachChangeReason.REASSIGNMENT: "Caseloads in het team gelijk getrokken.",
    CoachChangeReason.HANDOVER: "Overgedragen na de switch naar het werkgeversspoor.",
}
HANDOVER_NOTE = (
    "Heeft net een werkervaringsplek in de zorg gevonden; de eerste evaluatie staat over twee "
    "weken. Schrikt van nieuwe gezichten: stel u eerst telefonisch voor en laat de cliënt het "
    "verhaal niet opnieuw doen, het intakeverslag is compleet."
)


def _seed(context: DemoContext) -> None:
    users = context.staff.users
    for username, hours in HOURS.items():
        User.objects.filter(username=username).update(casework_hours=hours)
    for username, maximum in MAXIMUM.items():
        User.objects.filter(username=username).update(max_caseload=maximum)
    coach_periods_sync(
        clients=Client.objects.all(),
        actor=None,
        on=context.today,
        reason=CoachChangeReason.REGISTRATION,
    )
    context.count("coach periods", CoachPeriod.objects.count())
    main_coach, manager = users[MAIN_COACH], users["manager"]
    others = context.staff.coaches[TEAM_ASSEN]
    if not others:
        return
    active = Client.objects.active_on(context.today).filter(
        team_id=context.staff.team_ids[TEAM_ASSEN]
    )
    changed = list(
        active.exclude(coach=main_coach)
        .filter(registered_on__lte=context.today - datetime.timedelta(days=120))
        .order_by("pk")[:CHANGED]
    )
    for index, client in enumerate(changed):
        reason = REASONS[index % len(REASONS)]
        previous = next(c for c in others if c.pk != client.coach_id) if len(others) > 1 else None
        _changed_coach(context, client, previous or manager, reason, NOTES[reason], manager)
    handed = (
        active.filter(coach=main_coach)
        .filter(registered_on__lte=context.today - datetime.timedelta(days=60))
        .order_by("pk")
        .first()
    )
    if handed is None:
        return
    previous = others[0]
    _changed_coach(
        context, handed, previous, CoachChangeReason.HANDOVER, HANDOVER_NOTE, manager, days=10
    )
    HandoverNote.objects.create(
        client=handed,
        from_coach=previous,
        to_coach=main_coach,
        text=HANDOVER_NOTE,
        written_by=manager,
    )
    context.count("coach changes", len(changed) + 1)
    context.count("handover notes", 1)


def _changed_coach(context, client, previous, reason, note, by, days=None) -> None:
    """The client's open period (its current coach) began `days` ago (else half-way since
    registration) for `reason`; before it, `previous` coached from registration."""
    since = (context.today - client.registered_on).days
    changed_on = context.today - datetime.timedelta(days=days if days is not None else since // 2)
    CoachPeriod.objects.filter(client=client, ended_on__isnull=True).update(
        started_on=changed_on, reason=reason, note=note, changed_by=by
    )
    CoachPeriod.objects.create(
        client=client,
        coach=previous,
        team_id=client.team_id,
        started_on=client.registered_on,
        ended_on=changed_on,
        reason=CoachChangeReason.REGISTRATION,
    )


DEMO_STEPS.register(70)(DemoStep(seed=_seed))
