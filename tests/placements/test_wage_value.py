"""The wage value from the task table of the national method."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from placements import services
from placements.wage_value import TaskScore, shares_total, wage_value_from_tasks

D = Decimal


def test_wage_value_is_the_share_weighted_product_of_the_scores():
    tasks = [
        # 50% of the time: 90% quality x 80% pace x 100% employability = 72% -> 36.00
        TaskScore(D(50), D(90), D(80), D(100)),
        # 30%: 100 x 60 x 90 = 54% -> 16.20
        TaskScore(D(30), D(100), D(60), D(90)),
        # 20%: 80 x 50 x 100 = 40% -> 8.00
        TaskScore(D(20), D(80), D(50), D(100)),
    ]
    assert shares_total(tasks) == 100
    assert wage_value_from_tasks(tasks) == D("60.20")


def test_full_scores_give_a_full_wage_value():
    assert wage_value_from_tasks([TaskScore(D(100), D(100), D(100), D(100))]) == D("100.00")


def test_an_assessment_needs_a_wage_value_or_a_task_table_whoever_records_it(
    client_of_coach, coach
):
    # The rule is the service's, so a command or an import meets it, not only the form.
    with pytest.raises(ValidationError) as refused:
        services.assessment_record(
            actor=coach,
            client=client_of_coach,
            assessed_on=datetime.date(2026, 3, 2),
            method="Loonwaardemeting",
        )
    assert refused.value.message_dict["wage_value_percent"] == [
        "Vul de loonwaarde in, of vul de hoofdtaken in om haar te berekenen."
    ]
