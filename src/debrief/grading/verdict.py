"""The grader's result: a verdict, a score, feedback and a diff."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

VERDICTS = ("correct", "close", "partial", "wrong")


@dataclass(frozen=True)
class Verdict:
    """How one typed answer was graded.

    `verdict` is one of "correct", "close", "partial", "wrong"; `score` is in 0..1;
    `feedback` is a short human-readable explanation; `diff` holds (op, text) segments of the
    typed answer against `matched`, the expected or accepted answer it was compared with.
    """

    verdict: str
    score: float
    feedback: str = ""
    diff: tuple[tuple[str, str], ...] = ()
    matched: str | None = None
    missing: tuple[str, ...] = field(default=())
    extra: tuple[str, ...] = field(default=())

    @property
    def is_right(self) -> bool:
        """True when the answer counts as right ("correct" or "close")."""
        return self.verdict in ("correct", "close")

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
