"""Demo data of the employers side: employers, contacts, vacancies, candidate profiles, matches
along the pipeline, Social Return obligations and the placements that count towards them.

A step of core.demo.seed_demo (DEMO_STEPS), after the clients. Employers are fictitious; the
KvK numbers are eight digits no real company needs to have. Rows are bulk-written, so the
number of queries does not grow with the number of clients.
"""

import csv
import datetime
import random
from decimal import Decimal
from pathlib import Path

from django.db.models import OuterRef, Subquery

from clients.models import Client, Intake, LanguageLevel, WorkEstimate
from core.demo import DEMO_STEPS, DemoContext, DemoStep
from core.models import Municipality, PostcodeArea, User
from employers import locations, matching, reference, services
from employers.models import (
    CandidateProfile,
    ContactPerson,
    Employer,
    EmployerContact,
    RejectionReason,
    Sector,
    Skill,
    SroiObligation,
    Vacancy,
)

POSTCODE_AREAS = Path(__file__).parent / "data" / "postcode_areas_demo.csv"

# (name, KvK, municipality, postcode, SBI, social enterprise, sector, contact person, role)
EMPLOYERS = [
    (
        "Zorggroep Drentse Aa",
        "70112233",
        "Assen",
        "9401 BA",
        "8710",
        False,
        "care",
        "Marloes Huizing",
        "HR-adviseur",
    ),
    (
        "Bouwbedrijf Van der Veen",
        "70112234",
        "Assen",
        "9403 AK",
        "4120",
        False,
        "construction",
        "Gert van der Veen",
        "directeur",
    ),
    (
        "Logistiek Centrum Noord",
        "70112235",
        "Tynaarlo",
        "9481 EA",
        "5210",
        False,
        "logistics",
        "Ilse Boerma",
        "teamleider",
    ),
    (
        "Hotel De Brink",
        "70112236",
        "Aa en Hunze",
        "9461 AA",
        "5510",
        False,
        "hospitality",
        "Rutger Zwiers",
        "bedrijfsleider",
    ),
    (
        "Supermarkt Plus Rolde",
        "70112237",
        "Aa en Hunze",
        "9451 AB",
        "4711",
        False,
        "retail",
        "Jolanda Prins",
        "filiaalmanager",
    ),
    (
        "Groenwerk Drenthe",
        "70112238",
        "Assen",
        "9405 BC",
        "8130",
        True,
        "green",
        "Harm Nijland",
        "coördinator",
    ),
    (
        "Schoonmaakbedrijf Helder",
        "70112239",
        "Assen",
        "9406 CD",
        "8121",
        False,
        "cleaning",
        "Petra Lubbers",
        "planner",
    ),
    (
        "Techniek Zuidlaren",
        "70112240",
        "Tynaarlo",
        "9471 KL",
        "4321",
        False,
        "technology",
        "Bram Hoving",
        "werkvoorbereider",
    ),
    (
        "Kantoorservice Assen",
        "70112241",
        "Assen",
        "9404 GH",
        "8211",
        True,
        "office",
        "Nienke Smit",
        "office manager",
    ),
    (
        "Metaalbewerking Gieten",
        "70112242",
        "Aa en Hunze",
        "9461 TT",
        "2562",
        False,
        "industry",
        "Kees Wolters",
        "productieleider",
    ),
    (
        "Facilitair Bedrijf Eelde",
        "70112243",
        "Tynaarlo",
        "9761 AB",
        "8110",
        False,
        "facility",
        "Sandra Kuipers",
        "manager facilitair",
    ),
    (
        "Restaurant Het Wapen",
        "70112244",
        "Tynaarlo",
        "9765 AA",
        "5610",
        False,
        "hospitality",
        "Omar Haddou",
        "chef-kok",
    ),
]
# (employer index, title, hours, positions, register rule, licence, skills). The rule is a
# RegisterRule code: some vacancies are set aside for the target-group register, its candidates
# only or first (issue 19).
VACANCIES = [
    (0, "Helpende zorg", 24, 2, "suitable", False, ["basic_care", "customer_contact"]),
    (0, "Medewerker huishouding", 20, 1, "only", False, ["cleaning_methods"]),
    (1, "Hulpkracht bouwplaats", 36, 2, "no", True, ["vca"]),
    (2, "Orderpicker", 32, 3, "first", False, ["order_picking", "forklift"]),
    (2, "Heftruckchauffeur", 38, 1, "no", False, ["forklift", "vca"]),
    (3, "Afwasser", 24, 2, "suitable", False, ["kitchen", "food_hygiene"]),
    (3, "Medewerker ontbijt", 16, 1, "suitable", False, ["kitchen", "customer_contact"]),
    (4, "Vakkenvuller", 20, 3, "first", False, ["shelf_stocking"]),
    (4, "Kassamedewerker", 16, 2, "no", False, ["cash_register", "customer_contact"]),
    (5, "Medewerker groenonderhoud", 32, 4, "first", True, ["gardening"]),
    (6, "Schoonmaker kantoren", 20, 3, "only", False, ["cleaning_methods"]),
    (7, "Leerling-monteur", 38, 1, "no", True, ["vca", "computer_basics"]),
    (
        8,
        "Administratief medewerker",
        24,
        1,
        "suitable",
        False,
        ["administration", "computer_basics"],
    ),
    (9, "Productiemedewerker", 36, 2, "no", False, ["welding", "vca"]),
    (10, "Medewerker receptie", 24, 1, "suitable", False, ["reception", "customer_contact"]),
    (11, "Keukenhulp", 24, 1, "suitable", False, ["kitchen", "food_hygiene"]),
]
# (employer index, tender, contract value, percentage or None, placements or None, years back)
SROI = [
    (0, "Wmo-huishoudelijke hulp 2025-2027", Decimal("4200000"), Decimal("5"), None, 1),
    (1, "Renovatie gemeentehuis Assen", Decimal("2600000"), None, 4, 1),
    (6, "Schoonmaak gemeentelijke gebouwen", Decimal("1800000"), None, 3, 0),
]
STREETS = ["Industrieweg", "Stationsstraat", "Markt", "Hoofdweg"]
CHANNELS = ["phone", "in_person", "email", "video"]
SUBJECTS = [
    "Kennismaking en wensen personeel",
    "Bespreking vacatures komend kwartaal",
    "Evaluatie plaatsing",
    "Social Return: stand van zaken",
    "Bedrijfsbezoek met werkcoach",
]


def seed(*, rng: random.Random, today: datetime.date) -> dict[str, int]:
    """Create the employers side of the demo; safe to call after a second batch of clients."""
    reference.load()
    _load_postcode_areas()
    account_manager = User.objects.filter(username="accountmanager").first()
    if not Employer.objects.filter(kvk_number=EMPLOYERS[0][1]).exists():
        _employers(rng, today, account_manager)
    profiles = _profiles(rng, today)
    matches = _matches(rng, today, account_manager)
    return {
        "employers": Employer.objects.count(),
        "vacancies": Vacancy.objects.count(),
        "candidate profiles": profiles,
        "matches": matches,
        "Social Return obligations": SroiObligation.objects.count(),
    }


def _step(context: DemoContext) -> None:
    for label, n in seed(rng=context.rng, today=context.today).items():
        context.count(label, n)


DEMO_STEPS.register(30)(DemoStep(seed=_step))


def _load_postcode_areas():
    towns = dict(Municipality.objects.values_list("name", "pk"))
    with open(POSTCODE_AREAS, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    PostcodeArea.objects.bulk_create(
        [
            PostcodeArea(
                code=row["postcode_area"],
                latitude=Decimal(row["latitude"]),
                longitude=Decimal(row["longitude"]),
                municipality_id=towns.get(row["municipality"]),
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )


def _employers(rng, today, account_manager):
    towns = dict(Municipality.objects.values_list("name", "pk"))
    sectors = {s.code: s for s in Sector.objects.all()}
    skills = {s.code: s for s in Skill.objects.all()}
    employers = Employer.objects.bulk_create(
        [
            Employer(
                name=name,
                kvk_number=kvk,
                municipality_id=towns[town],
                postcode=postcode,
                address=f"{rng.choice(STREETS)} {rng.randint(1, 80)}",
                sbi_code=sbi,
                social_enterprise=social,
                account_manager=account_manager,
                notes="",
            )
            for name, kvk, town, postcode, sbi, social, _sector, _person, _role in EMPLOYERS
        ]
    )
    persons = ContactPerson.objects.bulk_create(
        [
            ContactPerson(
                employer=employer,
                name=row[7],
                role=row[8],
                email=f"{row[7].split()[0].lower()}@example.com",
                phone=f"0592-{rng.randint(300000, 399999)}",
            )
            for employer, row in zip(employers, EMPLOYERS, strict=True)
        ]
    )
    EmployerContact.objects.bulk_create(
        [
            EmployerContact(
                employer=employer,
                contact_person=person,
                date=today - datetime.timedelta(days=rng.randint(3, 300)),
                channel=rng.choice(CHANNELS),
                subject=rng.choice(SUBJECTS),
                author=account_manager,
            )
            for employer, person in zip(employers, persons, strict=True)
            for _ in range(rng.randint(1, 4))
        ]
    )
    for index, title, hours, positions, register, licence, needed in VACANCIES:
        employer = employers[index]
        vacancy = Vacancy.objects.create(
            employer=employer,
            title=title,
            sector=sectors[EMPLOYERS[index][6]],
            hours_per_week=hours,
            positions=positions,
            municipality_id=employer.municipality_id,
            postcode=employer.postcode,
            register_rule=register,
            driving_licence_required=licence,
            opened_on=today - datetime.timedelta(days=rng.randint(5, 60)),
            start_date=today + datetime.timedelta(days=rng.randint(7, 45)),
            created_by=account_manager,
        )
        vacancy.skills.set([skills[code] for code in needed])
    locations.refresh_vacancies(Vacancy.objects.all())
    for index, tender, value, percentage, placements, years_back in SROI:
        start = datetime.date(today.year - years_back, 1, 1)
        SroiObligation.objects.create(
            employer=employers[index],
            tender=tender,
            contract_value=value,
            percentage=percentage,
            placements_required=placements,
            start_date=start,
            end_date=datetime.date(today.year + 1, 12, 31),
        )


def _profiles(rng, today) -> int:
    """Candidate profiles for active clients who can work (by their latest intake): most
    complete and open for matching, some with parts missing, for the coach's start page."""
    latest = (
        Intake.objects.filter(client=OuterRef("pk"))
        .order_by("-held_on", "-created_at")
        .values("work_estimate")[:1]
    )
    candidates = list(
        Client.objects.active()
        .filter(candidate_profile__isnull=True)
        .annotate(estimate=Subquery(latest))
        .filter(estimate__in=[WorkEstimate.DIRECTLY, WorkEstimate.WITHIN_TWO_YEARS])
        .values_list("pk", "coach_id")
    )
    sector_ids = list(Sector.objects.values_list("pk", flat=True))
    skill_ids = list(Skill.objects.values_list("pk", flat=True))
    levels = [LanguageLevel.A2, LanguageLevel.B1, LanguageLevel.B2, LanguageLevel.NATIVE]
    rows, sector_links, skill_links = [], [], []
    for pk, coach_id in candidates:
        complete = rng.random() < 0.75
        rows.append(
            CandidateProfile(
                client_id=pk,
                hours_per_week=rng.choice([16, 20, 24, 28, 32, 36]),
                available_from=today + datetime.timedelta(days=rng.randint(-90, 60)),
                language_level=rng.choice(levels) if complete or rng.random() < 0.5 else "",
                driving_licence=rng.random() < 0.55 if complete else None,
                open_for_matching=complete,
                updated_by_id=coach_id,
            )
        )
    CandidateProfile.objects.bulk_create(rows)
    for profile in rows:
        for sector in rng.sample(sector_ids, rng.randint(1, 3)):
            sector_links.append(
                CandidateProfile.sectors.through(candidateprofile_id=profile.pk, sector_id=sector)
            )
        if profile.open_for_matching or rng.random() < 0.5:
            for skill in rng.sample(skill_ids, rng.randint(1, 4)):
                skill_links.append(
                    CandidateProfile.skills.through(candidateprofile_id=profile.pk, skill_id=skill)
                )
    CandidateProfile.sectors.through.objects.bulk_create(sector_links)
    CandidateProfile.skills.through.objects.bulk_create(skill_links)
    locations.refresh_candidates(CandidateProfile.objects.filter(pk__in=[p.pk for p in rows]))
    return len(rows)


def _matches(rng, today, account_manager) -> int:
    """For the first vacancies, propose the best-ranked candidates and move them along the
    pipeline (placements/demo.py places the hired ones)."""
    reasons = list(RejectionReason.objects.all())
    made = 0
    weights = matching.default_weights()
    for vacancy in Vacancy.objects.open().order_by("pk")[:8]:
        if vacancy.matches.exists():
            continue
        best = list(
            matching.candidates_for(vacancy, CandidateProfile.objects.matchable())
            .exclude(client__matches__isnull=False)
            .prefetch_related("skills")[:4]
        )
        for position, row in enumerate(best):
            match = services.match_propose(
                actor=account_manager,
                vacancy=vacancy,
                profile=row,
                score=row.score,
                explanation=matching.explanation_kept(row, weights, vacancy=vacancy),
            )
            made += 1
            if position == 3:
                continue  # stays proposed
            services.consent_record(
                actor=account_manager,
                client=row.client,
                given_on=today - datetime.timedelta(days=rng.randint(1, 20)),
                scope="employer",
                employer=vacancy.employer,
            )
            services.match_advance(actor=account_manager, match=match, stage="introduced")
            if position == 2:
                services.match_advance(
                    actor=account_manager,
                    match=match,
                    stage="rejected",
                    rejection_reason=rng.choice(reasons),
                )
            elif position == 1:
                services.match_advance(actor=account_manager, match=match, stage="interview")
            else:
                # placements/demo.py places the hired (a placement is not this app's).
                services.match_advance(actor=account_manager, match=match, stage="hired")
    return made
