"""Statistics over the store: counts today, totals. No UI code."""

from __future__ import annotations

from typing import Any

from debrief.workspace import Workspace


def basic_stats(ws: Workspace) -> dict[str, Any]:
    """The headline figures: cards, reviews, and what today holds."""
    now = ws.now()
    day_start, day_end = ws.day_bounds(now)
    totals = ws.store.totals()
    counts = ws.store.queue_counts(now, day_end, None)
    done = ws.store.studied_today(day_start)
    new_left = max(0, ws.settings.new_per_day - done["new"])
    review_left = max(0, ws.settings.reviews_per_day - done["review"])
    return {
        "cards_total": totals["cards"],
        "reviews_total": totals["reviews"],
        "reviews_today": done["total"],
        "due_today": counts["learning"] + min(counts["review"], review_left),
        "new_today": min(counts["new"], new_left),
        "today": ws.today().isoformat(),
    }
