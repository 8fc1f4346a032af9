"""The screen states the size walk and the size snapshots drive the app into, from home."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.widgets import Input
from textual.worker import WorkerCancelled

from debrief.plan import set_interview_date
from support.tui import answer


async def settle(pilot: Any) -> None:
    """Wait until the screen is still: no worker running, twice in a row after the messages a
    finished worker posts (a plan panel that loads makes home fit itself again, which may start
    another load). A condition, not a time: a loaded machine only makes it take longer."""
    quiet = 0
    for _ in range(200):
        await pilot.pause()
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # a newer load replaced it (exclusive workers): wait for that
            continue
        await pilot.pause()
        busy = any(worker.is_running for worker in pilot.app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet >= 2:
            return


async def home(pilot: Any) -> None:
    await settle(pilot)


async def home_with_plan(pilot: Any) -> None:
    await settle(pilot)
    set_interview_date(pilot.app.workspace, "2026-03-30")
    pilot.app.screen.refresh_data()
    await settle(pilot)


async def review_question(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("r")
    await pilot.pause()


async def review_feedback(pilot: Any) -> None:
    await review_question(pilot)
    await answer(pilot, "divergence")


async def summary(pilot: Any) -> None:
    await settle(pilot)
    pilot.app.action_review(limit=2)
    await pilot.pause()
    for _ in range(2):
        await answer(pilot, "x")
        await pilot.press("1" if pilot.app.screen.phase == "feedback" else "enter")
        await pilot.pause()
    assert pilot.app.screen.__class__.__name__ == "SummaryScreen"


async def browse(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("b")
    await pilot.pause()
    await pilot.press("enter")  # from the search box to the list
    await pilot.pause()


async def card_form(pilot: Any) -> None:
    """The card form (browse, a) with a card typed in and a trial answer graded."""
    await browse(pilot)
    await pilot.press("a")
    await pilot.pause()
    screen = pilot.app.screen
    screen.query_one("#field-prompt", Input).value = "What does RAG stand for?"
    screen.query_one("#field-answer", Input).value = "retrieval-augmented generation"
    screen.query_one("#field-accept", Input).value = "RAG"
    screen.query_one("#field-try", Input).value = "retrieval augmentd generation"
    await pilot.pause()


async def stats(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)


async def quiz(pilot: Any) -> None:
    await settle(pilot)
    pilot.app.action_quiz(seed=11)  # a fixed seed: the same questions on every run
    await pilot.pause()


async def quiz_results(pilot: Any) -> None:
    await quiz(pilot)
    session = pilot.app.screen.session
    for question in list(session.questions):
        pilot.app.screen.query_one(Input).value = question.shortest_right_answer
        await pilot.press("enter")
    await settle(pilot)


async def plan(pilot: Any) -> None:
    await home_with_plan(pilot)
    await pilot.press("p")
    await settle(pilot)


async def settings(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("comma")
    await pilot.pause()


async def keys_help(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


def settled(drive: Callable[[Any], Awaitable[None]]) -> Callable[[Any], Awaitable[None]]:
    """`drive`, then wait until the workers are done and the screen is idle (a busy machine may
    be slow to lay out and draw the footer)."""
    async def run(pilot: Any) -> None:
        await drive(pilot)
        await settle(pilot)
        await pilot.pause()

    return run


STATES: dict[str, Callable[[Any], Awaitable[None]]] = {name: settled(drive) for name, drive in {
    "home": home, "home-plan": home_with_plan, "review": review_question,
    "feedback": review_feedback, "summary": summary, "browse": browse,
    "card-form": card_form, "stats": stats,
    "quiz": quiz, "quiz-results": quiz_results, "plan": plan, "settings": settings,
    "help": keys_help,
}.items()}


