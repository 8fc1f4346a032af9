"""Snapshots of every screen state at 80x24 and 60x20 (the 100x30 and 40x12 ones are in
test_app_snapshots.py and the other snapshot modules).

The states are the ones the size walk checks (tests/support/screen_states.py). Regenerate after a
deliberate change with `pytest tests/snapshots/test_size_snapshots.py --snapshot-update` and look
at the SVGs first.
"""

from __future__ import annotations

import pytest

from support.screen_states import STATES
from support.tui import make_app

# The Pilot tests' isolation (UTC, a private DEBRIEF_HOME, a fixed DEBRIEF_NOW) for every test here.
pytestmark = pytest.mark.usefixtures("utc_local_time", "isolated_home")

SIZES = [(80, 24), (60, 20)]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("state", list(STATES))
def test_screen_at_size(snap_compare, ws, timer, state: str, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(ws, timer), run_before=STATES[state], terminal_size=size)
