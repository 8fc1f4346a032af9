"""The answer policy: what a rating does to a card's schedule (FSRS, then the interview planner).

Review, `quiz --reschedule` and the plan's projection all call these two functions, so an answer
lands on the same due date whichever of them records it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from debrief.scheduling import CardState, Outcome, Rating, Scheduler

if TYPE_CHECKING:
    from debrief.plan import Planner


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
