"""Importing a deck file (TOML, CSV/TSV) into the store: the checks and the write that `debrief
import` and the app's import both make (one implementation, so the two never drift)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from debrief.cards import Deck
from debrief.deckfile import DeckFileError, Problem, check_unique
from debrief.records import SyncReport

if TYPE_CHECKING:
    from debrief.workspace import Workspace

CSV_SUFFIXES = (".csv", ".tsv", ".txt")


def is_csv(path: Path) -> bool:
    """Whether `path` is read as CSV/TSV (by its suffix), not as a TOML deck file."""
    return path.suffix.lower() in CSV_SUFFIXES


def load_deck_file(path: Path, deck_name: str | None = None) -> Deck:
    """Parse a user's deck file (TOML, or CSV/TSV named `deck_name` or after the file) through the
    same validation as bundled decks."""
    if is_csv(path):
        from debrief.csvdeck import parse_csv

        return parse_csv(path, deck_name)
    from debrief.deckfile import load_deck

    return load_deck(path)


def check_import(ws: Workspace, path: Path, deck: Deck, named: bool) -> None:
    """Refuse (DeckFileError, before anything is written) a deck that would take a bundled deck's
    name, a card id another deck owns, or, for a CSV named after its file (`named` False), the
    name of a deck imported from another file: syncing would retire that deck's cards."""
    from debrief import locations
    from debrief.deckfile import load_decks

    if is_csv(path) and not named and deck.name in {name for name, _title in ws.store.decks.decks()}:
        source = ws.store.decks.deck_sources().get(deck.name, "")
        if source != str(path.resolve()):
            raise DeckFileError([Problem(str(path), 0, (
                f"a deck named {deck.name!r} already exists (from {source or 'another file'}); "
                f"importing would replace its cards: use --deck {deck.name} to replace them, "
                "or --deck NAME for a new deck"))])
    bundled_decks = load_decks(locations.bundled_deck_files())
    if deck.name in {d.name for d in bundled_decks}:
        raise DeckFileError([Problem(str(path), 0, f"deck name {deck.name!r} belongs to a bundled "
                                                   "deck; give your deck another [deck] name")])
    problems: list[Problem] = []
    check_unique([*bundled_decks, deck], problems)
    owners = ws.store.decks.card_owners([c.id for c in deck.cards])
    for card in deck.cards:
        owner = owners.get(card.id)
        if owner is not None and owner != deck.name:
            problems.append(Problem(str(path), card.line,
                                    f"id {card.id!r} already belongs to deck {owner!r}"))
    if problems:
        raise DeckFileError(problems)


def write_import(ws: Workspace, path: Path, deck: Deck,
                 progress: Callable[[int, int], None] | None = None,
                 backup: bool = True) -> tuple[str, SyncReport]:
    """Back up (unless `backup` is False), then add or update `deck` (checked by
    `check_import`); returns ("imported" or "updated", what changed). A large deck is written in batches, so the write lock is never held
    long; the deck stays marked unfinished until the last batch commits, and importing again
    finishes it."""
    from debrief.store import backup_before

    known = {name for name, _title in ws.store.decks.decks()}
    if backup:
        backup_before("import", ws.store.url)
    report = ws.store.decks.sync_decks([deck], ws.now(), source=str(path.resolve()), progress=progress)
    return ("updated" if deck.name in known else "imported"), report


def import_deck_file(ws: Workspace, path: Path, progress: Callable[[int, int], None] | None = None,
                     deck_name: str | None = None) -> tuple[str, str]:
    """Load, check and import the deck in `path`; returns (verb, a line saying what changed)."""
    deck = load_deck_file(path, deck_name)
    check_import(ws, path, deck, named=deck_name is not None)
    verb, report = write_import(ws, path, deck, progress)
    return verb, f"deck {deck.name!r}: {report}"
