"""Social Return progress, weighted for ages 50+ and 55+ by the rule valid at the start."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from employers import services
from employers.models import SroiRule
from placements import sroi
from placements.models import Placement
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def place(employer, *, born, start, sroi=True):
    return Placement.objects.create(
        client=ClientFactory(birth_date=born),
        employer=employer,
        kind="regular",
        start_date=start,
        sroi=sroi,
    )


def test_progress_counts_sroi_placements_in_the_period_with_age_weights(employer, account_manager):
    obligation = services.sroi_obligation_add(
        actor=account_manager,
        employer=employer,
        tender="Schoonmaak gemeentehuis",
        contract_value=Decimal("1000000"),
        placements_required=5,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    start = datetime.date(2026, 3, 1)
    place(employer, born=datetime.date(1990, 1, 1), start=start)  # 36: weight 1
    place(employer, born=datetime.date(1976, 3, 1), start=start)  # 50 that day: 1.5
    place(employer, born=datetime.date(1971, 3, 2), start=start)  # 54, 55 tomorrow: 1.5
    place(employer, born=datetime.date(1960, 1, 1), start=start)  # 66: 2.0
    place(employer, born=datetime.date(1960, 1, 1), start=start, sroi=False)  # not counted
    place(employer, born=datetime.date(1990, 1, 1), start=datetime.date(2027, 1, 1))  # after
    row = sroi.with_progress().get(pk=obligation.pk)
    assert (row.placements, row.aged_50, row.aged_55) == (4, 2, 1)
    # 1 + 1.5 + 1.5 + 2 = 6 of 5 asked: done
    assert row.weighted == Decimal("6.00")
    assert sroi.percent_done(row) == 100


def test_a_euro_obligation_counts_each_placement_at_the_rule_valid_on_its_start(
    employer, account_manager
):
    SroiRule.objects.create(
        valid_from=datetime.date(2026, 6, 1),
        value_per_placement=Decimal("40000"),
        weight_50_plus=Decimal("1.25"),
        weight_55_plus=Decimal("1.75"),
    )
    obligation = services.sroi_obligation_add(
        actor=account_manager,
        employer=employer,
        tender="Groenonderhoud",
        contract_value=Decimal("2000000"),
        percentage=Decimal("5"),  # 100,000 euro
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    place(employer, born=datetime.date(1960, 1, 1), start=datetime.date(2026, 2, 1))
    place(employer, born=datetime.date(1960, 1, 1), start=datetime.date(2026, 7, 1))
    row = sroi.with_progress().get(pk=obligation.pk)
    # before June: 2.0 x 35,000 = 70,000; from June: 1.75 x 40,000 = 70,000
    assert row.worth == Decimal("140000.00")
    assert obligation.target_amount == Decimal("100000.00")
    assert sroi.percent_done(row) == 100
    assert row.weighted == Decimal("3.75")


def test_obligation_periods_of_one_employer_may_not_overlap(employer, account_manager):
    fields = dict(tender="A", contract_value=Decimal("1000"), placements_required=1)
    services.sroi_obligation_add(
        actor=account_manager,
        employer=employer,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        **fields,
    )
    with pytest.raises(ValidationError) as refused:
        services.sroi_obligation_add(
            actor=account_manager,
            employer=employer,
            start_date=datetime.date(2026, 12, 1),
            end_date=datetime.date(2027, 6, 30),
            **fields,
        )
    assert "start_date" in refused.value.error_dict


def test_an_obligation_needs_a_percentage_or_a_number(employer, account_manager):
    with pytest.raises(ValidationError):
        services.sroi_obligation_add(
            actor=account_manager,
            employer=employer,
            tender="B",
            contract_value=Decimal("1000"),
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 12, 31),
        )


@pytest.mark.parametrize(
    ("asked", "shown"),
    [
        # 2.5 weighted placements of 3 asked: 83.33...% (the bar's whole percent: 83)
        ({"placements_required": 3, "weighted": Decimal("2.50")}, "83,3%"),
        # 43,750 of 100,000 euro: 43.75%, up to 43,8% (cut off to a whole percent it read 43%)
        ({"placements_required": None, "worth": Decimal("43750.00"),
          "target_amount": Decimal("100000.00")}, "43,8%"),
        # more than asked: done, not beyond
        ({"placements_required": 2, "weighted": Decimal("3.00")}, "100,0%"),
    ],
)  # fmt: skip
def test_progress_of_an_obligation_reads_as_a_share_with_one_decimal(asked, shown):
    from types import SimpleNamespace

    from core import figures

    assert figures.share(sroi.share_done(SimpleNamespace(**asked))) == shown


def test_the_overview_shows_progress_rounded_not_cut_off(employer, account_manager, am_client):
    from django.urls import reverse

    services.sroi_obligation_add(
        actor=account_manager,
        employer=employer,
        tender="Schoonmaak gemeentehuis",
        contract_value=Decimal("1000000"),
        placements_required=3,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    place(employer, born=datetime.date(1960, 1, 1), start=datetime.date(2026, 3, 1))  # 66: 2.0
    # 2.0 of 3 asked: 66.67%
    page = am_client.get(reverse("placements:sroi_overview")).content.decode()
    assert '<span class="small">66,7%</span>' in page  # cut off to a whole percent: 66%
