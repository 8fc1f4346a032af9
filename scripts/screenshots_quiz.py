"""Regenerate screenshots/quiz.svg and screenshots/quiz-results.svg from the bundled decks.

Run from the repository root:  .venv/bin/python scripts/screenshots_quiz.py
It works in a throwaway data dir, with a fixed clock, seed and timer, so the pictures only change
when the screens (or the bundled decks) do.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots"
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
SIZE = (100, 36)
SEED = 2026


class Timer:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def right_answer(question, grader=None) -> str:  # type: ignore[no-untyped-def]
    """What to type to be right: the option's number, else the answer (for a list card, the
    first form of it the grader takes, whichever grader this version has)."""
    if question.options:
        return str(question.options.index(question.right) + 1)
    answer = question.card.answer
    forms = [question.right] + (["\n".join(answer), *answer] if isinstance(answer, tuple) else [])
    for form in forms:
        if grader is None or grader.grade(question.spec(), form).is_right:
            return form
    return question.right


async def shoot(ws, name: str, results: bool) -> None:  # type: ignore[no-untyped-def]
    from textual.app import App
    from textual.widgets import Input

    from debrief.quiz import QuizOptions
    from debrief.tui.screens.quiz import QuizScreen

    timer = Timer()
    options = QuizOptions(count=10, seed=SEED, time_limit=300, per_question=45)

    class Shot(App[None]):
        TITLE = "debrief"

        def on_mount(self) -> None:
            self.push_screen(QuizScreen(ws, options, timer=timer))

    app = Shot()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        questions = list(screen.session.questions)
        stop = len(questions) if results else 3
        for index, question in enumerate(questions[:stop]):
            timer.now += 6 + 2 * (index % 4)
            wrong = index in (2, 6) if results else index == 2
            screen.query_one(Input).value = ("not sure" if wrong
                                             else right_answer(question, ws.grader))
            await pilot.press("enter")
        if not results:
            timer.now += 12
            screen.tick()
        await pilot.pause()
        app.save_screenshot(filename=name, path=str(OUT))
    print(f"wrote {OUT / name}")


def main() -> int:
    with tempfile.TemporaryDirectory() as home:
        os.environ["DEBRIEF_HOME"] = home
        os.environ["TZ"] = "UTC"
        os.environ.pop("NO_COLOR", None)
        time.tzset()
        from debrief.quiz import QuizOptions, QuizSession
        from debrief.workspace import Workspace

        ws = Workspace.open(clock=lambda: NOW)
        try:
            timer = Timer()
            for seed, right in ((1, 5), (2, 7)):  # two earlier quizzes, for the trend
                past = QuizSession(ws, QuizOptions(count=10, seed=seed), timer=timer)
                past.start()
                for index, question in enumerate(list(past.questions)):
                    timer.now += 5
                    past.answer(right_answer(question, ws.grader) if index < right else "no")
            OUT.mkdir(exist_ok=True)
            asyncio.run(shoot(ws, "quiz.svg", results=False))
            asyncio.run(shoot(ws, "quiz-results.svg", results=True))
        finally:
            ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
