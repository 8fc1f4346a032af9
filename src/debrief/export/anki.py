"""Export decks as an Anki package (.apkg) that imports cleanly and updates in place."""

from __future__ import annotations

import html
import itertools
import sqlite3
import zipfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import genanki

from debrief.cards import Card, Deck
from debrief.export import ExportError
from debrief.export.atomic import write_atomically
from debrief.export.notes import (
    CHOICE,
    FIELDS,
    NOTE_TYPES,
    PARENT_DECK,
    PARENT_DECK_ID,
    RECALL,
    TYPED,
    NoteType,
    anki_deck_name,
    anki_tags,
    deck_id,
    guid_for,
    instruction,
    note_type_for,
)

Progress = Callable[[int, int], None]

_PROMPT = '<div class="prompt">{{Prompt}}</div>'
_HINT = '{{#Instruction}}<div class="hint">{{Instruction}}</div>{{/Instruction}}'
_ACCEPTED = '{{#Accepted}}<div class="accepted">Also accepted:<br>{{Accepted}}</div>{{/Accepted}}'
_EXPLANATION = '{{#Explanation}}<div class="explanation">{{Explanation}}</div>{{/Explanation}}'
_BACK = "\n".join(["{{FrontSide}}", "<hr id=answer>", '<div class="answer">{{Answer}}</div>',
                   _EXPLANATION])
# (front, back) per note type. The typed answer is on both sides, as in Anki's own "Basic (type
# in the answer)": a box on the front, the typed answer compared with the answer on the back.
_TEMPLATES = {
    TYPED.id: (
        "\n".join([_PROMPT, _HINT, "{{type:Answer}}"]),
        "\n".join([_PROMPT, "<hr id=answer>", "{{type:Answer}}", _ACCEPTED, _EXPLANATION]),
    ),
    CHOICE.id: ("\n".join([_PROMPT, _HINT, '<div class="options">{{Options}}</div>']), _BACK),
    RECALL.id: (_PROMPT, _BACK),
}
# No colours: Anki's light and night themes (and AnkiDroid's) then apply as they are.
_CSS = """\
.card { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  font-size: 20px; line-height: 1.45; text-align: left; max-width: 38em; margin: 0 auto; }
.hint, .accepted { font-size: 0.85em; opacity: 0.7; margin-top: 0.6em; }
.options { margin-top: 0.8em; padding-left: 0.8em; border-left: 3px solid rgba(128, 128, 128, 0.5); }
.answer { font-weight: bold; }
.explanation { margin-top: 1em; }
#typeans { font-size: 0.95em; }
"""


def note_fields(card: Card) -> list[str]:
    """The card's Anki fields, in FIELDS order, HTML-escaped with line breaks as <br>."""
    values = {
        "Prompt": _html(card.prompt),
        "Answer": _html(card.answer_text),
        "Explanation": _html(card.explanation),
        "Options": "<br>".join(_html(option) for option in card.options),
        "Accepted": "<br>".join(_html(alternative) for alternative in card.accept),
        "Instruction": _html(instruction(card)),
        "Kind": card.kind,
        "Min items": str(card.min_items) if card.min_items is not None else "",
    }
    return [values[name] for name in FIELDS]


def export_apkg(decks: list[Deck], path: Path, progress: Progress | None = None, *,
                now: datetime | None = None) -> int:
    """Write `decks` to the Anki package `path`, one Anki deck each under `Debrief::`.

    Returns the number of notes written. `progress(done, total)` is called as notes are
    written. `now` (timezone-aware; default the current time) stamps the notes: Anki
    updates a note on re-import only when the package's note is newer than its own.
    The file appears whole or not at all; raise ExportError if it can't be written.
    """
    timestamp = _timestamp(now)
    _check_unique(decks)
    total = sum(len(deck.cards) for deck in decks)
    done = 0

    def written() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    models = {note_type.id: _model(note_type) for note_type in NOTE_TYPES}
    parent = genanki.Deck(PARENT_DECK_ID, PARENT_DECK,
                          description="Interview prep cards exported from debrief.")
    anki_decks = [parent]
    for deck in decks:
        anki_deck = genanki.Deck(deck_id(deck.name), anki_deck_name(deck.name),
                                 description=_deck_description(deck))
        for position, card in enumerate(deck.cards):
            anki_deck.add_note(_Note(
                model=models[note_type_for(card.kind).id],
                fields=note_fields(card),
                tags=anki_tags(card),
                guid=guid_for(card),
                due=position,  # new cards come up in the deck file's order
                written=written,
            ))
        anki_decks.append(anki_deck)

    if progress is not None:
        progress(0, total)
    collection = _collection_bytes(genanki.Package(anki_decks), timestamp)

    def write(file: BinaryIO) -> None:
        with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as package:
            package.writestr("collection.anki2", collection)
            package.writestr("media", "{}")

    write_atomically(path, write)
    return total


class _Note(genanki.Note):
    """A genanki note that reports when it has been written, for the progress bar."""

    def __init__(self, *, written: Callable[[], None], **kwargs: Any):
        super().__init__(**kwargs)
        self._written = written

    def write_to_db(self, *args: Any, **kwargs: Any) -> None:
        super().write_to_db(*args, **kwargs)
        self._written()


def _model(note_type: NoteType) -> genanki.Model:
    front, back = _TEMPLATES[note_type.id]
    return genanki.Model(
        note_type.id,
        note_type.name,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Card 1", "qfmt": front, "afmt": back}],
        css=_CSS,
        sort_field_index=0,
    )


def _collection_bytes(package: genanki.Package, timestamp: float) -> bytes:
    # genanki's own write_to_file builds the collection in a temporary file it never deletes;
    # an in-memory database serialised to bytes leaves nothing behind.
    connection = sqlite3.connect(":memory:")
    try:
        package.write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        connection.commit()
        return connection.serialize()
    finally:
        connection.close()


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _deck_description(deck: Deck) -> str:
    parts = [_html(deck.title)] + ([_html(deck.description)] if deck.description else [])
    return "<br>".join(parts)


def _timestamp(now: datetime | None) -> float:
    if now is None:
        now = datetime.now(UTC)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    return now.timestamp()


def _check_unique(decks: Iterable[Deck]) -> None:
    """Refuse two decks of one name or two cards of one id: Anki would merge them silently."""
    names: set[str] = set()
    cards: dict[str, str] = {}
    clashes: list[str] = []
    for deck in decks:
        if deck.name in names:
            clashes.append(f"deck {deck.name!r} is given twice")
        names.add(deck.name)
        for card in deck.cards:
            if card.id in cards:
                clashes.append(f"card id {card.id!r} is used twice (decks {cards[card.id]!r} and {deck.name!r})")
            cards.setdefault(card.id, deck.name)
    if clashes:
        more = f" (and {len(clashes) - 3} more)" if len(clashes) > 3 else ""
        raise ExportError("cannot export: " + "; ".join(clashes[:3]) + more)
