"""Card and deck content as plain data: what a deck file says, before any scheduling."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

KINDS = ("text", "list", "number", "choice", "recall")
KIND_LABELS = {
    "text": "Type the answer",
    "list": "List the items (any order)",
    "number": "Give the figure",
    "choice": "Choose one",
    "recall": "Recall, then rate yourself",
}

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
    kind: str
    prompt: str
    answer: str | tuple[str, ...]
    accept: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    min_items: int | None = None
    explanation: str = ""
    tags: tuple[str, ...] = ()
    line: int = 0
    # Cards about the same fact share a group: once one is answered the rest wait until tomorrow.
    group: str | None = None
    # Words an answer must contain to show the idea (text cards with long answers).
    keywords: tuple[str, ...] = ()
    # Points a strong answer covers (recall cards): shown as a checklist to self-rate against.
    rubric: tuple[str, ...] = ()

    @property
    def answer_text(self) -> str:
        """The expected answer as one line of text (list items joined by commas)."""
        if isinstance(self.answer, tuple):
            return ", ".join(self.answer)
        return self.answer

    def grading_spec(self) -> dict[str, Any] | None:
        """The answer spec in the grader's format; None for recall cards (self-rated)."""
        if self.kind == "recall":
            return None
        spec: dict[str, Any] = {
            "expected": list(self.answer) if isinstance(self.answer, tuple) else self.answer,
            "kind": self.kind,
            "accept": list(self.accept),
        }
        if self.kind == "choice":
            spec["options"] = list(self.options)
        if self.kind == "list":
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
