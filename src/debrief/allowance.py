"""Today's allowance: the collection-wide new-card and review limits, and what is left of them.

One function decides what today holds; the review queue, the quiz, home, the plan, the stats and
`decks` all call it, so their counts cannot drift apart. The limits hold for the whole collection
whatever deck is chosen (as Anki's "limits start from top"): 20 new cards from "All decks" leave
none for a single deck the same day.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from debrief.clock import study_day
from debrief.records import DeckSummary
from debrief.workspace import Workspace

NEW_LIMIT_KEY = "new_limit_today"  # meta: {"day": ISO study day, "limit": N}, ignored on other days


@dataclass(frozen=True)
class Allowance:
    """Today's limits and what has been used of them, for the whole collection."""

    day: date
    new_limit: int  # today's new-card limit: the config's, or raised for today
    review_limit: int
    new_done: int  # new cards introduced today (review mode)
    review_done: int  # reviews of review cards today
    answered: int  # every review-mode answer today
    raised: bool = False  # the new-card limit was changed for today ("study more")

    @property
    def new_left(self) -> int:
        return max(0, self.new_limit - self.new_done)

    @property
    def review_left(self) -> int:
        return max(0, self.review_limit - self.review_done)


@dataclass(frozen=True)
class TodayCounts:
    """Cards left to study today, after the collection's limits (and those available before)."""

    learning: int
    review: int
    new: int
    review_available: int  # due review cards, before the review limit
    new_available: int  # new cards not suspended or buried, before the new-card limit

    @property
    def due(self) -> int:
        """Learning and review cards due today (what home calls "due")."""
        return self.learning + self.review

    @property
    def total(self) -> int:
        return self.learning + self.review + self.new


def _stored_limit(ws: Workspace, day: date) -> int | None:
    raw = ws.store.meta.get_meta(NEW_LIMIT_KEY)
    if not raw:
        return None
    try:
        data = json.loads(raw)
        if data.get("day") == day.isoformat():
            return max(0, int(data["limit"]))
    except (ValueError, TypeError, KeyError, AttributeError):
        pass  # a damaged value means no change for today
    return None


def today_allowance(ws: Workspace, now: datetime | None = None) -> Allowance:
    """Today's limits and their use so far, collection-wide (the one place that computes them)."""
    now = now or ws.now()
    day_start, _day_end = ws.day_bounds(now)
    day = study_day(now, ws.settings.day_starts_at)
    done = ws.store.queue.studied_today(day_start)
    stored = _stored_limit(ws, day)
    return Allowance(day=day, new_limit=ws.settings.new_per_day if stored is None else stored,
                     review_limit=ws.settings.reviews_per_day, new_done=done["new"],
                     review_done=done["review"], answered=done["total"], raised=stored is not None)


def set_new_limit_today(ws: Workspace, limit: int) -> Allowance:
    """Make today's new-card limit `limit` (today only: tomorrow the config's limit is back)."""
    if limit < 0:
        raise ValueError("the new-card limit cannot be negative")
    day = ws.today()
    ws.store.meta.set_meta(NEW_LIMIT_KEY, json.dumps({"day": day.isoformat(), "limit": int(limit)}))
    return today_allowance(ws)


def study_more(ws: Workspace, extra: int) -> Allowance:
    """Raise today's new-card limit by `extra` cards ("study more today", without editing config)."""
    if extra < 1:
        raise ValueError("study more needs at least one card")
    current = today_allowance(ws)
    # Raise from what has been used when the limit was already passed (a smaller config today).
    base = max(current.new_limit, current.new_done)
    return set_new_limit_today(ws, base + extra)


def today_counts(ws: Workspace, deck_ids: list[int] | None = None,
                 allowance: Allowance | None = None, capped: bool = False) -> TodayCounts:
    """Cards left today in `deck_ids` (None: all decks), within the collection's limits.

    `capped` stops counting each queue at what the limits leave (the `*_available` figures are
    then capped too): what a face shows once per card, at a cost that does not grow with the
    collection."""
    now = ws.now()
    _start, day_end = ws.day_bounds(now)
    allowance = allowance or today_allowance(ws, now)
    caps = {"review": allowance.review_left, "new": allowance.new_left} if capped else None
    raw = ws.store.queue.queue_counts(now, day_end, deck_ids, caps)
    return TodayCounts(learning=raw["learning"], review=min(raw["review"], allowance.review_left),
                       new=min(raw["new"], allowance.new_left), review_available=raw["review"],
                       new_available=raw["new"])


def deck_counts(ws: Workspace, allowance: Allowance | None = None) -> list[DeckSummary]:
    """Each deck's counts for today, its new and due cards within the collection's limits (as
    Enter on that deck would serve them); `deck_summaries` gives them before the limits."""
    now = ws.now()
    _start, day_end = ws.day_bounds(now)
    allowance = allowance or today_allowance(ws, now)
    rows = ws.store.decks.deck_summaries(now, day_end)
    return [DeckSummary(r.name, r.title, r.cards, min(r.new, allowance.new_left),
                        min(r.due, allowance.review_left), r.learning, r.suspended) for r in rows]
