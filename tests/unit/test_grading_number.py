"""Figures: reading amounts, ranges, units and bounds, and comparing them exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from debrief.grading import grade
from debrief.grading.number import parse_quantity

D = Decimal


@pytest.mark.parametrize(
    ("text", "low", "high", "unit", "bound"),
    [
        ("$420k", D(420_000), D(420_000), "$", None),
        ("420,000", D(420_000), D(420_000), None, None),
        ("420K", D(420_000), D(420_000), None, None),
        ("$0.42M", D(420_000), D(420_000), "$", None),
        ("15-20%", D(15), D(20), "%", None),
        ("15 to 20 percent", D(15), D(20), "%", None),
        ("between 15 and 20%", D(15), D(20), "%", None),
        ("fifteen to twenty percent", D(15), D(20), "%", None),
        ("ten percent", D(10), D(10), "%", None),
        ("3s", D(3), D(3), "s", None),
        ("3 seconds", D(3), D(3), "s", None),
        ("300ms", D("0.3"), D("0.3"), "s", None),
        ("20 minutes", D(1200), D(1200), "s", None),
        ("$20K+", D(20_000), D(20_000), "$", "min"),
        ("over $20,000", D(20_000), D(20_000), "$", "min"),
        ("$180k-$250k", D(180_000), D(250_000), "$", None),
        ("420-650k", D(420_000), D(650_000), None, None),
        ("2x", D(2), D(2), "x", None),
        ("twice", D(2), D(2), "x", None),
        ("x2", D(2), D(2), "x", None),
        ("40%", D(40), D(40), "%", None),
        ("1/2", D("0.5"), D("0.5"), None, None),
        ("one and a half seconds", D("1.5"), D("1.5"), "s", None),
        ("128k tokens", D(128_000), D(128_000), "token", None),
        ("1bn", D(10) ** 9, D(10) ** 9, None, None),
        ("-20k", D(-20_000), D(-20_000), None, None),
    ],
)
def test_figures_are_read(text: str, low: Decimal, high: Decimal, unit: str | None,
                          bound: str | None) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert (q.low, q.high, q.unit, q.bound) == (low, high, unit, bound)


@pytest.mark.parametrize("text", ["", "lots", "$", "k", "+", "15 or 20", "3%0", "12 and 15",
                                  "9" * 60, "1, 2, 3"])
def test_no_figure_or_more_than_one_is_none(text: str) -> None:
    assert parse_quantity(text) is None


def test_a_strict_read_refuses_names_with_numbers() -> None:
    assert parse_quantity("GPT-4o", strict=True) is None
    assert parse_quantity("Claude 3.5", strict=True) is None
    assert parse_quantity("about $420k", strict=True) is not None


@pytest.mark.parametrize(
    ("expected", "answer", "verdict"),
    [
        ("$420k", "420,000 dollars", "correct"),
        ("$420k", "$0.42M", "correct"),
        ("$420k", "420000", "close"),  # the currency left off
        ("$420k", "$450k", "wrong"),
        ("$420k", "$42k", "wrong"),
        ("$420k", "$420", "wrong"),
        ("$420k", "$420k-$650k", "wrong"),
        ("15-20%", "15% to 20%", "correct"),
        ("15-20%", "15-20", "close"),
        ("15-20%", "15%", "wrong"),
        ("15-20%", "15-25%", "wrong"),
        ("15-20%", "15-20 seconds", "wrong"),
        ("300ms", "0.3 s", "correct"),
        ("300ms", "300 s", "wrong"),
        ("300ms", "200 µs", "wrong"),
        ("3s", "3000 ms", "correct"),
        ("3s", "3 minutes", "wrong"),
        ("$20K+", "20k", "close"),  # the currency left off
        ("$20K+", "$20,000", "correct"),
        ("$20K+", "more than $20k", "correct"),
        ("$20K+", "$20K-$30K", "wrong"),
        ("$20K+", "20", "wrong"),
        ("2x", "double", "correct"),
        ("2x", "2%", "wrong"),
        ("50%", "half", "close"),
        ("0.9", "90%", "close"),
        ("5-10", "5-10%", "wrong"),
        ("40%", "40% increase", "correct"),
        ("7 days", "1 week", "correct"),
    ],
)
def test_values_and_units_must_match_exactly(expected: str, answer: str, verdict: str) -> None:
    v = grade({"expected": expected, "kind": "number"}, answer)
    assert v.verdict == verdict, v


def test_a_wrong_figure_says_why_and_shows_a_diff() -> None:
    v = grade({"expected": "$420k-$650k", "kind": "number"}, "$420k-$600k")
    assert v.verdict == "wrong"
    assert "one end of the range" in v.feedback
    assert ("insert", "5") in v.diff


def test_an_expected_answer_that_is_no_figure_is_graded_as_text() -> None:
    spec = {"expected": "a lot", "kind": "number"}
    assert grade(spec, "A lot").verdict == "correct"
    assert not grade(spec, "little").is_right
