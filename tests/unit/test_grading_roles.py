"""Fifth-round guards (issue #13): a definition copied with one part changed stays wrong.

Each table pairs the hard negatives (two roles traded, an opposite, another subject or object,
a figure's head dropped, another phrase in a word's place) with right answers in other words
that the same guard must let through. The cases are the team's own, not the blind sets'.
"""

from __future__ import annotations

import pytest

from debrief.grading import Grader
from debrief.grading.definition import same_questions
from debrief.grading.grader import _blank_filled

GRADER = Grader()


def right(spec: dict, answer: str) -> bool:
    return GRADER.grade(spec, answer).is_right


def text(expected: str, prompt: str, others: tuple[str, ...] = ()) -> dict:
    spec: dict[str, str | list[str]] = {"kind": "text", "expected": expected, "prompt": prompt}
    if others:
        spec["others"] = list(others)
    return spec


ROLES = [
    # two roles traded across a contrast, or a word moved into another's place
    (text("a model learns the training data too well, including its noise, and fails on new data",
          "Define overfitting."),
     ["the model memorises the training data, noise included, and then fails on new data"],
     ["a model that fails on training data but does well on new data",
      "a model that does well on new data but fails on training data"]),
    (text("the interviewer asks about past behavior to predict future performance",
          "What is a behavioral interview?"),
     ["the interviewer asks about your past behavior to predict your future performance"],
     ["the interviewer asks about future performance to predict past behavior"]),
    # two words each in the other's place around one word
    (text("the recruiter screens candidates before the hiring manager interviews them",
          "Who does what in the first hiring steps?"),
     ["the recruiter screens the candidates, then the hiring manager interviews them"],
     ["the hiring manager screens candidates before the recruiter interviews them"]),
    # the prompt's own words are roles too
    (text("the encoder compresses the input into a vector and the decoder expands it back into "
          "an output", "How does an encoder-decoder model work?"),
     ["the encoder compresses the input into a vector, then the decoder expands that back "
      "into the output"],
     ["the decoder compresses the input into a vector and the encoder expands it back into an "
      "output"]),
    # the same words, with the question words traded
    (text("the product team decides what to build and the engineering team decides how to "
          "build it", "How do product and engineering split decisions?"),
     ["product decides what to build, and engineering decides how to build it"],
     ["the product team decides how to build it and the engineering team decides what to "
      "build", "the engineering team decides what to build and the product team decides how "
      "to build it"]),
    (text("the candidate asks for a higher base salary instead of more equity",
          "What is a cash-first negotiation?"),
     ["the candidate asks for a higher base salary rather than more equity"],
     ["the candidate asks for more equity instead of a higher base salary"]),
]

# Paraphrase moves words too: these stay right.
MOVES = [
    (text("probability of a result at least this extreme if the null hypothesis is true",
          "What is a p-value?"),
     ["if the null is true, the probability of a result at least this extreme"]),
    (text("a held-out model scores worse on new data than on its training data because it "
          "learned noise", "Explain overfitting to a PM."),
     ["the model learned noise, so it scores worse on new data than on training data"]),
    (text("the model retrieves relevant documents first and then generates an answer grounded "
          "in them", "How does RAG answer a question?"),
     ["it first retrieves the relevant documents, then generates an answer grounded in them"]),
    (text("a metric that moves early and predicts a later outcome metric",
          "What is a leading indicator?"),
     ["an early metric that predicts a later outcome"]),
    (text("the single metric that best captures the core value the product delivers to "
          "customers", "What is a north star metric?"),
     ["the one metric that best captures the core value customers get from the product"]),
    (text("time until the first token of the response appears", "What is time to first token?"),
     ["time to first token - how long until the first token of the response shows up"]),
]


@pytest.mark.parametrize(("spec", "rights", "wrongs"), ROLES)
def test_two_roles_traded_are_wrong(spec: dict, rights: list[str], wrongs: list[str]) -> None:
    assert [a for a in rights if not right(spec, a)] == []
    assert [a for a in wrongs if right(spec, a)] == []


@pytest.mark.parametrize(("spec", "rights"), MOVES)
def test_words_moved_in_paraphrase_stay_right(spec: dict, rights: list[str]) -> None:
    assert [a for a in rights if not right(spec, a)] == []


FIGURES = [
    (text("share of customers who stop using the product in a given period", "Define churn rate."),
     ["the share of users who stop using the product each month",
      "percentage of customers that stop using the product over a period",
      "how many of the customers stop using the product in a period"],
     ["customers who stop using the product forever",
      "customers who stop using the product in a given period"]),
    (text("the share of users who come back to the product a given number of days after "
          "signing up", "Define day-N retention."),
     ["share of users who come back to the product N days after signing up"],
     ["users who come back to the product a given number of days after signing up"]),
    (text("the probability of rejecting the null hypothesis when it is actually true",
          "What is a type I error rate?"),
     ["the chance of rejecting the null hypothesis when it is in fact true"],
     ["rejecting the null hypothesis when it is actually true"]),
]


@pytest.mark.parametrize(("spec", "rights", "wrongs"), FIGURES)
def test_a_figure_must_be_said_as_one(spec: dict, rights: list[str], wrongs: list[str]) -> None:
    assert [a for a in rights if not right(spec, a)] == []
    assert [a for a in wrongs if right(spec, a)] == []


SWAPS = [
    # another phrase in the definition's place
    (text("share of customers who stop using the product in a given period", "Define churn rate."),
     ["fraction of customers who quit using the product in a period"],
     ["share of visitors who buy the product in a given period"]),
    (text("the interviewer asks about past behavior to predict future performance",
          "What is a behavioral interview?"),
     [], ["the interviewer asks about hypothetical scenarios to predict future performance"]),
    # an opposite by its prefix, a unit of time, the other side of a relation, another excess
    (text("the buyer pays a fixed monthly fee and gets unlimited use of the service",
          "What is a subscription model?"),
     ["the buyer pays a fixed monthly fee and gets unlimited use of the service in return"],
     ["the buyer pays a variable monthly fee and gets limited use of the service",
      "the seller pays a fixed monthly fee and gets unlimited use of the service"]),
    (text("the number of users who were active on a given day", "Define DAU."),
     ["how many users were active on a given day"],
     ["the number of users who were active in a given month",
      "the number of users who were inactive on a given day"]),
    (text("a model learns the training data too well, including its noise, and fails on new data",
          "Define overfitting."),
     [], ["a model that is too simple to learn the training data and fails on new data"]),
    (text("the model is too simple to capture the pattern, so it does poorly on both training "
          "and new data", "Define underfitting."),
     ["a model too simple to capture the pattern, so it performs poorly on training data and "
      "on new data"],
     ["the model is too simple to capture the pattern, so it does well on both training and "
      "new data"]),
]


@pytest.mark.parametrize(("spec", "rights", "wrongs"), SWAPS)
def test_a_word_or_phrase_in_anothers_place(spec: dict, rights: list[str],
                                            wrongs: list[str]) -> None:
    assert [a for a in rights if not right(spec, a)] == []
    assert [a for a in wrongs if right(spec, a)] == []


def test_own_words_kept_by_this_rounds_readings() -> None:
    # a verb in another form, an adjective before a comma, a denial that ends at "so"
    assert right(text("randomly splitting users between a control and a variant to measure the "
                      "causal effect of a change on a metric", "What is an A/B test?"),
                 "randomly split users into control and variant and compare a metric to "
                 "measure the effect of the change")
    assert right(text("fluent, confident output that is false or not supported by the sources",
                      "What is a hallucination?"),
                 "confident output that is false or not supported by the sources")
    spec = text("a recommender has no interaction history for new users or items, so it cannot "
                "personalise for them", "What is the cold start problem?")
    assert right(spec, "no interaction history for new users or items so the recommender can't "
                       "personalise")
    assert not right(spec, "no recommender has interaction history for new users or items")


@pytest.mark.parametrize(("answer", "target", "same"), [
    ("decides what to build, then how", "decides what to build and how to build it", True),
    ("decides how to build it and what to build", "decides what to build and how to build it",
     False),
    ("users who stop", "users that stop", True),  # relative words are no questions
    ("how long until it shows", "time until the first token shows", True),
])
def test_question_words_keep_their_order(answer: str, target: str, same: bool) -> None:
    assert same_questions(answer, target) is same


@pytest.mark.parametrize(("typed", "prompt", "inner"), [
    ("the negative gradient", "gradient descent steps in the direction of the ___ gradient",
     "negative"),
    ("negative gradient", "steps along the ___ gradient", "negative"),
    ("high variance", "a very complex model has high ___", "variance"),
    ("negative", "steps along the ___ gradient", None),  # nothing repeated
    ("gradient", "steps along the ___ gradient", None),  # nothing left
    ("the negative gradient", "What does gradient descent follow?", None),  # no blank
])
def test_the_prompts_words_around_a_blank(typed: str, prompt: str, inner: str | None) -> None:
    assert _blank_filled(typed, prompt) == inner


def test_a_cloze_answer_may_repeat_the_words_around_the_blank() -> None:
    spec = text("negative", "gradient descent steps in the direction of the ___ gradient")
    assert right(spec, "the negative gradient")
    assert not right(spec, "the positive gradient")
    assert not right(spec, "gradient")
