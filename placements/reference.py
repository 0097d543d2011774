"""The dated parameters of the wage-cost subsidy as a new company starts with them (create-only:
a row a functional administrator changed is left as it is).

Statutory minimum wage per month, full-time, aged 21 or over, excluding holiday pay:

- until 2023 the Wet minimumloon set monthly amounts (the half-yearly announcements of the
  Minister of SZW in the Staatscourant): 1 January 2022 EUR 1,725.00; 1 July 2022 EUR 1,756.20;
  1 January 2023 EUR 1,934.40; 1 July 2023 EUR 1,995.00.
- since 1 January 2024 the law sets an hourly minimum wage (EUR 13.27, 13.68, 14.06, 14.40,
  14.71), and the same announcements fix the gross reference minimum monthly wage
  ("bruto-referentieminimummaandloon") to which benefits are linked: 1 July 2024 EUR 2,133.60
  (regeling 2024-0000032606), 1 January 2025 EUR 2,191.80 (besluit 2024-0000675332), 1 July
  2025 EUR 2,245.80 (Stcrt. 2025, 12264), 1 January 2026 EUR 2,294.40; 1 January 2024
  EUR 2,069.40 (2,133.60 is that plus the 3.10% indexation of July 2024). That monthly amount
  is what the formula of DOMAIN.md step 7 takes.

Holiday pay 8% (factor 1.08), cap 70% of the base, employer costs 23.5%: the figures of
DOMAIN.md step 7, the same for every row until the administrator records a change.
"""

import datetime
from decimal import Decimal

from django.apps import apps as global_apps

from core.reference import REFERENCE_DATA

_MONTHLY = "Wet minimumloon, maandbedrag 21 jaar en ouder"
_REFERENCE = "Referentieminimummaandloon (minimumuurloon EUR %s)"
MINIMUM_WAGES = [
    (datetime.date(2022, 1, 1), "1725.00", _MONTHLY),
    (datetime.date(2022, 7, 1), "1756.20", _MONTHLY),
    (datetime.date(2023, 1, 1), "1934.40", _MONTHLY),
    (datetime.date(2023, 7, 1), "1995.00", _MONTHLY),
    (datetime.date(2024, 1, 1), "2069.40", _REFERENCE % "13,27"),
    (datetime.date(2024, 7, 1), "2133.60", _REFERENCE % "13,68"),
    (datetime.date(2025, 1, 1), "2191.80", _REFERENCE % "14,06"),
    (datetime.date(2025, 7, 1), "2245.80", _REFERENCE % "14,40"),
    (datetime.date(2026, 1, 1), "2294.40", _REFERENCE % "14,71"),
]


@REFERENCE_DATA.register(20)
def load(apps=global_apps) -> dict[str, int]:
    """Create the parameter rows that do not exist yet; returns how many were created."""
    WageParameters = apps.get_model("placements", "WageParameters")
    created = 0
    for valid_from, wage, source in MINIMUM_WAGES:
        created += WageParameters.objects.get_or_create(
            valid_from=valid_from,
            defaults={
                "minimum_wage_month": Decimal(wage),
                "holiday_pay_factor": Decimal("1.08"),
                "cap_percent": Decimal("70"),
                "employer_cost_percent": Decimal("23.5"),
                "source": source,
            },
        )[1]
    return {"wage_parameters": created}


def unload(apps=global_apps) -> None:
    """Remove the parameter rows of this list that nothing refers to (a migration's reverse)."""
    from django.db.models import ProtectedError

    for valid_from, *_rest in MINIMUM_WAGES:
        try:
            apps.get_model("placements", "WageParameters").objects.filter(
                valid_from=valid_from
            ).delete()
        except ProtectedError:
            continue
