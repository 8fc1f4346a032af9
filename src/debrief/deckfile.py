"""Deck files (TOML): parse and validate, reporting every problem as `file:line: message`."""

from __future__ import annotations

import re
import stat
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from debrief.cards import KINDS, Card, Deck, clean_text
from debrief.errors import DebriefError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FIELD_CHARS = 10_000
MAX_ITEMS = 100  # items of a list, options of a choice, accepted answers: what the grader takes
DECK_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
CARD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
CARD_KEYS = {
    "id", "kind", "prompt", "answer", "accept", "options", "min_items", "explanation", "tags",
    "group", "keywords", "rubric",
}
GROUP = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a deck file, at a line (1-based; 0 when the whole file is at fault)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


class DeckFileError(DebriefError):
    """Raised with every problem found in one or more deck files."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _decode(path: Path, data: bytes, problems: list[Problem]) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(str(path), line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})"))
        return None


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """Read a file as UTF-8 text, recording a problem instead of raising.

    The read is capped: a device or a pipe says nothing of its size (`/dev/zero` reports 0
    bytes and never ends), so the limit is checked on what is read, not on what stat says.
    """
    limit = f"the limit is {MAX_FILE_BYTES // 1_000_000} MB"
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            problems.append(Problem(str(path), 0, "is a directory, not a deck file"))
            return None
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISSOCK(mode):
            problems.append(Problem(str(path), 0, "is a device, not a deck file"))
            return None
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            problems.append(Problem(str(path), 0, f"file is over {MAX_FILE_BYTES // 1_000_000} MB; {limit}"))
            return None
    except IsADirectoryError:
        problems.append(Problem(str(path), 0, "is a directory, not a deck file"))
        return None
    except FileNotFoundError:
        problems.append(Problem(str(path), 0, "no such file"))
        return None
    except OSError as exc:
        problems.append(Problem(str(path), 0, f"cannot read: {exc.strerror or exc}"))
        return None
    text = _decode(path, data, problems)
    # A byte-order mark is how some editors (and spreadsheets) start a UTF-8 file.
    return text.removeprefix("\ufeff") if text is not None else None


def _card_lines(text: str) -> list[int]:
    """Line numbers of each `[[cards]]` table header, in order."""
    return [i + 1 for i, line in enumerate(text.splitlines()) if re.match(r"^\s*\[\[\s*cards\s*\]\]", line)]


def _field_line(lines: list[str], start: int, end: int, key: str) -> int:
    """The line of `key = ...` inside the card table spanning lines start..end (1-based)."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number in range(start, min(end, len(lines)) + 1):
        if pattern.match(lines[number - 1]):
            return number
    return start


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def parse_deck(path: Path, text: str, problems: list[Problem], default_name: str | None = None) -> Deck | None:
    """Parse deck TOML `text` (from `path`), appending problems; None if nothing usable."""
    where = str(path)
    try:
        data = tomllib.loads(text)
    except RecursionError:
        problems.append(Problem(where, 0, "bad TOML: nested too deeply"))
        return None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        problems.append(Problem(where, int(match.group(1)) if match else 0, f"bad TOML: {message}"))
        return None

    lines = text.splitlines()
    meta = data.get("deck", {})
    if not isinstance(meta, dict):
        problems.append(Problem(where, 1, "[deck] must be a table"))
        meta = {}
    name = meta.get("name", default_name or path.stem)
    if not isinstance(name, str) or not DECK_NAME.match(name):
        problems.append(Problem(where, _field_line(lines, 1, len(lines), "name"),
                                f"deck name {name!r} must be 1-40 lowercase letters, digits, - or _"))
        name = "invalid"
    title = meta.get("title", name)
    description = meta.get("description", "")
    if not isinstance(title, str) or not isinstance(description, str):
        problems.append(Problem(where, 1, "deck title and description must be strings"))
        title, description = str(name), ""

    raw_cards = data.get("cards", [])
    if not isinstance(raw_cards, list):
        problems.append(Problem(where, 1, "cards must be an array of tables ([[cards]])"))
        raw_cards = []
    unknown_top = set(data) - {"deck", "cards"}
    for key in sorted(unknown_top):
        problems.append(Problem(where, _field_line(lines, 1, len(lines), key), f"unknown top-level key {key!r}"))
    headers = _card_lines(text)
    cards: list[Card] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_cards):
        start = headers[index] if index < len(headers) else 0
        end = headers[index + 1] - 1 if index + 1 < len(headers) else len(lines)
        card = _parse_card(where, lines, start, end, raw, name, problems)
        if card is None:
            continue
        if card.id in seen:
            problems.append(Problem(where, start, f"duplicate id {card.id!r} (first at line {seen[card.id]})"))
            continue
        seen[card.id] = start
        cards.append(card)
    return Deck(name=name, title=clean_text(title), description=clean_text(description),
                cards=tuple(cards), source=where)


def _parse_card(where: str, lines: list[str], start: int, end: int, raw: Any, deck: str,
                problems: list[Problem]) -> Card | None:
    def problem(key: str | None, message: str) -> None:
        problems.append(Problem(where, _field_line(lines, start, end, key) if key else start, message))

    if not isinstance(raw, dict):
        problem(None, "a card must be a table")
        return None
    before = len(problems)
    for key in sorted(set(raw) - CARD_KEYS):
        problem(key, f"unknown card field {key!r}")

    card_id = raw.get("id")
    if card_id is None:
        problem(None, "card has no id")
    elif not isinstance(card_id, str) or not CARD_ID.match(card_id):
        problem("id", f"id {card_id!r} must be 1-64 letters, digits, '.', ':', '_' or '-'")

    kind = raw.get("kind", "text")
    if kind not in KINDS:
        problem("kind", f"unknown kind {kind!r} (one of: {', '.join(KINDS)})")

    prompt = raw.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        problem("prompt" if "prompt" in raw else None, "card has no prompt")

    answer = raw.get("answer")
    answers: tuple[str, ...] | None = None
    if answer is None or (isinstance(answer, str) and not answer.strip()) or answer == []:
        problem("answer" if "answer" in raw else None, "card has no answer")
    else:
        answers = _strings(answer)
        if answers is None:
            problem("answer", "answer must be a string or a list of strings")
        elif kind == "list" and isinstance(answer, str):
            answers = tuple(part.strip() for part in re.split(r"[;\n]", answer) if part.strip())
        elif kind != "list" and len(answers) != 1:
            problem("answer", f"a {kind} card takes one answer (use accept for alternatives)")
        if answers is not None and any(not a.strip() for a in answers):
            problem("answer", "answer has an empty item")

    accept = _strings(raw.get("accept", []))
    if accept is None:
        problem("accept", "accept must be a list of strings")
    options = _strings(raw.get("options", []))
    if options is None:
        problem("options", "options must be a list of strings")
    tags = _strings(raw.get("tags", []))
    if tags is None:
        problem("tags", "tags must be a list of strings")
    explanation = raw.get("explanation", "")
    if not isinstance(explanation, str):
        problem("explanation", "explanation must be a string")
    group = raw.get("group")
    if group is not None and (not isinstance(group, str) or not GROUP.match(group)):
        problem("group", f"group {group!r} must be 1-64 letters, digits, '.', ':', '_' or '-'")
    keywords = _strings(raw.get("keywords", []))
    if keywords is None:
        problem("keywords", "keywords must be a list of strings")
    elif keywords and kind != "text":
        problem("keywords", "keywords apply only to text cards")
    rubric = _strings(raw.get("rubric", []))
    if rubric is None:
        problem("rubric", "rubric must be a list of strings")
    elif rubric and kind != "recall":
        problem("rubric", "rubric applies only to recall cards (the points to self-rate against)")

    min_items = raw.get("min_items")
    if min_items is not None:
        if kind != "list":
            problem("min_items", "min_items applies only to list cards")
        elif not isinstance(min_items, int) or isinstance(min_items, bool) or min_items < 1:
            problem("min_items", "min_items must be a positive whole number")
        elif answers is not None and min_items > len(answers):
            problem("min_items", f"min_items {min_items} is more than the {len(answers)} items")

    if kind in ("list", "recall") and accept:
        reason = ("give each item in answer and use min_items" if kind == "list"
                  else "recall cards are self-rated")
        problem("accept", f"accept does not apply to {kind} cards ({reason})")

    if kind == "choice" and options is not None and answers is not None:
        if len(options) < 2:
            problem("options", "a choice card needs at least two options")
        elif answers[0] not in options:
            problem("answer", f"answer {answers[0]!r} is not among the options")
        if len(set(options)) != len(options):
            problem("options", "options repeat")
    elif kind != "choice" and options:
        problem("options", "options apply only to choice cards")

    for key in ("prompt", "answer", "explanation", "accept", "options", "keywords", "rubric"):
        value = raw.get(key)
        texts = _strings(value) or ()
        if any(len(t) > MAX_FIELD_CHARS for t in texts):
            problem(key, f"{key} is longer than {MAX_FIELD_CHARS:,} characters")
        count = len(answers or ()) if key == "answer" else len(texts)
        if count > MAX_ITEMS:
            problem(key, f"{key} has {count} entries; the limit is {MAX_ITEMS}")

    if len(problems) > before:
        return None
    assert answers is not None and accept is not None and options is not None and tags is not None
    assert isinstance(card_id, str) and isinstance(prompt, str)
    assert keywords is not None and rubric is not None
    clean = tuple(clean_text(a).strip() for a in answers)
    return Card(
        id=card_id,
        deck=deck,
        kind=kind,
        prompt=clean_text(prompt).strip(),
        answer=clean if kind == "list" else clean[0],
        accept=tuple(clean_text(a).strip() for a in accept),
        options=tuple(clean_text(o).strip() for o in options),
        min_items=min_items,
        explanation=clean_text(explanation).strip(),
        tags=tuple(clean_text(t).strip() for t in tags),
        line=start,
        group=group,
        keywords=tuple(clean_text(k).strip() for k in keywords),
        rubric=tuple(clean_text(r).strip() for r in rubric),
    )


def parse_card_table(where: str, line: int, raw: Any, deck: str, problems: list[Problem]) -> Card | None:
    """Validate one card given as a table (e.g. a CSV row), reporting its problems at `line`."""
    return _parse_card(where, [], line, line, raw, deck, problems)


def load_deck(path: Path) -> Deck:
    """Load one deck file; raise DeckFileError listing every problem."""
    return load_decks([path])[0]


def load_decks(paths: Iterable[Path]) -> list[Deck]:
    """Load deck files together; card ids and deck names must be unique across them."""
    problems: list[Problem] = []
    decks: list[Deck] = []
    for path in paths:
        text = read_text(path, problems)
        if text is None:
            continue
        deck = parse_deck(path, text, problems)
        if deck is not None:
            decks.append(deck)
    check_unique(decks, problems)
    if problems:
        raise DeckFileError(problems)
    return decks


def check_unique(decks: list[Deck], problems: list[Problem]) -> None:
    """Record a problem for a deck name or card id used twice across `decks`."""
    names: dict[str, str] = {}
    ids: dict[str, str] = {}
    for deck in decks:
        if deck.name in names:
            problems.append(Problem(deck.source, 1, f"deck name {deck.name!r} is also used by {names[deck.name]}"))
        names.setdefault(deck.name, deck.source)
        for card in deck.cards:
            if card.id in ids and ids[card.id] != deck.source:
                problems.append(Problem(deck.source, card.line, f"duplicate id {card.id!r} (also in {ids[card.id]})"))
            ids.setdefault(card.id, deck.source)
