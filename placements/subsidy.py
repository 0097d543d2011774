"""The structural wage-cost subsidy per month, exactly as DOMAIN.md step 7 gives it:

    base    = minimum wage per month x holiday-pay factor x contract hours / full-time hours
    core    = min(base x (1 - wage value), cap x base)
    subsidy = core x (1 + employer-cost percentage)

The minimum wage and the three percentages are dated parameters (WageParameters), read by
`parameters_on(date)`: the row in force on the reference date (the subsidy's start date).
Each step is rounded to cents (half up) and the next step starts from the rounded figure, so
the steps shown to the user add up by hand. Example (DOMAIN.md): 2,000 x 1.08 x 32 / 36 = 1,920;
min(1,920 x 0.40, 0.70 x 1,920) = 768; 768 x 1.235 = 948.48.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from placements.models import WageParameters

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# The usual full-time week in the Netherlands: what the calculator proposes until the employer's
# own full-time hours are known (the calculation keeps what was used).
FULL_TIME_HOURS = Decimal(36)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parameters_on(date: datetime.date) -> WageParameters:
    """The parameters in force on `date`: the row with the latest valid_from on or before it."""
    row = WageParameters.objects.filter(valid_from__lte=date).order_by("-valid_from").first()
    if row is None:
        raise ValidationError(
            _(
                "No minimum wage is known for %(date)s. A functional administrator adds it to "
                "the wage-cost subsidy parameters."
            )
            % {"date": f"{date:%d-%m-%Y}"},
            code="no_parameters",
        )
    return row


@dataclass(frozen=True)
class Parameters:
    """The figures a calculation used (copied, so a later change of the table changes nothing)."""

    valid_from: datetime.date
    minimum_wage_month: Decimal
    holiday_pay_factor: Decimal
    cap_percent: Decimal
    employer_cost_percent: Decimal

    @classmethod
    def of(cls, row: WageParameters) -> "Parameters":
        return cls(
            valid_from=row.valid_from,
            minimum_wage_month=row.minimum_wage_month,
            holiday_pay_factor=row.holiday_pay_factor,
            cap_percent=row.cap_percent,
            employer_cost_percent=row.employer_cost_percent,
        )


@dataclass(frozen=True)
class Calculation:
    """Inputs, parameters and every intermediate figure of one calculation."""

    parameters: Parameters
    wage_value_percent: Decimal
    contract_hours: Decimal
    full_time_hours: Decimal
    wage_with_holiday_pay: Decimal  # minimum wage x holiday-pay factor
    base: Decimal  # ... x contract hours / full-time hours
    loss: Decimal  # base x (1 - wage value)
    cap: Decimal  # cap percentage x base
    core: Decimal  # min(loss, cap)
    employer_costs: Decimal  # core x employer-cost percentage
    subsidy: Decimal  # core + employer costs = core x (1 + employer-cost percentage)

    @property
    def cap_applied(self) -> bool:
        return self.cap < self.loss


def calculate(
    *,
    parameters: Parameters,
    wage_value_percent: Decimal,
    contract_hours: Decimal,
    full_time_hours: Decimal,
) -> Calculation:
    """The subsidy per month from the wage value, the hours and the parameters in force."""
    if not (0 <= wage_value_percent <= HUNDRED):
        raise ValueError("wage value must be between 0 and 100")
    if not (0 < contract_hours <= full_time_hours):
        raise ValueError("contract hours must be more than 0 and at most the full-time hours")
    wage_with_holiday_pay = _cents(parameters.minimum_wage_month * parameters.holiday_pay_factor)
    base = _cents(wage_with_holiday_pay * contract_hours / full_time_hours)
    loss = _cents(base * (HUNDRED - wage_value_percent) / HUNDRED)
    cap = _cents(base * parameters.cap_percent / HUNDRED)
    core = min(loss, cap)
    employer_costs = _cents(core * parameters.employer_cost_percent / HUNDRED)
    return Calculation(
        parameters=parameters,
        wage_value_percent=wage_value_percent,
        contract_hours=contract_hours,
        full_time_hours=full_time_hours,
        wage_with_holiday_pay=wage_with_holiday_pay,
        base=base,
        loss=loss,
        cap=cap,
        core=core,
        employer_costs=employer_costs,
        subsidy=core + employer_costs,
    )


def calculate_on(
    reference_date: datetime.date,
    *,
    wage_value_percent: Decimal,
    contract_hours: Decimal,
    full_time_hours: Decimal,
) -> tuple[WageParameters, Calculation]:
    """The calculation with the parameters in force on `reference_date` (ValidationError when
    none are), and the parameters row it used: the calculator's preview and its saved
    calculation compute the same way."""
    row = parameters_on(reference_date)
    return row, calculate(
        parameters=Parameters.of(row),
        wage_value_percent=wage_value_percent,
        contract_hours=contract_hours,
        full_time_hours=full_time_hours,
    )
