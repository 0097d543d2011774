"""Placements in the right-of-access export and in anonymisation after the retention period."""

import pytest

from privacy import export
from privacy.services import client_anonymise
from tests.placements.factories import AssessmentFactory, PlacementFactory, ProvisionFactory

pytestmark = pytest.mark.django_db


def test_the_export_holds_placements_assessments_and_provisions(client_of_coach):
    placement = PlacementFactory(client=client_of_coach, job_title="Bakkersassistent")
    assessment = AssessmentFactory(placement=placement)
    assessment.tasks.create(
        description="Deeg maken",
        share_percent=100,
        quality_percent=60,
        pace_percent=100,
        employability_percent=100,
    )
    ProvisionFactory(placement=placement, amount_eur="948.48")
    document = export.as_json(export.export_build(client_of_coach))
    assert "Bakkersassistent" in document
    assert "Deeg maken" in document
    assert "948.48" in document
    assert "Loonkostensubsidie (structureel)" in document


def test_anonymising_removes_the_free_text_and_keeps_the_figures(client_of_coach, coach):
    placement = PlacementFactory(client=client_of_coach, notes="Rugklachten")
    assessment = AssessmentFactory(placement=placement, notes="Trage start door medicatie")
    provision = ProvisionFactory(placement=placement, notes="Advies psycholoog")
    client_anonymise(client=client_of_coach, actor=coach)
    for row in (placement, assessment, provision):
        row.refresh_from_db()
        assert row.notes == ""
    assert assessment.wage_value_percent == 60
    assert placement.hours_per_week == 32
