"""Factories for employers, placements, assessments and provisions (issue 7)."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from employers.models import Employer
from placements.models import (
    Contract,
    Decision,
    Placement,
    PlacementKind,
    Provision,
    ProvisionKind,
    WageParameters,
    WageValueAssessment,
)
from tests.factories import ClientFactory


class EmployerFactory(DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Werkgever {n} B.V.")


class PlacementFactory(DjangoModelFactory):
    class Meta:
        model = Placement

    client = factory.SubFactory(ClientFactory)
    employer = factory.SubFactory(EmployerFactory)
    kind = PlacementKind.REGULAR
    start_date = datetime.date(2026, 3, 2)
    contract = Contract.TEMPORARY
    contract_end_date = datetime.date(2027, 3, 1)
    hours_per_week = Decimal("32")


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = WageValueAssessment

    client = factory.LazyAttribute(lambda o: o.placement.client if o.placement else None)
    placement = factory.SubFactory(PlacementFactory)
    assessed_on = datetime.date(2026, 3, 16)
    wage_value_percent = Decimal("60")
    method = "Landelijke methode loonwaardebepaling"


class ProvisionFactory(DjangoModelFactory):
    class Meta:
        model = Provision

    client = factory.LazyAttribute(lambda o: o.placement.client if o.placement else None)
    placement = factory.SubFactory(PlacementFactory)
    kind = ProvisionKind.WAGE_COST_SUBSIDY_STRUCTURAL
    requested_on = datetime.date(2026, 3, 2)
    decision = Decision.PENDING


class WageParametersFactory(DjangoModelFactory):
    class Meta:
        model = WageParameters

    valid_from = datetime.date(2026, 1, 1)
    minimum_wage_month = Decimal("2000.00")
    holiday_pay_factor = Decimal("1.08")
    cap_percent = Decimal("70")
    employer_cost_percent = Decimal("23.5")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # migrate loads the statutory rows (placements/migrations/0002): a test's row for the
        # same date replaces that one's figures, so the test computes with what it says.
        valid_from = kwargs.pop("valid_from")
        return model_class.objects.update_or_create(valid_from=valid_from, defaults=kwargs)[0]
