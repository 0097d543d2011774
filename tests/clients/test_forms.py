import datetime

import pytest
from django.utils import timezone

from clients.forms import ClientForm, ContactForm, IntakeForm

pytestmark = pytest.mark.django_db

# The hidden once-only token a rendered form carries (core.idempotency); without it the form
# is refused, which tests/core/test_submit_once.py covers.
TOKEN = {"submission_token": "5f0c6b8e-1d1e-4c53-9d4e-0a8e6c1d2b3a"}


def test_valid_client_form_normalises_bsn_and_postcode(new_client_data):
    form = ClientForm(data={**new_client_data, **TOKEN, "bsn": "1234.56.782"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["bsn"] == "123456782"
    assert form.cleaned_data["postcode"] == "9402 CD"


def test_bsn_failing_the_eleven_test_gets_a_dutch_message(new_client_data):
    form = ClientForm(data={**new_client_data, **TOKEN, "bsn": "123456783"})
    assert not form.is_valid()
    assert form.errors["bsn"] == ["Dit is geen geldig BSN: het voldoet niet aan de elfproef."]
    assert set(form.errors) == {"bsn"}


def test_postcode_with_unused_letters_is_refused(new_client_data):
    form = ClientForm(data={**new_client_data, **TOKEN, "postcode": "1234 SA"})
    assert not form.is_valid()
    assert "SA, SD en SS" in form.errors["postcode"][0]


def test_deregistration_before_registration_is_refused_next_to_its_field(new_client_data):
    form = ClientForm(
        data={
            **new_client_data,
            **TOKEN,
            "deregistered_on": "2025-02-28",
            "deregistration_reason": "work",
        }
    )
    assert not form.is_valid()
    assert form.errors["deregistered_on"] == [
        "De datum van uitschrijving kan niet voor de datum van inschrijving liggen."
    ]


def test_deregistration_needs_a_reason(new_client_data):
    form = ClientForm(data={**new_client_data, **TOKEN, "deregistered_on": "2025-06-01"})
    assert not form.is_valid()
    assert "deregistration_reason" in form.errors


def test_birth_date_in_the_future_is_refused(new_client_data):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = ClientForm(data={**new_client_data, **TOKEN, "birth_date": tomorrow.isoformat()})
    assert not form.is_valid()
    assert form.errors["birth_date"] == ["De geboortedatum kan niet in de toekomst liggen."]


def test_duplicate_bsn_is_refused_with_a_clear_message(new_client_data, client_of_coach):
    form = ClientForm(data={**new_client_data, **TOKEN, "bsn": client_of_coach.bsn})
    assert not form.is_valid()
    assert form.errors["bsn"] == ["Er is al een cliënt met dit BSN ingeschreven."]


def test_contact_in_the_future_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = ContactForm(data={"date": tomorrow.isoformat(), "channel": "phone", **TOKEN})
    assert not form.is_valid()
    assert "date" in form.errors


def _intake_data(**extra):
    return {
        "held_on": "2026-01-10",
        "ladder_step": "2",
        "advised_route": "employee",
        "work_estimate": "within_two_years",
        **TOKEN,
        **extra,
    }


def test_intake_collects_only_the_scores_filled_in():
    form = IntakeForm(
        data=_intake_data(
            life_wheel_finances="4",
            employee_skill_on_time="5",
            zrm_finances="2",
            zrm_finances_purpose="Doorverwijzing schuldhulpverlening",
        )
    )
    assert form.is_valid(), form.errors
    scores = {(s.instrument, s.domain): (s.score, s.purpose) for s in form.scores()}
    assert scores == {
        ("life_wheel", "finances"): (4, ""),
        ("employee_skill", "on_time"): (5, ""),
        ("zrm", "finances"): (2, "Doorverwijzing schuldhulpverlening"),
    }


def test_zrm_score_without_purpose_is_refused_next_to_the_purpose():
    form = IntakeForm(data=_intake_data(zrm_housing="3"))
    assert not form.is_valid()
    assert list(form.errors) == ["zrm_housing_purpose"]


def test_zrm_purpose_without_score_is_refused_next_to_the_score():
    form = IntakeForm(data=_intake_data(zrm_housing_purpose="Woonsituatie"))
    assert not form.is_valid()
    assert list(form.errors) == ["zrm_housing"]


@pytest.mark.parametrize("hours", ["41", "-1"])
def test_intake_hours_outside_0_to_40_are_refused(hours):
    form = IntakeForm(data=_intake_data(hours_per_week=hours))
    assert not form.is_valid()
    assert "hours_per_week" in form.errors
