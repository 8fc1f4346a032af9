"""The grader's result: a verdict, a score, feedback and a diff."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The enum lives with the other domain values, so the store and the scheduler can name verdicts
# without importing the grader (and rapidfuzz).
from debrief.cards import RIGHT_VERDICTS, VERDICTS, VerdictKind, counts_as_right

__all__ = ["RIGHT_VERDICTS", "VERDICTS", "Verdict", "VerdictKind", "counts_as_right"]


@dataclass(frozen=True)
class Verdict:
    """How one typed answer was graded.

    `verdict` is one of "correct", "close", "partial", "wrong"; `score` is in 0..1;
    `feedback` is a short human-readable explanation; `diff` holds (op, text) segments of the
    typed answer against `matched`, the expected or accepted answer it was compared with.
    """

    verdict: str  # a VerdictKind: a plain string given here is turned into the member
    score: float
    feedback: str = ""
    diff: tuple[tuple[str, str], ...] = ()
    matched: str | None = None
    missing: tuple[str, ...] = field(default=())
    extra: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "verdict", VerdictKind(self.verdict))

    @property
    def kind(self) -> VerdictKind:
        """The verdict as its enum member."""
        return VerdictKind(self.verdict)

    @property
    def is_right(self) -> bool:
        """True when the answer counts as right ("correct" or "close")."""
        return self.kind.is_right

    def to_json(self) -> dict[str, Any]:
        """The verdict as a JSON-ready dict (`debrief grade` writes one per line)."""
        out: dict[str, Any] = {
            "verdict": self.verdict,
            "score": round(self.score, 4),
            "feedback": self.feedback,
            "right": self.is_right,
            "matched": self.matched,
            "diff": [list(seg) for seg in self.diff],
        }
        if self.missing:
            out["missing"] = list(self.missing)
        if self.extra:
            out["extra"] = list(self.extra)
        return out


def marked_right(verdict: Verdict | None) -> Verdict:
    """The verdict of an answer the user marked right ("I was right"): correct from now on."""
    matched = verdict.matched if verdict is not None else None
    return Verdict("correct", 1.0, "Marked right by you: this answer will pass next time.",
                   matched=matched)


# How every face names a verdict: in words and a symbol, never by colour alone.
SYMBOL = {"correct": "✓", "close": "≈", "partial": "◐", "wrong": "✗"}
WORD = {"correct": "Correct", "close": "Correct (close)", "partial": "Partly right", "wrong": "Wrong"}
