"""The dated parameters of the wage-cost subsidy as a new company starts with them (create-only:
a row a functional administrator changed is left as it is).

Minimum wage, full-time, aged 21 or over, per month, excluding holiday pay:

- until 2023 the Wet minimumloon set monthly amounts (Staatscourant, half-yearly
  announcements; rijksoverheid.nl "Bedragen minimumloon"): 1 January 2022 EUR 1,725.00;
  1 July 2022 EUR 1,756.20; 1 January 2023 EUR 1,934.40; 1 July 2023 EUR 1,995.00.
- since 1 January 2024 the law sets only an hourly minimum wage (EUR 13.27 on 1 January 2024,
  13.68 on 1 July 2024, 14.06 on 1 January 2025, 14.40 on 1 July 2025, 14.71 on 1 January 2026).
  The monthly amount here is that hourly wage for a 36-hour week: hourly x 36 x 52 / 12 =
  hourly x 156. With the calculator's full-time hours at 36 the formula then gives exactly
  hourly wage x contract hours x 52 / 12; a company with another full-time week adds its own rows.

Holiday pay 8% (factor 1.08), cap 70% of the base, employer costs 23.5%: the figures of
DOMAIN.md step 7, the same for every row until the administrator records a change.
"""

import datetime
from decimal import Decimal

from placements.models import WageParameters

_SINCE_2024 = "Minimumuurloon x 36 uur x 52/12 (sinds 2024 alleen een uurloon in de wet)"
MINIMUM_WAGES = [
    (datetime.date(2022, 1, 1), "1725.00", "Wet minimumloon, maandbedrag 21 jaar en ouder"),
    (datetime.date(2022, 7, 1), "1756.20", "Wet minimumloon, maandbedrag 21 jaar en ouder"),
    (datetime.date(2023, 1, 1), "1934.40", "Wet minimumloon, maandbedrag 21 jaar en ouder"),
    (datetime.date(2023, 7, 1), "1995.00", "Wet minimumloon, maandbedrag 21 jaar en ouder"),
    (datetime.date(2024, 1, 1), "2070.12", f"EUR 13,27 per uur; {_SINCE_2024}"),
    (datetime.date(2024, 7, 1), "2134.08", f"EUR 13,68 per uur; {_SINCE_2024}"),
    (datetime.date(2025, 1, 1), "2193.36", f"EUR 14,06 per uur; {_SINCE_2024}"),
    (datetime.date(2025, 7, 1), "2246.40", f"EUR 14,40 per uur; {_SINCE_2024}"),
    (datetime.date(2026, 1, 1), "2294.76", f"EUR 14,71 per uur; {_SINCE_2024}"),
]


def load() -> dict[str, int]:
    """Create the parameter rows that do not exist yet; returns how many were created."""
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
