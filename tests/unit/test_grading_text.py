"""Text answers: what the grader forgives (format, forms, typos) and what it never does."""

from __future__ import annotations

import pytest

from debrief.grading import Grader, grade

T = {"expected": "Perplexity"}


@pytest.mark.parametrize(
    ("expected", "answer", "verdict"),
    [
        # case, accents, punctuation, hyphens, spacing, articles, plural, British spelling
        ("Perplexity", "PERPLEXITY", "correct"),
        ("naïve Bayes", "naive bayes", "correct"),
        ("F1-score", "f1 score", "correct"),
        ("F1-score", "f1score", "correct"),
        ("cold start", "coldstart", "correct"),
        ("cold-start", "the cold start", "correct"),
        ("hallucination", "hallucinations", "correct"),
        ("large language model", "LLMs", "correct"),  # initials, in the plural
        ("tokenization", "tokenisation", "correct"),
        ("data labeling", "data labelling", "correct"),
        ("model behavior", "model behaviour", "correct"),
        ("judgment signal", "judgement signal", "correct"),
        ("confusion matrix", "confusion matrices", "correct"),
        # HTML from imported decks, and hostile characters
        ("<b>Perplexity</b>", "perplexity", "correct"),
        ("Precision &amp; Recall", "precision & recall", "correct"),
        ("Precision", "pre\u200bcision", "correct"),
        ("Precision", "\x1b[31mprecision\x1b[0m", "correct"),
    ],
)
def test_format_differences_do_not_matter(expected: str, answer: str, verdict: str) -> None:
    v = grade({"expected": expected}, answer)
    assert v.verdict == verdict, v


@pytest.mark.parametrize(
    ("expected", "answer"),
    [
        ("Perplexity", "Perplexty"),
        ("convergence", "convergance"),
        ("latency", "latnecy"),
        ("psychology", "pyschology"),
        ("human-in-the-loop", "human in teh loop"),
        ("product-market fit", "product market fitt"),
        ("gradient descent", "gradient decent"),  # a real word, but a one-letter slip in context
        ("learning rate", "leaning rate"),
        ("mean squared error", "mean sqaured error"),
    ],
)
def test_typos_are_forgiven_as_close_with_a_character_diff(expected: str, answer: str) -> None:
    v = grade({"expected": expected}, answer)
    assert v.verdict == "close", v
    assert v.is_right
    assert any(op != "equal" for op, _t in v.diff)
    assert "typo" in v.feedback
    assert v.matched == expected


@pytest.mark.parametrize(
    ("expected", "answer", "why"),
    [
        ("AI PM", "ML PM", "acronym"),
        ("MAE", "MSE", "acronym"),
        ("ETL", "ELT", "acronym"),
        ("RLHF", "RHLF", "acronym"),
        ("overfitting", "underfitting", "different term"),
        ("increase", "decrease", "different term"),
        ("encoder", "decoder", "different term"),
        ("supervised learning", "unsupervised learning", "different term"),
        ("non-deterministic", "deterministic", "different term"),
        ("retention", "detention", "first letter"),
        ("context window", "content window", "real word"),
        ("inference", "influence", "too far"),
        ("precision", "prediction", "too far"),
        ("p95 latency", "p59 latency", "number"),
        ("Claude 3.5", "Claude 35", "number"),
        ("F1 score", "F2 score", "number"),
        ("top-k", "top-p", "one letter"),
        ("Adam", "AdamW", "known term"),
        ("Strong Hire", "strong no hire", "extra word"),
        ("product-market fit", "product marketing", "merged words pool no budget"),
        ("ReLU", "leaky ReLU", "extra word"),
        ("AI PM", "not AI PM", "extra word"),
        ("Mean Absolute Error (MAE)", "mean average error", "spelled-out acronym"),
        ("Moore's law", "ML", "two letters are not initials"),
        ("Retrieval-Augmented Generation", "generation augmented retrieval", "order"),
        ("extract, transform, load", "extract, load, transform", "order"),
    ],
)
def test_near_misses_that_are_other_facts_are_wrong(expected: str, answer: str, why: str) -> None:
    v = grade({"expected": expected}, answer)
    assert v.verdict == "wrong", (why, v)
    assert not v.is_right


@pytest.mark.parametrize(
    ("expected", "answer"),
    [
        ("Daily Active Users (DAU)", "DAU"),
        ("Daily Active Users (DAU)", "daily active users"),
        ("SOTA (State of the Art)", "state of the art"),
        ("human-in-the-loop", "HITL"),
        ("Task Completion Rate", "TCR"),
        ("learning rate", "LR"),
        ("false positive", "FP"),
        ("area under the curve", "AUC"),
        ("AUC", "area under the curve"),
        ("KV cache", "key-value cache"),
        ("R&D", "research and development"),
    ],
)
def test_parenthesised_parts_and_initials_are_accepted(expected: str, answer: str) -> None:
    v = grade({"expected": expected}, answer)
    assert v.verdict == "correct", v
    assert v.matched == expected


@pytest.mark.parametrize(
    ("expected", "answer", "verdict"),
    [
        ("autonomy and control", "control and autonomy", "correct"),
        ("autonomy and control", "autonomy vs control", "correct"),
        ("autonomy and control", "control & autonomy", "correct"),
        ("latency and accuracy", "accuracy versus latancy", "close"),
        ("autonomy and control", "autonomy", "partial"),
        ("autonomy and control", "autonomy and trust", "wrong"),
    ],
)
def test_x_and_y_in_either_order(expected: str, answer: str, verdict: str) -> None:
    v = grade({"expected": expected}, answer)
    assert v.verdict == verdict, v
    if verdict == "partial":
        assert v.missing == ("control",)
        assert 0 < v.score < 1


@pytest.mark.parametrize("answer", ["", "   ", "idk", "?", "I don't know", "dunno", "pass",
                                    "...", "[/]", "🚀", "\u202eMP IA", "a" * 10_000,
                                    "perplexity " * 1000, "\x00\x07", "تعلم الآلة"])
def test_non_answers_and_hostile_input_are_wrong_without_raising(answer: str) -> None:
    v = grade(T, answer)
    assert v.verdict == "wrong"
    assert v.score == 0.0
    assert v.feedback


def test_the_vocabulary_makes_deck_words_real_terms() -> None:
    spec = {"expected": "gradient descent"}
    assert grade(spec, "gradient decent").is_right
    # A deck that uses "decent" as a word of its own: now it is a different term.
    assert not Grader(["a decent answer"]).grade(spec, "gradient decent").is_right


def test_an_accepted_answer_is_matched_and_named() -> None:
    spec = {"expected": "fine-tuning", "accept": ["SFT"]}
    v = grade(spec, "sft")
    assert v.verdict == "correct"
    assert v.matched == "SFT"
    assert "accepted" in v.feedback


def test_feedback_for_a_typo_names_the_difference() -> None:
    v = grade(T, "Perplexty")
    assert v.diff == (("equal", "Perplex"), ("insert", "i"), ("equal", "ty"))
    assert 'missing "i"' in v.feedback
    assert 0.5 < v.score < 1


def test_feedback_for_a_confused_term_says_it_is_a_different_term() -> None:
    v = grade({"expected": "overfitting"}, "underfitting")
    assert "different term" in v.feedback
    assert '"overfitting"' in v.feedback
