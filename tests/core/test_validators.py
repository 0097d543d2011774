import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.validators import (
    bsn_check_digit,
    mask_bsn,
    normalize_bsn,
    normalize_kvk,
    normalize_postcode,
    validate_bsn,
    validate_name,
)
from tests.factories import valid_bsn


def test_bsn_passing_the_eleven_test_is_accepted():
    # 1*9 + 2*8 + 3*7 + 4*6 + 5*5 + 6*4 + 7*3 + 8*2 - 2*1 = 154 = 14 * 11
    validate_bsn("123456782")


def test_bsn_failing_the_eleven_test_is_refused_with_its_reason():
    with pytest.raises(ValidationError) as error:
        validate_bsn("123456783")
    assert error.value.code == "bsn_checksum"


def test_the_check_digit_completes_eight_digits_to_a_valid_bsn():
    # 1*9 + 1*8 + 1*7 + 2*6 + 2*5 + 2*4 + 3*3 + 3*2 = 69 = 6 * 11 + 3
    assert bsn_check_digit("11122233") == 3
    validate_bsn("111222333")
    # 1*9 + 6*2 = 21 = 11 + 10: no digit makes this one valid
    assert bsn_check_digit("10000006") is None


@pytest.mark.parametrize("value", ["12345678", "1234567890", "12345678a", ""])
def test_bsn_of_wrong_length_or_with_letters_is_refused(value):
    with pytest.raises(ValidationError) as error:
        validate_bsn(value)
    assert error.value.code in {"bsn_format", "bsn_checksum"}


def test_bsn_is_compacted_and_keeps_leading_zeros():
    assert normalize_bsn(" 0123.45.678 ") == "012345678"


@given(st.integers(min_value=0, max_value=40_000_000))
def test_every_factory_bsn_passes_the_eleven_test(n):
    validate_bsn(valid_bsn(n))


def test_factory_bsns_are_distinct():
    bsns = [valid_bsn(n) for n in range(5000)]
    assert len(set(bsns)) == 5000


@pytest.mark.parametrize(
    "value, expected", [("9401ab", "9401 AB"), ("9401 AB", "9401 AB"), (" 9471  xy ", "9471 XY")]
)
def test_postcode_is_normalised(value, expected):
    assert normalize_postcode(value) == expected


@pytest.mark.parametrize("value", ["1234 SA", "1234SD", "1234 ss"])
def test_postcode_with_letters_not_in_use_is_refused(value):
    with pytest.raises(ValidationError) as error:
        normalize_postcode(value)
    assert error.value.code == "postcode_letters"


@pytest.mark.parametrize("value", ["0123 AB", "123 AB", "ABCD 12", "94011AB"])
def test_postcode_of_wrong_shape_is_refused(value):
    with pytest.raises(ValidationError):
        normalize_postcode(value)


def test_bsn_is_masked_to_its_last_four_digits():
    assert mask_bsn("123456782") == "*****6782"


def test_kvk_number_is_eight_digits_with_spaces_and_dots_dropped():
    assert normalize_kvk("0123 45.67") == "01234567"


@pytest.mark.parametrize("value", ["1234567", "123456789", "1234567a", "", "１２３４５６７８"])
def test_kvk_number_of_wrong_length_or_with_other_characters_is_refused(value):
    with pytest.raises(ValidationError) as error:
        normalize_kvk(value)
    assert error.value.code == "invalid_kvk"
    assert "8" in str(error.value.messages[0])


@pytest.mark.parametrize(
    "name",
    ["Ṣàlâm", "S\u0323a\u0300la\u0302m", "ሰላም", "محمد", "d'Arc", "van der", "Jean-Luc", "Zoë"],
)
def test_names_in_any_script_are_accepted(name):
    validate_name(name)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("\u200b\u200b", "name_invisible"),  # zero-width spaces only
        ("\u00a0", "name_invisible"),
        ("\u0301", "name_invisible"),  # a combining accent without a letter
        ("Ann\u202eA", "name_control"),  # right-to-left override
        ("Ann\u2066A", "name_control"),  # left-to-right isolate
        ("A\x07", "name_control"),  # bell
        ("A\nB", "name_control"),
    ],
)
def test_invisible_names_and_control_characters_are_refused(name, code):
    with pytest.raises(ValidationError) as refused:
        validate_name(name)
    assert refused.value.code == code


def test_the_client_and_contact_person_forms_refuse_a_right_to_left_override_in_dutch(db):
    from clients.forms import ClientForm
    from employers.forms import ContactPersonForm

    form = ContactPersonForm(data={"name": "Ann\u202eA"})
    assert form.errors["name"] == [
        "Een naam mag geen stuurtekens of tekens die de schrijfrichting omdraaien bevatten."
    ]
    form = ClientForm(data={"first_name": "\u200b\u200b", "last_name": "Ann\u202eA"})
    assert form.errors["first_name"] == ["Een naam moet minstens één zichtbaar teken bevatten."]
    assert "last_name" in form.errors
