import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.validators import (
    mask_bsn,
    normalize_bsn,
    normalize_kvk,
    normalize_postcode,
    validate_bsn,
)
from tests.factories import valid_bsn


def test_bsn_passing_the_eleven_test_is_accepted():
    # 1*9 + 2*8 + 3*7 + 4*6 + 5*5 + 6*4 + 7*3 + 8*2 - 2*1 = 154 = 14 * 11
    validate_bsn("123456782")


def test_bsn_failing_the_eleven_test_is_refused_with_its_reason():
    with pytest.raises(ValidationError) as error:
        validate_bsn("123456783")
    assert error.value.code == "bsn_checksum"


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
