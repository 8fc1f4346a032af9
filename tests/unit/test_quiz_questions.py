"""Quiz questions: distractor quality, the mix of kinds, option parsing and `--seed` reproducibility."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debrief import locations
from debrief.cards import Card
from debrief.deckfile import load_decks
from debrief.grading import Grader
from debrief.quiz import QuizError, chosen_option, distractors, make_questions, parse_kinds
from debrief.quiz.questions import MIN_DISTRACTORS, Question, is_role_card, normalise
from debrief.records import CardRecord
from debrief.scheduling import CardState

GRADER = Grader()
VERDICTS: dict[tuple[str, str], str] = {}


def judge(spec, text):
    """The grader's verdict. Kept per (spec, answer): the grader is deterministic, and the quiz
    tests ask it the same pairs over and over across seeds (about 1,150 distinct pairs in 9,000
    calls), which was most of this file's run time."""
    key = (repr(sorted(spec.items())), text)
    if key not in VERDICTS:
        VERDICTS[key] = GRADER.grade(spec, text).verdict
    return VERDICTS[key]


def records_of(cards) -> list[CardRecord]:
    return [CardRecord(pk=i, card=c, state=CardState()) for i, c in enumerate(cards, start=1)]


@pytest.fixture(scope="module")
def bundled() -> list[CardRecord]:
    decks = load_decks(locations.bundled_deck_files())
    return records_of([card for deck in decks for card in deck.cards])


def card(i: int, answer: str, deck: str = "d", kind: str = "text", **kw) -> Card:
    return Card(id=f"{deck}-{i}", deck=deck, kind=kind, prompt=f"prompt {i}?", answer=answer, **kw)


# -- distractors ----------------------------------------------------------------------------------


def assert_good_options(question: Question) -> None:
    card_ = question.card
    options = question.options
    assert options.count(question.right) == 1
    keys = [normalise(o) for o in options]
    assert len(set(keys)) == len(keys), f"duplicate options: {options}"
    if question.kind == "choice" and card_.kind in ("text", "recall"):
        wrong = [o for o in options if o != question.right]
        assert MIN_DISTRACTORS <= len(wrong) <= 3
        accepted = {normalise(card_.answer_text), *(normalise(a) for a in card_.accept)}
        same = {c.answer_text for c in POOL if c.deck == card_.deck and c.kind == card_.kind
                and c.id != card_.id}
        for option in wrong:
            assert option in same, f"{option!r} is not another {card_.kind} answer of {card_.deck}"
            assert normalise(option) not in accepted
            assert judge(question.spec(), option) == "wrong"


POOL: list[Card] = []


@pytest.mark.parametrize("seed", [1, 2, 3, 42, 1234])
def test_every_option_set_of_the_bundled_decks_is_sound(bundled, seed):
    POOL[:] = [r.card for r in bundled]
    questions = make_questions(bundled, POOL, len(bundled), seed, judge)
    assert {q.kind for q in questions} == {"typed", "choice", "role", "figure"}
    for question in questions:
        if question.options:
            assert_good_options(question)


def test_the_right_option_moves_around(bundled):
    POOL[:] = [r.card for r in bundled]
    positions = Counter()
    for seed in range(10):
        for q in make_questions(bundled, POOL, 40, seed, judge, kinds=("choice",)):
            positions[q.options.index(q.right)] += 1
    assert len(positions) >= 3 and max(positions.values()) < 0.5 * sum(positions.values())


@pytest.mark.parametrize(("right", "others", "accept", "expected"), [
    # equal to the right answer (any case, spacing or outer punctuation) is never a distractor
    ("Milvus", ["milvus", " MILVUS. ", "Pinecone", "Weaviate"], (), {"Pinecone", "Weaviate"}),
    # nor an accepted variant
    ("cold-start problem", ["cold start", "drift", "overfitting"], ("cold start",),
     {"drift", "overfitting"}),
    # nor the same answer twice
    ("a", ["b", "b", "B", "c"], (), {"b", "c"}),
])
def test_distractors_are_never_right_and_never_repeat(right, others, accept, expected):
    target = card(0, right, accept=accept)
    pool = [target] + [card(i, text) for i, text in enumerate(others, start=1)]
    got = distractors(target, pool, random.Random(0), judge)
    assert {normalise(g) for g in got} == {normalise(e) for e in expected}
    assert len(got) == len({normalise(g) for g in got})


def test_distractors_come_from_the_same_deck_and_kind():
    target = card(0, "alpha")
    pool = [target, card(1, "beta"), card(2, "gamma", deck="other"),
            card(3, "42", kind="number"), card(4, "delta", kind="recall"), card(5, "epsilon")]
    assert sorted(distractors(target, pool, random.Random(0), judge)) == ["beta", "epsilon"]


def test_a_distractor_the_grader_would_accept_is_dropped():
    class Lenient:
        def grade(self, spec, text):
            return GRADER.grade(spec, "vanishing gradient" if text == "vanishing gradients" else text)

    target = card(0, "vanishing gradient")
    pool = [target, card(1, "vanishing gradients"), card(2, "exploding loss"), card(3, "drift")]
    got = distractors(target, pool, random.Random(0), lambda s, t: Lenient().grade(s, t).verdict)
    assert "vanishing gradients" not in got and len(got) == 2


def test_the_most_plausible_distractors_are_preferred():
    target = card(0, "technical moat", tags=("ml-pm",))
    pool = [target, card(1, "equity grant", tags=("ml-pm",)), card(2, "replacement cost", tags=("ml-pm",)),
            card(3, "bottom line", tags=("ml-pm",)),
            card(4, "a very long answer that looks nothing like the right one at all, really"),
            card(5, "X")]
    for seed in range(20):
        got = distractors(target, pool, random.Random(seed), judge)
        assert set(got) == {"equity grant", "replacement cost", "bottom line"}


@settings(max_examples=60, deadline=None)
@given(answers=st.lists(st.text(alphabet="abcdefgh XY-", min_size=1, max_size=12).filter(str.strip), min_size=1,
                        max_size=12), seed=st.integers(0, 10_000))
def test_distractor_invariants_hold_for_any_deck(answers, seed):
    cards = [card(i, a) for i, a in enumerate(answers)]
    target = cards[0]
    got = distractors(target, cards, random.Random(seed), judge)
    keys = [normalise(g) for g in got]
    assert len(got) <= 3 and len(set(keys)) == len(keys)
    assert normalise(target.answer_text) not in keys
    assert all(judge(target.grading_spec(), g) == "wrong" for g in got)
    assert all(g in answers[1:] or g.strip() in [a.strip() for a in answers[1:]] for g in got)


def test_a_card_without_enough_distractors_is_asked_typed_only():
    cards = records_of([card(0, "alpha"), card(1, "beta")])
    questions = make_questions(cards, [r.card for r in cards], 10, 0, judge)
    assert {q.kind for q in questions} == {"typed"}


# -- recall cards ---------------------------------------------------------------------------------


def test_recall_cards_become_multiple_choice_or_are_left_out():
    recall = [card(i, f"long recalled answer number {i}", kind="recall") for i in range(3)]
    lonely = card(9, "the only recall card here", deck="solo", kind="recall")
    cards = records_of([*recall, lonely])
    questions = make_questions(cards, [r.card for r in cards], 10, 0, judge)
    assert len(questions) == 3 and all(q.kind == "choice" for q in questions)
    assert lonely.id not in {q.card.id for q in questions}
    for q in questions:
        assert set(q.options) == {c.answer for c in recall}


# -- role rounds, figures, the mix ---------------------------------------------------------------


def test_role_rounds_keep_ai_pm_first():
    role = card(0, "ML PM", kind="choice", options=("ML PM", "AI PM"))
    assert is_role_card(role)
    [question] = make_questions(records_of([role]), [role], 5, 0, judge)
    assert question.kind == "role" and question.options == ("AI PM", "ML PM")
    assert question.right == "ML PM" and question.right_label == "2) ML PM"


def test_a_quiz_mixes_the_kinds_and_never_repeats_a_card(bundled):
    pool = [r.card for r in bundled]
    for seed in range(5):
        questions = make_questions(bundled, pool, 20, seed, judge)
        assert len(questions) == 20
        kinds = Counter(q.kind for q in questions)
        assert set(kinds) == {"typed", "choice", "role", "figure"} and max(kinds.values()) <= 6
        assert len({q.card.id for q in questions}) == 20
        assert [q.number for q in questions] == list(range(1, 21))


def test_kinds_filter_and_short_supply(bundled):
    pool = [r.card for r in bundled]
    figures = make_questions(bundled, pool, 50, 0, judge, kinds=("figure",))
    assert {q.kind for q in figures} == {"figure"}
    assert len(figures) == sum(1 for r in bundled if r.card.kind == "number")


def test_the_same_seed_makes_the_same_quiz(bundled):
    pool = [r.card for r in bundled]

    def shape(seed):
        return [(q.card.id, q.kind, q.options) for q in make_questions(bundled, pool, 20, seed, judge)]

    assert shape(7) == shape(7)
    assert shape(7) != shape(8)


# -- reading an answer ----------------------------------------------------------------------------


ROLE = Question(1, records_of([card(0, "AI PM", kind="choice", options=("AI PM", "ML PM"))])[0],
                "role", "AI PM", ("AI PM", "ML PM"))
CHOICE = Question(1, records_of([card(0, "beta")])[0], "choice", "beta", ("alpha", "beta", "gamma"))


@pytest.mark.parametrize(("question", "typed", "chosen"), [
    (CHOICE, "2", "beta"), (CHOICE, " 3 ", "gamma"), (CHOICE, "4", None), (CHOICE, "0", None),
    (CHOICE, "Alpha", "alpha"), (CHOICE, "delta", None), (CHOICE, "", None),
    (ROLE, "1", "AI PM"), (ROLE, "ml", "ML PM"), (ROLE, "AI", "AI PM"), (ROLE, "m", "ML PM"),
    (ROLE, "ml pm", "ML PM"), (ROLE, "ai-pm", None),
])
def test_an_answer_line_picks_an_option(question, typed, chosen):
    assert chosen_option(question, typed) == chosen


@pytest.mark.parametrize(("values", "kinds"), [
    (("typed,choice",), ("typed", "choice")),
    (("role", "figure", "role"), ("role", "figure")),
    (("number, mc",), ("figure", "choice")),
    ((), ()),
])
def test_parse_kinds(values, kinds):
    assert parse_kinds(values) == kinds


def test_parse_kinds_rejects_unknown():
    with pytest.raises(QuizError, match="unknown question kind 'essay'"):
        parse_kinds(["typed,essay"])
