"""The store on every backend (SQLite; PostgreSQL when DEBRIEF_TEST_PG_URL is set): JSON, booleans,
aware datetimes, queues, answers, undo and settings read back exactly as written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from debrief.cards import Card, Deck
from debrief.scheduling import CardState
from debrief.store import HEAD, StoreError, UndoError, UnknownDeckError, open_store
from debrief.store.db import schema_revision
from debrief.store.models import ReviewRow

NOW = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC)


def card(card_id: str, kind: str = "text", deck: str = "demo", **kw) -> Card:
    defaults = {"prompt": f"Prompt {card_id}?", "answer": f"answer {card_id}"}
    defaults.update(kw)
    return Card(id=card_id, deck=deck, kind=kind, **defaults)


def demo(*cards: Card, name: str = "demo", title: str | None = None) -> Deck:
    return Deck(name=name, title=title or name.title(), cards=tuple(cards))


def review_state(due: datetime, reps: int = 1) -> CardState:
    return CardState(state="review", step=None, stability=5.5, difficulty=4.25, due=due,
                     last_review=NOW, reps=reps, lapses=0)


def answer(store, pk: int, state: CardState | None, at: datetime = NOW, mode: str = "review"):
    compute = (lambda _before: state) if state is not None else None
    return store.queue.record_review(pk, at, compute, mode=mode, rating=3 if mode == "review" else None,
                                     answer="typed", verdict="correct", score=1.0, duration_ms=1500)


def test_a_new_store_is_at_head_and_reopening_changes_nothing(db_url):
    first = open_store(db_url)
    try:
        assert schema_revision(first.db.engine) == HEAD
    finally:
        first.close()
    again = open_store(db_url)
    try:
        assert schema_revision(again.db.engine) == HEAD
    finally:
        again.close()


def test_card_content_round_trips_json_unicode_and_markup(store):
    cards = (
        card("t1", prompt="Ünïcödé — “quotes” [bold]not markup[/] 🚀", answer="réponse",
             accept=("reponse", "answer"), tags=("a", "b")),
        card("l1", kind="list", answer=("precision", "recall", "F1"), min_items=2),
        card("c1", kind="choice", answer="B", options=("A", "B", "C")),
        card("r1", kind="recall", answer="long\nmulti-line\tanswer", explanation="why " * 50),
    )
    report = store.decks.sync_decks([demo(*cards)], NOW)
    assert (report.added, report.updated, report.unchanged) == (4, 0, 0)
    got = {r.card.id: r.card for r in store.decks.cards()}
    for original in cards:
        stored = got[original.id]
        assert (stored.kind, stored.prompt, stored.answer, stored.accept, stored.options,
                stored.min_items, stored.explanation, stored.tags) == (
            original.kind, original.prompt, original.answer, original.accept, original.options,
            original.min_items, original.explanation, original.tags)
    assert store.decks.sync_decks([demo(*cards)], NOW).unchanged == 4


def test_a_long_deck_title_is_stored_on_every_backend(store):
    title = "T" * 5000
    store.decks.sync_decks([demo(card("a"), title=title)], NOW)
    assert dict(store.decks.decks())["demo"] == title


def test_editing_retiring_and_restoring_cards_keeps_booleans_and_history(store):
    store.decks.sync_decks([demo(card("a"), card("b"))], NOW)
    pk = {r.card.id: r.pk for r in store.decks.cards()}
    answer(store, pk["a"], review_state(NOW + timedelta(days=3)))
    report = store.decks.sync_decks([demo(card("b", prompt="Edited?"))], NOW)
    assert (report.updated, report.retired) == (1, 1)
    assert [r.card.id for r in store.decks.cards()] == ["b"]
    retired = {r.card.id: r for r in store.decks.cards(include_retired=True)}
    assert retired["a"].retired is True and retired["b"].retired is False
    store.decks.sync_decks([demo(card("a"), card("b", prompt="Edited?"))], NOW)
    back = store.decks.card(pk["a"])
    assert back.retired is False and back.state.state == "review"
    assert len(store.log.history(pk["a"])) == 1


def test_datetimes_come_back_aware_utc_to_the_microsecond(store):
    store.decks.sync_decks([demo(card("a"))], NOW)
    pk = store.decks.cards()[0].pk
    due = datetime(2026, 3, 5, 17, 30, 1, 654321, tzinfo=UTC)
    _id, after = answer(store, pk, review_state(due))
    stored = store.decks.card(pk).state
    assert stored == after
    assert stored.due == due and stored.due.tzinfo is not None
    assert stored.last_review == NOW
    (log,) = store.log.history(pk)
    assert log.reviewed_at == NOW and log.reviewed_at.utcoffset() == timedelta(0)


def test_record_review_computes_from_the_state_read_inside_the_transaction(store):
    store.decks.sync_decks([demo(card("a"))], NOW)
    pk = store.decks.cards()[0].pk
    seen: list[CardState] = []

    def compute(before: CardState) -> CardState:
        seen.append(before)
        return review_state(NOW + timedelta(days=1), reps=before.reps + 1)

    store.queue.record_review(pk, NOW, compute, rating=3, answer="x", verdict=None, score=None,
                              duration_ms=10)
    store.queue.record_review(pk, NOW + timedelta(seconds=1), compute, rating=3, answer="x",
                              verdict=None, score=None, duration_ms=10)
    assert [s.reps for s in seen] == [0, 1]
    assert store.decks.card(pk).state.reps == 2
    with pytest.raises(StoreError, match="no card"):
        store.queue.record_review(999_999, NOW, compute, rating=3, answer=None, verdict=None,
                                  score=None, duration_ms=0)


def test_an_answer_without_a_schedule_change_is_stored_as_sql_null(store):
    store.decks.sync_decks([demo(card("a"))], NOW)
    pk = store.decks.cards()[0].pk
    answer(store, pk, None, mode="quiz")
    with store.db.engine.connect() as connection:
        nulls = connection.scalar(select(text("count(*)")).select_from(ReviewRow)
                                  .where(ReviewRow.schedule_before.is_(None)))
    assert nulls == 1


def test_undo_still_works_after_a_later_quiz_answer_to_the_same_card(store):
    store.decks.sync_decks([demo(card("a"))], NOW)
    pk = store.decks.cards()[0].pk
    review_id, _ = answer(store, pk, review_state(NOW + timedelta(days=2)))
    answer(store, pk, None, at=NOW + timedelta(minutes=1), mode="quiz")
    assert store.queue.undo_review(review_id) == pk
    assert store.decks.card(pk).state.state == "new"
    assert [r.mode for r in store.log.history(pk)] == ["quiz"]


def test_undo_is_refused_when_the_card_was_rescheduled_since(store):
    store.decks.sync_decks([demo(card("a"))], NOW)
    pk = store.decks.cards()[0].pk
    first, _ = answer(store, pk, review_state(NOW + timedelta(days=2)))
    answer(store, pk, review_state(NOW + timedelta(days=5), reps=2), at=NOW + timedelta(minutes=1))
    with pytest.raises(UndoError, match="answered again"):
        store.queue.undo_review(first)
    with pytest.raises(UndoError, match="nothing to undo"):
        store.queue.undo_review(123_456)


def test_queues_order_and_count_by_state_due_and_flags(store):
    store.decks.sync_decks([demo(*(card(f"c{i}") for i in range(6)))], NOW)
    pk = [r.pk for r in store.decks.cards()]
    day_end = NOW + timedelta(hours=12)
    answer(store, pk[0], review_state(NOW - timedelta(hours=1)))
    answer(store, pk[1], review_state(NOW - timedelta(hours=2)))
    answer(store, pk[2], review_state(NOW + timedelta(days=3)))
    learning = CardState(state="learning", step=0, stability=1.0, difficulty=5.0,
                         due=NOW + timedelta(minutes=1), last_review=NOW, reps=1, lapses=0)
    answer(store, pk[3], learning)
    store.decks.set_suspended(pk[4], True, NOW)
    assert [r.pk for r in store.queue.next_cards(NOW, day_end, None, "review", 5)] == [pk[1], pk[0]]
    assert [r.pk for r in store.queue.next_cards(NOW, day_end, None, "learning", 5)] == [pk[3]]
    assert [r.pk for r in store.queue.next_cards(NOW, day_end, None, "new", 5)] == [pk[5]]
    assert store.queue.queue_counts(NOW, day_end, None) == {"learning": 1, "review": 2, "new": 1}
    store.decks.bury(pk[5], day_end, NOW)
    assert store.queue.next_cards(NOW, day_end, None, "new", 5) == []
    assert store.queue.next_cards(day_end, day_end + timedelta(days=1), None, "new", 5)[0].pk == pk[5]
    assert store.decks.card(pk[4]).suspended is True
    store.decks.set_suspended(pk[4], False, NOW)
    assert store.decks.card(pk[4]).suspended is False
    assert store.queue.next_due(NOW) == NOW - timedelta(hours=2)
    assert store.queue.studied_today(NOW - timedelta(hours=1)) == {"new": 4, "review": 0, "total": 4}


def test_deck_filters_and_unknown_decks(store):
    store.decks.sync_decks([demo(card("a")), demo(card("b", deck="other"), name="other")], NOW)
    ids = store.decks.deck_ids(["other"])
    assert [r.card.id for r in store.decks.cards(ids)] == ["b"]
    assert store.decks.deck_ids(None) is None
    with pytest.raises(UnknownDeckError, match="unknown deck 'nope'"):
        store.decks.deck_ids(["nope"])


def test_history_and_reviews_since_are_ordered_by_time(store):
    store.decks.sync_decks([demo(card("a"), card("b"))], NOW)
    a, b = (r.pk for r in store.decks.cards())
    answer(store, b, None, at=NOW + timedelta(minutes=2), mode="quiz")
    answer(store, a, review_state(NOW + timedelta(days=1)), at=NOW)
    answer(store, a, None, at=NOW + timedelta(minutes=5), mode="quiz")
    assert [r.reviewed_at for r in store.log.reviews_since()] == [
        NOW, NOW + timedelta(minutes=2), NOW + timedelta(minutes=5)]
    assert [r.mode for r in store.log.reviews_since(NOW + timedelta(minutes=1), mode="quiz")] == ["quiz", "quiz"]
    assert [r.reviewed_at for r in store.log.history(a)] == [NOW + timedelta(minutes=5), NOW]
    assert store.log.totals() == {"cards": 2, "reviews": 1, "quiz_answers": 2}


def test_meta_and_quiz_rows(store):
    assert store.meta.get_meta("k") is None
    store.meta.set_meta("k", "v" * 10_000)
    assert store.meta.get_meta("k") == "v" * 10_000
    store.meta.set_meta("k", "w")
    assert store.meta.get_meta("k") == "w"
    store.meta.set_meta("k", None)
    assert store.meta.get_meta("k") is None
    quiz = store.quizzes.start_quiz(NOW, {"count": 10, "decks": ["a"], "strict": True})
    store.quizzes.finish_quiz(quiz, NOW + timedelta(minutes=3), 7, 10, 180.5)
    with store.db.engine.connect() as connection:
        row = connection.execute(text("SELECT score, total, seconds FROM quizzes")).one()
    assert tuple(row) == (7, 10, 180.5)


def test_naive_datetimes_are_refused(store):
    store.decks.sync_decks([demo(card("a"))], NOW)
    pk = store.decks.cards()[0].pk
    with pytest.raises(Exception, match="naive"):
        store.queue.record_review(pk, datetime(2026, 1, 1), None, rating=None, answer=None,
                                  verdict=None, score=None, duration_ms=0)


def test_queue_queries_match_a_brute_force_reading_of_every_card(store):
    """The index-friendly queue queries (revision 0003) give what reading every card gives."""
    import random

    rng = random.Random(7)
    decks = [demo(*(card(f"{name}{i}", deck=name) for i in range(40)), name=name)
             for name in ("alpha", "beta")]
    store.decks.sync_decks(decks, NOW)
    records = store.decks.cards()
    for record in records:
        state = rng.choice(["new", "learning", "relearning", "review", "review"])
        if state != "new":
            due = NOW + timedelta(minutes=rng.randint(-3000, 3000))
            answer(store, record.pk, CardState(state=state, step=0 if state != "review" else None,
                                               stability=2.0, difficulty=5.0, due=due,
                                               last_review=NOW, reps=1, lapses=0))
        if rng.random() < 0.1:
            store.decks.set_suspended(record.pk, True, NOW)
        if rng.random() < 0.1:
            store.decks.bury(record.pk, NOW + timedelta(minutes=rng.choice([-5, 5])), NOW)
    store.decks.sync_decks([decks[0], demo(*decks[1].cards[:30], name="beta")], NOW)  # retire 10
    everything = store.decks.cards(include_retired=True)
    day_end = NOW + timedelta(hours=8)

    def active(r, deck_ids=None):
        return (not r.retired and not r.suspended
                and (r.buried_until is None or r.buried_until <= NOW)
                and (deck_ids is None or r.card.deck in deck_ids))

    for names in (None, ["beta"]):
        ids = store.decks.deck_ids(names)
        live = [r for r in everything if active(r, names)]
        expected = {
            "learning": sum(r.state.state in ("learning", "relearning") and r.state.due < day_end
                            for r in live),
            "review": sum(r.state.state == "review" and r.state.due < day_end for r in live),
            "new": sum(r.state.state == "new" for r in live),
        }
        assert store.queue.queue_counts(NOW, day_end, ids) == expected
        # Capped counts (what a session can still show today) stop at the cap, exact below it.
        for cap in (0, 1, 3, 1000):
            caps = {"learning": cap, "review": cap + 1, "new": cap}
            assert store.queue.queue_counts(NOW, day_end, ids, caps) == {
                queue: min(count, caps[queue]) for queue, count in expected.items()}
        assert store.queue.queue_counts(NOW, day_end, ids, {"review": 1}) == {**expected, "review": 1}
        for kind, states in (("learning", ("learning", "relearning")), ("review", ("review",))):
            want = sorted((r for r in live if r.state.state in states and r.state.due < day_end),
                          key=lambda r: (r.state.due, r.pk))
            got = store.queue.next_cards(NOW, day_end, ids, kind, 7)
            assert [r.pk for r in got] == [r.pk for r in want[:7]]
            skip = [r.pk for r in want[:2]]
            assert [r.pk for r in store.queue.next_cards(NOW, day_end, ids, kind, 3, exclude=skip)] == \
                [r.pk for r in want[2:5]]
        studied = [r.state.due for r in live if r.state.state != "new"]
        assert store.queue.next_due(NOW, ids) == min(studied)


def test_card_texts_give_the_words_of_every_card_not_retired(store):
    cards = (card("a", prompt="Alpha beta?", answer="gamma", accept=("delta",)),
             card("b", kind="list", answer=("one", "two")),
             card("c", kind="choice", answer="X", options=("X", "Yes")))
    store.decks.sync_decks([demo(*cards)], NOW)
    store.decks.sync_decks([demo(*cards[:2])], NOW)  # retire c
    expected = []
    for record in store.decks.cards():
        c = record.card
        expected += [c.prompt, c.answer_text, *c.accept, *c.options]
    assert sorted(store.decks.card_texts()) == sorted(expected)


def test_meta_keeps_the_last_value_written_and_none_removes_it(store):
    """set_meta is one upsert (processes starting together write the same key at once)."""
    assert store.meta.get_meta("probe") is None
    store.meta.set_meta("probe", "one")
    store.meta.set_meta("probe", "two")
    assert store.meta.get_meta("probe") == "two"
    store.meta.set_meta("probe", None)
    assert store.meta.get_meta("probe") is None
