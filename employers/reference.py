"""The reference lists of matching and Social Return, as a new company starts with them.

Create-only: a rerun keeps what a functional administrator changed. Names are data in Dutch,
like trajectories.reference.
"""

import datetime
from decimal import Decimal

from django.apps import apps as global_apps

from core.reference import REFERENCE_DATA

SECTORS = [
    ("hospitality", "Horeca"),
    ("retail", "Detailhandel"),
    ("care", "Zorg en welzijn"),
    ("construction", "Bouw"),
    ("industry", "Industrie en productie"),
    ("logistics", "Logistiek en transport"),
    ("technology", "Techniek en installatie"),
    ("cleaning", "Schoonmaak"),
    ("green", "Groenvoorziening"),
    ("office", "Kantoor en administratie"),
    ("ict", "ICT"),
    ("facility", "Facilitaire dienstverlening"),
]
SKILLS = [
    ("forklift", "Heftruckcertificaat"),
    ("vca", "VCA-diploma"),
    ("cash_register", "Kassawerk"),
    ("customer_contact", "Klantcontact"),
    ("kitchen", "Keukenwerk"),
    ("food_hygiene", "Hygiënecode (HACCP)"),
    ("order_picking", "Orderpicken"),
    ("computer_basics", "Basis computervaardigheden"),
    ("cleaning_methods", "Schoonmaaktechnieken"),
    ("gardening", "Groenonderhoud"),
    ("basic_care", "Basiszorg (helpende)"),
    ("welding", "Lassen"),
    ("shelf_stocking", "Vakkenvullen"),
    ("reception", "Receptie en telefoon"),
    ("administration", "Administratief werk"),
    ("driving_licence_c", "Rijbewijs C"),
]
REJECTION_REASONS = [
    ("employer_chose_other", "Werkgever koos een andere kandidaat"),
    ("candidate_withdrew", "Kandidaat trok zich terug"),
    ("skills", "Vaardigheden sloten niet aan"),
    ("hours", "Uren sloten niet aan"),
    ("travel", "Reisafstand of vervoer"),
    ("vacancy_cancelled", "Vacature vervallen"),
    ("no_show", "Niet verschenen op gesprek"),
    ("other", "Anders"),
]
# A starting rule an administrator adjusts to the municipality's tender conditions: a placement
# of a year counts for 35,000 euro; a candidate of 50+ counts 1.5 times, of 55+ twice.
SROI_RULES = [(datetime.date(2020, 1, 1), Decimal("35000.00"), Decimal("1.50"), Decimal("2.00"))]


@REFERENCE_DATA.register(30)
def load(apps=global_apps) -> dict[str, int]:
    """Create the rows of these lists that do not exist yet; returns how many were created."""
    Sector, Skill, RejectionReason, SroiRule = (
        apps.get_model("employers", name)
        for name in ("Sector", "Skill", "RejectionReason", "SroiRule")
    )
    created = {"sectors": 0, "skills": 0, "rejection_reasons": 0, "sroi_rules": 0}
    for model, rows, key in (
        (Sector, SECTORS, "sectors"),
        (Skill, SKILLS, "skills"),
        (RejectionReason, REJECTION_REASONS, "rejection_reasons"),
    ):
        for code, name in rows:
            created[key] += model.objects.get_or_create(code=code, defaults={"name": name})[1]
    for valid_from, value, w50, w55 in SROI_RULES:
        created["sroi_rules"] += SroiRule.objects.get_or_create(
            valid_from=valid_from,
            defaults={"value_per_placement": value, "weight_50_plus": w50, "weight_55_plus": w55},
        )[1]
    return created


def unload(apps=global_apps) -> None:
    """Remove the rows of these lists that nothing refers to (a migration's reverse)."""
    from django.db.models import ProtectedError

    for name, rows, key in (
        ("Sector", SECTORS, "code"),
        ("Skill", SKILLS, "code"),
        ("RejectionReason", REJECTION_REASONS, "code"),
        ("SroiRule", SROI_RULES, "valid_from"),
    ):
        for first, *_rest in rows:
            try:
                apps.get_model("employers", name).objects.filter(**{key: first}).delete()
            except ProtectedError:
                continue
