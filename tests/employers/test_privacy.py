"""Matching data in the right-of-access export and in anonymisation after the retention period."""

import datetime

import pytest

from employers import services
from employers.models import MatchEvent, MatchStage
from privacy import export
from privacy.services import client_anonymise

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(vacancy, make_candidate, account_manager):
    candidate = make_candidate(first_name="Anna", last_name="Kuipers")
    match = services.match_propose(
        actor=account_manager, vacancy=vacancy, profile=candidate, score=50, explanation=[]
    )
    MatchEvent.objects.create(
        match=match, stage=MatchStage.PROPOSED, actor=account_manager, note="Twijfelt over reistijd"
    )
    services.consent_record(
        actor=account_manager,
        client=candidate.client,
        scope="employer",
        employer=vacancy.employer,
        given_on=datetime.date(2026, 3, 1),
    )
    return candidate.client, match


def test_the_export_holds_the_profile_consents_and_matches(proposed, vacancy):
    client, _match = proposed
    document = export.as_json(export.export_build(client))
    assert "Kandidaatprofiel" in document
    assert vacancy.title in document
    assert "Twijfelt over reistijd" in document
    assert str(vacancy.employer) in document


def test_anonymising_removes_the_notes_on_the_steps_of_a_match(proposed, coach):
    client, match = proposed
    client_anonymise(client=client, actor=coach)
    notes = list(match.events.values_list("note", flat=True))
    assert notes and not any(notes)
