"""One answer policy: review and `quiz --reschedule` put the same answer on the same due date."""

from __future__ import annotations

from datetime import timedelta

import pytest

from debrief.cards import Card, Deck
from debrief.plan import set_interview_date
from debrief.policy import answer_outcomes, schedule_answer
from debrief.quiz import QuizOptions, QuizSession
from debrief.scheduling import CardState, Rating
from debrief.session import ReviewSession


def _deck(name: str) -> Deck:
    card = Card(id=f"fact-{name}", deck=name, kind="text", prompt="Capital of France?", answer="Paris")
    return Deck(name=name, title=name.title(), cards=(card,))


@pytest.fixture
def twins(ws, clock):
    """Two decks with one identical new card each."""
    ws.store.decks.sync_decks([_deck("reviewed"), _deck("quizzed")], clock())
    return ws


def _planned_case(ws, now):
    """A card state and an interview date for which the planner moves an Easy answer earlier
    than FSRS alone would (found by search, so the test holds whatever the exact intervals)."""
    from debrief.plan import Planner

    lapsed = CardState(state="review", stability=3.0, difficulty=9.0, due=now,
                       last_review=now - timedelta(days=10), reps=3, lapses=1)
    for state in (CardState(), lapsed):
        natural = ws.scheduler.review(state, Rating.EASY, now)
        for days in range(1, 60):
            interview = now.date() + timedelta(days=days)
            planner = Planner(interview, ws.settings, ws.scheduler)
            if planner.bring_forward(natural, now) != natural:
                return state, interview, natural
    pytest.fail("no case where the interview planner changes an Easy answer")


def test_an_easy_answer_is_due_on_the_same_day_from_review_and_from_a_rescheduling_quiz(
        twins, clock, timer):
    ws = twins
    state, interview, natural = _planned_case(ws, clock())
    for record in ws.store.decks.cards():
        ws.store.queue.reschedule(record.pk, state)
    set_interview_date(ws, interview)

    review = ReviewSession(ws, ["reviewed"], timer=timer)
    assert review.current is not None and review.current.card.deck == "reviewed"
    review.submit("Paris")
    answered = review.rate(Rating.EASY)

    quiz = QuizSession(ws, QuizOptions(decks=("quizzed",), count=1, kinds=("typed",),
                                       reschedule=True, seed=1), timer=timer)
    question = quiz.start()
    quiz.answer(question.shortest_right_answer)  # right at once: the quiz rates it Easy
    [quizzed] = ws.store.decks.cards(ws.store.decks.deck_ids(["quizzed"]))

    assert quizzed.state == answered.state
    assert quizzed.state.due is not None and natural.due is not None
    assert quizzed.state.due < natural.due  # the planner brought it forward, in both


def test_the_buttons_show_what_the_policy_saves(ws, clock):
    state, interview, _natural = _planned_case(ws, clock())
    set_interview_date(ws, interview)
    planned, natural = answer_outcomes(ws.scheduler, ws.planner, state, clock())
    for rating in Rating:
        assert planned[rating].state == schedule_answer(ws.scheduler, ws.planner, state,
                                                        rating, clock())
        assert natural[rating].state == ws.scheduler.review(state, rating, clock())
    assert planned[Rating.EASY].state.due < natural[Rating.EASY].state.due


def test_without_an_interview_date_the_policy_is_fsrs_alone(ws, clock):
    for rating in Rating:
        assert (schedule_answer(ws.scheduler, ws.planner, CardState(), rating, clock())
                == ws.scheduler.review(CardState(), rating, clock()))


def test_reload_planner_sees_a_date_set_behind_its_back(ws, clock):
    assert ws.planner.interview is None
    day = clock().date() + timedelta(days=9)
    ws.store.meta.set_meta("interview_date", day.isoformat())
    assert ws.planner.interview is None  # the workspace keeps its planner until told
    assert ws.reload_planner().interview == day and ws.planner.interview == day
