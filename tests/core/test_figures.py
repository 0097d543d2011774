"""core.figures: every share reads with one decimal, rounded half away from zero.

Each expected string is worked out by hand in the comment beside it.
"""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.template import Context, Template
from django.utils import translation

from core import figures


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


@pytest.mark.parametrize(
    ("rate", "shown"),
    [
        (0.4375, "43,8%"),  # 43.75: the half goes up (truncating gives 43,7)
        (0.7143, "71,4%"),  # 71.43
        (Decimal("0.4375"), "43,8%"),
        (Fraction(2, 3), "66,7%"),  # 66.666...: up (truncating gives 66,6)
        (Fraction(1, 8), "12,5%"),  # exactly 12.5, one decimal: nothing to round
        (0.0285, "2,9%"),  # 2.85; as a binary float 0.028499999999999998, which a float
        # round-trip would round down to 2,8
        (0.00045, "0,0%"),  # 0.045 is below the half of the first decimal: down
        (0.0005, "0,1%"),  # 0.05: exactly the half, up
        (0.00049, "0,0%"),  # 0.049: down
        (Decimal("0.00095"), "0,1%"),  # 0.095: up to 0.1
        (0.99995, "100,0%"),  # 99.995: up, carried into the whole number
        (1, "100,0%"),
        (0, "0,0%"),
        (None, "–"),
    ],
)
def test_a_rate_reads_as_a_percentage_rounded_half_away_from_zero(rate, shown):
    assert figures.share(rate) == shown


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (14, 32, "43,8%"),  # 43.75
        (7, 16, "43,8%"),  # 43.75
        (2, 3, "66,7%"),  # 66.666...
        (1, 7, "14,3%"),  # 14.2857...
        (25, 169, "14,8%"),  # 14.7928...
        (1, 3, "33,3%"),  # 33.333...
        (5, 8, "62,5%"),  # exactly 62.5
        (1, 2000, "0,1%"),  # 0.05: the half, up
        (9, 20000, "0,0%"),  # 0.045: down
        (3, 0, "–"),  # nothing to divide by
    ],
)
def test_a_share_of_counts_is_computed_exactly(part, whole, shown):
    assert figures.share(part, whole) == shown


def test_half_away_from_zero_not_half_to_even():
    # Python's round() gives 12 and 0.2 here (half to even); the product shows 13 and 0.3.
    assert figures.rounded(12.5, 0) == 13
    assert figures.rounded(Decimal("0.25"), 1) == Decimal("0.3")
    assert figures.rounded(-2.45, 1) == Decimal("-2.5")


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (64.15, 1, "64,2"),  # kpis.md: a mean of exactly 64.15 is 64.2
        (1.625, 2, "1,63"),  # 13/8 conversations
        (Fraction(13, 8), 2, "1,63"),
        (1234.5, 1, "1.234,5"),
        (None, 1, "–"),
    ],
)
def test_a_decimal_figure(value, places, shown):
    assert figures.decimal(value, places) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "0"), (999, "999"), (1234, "1.234"), (1234567, "1.234.567"), (None, "–")],
)
def test_a_count_gets_thousands_separators(value, shown):
    assert figures.count(value) == shown


def test_english_readers_get_their_own_separators():
    with translation.override("en"):
        assert figures.share(7, 16) == "43.8%"
        assert figures.count(1234) == "1,234"


def test_the_template_filters_use_the_same_helper():
    template = Template(
        "{% load figures %}"
        "{{ rate|share }} {{ part|share_of:whole }} {{ none|share }} {{ n|count }}"
    )
    context = Context({"rate": 0.4375, "part": 25, "whole": 169, "none": None, "n": 12345})
    assert template.render(context) == "43,8% 14,8% – 12.345"
