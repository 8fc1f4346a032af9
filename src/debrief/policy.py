"""The answer policy: what a rating does to a card's schedule (FSRS, then the interview planner),
and the daily allowance (how many new cards and reviews today's limits still let through).

Review, `quiz --reschedule` and the plan's projection schedule answers with `schedule_answer`, so
an answer lands on the same due date whichever of them records it; review and stats count what
is left today with `daily_allowance`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from debrief.scheduling import CardState, Outcome, Rating, Scheduler

if TYPE_CHECKING:
    from debrief.plan import Planner
    from debrief.storage import QueueStore


def schedule_answer(scheduler: Scheduler, planner: Planner, state: CardState, rating: Rating,
                    now: datetime) -> CardState:
    """The card's next state after answering it with `rating` at `now`: FSRS decides, then the
    interview planner may bring the due date forward (a no-op without an interview date)."""
    return planner.bring_forward(scheduler.review(state, rating, now), now)


def answer_outcomes(scheduler: Scheduler, planner: Planner, state: CardState,
                    now: datetime) -> tuple[dict[Rating, Outcome], dict[Rating, Outcome]]:
    """The four buttons' outcomes as `schedule_answer` would save them, and FSRS's alone.

    Returns `(planned, natural)`: `planned[r].state == schedule_answer(..., r, now)` for every
    rating `r`; `natural` is what FSRS would do without the interview planner.
    """
    natural = scheduler.outcomes(state, now)
    planned: dict[Rating, Outcome] = {}
    for rating, outcome in natural.items():
        after = planner.bring_forward(outcome.state, now)
        interval = after.due - now if after.due is not None else outcome.interval
        planned[rating] = Outcome(rating, after, interval)
    return planned, natural


@dataclass(frozen=True)
class Allowance:
    """What today's limits still allow: new cards and reviews left, and answers given today."""

    new: int
    review: int
    answered: int


def daily_allowance(store: QueueStore, day_start: datetime, new_per_day: int,
                    reviews_per_day: int, deck_ids: list[int] | None = None) -> Allowance:
    """New cards and reviews still allowed today, as Anki's daily limits: each limit less the
    review-mode answers since `day_start` that introduced a new card or reviewed a review card."""
    done = store.studied_today(day_start, deck_ids)
    return Allowance(new=max(0, new_per_day - done["new"]),
                     review=max(0, reviews_per_day - done["review"]), answered=done["total"])
