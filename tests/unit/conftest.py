"""Fixtures for the core tests: an isolated data dir, a movable clock and an open workspace."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from debrief.config import Settings
from debrief.workspace import Workspace


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


class FakeTimer:
    """A monotonic timer tests move by hand (answer durations)."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


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
def ws(home, clock):
    workspace = Workspace.open(f"sqlite:///{home}/debrief.db", clock=clock, sync=False)
    workspace.settings = Settings(enable_fuzzing=False)
    yield workspace
    workspace.close()
