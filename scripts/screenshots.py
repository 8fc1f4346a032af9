"""Regenerate screenshots/*.svg from the real app, on the bundled decks.

Run from the repository root:

    .venv/bin/python scripts/screenshots.py

It works in a throwaway data dir (DEBRIEF_HOME) with a fixed clock (DEBRIEF_NOW), a fixed session
timer and scheduler fuzzing off, drives the app with Textual's Pilot at 100x30 and writes one SVG
per screen: home, review (question and feedback), the session summary, browse, the card form,
the backups screen, and with an
interview date set, home with its plan (plan-home) and the plan screen (plan). Then it runs the
other `scripts/screenshots_*.py` (quiz, stats) so this one command refreshes them all.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots"
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # a Monday afternoon
SIZE = (100, 30)


class Timer:
    """The session clock, moved by hand so the elapsed time and suggestions never vary."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def right_answer(record) -> str:  # type: ignore[no-untyped-def]
    card = record.card
    if card.options:
        return str(card.options.index(card.answer_text) + 1)
    return card.answer_text


def near_miss(answer: str) -> str:
    """The answer with one letter swapped: a typo the grader should call close."""
    letters = [i for i, ch in enumerate(answer) if ch.isalpha()]
    if len(letters) < 6:
        return answer
    i = letters[len(letters) // 2]
    return answer[:i] + answer[i + 1] + answer[i] + answer[i + 2:]


def history(ws) -> None:  # type: ignore[no-untyped-def]
    """A little past: answers on the three days before today and a few today (streak, progress)."""
    from debrief.scheduling import Rating
    from debrief.session import ReviewSession

    real_clock = ws.clock
    for days_ago, count in ((3, 6), (2, 5), (1, 8), (0, 4)):
        moment = NOW - timedelta(days=days_ago, hours=2)
        ws.clock = lambda moment=moment: moment
        session = ReviewSession(ws, None, limit=count)
        while session.current is not None:
            session.submit(right_answer(session.current))
            session.rate(Rating.GOOD if days_ago % 2 else Rating.EASY)
    ws.clock = real_clock


async def answer_right(pilot, screen, record, timer, think: float) -> None:  # type: ignore[no-untyped-def]
    """Answer the card on screen right (a recall card: reveal, then Good) and move on."""
    from debrief.tui.widgets.answer import AnswerBox

    if record.card.kind == "recall":
        await pilot.press("enter", "3")
    else:
        timer.now += think
        screen.query_one(AnswerBox).value = right_answer(record)
        await pilot.press("enter", "enter")
    await pilot.pause()


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the workers (the plan is built in one) and the screen to settle."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def shoot() -> list[Path]:
    from textual.widgets import Input

    from debrief.plan import set_interview_date
    from debrief.tui.app import DebriefApp
    from debrief.tui.screens.review import ReviewScreen
    from debrief.tui.widgets.answer import AnswerBox
    from debrief.workspace import Workspace

    home = Path(os.environ["DEBRIEF_HOME"])
    ws = Workspace.open(f"sqlite:///{home / 'debrief.db'}", clock=lambda: NOW)
    history(ws)
    timer = Timer()
    written: list[Path] = []
    app = DebriefApp(workspace=ws, timer=timer)

    def save(name: str) -> None:
        path = OUT / f"{name}.svg"
        path.write_text(app.export_screenshot(title="debrief"), encoding="utf-8")
        written.append(path)

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        save("home")
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        # Answer right until a typed text card comes up: that one shows a typo's diff.
        for _ in range(40):
            record = screen.session.current
            if record.card.kind == "text" and near_miss(record.card.answer_text) != record.card.answer_text:
                break
            await answer_right(pilot, screen, record, timer, think=12)
        typo = near_miss(record.card.answer_text)
        await pilot.press(*[("space" if ch == " " else ch) for ch in typo[: len(typo) // 2]])
        await pilot.pause()
        save("review")
        timer.now += 9
        screen.query_one(AnswerBox).value = typo
        await pilot.press("enter")
        await pilot.pause()
        save("review-feedback")
        await pilot.press("enter", "escape")
        await pilot.pause()
        # A short session to its end, for the summary.
        app.action_review("roles", limit=3)
        await pilot.pause()
        screen = app.screen
        for _ in range(3):
            record = screen.session.current
            if record is None:
                break
            await answer_right(pilot, screen, record, timer, think=15)
        await pilot.pause()
        save("summary")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause(5.5)  # let the notices fade
        await pilot.press("b")
        await pilot.pause()
        app.screen.query_one(Input).value = "north star"
        await pilot.pause()
        save("browse")
        # Your own card: the form with the grader's preview of a trial answer.
        await pilot.press("ctrl+n")
        await pilot.pause()
        form = app.screen
        for key, value in (("prompt", "Which metric catches the share of real positives found?"),
                           ("answer", "recall"), ("accept", "sensitivity, true positive rate"),
                           ("explanation", "Recall = TP / (TP + FN).")):
            form.query_one(f"#field-{key}", Input).value = value
        form.query_one("#field-try", Input).value = "the sensitivity"
        await settle(pilot)
        save("card-form")
        await pilot.press("escape")
        await pilot.pause()
        if app.screen is not form and app.screen.__class__.__name__ != "BrowseScreen":
            await pilot.press("y")  # the form asks before throwing the typed card away
            await pilot.pause()
        # The backups screen, with the backup this run makes.
        app.action_home()
        await pilot.pause()
        await pilot.press("k")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.pause(5.5)  # let the notices fade
        save("backups")
        await pilot.press("escape")
        await pilot.pause()
        # An interview four weeks ahead: home with its plan panel (taller, to show it whole),
        # then the plan screen.
        set_interview_date(ws, (NOW.date() + timedelta(days=28)).isoformat())
        app.action_home()
        await pilot.resize_terminal(100, 36)
        await settle(pilot)
        await pilot.pause(5.5)  # let the notices fade
        save("plan-home")
        await pilot.press("p")
        await settle(pilot)
        save("plan")
    ws.close()
    return written


def main() -> int:
    OUT.mkdir(exist_ok=True)
    # A fixed data dir, as the backups screen shows its path.
    home = Path(tempfile.gettempdir()) / "debrief-screenshots"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    try:
        (home / "config.toml").write_text("[scheduling]\nenable_fuzzing = false\n", encoding="utf-8")
        os.environ.update(DEBRIEF_HOME=str(home), DEBRIEF_NOW=NOW.isoformat(), TZ="UTC")
        os.environ.pop("NO_COLOR", None)
        time.tzset()
        sys.path.insert(0, str(ROOT / "src"))
        for path in asyncio.run(shoot()):
            print(f"wrote {path.relative_to(ROOT)}")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    status = 0
    for other in sorted((ROOT / "scripts").glob("screenshots_*.py")):
        print(f"running {other.relative_to(ROOT)}")
        status |= subprocess.run([sys.executable, str(other)], cwd=ROOT, check=False).returncode
    return status


if __name__ == "__main__":
    raise SystemExit(main())
