"""Validators for Dutch identifiers, on top of python-stdnum, with messages for the interface."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode


def normalize_bsn(value: str) -> str:
    """The BSN as nine digits (spaces and dots removed, leading zeros kept)."""
    return stdnum_bsn.compact(value or "")


def validate_bsn(value: str) -> None:
    """Accept a BSN only if it has nine digits and passes the eleven-test."""
    try:
        stdnum_bsn.validate(value)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("This is not a valid BSN: it fails the eleven-test."), code="bsn_checksum"
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(_("A BSN has nine digits."), code="bsn_format") from None


def bsn_check_digit(first_eight: str) -> int | None:
    """The ninth digit that makes these eight a valid BSN; None when the eleven-test wants 10."""
    digit = stdnum_bsn.checksum(f"{first_eight}0")
    return digit if digit < 10 else None


def normalize_postcode(value: str) -> str:
    """The postcode as `1234 AB`; raises ValidationError when it is not a Dutch postcode."""
    try:
        return stdnum_postcode.validate(value)
    except stdnum_errors.InvalidComponent:
        raise ValidationError(
            _("This postcode does not exist: the letters SA, SD and SS are not used."),
            code="postcode_letters",
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("Enter a Dutch postcode of four digits and two letters, such as 9401 AB."),
            code="postcode_format",
        ) from None


def validate_postcode(value: str) -> None:
    normalize_postcode(value)


def normalize_kvk(value: str) -> str:
    """A KvK number as its 8 digits, spaces and dots removed; raises ValidationError otherwise.

    The Chamber of Commerce number has no check digit, so eight digits is all there is to check.
    """
    digits = "".join(ch for ch in str(value) if ch not in " .")
    if len(digits) != 8 or not digits.isascii() or not digits.isdigit():
        raise ValidationError(
            _("A KvK number has exactly 8 digits, for example 12345678."), code="invalid_kvk"
        )
    return digits


def validate_kvk(value: str) -> None:
    normalize_kvk(value)


def mask_bsn(value: str) -> str:
    """Show only the last four digits: `*****6782`."""
    if not value:
        return ""
    return "*" * (len(value) - 4) + value[-4:]


# Right-to-left and other direction overrides and isolates: they make a name read differently
# on the screen than it sorts and searches (issue 15, item 5).
_DIRECTION_MARKS = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# Categories that show nothing on their own: format characters (zero-width space), separators,
# controls and combining marks without a base letter.
_INVISIBLE = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me"})


def validate_name(value: str) -> None:
    """Accept a name in any script; refuse control characters, direction overrides and a name
    made only of invisible characters."""
    if not value:
        return
    if any(ch in _DIRECTION_MARKS or unicodedata.category(ch) == "Cc" for ch in value):
        raise ValidationError(
            _("A name cannot contain control characters or marks that change the text direction."),
            code="name_control",
        )
    if all(unicodedata.category(ch) in _INVISIBLE for ch in value):
        raise ValidationError(
            _("A name needs at least one visible character."), code="name_invisible"
        )
