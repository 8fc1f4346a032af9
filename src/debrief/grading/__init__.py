"""Answer grading: decide whether a typed answer is right, close, partial or wrong.

`grade(spec, answer)` grades with the built-in vocabulary; `Grader(vocabulary)` also knows the
words of the loaded decks as real terms. Both return a `Verdict`. Only rapidfuzz is imported
here beyond the standard library; the English word list loads on first use.
"""

from __future__ import annotations

from typing import Any

from debrief.grading.grader import Grader
from debrief.grading.spec import SpecError
from debrief.grading.verdict import Verdict

__all__ = ["Grader", "SpecError", "Verdict", "grade"]

_DEFAULT: Grader | None = None


def grade(spec: dict[str, Any], answer: str) -> Verdict:
    """Grade `answer` against `spec` (a card's grading spec) with the default vocabulary.

    Raises `SpecError` only for a malformed spec; any answer gets a verdict.
    """
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Grader()
    return _DEFAULT.grade(spec, answer)
