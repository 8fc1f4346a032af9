"""The store's side of the Anki round trip: Anki reviews added once, own answers recognised,
each touched card's schedule replayed from its whole history (SQLite, and PostgreSQL if set)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from debrief.cards import Card, Deck
from debrief.config import Settings
from debrief.importers.history import AnkiReview
from debrief.scheduling import CardState, Rating, Scheduler

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DECK = Deck(name="trip", title="Trip", cards=(
    Card(id="a", deck="trip", kind="recall", prompt="A?", answer="a"),
    Card(id="b", deck="trip", kind="recall", prompt="B?", answer="b"),
))
SCHEDULER = Scheduler(Settings(enable_fuzzing=False))


def replay(state: CardState, rating: int, at: datetime) -> CardState:
    return SCHEDULER.review(state, Rating(rating), at)


def ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def test_anki_reviews_are_added_once_and_the_schedule_is_replayed(store) -> None:
    store.decks.sync_decks([DECK], T0)
    pks = {record.card.id: record.pk for record in store.decks.cards()}
    # One answer in the terminal...
    store.queue.record_review(pks["a"], T0, lambda s: replay(s, 3, T0), rating=3, answer=None,
                              verdict=None, score=None, duration_ms=3000)
    phone = [T0 + timedelta(minutes=10), T0 + timedelta(days=2)]
    reviews = [
        # ...that went to Anki with an export and comes back (its id is its time in ms)...
        AnkiReview(ms(T0), "a", T0, 3, 3000),
        # ...and two answers on the phone.
        AnkiReview(ms(phone[0]), "a", phone[0], 3, 5000),
        AnkiReview(ms(phone[1]), "a", phone[1], 1, 8000),
    ]
    first = store.log.add_anki_reviews(reviews, replay)
    assert (first.added, first.own, first.already, first.cards) == (2, 1, 0, 1)

    expected = CardState()
    for at, rating in ((T0, 3), (phone[0], 3), (phone[1], 1)):
        expected = replay(expected, rating, at)
    record = store.decks.card(pks["a"])
    assert record.state == expected
    assert (record.state.state, record.state.lapses, record.state.reps) == ("relearning", 1, 3)
    history = store.log.history(pks["a"])
    assert [r.reviewed_at for r in history] == [phone[1], phone[0], T0]
    assert [r.state_before for r in history] == ["review", "learning", "new"]
    assert store.decks.card(pks["b"]).state == CardState()

    again = store.log.add_anki_reviews(reviews, replay)
    assert (again.added, again.own, again.already, again.cards) == (0, 1, 2, 0)
    assert store.decks.card(pks["a"]).state == expected and len(store.log.history(pks["a"])) == 3
    logs = store.log.rated_reviews([pks["a"], pks["b"]])
    assert [log.anki_revlog_id for log in logs[pks["a"]]] == [None, ms(phone[0]), ms(phone[1])]
    assert pks["b"] not in logs


def test_an_answer_in_anki_a_second_apart_from_a_terminal_one_is_its_own(store) -> None:
    store.decks.sync_decks([DECK], T0)
    pk = store.decks.cards()[0].pk
    store.queue.record_review(pk, T0, lambda s: replay(s, 3, T0), rating=3, answer=None,
                              verdict=None, score=None, duration_ms=3000)
    later = T0 + timedelta(seconds=2)
    other_rating = AnkiReview(ms(T0) + 10, "a", T0, 1, 1000)
    result = store.log.add_anki_reviews([AnkiReview(ms(later), "a", later, 3, 1000), other_rating],
                                        replay)
    assert (result.added, result.own) == (2, 0)
    assert len(store.log.history(pk)) == 3


def test_marks_from_anki_against_the_time_debrief_marked_a_card(store) -> None:
    from debrief.importers.marks import AnkiMarks, Marks, Merged, merge_marks

    store.decks.sync_decks([DECK], T0)
    pks = {record.card.id: record.pk for record in store.decks.cards()}
    # "a" becomes a leech in the terminal, suspended at T0 + 1 day.
    leech_at = T0 + timedelta(days=1)
    saved = store.queue.record_answer(pks["a"], leech_at, lambda s: replay(s, 1, leech_at),
                                      rating=1, answer=None, verdict=None, score=None,
                                      duration_ms=1000, leech=lambda _b, _a: "suspend")
    def merge(now: datetime) -> Callable[[Marks, AnkiMarks], Merged]:
        return lambda ours, theirs: merge_marks(ours, theirs,
                                                theirs.modified_at + timedelta(hours=1), now)

    # Anki unsuspended and flagged it earlier (the package says debrief sent it unmarked):
    # debrief's later suspension stays; the flag only Anki set comes in.
    marks = [AnkiMarks("a", False, 2, False, T0 + timedelta(hours=12), sent=0),
             AnkiMarks("b", True, 0, True, T0, None), AnkiMarks("gone", True, 0, False, T0)]
    result = store.decks.merge_anki_marks(marks, merge(T0 + timedelta(minutes=30)))
    assert (result.suspended, result.unsuspended, result.flagged, result.buried) == (1, 0, 1, 1)
    a, b = store.decks.card(pks["a"]), store.decks.card(pks["b"])
    assert (a.suspended, a.flag) == (True, 2)
    assert (b.suspended, b.buried_until) == (True, T0 + timedelta(hours=1))
    again = store.decks.merge_anki_marks(marks, merge(T0 + timedelta(minutes=30)))
    assert (again.suspended, again.flagged, again.buried, again.kept) == (0, 0, 0, 0)
    # Undoing the answer unsuspends the leech; a suspension made in Anki later then comes in.
    store.queue.undo_review(saved.review_id)
    assert not store.decks.card(pks["a"]).suspended
    later = AnkiMarks("a", True, 2, False, T0 + timedelta(days=2), sent=0)
    assert store.decks.merge_anki_marks([later], merge(T0)).suspended == 1
    assert store.decks.card(pks["a"]).suspended
