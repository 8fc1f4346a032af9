"""Snapshots of the quiz screen mid-quiz and of the results screen (one SVG per state).

Regenerate after a deliberate change with `pytest tests/snapshots/test_quiz_snapshots.py
--snapshot-update` and look at the SVGs before committing them.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from textual.app import App
from textual.widgets import Input

from debrief.cards import Card, Deck
from debrief.config import Settings
from debrief.quiz import QuizOptions, QuizSession
from debrief.tui.screens.quiz import QuizScreen
from debrief.workspace import Workspace

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
SIZE = (100, 40)


class Timer:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def quiz_deck() -> Deck:
    """A small fixed deck with every question kind, so the snapshots never follow deck edits."""
    role = [("Who defines the loss function?", "ML PM"),
            ("Who defines the prompt engineering strategy?", "AI PM"),
            ("Whose success is measured by task completion rate?", "AI PM")]
    text = [("Complete the 2026 one-liner: the AI PM is a product ____.", "strategist"),
            ("Complete the 2026 one-liner: the ML PM is a technical ____.", "systems architect"),
            ("For an AI PM, where does the primary risk reside?", "user experience"),
            ("For an ML PM, the primary risk lies in the mathematical ____ of the model.", "convergence"),
            ("The AI PM / ML PM split is about where the primary ____ resides.", "risk")]
    figures = [("How much higher is a Senior ML PM's total compensation (in %)?", "15-20%")]
    cards = [Card(id=f"q-r{i}", deck="roles", kind="choice", prompt=p, answer=a,
                  options=("AI PM", "ML PM"), explanation="Where the risk lives decides the role.")
             for i, (p, a) in enumerate(role)]
    cards += [Card(id=f"q-t{i}", deck="roles", kind="text", prompt=p, answer=a,
                   explanation=f"The article's word is '{a}'.") for i, (p, a) in enumerate(text)]
    cards += [Card(id=f"q-n{i}", deck="roles", kind="number", prompt=p, answer=a,
                   explanation="Mostly for the technical moat.") for i, (p, a) in enumerate(figures)]
    return Deck(name="roles", title="Roles", cards=tuple(cards))


@pytest.fixture
def quiz_ws(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("NO_COLOR", raising=False)
    time.tzset()
    ws = Workspace.open(f"sqlite:///{tmp_path}/debrief.db", clock=lambda: NOW, sync=False)
    ws.settings = Settings(enable_fuzzing=False)
    ws.store.decks.sync_decks([quiz_deck()], NOW)
    yield ws
    ws.close()


class QuizApp(App[None]):
    def __init__(self, workspace, timer, options: QuizOptions) -> None:
        super().__init__()
        self.workspace, self.timer, self.options = workspace, timer, options

    def on_mount(self) -> None:
        self.push_screen(QuizScreen(self.workspace, self.options, timer=self.timer))


def past_quiz(ws, timer, seed: int, right: int) -> None:
    session = QuizSession(ws, QuizOptions(count=6, seed=seed), timer=timer)
    session.start()
    for index, question in enumerate(list(session.questions)):
        timer.now += 5
        session.answer(question.shortest_right_answer if index < right else "no")


def test_quiz_screen(snap_compare, quiz_ws):
    timer = Timer()
    app = QuizApp(quiz_ws, timer, QuizOptions(count=6, seed=11, time_limit=300, per_question=45))

    async def run_before(pilot):
        await pilot.pause()  # the clocks (and so the session) start once the question is drawn
        screen = app.screen
        while not screen.session.current.options or screen.session.current.kind != "choice":
            timer.now += 9
            screen.query_one(Input).value = screen.session.current.shortest_right_answer
            await pilot.press("enter")
        timer.now += 17.4
        screen.tick()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_quiz_results_screen(snap_compare, quiz_ws):
    timer = Timer()
    past_quiz(quiz_ws, timer, seed=1, right=2)
    past_quiz(quiz_ws, timer, seed=2, right=4)
    app = QuizApp(quiz_ws, timer, QuizOptions(count=6, seed=11, time_limit=300))

    async def run_before(pilot):
        screen = app.screen
        for index, question in enumerate(list(screen.session.questions)):
            timer.now += 4 + 3 * index
            screen.query_one(Input).value = "no idea" if index in (1, 4) else question.shortest_right_answer
            await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
