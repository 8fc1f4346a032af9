"""The store's contract as the core sees it: small Protocols by role, no SQLAlchemy.

The core (sessions, quiz, stats, plan) depends on these; `debrief.store.Store` is the one
implementation and the type checker holds it to them. As Anki's collection composes managers
(decks, sched, tags, conf), the contract is split by role: deck content, the review queue, the
review log, quizzes, and meta/lifecycle. `Store` is all of them together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from debrief.cards import Deck
from debrief.records import (
    CardRecord,
    DeckSummary,
    QuizAnswer,
    QuizRecord,
    ReviewRecord,
    StatsFigures,
    SyncReport,
)
from debrief.scheduling import CardState

Progress = Callable[[int, int], None]  # (cards done, cards in all)
ComputeState = Callable[[CardState], CardState]  # the card's state now -> its state after


class DeckStore(Protocol):
    """Deck and card content: syncing deck files in, reading cards back, suspending, burying."""

    def sync_decks(self, decks: Sequence[Deck], now: datetime, source: str | None = None,
                   progress: Progress | None = None) -> SyncReport: ...
    def deck_ids(self, names: Iterable[str] | None) -> list[int] | None: ...
    def card_owners(self, keys: Sequence[str]) -> dict[str, str]: ...
    def decks(self) -> list[tuple[str, str]]: ...
    def deck_descriptions(self) -> dict[str, str]: ...
    def deck_summaries(self, now: datetime, day_end: datetime) -> list[DeckSummary]: ...
    def cards(self, deck_ids: list[int] | None = None,
              include_retired: bool = False) -> list[CardRecord]: ...
    def card_texts(self) -> Iterator[str]: ...
    def card(self, pk: int) -> CardRecord: ...
    def set_suspended(self, card_pk: int, suspended: bool) -> None: ...
    def bury(self, card_pk: int, until: datetime | None) -> None: ...


class QueueStore(Protocol):
    """The review queue: what is due, today's counts, and saving (or undoing) an answer."""

    def next_cards(self, now: datetime, day_end: datetime, deck_ids: list[int] | None,
                   kind: str, limit: int = 1, exclude: Sequence[int] = ()) -> list[CardRecord]: ...
    def queue_counts(self, now: datetime, day_end: datetime, deck_ids: list[int] | None,
                     caps: Mapping[str, int] | None = None) -> dict[str, int]: ...
    def studied_today(self, day_start: datetime,
                      deck_ids: list[int] | None = None) -> dict[str, int]: ...
    def next_due(self, now: datetime, deck_ids: list[int] | None = None) -> datetime | None: ...
    def record_review(self, card_pk: int, now: datetime, compute: ComputeState | None, *,
                      mode: str = "review", rating: int | None, answer: str | None,
                      verdict: str | None, score: float | None, duration_ms: int,
                      quiz_id: int | None = None) -> tuple[int, CardState]: ...
    def undo_review(self, review_id: int) -> int: ...
    def reschedule(self, card_pk: int, state: CardState) -> None: ...


class LogStore(Protocol):
    """The review log and the figures read from it."""

    def reviews_per_day(self, ranges: Sequence[tuple[int, datetime, datetime]],
                        mode: str = "review") -> dict[int, int]: ...
    def history(self, card_pk: int) -> list[ReviewRecord]: ...
    def reviews_since(self, since: datetime | None = None,
                      mode: str | None = None) -> list[ReviewRecord]: ...
    def totals(self) -> dict[str, int]: ...
    def stats_figures(self, today: date, first_shown: date, rollover: int, forecast_days: int,
                      windows: dict[str, datetime], mature_days: int,
                      hardest: int) -> StatsFigures: ...


class QuizStore(Protocol):
    """Logged quizzes and their answers."""

    def start_quiz(self, now: datetime, settings: dict[str, Any]) -> int: ...
    def finish_quiz(self, quiz_id: int, now: datetime, score: int, total: int,
                    seconds: float) -> None: ...
    def quizzes(self, finished: bool = True) -> list[QuizRecord]: ...
    def quiz_deck_counts(self,
                         right_verdicts: Sequence[str]) -> dict[int, dict[str, tuple[int, int]]]: ...
    def quiz_answers(self, quiz_ids: Sequence[int] | None = None) -> list[QuizAnswer]: ...


class MetaStore(Protocol):
    """Small settings kept with the data (interview date, theme), and the store's lifecycle."""

    url: str

    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str | None) -> None: ...
    def close(self) -> None: ...


class Store(DeckStore, QueueStore, LogStore, QuizStore, MetaStore, Protocol):
    """Everything the core asks of the database."""
