"""A client's referrals and practical assessments are in the right-of-access export and the
timeline, and leave with the anonymisation."""

import datetime
import json

import pytest
from django.utils import timezone

from clients import timeline
from diagnosis import services
from diagnosis.models import PracticalAssessment, Referral
from privacy import export
from privacy.services import client_anonymise
from tests.diagnosis.conftest import intake_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed(refer, client_of_coach, consultant):
    """Referred, answered by the consultant's intake, an assessment planned and evaluated."""
    referral = refer(client_of_coach, limitation_notes="Raakt snel vermoeid.")
    intake_by(consultant, client_of_coach, advised_route="employee", advice_notes="Vier uur.")
    start = timezone.localdate() - datetime.timedelta(weeks=9)
    assessment = services.assessment_plan(
        actor=consultant,
        referral=referral,
        workplace="Distributiecentrum Assen",
        supervisor_name="Kees Brouwer",
        starts_on=start,
        ends_on=start + datetime.timedelta(weeks=8),
        goal="Uren per dag",
    )
    services.assessment_finish(
        actor=consultant,
        assessment=assessment,
        status="evaluated",
        evaluation="Vier uur per dag gaat goed.",
        evaluated_on=start + datetime.timedelta(weeks=8),
        advised_route="employee",
    )
    return client_of_coach


def test_the_export_lists_the_referral_and_the_assessment(assessed):
    sections = json.loads(export.as_json(export.export_build(assessed)))["sections"]
    (referral,) = sections["diagnosis_referrals"]["records"]
    assert referral["question"] == "Hoeveel uur per dag kan zij werken?"
    assert referral["limitation_notes"] == "Raakt snel vermoeid."
    assert referral["status"] == "Beantwoord"
    assert referral["answer"] == "Vier uur."
    (assessment,) = sections["practical_assessments"]["records"]
    assert assessment["workplace"] == "Distributiecentrum Assen"
    assert assessment["status"] == "Geëvalueerd"
    assert assessment["advised_route"] == "Route werknemer (betaald werk)"


def test_the_timeline_shows_the_referral_its_answer_and_the_assessment(assessed):
    kinds = [entry.kind for entry in timeline.page_for_client(assessed, 1).entries]
    for kind in ("referral", "referral_answered", "assessment_planned", "assessment_finished"):
        assert kind in kinds


def test_anonymising_removes_the_referrals_and_assessments(assessed):
    client_anonymise(client=assessed, actor=None)
    assert not Referral.objects.filter(client=assessed).exists()
    assert not PracticalAssessment.objects.exists()
