"""Snapshots of the card form (browse, a) and of the read-only dialog of a card that is not yours
(browse, e) at 100x30; the form at 80x24 and 60x20 is in test_size_snapshots.py (its state is in
tests/support/screen_states.py). Regenerate after a deliberate change with
`pytest tests/snapshots/test_card_form_snapshots.py --snapshot-update` and look at the SVGs first.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from support.screen_states import STATES, settle
from support.tui import make_app

# The Pilot tests' isolation (UTC, a private DEBRIEF_HOME, a fixed DEBRIEF_NOW) for every test here.
pytestmark = pytest.mark.usefixtures("utc_local_time", "isolated_home")

SIZE = (100, 30)


def test_card_form(snap_compare, ws, timer):
    assert snap_compare(make_app(ws, timer), run_before=STATES["card-form"], terminal_size=SIZE)


def test_card_form_problems(snap_compare, ws, timer):
    async def run_before(pilot) -> None:
        await STATES["card-form"](pilot)
        pilot.app.screen.query_one("#field-answer", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(ws, timer), run_before=run_before, terminal_size=SIZE)


def test_read_only_card(snap_compare, ws, timer):
    async def run_before(pilot) -> None:
        await STATES["browse"](pilot)
        await pilot.press("e")
        await pilot.pause()
        pilot.app.screen.query_one(Input).value = "convergance"
        await settle(pilot)

    assert snap_compare(make_app(ws, timer), run_before=run_before, terminal_size=SIZE)
