"""FSRS scheduling: card state, the four possible outcomes of an answer, and the suggested rating."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from debrief.cards import ScheduleState, VerdictKind
from debrief.clock import require_aware
from debrief.config import Settings

if TYPE_CHECKING:
    import fsrs


class Rating(IntEnum):
    """Anki's four answer buttons."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


STATES: tuple[ScheduleState, ...] = tuple(ScheduleState)
_FSRS_STATE = {ScheduleState.LEARNING: 1, ScheduleState.REVIEW: 2, ScheduleState.RELEARNING: 3}
_STATE_NAME = {1: ScheduleState.LEARNING, 2: ScheduleState.REVIEW, 3: ScheduleState.RELEARNING}


@dataclass(frozen=True)
class CardState:
    """A card's scheduling state (what the deck file cannot hold)."""

    state: ScheduleState = ScheduleState.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    def __post_init__(self) -> None:
        # The store and JSON hand over the stored string; the state always holds the member.
        if not isinstance(self.state, ScheduleState):
            object.__setattr__(self, "state", ScheduleState(self.state))

    @property
    def is_new(self) -> bool:
        return self.state is ScheduleState.NEW

    def to_json(self) -> dict[str, object]:
        return {
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due.isoformat() if self.due else None,
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CardState:
        def when(value: object) -> datetime | None:
            return datetime.fromisoformat(str(value)) if value else None

        return cls(
            state=ScheduleState(str(data["state"])),
            step=data.get("step"),
            stability=data.get("stability"),
            difficulty=data.get("difficulty"),
            due=when(data.get("due")),
            last_review=when(data.get("last_review")),
            reps=int(data.get("reps", 0)),
            lapses=int(data.get("lapses", 0)),
        )


@dataclass(frozen=True)
class Outcome:
    """What one rating would do to a card: its new state and the interval until it is due."""

    rating: Rating
    state: CardState
    interval: timedelta


class Scheduler:
    """FSRS over `CardState`, configured by `Settings`. Time is always a parameter."""

    def __init__(self, settings: Settings | None = None):
        import fsrs

        self.settings = settings or Settings()
        kwargs: dict[str, Any] = {
            "desired_retention": self.settings.desired_retention,
            "learning_steps": self.settings.learning_steps,
            "relearning_steps": self.settings.relearning_steps,
            "maximum_interval": self.settings.maximum_interval,
            "enable_fuzzing": self.settings.enable_fuzzing,
        }
        if self.settings.parameters:
            kwargs["parameters"] = self.settings.parameters
        self._fsrs = fsrs
        self._scheduler = fsrs.Scheduler(**kwargs)

    def _to_fsrs(self, state: CardState, now: datetime) -> fsrs.Card:
        fsrs = self._fsrs
        # card_id=1 on purpose: without a card_id, py-fsrs makes a unique one by sleeping 1 ms
        # per Card (0.8 µs with it). Each answer builds four and the plan's projection
        # thousands; the id is never read here, so a constant is right. Do not "clean it up".
        if state.is_new:
            return fsrs.Card(card_id=1, state=fsrs.State.Learning, step=0, due=now)
        return fsrs.Card(
            card_id=1,
            state=fsrs.State(_FSRS_STATE[state.state]),
            step=state.step,
            stability=state.stability,
            difficulty=state.difficulty,
            due=state.due or now,
            last_review=state.last_review,
        )

    def review(self, state: CardState, rating: Rating, now: datetime) -> CardState:
        """The card's state after answering it with `rating` at `now`."""
        now = require_aware(now)
        card, _log = self._scheduler.review_card(self._to_fsrs(state, now), self._fsrs.Rating(int(rating)), now)
        lapse = state.state is ScheduleState.REVIEW and rating == Rating.AGAIN
        return CardState(
            state=_STATE_NAME[int(card.state)],
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=now,
            reps=state.reps + 1,
            lapses=state.lapses + (1 if lapse else 0),
        )

    def outcomes(self, state: CardState, now: datetime) -> dict[Rating, Outcome]:
        """All four outcomes of answering now, as Anki's buttons show them."""
        result = {}
        for rating in Rating:
            after = self.review(state, rating, now)
            assert after.due is not None
            result[rating] = Outcome(rating, after, after.due - now)
        return result

    def retrievability(self, state: CardState, at: datetime) -> float:
        """Predicted probability of recall at `at` (0 for a card never studied)."""
        if state.is_new or state.stability is None:
            return 0.0
        card = self._to_fsrs(state, require_aware(at))
        return float(self._scheduler.get_card_retrievability(card, require_aware(at)))


def with_due(state: CardState, due: datetime) -> CardState:
    """A copy of `state` due at `due` (used to bring a card forward)."""
    return replace(state, due=due)


def suggest_rating(verdict: str | None, seconds: float, typed_chars: int = 0) -> Rating:
    """Turn a graded answer into a suggested rating; the user can always override it.

    wrong/partial -> Again; close (a typo) -> Hard; right -> Good, or Easy when the answer came
    quickly once typing time is discounted (about 4 characters a second), or Hard when very slow.
    None (a self-rated recall card) suggests Good.
    """
    if verdict is None:
        return Rating.GOOD
    kind = VerdictKind(verdict)
    if not kind.is_right:
        return Rating.AGAIN
    if kind is VerdictKind.CLOSE:
        return Rating.HARD
    thinking = max(0.0, seconds - typed_chars / 4.0)
    if thinking <= 4.0:
        return Rating.EASY
    if thinking >= 25.0:
        return Rating.HARD
    return Rating.GOOD


def format_interval(interval: timedelta) -> str:
    """A short human interval like Anki's buttons: `<1m`, `10m`, `3h`, `4d`, `2.1mo`, `1.5y`."""
    seconds = interval.total_seconds()
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
