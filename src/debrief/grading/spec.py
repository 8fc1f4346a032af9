"""The answer spec a card gives the grader, checked: kind, expected, accept, options, min_items,
keywords, and the optional context `prompt` and `others` (other cards' answers in the deck)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KINDS = ("text", "list", "number", "choice")
MAX_FIELD_CHARS = 2000
MAX_ITEMS = 100
MAX_OTHERS = 500


class SpecError(ValueError):
    """A grading spec that cannot be graded against (bad kind, missing expected answer ...)."""


@dataclass(frozen=True)
class Spec:
    """A checked grading spec."""

    kind: str
    expected: tuple[str, ...]  # one string, or the items of a list
    accept: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    min_items: int | None = None
    keywords: tuple[str, ...] = ()  # words an answer must contain (text cards)
    prompt: str = ""  # the card's prompt: its words pasted back are not an answer
    others: tuple[str, ...] = ()  # other cards' answers: naming one as well is not right

    @property
    def answer(self) -> str:
        """The expected answer as one line."""
        return ", ".join(self.expected)


def _strings(value: Any, name: str, limit: int = MAX_ITEMS) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise SpecError(f"'{name}' must be a string or a list of strings")
    if len(value) > limit:
        raise SpecError(f"'{name}' has more than {limit} entries")
    out = []
    for item in value:
        if not isinstance(item, str):
            raise SpecError(f"'{name}' must hold only strings")
        if item.strip():
            out.append(item[:MAX_FIELD_CHARS])
    return tuple(out)


def check_spec(spec: Any) -> Spec:
    """Validate a spec dict and return it as a `Spec`; raise `SpecError` saying what is wrong."""
    if not isinstance(spec, dict):
        raise SpecError("the spec must be a JSON object")
    kind = spec.get("kind") or "text"
    if not isinstance(kind, str) or kind not in KINDS:
        if kind == "recall":
            raise SpecError("recall cards are self-rated: there is nothing to grade")
        raise SpecError(f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
    if "expected" not in spec:
        raise SpecError("missing 'expected'")
    raw = spec["expected"]
    if kind == "list":
        if isinstance(raw, str):
            raw = [raw]
        expected = _strings(raw, "expected")
    else:
        if not isinstance(raw, str):
            raise SpecError(f"'expected' must be a string for a {kind} card")
        expected = _strings(raw, "expected")
    if not expected:
        raise SpecError("'expected' is empty")
    accept = _strings(spec.get("accept"), "accept")
    options: tuple[str, ...] = ()
    if kind == "choice":
        options = _strings(spec.get("options"), "options")
        if len(options) < 2:
            raise SpecError("a choice card needs at least two 'options'")
        if expected[0] not in options:
            folded = [o.strip().casefold() for o in options]
            if expected[0].strip().casefold() not in folded:
                raise SpecError("'expected' is not one of the 'options'")
    min_items = spec.get("min_items")
    if kind == "list" and min_items is not None:
        if isinstance(min_items, bool) or not isinstance(min_items, int):
            raise SpecError("'min_items' must be a whole number")
        if not 1 <= min_items <= len(expected):
            raise SpecError(f"'min_items' must be between 1 and {len(expected)}")
    else:
        min_items = None
    keywords = _strings(spec.get("keywords"), "keywords")
    prompt = spec.get("prompt") or ""
    if not isinstance(prompt, str):
        raise SpecError("'prompt' must be a string")
    raw_others = spec.get("others")
    if isinstance(raw_others, (list, tuple)):
        # A deck may hold more cards than a list may items: the first MAX_OTHERS answers are
        # plenty to catch a rival named beside the right answer.
        raw_others = list(raw_others)[:MAX_OTHERS]
    others = _strings(raw_others, "others", MAX_OTHERS)
    return Spec(kind, expected, accept, options, min_items, keywords,
                prompt[:MAX_FIELD_CHARS], others)
