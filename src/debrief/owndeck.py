"""Your own cards: the deck files the app writes in the data dir (`decks/NAME.toml`, one file per
deck of your own), checked by the deck loader and synced through the import core, so each file
stays the source of truth and `debrief import` of it changes nothing."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from debrief import locations
from debrief.cards import Card, CardKind, Deck, clean_text
from debrief.deckfile import (
    DECK_NAME,
    DeckFileError,
    Problem,
    parse_card_table,
    parse_deck,
    read_text,
)
from debrief.errors import DebriefError
from debrief.records import SyncReport

if TYPE_CHECKING:
    from debrief.workspace import Workspace

DEFAULT_DECK = "own"
DEFAULT_TITLE = "My cards"
# The order a card's keys are written in: the order of the deck format's documentation.
KEY_ORDER = ("id", "kind", "prompt", "answer", "accept", "options", "min_items", "explanation",
             "tags", "group", "keywords", "rubric")
HEADER = ("# Your own cards, written by debrief's card form (browse: a adds, e edits).\n"
          "# You may edit this file by hand and run `debrief import` on it; the app rewrites it\n"
          "# whole when you save a card there, so comments are not kept.\n")
MAX_ID_SLUG = 40
CHANGED_ELSEWHERE = "the deck file changed since you opened it; reopen to see the other change"
LOCK_WAIT = 10.0  # seconds a save waits for another debrief saving the same deck (a save takes ms)


class OwnDeckError(DebriefError):
    """A card that cannot be saved to a deck of your own, with one line per reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class CardDraft:
    """What the card form holds, as the user typed it. Lists are typed as text: answer items,
    accepted answers and options separated by ';' (or newlines), tags by spaces or commas."""

    deck: str
    kind: str
    prompt: str
    answer: str
    accept: str = ""
    options: str = ""
    min_items: str = ""
    explanation: str = ""
    tags: str = ""
    # Kept from an edited card: fields the form does not show (they stay as the file has them).
    group: str | None = None
    keywords: tuple[str, ...] = ()
    rubric: tuple[str, ...] = ()


@dataclass(frozen=True)
class SavedCard:
    """A card saved to its deck file and synced: its id, the file and what the sync changed."""

    card_id: str
    deck: str
    path: Path
    report: SyncReport
    created_deck: bool


def split_items(text: str) -> list[str]:
    """Items typed in one box: separated by ';' or newlines, blanks dropped."""
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]


def split_tags(text: str) -> list[str]:
    """Tags typed in one box: separated by spaces or commas, a leading '#' dropped."""
    return [t.lstrip("#") for t in re.split(r"[\s,]+", text) if t.lstrip("#")]


def join_items(items: tuple[str, ...] | list[str]) -> str:
    """Items as the form shows them (the inverse of `split_items`)."""
    return "; ".join(items)


def draft_from_card(card: Card) -> CardDraft:
    """The form's fields for an existing card."""
    answer = join_items(card.answer) if isinstance(card.answer, tuple) else card.answer
    return CardDraft(
        deck=card.deck, kind=str(card.kind), prompt=card.prompt, answer=answer,
        accept=join_items(card.accept), options=join_items(card.options),
        min_items="" if card.min_items is None else str(card.min_items),
        explanation=card.explanation, tags=" ".join(card.tags), group=card.group,
        keywords=card.keywords, rubric=card.rubric)


def draft_table(draft: CardDraft, card_id: str) -> dict[str, Any]:
    """The draft as a deck file's card table (what the loader validates); empty fields left out."""
    kind = draft.kind.strip() or "text"
    table: dict[str, Any] = {"id": card_id, "kind": kind, "prompt": clean_text(draft.prompt).strip()}
    answer = clean_text(draft.answer)
    table["answer"] = split_items(answer) if kind == CardKind.LIST else answer.strip()
    lists = {"accept": split_items(clean_text(draft.accept)),
             "options": split_items(clean_text(draft.options)),
             "tags": split_tags(clean_text(draft.tags))}
    for key, value in lists.items():
        if value:
            table[key] = value
    min_items = draft.min_items.strip()
    if min_items:
        table["min_items"] = int(min_items) if min_items.isdigit() else min_items
    explanation = clean_text(draft.explanation).strip()
    if explanation:
        table["explanation"] = explanation
    # Fields the form does not show go only where the format allows them, so changing a card's
    # kind never leaves a problem the user cannot see.
    if draft.group:
        table["group"] = draft.group
    if draft.keywords and kind == CardKind.TEXT:
        table["keywords"] = list(draft.keywords)
    if draft.rubric and kind == CardKind.RECALL:
        table["rubric"] = list(draft.rubric)
    return table


def check_draft(draft: CardDraft, card_id: str = "draft") -> tuple[Card | None, list[str]]:
    """The card the draft makes, checked by the deck loader's own rules; or None and one line
    per problem."""
    problems: list[Problem] = []
    deck = draft.deck.strip() or DEFAULT_DECK
    messages: list[str] = []
    if not DECK_NAME.match(deck):
        messages.append(f"deck name {deck!r} must be 1-40 lowercase letters, digits, - or _")
    # Line 1 of a one-card table: the loader's line lookup needs one; the card is from no file.
    card = parse_card_table("card", 1, draft_table(draft, card_id), deck, problems)
    messages += [p.message for p in problems]
    return (replace(card, line=0) if card is not None and not messages else None), messages


def card_table(card: Card) -> dict[str, Any]:
    """A loaded card as a deck file's card table (what `parse_deck` turns back into it)."""
    table: dict[str, Any] = {"id": card.id, "kind": str(card.kind), "prompt": card.prompt,
                             "answer": list(card.answer) if isinstance(card.answer, tuple)
                             else card.answer}
    optional: dict[str, Any] = {
        "accept": list(card.accept), "options": list(card.options), "min_items": card.min_items,
        "explanation": card.explanation, "tags": list(card.tags), "group": card.group,
        "keywords": list(card.keywords), "rubric": list(card.rubric)}
    table.update({k: v for k, v in optional.items() if v not in (None, "", [])})
    return table


def toml_string(text: str) -> str:
    """`text` as a TOML basic string: quotes, backslashes and control characters escaped."""
    named = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
             "\r": "\\r"}
    # A lone surrogate (never typed, but possible in a pasted string) cannot be written as UTF-8.
    text = text.encode("utf-8", "replace").decode("utf-8")
    out = []
    for ch in text:
        if ch in named:
            out.append(named[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        raise TypeError("a card holds no booleans")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    return "[" + ", ".join(_toml_value(v) for v in value) + "]"


def deck_text(name: str, title: str, description: str, tables: list[dict[str, Any]]) -> str:
    """A whole deck file: the [deck] table, then each card as a [[cards]] table."""
    lines = [HEADER, "[deck]", f"name = {toml_string(name)}", f"title = {toml_string(title)}"]
    if description:
        lines.append(f"description = {toml_string(description)}")
    for table in tables:
        lines += ["", "[[cards]]"]
        ordered = [k for k in KEY_ORDER if k in table] + sorted(set(table) - set(KEY_ORDER))
        lines += [f"{key} = {_toml_value(table[key])}" for key in ordered]
    return "\n".join(lines) + "\n"


# -- which decks are yours ----------------------------------------------------------------------


def deck_path(name: str) -> Path:
    """The file of your own deck `name`."""
    return locations.own_decks_dir() / f"{name}.toml"


def own_decks(ws: Workspace) -> list[str]:
    """The names of your own decks in the store: those imported from the own-decks folder."""
    folder = locations.own_decks_dir().resolve()
    return sorted(name for name, source in ws.store.decks.deck_sources().items()
                  if source and Path(source).parent == folder)


def deck_origin(ws: Workspace, deck: str) -> str:
    """Where a deck comes from: "own", "bundled", or the file (or label) it was imported from."""
    if deck in own_decks(ws):
        return "own"
    source = ws.store.decks.deck_sources().get(deck, "")
    return "bundled" if source == "bundled" else (source or "unknown")


def read_only_reason(ws: Workspace, deck: str) -> str | None:
    """Why cards of `deck` cannot be edited in the app (None: it is one of your own)."""
    origin = deck_origin(ws, deck)
    if origin == "own":
        return None
    if origin == "bundled":
        return "it is a bundled card (read-only)"
    return f"it comes from {origin} (edit that file and import it again)"


# -- who read what: saving over a change made elsewhere is refused ---------------------------------


def file_version(path: Path) -> str | None:
    """A fingerprint of a deck file's content (its SHA-256), or None when there is no file."""
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            return f"not a regular file ({stat.filemode(mode)})"
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OwnDeckError([f"cannot read {path}: {exc.strerror or exc}"]) from None
    return digest.hexdigest()


@dataclass(frozen=True)
class DeckVersions:
    """What your deck files held when a window read them (the card form opened): a save with
    these versions is refused if its deck file has changed since (another window's save, a hand
    edit), instead of overwriting that change."""

    versions: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls) -> DeckVersions:
        """The versions of every deck file in your decks folder now."""
        folder = locations.own_decks_dir()
        try:
            paths = sorted(folder.glob("*.toml")) if folder.is_dir() else []
        except OSError:
            paths = []
        versions: dict[str, str] = {}
        for path in paths:
            try:
                version = file_version(path)
            except OwnDeckError:
                version = "unreadable"  # the save itself will say why, in one line
            if version is not None:
                versions[path.stem] = version
        return cls(versions)

    def of(self, name: str) -> str | None:
        """The version of deck `name`'s file as read (None: there was no file)."""
        return self.versions.get(name)


@contextmanager
def deck_lock(path: Path) -> Iterator[None]:
    """Hold deck file `path`'s lock (`.NAME.toml.lock` beside it), so two debrief processes
    saving the same deck take turns: each one's check of the file and its write are one step."""
    try:
        import fcntl
    except ImportError:  # no POSIX locks here: the version check alone guards the file
        yield
        return
    lock = path.parent / f".{path.name}.lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise OwnDeckError([f"cannot write {path.parent}: {exc.strerror or exc}"]) from None
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OwnDeckError([f"another debrief is still saving {path.name}; "
                                        "try again in a moment"]) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # releases the lock


def card_in_file(deck: str, card_id: str) -> Card | None:
    """Card `card_id` as your deck file `deck` holds it now (None: no such file or card, or a
    file with problems), so a form shows a hand edit not yet imported."""
    path = deck_path(deck)
    problems: list[Problem] = []
    text = read_text(path, problems) if path.is_file() else None
    parsed = parse_deck(path, text, problems) if text is not None else None
    if parsed is None or problems:
        return None
    return next((c for c in parsed.cards if c.id == card_id), None)


# -- saving -------------------------------------------------------------------------------------


def _current_deck(ws: Workspace, name: str, path: Path) -> Deck | None:
    """Your deck `name` as its file holds it; rebuilt from the store if the file went missing
    (so saving one card never retires the others); None for a new deck."""
    if path.exists():
        problems: list[Problem] = []
        text = read_text(path, problems)
        deck = parse_deck(path, text, problems) if text is not None else None
        if problems or deck is None:
            first = problems[0] if problems else Problem(str(path), 0, "cannot be read")
            raise OwnDeckError([f"your deck file has a problem, fix it first: {first}"])
        return deck
    if name not in own_decks(ws):
        return None
    records = [r for r in ws.store.decks.cards(ws.store.decks.deck_ids([name])) if not r.retired]
    records.sort(key=lambda r: r.card.position)
    title = dict(ws.store.decks.decks()).get(name, name)
    return Deck(name=name, title=title, description=ws.store.decks.deck_descriptions().get(name, ""),
                cards=tuple(r.card for r in records), source=str(path))


def _slug(prompt: str) -> str:
    words = re.findall(r"[a-z0-9]+", prompt.lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > MAX_ID_SLUG:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "card"


def new_card_id(ws: Workspace, deck: str, prompt: str, taken: set[str]) -> str:
    """A new card id, `DECK:words-of-the-prompt`, used by no card in `taken` nor in the store
    (retired cards included: reusing a retired card's id would hand its history to this one)."""
    base = f"{deck}:{_slug(prompt)}"
    candidate, number = base, 1
    while candidate in taken or ws.store.decks.card_owners([candidate]):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def save_card(ws: Workspace, draft: CardDraft, card_id: str | None = None,
              seen: DeckVersions | None = None) -> SavedCard:
    """Add a card to your deck `draft.deck` (new id), or, with `card_id`, replace that card
    (its id kept, so its schedule and history stay). The whole file is checked by the deck
    loader and by `debrief import`'s checks before it is written (atomically), then synced
    through the import core. With `seen` (the versions read when the form opened), a deck file
    changed since is left as it is and the save refused (CHANGED_ELSEWHERE). Raises OwnDeckError
    with one line per problem."""
    name = draft.deck.strip() or DEFAULT_DECK
    draft = replace(draft, deck=name)
    _card, messages = check_draft(draft, card_id or "draft")
    if messages:
        raise OwnDeckError(messages)
    if name not in own_decks(ws) and name in dict(ws.store.decks.decks()):
        origin = deck_origin(ws, name)
        where = "a bundled deck" if origin == "bundled" else f"imported from {origin}"
        raise OwnDeckError([f"deck {name!r} is not one of yours ({where}); choose one of your "
                            "decks or a new name"])
    path = deck_path(name)
    with deck_lock(path):
        if seen is not None and file_version(path) != seen.of(name):
            raise OwnDeckError([CHANGED_ELSEWHERE])
        return _save_locked(ws, draft, name, path, card_id, seen)


def _save_locked(ws: Workspace, draft: CardDraft, name: str, path: Path, card_id: str | None,
                 seen: DeckVersions | None) -> SavedCard:
    from debrief.importing import check_import, write_import

    current = _current_deck(ws, name, path)
    created = current is None
    tables = [card_table(c) for c in current.cards] if current else []
    if card_id is None:
        card_id = new_card_id(ws, name, draft.prompt, {t["id"] for t in tables})
        tables.append(draft_table(draft, card_id))
    else:
        found = [i for i, t in enumerate(tables) if t["id"] == card_id]
        if not found:
            raise OwnDeckError([f"card {card_id!r} is not in your deck file {path}"])
        tables[found[0]] = draft_table(draft, card_id)
    title = current.title if current else (DEFAULT_TITLE if name == DEFAULT_DECK else name)
    text = deck_text(name, title, current.description if current else "", tables)
    problems: list[Problem] = []
    deck = parse_deck(path, text, problems)
    if problems or deck is None:
        raise OwnDeckError([p.message for p in problems] or ["the deck could not be written"])
    try:
        check_import(ws, path, deck, named=True)
    except DeckFileError as exc:
        raise OwnDeckError([p.message for p in exc.problems]) from None
    # Checked again just before the write: a hand edit (which takes no lock) saved while this
    # file was being checked is kept, not replaced.
    if seen is not None and file_version(path) != seen.of(name):
        raise OwnDeckError([CHANGED_ELSEWHERE])
    write_text_atomically(path, text)
    # No backup per card: this sync adds or changes cards of your own deck only (check_import
    # refused anything else) and retires none that the file still holds.
    _verb, report = write_import(ws, path, deck, backup=False)
    return SavedCard(card_id, name, path, report, created)


def write_text_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` whole or not at all (a temporary file, fsync, one rename, and the
    folder synced so the rename survives a crash)."""
    from debrief.export import ExportError
    from debrief.export.atomic import write_atomically

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        def write(out: BinaryIO) -> None:
            out.write(text.encode("utf-8"))

        write_atomically(path, write)
        folder = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    except ExportError as exc:
        raise OwnDeckError([str(exc)]) from None
    except OSError as exc:
        raise OwnDeckError([f"cannot write {path}: {exc.strerror or exc}"]) from None
