"""Demo placements, wage-value assessments, provisions and subsidy calculations (seed_demo).

Written through placements.services, so every rule holds. Placements go to active clients on
route werknemer; the main coach's caseload gets the cases the start page shows: a temporary
contract ending soon, a retention check coming up, a provision to re-assess. Employers are
fictitious and created here when missing (the employers demo may add its own).
"""

import datetime
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from clients.models import Client
from core.demo import DEMO_STEPS, DemoContext, DemoStep
from core.models import User
from employers.models import Employer, Match, MatchStage
from placements import reference, services, subsidy
from placements.models import Contract, Decision, Placement, PlacementKind, ProvisionKind

EMPLOYERS = [
    "Zorggroep Drentse Aa",
    "Bakkerij Van der Molen",
    "Logistiek Centrum Assen",
    "Hotel De Brink",
    "Installatiebedrijf Noord",
    "Supermarkt Vries",
    "Schoonmaakbedrijf Hunze",
    "Groenvoorziening Tynaarlo",
]
JOBS = ["Magazijnmedewerker", "Medewerker bediening", "Schoonmaker", "Hovenier",
        "Vakkenvuller", "Assistent installateur", "Huishoudelijk medewerker"]  # fmt: skip
PLACEMENTS = 10
TASKS = [
    ("Orders verzamelen", Decimal(50)),
    ("Goederen ontvangen en controleren", Decimal(30)),
    ("Magazijn opruimen", Decimal(20)),
]


def seed(*, rng: random.Random, today: datetime.date, users: dict[str, User]) -> int:
    """Create demo placements and what hangs on them; returns how many placements."""
    reference.load()
    account_manager = users.get("accountmanager")
    employers = [
        Employer.objects.get_or_create(name=name, defaults={"account_manager": account_manager})[0]
        for name in EMPLOYERS
    ]
    active = Client.objects.active_on(today).select_related("coach").order_by("pk")
    candidates = list(
        active.filter(
            trajectories__end_date__isnull=True, trajectories__route__code="employee"
        ).distinct()
    )
    main_coach = users.get("coach")
    own = [c for c in candidates if c.coach_id == getattr(main_coach, "pk", None)]
    others = [c for c in candidates if c not in own]
    # A fixed number, the main coach's clients first, topped up with other active clients in a
    # small demo: the demo's cost does not grow with the number of clients
    # (tests/core/test_seed_demo.py).
    chosen = (own[:4] + rng.sample(others, len(others)))[:PLACEMENTS]
    if len(chosen) < PLACEMENTS:
        chosen += [c for c in active[: PLACEMENTS * 3] if c not in chosen][
            : PLACEMENTS - len(chosen)
        ]
    count = 0
    for index, client in enumerate(chosen):
        _placement_history(client, index, rng, today, employers, main_coach)
        count += 1
    return count + _place_hired_matches(rng, today)


def _place_hired_matches(rng, today) -> int:
    """The candidates employers/demo.py brought to a hire start work there; a hire at an
    employer with a Social Return obligation counts towards it."""
    hired = list(
        Match.objects.filter(stage=MatchStage.HIRED, placement__isnull=True)
        .select_related("vacancy__employer")
        .order_by("pk")
    )
    for match in hired:
        vacancy = match.vacancy
        start = today - datetime.timedelta(days=rng.randint(10, 120))
        match.placement = Placement.objects.create(
            client_id=match.client_id,
            employer=vacancy.employer,
            kind="regular",
            job_title=vacancy.title,
            start_date=start,
            contract="temporary",
            contract_end_date=start + datetime.timedelta(days=365),
            hours_per_week=vacancy.hours_per_week,
            sroi=vacancy.employer.sroi_obligations.exists(),
        )
        match.save(update_fields=["placement"])
    return len(hired)


def _placement_history(client, index, rng, today, employers, actor) -> None:
    # The first clients of the main coach: one case of each kind the start page lists.
    if index == 0:  # a temporary contract ending in three weeks
        start, contract_end = today - relativedelta(months=11), today + datetime.timedelta(21)
    elif index == 1:  # six months in next week: a retention check
        start, contract_end = today - relativedelta(months=6) + datetime.timedelta(7), None
    else:
        start = today - datetime.timedelta(days=rng.randint(60, 700))
        contract_end = start + relativedelta(years=1) if index % 2 else None
    temporary = contract_end is not None
    ended = index == 7
    hours = Decimal(rng.choice([16, 20, 24, 28, 32, 36]))
    placement = services.placement_create(
        actor=actor,
        client=client,
        employer=rng.choice(employers),
        kind=rng.choice(
            [PlacementKind.REGULAR] * 5
            + [PlacementKind.SECONDMENT, PlacementKind.WORK_EXPERIENCE, PlacementKind.TRIAL]
        ),
        job_title=rng.choice(JOBS),
        start_date=start,
        end_date=start + datetime.timedelta(days=rng.randint(40, 50)) if ended else None,
        contract=Contract.TEMPORARY if temporary else Contract.PERMANENT,
        contract_end_date=contract_end,
        hours_per_week=hours,
        hourly_wage=Decimal("14.71") if start.year >= 2026 else Decimal("14.40"),
        sroi=rng.random() < 0.4,
        end_reason="other" if ended else "",
    )
    if ended or index % 3 == 1 and index > 1:
        return
    # Wage value assessed at the start and again after half a year: it often rises.
    first = Decimal(rng.randint(35, 65))
    services.assessment_record(
        actor=actor,
        client=client,
        placement=placement,
        assessed_on=start + datetime.timedelta(days=14),
        method="Landelijke methode loonwaardebepaling",
        assessor="J. de Boer, gecertificeerd loonwaardedeskundige",
        tasks=[
            {
                "description": name,
                "share_percent": share,
                "quality_percent": Decimal(90),
                "pace_percent": first + 10,
                "employability_percent": Decimal(95),
            }
            for name, share in TASKS
        ],
    )
    second_on = start + relativedelta(months=6)
    if second_on <= today:
        services.assessment_record(
            actor=actor,
            client=client,
            placement=placement,
            assessed_on=second_on,
            wage_value_percent=min(first + rng.randint(5, 15), Decimal(100)),
            method="Landelijke methode loonwaardebepaling",
            assessor="J. de Boer, gecertificeerd loonwaardedeskundige",
        )
    latest = placement.wage_value_assessments.order_by("-assessed_on").first()
    subsidy_start = start + datetime.timedelta(days=14)
    provision = services.provision_request(
        actor=actor,
        client=client,
        placement=placement,
        kind=ProvisionKind.WAGE_COST_SUBSIDY_STRUCTURAL,
        requested_on=start,
        start_date=subsidy_start,
        reassess_on=(today + datetime.timedelta(days=28))
        if index == 2
        else subsidy_start + relativedelta(years=1),
    )
    services.subsidy_calculate(
        actor=actor,
        provision=provision,
        reference_date=subsidy_start,
        wage_value_percent=latest.wage_value_percent,
        contract_hours=hours,
        full_time_hours=subsidy.FULL_TIME_HOURS,
        apply=True,
    )
    provision.refresh_from_db()
    services.provision_update(
        actor=actor,
        provision=provision,
        decision=Decision.GRANTED,
        decided_on=start + datetime.timedelta(days=10),
    )
    if index % 2 == 0:
        services.provision_request(
            actor=actor,
            client=client,
            placement=placement,
            kind=ProvisionKind.JOB_COACH,
            requested_on=start,
            decision=Decision.GRANTED,
            decided_on=start + datetime.timedelta(days=7),
            start_date=start,
            end_date=start + relativedelta(months=12),
            job_coach_kind=rng.choice(["internal", "external"]),
            job_coach_hours=Decimal(rng.choice([4, 6, 8])),
            reassess_on=start + relativedelta(months=6),
        )


def _step(context: DemoContext) -> None:
    made = seed(rng=context.rng, today=context.today, users=context.staff.users)
    context.count("placements", made)


DEMO_STEPS.register(40)(DemoStep(seed=_step))
