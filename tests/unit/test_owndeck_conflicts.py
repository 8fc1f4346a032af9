"""Two windows on one deck of your own: a save over a change made since the form opened (another
window's save, a hand edit) is refused with one line, and nothing either side wrote is lost."""

from __future__ import annotations

import pytest

from debrief.deckfile import load_deck
from debrief.owndeck import (
    CHANGED_ELSEWHERE,
    CardDraft,
    DeckVersions,
    OwnDeckError,
    card_in_file,
    file_version,
    save_card,
)
from debrief.workspace import Workspace


def own_path(home, deck: str = "own"):  # type: ignore[no-untyped-def]
    return home / "decks" / f"{deck}.toml"


def draft(prompt: str, answer: str, deck: str = "own") -> CardDraft:
    return CardDraft(deck=deck, kind="text", prompt=prompt, answer=answer)


@pytest.fixture
def other(ws: Workspace, home):  # type: ignore[no-untyped-def]
    """A second window: another workspace on the same database and data dir."""
    second = Workspace.open(str(ws.store.url), clock=ws.clock, sync=False)
    yield second
    second.close()


def stored_prompts(ws: Workspace, deck: str = "own") -> list[str]:
    ids = ws.store.decks.deck_ids([deck])
    return sorted(r.card.prompt for r in ws.store.decks.cards(ids) if not r.retired)


def test_a_save_over_another_windows_save_is_refused_and_both_are_kept(ws, other, home):
    first = save_card(ws, draft("Drift?", "change"))
    seen_here = DeckVersions.read()  # this window's form opens
    seen_there = DeckVersions.read()  # the other window's form opens
    save_card(other, draft("Drift?", "a change in the data"), card_id=first.card_id,
              seen=seen_there)
    before = own_path(home).read_bytes()
    with pytest.raises(OwnDeckError) as refused:
        save_card(ws, draft("Drift?", "concept shift"), card_id=first.card_id, seen=seen_here)
    assert refused.value.problems == [CHANGED_ELSEWHERE]
    assert str(refused.value) == ("the deck file changed since you opened it; "
                                  "reopen to see the other change")
    assert own_path(home).read_bytes() == before  # the other window's change stands
    assert [c.answer for c in load_deck(own_path(home)).cards] == ["a change in the data"]
    assert [r.card.answer for r in ws.store.decks.cards() if r.card.id == first.card_id] == [
        "a change in the data"]
    # Reopened: the form reads the other change, and a save from there goes through.
    assert card_in_file("own", first.card_id).answer == "a change in the data"
    save_card(ws, draft("Drift?", "concept shift"), card_id=first.card_id,
              seen=DeckVersions.read())
    assert [c.answer for c in load_deck(own_path(home)).cards] == ["concept shift"]


def test_two_new_cards_from_two_windows_the_second_is_refused_not_lost(ws, other, home):
    save_card(ws, draft("One?", "1"))
    seen_here, seen_there = DeckVersions.read(), DeckVersions.read()
    save_card(other, draft("Two?", "2"), seen=seen_there)
    with pytest.raises(OwnDeckError, match="changed since you opened it"):
        save_card(ws, draft("Three?", "3"), seen=seen_here)
    assert [c.prompt for c in load_deck(own_path(home)).cards] == ["One?", "Two?"]
    assert stored_prompts(ws) == ["One?", "Two?"]
    save_card(ws, draft("Three?", "3"), seen=DeckVersions.read())
    assert [c.prompt for c in load_deck(own_path(home)).cards] == ["One?", "Two?", "Three?"]


def test_a_hand_edit_since_the_form_opened_is_not_overwritten(ws, home):
    saved = save_card(ws, draft("Churn?", "loss"))
    seen = DeckVersions.read()
    path = own_path(home)
    edited = path.read_text(encoding="utf-8").replace('answer = "loss"',
                                                       'answer = "customers leaving"')
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(OwnDeckError, match="reopen to see the other change"):
        save_card(ws, draft("Churn?", "attrition"), card_id=saved.card_id, seen=seen)
    assert path.read_text(encoding="utf-8") == edited
    # The form reopened shows the hand edit (not yet imported) rather than the store's card.
    assert card_in_file("own", saved.card_id).answer == "customers leaving"


def test_a_deck_file_made_elsewhere_after_the_form_opened_is_not_replaced(ws, other, home):
    seen = DeckVersions.read()  # no deck "new" yet
    assert seen.of("new") is None
    save_card(other, draft("Elsewhere?", "yes", deck="new"), seen=DeckVersions.read())
    with pytest.raises(OwnDeckError, match="changed since you opened it"):
        save_card(ws, draft("Here?", "no", deck="new"), seen=seen)
    assert [c.prompt for c in load_deck(own_path(home, "new")).cards] == ["Elsewhere?"]


def test_a_save_with_nothing_changed_since_goes_through(ws, home):
    seen = DeckVersions.read()
    save_card(ws, draft("First?", "1"), seen=seen)  # a new deck file, none before or since
    seen = DeckVersions.read()
    assert seen.of("own") == file_version(own_path(home))
    save_card(ws, draft("Second?", "2"), seen=seen)
    assert [c.prompt for c in load_deck(own_path(home)).cards] == ["First?", "Second?"]



def test_a_deck_path_that_is_not_a_file_opens_the_form_and_the_save_says_why(ws, home):
    own_path(home).mkdir(parents=True)  # decks/own.toml, a directory
    seen = DeckVersions.read()  # the form opens all the same
    assert seen.of("own") is not None
    with pytest.raises(OwnDeckError, match="is a directory"):
        save_card(ws, draft("One?", "1"), seen=seen)
    assert own_path(home).is_dir() and not any(own_path(home).iterdir())
