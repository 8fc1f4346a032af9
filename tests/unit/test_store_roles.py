"""The store is composed by role: each role offers exactly its Protocol, over one shared database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from debrief import storage
from debrief.cards import Card, CardKind, Deck

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ROLES = {"decks": storage.DeckStore, "queue": storage.QueueStore, "log": storage.LogStore,
         "quizzes": storage.QuizStore, "meta": storage.MetaStore}


def public(names: object) -> set[str]:
    return {name for name in dir(names) if not name.startswith("_")}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_offers_exactly_its_protocol(store, role):
    # A method added to a role but not to its Protocol is out of the core's reach (the type
    # checker refuses the call); one in the Protocol but not the role fails here too.
    contract = {name for name, value in vars(ROLES[role]).items()
                if callable(value) and not name.startswith("_")}
    assert public(type(getattr(store, role))) - {"db"} == contract


def test_the_store_itself_is_only_its_roles_and_its_lifecycle(store):
    # No forwarding methods: each thing has one way to be called (store.queue.next_cards, ...).
    assert public(type(store)) | set(vars(store)) == {*ROLES, "db", "url", "close"}


def test_the_roles_share_one_database_so_a_write_by_one_is_read_by_the_others(store):
    assert len({id(getattr(store, role).db) for role in ROLES}) == 1
    card = Card(id="demo-1", deck="demo", kind=CardKind.RECALL, prompt="p", answer="a")
    store.decks.sync_decks([Deck(name="demo", title="Demo", cards=(card,))], NOW)
    pk = store.decks.cards()[0].pk
    saved = store.queue.record_answer(pk, NOW, lambda state: state, rating=3, answer="a",
                                      verdict=None, score=None, duration_ms=1000)
    assert [review.id for review in store.log.history(pk)] == [saved.review_id]
    assert store.log.totals() == {"cards": 1, "reviews": 1, "quiz_answers": 0}
