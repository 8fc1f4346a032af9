"""The clock: timezone-aware UTC now (or `DEBRIEF_NOW`), and study days that roll over at 4 am local."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from debrief.errors import DebriefError

Clock = Callable[[], datetime]


class ClockError(DebriefError, ValueError):
    """DEBRIEF_NOW is not an ISO-8601 instant."""


def parse_instant(text: str) -> datetime:
    """Parse an ISO-8601 instant; a naive one is taken as local time. Returns aware UTC."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ClockError(f"not an ISO-8601 date and time: {text!r}") from exc
    if value.tzinfo is None:
        value = value.astimezone()
    return value.astimezone(UTC)


def system_now() -> datetime:
    """The current instant, aware UTC; `DEBRIEF_NOW` overrides it (demos, time travel, tests)."""
    fixed = os.environ.get("DEBRIEF_NOW")
    if fixed:
        return parse_instant(fixed)
    return datetime.now(UTC)


def require_aware(moment: datetime) -> datetime:
    """Reject naive datetimes: every instant inside debrief is timezone-aware."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: debrief works in timezone-aware UTC")
    return moment.astimezone(UTC)


def study_day(moment: datetime, rollover_hour: int = 4) -> date:
    """The study day `moment` belongs to: the local date, with days starting at `rollover_hour`."""
    local = require_aware(moment).astimezone()
    return (local - timedelta(hours=rollover_hour)).date()


def day_bounds(moment: datetime, rollover_hour: int = 4) -> tuple[datetime, datetime]:
    """Start and end (UTC) of the study day containing `moment`."""
    start = day_start(study_day(moment, rollover_hour), rollover_hour)
    end = day_start(study_day(moment, rollover_hour) + timedelta(days=1), rollover_hour)
    return start, end


def day_start(day: date, rollover_hour: int = 4) -> datetime:
    """The UTC instant the study day `day` starts (local `rollover_hour` o'clock)."""
    local_tz = datetime.now().astimezone().tzinfo
    naive = datetime.combine(day, time(hour=rollover_hour))
    # astimezone() on a naive datetime applies the local zone's offset for that date (DST-aware).
    aware = naive.astimezone() if local_tz is not None else naive.replace(tzinfo=UTC)
    return aware.astimezone(UTC)
