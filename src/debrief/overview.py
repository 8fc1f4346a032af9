"""Today's figures for the home screen: deck counts, progress, streak, next due. No Textual here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from debrief.records import DeckSummary
from debrief.stats import basic_stats
from debrief.stats.days import current_streak, day_ranges
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
    """Study days in a row with review answers, ending today (or yesterday), as the stats say.

    Counted with one indexed count per study day, reading a fortnight first and widening only
    while the streak fills the window, so a year-long streak on a million reviews stays cheap.
    """
    hour = ws.settings.day_starts_at
    today = ws.today()
    window = 16
    while True:
        first = today - timedelta(days=window - 1)
        per_day = ws.store.log.reviews_per_day(day_ranges(first, window, hour))
        active = {first + timedelta(days=index) for index, count in per_day.items() if count}
        count = current_streak(active, today)
        if count < window - 1 or window >= max_days:
            return count
        window = min(window * 4, max_days)


def overview(ws: Workspace) -> Overview:
    """Read today's figures from the store (a handful of short queries)."""
    from debrief.allowance import deck_counts, today_allowance

    now = ws.now()
    stats = basic_stats(ws)
    return Overview(
        now=now,
        # Each deck's new and due within the collection's limits: what Enter on it would serve.
        decks=deck_counts(ws, today_allowance(ws, now)),
        due=int(stats["due_today"]),
        new=int(stats["new_today"]),
        done=int(stats["reviews_today"]),
        streak=streak(ws),
        next_due=ws.store.queue.next_due(now),
    )
