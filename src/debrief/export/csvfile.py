"""Export decks as a CSV in Anki's text-import format, which `debrief import` reads back."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from debrief.cards import Card, CardKind, Deck
from debrief.export import ExportError
from debrief.export.atomic import write_atomically
from debrief.export.notes import (
    FIELDS,
    anki_deck_name,
    anki_tags,
    guid_for,
    instruction,
    note_type_for,
)

Progress = Callable[[int, int], None]

# The special columns first: Anki reads a line whose first cell starts with `#` as a comment,
# and a GUID never does. The regular columns are the note fields, in the note types' order,
# so Anki's importer (which maps regular columns to fields by position) fills every field.
# Last, what only debrief reads back (a card's sibling group, its keywords, its rubric): Anki
# leaves columns past a note type's fields unused, and older files without them still import.
DEBRIEF_ONLY = ("Group", "Keywords", "Rubric")
COLUMNS = ("GUID", "Note type", "Deck", *FIELDS, "Tags", *DEBRIEF_ONLY)
SEPARATOR_NAMES = {",": "Comma", "\t": "Tab"}
TAB_SUFFIXES = (".tsv", ".tab", ".txt")


def separator_for(path: Path) -> str:
    """Tab for .tsv, .tab and .txt files; a comma otherwise."""
    return "\t" if Path(path).suffix.lower() in TAB_SUFFIXES else ","


def export_csv(decks: list[Deck], path: Path, progress: Progress | None = None) -> int:
    """Write `decks` to `path` in Anki's text-import format; return the number of rows.

    Plain text (`#html:false`), one row per card with its GUID, note type, Anki deck and
    tags, then its group, keywords and rubric; cells holding several items (a list answer,
    options, accepted answers, keywords, rubric points) put one item per line. The file appears whole or not at all; raise ExportError if it can't
    be written or a card can't be written faithfully.
    """
    separator = separator_for(path)
    cards = [card for deck in decks for card in deck.cards]
    rows = [_row(card) for card in cards]  # every problem raised before anything is written

    def write(file: BinaryIO) -> None:
        text = io.TextIOWrapper(file, encoding="utf-8", newline="")
        try:
            for key, value in _headers(separator):
                text.write(f"#{key}:{value}\n")
            writer = csv.writer(text, delimiter=separator, lineterminator="\n")
            if progress is not None:
                progress(0, len(rows))
            for done, row in enumerate(rows, start=1):
                writer.writerow(row)
                if progress is not None:
                    progress(done, len(rows))
            text.flush()
        finally:
            text.detach()  # leave the binary file to write_atomically

    write_atomically(path, write)
    return len(rows)


def _headers(separator: str) -> list[tuple[str, str]]:
    """Anki's file headers (Anki 2.1.55+); the separator must come before the column names."""
    return [
        ("separator", SEPARATOR_NAMES[separator]),
        ("html", "false"),
        ("columns", separator.join(COLUMNS)),
        ("guid column", str(COLUMNS.index("GUID") + 1)),
        ("notetype column", str(COLUMNS.index("Note type") + 1)),
        ("deck column", str(COLUMNS.index("Deck") + 1)),
        ("tags column", str(COLUMNS.index("Tags") + 1)),
    ]


def _row(card: Card) -> list[str]:
    values = {
        "GUID": guid_for(card),
        "Note type": note_type_for(card.kind).name,
        "Deck": anki_deck_name(card.deck),
        "Prompt": card.prompt,
        "Answer": _items(card, "answer", card.answer) if card.kind is CardKind.LIST else card.answer_text,
        "Explanation": card.explanation,
        "Options": _items(card, "options", card.options),
        "Accepted": _items(card, "accept", card.accept),
        "Instruction": instruction(card),
        "Kind": card.kind,
        "Min items": str(card.min_items) if card.min_items is not None else "",
        "Tags": " ".join(anki_tags(card)),
        "Group": card.group or "",
        "Keywords": _items(card, "keywords", card.keywords),
        "Rubric": _items(card, "rubric", card.rubric),
    }
    return [formula_guard(values[name]) for name in COLUMNS]


# A cell a spreadsheet would run as a formula (OWASP, "CSV injection"): `=`, `+`, `-`, `@`, tab or
# carriage return first. Such a cell is written with a `'` before it, which spreadsheets show as
# text; a cell that already starts with quotes before one of them gets one more, so `debrief import`
# can take exactly one off and every text comes back as it was.
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")


def formula_guard(cell: str) -> str:
    """`cell`, with a `'` before it if a spreadsheet would run it as a formula."""
    return "'" + cell if _FORMULA.match(cell) else cell


def formula_unguard(cell: str) -> str:
    """The inverse of `formula_guard`: drop the one `'` it put before a formula-like cell."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell) else cell


def _items(card: Card, field: str, items: str | tuple[str, ...]) -> str:
    items = (items,) if isinstance(items, str) else items
    if any("\n" in item or "\r" in item for item in items):
        raise ExportError(
            f"cannot export card {card.id!r} to CSV: an item of its {field} has a line break, "
            "and the CSV keeps one item per line (the .apkg export can carry it)"
        )
    return "\n".join(items)
