"""Snapshots of every state of the home, review, summary and browse screens at 100x30.

The clock, the session timer and the decks are fixed (tests/support/tui.py), so the SVGs are
the same on every run. Regenerate after a deliberate change with
`pytest tests/snapshots/test_app_snapshots.py --snapshot-update` and look at the SVGs first.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from textual.widgets import Input

from debrief.scheduling import Rating
from debrief.session import ReviewSession
from debrief.tui.widgets.answer import AnswerBox
from support.tui import FIXED_NOW, hostile_deck, make_app, open_workspace

# The Pilot tests' isolation (UTC, a private DEBRIEF_HOME, a fixed DEBRIEF_NOW) for every test here.
pytestmark = pytest.mark.usefixtures("utc_local_time", "isolated_home")

SIZE = (100, 30)


async def set_answer(pilot, text: str, think: float = 10.0) -> None:
    pilot.app.session_timer.advance(think)
    pilot.app.screen.query_one(AnswerBox).value = text
    await pilot.press("enter")
    await pilot.pause()


def study_yesterday_and_today(ws) -> None:
    """Some history: three answers yesterday and two today, so home shows a streak and progress."""
    clock = {"now": FIXED_NOW - timedelta(days=1)}
    ws.clock = lambda: clock["now"]
    session = ReviewSession(ws, ["metrics"])
    for rating in (Rating.GOOD, Rating.EASY, Rating.AGAIN):
        session.submit("x")
        session.rate(rating)
    clock["now"] = FIXED_NOW - timedelta(hours=1)
    session = ReviewSession(ws, ["metrics"])
    for rating in (Rating.GOOD, Rating.GOOD):
        session.submit("x")
        session.rate(rating)
    ws.clock = lambda: FIXED_NOW


def test_home(snap_compare, ws, timer):
    assert snap_compare(make_app(ws, timer), terminal_size=SIZE)


def test_home_with_progress_and_streak(snap_compare, ws, timer):
    study_yesterday_and_today(ws)
    assert snap_compare(make_app(ws, timer), terminal_size=SIZE)


def test_review_text_card(snap_compare, ws, timer):
    assert snap_compare(make_app(ws, timer), press=["r"], terminal_size=SIZE)


def test_review_typing(snap_compare, ws, timer):
    assert snap_compare(make_app(ws, timer), press=["r", *"converg"], terminal_size=SIZE)


def test_review_right_answer(snap_compare, ws, timer):
    async def run_before(pilot) -> None:
        await pilot.press("r")
        await set_answer(pilot, "convergence")

    assert snap_compare(make_app(ws, timer), run_before=run_before, terminal_size=SIZE)


def test_review_wrong_answer(snap_compare, ws, timer):
    async def run_before(pilot) -> None:
        await pilot.press("r")
        await set_answer(pilot, "divergance")

    assert snap_compare(make_app(ws, timer), run_before=run_before, terminal_size=SIZE)


def test_review_choice_card(snap_compare, demo_ws, timer):
    async def run_before(pilot) -> None:
        await pilot.press("r")
        await set_answer(pilot, "convergence")
        await pilot.press("enter")

    assert snap_compare(make_app(demo_ws, timer), run_before=run_before, terminal_size=SIZE)


def test_review_recall_card(snap_compare, demo_ws, timer):
    async def run_before(pilot) -> None:
        await pilot.press("r")
        for text in ("convergence", "AI PM", "15"):
            await set_answer(pilot, text)
            await pilot.press("enter")

    assert snap_compare(make_app(demo_ws, timer), run_before=run_before, terminal_size=SIZE)


def test_review_recall_revealed(snap_compare, demo_ws, timer):
    async def run_before(pilot) -> None:
        await pilot.press("r")
        for text in ("convergence", "AI PM", "15"):
            await set_answer(pilot, text)
            await pilot.press("enter")
        await pilot.press("space")

    assert snap_compare(make_app(demo_ws, timer), run_before=run_before, terminal_size=SIZE)


def test_review_after_undo(snap_compare, ws, timer):
    async def run_before(pilot) -> None:
        await pilot.press("r")
        await set_answer(pilot, "convergence")
        await pilot.press("enter", "ctrl+z")

    assert snap_compare(make_app(ws, timer), run_before=run_before, terminal_size=SIZE)


def test_review_empty_queue(snap_compare, template_db, isolated_home, timer):
    workspace = open_workspace(template_db, isolated_home)
    try:
        assert snap_compare(make_app(workspace, timer), press=["r"], terminal_size=SIZE)
    finally:
        workspace.close()


def test_session_summary(snap_compare, ws, timer):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await set_answer(pilot, "accepted suggestions", think=20)
        await pilot.press("enter")
        await set_answer(pilot, "MAP")
        await pilot.press("3")

    app = make_app(ws, timer, screen="review", decks=("metrics",), limit=2)
    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


async def notices_gone(pilot, deadline: float = 60.0) -> None:
    """Wait until every notice has timed out and its toast is gone (a condition: a loaded
    machine only makes it take longer)."""
    end = time.monotonic() + deadline
    while pilot.app._notifications or pilot.app.screen.query("Toast"):
        assert time.monotonic() < end, "a notice never timed out"
        await pilot.pause(0.05)


def test_browse(snap_compare, ws, timer):
    async def run_before(pilot) -> None:
        await pilot.press("r")
        await set_answer(pilot, "divergence")
        await pilot.press("enter", "escape")
        await notices_gone(pilot)  # the "1 answer saved" notice times out before browse opens
        await pilot.press("b")
        await pilot.pause()
        pilot.app.screen.query_one(Input).value = "tag:roles"
        await pilot.pause()

    app = make_app(ws, timer)
    app.NOTIFICATION_TIMEOUT = 0.5  # the notice times out as it does for a user, only sooner
    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


@pytest.mark.parametrize("keys", [[], ["r"]], ids=["home", "review"])
def test_tiny_terminal(snap_compare, ws, timer, keys):
    assert snap_compare(make_app(ws, timer), press=keys, terminal_size=(40, 12))


def test_no_color_feedback(snap_compare, ws, timer, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot) -> None:
        await pilot.press("r")
        await set_answer(pilot, "divergence")

    assert snap_compare(make_app(ws, timer), run_before=run_before, terminal_size=SIZE)


def test_hostile_card_text(snap_compare, template_db, isolated_home, timer):
    workspace = open_workspace(template_db, isolated_home, hostile_deck())
    try:
        async def run_before(pilot) -> None:
            await pilot.press("r")
            await set_answer(pilot, "[/] [bold]x")

        assert snap_compare(make_app(workspace, timer), run_before=run_before, terminal_size=SIZE)
    finally:
        workspace.close()
