"""Snapshots of every screen state at 80x24 and 60x20 (the 100x30 and 40x12 ones are in
test_app_snapshots.py and the other snapshot modules).

The states are the ones the size walk checks (tests/ui/screen_states.py). Regenerate after a
deliberate change with `pytest tests/snapshots/test_size_snapshots.py --snapshot-update` and look
at the SVGs first.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))

import tui_fixtures  # noqa: E402
from screen_states import STATES  # noqa: E402
from tui_fixtures import make_app  # noqa: E402

globals().update({name: getattr(tui_fixtures, name) for name in (
    "utc_local_time", "isolated_home", "template_db", "ws", "demo_ws", "timer")})

SIZES = [(80, 24), (60, 20)]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("state", list(STATES))
def test_screen_at_size(snap_compare, ws, timer, state: str, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(ws, timer), run_before=STATES[state], terminal_size=size)
