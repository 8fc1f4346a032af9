"""The Anki note layout shared by the .apkg and CSV exports: note types, fields, GUIDs, tags.

Everything here is part of a contract with users' Anki collections. Anki matches an imported
note to the one it already has by GUID, a note type by id, and a field by position, so:
never change an id, a GUID rule or a field's position; only ever append fields.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from debrief.cards import KIND_LABELS, Card, CardKind

GUID_PREFIX = "debrief:"
PARENT_DECK = "Debrief"
PARENT_DECK_ID = 1219716218
# Every debrief note also carries `debrief::<deck name>`, so the deck survives moving cards.
DECK_TAG_PREFIX = "debrief::"

# One field list for all three note types, so a row of the CSV export maps onto any of them
# by position (Anki's text importer maps the regular columns to fields in order) and
# Anki's "Change Note Type" needs no field mapping. Append only.
FIELDS = (
    "Prompt",
    "Answer",
    "Explanation",
    "Options",
    "Accepted",
    "Instruction",
    "Kind",
    "Min items",
)


@dataclass(frozen=True)
class NoteType:
    """One Anki note type: its fixed id and name and the card kinds it carries."""

    id: int
    name: str
    kinds: tuple[str, ...]


# Anki's type-in compares character by character against the whole answer, with no typo
# tolerance: fair for a short text answer, hopeless for a list in any order or a figure written
# another way ("$20K" for "$20,000"). List and number cards show the answer to compare against.
TYPED = NoteType(2048991860, "Debrief: typed answer", ("text",))
CHOICE = NoteType(2081252718, "Debrief: choice", ("choice",))
RECALL = NoteType(1495854804, "Debrief: recall", ("recall",))
COMPARE = NoteType(1837046129, "Debrief: compare", ("list", "number"))
NOTE_TYPES = (TYPED, CHOICE, RECALL, COMPARE)
# Study progress in exported packages: one deck options preset for every debrief deck.
DECK_CONFIG_ID = 1219716219
DECK_CONFIG_NAME = "Debrief"


def note_type_for(kind: str) -> NoteType:
    """The note type that carries cards of `kind`."""
    for note_type in NOTE_TYPES:
        if kind in note_type.kinds:
            return note_type
    raise ValueError(f"no note type for kind {kind!r}")


def guid_for(card: Card) -> str:
    """The Anki note GUID for `card`: its stable id, so a re-import updates the note in place.

    genanki's default GUID hashes every field, so any edit would add a duplicate note instead.
    The prefix keeps our GUIDs apart from every other note in a user's collection.
    """
    return GUID_PREFIX + card.id


def deck_id(name: str) -> int:
    """A stable Anki deck id for debrief deck `name` (a hash, so user decks get one too)."""
    digest = hashlib.sha256(f"debrief deck {name}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def anki_deck_name(name: str) -> str:
    """The Anki deck for debrief deck `name`: `Debrief::Roles`, `Debrief::System Design`.

    Built from the deck's name, not its title: Anki matches decks by name on import, so a
    new title would leave the cards behind in the old deck. `_` becomes a space and each
    word is capitalised; lower-casing it and putting `_` back gives the name again.
    """
    return f"{PARENT_DECK}::{name.replace('_', ' ').title()}"


def anki_tag(tag: str) -> str:
    """`tag` as an Anki tag: Anki splits tags on spaces, so whitespace becomes `_`."""
    return re.sub(r"\s+", "_", tag.strip())


def anki_tags(card: Card) -> list[str]:
    """The card's tags for Anki: its deck as `debrief::<deck>`, then its own tags."""
    tags: list[str] = []
    seen: set[str] = set()
    for tag in (DECK_TAG_PREFIX + card.deck, *card.tags):
        tag = anki_tag(tag)
        # Anki treats tags that differ only in case as one tag.
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def instruction(card: Card) -> str:
    """What the front of the card asks the user to do."""
    if card.kind is CardKind.LIST and card.min_items and isinstance(card.answer, tuple):
        return f"List at least {card.min_items} of the {len(card.answer)} items (any order)"
    return KIND_LABELS[card.kind]

