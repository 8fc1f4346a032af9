"""FSRS scheduling: card state, the four possible outcomes of an answer, and the suggested rating."""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import IntEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from debrief.cards import ScheduleState, VerdictKind
from debrief.clock import require_aware, study_day
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


# Anki's fuzz (rslib scheduler/states/fuzz.rs, the same table as py-fsrs's FUZZ_RANGES): an
# interval of `d` days may move by 1 day plus 15% of the days from 2.5 to 7, 10% from 7 to 20 and
# 5% beyond, so cards learned together spread out instead of coming back together.
_FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, float("inf"), 0.05))


@lru_cache(maxsize=8192)
def _study_day(moment: datetime, rollover: int, zone: tuple[str, str]) -> date:
    # The interview projection asks for the same few instants many thousand times; the local
    # zone is part of the key because tests (and DST) change it within one process.
    return study_day(moment, rollover)


def fuzz_draw(seed: str) -> float:
    """The fuzz factor in [0, 1) for one answer (a function of its own so tests can pin it)."""
    return random.Random(seed).random()


def fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    """The whole days a review interval of `interval` days may be fuzzed to, within
    [`minimum`, `maximum`] (Anki's `constrained_fuzz_bounds`)."""
    minimum = min(minimum, maximum)
    interval = min(max(interval, float(minimum)), float(maximum))
    if interval < 2.5:
        lower = upper = round(interval)
    else:
        delta = 1.0 + sum(factor * max(min(interval, end) - begin, 0.0)
                          for begin, end, factor in _FUZZ_RANGES)
        lower, upper = max(2, round(interval - delta)), round(interval + delta)
    lower = min(max(lower, minimum), maximum)
    upper = min(max(upper, minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


class Scheduler:
    """FSRS over `CardState`, configured by `Settings`. Time is always a parameter.

    Two rules differ from py-fsrs used alone, both as Anki does them:
    - Elapsed time is counted in study days (the `day_starts_at` rollover, local time), not in
      whole 24-hour periods: a card answered yesterday evening and again this morning is one
      day old, not a same-day review.
    - Review intervals (whole days) are strictly ordered: Again < Hard < Good < Easy, after fuzz.
      All four buttons share one fuzz factor. Where two buttons land on the same day, Good keeps
      the interval FSRS gives it for the desired retention: the buttons below it come a day
      earlier and Easy a day later; Good moves only when the ones below cannot fit under it (a
      1-day Good: then Hard, with no day left under Good, is the first relearning step and the
      card comes back the same day, where relearning steps are set; without them Good goes to 2
      days). Anki instead pushes Good a day above Hard (`passing_fsrs_review_intervals`),
      which lengthens the most common answer's interval wherever Hard and Good round to the
      same day: measured on a simulated learner with its true parameters, that alone held
      realised retention 1.2 points under the desired 0.90 (benchmarks/scheduling.py).
    """

    def __init__(self, settings: Settings | None = None):
        import fsrs

        self.settings = settings or Settings()
        kwargs: dict[str, Any] = {
            "desired_retention": self.settings.desired_retention,
            "learning_steps": self.settings.learning_steps,
            "relearning_steps": self.settings.relearning_steps,
            "maximum_interval": self.settings.maximum_interval,
            # Fuzz is applied here, once for all four buttons, so they stay in order.
            "enable_fuzzing": False,
        }
        if self.settings.parameters:
            kwargs["parameters"] = self.settings.parameters
        self._fsrs = fsrs
        self._scheduler = fsrs.Scheduler(**kwargs)

    @property
    def parameters(self) -> tuple[float, ...]:
        """The FSRS parameters in use (the configured ones, or FSRS's defaults)."""
        return tuple(float(p) for p in self._scheduler.parameters)

    def elapsed_days(self, since: datetime, at: datetime) -> int:
        """Study days from `since` to `at`: how many day rollovers lie between them (never < 0)."""
        rollover, zone = self.settings.day_starts_at, time.tzname
        return max(0, (_study_day(at, rollover, zone) - _study_day(since, rollover, zone)).days)

    def _to_fsrs(self, state: CardState, now: datetime) -> fsrs.Card:
        fsrs = self._fsrs
        # card_id=1 on purpose: without a card_id, py-fsrs makes a unique one by sleeping 1 ms
        # per Card (0.8 µs with it). Each answer builds four and the plan's projection
        # thousands; the id is never read here, so a constant is right. Do not "clean it up".
        if state.is_new or state.stability is None or state.difficulty is None:
            # A card without a memory state (new, or stored as learning without one) starts fresh.
            return fsrs.Card(card_id=1, state=fsrs.State.Learning, step=0, due=now)
        last = state.last_review
        if last is not None:
            # py-fsrs counts `(now - last_review).days`; hand it a last review exactly the
            # elapsed study days back, so both its same-day test and its recall use study days.
            last = now - timedelta(days=self.elapsed_days(last, now))
        step = state.step
        if state.state in ("learning", "relearning") and step is None:
            step = 0
        return fsrs.Card(
            card_id=1,
            state=fsrs.State(_FSRS_STATE[state.state]),
            step=step,
            stability=state.stability,
            difficulty=state.difficulty,
            due=state.due or now,
            last_review=last,
        )

    def _review_unfuzzed(self, card: fsrs.Card, state: CardState, rating: Rating,
                         now: datetime) -> CardState:
        after, _log = self._scheduler.review_card(card, self._fsrs.Rating(int(rating)), now)
        lapse = state.state is ScheduleState.REVIEW and rating == Rating.AGAIN
        return CardState(
            state=_STATE_NAME[int(after.state)],
            step=after.step,
            stability=after.stability,
            difficulty=after.difficulty,
            due=after.due,
            last_review=now,
            reps=state.reps + 1,
            lapses=state.lapses + (1 if lapse else 0),
        )

    def _fuzz_factor(self, state: CardState, now: datetime) -> float | None:
        if not self.settings.enable_fuzzing:
            return None
        # Seeded by the card's state and the answer's instant (Anki seeds by card id and reps):
        # the buttons shown and the answer saved agree, while cards answered together spread out.
        seed = f"{now.isoformat()}|{state.last_review}|{state.reps}|{state.stability}|{state.due}"
        return fuzz_draw(seed)

    def _needed(self, state: CardState, top: Rating) -> list[Rating]:
        # The buttons whose outcomes decide `top`'s interval: Good's (the anchor) and, for the
        # floor under it, every button below `top` that can be a day interval. Again is one only
        # without (re)learning steps (otherwise it is a step in minutes); Hard always is computed
        # (a cheap test for it missed cases the property test found).
        if state.state in ("review", "relearning") and state.stability is not None:
            again_in_days = not self.settings.relearning_steps
        else:
            again_in_days = not self.settings.learning_steps
        if top == Rating.AGAIN and not again_in_days:
            return [Rating.AGAIN]  # a step: no other button moves it
        highest = max(top, Rating.GOOD)
        return [r for r in Rating if r <= highest and (r != Rating.AGAIN or again_in_days)]

    def _ladder(self, state: CardState, now: datetime, ratings: list[Rating]) -> dict[Rating, Outcome]:
        # The outcomes of `ratings`, their day intervals fuzzed with one factor and ordered
        # around Good (see the class docstring).
        now = require_aware(now)
        card = self._to_fsrs(state, now)
        factor = self._fuzz_factor(state, now)
        maximum = self.settings.maximum_interval
        states: dict[Rating, CardState] = {}
        days: dict[Rating, int] = {}
        for rating in ratings:
            after = self._review_unfuzzed(card, state, rating, now)
            assert after.due is not None
            states[rating] = after
            if after.state == "review":
                exact = (after.due - now) / timedelta(days=1)
                lower, upper = fuzz_bounds(exact, 1, maximum)
                if factor is None:
                    days[rating] = min(max(round(exact), 1), maximum)
                else:
                    days[rating] = min(int(lower + factor * (upper - lower + 1)), upper)
        steps = self.settings.relearning_steps
        if Rating.HARD in days and days.get(Rating.GOOD) == 1 and steps:
            # Good's 1 day leaves no day under it for Hard: Hard becomes the first relearning
            # step (the card comes back today) rather than Good being pushed to 2 days.
            del days[Rating.HARD]
            states[Rating.HARD] = replace(states[Rating.HARD], state=ScheduleState.RELEARNING,
                                          step=0, due=now + steps[0])
        for rating, whole in ordered_days(days, maximum).items():
            states[rating] = replace(states[rating], due=now + timedelta(days=whole))
        result = {}
        for rating, after in states.items():
            assert after.due is not None
            result[rating] = Outcome(rating, after, after.due - now)
        return result

    def review(self, state: CardState, rating: Rating, now: datetime) -> CardState:
        """The card's state after answering it with `rating` at `now` (as `outcomes` shows it)."""
        rating = Rating(int(rating))
        return self._ladder(state, now, self._needed(state, rating))[rating].state

    def outcomes(self, state: CardState, now: datetime) -> dict[Rating, Outcome]:
        """All four outcomes of answering now, as Anki's buttons show them (ordered, see class)."""
        return self._ladder(state, now, list(Rating))

    def retrievability(self, state: CardState, at: datetime) -> float:
        """Predicted probability of recall at `at` (0 for a card never studied)."""
        if state.is_new or state.stability is None or state.difficulty is None:
            return 0.0
        at = require_aware(at)
        card = self._to_fsrs(state, at)
        return float(self._scheduler.get_card_retrievability(card, at))


def ordered_days(days: Mapping[Rating, int], maximum: int = 36500) -> dict[Rating, int]:
    """Whole-day intervals by button made strictly increasing (Again < Hard < Good < Easy), each
    at least 1, with Good moved as little as possible: the buttons below Good are brought down
    to fit under it, those above pushed up; Good itself goes up only when the ones below cannot
    fit under it (Good at 1 day with Hard in days). At `maximum`, ties are left (nothing fits)."""
    target = dict(days)
    ratings = sorted(target)
    below = [r for r in ratings if r < Rating.GOOD]
    if Rating.GOOD in target:
        ceiling = target[Rating.GOOD]
        for rating in reversed(below):
            target[rating] = min(target[rating], ceiling - 1)
            ceiling = target[rating]
    floor = 1
    for rating in ratings:
        target[rating] = min(max(target[rating], floor), max(maximum, 1))
        floor = target[rating] + 1
    return target


def order_day_outcomes(outcomes: Mapping[Rating, Outcome], now: datetime,
                       rollover: int) -> dict[Rating, Outcome]:
    """`outcomes` with their day-scale due dates strictly ordered by study day: Again < Hard <
    Good < Easy among the outcomes that are review intervals.

    Used after something other than FSRS moved due dates (the interview planner): a lower button
    is first brought earlier (never later) to stay below the one above it; only when that would
    put it on today is a higher one moved a day later instead.
    """
    today = study_day(now, rollover)
    days: dict[Rating, int] = {}
    for rating, outcome in outcomes.items():
        if outcome.state.state == "review" and outcome.state.due is not None:
            days[rating] = max(1, (study_day(outcome.state.due, rollover) - today).days)
    ratings = sorted(days)
    target = dict(days)
    for lower, upper in zip(reversed(ratings[:-1]), reversed(ratings[1:]), strict=True):
        target[lower] = min(target[lower], target[upper] - 1)
    floor = 1
    for rating in ratings:
        target[rating] = max(target[rating], floor)
        floor = target[rating] + 1
    result = dict(outcomes)
    for rating in ratings:
        if target[rating] == days[rating]:
            continue
        due = now + timedelta(days=target[rating])
        state = replace(outcomes[rating].state, due=due)
        result[rating] = Outcome(rating, state, due - now)
    return result


def with_due(state: CardState, due: datetime) -> CardState:
    """A copy of `state` due at `due` (used to bring a card forward)."""
    return replace(state, due=due)


def suggest_rating(verdict: str | None, seconds: float, typed_chars: int = 0, options: int = 0) -> Rating:
    """Turn a graded answer into a suggested rating; the user can always override it.

    wrong/partial -> Again; close (a typo) -> Hard; right -> Good, or Easy when the answer came
    quickly once typing time is discounted (about 4 characters a second), or Hard when very slow.
    A fast right answer among two options is Good, never Easy: a coin toss is not mastery.
    None (a self-rated recall card) suggests Good.
    """
    return suggestion(verdict, seconds, typed_chars, options)[0]


def suggestion(verdict: str | None, seconds: float, typed_chars: int = 0,
               options: int = 0) -> tuple[Rating, str]:
    """The suggested rating and, when it is not Good, why in a word ("slow: 27 s", "fast")."""
    if verdict is None:
        return Rating.GOOD, ""
    kind = VerdictKind(verdict)
    if kind is VerdictKind.WRONG:
        return Rating.AGAIN, "wrong"
    if kind is VerdictKind.PARTIAL:
        return Rating.AGAIN, "partly right"
    if kind is VerdictKind.CLOSE:
        return Rating.HARD, "close, not exact"
    thinking = max(0.0, seconds - typed_chars / 4.0)
    if thinking <= 4.0:
        if 0 < options <= 2:
            return Rating.GOOD, ""
        return Rating.EASY, "fast"
    if thinking >= 25.0:
        return Rating.HARD, f"slow: {round(seconds)} s"
    return Rating.GOOD, ""


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
