"""Plain records the store hands to the core: a card with its schedule, a review, a deck summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from debrief.cards import Card
from debrief.scheduling import CardState

ANSWER_CAP_MS = 60_000  # an answer counts at most this long in average answer times (as Anki)


@dataclass(frozen=True)
class CardRecord:
    """A stored card: its content, its scheduling state and its flags."""

    pk: int
    card: Card
    state: CardState
    suspended: bool = False
    buried_until: datetime | None = None
    retired: bool = False
    leech: bool = False  # failed `leech_lapses` times (Anki's `leech` tag)
    flag: int = 0  # 0 none, 1-4 Anki's flag colours (red, orange, green, blue)


@dataclass(frozen=True)
class SavedAnswer:
    """What saving one answer did: its log entry, the card's new state, and its side effects."""

    review_id: int
    state: CardState
    leech: str | None = None  # the leech action taken ("suspend", "flag", "tag"), if it became one
    buried: tuple[int, ...] = ()  # the siblings buried until tomorrow


@dataclass(frozen=True)
class ReviewRecord:
    """One logged answer."""

    id: int
    card_pk: int
    reviewed_at: datetime
    mode: str
    rating: int | None
    answer: str | None
    verdict: str | None
    score: float | None
    duration_ms: int
    state_before: str


@dataclass(frozen=True)
class DeckSummary:
    """A deck with its card counts for today."""

    name: str
    title: str
    cards: int
    new: int
    due: int
    learning: int
    suspended: int


@dataclass(frozen=True)
class SyncReport:
    """What syncing deck files into the store changed."""

    added: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0
    decks: int = 0

    def __str__(self) -> str:
        return (f"{self.added} added, {self.updated} updated, {self.retired} retired, "
                f"{self.unchanged} unchanged")


@dataclass(frozen=True)
class QuizRecord:
    """One logged quiz: when, how it was set up (including its questions), and its score."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    settings: dict
    score: int
    total: int
    seconds: float


@dataclass(frozen=True)
class QuizAnswer:
    """One logged quiz answer with its card's deck."""

    quiz_id: int
    card_pk: int
    deck: str
    answer: str | None
    verdict: str | None
    duration_ms: int


@dataclass(frozen=True)
class StatsFigures:
    """What the stats report reads from the store, in one read transaction.

    Day-indexed figures are keyed by the index of a study day from `first_day` (`per_day`) or
    from today (`due`; -1 is the backlog, everything due before today).
    """

    first_day: date  # the first study day counted: the heatmap's, or the first review's if earlier
    per_day: dict[int, int]  # review-mode answers per study day from `first_day` to today
    reviews_total: int
    cards_total: int
    due: dict[int, int]
    recent: dict[str, Any]  # retention per window ({"retention", "seconds", "answers"})
    decks: list[dict[str, Any]]
    hardest: list[dict[str, Any]]
