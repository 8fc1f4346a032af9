"""Answer grading: decide whether a typed answer is right, close, partial or wrong."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from debrief.grading.verdict import Verdict

__all__ = ["Grader", "Verdict", "grade"]


class Grader:
    """Grades typed answers; `vocabulary` adds domain words that count as real terms."""

    def __init__(self, vocabulary: Iterable[str] = ()) -> None:
        self.vocabulary = tuple(vocabulary)

    def grade(self, spec: dict[str, Any], answer: str) -> Verdict:
        """Grade `answer` against `spec` (a card's grading spec)."""
        expected = spec.get("expected")
        accepted = [expected] if isinstance(expected, str) else list(expected or [])
        accepted += list(spec.get("accept") or [])
        typed = " ".join(str(answer).lower().split())
        for cand in accepted:
            if isinstance(cand, str) and typed == " ".join(cand.lower().split()):
                return Verdict("correct", 1.0, "Correct.", matched=cand)
        return Verdict("wrong", 0.0, "Wrong.", matched=accepted[0] if accepted else None)


_DEFAULT: Grader | None = None


def grade(spec: dict[str, Any], answer: str) -> Verdict:
    """Grade `answer` against `spec` with the default vocabulary."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Grader()
    return _DEFAULT.grade(spec, answer)
