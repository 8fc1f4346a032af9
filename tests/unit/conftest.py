"""Fixtures for the core tests: an isolated data dir, a movable clock and an open workspace."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from debrief.config import Settings
from debrief.workspace import Workspace
from support.clocks import FakeClock, FakeTimer
from support.database import fresh_db

__all__ = ["FakeClock", "FakeTimer"]


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    for var in ("DEBRIEF_DB", "DEBRIEF_NOW"):
        monkeypatch.delenv(var, raising=False)
    yield tmp_path / "home"
    time.tzset()


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def timer():
    return FakeTimer()


@pytest.fixture
def ws(home, clock, template_db):
    """A workspace on a copy of the migrated template database (no bundled decks synced)."""
    workspace = Workspace.open(fresh_db(template_db, home / "debrief.db"), clock=clock, sync=False)
    workspace.settings = Settings(enable_fuzzing=False)
    yield workspace
    workspace.close()
