"""Study days roll over at 4 am local time; DEBRIEF_NOW fixes the clock."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

from debrief.clock import ClockError, day_bounds, parse_instant, study_day, system_now


@pytest.fixture
def berlin(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(("utc", "day"), [
    ("2026-03-02T02:59:00Z", date(2026, 3, 1)),  # 03:59 in Berlin: still yesterday
    ("2026-03-02T03:00:00Z", date(2026, 3, 2)),  # 04:00 in Berlin: a new day
    ("2026-03-02T22:30:00Z", date(2026, 3, 2)),  # 23:30 in Berlin
    ("2026-03-02T23:30:00Z", date(2026, 3, 2)),  # 00:30 next day in Berlin: still today
])
def test_the_day_rolls_over_at_4am_local(berlin, utc, day):
    assert study_day(parse_instant(utc)) == day


def test_day_bounds_follow_daylight_saving(berlin):
    # Clocks spring forward at 02:00 on 2026-03-29 in Europe, inside the study day that began
    # at 04:00 CET on the 28th: that study day is 23 hours long.
    start, end = day_bounds(parse_instant("2026-03-28T12:00:00Z"))
    assert start == datetime(2026, 3, 28, 3, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)


def test_debrief_now_fixes_the_clock(monkeypatch):
    monkeypatch.setenv("DEBRIEF_NOW", "2026-05-01T10:00:00+02:00")
    assert system_now() == datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def test_a_bad_debrief_now_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("DEBRIEF_NOW", "tomorrow")
    with pytest.raises(ClockError, match="not an ISO-8601"):
        system_now()
