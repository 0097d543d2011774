"""The wage-cost subsidy calculation (DOMAIN.md step 7) and its dated parameters.

Every expected figure is worked out by hand in the test.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from placements import services, subsidy
from placements.models import Decision, WageParameters
from tests.placements.factories import ProvisionFactory, WageParametersFactory

D = Decimal


def params(minimum_wage="2000.00", factor="1.08", cap="70", employer="23.5"):
    return subsidy.Parameters(
        valid_from=datetime.date(2026, 1, 1),
        minimum_wage_month=D(minimum_wage),
        holiday_pay_factor=D(factor),
        cap_percent=D(cap),
        employer_cost_percent=D(employer),
    )


def test_domain_example_gives_948_48_a_month():
    # base = 2,000 x 1.08 x 32 / 36 = 2,160 x 32 / 36 = 1,920
    # core = min(1,920 x 0.40, 0.70 x 1,920) = min(768, 1,344) = 768
    # subsidy = 768 x 1.235 = 948.48
    result = subsidy.calculate(
        parameters=params(), wage_value_percent=D(60), contract_hours=D(32), full_time_hours=D(36)
    )
    assert result.wage_with_holiday_pay == D("2160.00")
    assert result.base == D("1920.00")
    assert result.loss == D("768.00")
    assert result.cap == D("1344.00")
    assert result.core == D("768.00")
    assert result.employer_costs == D("180.48")
    assert result.subsidy == D("948.48")
    assert not result.cap_applied


def test_the_70_percent_cap_kicks_in_at_a_low_wage_value():
    # base 1,920 (as above); wage value 20%: loss = 1,920 x 0.80 = 1,536 > cap 0.70 x 1,920
    # = 1,344, so core = 1,344 and subsidy = 1,344 x 1.235 = 1,659.84
    result = subsidy.calculate(
        parameters=params(), wage_value_percent=D(20), contract_hours=D(32), full_time_hours=D(36)
    )
    assert result.loss == D("1536.00")
    assert result.core == D("1344.00")
    assert result.cap_applied
    assert result.subsidy == D("1659.84")


def test_exactly_at_30_percent_the_cap_and_the_loss_are_equal():
    # full time 36 of 36: base = 2,160; loss at 30% = 1,512 = cap 0.70 x 2,160 = 1,512
    result = subsidy.calculate(
        parameters=params(), wage_value_percent=D(30), contract_hours=D(36), full_time_hours=D(36)
    )
    assert result.loss == result.cap == D("1512.00")
    assert not result.cap_applied
    assert result.subsidy == D("1867.32")  # 1,512 x 1.235


def test_a_full_wage_value_gives_no_subsidy():
    result = subsidy.calculate(
        parameters=params(), wage_value_percent=D(100), contract_hours=D(20), full_time_hours=D(40)
    )
    assert result.core == result.subsidy == D("0.00")


def test_each_step_is_rounded_to_cents_half_up():
    # minimum wage 2,294.76 x 1.08 = 2,478.3408 -> 2,478.34; x 24 / 36 = 1,652.2266.. -> 1,652.23
    # loss at 45%: 1,652.23 x 0.55 = 908.7265 -> 908.73; cap 1,156.561 -> 1,156.56
    # employer costs 908.73 x 0.235 = 213.55155 -> 213.55; subsidy 1,122.28
    result = subsidy.calculate(
        parameters=params(minimum_wage="2294.76"),
        wage_value_percent=D(45),
        contract_hours=D(24),
        full_time_hours=D(36),
    )
    assert result.wage_with_holiday_pay == D("2478.34")
    assert result.base == D("1652.23")
    assert result.loss == D("908.73")
    assert result.cap == D("1156.56")
    assert result.subsidy == D("1122.28")


@pytest.mark.parametrize(
    ("wage_value", "hours", "full_time"),
    [
        (D("-1"), D(32), D(36)),
        (D("100.01"), D(32), D(36)),
        (D(60), D(0), D(36)),
        (D(60), D(38), D(36)),
    ],
)
def test_impossible_inputs_are_refused(wage_value, hours, full_time):
    with pytest.raises(ValueError):
        subsidy.calculate(
            parameters=params(),
            wage_value_percent=wage_value,
            contract_hours=hours,
            full_time_hours=full_time,
        )


@pytest.mark.django_db
def test_the_minimum_wage_in_force_on_the_start_date_is_used():
    WageParameters.objects.all().delete()  # only the two rows below, not those migrate loads
    WageParametersFactory(valid_from=datetime.date(2025, 7, 1), minimum_wage_month=D("1900"))
    WageParametersFactory(valid_from=datetime.date(2026, 1, 1), minimum_wage_month=D("2000"))
    assert subsidy.parameters_on(datetime.date(2025, 12, 31)).minimum_wage_month == D("1900")
    assert subsidy.parameters_on(datetime.date(2026, 1, 1)).minimum_wage_month == D("2000")
    assert subsidy.parameters_on(datetime.date(2027, 5, 1)).minimum_wage_month == D("2000")
    with pytest.raises(ValidationError):
        subsidy.parameters_on(datetime.date(2025, 6, 30))


@pytest.mark.django_db
def test_a_saved_calculation_keeps_its_parameters_when_the_table_changes():
    row = WageParametersFactory(valid_from=datetime.date(2026, 1, 1))
    provision = ProvisionFactory(start_date=datetime.date(2026, 3, 2))
    calculation = services.subsidy_calculate(
        actor=None,
        provision=provision,
        reference_date=datetime.date(2026, 3, 2),
        wage_value_percent=D(60),
        contract_hours=D(32),
        full_time_hours=D(36),
        apply=True,
    )
    provision.refresh_from_db()
    assert provision.amount_eur == calculation.subsidy_eur == D("948.48")
    services.provision_update(
        actor=None,
        provision=provision,
        decision=Decision.GRANTED,
        decided_on=datetime.date(2026, 3, 9),
    )
    # The administrator corrects the minimum wage afterwards.
    WageParameters.objects.filter(pk=row.pk).update(minimum_wage_month=D("2100"))
    calculation.refresh_from_db()
    provision.refresh_from_db()
    assert calculation.minimum_wage_month == D("2000.00")
    assert services.calculation_result(calculation).subsidy == D("948.48")
    assert provision.amount_eur == D("948.48")
    # A new calculation may be made, but it does not change the granted amount.
    with pytest.raises(ValidationError):
        services.subsidy_calculate(
            actor=None,
            provision=provision,
            reference_date=datetime.date(2026, 3, 2),
            wage_value_percent=D(60),
            contract_hours=D(32),
            full_time_hours=D(36),
            apply=True,
        )
    provision.refresh_from_db()
    assert provision.amount_eur == D("948.48")


@pytest.mark.django_db
def test_the_reference_data_hold_the_statutory_minimum_wages():
    from placements import reference

    # migrate loaded the nine rows (placements/migrations/0002); a reload adds none.
    assert WageParameters.objects.count() == 9
    assert reference.load() == {"wage_parameters": 0}
    july_2023 = subsidy.parameters_on(datetime.date(2023, 12, 31))
    assert july_2023.minimum_wage_month == D("1995.00")
    # Since 2024 the reference minimum monthly wage (with the hourly minimum of EUR 14.71)
    assert subsidy.parameters_on(datetime.date(2026, 6, 1)).minimum_wage_month == D("2294.40")
    assert subsidy.parameters_on(datetime.date(2025, 7, 1)).minimum_wage_month == D("2245.80")
