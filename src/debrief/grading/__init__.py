"""Answer grading: decide whether a typed answer is right, close, partial or wrong.

`grade(spec, answer)` grades with the built-in vocabulary; `Grader(vocabulary)` also knows the
words of the loaded decks as real terms. Both return a `Verdict`. Only rapidfuzz is imported
here beyond the standard library; the English word list loads on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from debrief.grading.grader import Grader
    from debrief.grading.spec import SpecError
    from debrief.grading.verdict import Verdict

__all__ = ["Grader", "SpecError", "Verdict", "grade"]

# Loaded on first use (PEP 562): importing `debrief.grading.verdict` (its symbols and words,
# which the screens show) then costs no rapidfuzz and no grader before the first card is shown.
_LAZY = {"Grader": "debrief.grading.grader", "SpecError": "debrief.grading.spec",
         "Verdict": "debrief.grading.verdict"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_DEFAULT: Grader | None = None


def grade(spec: dict[str, Any], answer: str) -> Verdict:
    """Grade `answer` against `spec` (a card's grading spec) with the default vocabulary.

    Raises `SpecError` only for a malformed spec; any answer gets a verdict.
    """
    global _DEFAULT
    if _DEFAULT is None:
        from debrief.grading.grader import Grader

        _DEFAULT = Grader()
    return _DEFAULT.grade(spec, answer)
