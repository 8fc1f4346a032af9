""""I was right": the store keeps a card's user answers, the review and quiz sessions mark a
rejected answer right, and the answer passes on the next review and quiz."""

from __future__ import annotations

import io

import pytest

from debrief.cards import Card, Deck
from debrief.cli.plain_review import run_plain_review
from debrief.quiz import QuizError, QuizOptions, QuizSession
from debrief.scheduling import Rating
from debrief.session import ReviewSession, SessionError
from debrief.store.db import StoreError

CARD = Card(id="own-1", deck="own", kind="text", prompt="What kills a new recommender?",
            answer="cold start problem")


@pytest.fixture
def loaded(ws, clock):
    ws.store.decks.sync_decks([Deck(name="own", title="Own", cards=(CARD,))], clock())
    return ws


def pk(ws) -> int:
    return ws.store.decks.cards()[0].pk


def test_the_store_adds_lists_and_removes_a_cards_user_answers(loaded, clock):
    store, card = loaded.store, pk(loaded)
    assert store.decks.user_answers(card) == []
    assert store.decks.add_user_answer(card, " no data on new users ", clock()) is True
    assert store.decks.add_user_answer(card, "no data on new users", clock()) is False  # kept once
    assert store.decks.user_answers(card) == ["no data on new users"]
    assert store.decks.remove_user_answer(card, "no data on new users") is True
    assert store.decks.remove_user_answer(card, "no data on new users") is False
    assert store.decks.user_answers(card) == []
    with pytest.raises(StoreError):
        store.decks.add_user_answer(card, "   ", clock())
    with pytest.raises(StoreError):
        store.decks.add_user_answer(card + 99, "x", clock())


def test_user_answers_survive_a_deck_reimport(loaded, clock):
    loaded.store.decks.add_user_answer(pk(loaded), "no data on new users", clock())
    edited = Card(id="own-1", deck="own", kind="text", prompt="What kills a new recommender?",
                  answer="the cold start problem")
    loaded.store.decks.sync_decks([Deck(name="own", title="Own", cards=(edited,))], clock())
    assert loaded.store.decks.user_answers(pk(loaded)) == ["no data on new users"]


def test_marking_a_rejected_review_answer_right_counts_it_and_it_passes_next_time(
        loaded, clock, timer):
    session = ReviewSession(loaded, timer=timer)
    feedback = session.submit("no data on new users")
    assert not feedback.is_right and feedback.suggested == Rating.AGAIN
    marked = session.mark_right()
    assert marked.is_right and marked.suggested == Rating.GOOD
    answered = session.rate()
    assert answered.rating == Rating.GOOD
    assert [h.verdict for h in loaded.store.log.history(pk(loaded))] == ["correct"]
    assert session.summary().right == 1
    clock.advance(days=30)
    again = ReviewSession(loaded, timer=timer)
    assert again.submit("no data on new users").is_right  # learned
    assert not again.submit("too much data").is_right  # only that answer


def test_only_a_graded_wrong_answer_can_be_marked_right(loaded, timer):
    session = ReviewSession(loaded, timer=timer)
    with pytest.raises(SessionError):
        session.mark_right()  # nothing answered yet
    session.submit("")
    with pytest.raises(SessionError):
        session.mark_right()  # an empty answer
    right = session.submit("cold start problem")
    assert session.mark_right() == right  # already right: nothing changes
    assert loaded.store.decks.user_answers(pk(loaded)) == []


def test_the_plain_review_takes_equals_as_i_was_right(loaded, timer):
    session = ReviewSession(loaded, timer=timer)
    out = io.StringIO()
    run_plain_review(session, io.StringIO("no data on new users\n=\n\n"), out)
    text = out.getvalue()
    assert "= I was right" in text and "Marked right by you" in text
    assert "Saved: Good" in text and "1 answered, 1 right" in text
    assert loaded.store.decks.user_answers(pk(loaded)) == ["no data on new users"]


def test_marking_a_quiz_answer_right_changes_the_score_and_it_passes_next_quiz(loaded, timer):
    session = QuizSession(loaded, QuizOptions(count=1, seed=1), timer=timer)
    session.start()
    with pytest.raises(QuizError):
        session.mark_right()  # nothing answered yet
    outcome = session.answer("no data on new users")
    assert outcome.status == "wrong" and session.score == 0 and session.over
    fixed = session.mark_right()
    assert fixed.status == "right" and session.score == 1
    assert session.report().score == 1
    assert [h.verdict for h in loaded.store.log.history(pk(loaded))] == ["correct"]
    assert [q.score for q in loaded.store.quizzes.quizzes()] == [1]
    with pytest.raises(QuizError):
        session.mark_right()  # already right
    again = QuizSession(loaded, QuizOptions(count=1, seed=2), timer=timer)
    again.start()
    assert again.answer("no data on new users").status == "right"


def test_an_accepted_whole_answer_passes_a_list_card_too() -> None:
    from debrief.grading import Grader

    spec = {"kind": "list", "expected": ["Situation", "Task", "Action", "Result"]}
    assert not Grader().grade(spec, "STAR, the usual four").is_right
    spec["accept"] = ["STAR, the usual four"]
    assert Grader().grade(spec, "star, the usual four").is_right


def test_the_plain_quiz_takes_equals_after_a_wrong_answer_as_i_was_right(ws, clock, timer):
    from debrief.cli.plain_quiz import StreamLineReader, run_plain_quiz

    two = (CARD, Card(id="own-2", deck="own", kind="text", prompt="Second?", answer="second"))
    ws.store.decks.sync_decks([Deck(name="own", title="Own", cards=two)], clock())
    session = QuizSession(ws, QuizOptions(count=2, seed=1), timer=timer)
    first = session.questions[0]
    lines = ["my own wording", "=", session.questions[1].shortest_right_answer]
    out = io.StringIO()
    run_plain_quiz(session, StreamLineReader(io.StringIO("\n".join(lines) + "\n")), out,
                   send_misses=False)
    text = out.getvalue()
    assert "Marked right" in text and "Score: 2/2 (100%)" in text
    assert ws.store.decks.user_answers(first.record.pk) == ["my own wording"]


RIVALS = (Card(id="emb-1", deck="emb", kind="text", prompt="What is an embedding?", answer="vector"),
          Card(id="emb-2", deck="emb", kind="text", prompt="Dense or sparse: which retrieval "
               "uses embeddings?", answer="dense"),
          Card(id="emb-3", deck="emb", kind="text", prompt="An essay is no rival",
               answer=" ".join(["word"] * 31)),
          Card(id="emb-4", deck="emb", kind="text", prompt="What is a holdout group?",
               answer="users kept out of the change as a baseline to measure its incremental "
                      "effect"),
          Card(id="emb-5", deck="emb", kind="text", prompt="What is a long-term holdout?",
               answer="users kept out of the change for a year to measure its long-term "
                      "effect"))


@pytest.fixture
def rivals(ws, clock):
    ws.store.decks.sync_decks([Deck(name="emb", title="Emb", cards=RIVALS)], clock())
    return ws


def test_a_review_grades_with_the_other_cards_answers_of_the_deck(rivals, timer):
    from debrief.session import DeckAnswers

    records = {r.card.id: r for r in rivals.store.decks.cards()}
    assert DeckAnswers.of_records(records.values()).others(records["emb-1"]) == (
        "dense", RIVALS[3].answer, RIVALS[4].answer)  # terms and definitions, not the essay
    session = ReviewSession(rivals, timer=timer)
    while session.current is not None and session.current.card.id != "emb-1":
        session.submit("x")
        session.rate(Rating.GOOD)
    # "dense" alone would carry "vector" ("a dense numeric vector"); here it is another
    # card's answer, so the answer names two
    assert not session.submit("a dense vector").is_right


def test_a_review_reads_an_answer_closer_to_another_cards_definition_as_that_one(rivals, timer):
    """Definitions are rivals too: an answer that says another card's definition more closely
    than this card's is wrong in the session, though alone it says enough of this card's."""
    answer = "users kept out of the change for a year to measure its effect"
    from debrief.grading import Grader
    from debrief.session import DeckAnswers
    alone = {"kind": "text", "expected": RIVALS[3].answer, "prompt": RIVALS[3].prompt}
    assert Grader().grade(alone, answer).is_right
    session = ReviewSession(rivals, timer=timer)
    while session.current is not None and session.current.card.id != "emb-4":
        session.submit("x")
        session.rate(Rating.GOOD)
    assert session.current is not None
    assert not session.submit(answer).is_right
    # with the same rivals, this card's own definition in other words passes
    others = DeckAnswers.of_records(rivals.store.decks.cards()).others(session.current)
    assert RIVALS[4].answer in others
    assert Grader().grade(dict(alone, others=list(others)), "users kept out of the change as a "
                          "baseline for the incremental effect").is_right


def test_a_quiz_grades_with_the_other_cards_answers_of_the_deck(rivals, timer):
    quiz = QuizSession(rivals, QuizOptions(count=3, kinds=("typed",), seed=1), timer=timer)
    question = quiz.start()
    while question.card.id != "emb-1":
        quiz.answer("x")
        question = quiz.current
        assert question is not None
    assert quiz.answer("a dense vector").status == "wrong"
    # without the deck's other answers the same words pass
    from debrief.grading import Grader
    assert Grader().grade({"kind": "text", "expected": "vector"}, "a dense vector").is_right


def test_marked_right_in_a_rescheduling_quiz_reschedules_as_a_right_answer(loaded, timer):
    quiz = QuizSession(loaded, QuizOptions(count=1, kinds=("typed",), seed=1, reschedule=True),
                       timer=timer)
    quiz.start()
    assert quiz.answer("no data on new users").status == "wrong"
    missed = loaded.store.decks.cards()[0].state
    quiz.mark_right()
    after = loaded.store.decks.cards()[0].state
    assert missed.due is not None and after.due is not None
    assert after.due > missed.due  # a miss comes back within minutes; a right answer later
    assert after.state != missed.state or after.stability != missed.stability


def test_the_rivals_read_from_a_few_columns_are_those_of_the_card_records(rivals):
    """The sessions read the deck's answers through `text_answers` (a few columns, not every
    card's record, so a 100,000-card collection does not load every card to grade one answer);
    it must give each card the same rivals as the full records do, on the bundled decks too."""
    from debrief.session import DeckAnswers

    rivals.sync_bundled()
    records = rivals.store.decks.cards()
    light = DeckAnswers(rivals.store.decks.text_answers())
    full = DeckAnswers.of_records(records)
    assert any(full.others(r) for r in records)
    assert [light.others(r) for r in records] == [full.others(r) for r in records]
    one = rivals.store.decks.deck_ids(["emb"])
    assert {pk for pk, _deck, _answer in rivals.store.decks.text_answers(one)} == \
        {r.pk for r in records if r.card.deck == "emb" and r.card.kind == "text"}
