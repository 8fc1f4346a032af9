"""The review session core: queue order, daily limits, rating, undo, suspend, bury, day rollover."""

from __future__ import annotations

from datetime import timedelta

import pytest

from debrief.cards import Card, Deck
from debrief.config import Settings
from debrief.scheduling import Rating
from debrief.session import ReviewSession, SessionError


def make_deck(n: int, name: str = "demo") -> Deck:
    cards = tuple(Card(id=f"{name}-{i}", deck=name, kind="text", prompt=f"{name} prompt {i}?",
                       answer=f"answer{i}") for i in range(n))
    return Deck(name=name, title=name.title(), cards=cards)


@pytest.fixture
def loaded(ws, clock):
    ws.store.decks.sync_decks([make_deck(30)], clock())
    return ws


def answer_right(session: ReviewSession, rating: Rating | None = Rating.GOOD):
    record = session.current
    session.submit(record.card.answer)
    return session.rate(rating)


def test_new_cards_come_in_file_order_up_to_the_daily_limit(loaded, timer):
    session = ReviewSession(loaded, timer=timer)
    seen = []
    while session.current is not None and session.current.state.is_new:
        seen.append(session.current.card.id)
        answer_right(session, Rating.EASY)
    assert seen == [f"demo-{i}" for i in range(20)]
    assert session.current is None


def test_the_new_limit_holds_across_sessions_and_resets_next_day(loaded, clock, timer):
    first = ReviewSession(loaded, timer=timer, limit=12)
    for _ in range(12):
        answer_right(first, Rating.EASY)
    second = ReviewSession(loaded, timer=timer)
    assert second.counts()["new"] == 8
    clock.advance(days=1)
    third = ReviewSession(loaded, timer=timer)
    assert third.counts()["new"] == 18 - 0  # 30 - 12 answered = 18 left, under the limit of 20


def test_session_new_limit_overrides_the_setting(loaded, timer):
    session = ReviewSession(loaded, timer=timer, new_limit=3)
    assert session.counts() == {"learning": 0, "review": 0, "new": 3}


def test_limit_caps_the_answers_of_the_session(loaded, timer):
    session = ReviewSession(loaded, timer=timer, limit=2)
    answer_right(session)
    answer_right(session)
    assert session.current is None
    assert session.summary().answered == 2


def test_a_wrong_answer_suggests_again_and_comes_back_after_the_step(loaded, clock, timer):
    session = ReviewSession(loaded, timer=timer, new_limit=1)
    first = session.current
    feedback = session.submit("something else")
    assert feedback.is_right is False and feedback.suggested == Rating.AGAIN
    session.rate()
    # Within the learn-ahead window the failed card is shown again rather than ending the session.
    assert session.current is not None and session.current.pk == first.pk
    assert session.current.state.state == "learning"


def test_due_learning_cards_come_before_new_cards(loaded, clock, timer):
    session = ReviewSession(loaded, timer=timer)
    failed = session.current
    session.submit("nope")
    session.rate(Rating.AGAIN)
    clock.advance(minutes=2)
    assert session.current.pk == failed.pk


def test_reviews_due_today_come_before_new_cards(loaded, clock, timer):
    session = ReviewSession(loaded, timer=timer, limit=1)
    reviewed = answer_right(session, Rating.EASY)
    clock.now = reviewed.state.due + timedelta(minutes=1)
    later = ReviewSession(loaded, timer=timer)
    assert later.current.pk == reviewed.record.pk
    assert later.counts()["review"] == 1


def test_the_review_limit_is_respected(ws, clock, timer):
    ws.store.decks.sync_decks([make_deck(5)], clock())
    session = ReviewSession(ws, timer=timer)
    for _ in range(5):
        answer_right(session, Rating.EASY)
    clock.advance(days=60)
    ws.settings = Settings(enable_fuzzing=False, reviews_per_day=3)
    assert ReviewSession(ws, timer=timer).counts()["review"] == 3


def test_every_answer_is_saved_as_it_is_given(loaded, timer):
    session = ReviewSession(loaded, timer=timer)
    assert session.current is not None  # the card is on screen from here
    timer.t += 7.5
    answered = answer_right(session)
    (log,) = loaded.store.log.history(answered.record.pk)
    assert (log.rating, log.verdict, log.answer, log.mode) == (3, "correct", "answer0", "review")
    assert log.duration_ms == 7500
    assert loaded.store.decks.card(answered.record.pk).state == answered.state


def test_undo_restores_the_schedule_and_removes_the_log(loaded, timer):
    session = ReviewSession(loaded, timer=timer)
    original = session.current
    answer_right(session, Rating.EASY)
    assert session.current.pk != original.pk
    back = session.undo()
    assert back.pk == original.pk and session.current.pk == original.pk
    assert loaded.store.decks.card(original.pk).state == original.state
    assert loaded.store.log.history(original.pk) == []
    assert session.done == 0
    with pytest.raises(SessionError):
        session.undo()


def test_rating_before_answering_is_refused(loaded, timer):
    with pytest.raises(SessionError):
        ReviewSession(loaded, timer=timer).rate(Rating.GOOD)


def test_suspend_hides_a_card_until_unsuspended(loaded, timer):
    session = ReviewSession(loaded, timer=timer, new_limit=30)
    suspended = session.current
    session.suspend()
    assert session.current.pk != suspended.pk
    assert all(r.pk != suspended.pk for r in loaded.store.queue.next_cards(
        loaded.now(), loaded.day_bounds()[1], None, "new", 50))
    loaded.store.decks.set_suspended(suspended.pk, False, loaded.now())
    assert ReviewSession(loaded, timer=timer).current.pk == suspended.pk


def test_bury_hides_a_card_until_the_next_study_day(loaded, clock, timer):
    session = ReviewSession(loaded, timer=timer)
    buried = session.current
    session.bury()
    assert session.current.pk != buried.pk
    assert ReviewSession(loaded, timer=timer).current.pk != buried.pk
    clock.advance(days=1)
    assert ReviewSession(loaded, timer=timer).current.pk == buried.pk


def test_deck_filter_and_unknown_deck(ws, clock, timer):
    from debrief.store import UnknownDeckError

    ws.store.decks.sync_decks([make_deck(3, "alpha"), make_deck(3, "beta")], clock())
    assert ReviewSession(ws, ["beta"], timer=timer).current.card.deck == "beta"
    with pytest.raises(UnknownDeckError, match="unknown deck 'gamma'"):
        ReviewSession(ws, ["gamma"], timer=timer)


def test_two_sessions_answering_the_same_card_lose_nothing(loaded, timer):
    one = ReviewSession(loaded, timer=timer)
    two = ReviewSession(loaded, timer=timer)
    assert one.current.pk == two.current.pk
    one.submit(one.current.card.answer)
    two.submit(two.current.card.answer)
    a = one.rate(Rating.GOOD)
    b = two.rate(Rating.GOOD)
    logs = loaded.store.log.history(a.record.pk)
    assert len(logs) == 2
    # The second answer was scheduled from the state the first one wrote, not a stale copy.
    assert b.state.reps == 2
    assert loaded.store.decks.card(a.record.pk).state == b.state
