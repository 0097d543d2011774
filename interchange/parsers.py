"""Cell parsers of the interchange format (interchange.md, "Files"): each turns the stripped,
non-empty text of a cell into a value, or raises Invalid with what is wrong.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.nl import bsn as stdnum_bsn

from core.validators import normalize_kvk, normalize_postcode, validate_name

REF_MAX_LENGTH = 64
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DECIMAL = re.compile(r"-?\d+(?:[.,]\d+)?\Z")
_BSN = re.compile(r"\d{9}\Z")
_CODE = re.compile(r"[-a-z0-9_]+\Z")
TRUE = frozenset({"true", "1", "ja"})
FALSE = frozenset({"false", "0", "nee"})


def plain_up_to(max_length: int):
    """Marks a parser that returns a cell as it is when it has at most `max_length` characters
    and no carriage return: the engine then takes such a cell without calling the parser (it
    runs for millions of cells)."""

    def mark(parse):
        parse.plain_up_to = max_length
        return parse

    return mark


def plain_length(parse) -> int:
    """The length up to which the parser takes a text as it is (plain_up_to), or 0."""
    return getattr(parse, "plain_up_to", 0)


class Invalid(Exception):
    """A cell that breaks a rule of the format; the message says what is wrong."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message, self.code = message, code


def text(max_length: int):
    @plain_up_to(max_length)
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise Invalid(
                _("too long: %(length)d characters, at most %(max)d")
                % {"length": len(value), "max": max_length},
                "too_long",
            )
        return value.replace("\r\n", "\n") if "\r" in value else value

    return parse


def name(max_length: int):
    """Text that is a person's name: no control characters, no direction overrides, visible."""
    parse_text = text(max_length)

    def parse(value: str) -> str:
        value = parse_text(value)
        try:
            validate_name(value)
        except ValidationError as error:
            raise Invalid(error.messages[0], error.code) from None
        return value

    return parse


@plain_up_to(REF_MAX_LENGTH)
def ref(value: str) -> str:
    if len(value) > REF_MAX_LENGTH:
        raise Invalid(
            _("a reference has at most %(max)d characters, this one %(length)d")
            % {"max": REF_MAX_LENGTH, "length": len(value)},
            "too_long",
        )
    return value


# Dates repeat a lot (a million contacts fall on a few thousand days): parse each text once.
# At most KNOWN_DATES of them, for the life of the process: a bound, not a map of the rows.
KNOWN_DATES = 100_000
_dates: dict[str, datetime.date] = {}


def date(value: str) -> str:
    """The date as its checked `YYYY-MM-DD` text: compares like dates, and both databases take it
    as it is (cheaper to spool and write than date objects)."""
    if value in _dates:
        return value
    if not _DATE.match(value):
        raise Invalid(
            _("not a date in the form YYYY-MM-DD: %(value)s") % {"value": value}, "bad_date"
        )
    try:
        parsed = datetime.date.fromisoformat(value)
    except ValueError:
        raise Invalid(
            _("this date does not exist: %(value)s") % {"value": value}, "bad_date"
        ) from None
    if len(_dates) < KNOWN_DATES:
        _dates[value] = parsed
    return value


def boolean(value: str) -> bool:
    lowered = value.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise Invalid(
        _("not a yes/no value: %(value)s (use true/false, 1/0 or ja/nee)") % {"value": value},
        "bad_boolean",
    )


def decimal(
    *,
    minimum: Decimal | None = None,
    above: Decimal | None = None,
    maximum: Decimal | None = None,
    places: int = 2,
):
    """A decimal with `.` or `,` as separator, no thousands separator, within the bounds."""

    def parse(value: str) -> Decimal:
        if not _DECIMAL.match(value):
            raise Invalid(
                _("not a number: %(value)s (use . or , for decimals, no thousands separator)")
                % {"value": value},
                "bad_decimal",
            )
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern already excludes this
            raise Invalid(_("not a number: %(value)s") % {"value": value}, "bad_decimal") from None
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            raise Invalid(
                _("at most %(places)d decimals: %(value)s") % {"places": places, "value": value},
                "bad_decimal",
            )
        if minimum is not None and number < minimum:
            raise Invalid(
                _("must be at least %(min)s: %(value)s") % {"min": minimum, "value": value},
                "out_of_range",
            )
        if above is not None and number <= above:
            raise Invalid(
                _("must be more than %(min)s: %(value)s") % {"min": above, "value": value},
                "out_of_range",
            )
        if maximum is not None and number > maximum:
            raise Invalid(
                _("must be at most %(max)s: %(value)s") % {"max": maximum, "value": value},
                "out_of_range",
            )
        return number

    return parse


def code(choices):
    """One of the lower-case codes of a TextChoices class (or an iterable of codes)."""
    allowed = frozenset(getattr(choices, "values", choices))
    listed = ", ".join(sorted(allowed))

    def parse(value: str) -> str:
        if value not in allowed:
            raise Invalid(
                _("unknown code %(value)s; allowed: %(allowed)s")
                % {"value": value, "allowed": listed},
                "unknown_code",
            )
        return value

    return parse


def slug(max_length: int):
    def parse(value: str) -> str:
        if not _CODE.match(value):
            raise Invalid(
                _("a code has only lower-case letters, digits, - and _: %(value)s")
                % {"value": value},
                "bad_code",
            )
        return text(max_length)(value)

    return parse


def bsn(value: str) -> str:
    # interchange.md: 9 digits, leading zeros kept. A spreadsheet that dropped a leading zero
    # left 8 digits: an error, never padded silently.
    if not _BSN.match(value):
        raise Invalid(_("a BSN has exactly nine digits"), "bad_bsn")
    if not eleven_test(value):  # 000000000 fails too
        raise Invalid(_("not a valid BSN: it fails the eleven-test"), "bad_bsn")
    return value


# The eleven-test's weights of a BSN's nine digits (the last counts -1), and what the digits' ASCII
# codes add to the sum: 48 for each weight.
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
_ASCII_ZEROS = 48 * sum(_WEIGHTS)


def eleven_test(value: str) -> bool:
    """Whether a text is a BSN by the eleven-test, exactly as python-stdnum's
    `stdnum.nl.bsn.is_valid` decides (tests/interchange compares the two): nine ASCII digits are
    tested here, not all zeros; anything else goes to stdnum, which also takes full-width digits
    and separators. Here because the import tests every BSN of a file, and stdnum's cleaning of
    the text costs ten times as much as the test."""
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        return stdnum_bsn.is_valid(value)
    b = value.encode()
    total = 9 * b[0] + 8 * b[1] + 7 * b[2] + 6 * b[3] + 5 * b[4] + 4 * b[5] + 3 * b[6] + 2 * b[7]
    return (total - b[8] - _ASCII_ZEROS) % 11 == 0 and value != "000000000"


_POSTCODE = re.compile(r"([1-9]\d{3}) ?([A-Za-z]{2})\Z")


def postcode(value: str) -> str:
    match = _POSTCODE.match(value)
    if match and match.group(2).upper() not in ("SA", "SD", "SS"):
        return f"{match.group(1)} {match.group(2).upper()}"  # the common case, without stdnum
    try:
        return normalize_postcode(value)
    except ValidationError as error:
        raise Invalid(
            _("not a Dutch postcode: %(value)s (%(reason)s)")
            % {"value": value, "reason": error.messages[0]},
            "bad_postcode",
        ) from None


def kvk(value: str) -> str:
    try:
        return normalize_kvk(value)
    except ValidationError:
        raise Invalid(
            _("a KvK number has exactly 8 digits: %(value)s") % {"value": value}, "bad_kvk"
        ) from None
