"""The grader's public surface: Verdict, spec errors, `debrief grade` lines, a light import."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from debrief.grading import Grader, SpecError, Verdict, grade
from debrief.grading.jsonl import grade_lines


def test_verdict_to_json_has_the_documented_fields() -> None:
    data = grade({"expected": "Perplexity"}, "Perplexty").to_json()
    assert {"verdict", "score", "feedback", "right", "diff", "matched"} <= set(data)
    assert data["right"] is True and data["verdict"] == "close"
    json.dumps(data)


def test_is_right_is_correct_or_close() -> None:
    assert Verdict("close", 0.9).is_right and Verdict("correct", 1.0).is_right
    assert not Verdict("partial", 0.5).is_right and not Verdict("wrong", 0.0).is_right


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nope", "JSON object"),
        ({}, "missing 'expected'"),
        ({"expected": ""}, "empty"),
        ({"expected": 3}, "must be a string"),
        ({"expected": "x", "kind": "essay"}, "unknown kind"),
        ({"expected": "x", "kind": "recall"}, "self-rated"),
        ({"expected": "x", "kind": "choice", "options": ["x"]}, "two"),
        ({"expected": "x", "kind": "choice", "options": ["a", "b"]}, "not one of"),
        ({"expected": ["a", "b"], "kind": "list", "min_items": 3}, "min_items"),
        ({"expected": ["a", "b"], "kind": "list", "min_items": True}, "whole number"),
        ({"expected": "x", "accept": [1]}, "only strings"),
    ],
)
def test_a_malformed_spec_raises_spec_error(spec: object, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        grade(spec, "x")  # type: ignore[arg-type]


def test_a_non_string_answer_still_gets_a_verdict() -> None:
    assert grade({"expected": "3"}, 3).verdict == "correct"  # type: ignore[arg-type]
    assert grade({"expected": "x"}, None).verdict == "wrong"  # type: ignore[arg-type]


def test_grade_lines_keeps_one_line_out_per_line_in() -> None:
    lines = [
        '{"expected": "Perplexity", "answer": "Perplexty"}\n',
        "\n",
        "not json\n",
        "[1, 2]\n",
        '{"expected": "x"}\n',
        '{"expected": "x", "answer": 3}\n',
        '{"expected": "x", "kind": "essay", "answer": "x"}\n',
        '{"expected": "15-20%", "kind": "number", "answer": "15 to 20 percent"}\n',
        '\ufeff{"spec": {"expected": "AI PM", "kind": "choice", "options": ["AI PM", "ML PM"]},'
        ' "answer": "\\ud800b"}\n',
    ]
    out = io.StringIO()
    assert grade_lines(lines, out) == 1
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(results) == len(lines)
    assert results[0]["verdict"] == "close"
    assert [("error" in r) for r in results] == [False, True, True, True, True, True, True,
                                                 False, False]
    assert results[7]["right"] is True
    assert results[8]["verdict"] == "wrong"
    out.getvalue().encode("utf-8")


def test_grade_lines_returns_zero_when_every_line_grades() -> None:
    out = io.StringIO()
    assert grade_lines(['{"expected": "a", "answer": "b"}'], out, Grader()) == 0
    assert json.loads(out.getvalue())["verdict"] == "wrong"


def test_importing_the_grader_pulls_in_no_ui_and_no_database() -> None:
    code = ("import sys, debrief.grading, debrief.grading.jsonl; "
            "print(sorted(m for m in ('textual', 'click', 'sqlalchemy', 'rich') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_the_english_word_list_ships_with_the_package() -> None:
    from debrief.grading.terms import english_words

    words = english_words()
    assert len(words) > 30_000
    assert {"decent", "content", "detention"} <= words
