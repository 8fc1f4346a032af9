"""Your own deck files (debrief.owndeck): what the card form writes loads with the deck loader,
ids stay unique and stable, and nothing the import would refuse is ever written."""

from __future__ import annotations

import tomllib
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debrief.cards import Card, Deck
from debrief.deckfile import load_deck
from debrief.owndeck import (
    CardDraft,
    OwnDeckError,
    check_draft,
    deck_origin,
    draft_from_card,
    own_decks,
    read_only_reason,
    save_card,
    split_items,
    toml_string,
)


def own_path(home, deck: str = "own"):
    return home / "decks" / f"{deck}.toml"


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_text_survives_a_toml_round_trip(text):
    # Lone surrogates cannot be written as UTF-8; they become U+FFFD (any other text is kept).
    expected = text.encode("utf-8", "replace").decode("utf-8")
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == expected


@pytest.mark.parametrize(("typed", "items"), [
    ("a; b ;c", ["a", "b", "c"]),
    ("a\nb", ["a", "b"]),
    (" ; ;", []),
    ("one item", ["one item"]),
])
def test_split_items(typed, items):
    assert split_items(typed) == items


@pytest.mark.parametrize(("draft", "problems"), [
    (CardDraft(deck="own", kind="text", prompt="p", answer="a"), []),
    (CardDraft(deck="own", kind="text", prompt=" ", answer="a"), ["card has no prompt"]),
    (CardDraft(deck="own", kind="choice", prompt="p", answer="c", options="a; b"),
     ["answer 'c' is not among the options"]),
    (CardDraft(deck="own", kind="choice", prompt="p", answer="a", options="a"),
     ["a choice card needs at least two options"]),
    (CardDraft(deck="own", kind="list", prompt="p", answer="a; b", min_items="3"),
     ["min_items 3 is more than the 2 items"]),
    (CardDraft(deck="own", kind="list", prompt="p", answer="a; b", min_items="two"),
     ["min_items must be a positive whole number"]),
    (CardDraft(deck="own", kind="number", prompt="p", answer="15", options="a; b"),
     ["options apply only to choice cards"]),
    (CardDraft(deck="own", kind="recall", prompt="p", answer="a", accept="b"),
     ["accept does not apply to recall cards (recall cards are self-rated)"]),
    (CardDraft(deck="Own!", kind="text", prompt="p", answer="a"),
     ["deck name 'Own!' must be 1-40 lowercase letters, digits, - or _"]),
])
def test_check_draft_uses_the_loaders_rules(draft, problems):
    card, found = check_draft(draft)
    assert found == problems
    assert (card is None) == bool(problems)


def test_saved_cards_load_with_the_deck_loader_and_keep_their_ids(ws, home):
    first = save_card(ws, CardDraft(deck="", kind="text", prompt="What is drift?", answer="change"))
    second = save_card(ws, CardDraft(deck="own", kind="text", prompt="What is drift?",
                                     answer="another"))
    assert first.card_id == "own:what-is-drift" and second.card_id == "own:what-is-drift-2"
    assert first.created_deck and not second.created_deck
    deck = load_deck(own_path(home))
    assert deck.title == "My cards" and [c.id for c in deck.cards] == [first.card_id, second.card_id]
    edited = save_card(ws, CardDraft(deck="own", kind="text", prompt="What is data drift?",
                                     answer="change"), card_id=first.card_id)
    assert edited.card_id == first.card_id
    assert edited.report.updated == 1 and edited.report.added == 0
    assert [c.prompt for c in load_deck(own_path(home)).cards] == ["What is data drift?",
                                                                   "What is drift?"]
    assert own_decks(ws) == ["own"] and deck_origin(ws, "own") == "own"
    assert read_only_reason(ws, "own") is None


def test_a_new_id_never_reuses_a_retired_cards_id(ws, home):
    saved = save_card(ws, CardDraft(deck="own", kind="text", prompt="Churn?", answer="loss"))
    # The card goes from the file by hand, and the file is imported: the card is retired.
    path = own_path(home)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("[[cards]]")], encoding="utf-8")
    from debrief.importing import import_deck_file

    import_deck_file(ws, path)
    again = save_card(ws, CardDraft(deck="own", kind="text", prompt="Churn?", answer="loss"))
    assert again.card_id != saved.card_id


def test_a_missing_file_is_rebuilt_from_the_store_so_no_card_is_retired(ws, home):
    first = save_card(ws, CardDraft(deck="own", kind="text", prompt="One?", answer="1"))
    own_path(home).unlink()
    second = save_card(ws, CardDraft(deck="own", kind="text", prompt="Two?", answer="2"))
    assert second.report.retired == 0
    assert [c.id for c in load_deck(own_path(home)).cards] == [first.card_id, second.card_id]


def test_a_broken_file_is_refused_and_left_as_it_is(ws, home):
    save_card(ws, CardDraft(deck="own", kind="text", prompt="One?", answer="1"))
    path = own_path(home)
    path.write_text(path.read_text(encoding="utf-8") + "\n[[cards]]\nid = 'x'\n", encoding="utf-8")
    broken = path.read_bytes()
    with pytest.raises(OwnDeckError) as caught:
        save_card(ws, CardDraft(deck="own", kind="text", prompt="Two?", answer="2"))
    assert len(caught.value.problems) == 1
    assert "your deck file has a problem, fix it first" in caught.value.problems[0]
    assert "card has no prompt" in caught.value.problems[0]
    assert path.read_bytes() == broken


def test_decks_that_are_not_yours_are_refused(ws, home):
    ws.store.decks.sync_decks([Deck(name="metrics", title="Metrics", cards=(
        Card(id="m-1", deck="metrics", kind="text", prompt="p", answer="a"),))], ws.now(),
        source="bundled")
    assert read_only_reason(ws, "metrics") == "it is a bundled card (read-only)"
    with pytest.raises(OwnDeckError, match="not one of yours"):
        save_card(ws, CardDraft(deck="metrics", kind="text", prompt="p", answer="a"))
    # A bundled deck's name is refused even before it is in the store (import's own check).
    with pytest.raises(OwnDeckError, match="belongs to a bundled deck"):
        save_card(ws, CardDraft(deck="roles", kind="text", prompt="p", answer="a"))
    # Nor can an edit take a card id that belongs to another deck.
    with pytest.raises(OwnDeckError, match="is not in your deck file"):
        save_card(ws, CardDraft(deck="own", kind="text", prompt="p", answer="a"), card_id="m-1")
    assert not (home / "decks" / "metrics.toml").exists()


def test_fields_the_form_does_not_show_are_kept_where_the_kind_allows():
    card = Card(id="own:k", deck="own", kind="text", prompt="p", answer="a long answer",
                keywords=("long",), group="g1")
    draft = draft_from_card(card)
    assert check_draft(draft, "own:k")[0] == card
    as_list, problems = check_draft(replace(draft, kind="list"), "own:k")
    assert problems == [] and as_list is not None and as_list.keywords == ()


def test_a_new_deck_name_makes_a_deck_file_of_its_own(ws, home):
    save_card(ws, CardDraft(deck="own", kind="text", prompt="One?", answer="1"))
    saved = save_card(ws, CardDraft(deck="work", kind="number", prompt="Team size?", answer="7"))
    assert saved.created_deck and saved.path == own_path(home, "work")
    deck = load_deck(saved.path)
    assert (deck.name, deck.title, [c.id for c in deck.cards]) == ("work", "work",
                                                                   ["work:team-size"])
    assert own_decks(ws) == ["own", "work"]
    assert [c.id for c in load_deck(own_path(home)).cards] == ["own:one"]
