"""Reading Anki packages (.apkg, .colpkg): other notes as decks, the answers given in Anki to
their cards and to debrief's own, and every card's suspension, flag and burial.

The package is read here, without the `anki` package (AGPL, 31 MB, a test dependency only):
a zip holding an SQLite collection, `collection.anki2`/`collection.anki21` (schema 11, note types
and decks as JSON in the `col` row) or, from Anki 2.1.50 on, a zstd-compressed
`collection.anki21b` (schema 18, note types and decks in tables, their settings as protobuf),
named by the package's `meta` entry (rslib import_export/package/meta.rs). Nothing is written
here: `read_package` returns what the package holds, and the command applies it in the store.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from debrief.cards import Card, Deck, clean_text
from debrief.deckfile import CARD_ID, Problem, parse_card_table
from debrief.errors import DebriefError
from debrief.export.notes import GUID_PREFIX
from debrief.importers.history import AnkiReview
from debrief.importers.marks import MARKS_KEY, AnkiMarks

PACKAGE_SUFFIXES = (".apkg", ".colpkg")
# Package versions (proto import_export.proto PackageMetadata.Version) and their collections.
_COLLECTIONS = {1: "collection.anki2", 2: "collection.anki21", 3: "collection.anki21b"}
_ZSTD_VERSION = 3
_NEWEST_SCHEMA = 18  # rslib storage/upgrades SCHEMA_MAX_VERSION
_OLDEST_SCHEMA = 11
# A collection this large inside a package is not a deck anyone reviews: refuse it before
# decompressing it all into memory.
_MAX_COLLECTION_BYTES = 2 << 30
DECK_PREFIX = "anki-"
CARD_PREFIX = "anki."
# Anki's own test of an answer that counts (rslib revlog has_rating_and_affects_scheduling):
# a button was pressed (ease 1-4; manual reschedules and resets log ease 0), and it was not
# cramming in a filtered deck that does not reschedule (type 3 with factor 0).
_FILTERED = 3
_MANUAL = 4
_QUEUE_SUSPENDED = -1
_QUEUES_BURIED = (-2, -3)  # buried as a sibling, buried by hand
# A Basic card's back this short and on one line is graded as typed text; longer, it is recalled.
_SHORT_ANSWER_CHARS = 60
_SHORT_ANSWER_WORDS = 8
_SPECIAL_FIELDS = {"FrontSide", "Tags", "Deck", "Subdeck", "Card", "Type", "CardFlag", "CardID"}


class AnkiPackageError(DebriefError):
    """The file is not an Anki package debrief can read (one line for the user)."""


@dataclass(frozen=True)
class Skipped:
    """A note (or some of its reviews) left out, and why."""

    what: str
    reason: str


@dataclass(frozen=True)
class AnkiPackage:
    """What an Anki package holds for debrief."""

    # Notes of the user's own, as debrief decks (one per Anki deck), ids from the note GUIDs.
    decks: tuple[Deck, ...] = ()
    # Anki deck name of each deck, by debrief deck name.
    anki_names: dict[str, str] = field(default_factory=dict)
    # Answers given in Anki to debrief's own cards (notes whose GUID is `debrief:<card id>`) and
    # to the cards of the decks above (when the package carries scheduling).
    reviews: tuple[AnkiReview, ...] = ()
    # The debrief card ids the package holds.
    debrief_cards: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    # Media files the notes refer to; debrief shows text only, so they are not imported.
    media: tuple[str, ...] = ()
    # Revlog rows of debrief's cards that are not answers that schedule: manual reschedules,
    # resets, cramming in filtered decks that do not reschedule.
    not_answers: int = 0
    # The same for the cards of each deck above, by debrief deck name (decks with none left out).
    deck_not_answers: dict[str, int] = field(default_factory=dict)
    # Suspension, flag and burial of every card of both kinds (none when the package was
    # exported without scheduling).
    marks: tuple[AnkiMarks, ...] = ()
    # Answers given before the card was last reset in Anki (left out), by debrief deck name
    # (None: debrief's own cards).
    before_reset: dict[str | None, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _NoteType:
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: dict[int, tuple[str, str]]  # ord -> (question format, answer format)


def read_package(path: Path) -> AnkiPackage:
    """Read the Anki package at `path`; raise AnkiPackageError (one line) if it can't be read."""
    db = _open_collection(path)
    try:
        try:
            return _read_collection(db)
        except (sqlite3.Error, KeyError, ValueError, TypeError, IndexError) as exc:
            raise AnkiPackageError(f"{path}: not a readable Anki collection ({exc})") from exc
    finally:
        db.close()


# --- the file ----------------------------------------------------------------------------------

def _open_collection(path: Path) -> sqlite3.Connection:
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise AnkiPackageError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise AnkiPackageError(f"{path}: is a directory") from exc
    except zipfile.BadZipFile as exc:
        raise AnkiPackageError(f"{path}: not an Anki package (not a zip archive)") from exc
    except OSError as exc:
        raise AnkiPackageError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    with archive:
        names = set(archive.namelist())
        try:
            version = _package_version(archive.read("meta")) if "meta" in names else (
                2 if "collection.anki21" in names else 1)
        except ValueError as exc:
            raise AnkiPackageError(f"{path}: not an Anki package (unreadable meta entry)") from exc
        if version not in _COLLECTIONS:
            raise AnkiPackageError(
                f"{path}: made by a newer Anki (package format {version}); export it again with "
                "\"Support older Anki versions\" ticked")
        name = _COLLECTIONS[version]
        if name not in names:
            raise AnkiPackageError(f"{path}: not an Anki package (no {name} inside)")
        info = archive.getinfo(name)
        if info.file_size > _MAX_COLLECTION_BYTES:
            raise AnkiPackageError(f"{path}: the collection inside is too large "
                                   f"({info.file_size:,} bytes)")
        try:
            data = archive.read(name)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise AnkiPackageError(f"{path}: damaged package ({exc})") from exc
    if version == _ZSTD_VERSION:
        data = _zstd_decompress(path, data)
    if data[:16] == b"SQLite format 3\x00" and len(data) >= 20:
        # Anki writes its collections in WAL mode (header bytes 18-19 = 2); an in-memory copy
        # can only be opened in rollback mode (1), the same pages otherwise.
        data = data[:18] + b"\x01\x01" + data[20:]
    db = sqlite3.connect(":memory:")
    try:
        if not data:
            raise sqlite3.DatabaseError("empty")
        db.deserialize(data)
        (schema,) = db.execute("SELECT ver FROM col").fetchone()
    except (sqlite3.Error, TypeError, MemoryError) as exc:
        db.close()
        raise AnkiPackageError(f"{path}: damaged package (its collection is not a readable "
                               "database)") from exc
    if not isinstance(schema, int) or schema > _NEWEST_SCHEMA:
        db.close()
        raise AnkiPackageError(f"{path}: made by a newer Anki (collection schema {schema}); "
                               "export it again with \"Support older Anki versions\" ticked")
    if schema < _OLDEST_SCHEMA:
        db.close()
        raise AnkiPackageError(f"{path}: made by an Anki older than 2.1 (collection schema "
                               f"{schema}); open it in a current Anki and export it again")
    return db


def _zstd_decompress(path: Path, data: bytes) -> bytes:
    import zstandard

    chunks: list[bytes] = []
    size = 0
    try:
        with zstandard.ZstdDecompressor().stream_reader(data) as reader:
            while size <= _MAX_COLLECTION_BYTES:
                chunk = reader.read(1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except (zstandard.ZstdError, MemoryError) as exc:
        # zstandard reports a truncated frame header as a MemoryError.
        raise AnkiPackageError(f"{path}: damaged package (its collection does not decompress"
                               f"{': ' + str(exc) if str(exc) else ''})") from exc
    if size > _MAX_COLLECTION_BYTES:
        raise AnkiPackageError(f"{path}: the collection inside is too large")
    return b"".join(chunks)


def _package_version(meta: bytes) -> int:
    """The version in a `meta` entry (PackageMetadata; field 1, a varint). 0 when unset."""
    values = _protobuf(meta)
    version = values.get(1, [0])[0]
    if not isinstance(version, int):
        raise ValueError("meta version is not a number")
    return version


def _protobuf(data: bytes) -> dict[int, list[int | bytes]]:
    """A protobuf message's fields by number: varints as ints, length-delimited as bytes
    (enough for the few settings read here; fixed-width values are skipped)."""
    fields: dict[int, list[int | bytes]] = {}
    position = 0

    def varint() -> int:
        nonlocal position
        result = shift = 0
        while True:
            if position >= len(data) or shift > 63:
                raise ValueError("truncated protobuf")
            byte = data[position]
            position += 1
            result |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return result

    while position < len(data):
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            fields.setdefault(number, []).append(varint())
        elif wire == 2:
            length = varint()
            if position + length > len(data):
                raise ValueError("truncated protobuf")
            fields.setdefault(number, []).append(data[position:position + length])
            position += length
        elif wire == 1:
            position += 8
        elif wire == 5:
            position += 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
    return fields


def _text_field(message: bytes, number: int) -> str:
    value = _protobuf(message).get(number, [b""])[0]
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


# --- the collection ------------------------------------------------------------------------------

def _tables(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _note_types(db: sqlite3.Connection) -> dict[int, _NoteType]:
    if "notetypes" in _tables(db):
        types: dict[int, _NoteType] = {}
        for ntid, name, config in db.execute("SELECT id, name, config FROM notetypes"):
            kind = _protobuf(config or b"").get(1, [0])[0]
            fields = tuple(row[0] for row in db.execute(
                "SELECT name FROM fields WHERE ntid = ? ORDER BY ord", (ntid,)))
            templates = {ordinal: (_text_field(tconfig or b"", 1), _text_field(tconfig or b"", 2))
                         for ordinal, tconfig in db.execute(
                             "SELECT ord, config FROM templates WHERE ntid = ?", (ntid,))}
            types[int(ntid)] = _NoteType(str(name), kind == 1, fields, templates)
        return types
    (models,) = db.execute("SELECT models FROM col").fetchone()
    return {int(ntid): _NoteType(
        str(model.get("name", "")), model.get("type") == 1,
        tuple(str(f["name"]) for f in sorted(model.get("flds", []), key=lambda f: f["ord"])),
        {int(t["ord"]): (str(t.get("qfmt", "")), str(t.get("afmt", "")))
         for t in model.get("tmpls", [])})
        for ntid, model in json.loads(models).items()}


def _deck_names(db: sqlite3.Connection) -> dict[int, str]:
    if "decks" in _tables(db):
        # Schema 18 separates deck levels with \x1f instead of "::".
        return {int(did): str(name).replace("\x1f", "::")
                for did, name in db.execute("SELECT id, name FROM decks")}
    (decks,) = db.execute("SELECT decks FROM col").fetchone()
    return {int(did): str(deck.get("name", "")) for did, deck in json.loads(decks).items()}


def _read_collection(db: sqlite3.Connection) -> AnkiPackage:
    note_types = _note_types(db)
    deck_names = _deck_names(db)
    cards_of: dict[int, list[tuple[int, int, int]]] = {}  # nid -> [(card id, ord, deck id)]
    states: dict[int, tuple[int, int, int, str]] = {}  # card id -> (queue, flags, mod, data)
    # A card in a filtered deck (only in a package with scheduling) belongs to its home deck.
    for cid, nid, did, ordinal, queue, flags, mod, data in db.execute(
            "SELECT id, nid, CASE WHEN odid != 0 THEN odid ELSE did END, ord, queue, flags, mod, "
            "data FROM cards ORDER BY id"):
        cards_of.setdefault(int(nid), []).append((int(cid), int(ordinal), int(did)))
        states[int(cid)] = (int(queue), int(flags), int(mod), str(data or ""))
    skipped: list[Skipped] = []
    media: set[str] = set()
    own: dict[int, str] = {}  # Anki card id -> debrief card id
    theirs: dict[int, tuple[str, str]] = {}  # Anki card id -> (card id, deck) of Anki-made notes
    by_deck: dict[str, list[Card]] = {}
    anki_names: dict[str, str] = {}
    seen: set[str] = set()
    notes = db.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id").fetchall()
    for nid, guid, mid, tags, flds in notes:
        guid = str(guid)
        if guid.startswith(GUID_PREFIX):
            key = guid.removeprefix(GUID_PREFIX)
            for cid, _ordinal, _did in cards_of.get(int(nid), []):
                own[cid] = key
            continue
        note_type = note_types.get(int(mid))
        values = str(flds).split("\x1f")
        label = _label(values, guid)
        if note_type is None:
            skipped.append(Skipped(label, "its note type is missing from the package"))
            continue
        fields = dict(zip(note_type.fields, values, strict=False))
        media.update(name for value in values for name in _media(value))
        note_cards = cards_of.get(int(nid), [])
        if not note_cards:
            skipped.append(Skipped(label, "it has no cards"))
            continue
        anki_deck = deck_names.get(note_cards[0][2], "Default")
        deck = deck_name(anki_deck)
        anki_names.setdefault(deck, anki_deck)
        base = card_id_for(guid)
        note_tags = [tag for tag in str(tags).split() if tag]
        made: set[str] = set()
        for card in _cards_of_note(note_type, fields, base, deck, note_tags,
                                   sorted({ordinal for _cid, ordinal, _did in note_cards}),
                                   label, skipped):
            if card.id in seen:
                skipped.append(Skipped(label, f"its card id {card.id!r} is taken by another note"))
                continue
            seen.add(card.id)
            made.add(card.id)
            by_deck.setdefault(deck, []).append(card)
        # Each Anki card to the debrief card made from it, so its answers follow it.
        for cid, ordinal, _did in note_cards:
            key = _card_id_of(base, ordinal, note_type.cloze)
            if key in made:
                theirs[cid] = (key, deck)

    reviews: list[AnkiReview] = []
    not_answers = 0
    deck_not_answers: dict[str, int] = {}
    before_reset: dict[str | None, int] = {}  # answers before a reset, by deck (None: debrief's)
    if own or theirs:
        # "Reset card" (Forget) in Anki logs a manual row with factor 0; Anki's FSRS reads a
        # card's history from its last reset on, and so does debrief.
        last_reset = dict(db.execute(
            "SELECT cid, max(id) FROM revlog WHERE type = ? AND ease = 0 AND factor = 0 "
            "GROUP BY cid", (_MANUAL,)).fetchall())
        for revlog_id, cid, ease, duration, kind, factor in db.execute(
                "SELECT id, cid, ease, time, type, factor FROM revlog ORDER BY id"):
            card_key = own.get(int(cid))
            in_deck: str | None = None
            if card_key is None and int(cid) in theirs:
                card_key, in_deck = theirs[int(cid)]
            if card_key is None:
                continue
            if int(ease) not in (1, 2, 3, 4) or (int(kind) == _FILTERED and int(factor) == 0):
                if in_deck is None:
                    not_answers += 1
                else:
                    deck_not_answers[in_deck] = deck_not_answers.get(in_deck, 0) + 1
                continue
            if int(revlog_id) < last_reset.get(cid, 0):
                before_reset[in_deck] = before_reset.get(in_deck, 0) + 1
                continue
            reviews.append(AnkiReview(
                revlog_id=int(revlog_id), card_key=card_key,
                reviewed_at=datetime.fromtimestamp(int(revlog_id) / 1000, UTC),
                rating=int(ease), duration_ms=max(0, int(duration))))
    # A package exported without scheduling has every card new, unmarked and no revlog: it says
    # nothing about suspensions or flags (Anki cleared them), so none are read from it.
    (scheduled,) = db.execute(
        "SELECT EXISTS (SELECT 1 FROM revlog) OR EXISTS (SELECT 1 FROM cards WHERE type != 0 "
        "OR queue != 0 OR flags != 0)").fetchone()
    marks: list[AnkiMarks] = []
    if scheduled:
        for cid, (queue, flags, mod, data) in states.items():
            card_key = own.get(cid) or theirs.get(cid, (None, ""))[0]
            if card_key is not None:
                marks.append(AnkiMarks(
                    card_key=card_key, suspended=queue == _QUEUE_SUSPENDED, flag=flags & 7,
                    buried=queue in _QUEUES_BURIED, modified_at=datetime.fromtimestamp(mod, UTC),
                    sent=_sent_marks(data)))
    decks = tuple(Deck(name=name, title=anki_names[name],
                       description=f"Imported from the Anki deck {anki_names[name]!r}.",
                       cards=tuple(cards))
                  for name, cards in sorted(by_deck.items()))
    return AnkiPackage(decks=decks, anki_names=anki_names, reviews=tuple(reviews),
                       debrief_cards=tuple(sorted(set(own.values()))), skipped=tuple(skipped),
                       media=tuple(sorted(media)), not_answers=not_answers,
                       deck_not_answers=deck_not_answers, marks=tuple(marks),
                       before_reset=before_reset)


def _sent_marks(data: str) -> int | None:
    """The marks debrief's export gave a card (`MARKS_KEY` in its custom data), if any."""
    try:
        custom = json.loads(data).get("cd") if data else None
        value = json.loads(custom).get(MARKS_KEY) if isinstance(custom, str) else None
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, int) and 0 <= value <= 15 else None


# --- notes to cards ----------------------------------------------------------------------------

_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_FIELD_REF = re.compile(r"\{\{([^{}]+)\}\}")


def deck_name(anki_deck: str) -> str:
    """The debrief deck for Anki deck `anki_deck`: `anki-` and its name as lower-case words."""
    slug = re.sub(r"[^a-z0-9]+", "-", anki_deck.lower().replace("::", "-")).strip("-")
    return (DECK_PREFIX + (slug or "deck"))[:40].rstrip("-_")


def card_id_for(guid: str) -> str:
    """A stable debrief card id for the note with `guid`: `anki.<guid>` when the GUID's
    characters fit a card id, else `anki.` and a hash of it (so re-import finds it again)."""
    candidate = CARD_PREFIX + guid
    # Room for a cloze or template suffix (".c12", ".3") within the 64 characters of an id.
    if CARD_ID.match(candidate) and len(candidate) <= 56:
        return candidate
    return CARD_PREFIX + hashlib.sha256(guid.encode()).hexdigest()[:20]


def _card_id_of(base: str, ordinal: int, cloze: bool) -> str:
    """The debrief card id made from the note's Anki card `ordinal` (as `_cards_of_note` names
    them): a cloze card's ordinal is its deletion's number less one."""
    if cloze:
        return f"{base}.c{ordinal + 1}"
    return base if ordinal == 0 else f"{base}.{ordinal + 1}"


def _cards_of_note(note_type: _NoteType, fields: dict[str, str], base: str, deck: str,
                   tags: list[str], ordinals: list[int], label: str,
                   skipped: list[Skipped]) -> Iterator[Card]:
    if note_type.cloze:
        yield from _cloze_cards(note_type, fields, base, deck, tags, label, skipped)
        return
    for ordinal in ordinals:
        template = note_type.templates.get(ordinal)
        if template is None:
            skipped.append(Skipped(label, f"its card {ordinal + 1} has no template"))
            continue
        question, answer = template
        asked = [name for name, _typed in _refs(question)]
        typed = next((name for name, is_typed in _refs(question) if is_typed), None)
        shown = [name for name, _typed in _refs(answer) if name not in asked or name == typed]
        answer_field = typed or next(iter(shown), None)
        prompt_fields = [name for name, is_typed in _refs(question) if not is_typed]
        prompt = "\n".join(filter(None, (html_to_text(fields.get(name, ""))
                                         for name in dict.fromkeys(prompt_fields))))
        answer_text = html_to_text(fields.get(answer_field, "")) if answer_field else ""
        extra = "\n".join(filter(None, (html_to_text(fields.get(name, ""))
                                        for name in dict.fromkeys(shown) if name != answer_field)))
        if typed is not None:
            kind = "text"
        else:
            short = ("\n" not in answer_text and len(answer_text) <= _SHORT_ANSWER_CHARS
                     and len(answer_text.split()) <= _SHORT_ANSWER_WORDS)
            kind = "text" if short else "recall"
        card_id = _card_id_of(base, ordinal, cloze=False)
        card = _validated(label, skipped, card_id, deck, kind, prompt, answer_text, extra, tags,
                          group=base if len(ordinals) > 1 else None)
        if card is not None:
            yield card


def _cloze_cards(note_type: _NoteType, fields: dict[str, str], base: str, deck: str,
                 tags: list[str], label: str, skipped: list[Skipped]) -> Iterator[Card]:
    question = " ".join(q for q, _a in note_type.templates.values())
    cloze_fields = list(dict.fromkeys(re.findall(r"\{\{cloze:([^{}]+)\}\}", question)))
    text = "\n".join(fields.get(name, "") for name in cloze_fields)
    numbers = sorted({int(n) for n, _answer, _hint in _CLOZE.findall(text)})
    if not numbers:
        skipped.append(Skipped(label, "a cloze note with no {{c1::...}} deletion"))
        return
    shown_on_back = [name for _q, answer in note_type.templates.values()
                     for name, _typed in _refs(answer) if name not in cloze_fields]
    extra = "\n".join(filter(None, (html_to_text(fields.get(name, ""))
                                    for name in dict.fromkeys(shown_on_back))))
    for number in numbers:
        def blank(match: re.Match[str], number: int = number) -> str:
            if int(match.group(1)) != number:
                return match.group(2)
            return f"[{match.group(3)}]" if match.group(3) else "[...]"

        prompt = html_to_text(_CLOZE.sub(blank, text))
        answers = list(dict.fromkeys(
            html_to_text(answer) for n, answer, _hint in _CLOZE.findall(text) if int(n) == number))
        answers = [answer for answer in answers if answer]
        answer: str | list[str] = answers[0] if len(answers) == 1 else answers
        kind = "text" if len(answers) == 1 else "list"
        card = _validated(label, skipped, _card_id_of(base, number - 1, cloze=True), deck, kind,
                          prompt, answer, extra, tags, group=base if len(numbers) > 1 else None)
        if card is not None:
            yield card


def _refs(template: str) -> list[tuple[str, bool]]:
    """The fields a template shows, in order: (name, is the type-in field). Conditionals,
    special fields and FrontSide are left out; `text:`/`hint:` and other filters are read through."""
    refs: list[tuple[str, bool]] = []
    for inner in _FIELD_REF.findall(template):
        inner = inner.strip()
        if inner[:1] in "#/^!":
            continue
        parts = inner.split(":")
        name = parts[-1].strip()
        if name in _SPECIAL_FIELDS or not name:
            continue
        refs.append((name, parts[0].strip() == "type"))
    return refs


def _validated(label: str, skipped: list[Skipped], card_id: str, deck: str, kind: str,
               prompt: str, answer: str | list[str], explanation: str, tags: list[str],
               group: str | None) -> Card | None:
    if not prompt.strip():
        skipped.append(Skipped(label, "its question has no text (only media or empty)"))
        return None
    if not answer or (isinstance(answer, str) and not answer.strip()):
        skipped.append(Skipped(label, "its answer has no text (only media or empty)"))
        return None
    problems: list[Problem] = []
    raw = {"id": card_id, "kind": kind, "prompt": prompt, "answer": answer,
           "explanation": explanation, "tags": tags}
    if group is not None:
        raw["group"] = group
    card = parse_card_table("package", 0, raw, deck, problems)
    if card is None:
        skipped.append(Skipped(label, "; ".join(problem.message for problem in problems)))
    return card


def _label(values: list[str], guid: str) -> str:
    """How a note is named in the report: its first field's text, or its GUID without one."""
    first = html_to_text(values[0] if values else "").replace("\n", " ")
    if not first:
        return f"note with GUID {guid!r}"
    return f"note {first[:40] + '...' if len(first) > 40 else first!r}"


# --- HTML to text ------------------------------------------------------------------------------

_BLOCKS = {"br", "div", "p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
           "table", "blockquote", "pre", "hr"}
_MEDIA_SRC = re.compile(r"""<(?:img|audio|video|source|embed)\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)""",
                        re.IGNORECASE)
_SOUND = re.compile(r"\[sound:([^\]]+)\]")


class _TextParser(HTMLParser):
    """Collects the text a person reads: block elements become line breaks, list items get a
    dash, scripts and styles are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
            if tag == "li":
                self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_to_text(value: str) -> str:
    """An Anki field's HTML as readable plain text: tags and media references removed, entities
    decoded, line breaks kept where the HTML breaks lines, spaces collapsed."""
    parser = _TextParser()
    parser.feed(_SOUND.sub("", value))
    parser.close()
    text = unescape("".join(parser.parts)).replace("\xa0", " ")
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n"))
    return clean_text("\n".join(line for line in lines if line))


def _media(value: str) -> Iterable[str]:
    """The media files an Anki field refers to (images, sounds, videos)."""
    yield from (unescape(name) for name in _MEDIA_SRC.findall(value))
    yield from _SOUND.findall(value)
