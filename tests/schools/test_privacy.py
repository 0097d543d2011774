import pytest

from core import gdpr
from privacy.services import client_anonymise
from schools import services
from schools.models import Advice, ExitConversation, Leaver

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_from_school(leaver, advise, diagnosis_consultant, team, assen):
    advise(leaver, Advice.TARGET_GROUP_REGISTER, explanation="Banenafspraak past.")
    return services.leaver_become_client(
        actor=diagnosis_consultant, leaver=leaver, bsn="123456782", municipality=assen, team=team
    )


def test_the_leaver_record_is_in_the_clients_export(client_from_school):
    section = next(s for s in gdpr.sections_for(client_from_school) if s.key == "school_leaver")
    (record,) = section.records
    assert record["school"] == "Vso De Atlas (Voortgezet speciaal onderwijs (vso))"
    assert record["school_year"] == 2026
    assert record["advice"] == "Doelgroepregister"
    assert record["explanation"] == "Banenafspraak past."
    assert record["email"] == "daan@example.org"


def test_a_client_without_a_school_has_an_empty_section(client_of_coach):
    section = next(s for s in gdpr.sections_for(client_of_coach) if s.key == "school_leaver")
    assert section.records == []


def test_the_leaver_is_anonymised_with_the_client_and_still_counted(client_from_school):
    client_anonymise(client=client_from_school, actor=None)
    leaver = Leaver.objects.get()
    assert leaver.is_anonymised
    assert (leaver.first_name, leaver.last_name) == ("Geanonimiseerde", "schoolverlater")
    assert (leaver.bsn, leaver.email, leaver.phone) == ("", "", "")
    assert leaver.birth_date.month == 7 and leaver.birth_date.day == 1
    conversation = ExitConversation.objects.get()
    assert conversation.explanation == ""
    # The overview still counts the pupil, with the advice and the client.
    assert (leaver.school_year, conversation.advice, leaver.client_id) == (
        2026,
        Advice.TARGET_GROUP_REGISTER,
        client_from_school.pk,
    )
