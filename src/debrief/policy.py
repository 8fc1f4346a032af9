"""The answer policy: what a rating does to a card's schedule (FSRS, then the interview planner).

Review, `quiz --reschedule` and the plan's projection schedule answers with `schedule_answer`, and
the buttons show `answer_outcomes`, so an answer lands on the same due date whichever of them
records it. (How many cards today's limits still let through is `debrief.allowance`.)
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
    interview planner may bring the due date forward, keeping the buttons in order (a no-op
    without an interview date)."""
    if not planner.active(now):
        return scheduler.review(state, rating, now)  # computes only the buttons it needs
    return answer_outcomes(scheduler, planner, state, now)[0][rating].state


def answer_outcomes(scheduler: Scheduler, planner: Planner, state: CardState,
                    now: datetime) -> tuple[dict[Rating, Outcome], dict[Rating, Outcome]]:
    """The four buttons' outcomes as `schedule_answer` would save them, and FSRS's alone.

    Returns `(planned, natural)`: `planned[r].state == schedule_answer(..., r, now)` for every
    rating `r`; `natural` is what FSRS would do without the interview planner.
    """
    natural = scheduler.outcomes(state, now)
    return planner.outcomes(natural, now), natural
