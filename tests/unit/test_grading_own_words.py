"""Fourth-round rules (issue #13): answers in the user's own words on the user's own cards.

Each rule that accepts more sits beside its hard negatives: a swapped role, a negation, an
opposite, a hedge between candidates, a condition turned round. The cases are the team's own,
written for these rules (not taken from the blind sets).
"""

from __future__ import annotations

import pytest

from debrief.grading import Grader
from debrief.grading.confusion import FN, FP, TN, TP, ratio
from debrief.grading.definition import is_definition

GRADER = Grader()


def right(spec: dict, answer: str) -> bool:
    return GRADER.grade(spec, answer).is_right


def text(expected: str, prompt: str = "", accept: tuple[str, ...] = (),
         others: tuple[str, ...] = ()) -> dict:
    spec = {"kind": "text", "expected": expected, "accept": list(accept), "prompt": prompt}
    if others:
        spec["others"] = list(others)
    return spec


def listing(items: list[str], prompt: str = "") -> dict:
    return {"kind": "list", "expected": items, "prompt": prompt}


# ------------------------------------------------------------------ confusion-matrix ratios

PRECISION = (frozenset({TP}), frozenset({TP, FP}))
RECALL = (frozenset({TP}), frozenset({TP, FN}))


@pytest.mark.parametrize(("said", "cells"), [
    ("TP / (TP + FP)", PRECISION),
    ("tp/(fp+tp)", PRECISION),
    ("true positives over all predicted positives", PRECISION),
    ("true positives divided by positive predictions", PRECISION),
    ("share of predicted positives that are correct", PRECISION),
    ("of everything flagged positive, the fraction that's actually positive", PRECISION),
    ("how many of our positive predictions are right", PRECISION),
    ("positive predictive value", PRECISION),
    ("TP / (TP + FN)", RECALL),
    ("of all the real positives, how many we caught", RECALL),
    ("fraction of actual positives the model finds", RECALL),
    ("sensitivity, i.e. true positive rate", RECALL),
    ("1 - false negative rate", RECALL),
    ("1 - specificity", (frozenset({FP}), frozenset({FP, TN}))),
    ("share of actual negatives wrongly flagged", (frozenset({FP}), frozenset({FP, TN}))),
])
def test_a_ratio_is_read_by_its_cells_and_roles(said: str, cells: tuple) -> None:
    assert ratio(said) == cells


@pytest.mark.parametrize("said", [
    "how accurate the model is", "TP/(TP+FN) or TP/(TP+FP)", "precision or recall",
    "TPR vs FPR", "true positives", "the share of positives", "minimize false positives",
])
def test_no_ratio_is_read_where_none_or_two_are_said(said: str) -> None:
    assert ratio(said) is None


RATIO_TABLE = [
    (text("TP / (TP + FP)", "Define precision."),
     ["true positives over all predicted positives", "true positives over all predicted positves",
      "of everything flagged positive, the fraction that's actually positive",
      "share of positive predictions that are correct", "positive predictive value"],
     ["fraction of actual positives the model catches", "of all the real positives, how many "
      "we caught", "TP/(TP+FN)", "true positives over all actual positives", "precision",
      "share of predicted positives that are wrong", "recall or precision"]),
    (text("share of actual positives the model finds", "Define recall."),
     ["of all the real positives, how many we caught", "sensitivity", "1 - false negative rate",
      "TP / (TP + FN)", "true positive rate"],
     ["share of predicted positives that are correct", "TP / (TP + FP)", "recall",
      "1 - false positive rate", "specificity"]),
    (text("FPR", "The ROC curve plots TPR against what?", ("false positive rate",)),
     ["1 - specificity", "false positives over all actual negatives"],
     ["specificity", "1 - sensitivity", "false positives over all predicted positives"]),
]


@pytest.mark.parametrize(("spec", "rights", "wrongs"), RATIO_TABLE)
def test_ratios_in_words_are_right_and_swapped_roles_wrong(spec: dict, rights: list[str],
                                                          wrongs: list[str]) -> None:
    assert [a for a in rights if not right(spec, a)] == []
    assert [a for a in wrongs if right(spec, a)] == []


# ------------------------------------------------------------------ definitions in own words

@pytest.mark.parametrize(("target", "prompt", "is_one"), [
    ("the smallest change a test can reliably detect", "", True),
    ("Reinforcement Learning from Human Feedback", "", False),  # a name in capitals
    ("reach, impact, confidence, effort", "", False),  # a list of words
    ("large errors", "", False),  # a term
    ("a model that drifts in production", "What is model drift in production?", False),
])
def test_what_reads_as_a_definition(target: str, prompt: str, is_one: bool) -> None:
    from debrief.grading.meaning import prompt_keys
    assert is_definition(target, prompt_keys(prompt)) is is_one


DEFINITION_TABLE = [
    (text("train a small student model to imitate a larger teacher", "Define distillation."),
     ["a small student model trained to imitate a big teacher model",
      "training a small model to imitate a larger one",
      "small student learns to imitate a large teacher"],
     ["a large teacher model imitates a small student model",
      "train a large student model to imitate a smaller teacher",
      "a teacher model trained to imitate a small student",
      "train a small model from scratch", "pruning the weights of a large model"]),
    (text("the smallest effect the test can reliably detect (given sample size and power)",
          "What is the MDE?"),
     ["smallest effect you can reliably detect with your sample",
      "the smallest effect a test reliably detects, given its power"],
     ["the biggest effect the test can detect", "the largest effect the test can reliably "
      "detect", "the smallest effect the test cannot detect",
      "the smallest or largest effect the test can detect", "the significance level, 0.05"]),
    (text("a metric that must not get worse while you optimize the primary metric",
          "What is a guardrail metric?"),
     ["a metric you must not let get worse while optimizing the main metric"],
     ["a metric that must get worse while you optimize the primary metric",
      "a metric that must not get better while you optimize the primary metric",
      "the primary metric must not get worse while you optimize a secondary metric",
      "the primary metric you optimize"]),
    (text("probability of a result at least this extreme if the null hypothesis is true",
          "What is a p-value?"),
     ["if the null is true, the probability of a result at least this extreme"],
     ["probability the null hypothesis is true",
      "probability the null hypothesis is true given a result this extreme",
      "probability of a result at least this extreme if the null hypothesis is false"]),
    (text("new users or items have no interaction history to recommend from",
          "What is the cold start problem?"),
     ["new users and items lack interaction history to recommend from"],
     ["new users have a long interaction history", "old users have no interaction history",
      "new users have 3 interactions of history to recommend from"]),
    # a rival answer of the deck named as well
    (text("production input distribution shifts away from the training data",
          "What is data drift?", others=("concept drift",)),
     ["input distribution in production drifts away from training data"],
     ["production output distribution shifts away from the training data",
      "production input distribution shifts away from the training data, i.e. concept drift",
      "production inputs no longer shift from the training data"]),
]


@pytest.mark.parametrize(("spec", "rights", "wrongs"), DEFINITION_TABLE)
def test_definitions_in_own_words(spec: dict, rights: list[str], wrongs: list[str]) -> None:
    assert [a for a in rights if not right(spec, a)] == []
    assert [a for a in wrongs if right(spec, a)] == []


def test_a_definition_in_own_words_says_so() -> None:
    spec = DEFINITION_TABLE[0][0]
    verdict = GRADER.grade(spec, "a small student model trained to imitate a big teacher model")
    assert verdict.verdict == "correct"
    assert "in other words" in verdict.feedback


# ------------------------------------------------------------------ a term and its reason

LEAD_TABLE = [
    (text("large errors", "What does RMSE punish more than MAE?"),
     ["large errors, because it squares them", "large errors - squaring blows them up",
      "large errors (it squares them)"],
     ["large errors, small errors", "large errors or outliers?", "small errors, because it "
      "squares them", "large errors, or maybe small ones"]),
    (text("concept drift", "Inputs look the same but the right label for them changed."),
     ["concept drift, the mapping from x to y moved", "concept drift: the labels mean "
      "something else now"],
     ["concept drift, data drift", "data drift, the mapping from x to y moved"]),
]


@pytest.mark.parametrize(("spec", "rights", "wrongs"), LEAD_TABLE)
def test_a_term_with_its_reason(spec: dict, rights: list[str], wrongs: list[str]) -> None:
    assert [a for a in rights if not right(spec, a)] == []
    assert [a for a in wrongs if right(spec, a)] == []


def test_a_definition_is_not_graded_on_its_lead_alone() -> None:
    # the detail after a definition's words may be wrong: it is read, not skipped
    spec = text("area under the ROC curve (TPR against FPR across thresholds)", "What is AUC?")
    assert not right(spec, "area under the ROC curve, where 0.5 is perfect")


# ------------------------------------------------------------------ list items in a phrase

LIST_TABLE = [
    (listing(["vector databases", "prompt chaining", "agentic workflows"]),
     ["chaining prompts, agentic workflows, using vector databases",
      "vector databases, the prompt chaining approach, agentic workflows"],
     ["vector database sharding, prompt chaining, agentic workflows",
      "no vector databases, prompt chaining, agentic workflows",
      "vector databases or search, prompt chaining, agentic workflows"]),
    (listing(["Mean Absolute Error", "Mean Squared Error"]),
     ["mean absolute error, mean squared error"],
     ["mean absolute error, root mean squared error", "MAE, RMSE"]),
    (listing(["Daily Active Users", "Task Completion Rate"]),
     ["daily active users, the task completion rate"],
     ["monthly active users, task completion rate"]),
    (listing(["base salary", "bonus"]), ["the base salary, a bonus"], ["base salary cut, bonus"]),
    (listing(["helpful", "honest", "harmless"]), ["helpfulness, honesty, harmlessness"],
     ["helpfulness, honesty", "helpful, honest, harmful"]),
    (listing(["true positive", "false positive", "true negative", "false negative"]),
     ["true pos, false pos, false neg, true neg"], ["true pos, false pos, false neg"]),
    (listing(["objective", "key results"]), ["KRs and the objective"],
     ["KPIs and the objective"]),
]


@pytest.mark.parametrize(("spec", "rights", "wrongs"), LIST_TABLE)
def test_list_items_in_a_phrase(spec: dict, rights: list[str], wrongs: list[str]) -> None:
    assert [a for a in rights if not right(spec, a)] == []
    assert [a for a in wrongs if right(spec, a)] == []


def test_a_gloss_then_the_term() -> None:
    spec = text("concept drift", "Same inputs, new right answers: what is it?",
                others=("data drift",))
    assert right(spec, "the input->label mapping changed, i.e. concept drift")
    assert right(spec, "x to y moved, aka concept drift")
    assert not right(spec, "the inputs shifted, i.e. data drift")
    assert not right(spec, "the mapping changed, aka concept drift or data drift")
    assert not right(spec, "the inputs shifted like data drift, i.e. concept drift")


# ------------------------------------------------------------------ figures and choices

@pytest.mark.parametrize(("expected", "typed", "is_right"), [
    ("0.667", "0.67", True), ("3.14159", "3.14", True), ("1.96", "1,96", True),
    ("0.05", "0,05", True), ("2.5", "2,5", True),
    ("1.96", "2.0", False),  # rounded past 1%
    ("0.667", "0.7", False), ("0.667", "1", False),  # one significant digit
    ("0.667", "0.66", False), ("1.96", "1.97", False),  # not the rounding
    ("10,000", "10,000", True), ("1000", "1,000", True),  # thousands stay thousands
])
def test_rounded_figures_and_decimal_commas(expected: str, typed: str, is_right: bool) -> None:
    assert right({"kind": "number", "expected": expected}, typed) is is_right


CHOICE = {"kind": "choice", "expected": "RAG", "options": ["fine-tuning", "RAG"],
          "prompt": "Answers must come from docs that change daily: fine-tuning or RAG?"}


@pytest.mark.parametrize(("typed", "is_right"), [
    ("retrieval (RAG)", True), ("RAG - the docs change too often to retrain", True),
    ("retrieval augmented generation: fresh docs", True),
    ("fine-tuning - bake the docs in", False), ("RAG - or fine-tuning", False),
    ("retrieval, then fine-tuning", False), ("not RAG", False),
])
def test_a_choice_with_its_reason_after_a_dash(typed: str, is_right: bool) -> None:
    assert right(CHOICE, typed) is is_right


@pytest.mark.parametrize(("items", "typed", "is_right"), [
    (["acquisition", "activation", "retention", "referral", "revenue"],
     "acq, act, ret, ref, rev", True),
    (["precision", "recall"], "prec, rec", True),
    (["precision", "recall"], "prec, rec, acc", False),  # a wrong extra item
    (["database", "cache"], "data, cache", False),  # "data" is a term of its own
    (["acquisition", "activation"], "ac, act", False),  # two letters fit both
    (["type I (false positive)", "type II (false negative)"], "alpha and beta errors", True),
    (["type I (false positive)", "type II (false negative)"], "alpha and gamma errors", False),
])
def test_list_items_shortened_or_named_by_the_field(items: list[str], typed: str,
                                                    is_right: bool) -> None:
    assert right(listing(items), typed) is is_right


def test_an_answer_closer_to_another_cards_definition_is_wrong() -> None:
    spec = text("users kept out of the change as a baseline to measure its incremental effect",
                "What is a holdout group?")
    answer = "users kept out of the change for a year to measure its effect"
    assert right(spec, answer)  # alone, it says enough of this card's words
    spec["others"] = ["users kept out of the change for a year to measure its long-term effect"]
    assert not right(spec, answer)  # but it says that card's definition more closely
    assert right(spec, "users kept out of the change as a baseline for the incremental effect")


@pytest.mark.parametrize("typed", [
    "large errors, but maybe small ones too", "large errors, could also be bias",
    "large errors, perhaps variance", "large errors, unless it is outliers",
])
def test_a_reason_that_hedges_keeps_the_answer_wrong(typed: str) -> None:
    assert not right(text("large errors", "What does RMSE punish more than MAE?"), typed)


def test_a_list_after_the_comma_is_no_reason() -> None:
    spec = text("loss function", "What does the model minimise?")
    assert right(spec, "loss function, because that is what training minimises")
    assert not right(spec, "loss function, data labeling strategy, latency budget")
    assert not right(spec, "loss function, labeling (data), latency budget")


def test_a_head_of_several_words_must_show() -> None:
    spec = text("Master's level understanding of linear algebra and probability",
                "How much math does the role expect?")
    assert not right(spec, "linear algebra, probability (probability theory)")
    assert not right(spec, "understanding of statistics and calculus")
    assert right(spec, "a master's level grasp of linear algebra and probability")
    # one head noun may be said another way
    chunk = text("a chunk of text (often part of a word) the model reads and bills by",
                 "What is a token?")
    assert right(chunk, "a unit of text the model reads and bills you by")


# A definition copied with one word swapped: the words around it are the card's, the meaning
# is not.
SWAPPED_TABLE = [
    (text("share of customers who stop using the product in a given period", "Define churn rate."),
     ["share of users who stop using it each month"],
     ["share of customers who start using the product in a given period",
      "share of customers who keep using the product in a given period"]),
    (text("reduce the learning rate over time so training settles into a minimum",
          "What is learning rate decay?"),
     ["lowering the learning rate over time so training settles into a minimum"],
     ["increase the learning rate over time so training escapes a minimum",
      "keep the learning rate fixed over time",
      "increase the batch size over time so training settles"]),
    (text("a model learns the training data too well, including its noise, and fails on new data",
          "Define overfitting."),
     [],
     ["a model learns the training data too poorly and fails on both",
      "a model learns new data too well and fails on the training data"]),
    (text("users who saw the change convert more than users who did not",
          "What does a positive A/B result mean?"),
     ["users who saw the change converted more than those who did not"],
     ["users who did not see the change convert more than users who did",
      "users who saw the change convert less than users who did not"]),
    (text("the time from a user's request until the full response has arrived",
          "Define end-to-end latency."),
     ["time from the user's request until the whole response arrives"],
     ["the time until the first token of the response arrives",
      "the time from the full response until the next request"]),
]


@pytest.mark.parametrize(("spec", "rights", "wrongs"), SWAPPED_TABLE)
def test_a_definition_with_one_word_swapped(spec: dict, rights: list[str],
                                            wrongs: list[str]) -> None:
    assert [a for a in rights if not right(spec, a)] == []
    assert [a for a in wrongs if right(spec, a)] == []
