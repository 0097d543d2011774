"""Invariants of placements, assessments, provisions and follow-ups hold in the database."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from placements.models import Decision, FollowUp, FollowUpKind, Placement
from tests.factories import ClientFactory
from tests.placements.factories import (
    AssessmentFactory,
    EmployerFactory,
    PlacementFactory,
    ProvisionFactory,
)

pytestmark = pytest.mark.django_db


def test_placement_cannot_end_before_it_starts_in_the_database():
    placement = PlacementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(pk=placement.pk).update(end_date=datetime.date(2026, 3, 1))


def test_placement_end_before_start_is_a_readable_validation_error():
    placement = PlacementFactory.build(
        client=ClientFactory(), employer=EmployerFactory(), end_date=datetime.date(2026, 3, 1)
    )
    with pytest.raises(ValidationError) as caught:
        placement.full_clean()
    assert "A placement cannot end before it starts." in str(caught.value)


@pytest.mark.parametrize("hours", ["0", "40.01", "-1"])
def test_placement_hours_outside_0_to_40_are_refused_by_the_database(hours):
    placement = PlacementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(pk=placement.pk).update(hours_per_week=Decimal(hours))


@pytest.mark.parametrize("hours", ["0.5", "40"])
def test_placement_hours_inside_the_range_are_kept(hours):
    placement = PlacementFactory(hours_per_week=Decimal(hours))
    placement.refresh_from_db()
    assert placement.hours_per_week == Decimal(hours)


@pytest.mark.parametrize("percent", ["-0.01", "100.01"])
def test_wage_value_outside_0_to_100_is_refused_by_the_database(percent):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(wage_value_percent=Decimal(percent))


def test_a_decided_provision_needs_a_decision_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvisionFactory(decision=Decision.GRANTED, decided_on=None)
    provision = ProvisionFactory(decision=Decision.GRANTED, decided_on=datetime.date(2026, 3, 9))
    assert provision.is_granted


def test_a_follow_up_exists_once_per_kind_placement_and_date():
    placement = PlacementFactory()
    fields = dict(
        kind=FollowUpKind.CONTRACT_END,
        client=placement.client,
        placement=placement,
        due_on=placement.contract_end_date,
    )
    FollowUp.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(**fields)
    created = FollowUp.objects.bulk_create([FollowUp(**fields)], ignore_conflicts=True)
    assert len(created) == 1  # bulk_create returns its input; the table decides
    assert FollowUp.objects.count() == 1
