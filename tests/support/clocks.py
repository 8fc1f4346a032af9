"""Clocks and timers that tests move by hand, so nothing waits on the real time."""

from __future__ import annotations

from datetime import datetime, timedelta


class FakeClock:
    """A wall clock (timezone-aware datetimes) that moves only when told to."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


class FakeTimer:
    """A monotonic timer (seconds) that moves only when told to: session and answer times."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t

    @property
    def now(self) -> float:
        return self.t

    @now.setter
    def now(self, value: float) -> None:
        self.t = value

    def advance(self, seconds: float) -> None:
        self.t += seconds
