"""The product's password rules (settings.AUTH_PASSWORD_VALIDATORS)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from core.passwords import UsernameWithDigitsValidator

REFUSED = "Uw wachtwoord mag niet uw gebruikersnaam zijn met alleen cijfers of leestekens erbij."


@pytest.mark.parametrize("password", ["coach2026", "Coach!!2026", "2026-COACH", "coach.coach"])
def test_the_username_with_only_digits_or_punctuation_is_refused(coach, password):
    with pytest.raises(ValidationError) as refused:
        UsernameWithDigitsValidator().validate(password, coach)
    assert refused.value.messages == [REFUSED]


@pytest.mark.parametrize("password", ["accountmanager2026", "Accountmanager!!2026"])
def test_the_product_refuses_a_long_username_plus_digits(account_manager, password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, account_manager)
    assert REFUSED in refused.value.messages


@pytest.mark.parametrize("password", ["coach-met-een-fiets-2026", "een-lang-wachtwoord-2026"])
def test_a_good_password_is_accepted(coach, password):
    validate_password(password, coach)  # raises nothing
