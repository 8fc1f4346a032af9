"""Today's counts stop at what the daily limits let through, so showing them stays flat as decks grow."""

from __future__ import annotations

from datetime import timedelta

import pytest

from debrief.cards import Card, Deck
from debrief.scheduling import CardState
from debrief.session import ReviewSession


@pytest.fixture
def big(ws, clock):
    cards = tuple(Card(id=f"c{i}", deck="big", kind="text", prompt=f"Q{i}?", answer=f"a{i}")
                  for i in range(40))
    ws.store.decks.sync_decks([Deck(name="big", title="Big", cards=cards)], clock())
    due = clock() - timedelta(hours=1)
    for record in ws.store.decks.cards()[:12]:  # 12 review cards due, 28 new
        ws.store.queue.reschedule(record.pk, CardState(state="review", stability=5.0, difficulty=5.0,
                                                       due=due, last_review=due - timedelta(days=5),
                                                       reps=2))
    return ws


@pytest.mark.parametrize("deck_ids", [None, "big"])
def test_caps_stop_each_queue_at_its_cap(big, clock, deck_ids):
    ids = big.store.decks.deck_ids([deck_ids]) if deck_ids else None
    _start, end = big.day_bounds()
    assert big.store.queue.queue_counts(clock(), end, ids) == {"learning": 0, "review": 12, "new": 28}
    assert big.store.queue.queue_counts(clock(), end, ids, caps={"review": 5, "new": 3}) == {
        "learning": 0, "review": 5, "new": 3}
    assert big.store.queue.queue_counts(clock(), end, ids, caps={"review": 50, "new": 0}) == {
        "learning": 0, "review": 12, "new": 0}


def test_the_session_counts_what_the_limits_leave(big, timer):
    session = ReviewSession(big, new_limit=4, timer=timer)
    assert session.counts() == {"learning": 0, "review": 12, "new": 4}
    session.submit("x")
    session.rate(3)
    assert session.counts()["review"] == 11 and session.counts()["new"] == 4
