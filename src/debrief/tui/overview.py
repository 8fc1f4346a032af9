"""Today's figures for the home screen: deck counts, progress, streak, next due. No Textual here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from debrief.clock import study_day
from debrief.records import DeckSummary
from debrief.stats import basic_stats
from debrief.stats.days import current_streak
from debrief.workspace import Workspace


@dataclass(frozen=True)
class Overview:
    """What home shows: the decks and today's figures."""

    now: datetime
    decks: list[DeckSummary]
    due: int  # learning + review cards due today, within the daily review limit
    new: int  # new cards available today, within the daily new limit
    done: int  # answers given today (review mode)
    streak: int  # study days in a row with at least one answer, up to today (or yesterday)
    next_due: datetime | None


def streak(ws: Workspace, max_days: int = 3660) -> int:
    """Study days in a row with review answers, ending today (or yesterday), as the stats say."""
    now = ws.now()
    hour = ws.settings.day_starts_at
    day_start, _end = ws.day_bounds(now)
    today = study_day(now, hour)
    window = 16  # most streaks are short: read a fortnight of answers, widen only when needed
    while True:
        since = day_start - timedelta(days=window)
        days: set[date] = {study_day(r.reviewed_at, hour)
                           for r in ws.store.reviews_since(since, mode="review")}  # type: ignore[attr-defined]
        count = current_streak(days, today)
        if count < window - 1 or window >= max_days:
            return count
        window *= 4


def overview(ws: Workspace) -> Overview:
    """Read today's figures from the store (a handful of short queries)."""
    now = ws.now()
    _start, day_end = ws.day_bounds(now)
    stats = basic_stats(ws)
    return Overview(
        now=now,
        decks=ws.store.deck_summaries(now, day_end),  # type: ignore[attr-defined]
        due=int(stats["due_today"]),
        new=int(stats["new_today"]),
        done=int(stats["reviews_today"]),
        streak=streak(ws),
        next_due=ws.store.next_due(now),  # type: ignore[attr-defined]
    )
