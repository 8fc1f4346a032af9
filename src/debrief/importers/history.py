"""Review history crossing between debrief and Anki: the records the store hands over and takes in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from debrief.scheduling import CardState


@dataclass(frozen=True)
class LoggedReview:
    """One rated answer in debrief's review log, as the Anki export writes it (a revlog row)."""

    reviewed_at: datetime
    rating: int
    duration_ms: int
    state_before: str
    # The card's schedule before this answer (None when the answer changed no schedule).
    schedule_before: CardState | None
    # Set when the review was made in Anki and brought in by `debrief import`.
    anki_revlog_id: int | None = None


@dataclass(frozen=True)
class CardProgress:
    """A card's study progress as the Anki export carries it: schedule, flags and history."""

    state: CardState
    suspended: bool = False
    buried_until: datetime | None = None
    flag: int = 0
    reviews: tuple[LoggedReview, ...] = ()


@dataclass(frozen=True)
class AnkiReview:
    """A review made in Anki (one revlog row) of one of debrief's cards, to add to the log."""

    revlog_id: int
    card_key: str
    reviewed_at: datetime
    rating: int
    duration_ms: int


@dataclass(frozen=True)
class ReviewImport:
    """What adding Anki reviews to the log did."""

    added: int = 0
    # Already in the log: brought in by an earlier import (same revlog id).
    already: int = 0
    # debrief's own answers that went to Anki with an export and came back.
    own: int = 0
    # Cards whose schedule was recomputed from their whole history.
    cards: int = 0
