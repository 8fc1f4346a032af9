"""Cards from CSV and TSV files, checked by the same rules as deck files.

Three formats are read, told apart by the top of the file:

1. Anki's text-import format, as `debrief export csv` writes it: the file starts with
   `#key:value` header lines (`#separator:`, `#html:`, `#columns:`, `#guid column:`,
   `#notetype column:`, `#deck column:`, `#tags column:`, `#tags:`). A cell holding several
   items (a list answer, options, accepted answers) has one item per line.
2. A spreadsheet with a header row naming its columns: `id, kind, prompt, answer, accept,
   options, min_items, explanation, tags, group, keywords, rubric` (any order; `prompt` and
   `answer` required;
   `front`/`question` and `back` are read as prompt and answer). A cell holding several
   items has one item per line, or else separates them with `|`, or else with `;`.
   Tags are separated by spaces, commas, `;` or `|`.
3. Plain `front,back` rows, each a text card.

The separator is a tab for .tsv/.tab files or when the first line has a tab; otherwise
whichever of `,` and `;` the first line has more of (a comma on a tie). A `#separator:`
header overrides this.

Card ids come from the `id` column, or from the GUID (`debrief:<id>` as exported; another
app's GUID is hashed). A card with neither (2-column files, a spreadsheet without an id
column, Anki rows without a GUID) gets `<deck>-<hash of its prompt>`, so importing the same
file again gives the same ids; editing a prompt then makes it a new card.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from debrief.cards import Card, Deck, clean_text
from debrief.deckfile import (
    CARD_ID,
    DECK_NAME,
    DeckFileError,
    Problem,
    parse_card_table,
    read_text,
)
from debrief.export.csvfile import formula_unguard
from debrief.export.notes import CHOICE, DECK_TAG_PREFIX, GUID_PREFIX, RECALL

SEPARATOR_NAMES = {
    "comma": ",", "semicolon": ";", "tab": "\t", "space": " ", "pipe": "|", "colon": ":",
}
TAB_SUFFIXES = (".tsv", ".tab")
_HEADER = re.compile(r"^#([A-Za-z][A-Za-z ]*):(.*)$")
_ANKI_KEYS = {"separator", "html", "tags", "columns", "notetype", "deck",
              "notetype column", "deck column", "tags column", "guid column", "if matches"}
# Column names, after lower-casing and turning spaces and dashes into `_`, to card fields.
# None: a column that is read and ignored (the export writes it for Anki's sake).
_SPREADSHEET_COLUMNS: dict[str, str | None] = {
    "id": "id", "kind": "kind", "prompt": "prompt", "front": "prompt", "question": "prompt",
    "answer": "answer", "back": "answer", "accept": "accept", "accepted": "accept",
    "options": "options", "min_items": "min_items", "explanation": "explanation", "tags": "tags",
    "group": "group", "keywords": "keywords", "rubric": "rubric",
}
_ANKI_COLUMNS: dict[str, str | None] = {
    **_SPREADSHEET_COLUMNS, "guid": "guid", "note_type": "notetype", "notetype": "notetype",
    "deck": None, "instruction": None,
}
# Without a #columns header, the regular (not GUID, note type, deck or tags) columns are the
# note fields in export order, as Anki itself maps them.
# Then the columns only debrief reads (group, keywords, rubric), absent from older files.
_ANKI_FIELD_KEYS = ("prompt", "answer", "explanation", "options", "accept", None, "kind",
                    "min_items", "group", "keywords", "rubric")
_ITEM_KEYS = ("accept", "options", "keywords", "rubric")


@dataclass
class _Layout:
    """How to read the rows of one file."""

    separator: str
    keys: list[str | None]  # the card field each column holds, by position
    anki: bool = False  # Anki's format: items one per line, tags split on spaces only
    html: bool = False
    global_tags: tuple[str, ...] = ()
    strict_width: bool = True  # cells past the named columns must be empty


def parse_csv(path: Path, deck_name: str | None = None) -> Deck:
    """Read the cards in CSV/TSV file `path` as one deck named `deck_name`.

    Without `deck_name`, the deck is named after the file (`My Cards.csv` -> `my-cards`).
    Every row goes through the deck-file checks; raise DeckFileError listing every problem
    as `file:line: message`, and return nothing if there is any.
    """
    path = Path(path)
    where = str(path)
    problems: list[Problem] = []
    text = read_text(path, problems)
    if text is None:
        raise DeckFileError(problems)
    text = text.removeprefix("\ufeff")  # spreadsheets often write a byte-order mark

    name = deck_name if deck_name is not None else _slug(path.stem)
    if not DECK_NAME.match(name):
        hint = "" if deck_name is not None else " (made from the file name; give a deck name)"
        problems.append(Problem(where, 0, f"deck name {name!r} must be 1-40 lowercase letters, "
                                          f"digits, - or _{hint}"))
        name = "invalid"  # as deckfile does: go on, to report the rows' problems too

    cards: list[Card] = []
    seen: dict[str, tuple[int, bool]] = {}
    rows = 0
    for line, raw, hashed in _raw_cards(path, text, name, problems):
        rows += 1
        card = parse_card_table(where, line, raw, name, problems)
        if card is None:
            continue
        if card.id in seen:
            first, first_hashed = seen[card.id]
            message = (f"same prompt as line {first} (a card without an id gets one from its prompt)"
                       if hashed and first_hashed else f"duplicate id {card.id!r} (first at line {first})")
            problems.append(Problem(where, line, message))
            continue
        seen[card.id] = (line, hashed)
        cards.append(card)
    if rows == 0 and not problems:
        problems.append(Problem(where, 0, "no cards in the file"))
    if problems:
        raise DeckFileError(problems)
    return Deck(name=name, title=name, cards=tuple(cards), source=where)


def _raw_cards(path: Path, text: str, deck: str,
               problems: list[Problem]) -> Iterator[tuple[int, dict[str, Any], bool]]:
    """Each non-blank row as (line, a deck-file card table, whether its id is a prompt hash)."""
    where = str(path)
    # Lines at the top starting with `#` are Anki headers (`#key:value`) or comments.
    lines = text.split("\n")
    header_end = 0
    headers: list[tuple[int, str, str]] = []
    while header_end < len(lines) and lines[header_end].startswith("#"):
        match = _HEADER.match(lines[header_end].rstrip("\r"))
        if match and match.group(1).strip().lower() in _ANKI_KEYS:
            headers.append((header_end + 1, match.group(1).strip().lower(), match.group(2)))
        header_end += 1
    body_start = header_end + 1
    body = "\n".join(lines[header_end:])

    layout: _Layout | None = None
    if headers:
        layout = _anki_layout(path, headers, body, problems)
        if layout is None:
            return
    separator = layout.separator if layout else _sniff(path, body)
    row_iter = _rows(where, body, body_start, separator, problems)

    if layout is None:
        first = next(row_iter, None)
        if first is None:
            return
        line, cells = first
        # A header row: at least two of its cells name columns ("prompt,answer", "id,...").
        if sum(_normalise(cell) in _SPREADSHEET_COLUMNS for cell in cells) >= 2:
            layout = _spreadsheet_layout(where, line, cells, separator, problems)
            if layout is None:
                return
        else:
            layout = _Layout(separator, ["prompt", "answer"])
            row_iter = _chain(first, row_iter)

    for line, cells in row_iter:
        if not any(cell.strip() for cell in cells):
            continue
        yield _card_table(where, line, cells, layout, deck, problems)


def _card_table(where: str, line: int, cells: list[str], layout: _Layout, deck: str,
                problems: list[Problem]) -> tuple[int, dict[str, Any], bool]:
    values: dict[str, str] = {}
    for index, cell in enumerate(cells):
        key = layout.keys[index] if index < len(layout.keys) else None
        if index >= len(layout.keys) and cell.strip():
            if layout.strict_width:
                width = len(layout.keys)
                expected = ("2 (front, back; add a header row to name more columns)"
                            if layout.keys == ["prompt", "answer"] else str(width))
                problems.append(Problem(where, line, f"row has {len(cells)} cells; expected {expected}"))
            break
        if key is not None:
            cell = formula_unguard(cell)
            values[key] = _html_to_text(cell) if layout.html else cell

    raw: dict[str, Any] = {}
    kind = values.get("kind", "").strip().lower() or _kind_of_note_type(values.get("notetype", ""))
    if kind:
        raw["kind"] = kind
    for key in ("prompt", "explanation"):
        if values.get(key, "").strip():
            raw[key] = values[key]
    if values.get("group", "").strip():
        raw["group"] = values["group"].strip()
    answer = values.get("answer", "")
    if answer.strip():
        raw["answer"] = _items(answer, layout.anki) if kind == "list" else answer
    for key in _ITEM_KEYS:
        if values.get(key, "").strip():
            raw[key] = _items(values[key], layout.anki)
    min_items = values.get("min_items", "").strip()
    if min_items:
        raw["min_items"] = int(min_items) if min_items.isdigit() else min_items
    tags = list(dict.fromkeys([*_tags(values.get("tags", ""), layout.anki), *layout.global_tags]))
    if tags:
        raw["tags"] = tags

    hashed = False
    if "id" in layout.keys:
        if values.get("id", "").strip():
            raw["id"] = values["id"].strip()
    elif values.get("guid", "").strip():
        guid = values["guid"].strip()
        card_id = guid.removeprefix(GUID_PREFIX)
        raw["id"] = card_id if guid.startswith(GUID_PREFIX) and CARD_ID.match(card_id) else _hashed_id(deck, guid)
    else:
        raw["id"] = _hashed_id(deck, clean_text(values.get("prompt", "")).strip())
        hashed = True
    return line, raw, hashed


def _anki_layout(path: Path, headers: list[tuple[int, str, str]], body: str,
                 problems: list[Problem]) -> _Layout | None:
    """The layout an Anki text-import file's headers describe; None if they are unusable."""
    where = str(path)
    before = len(problems)
    options = {key: (line, value) for line, key, value in headers}
    separator = _sniff(path, body)
    if "separator" in options:
        line, value = options["separator"]
        value = value.rstrip("\r")
        # A spreadsheet that re-saves the file may pad the line with separators: "Comma,,,".
        named = SEPARATOR_NAMES.get(value.strip().lower()) or SEPARATOR_NAMES.get(
            value.strip().rstrip(",;\t|").lower())
        if named is None and len(value) == 1:
            named = value
        if named is None:
            problems.append(Problem(where, line, f"unknown separator {value.strip()!r} "
                                                 f"(one of: {', '.join(s.title() for s in SEPARATOR_NAMES)})"))
        else:
            separator = named

    def value_of(key: str) -> tuple[int, str] | None:
        if key not in options:
            return None
        line, value = options[key]
        # A spreadsheet that re-saves the file pads header lines with empty cells.
        return line, value.strip().rstrip(separator).strip()

    use_html = False
    if (found := value_of("html")) is not None:
        line, value = found
        if value.lower() not in ("true", "false"):
            problems.append(Problem(where, line, f"#html must be true or false, not {value!r}"))
        use_html = value.lower() == "true"

    specials: dict[int, str] = {}
    for key, field in (("guid column", "guid"), ("notetype column", "notetype"),
                       ("deck column", None), ("tags column", "tags")):
        if (found := value_of(key)) is None:
            continue
        line, value = found
        if not value.isdigit() or int(value) < 1:
            problems.append(Problem(where, line, f"#{key} must be a column number (1, 2, ...), not {value!r}"))
            continue
        specials[int(value) - 1] = field or "deck"

    keys: list[str | None] = []
    if (found := value_of("columns")) is not None:
        line, value = found
        names = next(csv.reader([value], delimiter=separator), [])
        for index, column in enumerate(names):
            if index in specials:
                keys.append(specials[index])
                continue
            normal = _normalise(column)
            if normal not in _ANKI_COLUMNS:
                problems.append(Problem(where, line, f"unknown column {column.strip()!r} (known: "
                                                     "Prompt, Answer, Explanation, Options, Accepted, "
                                                     "Kind, Min items, Tags, GUID, Group, Keywords, "
                                                     "Rubric)"))
            keys.append(_ANKI_COLUMNS.get(normal))
        strict = True
    else:
        regular = iter(_ANKI_FIELD_KEYS)
        width = max(specials, default=-1) + 1 + len(_ANKI_FIELD_KEYS)
        for index in range(width):
            keys.append(specials[index] if index in specials else next(regular, None))
        strict = False  # Anki ignores the cells past a note type's fields
    for index, field in specials.items():
        while len(keys) <= index:
            keys.append(None)
        keys[index] = field
    keys = [None if key == "deck" else key for key in keys]
    if "prompt" not in keys:
        problems.append(Problem(where, 1, "no Prompt column"))

    global_tags: tuple[str, ...] = ()
    if (found := value_of("tags")) is not None:
        global_tags = tuple(_tags(found[1], anki=True))
    if len(problems) > before:
        return None
    return _Layout(separator, keys, anki=True, html=use_html, global_tags=global_tags,
                   strict_width=strict)


def _spreadsheet_layout(where: str, line: int, cells: list[str], separator: str,
                        problems: list[Problem]) -> _Layout | None:
    keys: list[str | None] = []
    seen: dict[str, str] = {}
    before = len(problems)
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    for cell in cells:
        key = _SPREADSHEET_COLUMNS.get(_normalise(cell))
        if key is None:
            problems.append(Problem(where, line, f"unknown column {cell.strip()!r} "
                                                 "(known: id, kind, prompt, answer, accept, options, "
                                                 "min_items, explanation, tags, group, keywords, "
                                                 "rubric)"))
        elif key in seen:
            problems.append(Problem(where, line, f"column {cell.strip()!r} repeats {seen[key]!r}"))
        else:
            seen[key] = cell.strip()
        keys.append(key)
    for required in ("prompt", "answer"):
        if required not in keys:
            problems.append(Problem(where, line, f"the header row has no {required} column"))
    if len(problems) > before:
        return None
    return _Layout(separator, keys)


def _rows(where: str, body: str, first_line: int, separator: str,
          problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record of `body` with the line it starts on."""
    reader = csv.reader(io.StringIO(body), delimiter=separator, strict=True)
    done = 0  # lines read so far
    while True:
        start = first_line + done
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            message = ('a quoted cell is not closed (a " is missing)' if "end of data" in str(exc)
                       else f"bad CSV: {exc}")
            problems.append(Problem(where, start, message))
            return
        done = reader.line_num
        yield start, cells


def _chain(first: tuple[int, list[str]],
           rest: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    yield first
    yield from rest


def _sniff(path: Path, body: str) -> str:
    if path.suffix.lower() in TAB_SUFFIXES:
        return "\t"
    first = next((line for line in body.splitlines() if line.strip()), "")
    if "\t" in first:
        return "\t"
    return ";" if first.count(";") > first.count(",") else ","


def _items(cell: str, anki: bool) -> list[str]:
    """The items in one cell: one per line; in a spreadsheet, else split on `|`, else `;`."""
    if anki or "\n" in cell:
        parts = cell.split("\n")  # not splitlines(): an item may hold U+2028 and the like
    elif "|" in cell:
        parts = cell.split("|")
    else:
        parts = cell.split(";")
    return [part.strip() for part in parts if part.strip()]


def _tags(cell: str, anki: bool) -> list[str]:
    parts = cell.split() if anki else re.split(r"[\s,;|]+", cell)
    # The export tags each card with its deck (`debrief::roles`); the deck is not a card tag.
    return [part for part in parts if part and not part.lower().startswith(DECK_TAG_PREFIX)]


def _kind_of_note_type(note_type: str) -> str:
    note_type = note_type.strip()
    if note_type in (CHOICE.name, str(CHOICE.id)):
        return "choice"
    if note_type in (RECALL.name, str(RECALL.id)):
        return "recall"
    return ""


def _html_to_text(cell: str) -> str:
    text = re.sub(r"<br\s*/?>|</(?:div|p|li)>", "\n", cell, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]*>", "", text)
    return html.unescape(text).replace("\xa0", " ").strip()


def _normalise(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _slug(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")
    return slug[:40].rstrip("-_")


def _hashed_id(deck: str, text: str) -> str:
    """`<deck>-<first 10 hex digits of the SHA-256 of text>`: stable across re-imports."""
    return f"{deck}-{hashlib.sha256(text.encode()).hexdigest()[:10]}"
