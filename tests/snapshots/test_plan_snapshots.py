"""Snapshots of the interview plan panel: on its own, and on the home screen with a date set.

Regenerate after a deliberate change with `pytest tests/snapshots/test_plan_snapshots.py
--snapshot-update` and look at the SVGs before committing them.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from textual.app import App, ComposeResult

from debrief.cards import Card, Deck
from debrief.config import Settings
from debrief.plan import DeckPlan, Plan, WorkDay, set_interview_date
from debrief.scheduling import Rating
from debrief.session import ReviewSession
from debrief.tui.widgets.plan import PlanPanel
from debrief.workspace import Workspace

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


def fixed_plan(**changes) -> Plan:
    """A plan with made-up figures, so the panel's look does not follow FSRS or deck edits."""
    deck = DeckPlan
    values = dict(
        interview_date=date(2026, 3, 30), today=TODAY, target=0.9,
        overall=deck("overall", 60, 40, 20, 0.612, 0.418, 0.934),
        decks=(deck("metrics", 20, 14, 6, 0.55, 0.31, 0.92), deck("roles", 20, 16, 4, 0.66, 0.52, 0.94),
               deck("skills", 20, 10, 10, 0.62, 0.42, 0.93)),
        new_per_day=1, new_limit=20, learn_by=date(2026, 3, 27),
        workload=tuple(WorkDay(TODAY + timedelta(days=i), 9.0 + (i * 7) % 5, 20 if i == 0 else 0)
                       for i in range(28)))
    values.update(changes)
    return Plan(**values)  # type: ignore[arg-type]


class PanelApp(App[None]):
    def __init__(self, plan: Plan | None) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        yield PlanPanel(id="plan")

    def on_mount(self) -> None:
        self.query_one(PlanPanel).show(self.plan)


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("NO_COLOR", raising=False)
    time.tzset()
    yield
    time.tzset()


def test_plan_panel(snap_compare):
    assert snap_compare(PanelApp(fixed_plan()), terminal_size=(100, 12))


def test_plan_panel_with_cards_at_risk_and_behind(snap_compare):
    plan = fixed_plan(interview_date=date(2026, 3, 4), learn_by=date(2026, 3, 1), new_per_day=20,
                      workload=(WorkDay(TODAY, 14.0, 20), WorkDay(TODAY + timedelta(days=1), 22.5, 0)),
                      at_risk_cards=("metrics-004", "roles-002"))
    assert snap_compare(PanelApp(plan), terminal_size=(100, 12))


def test_plan_panel_hidden_without_a_date(snap_compare):
    assert snap_compare(PanelApp(fixed_plan(interview_date=None)), terminal_size=(60, 6))


def plan_deck(name: str, count: int) -> Deck:
    return Deck(name=name, title=f"{name.capitalize()} for AI and ML PMs",
                cards=tuple(Card(id=f"{name}-{i:03d}", deck=name, kind="recall",
                                 prompt=f"{name} question {i}", answer=f"answer {i}", line=i)
                            for i in range(count)))


@pytest.fixture
def studied_ws(tmp_path, monkeypatch):
    """Three decks, a fortnight of reviews behind it, and an interview four weeks ahead."""
    monkeypatch.setenv("DEBRIEF_HOME", str(tmp_path / "home"))
    clock = [NOW - timedelta(days=14)]
    ws = Workspace.open(f"sqlite:///{tmp_path}/debrief.db", clock=lambda: clock[0], sync=False)
    ws.settings = Settings(enable_fuzzing=False, new_per_day=4)
    ws.store.decks.sync_decks([plan_deck("metrics", 20), plan_deck("roles", 16), plan_deck("skills", 24)],
                              clock[0], source="test")
    rng = random.Random(10)
    for day in range(14):
        clock[0] = NOW - timedelta(days=14 - day)
        session = ReviewSession(ws)
        while session.current is not None:
            session.reveal()
            session.rate(rng.choices(list(Rating), [15, 10, 60, 15])[0])
    clock[0] = NOW
    set_interview_date(ws, "2026-03-30")
    yield ws
    ws.close()


def test_home_screen_with_the_plan(snap_compare, studied_ws):
    from debrief.tui.app import DebriefApp
    from support.screen_states import settle

    app = DebriefApp(workspace=studied_ws, screen="home")
    assert snap_compare(app, terminal_size=(100, 34), run_before=settle)


class SetInterview:
    """A meta role with an interview date set."""

    def get_meta(self, key: str) -> str | None:
        return "2026-03-30"


class UnreadableDecks:
    """A decks role whose cards cannot be read."""

    def cards(self, deck_ids=None):  # noqa: ANN001
        raise RuntimeError("disk I/O error [/] while reading cards")


class BrokenStore:
    """A store whose plan cannot be built (an interview date is set, reading cards fails)."""

    meta = SetInterview()
    decks = UnreadableDecks()


async def test_plan_panel_shows_an_error_as_a_line_instead_of_vanishing():
    app = PanelApp(None)
    ws = Workspace(store=BrokenStore(), settings=Settings(), clock=lambda: NOW)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 12)) as pilot:
        panel = app.query_one(PlanPanel)
        panel.refresh_plan(ws)
        deadline = time.monotonic() + 30
        while "-shown" not in panel.classes and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert "-shown" in panel.classes and panel.display
        text = str(panel.query_one("#plan-lines").render())
        assert "The plan could not be built: RuntimeError: disk I/O error [/] while reading cards" in text
