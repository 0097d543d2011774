"""How a figure reads: the one place that turns a share, a count or a mean into text.

STYLE.md "Figures people read" and spec/kpis.md: a share reads as a percentage with one decimal,
rounded half away from zero (0.4375 is 43,8%, 2/3 is 66,7%), with the language's decimal comma;
a count gets thousands separators (1.234); "no figure" is a dash. Pages, the PDF, chart labels
and the xlsx's number formats all read figures through here, so they cannot disagree.

Rounding is done on exact values with `Decimal.quantize(ROUND_HALF_UP)`: never Python's
`round()` (half to even: 12,5 becomes 12) nor `django.utils.numberformat.format` on an unrounded
value (it cuts digits off: 14/32 would read 43,7%). The separators are put in afterwards, on a
value that is already rounded.
"""

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from numbers import Rational

from django.utils.formats import get_format

NO_FIGURE = "–"  # what the product shows where there is nothing to divide by

# A fraction p/q that is not itself a half-way point lies at least 1/(20q) from one at a
# percentage's first decimal; 40 significant digits of p/q keep that distance for any q the
# product could count, so the division cannot push a value across a half.
_PRECISION = 40

Number = int | float | Decimal | Fraction


def exact(value: Number) -> Decimal:
    """`value` as a Decimal without binary noise.

    A float is read as the shortest decimal that gives it back (`repr`): the KPIs round their
    rates to 4 decimals, and 0.0285 is meant, not 0.028499999999999998 (which would round down).
    A Fraction is divided out to _PRECISION digits.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a figure is a number, not a bool")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Rational):
        with localcontext(prec=_PRECISION):
            return Decimal(value.numerator) / Decimal(value.denominator)
    raise TypeError(f"not a figure: {value!r}")


def rounded(value: Number, places: int) -> Decimal:
    """`value` rounded to `places` decimals, half away from zero (2.45 is 2.5, -2.45 is -2.5)."""
    with localcontext(prec=_PRECISION):
        return exact(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _text(value: Decimal) -> str:
    """An already rounded Decimal with the active language's separators (nl: 1.234,5)."""
    sign = "-" if value < 0 else ""
    whole, _dot, decimals = f"{abs(value):f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, group = whole[:-3], whole[-3:]
        groups.insert(0, group)
    grouped = get_format("THOUSAND_SEPARATOR").join([whole, *groups])
    return sign + grouped + (get_format("DECIMAL_SEPARATOR") + decimals if decimals else "")


def share_value(part: Number | None, whole: Number | None = None) -> Decimal | None:
    """The share as a percentage with one decimal (43.8 for 14/32 or 0.4375); None when there is
    no figure (no value, or nothing to divide by)."""
    if part is None or (whole is not None and not whole):
        return None
    ratio = Fraction(exact(part))  # exact: a Decimal converts without loss
    if whole is not None:
        ratio /= Fraction(exact(whole))
    return rounded(ratio * 100, 1)


def share(part: Number | None, whole: Number | None = None) -> str:
    """A share as people read it: `share(0.4375)` and `share(7, 16)` are "43,8%"; a dash for no
    figure. Give a rate (0 to 1), or the counts it is made of."""
    value = share_value(part, whole)
    return NO_FIGURE if value is None else _text(value) + "%"


def count(value: int | None) -> str:
    """A count with thousands separators: 1.234; a dash for no figure."""
    return NO_FIGURE if value is None else _text(Decimal(int(value)))


def decimal(value: Number | None, places: int) -> str:
    """A figure with a fixed number of decimals, rounded half away from zero: 64,2; 1,63."""
    return NO_FIGURE if value is None else _text(rounded(value, places))


# The number format of a share in a spreadsheet: the cell holds the rate itself (0.4375), the
# format shows it with one decimal, as `share` does (Excel rounds half away from zero too).
XLSX_SHARE_FORMAT = "0.0%"
XLSX_COUNT_FORMAT = "#,##0"
