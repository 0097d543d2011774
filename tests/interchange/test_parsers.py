"""The cell parsers' fast paths decide as the slower reference they replace."""

import random

import pytest
from django.utils import translation
from stdnum.nl import bsn as stdnum_bsn

from interchange import parsers
from interchange.parsers import Invalid


def _candidates():
    """Nine-character texts the BSN parser's pattern lets through: random digits (about one in
    eleven passes), every check digit of a few numbers, all zeros, and non-ASCII digits."""
    rng = random.Random(20)
    texts = [f"{rng.randrange(10**9):09d}" for _ in range(20_000)]
    for base in ("11122233", "00000000", "99999999", "12345678", "00000001"):
        texts += [base + str(digit) for digit in range(10)]
    texts += ["000000000", "\u0661\u0661\u0661\u0662\u0662\u0662\u0663\u0663\u0663"]
    texts += ["１１１２２２３３３", "11122233\u0663", "٠٠٠٠٠٠٠٠٠", "１１１２２２３３４"]
    # Not nine ASCII digits: stdnum's own cleaning decides.
    texts += ["1112.22.333", "111 222 333", "11122233", "", "abcdefghi", "1112223330"]
    return texts


def test_eleven_test_decides_as_python_stdnum_on_many_numbers():
    texts = _candidates()
    passed = [text for text in texts if parsers.eleven_test(text)]
    assert [parsers.eleven_test(t) for t in texts] == [stdnum_bsn.is_valid(t) for t in texts]
    # The comparison could fail: a share of the random numbers pass, and not all.
    assert 1_000 < len(passed) < 3_000
    assert parsers.eleven_test("111222333")  # stdnum's own example
    assert not parsers.eleven_test("111222334")
    assert not parsers.eleven_test("000000000")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12345678", "a BSN has exactly nine digits"),
        ("111222334", "not a valid BSN: it fails the eleven-test"),
        ("١١١٢٢٢٣٣٣", "not a valid BSN: it fails the eleven-test"),
    ],
)
def test_bsn_parser_keeps_its_messages(text, message):
    with translation.override("en"), pytest.raises(Invalid) as raised:
        parsers.bsn(text)
    assert raised.value.message == message


def test_plain_text_is_what_the_parser_returns():
    """The engine takes a cell of a `plain_up_to` parser as it is when it is short and holds no
    carriage return: the parser must return exactly that."""
    for parse in (parsers.ref, parsers.text(10)):
        limit = parse.plain_up_to
        for text in ("a", "x" * limit, "a b\nc", "ሰላም"):
            assert len(text) > limit or parse(text) == text
    assert parsers.text(10)("a\r\nb") == "a\nb"
    with pytest.raises(Invalid):
        parsers.ref("x" * (parsers.ref.plain_up_to + 1))
