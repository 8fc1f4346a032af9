"""Elapsed time counts study days (the `day_starts_at` rollover, local time), not 24-hour periods."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from debrief.config import Settings
from debrief.scheduling import CardState, Rating, Scheduler


@pytest.fixture
def local_zone(monkeypatch):
    """Set the process's local time zone for one test (study days are local)."""
    def use(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()
    yield use
    monkeypatch.undo()
    time.tzset()


def one_day_card(at: datetime) -> CardState:
    """A review card answered at `at` and due a day later."""
    return CardState(state="review", stability=1.2, difficulty=5.0, due=at + timedelta(days=1),
                     last_review=at, reps=3)


def test_a_one_day_card_reviewed_next_day_at_an_earlier_hour_gets_a_multi_day_interval(local_zone):
    local_zone("UTC")
    scheduler = Scheduler(Settings(enable_fuzzing=False))
    yesterday = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    state = one_day_card(yesterday)
    today = yesterday + timedelta(hours=22)  # the next study day, two hours earlier on the clock
    assert scheduler.elapsed_days(state.last_review, today) == 1
    assert scheduler.retrievability(state, today) < 0.95
    good = scheduler.outcomes(state, today)[Rating.GOOD]
    assert good.interval >= timedelta(days=2)
    assert good.state.stability > 2 * state.stability


def test_reviews_within_one_study_day_are_same_day_reviews(local_zone):
    local_zone("UTC")
    scheduler = Scheduler(Settings(enable_fuzzing=False))
    evening = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
    state = one_day_card(evening)
    night = datetime(2026, 12, 1, 3, 30, tzinfo=UTC)  # before the 4 am rollover: same study day
    assert scheduler.elapsed_days(evening, night) == 0
    assert scheduler.retrievability(state, night) == 1.0
    after_rollover = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)  # 8.5 hours later, next study day
    assert scheduler.elapsed_days(evening, after_rollover) == 1
    assert scheduler.retrievability(state, after_rollover) < 1.0


@pytest.mark.parametrize("rollover", [0, 4, 12, 23])
def test_the_rollover_hour_is_the_configured_one(local_zone, rollover):
    local_zone("UTC")
    scheduler = Scheduler(Settings(enable_fuzzing=False, day_starts_at=rollover))
    day = datetime(2026, 6, 1, tzinfo=UTC)
    before = day + timedelta(hours=rollover) - timedelta(minutes=1)
    after = day + timedelta(hours=rollover) + timedelta(minutes=1)
    assert scheduler.elapsed_days(before, after) == 1
    assert scheduler.elapsed_days(after, after + timedelta(hours=23, minutes=58)) == 0


def test_the_rollover_is_local_time(local_zone):
    local_zone("Asia/Tokyo")  # UTC+9: 4 am local is 19:00 UTC the day before
    scheduler = Scheduler(Settings(enable_fuzzing=False))
    before = datetime(2026, 6, 1, 18, 50, tzinfo=UTC)
    after = datetime(2026, 6, 1, 19, 10, tzinfo=UTC)
    assert scheduler.elapsed_days(before, after) == 1


@pytest.mark.parametrize(("zone", "spring", "autumn"), [
    ("America/New_York", datetime(2026, 3, 8, 12, tzinfo=UTC), datetime(2026, 11, 1, 12, tzinfo=UTC)),
    ("Europe/Berlin", datetime(2026, 3, 29, 12, tzinfo=UTC), datetime(2026, 10, 25, 12, tzinfo=UTC)),
])
def test_days_across_a_dst_change_count_the_rollovers(local_zone, zone, spring, autumn):
    local_zone(zone)
    scheduler = Scheduler(Settings(enable_fuzzing=False))
    for change in (spring, autumn):
        # 3:55 am local the day before the change and 4:05 am local the day after: two rollovers
        # apart, whatever the hours in between (23 or 25 on the day of the change).
        first = (change - timedelta(days=1)).astimezone().replace(hour=3, minute=55)
        last = (change + timedelta(days=1)).astimezone().replace(hour=4, minute=5)
        assert scheduler.elapsed_days(first.astimezone(UTC), last.astimezone(UTC)) == 3
        # A day's review at the same local hour on either side of the change is one day later.
        a = (change - timedelta(days=1)).astimezone().replace(hour=9, minute=0)
        b = (change).astimezone().replace(hour=8, minute=30)
        assert scheduler.elapsed_days(a.astimezone(UTC), b.astimezone(UTC)) == 1
