"""Demo cost parameters of the return of route werknemer (seed_demo): a value from 1 January of
each of the last five years, so the dashboard and the annual report of every demo year show the
return with the parameters used. Plausible Dutch figures, indexed by about 2.5% a year: staff
cost per coach FTE about 75,000; an integration budget of 500 a year per client of the demo
region (150,000 for the default 300 clients), so the return weighs the demo's own outflow;
average benefits per month of about 1,300 (single), 1,400 (single parent) and 1,850 (married or
cohabiting) this year. A fixed number of rows; a row already there is left alone.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from core.demo import DEMO_STEPS, DemoContext, DemoStep
from reporting.models import CostParameter, CostParameterKind

YEARS = 5
INDEXATION = Decimal("1.025")
THIS_YEAR = {
    CostParameterKind.STAFF_COST_PER_FTE: Decimal(75000),
    CostParameterKind.INTEGRATION_BUDGET: Decimal(500),  # per client of the demo region
    CostParameterKind.BENEFIT_SINGLE: Decimal(1300),
    CostParameterKind.BENEFIT_SINGLE_PARENT: Decimal(1400),
    CostParameterKind.BENEFIT_COUPLE: Decimal(1850),
}
BENEFITS = "Gemiddelde uitkering Participatiewet, afdeling Inkomen"
SOURCES = {
    CostParameterKind.STAFF_COST_PER_FTE: "Begroting, loonkosten werkcoach incl. werkgeverslasten",
    CostParameterKind.INTEGRATION_BUDGET: "Jaarrekening, re-integratiebudget regio",
    CostParameterKind.BENEFIT_SINGLE: BENEFITS,
    CostParameterKind.BENEFIT_SINGLE_PARENT: BENEFITS,
    CostParameterKind.BENEFIT_COUPLE: BENEFITS,
}


def seed(today: datetime.date, clients: int = 300) -> int:
    made = 0
    for back in range(YEARS):
        year = today.year - back
        for kind, amount in THIS_YEAR.items():
            if kind == CostParameterKind.INTEGRATION_BUDGET:
                amount = THIS_YEAR[kind] * clients
            value = (amount / INDEXATION**back).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            _row, new = CostParameter.objects.get_or_create(
                kind=kind,
                valid_from=datetime.date(year, 1, 1),
                defaults={"amount": value, "source": SOURCES[kind]},
            )
            made += new
    return made


def _step(context: DemoContext) -> None:
    context.count("cost parameters", seed(context.today, context.clients))


DEMO_STEPS.register(80)(DemoStep(seed=_step))
