"""Pilot tests of the Textual app: isolated DEBRIEF_HOME, fixed clock, demo decks (support.tui)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _ui_isolation(utc_local_time: None, isolated_home: object) -> None:
    """Every Pilot test runs in UTC with its own DEBRIEF_HOME and a fixed DEBRIEF_NOW."""
