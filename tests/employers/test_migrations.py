"""A vacancy that was suitable for the register keeps that meaning under the register rule
(employers/migrations/0006)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from employers.models import RegisterRule, Vacancy

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    return executor.migrate(targets or executor.loader.graph.leaf_nodes()).apps


@pytest.fixture
def before_the_rule(employer):
    old = migrate([("employers", "0005_name_validators")])
    yield old
    migrate()  # also when the test failed halfway


def test_suitable_for_the_register_becomes_the_rule_suitable(before_the_rule, employer):
    old = before_the_rule
    OldVacancy = old.get_model("employers", "Vacancy")
    made = {}
    for suitable in (True, False):
        made[suitable] = OldVacancy.objects.create(
            employer_id=employer.pk,
            title=f"Vacature {suitable}",
            sector_id=old.get_model("employers", "Sector").objects.first().pk,
            hours_per_week=24,
            municipality_id=employer.municipality_id,
            suitable_for_register=suitable,
        ).pk
    migrate()
    assert Vacancy.objects.get(pk=made[True]).register_rule == RegisterRule.SUITABLE
    assert Vacancy.objects.get(pk=made[False]).register_rule == RegisterRule.NOT_ASKED
