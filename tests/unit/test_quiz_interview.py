"""`debrief quiz --interview`: the quiz asks the cards weakest on the interview day."""

from __future__ import annotations

import pytest

from debrief.cards import Card, Deck
from debrief.plan import NoInterviewDate, set_interview_date
from debrief.quiz import QuizOptions
from debrief.quiz.session import build_questions
from debrief.scheduling import Rating
from debrief.session import ReviewSession


@pytest.fixture
def studied(ws, clock, timer):
    cards = tuple(Card(id=f"c{i}", deck="demo", kind="text", prompt=f"Prompt {i}?", answer=f"answer {i}")
                  for i in range(12))
    ws.store.decks.sync_decks([Deck(name="demo", title="Demo", cards=cards)], clock())
    session = ReviewSession(ws, timer=timer, new_limit=8)
    for _ in range(8):  # c0..c7 studied (Easy), c8..c11 never studied
        record = session.current
        session.submit(record.card.answer)
        session.rate(Rating.EASY)
    return ws


def test_interview_quiz_asks_the_weakest_cards(studied, clock):
    set_interview_date(studied, (clock().date().fromordinal(clock().date().toordinal() + 20)).isoformat())
    questions = build_questions(studied, QuizOptions(count=4, interview=True, kinds=("typed",)), seed=1)
    assert sorted(q.record.card.id for q in questions) == ["c10", "c11", "c8", "c9"]


def test_interview_quiz_needs_a_date(studied):
    with pytest.raises(NoInterviewDate):
        build_questions(studied, QuizOptions(count=4, interview=True), seed=1)
