"""Importing a deck file (TOML, CSV/TSV) into the store, with the checks `debrief import` makes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from debrief.cards import Deck
from debrief.deckfile import DeckFileError, Problem, check_unique

CSV_SUFFIXES = (".csv", ".tsv", ".txt")


def load_deck_file(path: Path) -> Deck:
    """Parse a user's deck file (TOML, or CSV/TSV) through the same validation as bundled decks."""
    if path.suffix.lower() in CSV_SUFFIXES:
        from debrief.csvdeck import parse_csv

        return parse_csv(path)
    from debrief.deckfile import load_deck

    return load_deck(path)


def import_deck_file(ws: Any, path: Path,
                     progress: Callable[[int, int], None] | None = None) -> tuple[str, str]:
    """Add or update the deck in `path`, all or nothing; returns (verb, report) where verb is
    "imported" or "updated". A deck named like a bundled deck, or a card id another deck owns,
    is refused (DeckFileError) before anything is written; a backup is made first."""
    from debrief import locations
    from debrief.deckfile import load_decks

    deck = load_deck_file(path)
    known = {name for name, _title in ws.store.decks()}
    bundled_decks = load_decks(locations.bundled_deck_files())
    if deck.name in {d.name for d in bundled_decks}:
        raise DeckFileError([Problem(str(path), 0, f"deck name {deck.name!r} belongs to a bundled "
                                                   "deck; give your deck another [deck] name")])
    problems: list[Problem] = []
    check_unique([*bundled_decks, deck], problems)
    owners = ws.store.card_owners([c.id for c in deck.cards])
    for card in deck.cards:
        owner = owners.get(card.id)
        if owner is not None and owner != deck.name:
            problems.append(Problem(str(path), card.line,
                                    f"id {card.id!r} already belongs to deck {owner!r}"))
    if problems:
        raise DeckFileError(problems)
    try:
        from debrief.store.backup import backup_before
    except ImportError:
        pass
    else:
        backup_before("import")
    report = ws.store.sync_decks([deck], ws.now(), source=str(path.resolve()), progress=progress)
    return ("updated" if deck.name in known else "imported"), f"deck {deck.name!r}: {report}"
