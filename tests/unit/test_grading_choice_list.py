"""Choice and list answers: resolving to one option, and counting items in any order."""

from __future__ import annotations

import pytest

from debrief.grading import grade

ROLES = {"expected": "AI PM", "kind": "choice", "options": ["AI PM", "ML PM"]}
METRICS = {"expected": "Mean Absolute Error (MAE)", "kind": "choice",
           "options": ["Mean Absolute Error (MAE)", "Mean Squared Error (MSE)", "Perplexity",
                       "F1 score"]}


@pytest.mark.parametrize(
    ("spec", "answer", "verdict", "said"),
    [
        (ROLES, "ai pm", "correct", ""),
        (ROLES, "a", "correct", ""),
        (ROLES, "1", "correct", ""),
        (ROLES, "(a)", "correct", ""),
        (ROLES, "option A", "correct", ""),
        (ROLES, "AI", "correct", ""),
        (ROLES, "b", "wrong", "that is"),
        (ROLES, "ML", "wrong", "that is"),
        (ROLES, "PM", "wrong", "more than one option"),
        (ROLES, "c", "wrong", "no option"),
        (ROLES, "both", "wrong", "not one of the options"),
        (METRICS, "MAE", "correct", ""),
        (METRICS, "absolute", "correct", ""),
        (METRICS, "Mean Absolut Error", "close", "typo"),
        (METRICS, "mean", "wrong", "more than one option"),
        (METRICS, "MAPE", "wrong", "not one of the options"),
        (METRICS, "MSE", "wrong", "that is"),
        ({"expected": "CNN", "kind": "choice", "options": ["transformer", "CNN", "RNN"]},
         "convolutional neural network", "correct", ""),
        ({"expected": "Yes", "kind": "choice", "options": ["Yes", "No"]}, "y", "correct", ""),
        ({"expected": "15% to 20%", "kind": "choice", "options": ["15%", "20%", "15% to 20%"]},
         "15-20%", "correct", ""),
    ],
)
def test_a_choice_resolves_to_one_option(spec: dict, answer: str, verdict: str,
                                         said: str) -> None:
    v = grade(spec, answer)
    assert v.verdict == verdict, v
    assert said in v.feedback
    assert v.matched == spec["expected"]


LIST3 = {"expected": ["F1 score", "Perplexity", "Mean Absolute Error (MAE)"], "kind": "list",
         "min_items": 2}


@pytest.mark.parametrize(
    ("answer", "verdict", "score"),
    [
        ("F1, perplexity", "correct", 1.0),
        ("perplexity and MAE", "correct", 1.0),
        ("MAE; F1", "correct", 1.0),
        ("F1 score / MAE", "correct", 1.0),
        ("- F1\n- perplexity", "correct", 1.0),
        ("1. F1 2. perplexity", "correct", 1.0),
        ("Perplexty, F1", "close", 0.9),
        ("F1", "partial", 0.5),
        ("F1, F1", "partial", 0.5),
        ("F1, perplexity, accuracy", "partial", 2 / 3),
        ("precision, recall", "wrong", 0.0),
        ("", "wrong", 0.0),
    ],
)
def test_a_list_counts_items_in_any_order(answer: str, verdict: str, score: float) -> None:
    v = grade(LIST3, answer)
    assert v.verdict == verdict, v
    assert v.score == pytest.approx(score, abs=1e-3)


def test_a_list_reports_missing_wrong_and_repeated_items() -> None:
    v = grade({"expected": ["precision", "recall", "F1"], "kind": "list"},
              "precision, accuracy, precision")
    assert v.verdict == "partial"
    assert v.missing == ("recall", "F1")
    assert v.extra == ("accuracy",)
    assert "Not on the list" in v.feedback and "Repeated" in v.feedback


def test_list_items_keep_their_own_separators() -> None:
    spec = {"expected": ["$350k-$550k", "$420k-$650k"], "kind": "list"}
    assert grade(spec, "$420,000-$650,000; 350-550k").is_right
    spec = {"expected": ["A/B testing", "human-in-the-loop"], "kind": "list"}
    assert grade(spec, "HITL, A/B tests").is_right
    spec = {"expected": ["autonomy and control", "latency"], "kind": "list"}
    assert grade(spec, "latency, control and autonomy").is_right
