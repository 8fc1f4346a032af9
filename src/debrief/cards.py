"""Card and deck content as plain data: what a deck file says, before any scheduling."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class CardKind(StrEnum):
    """How a card is answered. Members equal the strings deck files and the store hold."""

    TEXT = "text"
    LIST = "list"
    NUMBER = "number"
    CHOICE = "choice"
    RECALL = "recall"

    @property
    def label(self) -> str:
        """The instruction shown above the answer box."""
        return KIND_LABELS[self]

    @property
    def is_graded(self) -> bool:
        """False for recall cards: the user rates them, the grader never sees them."""
        return self is not CardKind.RECALL


class ScheduleState(StrEnum):
    """A card's place in FSRS's cycle (stored as these strings in `schedules.state`)."""

    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


class VerdictKind(StrEnum):
    """The grader's four verdicts (stored as these strings in `reviews.verdict`)."""

    CORRECT = "correct"
    CLOSE = "close"
    PARTIAL = "partial"
    WRONG = "wrong"

    @property
    def is_right(self) -> bool:
        """True for the verdicts that count as a right answer: correct, and close (a typo)."""
        return self in _RIGHT


_RIGHT = frozenset({VerdictKind.CORRECT, VerdictKind.CLOSE})
VERDICTS: tuple[VerdictKind, ...] = tuple(VerdictKind)
RIGHT_VERDICTS: tuple[VerdictKind, ...] = tuple(v for v in VerdictKind if v.is_right)


def counts_as_right(verdict: str | None) -> bool:
    """True when a stored verdict string counts as right (None, a self-rated card: False)."""
    return verdict is not None and VerdictKind(verdict).is_right


KINDS: tuple[CardKind, ...] = tuple(CardKind)
KIND_LABELS: dict[str, str] = {
    CardKind.TEXT: "Type the answer",
    CardKind.LIST: "List the items (any order)",
    CardKind.NUMBER: "Give the figure",
    CardKind.CHOICE: "Choose one",
    CardKind.RECALL: "Recall, then rate yourself",
}
# A card's flag, as Anki numbers them (the export writes these numbers into Anki's `flags`).
FLAG_NAMES: dict[int, str] = {1: "red", 2: "orange", 3: "green", 4: "blue"}

# C0 and C1 control characters except tab and newline; also DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides, isolates and marks, and zero-width characters: they
# reorder or hide what the terminal shows (U+202E turns "txt.exe" around), and a cut string can
# leave an override open for everything after it. Stripped like control characters.
_INVISIBLE = re.compile("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# A whole ANSI escape sequence (CSI ... final byte, OSC ... BEL/ST), removed before the lone bytes.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def clean_text(text: str) -> str:
    """Return `text` with terminal escape sequences and control characters removed.

    Card text is data: it must never move the cursor, clear the screen or write the clipboard,
    nor reorder or hide what is shown around it.
    """
    return _INVISIBLE.sub("", _CONTROL.sub("", _ANSI.sub("", text)))


@dataclass(frozen=True)
class Card:
    """One card's content, as a deck file states it."""

    id: str
    deck: str
    kind: CardKind
    prompt: str
    answer: str | tuple[str, ...]
    accept: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    min_items: int | None = None
    explanation: str = ""
    tags: tuple[str, ...] = ()
    # Where the card starts in its deck file (1-based; 0 when it did not come from a file):
    # for error messages about the file.
    line: int = 0
    # The card's index in its deck (0-based, as the store keeps it): the order new cards come in.
    # Placement, not content: two cards that say the same thing are equal wherever they sit.
    position: int = field(default=0, compare=False)
    # Cards about the same fact share a group: once one is answered the rest wait until tomorrow.
    group: str | None = None
    # Words an answer must contain to show the idea (text cards with long answers).
    keywords: tuple[str, ...] = ()
    # Points a strong answer covers (recall cards): shown as a checklist to self-rate against.
    rubric: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Callers may pass the stored string; the card always holds the enum member.
        if not isinstance(self.kind, CardKind):
            object.__setattr__(self, "kind", CardKind(self.kind))

    @property
    def answer_text(self) -> str:
        """The expected answer as one line of text (list items joined by commas)."""
        if isinstance(self.answer, tuple):
            return ", ".join(self.answer)
        return self.answer

    def grading_spec(self) -> dict[str, Any] | None:
        """The answer spec in the grader's format; None for recall cards (self-rated)."""
        if self.kind is CardKind.RECALL:
            return None
        spec: dict[str, Any] = {
            "expected": list(self.answer) if isinstance(self.answer, tuple) else self.answer,
            "kind": self.kind,
            "accept": list(self.accept),
        }
        if self.kind is CardKind.CHOICE:
            spec["options"] = list(self.options)
        if self.kind is CardKind.LIST:
            spec["min_items"] = self.min_items
        if self.keywords:
            spec["keywords"] = list(self.keywords)
        return spec

    def to_json(self) -> dict[str, Any]:
        """The card as `debrief cards --json` emits it."""
        return {
            "id": self.id,
            "deck": self.deck,
            "kind": self.kind,
            "prompt": self.prompt,
            "answer": list(self.answer) if isinstance(self.answer, tuple) else self.answer,
            "spec": self.grading_spec(),
            "options": list(self.options),
            "tags": list(self.tags),
            "explanation": self.explanation,
            "group": self.group,
            "rubric": list(self.rubric),
        }


@dataclass(frozen=True)
class Deck:
    """A deck file's content: a name, a title and its cards."""

    name: str
    title: str
    description: str = ""
    cards: tuple[Card, ...] = field(default_factory=tuple)
    source: str = ""

    def __post_init__(self) -> None:
        # A card's position is its index here, whoever built the deck (file, CSV, a test).
        if any(card.position != i for i, card in enumerate(self.cards)):
            object.__setattr__(self, "cards", tuple(
                card if card.position == i else replace(card, position=i)
                for i, card in enumerate(self.cards)))
