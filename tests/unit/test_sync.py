"""Syncing deck files into the store: add, edit in place with history kept, retire; idempotent."""

from __future__ import annotations

from debrief.cards import Card, Deck
from debrief.scheduling import Rating
from debrief.session import ReviewSession


def deck(*cards: Card, name: str = "demo") -> Deck:
    return Deck(name=name, title=name.title(), cards=cards)


def text_card(card_id: str, prompt: str, answer: str = "x", deck_name: str = "demo") -> Card:
    return Card(id=card_id, deck=deck_name, kind="text", prompt=prompt, answer=answer)


def test_sync_adds_then_is_idempotent(ws, clock):
    d = deck(text_card("a", "A?"), text_card("b", "B?"))
    first = ws.store.decks.sync_decks([d], clock())
    again = ws.store.decks.sync_decks([d], clock())
    assert (first.added, first.updated, first.retired) == (2, 0, 0)
    assert (again.added, again.updated, again.retired) == (0, 0, 0)
    assert [r.card.id for r in ws.store.decks.cards()] == ["a", "b"]


def test_editing_a_card_updates_it_in_place_and_keeps_its_history(ws, clock, timer):
    ws.store.decks.sync_decks([deck(text_card("a", "Old prompt?", "old"))], clock())
    session = ReviewSession(ws, timer=timer)
    session.submit("old")
    session.rate(Rating.GOOD)
    (before,) = ws.store.decks.cards()

    report = ws.store.decks.sync_decks([deck(text_card("a", "New prompt?", "new"))], clock())

    (after,) = ws.store.decks.cards()
    assert report.updated == 1 and report.added == 0
    assert after.pk == before.pk
    assert (after.card.prompt, after.card.answer) == ("New prompt?", "new")
    assert after.state == before.state
    assert len(ws.store.log.history(after.pk)) == 1


def test_a_card_removed_from_its_file_is_retired_not_deleted(ws, clock, timer):
    ws.store.decks.sync_decks([deck(text_card("a", "A?"), text_card("b", "B?"))], clock())
    session = ReviewSession(ws, timer=timer)
    session.submit("x")
    session.rate(Rating.GOOD)
    report = ws.store.decks.sync_decks([deck(text_card("b", "B?"))], clock())

    assert report.retired == 1
    assert [r.card.id for r in ws.store.decks.cards()] == ["b"]
    retired = [r for r in ws.store.decks.cards(include_retired=True) if r.retired]
    assert [r.card.id for r in retired] == ["a"]
    assert len(ws.store.log.history(retired[0].pk)) == 1
    # A retired card never comes up for review.
    fresh = ReviewSession(ws, timer=timer)
    assert fresh.current is not None and fresh.current.card.id == "b"


def test_a_retired_card_that_comes_back_keeps_its_schedule(ws, clock, timer):
    ws.store.decks.sync_decks([deck(text_card("a", "A?"))], clock())
    session = ReviewSession(ws, timer=timer)
    session.submit("x")
    session.rate(Rating.EASY)
    state = ws.store.decks.cards()[0].state
    ws.store.decks.sync_decks([deck(text_card("z", "Z?"))], clock())
    ws.store.decks.sync_decks([deck(text_card("a", "A?"), text_card("z", "Z?"))], clock())
    back = {r.card.id: r for r in ws.store.decks.cards()}
    assert back["a"].state == state and not back["a"].retired


def test_moving_a_card_to_another_deck_keeps_one_card(ws, clock):
    ws.store.decks.sync_decks([deck(text_card("a", "A?")), deck(name="other")], clock())
    ws.store.decks.sync_decks([deck(), deck(text_card("a", "A?", deck_name="other"), name="other")], clock())
    records = ws.store.decks.cards(include_retired=True)
    assert [(r.card.id, r.card.deck, r.retired) for r in records] == [("a", "other", False)]
