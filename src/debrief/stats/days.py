"""Study days as UTC ranges (DST-aware), and streaks of study days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from debrief.clock import day_start


def day_ranges(first: date, days: int, rollover_hour: int = 4) -> list[tuple[int, datetime, datetime]]:
    """`days` consecutive study days from `first`: (index, start, end) in UTC.

    Each start is local `rollover_hour` o'clock of that date under the local zone's rules for
    that date, so a day that contains a DST change is 23 or 25 hours long, as on the wall clock.
    """
    starts = [day_start(first + timedelta(days=i), rollover_hour) for i in range(days + 1)]
    return [(i, starts[i], starts[i + 1]) for i in range(days)]


def current_streak(active: Iterable[date], today: date) -> int:
    """Consecutive study days with at least one review, ending today, or yesterday when
    nothing has been reviewed yet today (the streak is not lost before the day is over)."""
    days = set(active)
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def longest_streak(active: Iterable[date]) -> int:
    """The longest run of consecutive study days with at least one review."""
    best = run = 0
    previous: date | None = None
    for day in sorted(set(active)):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


def heatmap_start(today: date, weeks: int = 53) -> date:
    """The Monday that starts a calendar of `weeks` week columns whose last column holds today."""
    return today - timedelta(days=today.weekday() + 7 * (weeks - 1))
