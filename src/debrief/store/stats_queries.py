"""The SQL aggregates behind the stats screen: per-day counts, forecast, retention, mastery.

Study days. A study day starts at the rollover hour, local time, so its length in UTC changes
with daylight saving time (23 or 25 hours on the days the clocks change) and its start is not a
fixed offset from UTC midnight. Rather than teach each database the local time zone rules, the
core computes every day's [start, end) in UTC with Python's own zone rules (`clock.day_start`)
and passes those boundaries in as a small VALUES table; the SQL only compares UTC instants with
the indexed `reviewed_at` / `due` columns. The same statements therefore run on SQLite and
PostgreSQL, and each day is one index range scan.

The one thing the two dialects spell differently, the number of days between two instants
(a card's interval), is the `interval_days` construct below, compiled per dialect.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Float, Integer, and_, case, column, func, select, true, values
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from debrief.clock import study_day
from debrief.records import ANSWER_CAP_MS, StatsFigures
from debrief.store.models import CardRow, DeckRow, ReviewRow, ScheduleRow, UTCDateTime

# Days per VALUES table: keeps every statement well under the drivers' bound-parameter limits.
_CHUNK_DAYS = 1000
STAGES = ("new", "learning", "young", "mature", "suspended")
# Anki caps a logged answer time at 60 s, so one answer left open over lunch cannot skew the mean.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # the forecast backlog counts everything due since


class interval_days(FunctionElement[float]):  # noqa: N801 - a SQL function, named like one
    """Days from `earlier` to `later` (fractional). Both may be timestamp columns or ISO text.

    Instants in the store are UTC: timestamp columns hold naive UTC and the JSON copies hold
    ISO strings ending in +00:00, so no time zone conversion is needed on either side.
    """

    type = Float()
    inherit_cache = True
    name = "interval_days"


@compiles(interval_days, "sqlite")
def _interval_days_sqlite(element: interval_days, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return f"(julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)}))"


@compiles(interval_days)
def _interval_days_default(element: interval_days, compiler: Any, **kw: Any) -> str:
    # PostgreSQL (and the SQL standard): casting '...+00:00' text to TIMESTAMP drops the (zero)
    # offset, and timestamp columns are already naive UTC.
    later, earlier = list(element.clauses)
    return (f"(EXTRACT(EPOCH FROM (CAST({compiler.process(later, **kw)} AS TIMESTAMP) - "
            f"CAST({compiler.process(earlier, **kw)} AS TIMESTAMP))) / 86400.0)")


DayRange = tuple[int, datetime, datetime]  # (index, start, end), UTC


def _days_table(ranges: Sequence[DayRange]):
    return values(column("day", Integer), column("lo", UTCDateTime()), column("hi", UTCDateTime()),
                  name="study_days").data(list(ranges)).cte("study_days")


def _chunks(ranges: Sequence[DayRange]) -> list[Sequence[DayRange]]:
    return [ranges[i:i + _CHUNK_DAYS] for i in range(0, len(ranges), _CHUNK_DAYS)]


def first_review(session, mode: str = "review") -> datetime | None:
    """When the first answer in `mode` was logged (None: empty log)."""
    return session.scalar(select(func.min(ReviewRow.reviewed_at)).where(ReviewRow.mode == mode))


def reviews_per_day(session, ranges: Sequence[DayRange], mode: str = "review") -> dict[int, int]:
    """Answers logged in each day range: {day index: count}, days without answers left out."""
    r = ReviewRow
    # One correlated count per day rather than a join with GROUP BY: each count is a range of the
    # (mode, reviewed_at) index, and nothing has to sort a million joined rows by day.
    return _per_day(session, ranges, lambda days: select(func.count()).select_from(r).where(
        r.mode == mode, r.reviewed_at >= days.c.lo, r.reviewed_at < days.c.hi))


def _per_day(session, ranges: Sequence[DayRange], count) -> dict[int, int]:
    counts: dict[int, int] = {}
    for chunk in _chunks(ranges):
        days = _days_table(chunk)
        query = select(days.c.day, count(days).correlate(days).scalar_subquery()).select_from(days)
        counts.update((int(day), int(n)) for day, n in session.execute(query) if n)
    return counts


def cards_total(session) -> int:
    """Cards that are not retired."""
    # All cards (a count any index answers) less the retired ones (their partial index): a
    # filter on `retired` itself would read every card row.
    every = session.scalar(select(func.count()).select_from(CardRow))
    retired = session.scalar(select(func.count()).select_from(_retired_ids().subquery()))
    return int(every or 0) - int(retired or 0)


def answers_from(session, start: datetime, mode: str = "review") -> int:
    """Answers in `mode` logged at or after `start` (e.g. stamped ahead of a time-travelled clock)."""
    return int(session.scalar(select(func.count()).select_from(ReviewRow)
                              .where(ReviewRow.mode == mode, ReviewRow.reviewed_at >= start)) or 0)


def _retired_ids():
    # Written `retired = 1` (not `IS 1`) so SQLite reads the partial index of retired cards.
    return select(CardRow.id).where(CardRow.retired == true())


def due_per_day(session, ranges: Sequence[DayRange]) -> dict[int, int]:
    """Studied cards (learning, review, relearning; not suspended or retired) falling due in each
    day range: {day index: count}. Give the first range an early start to count the backlog."""
    s = ScheduleRow
    # State, due and suspended are all in the queue index, and the few retired cards come from
    # their partial index: each day is one index range, no card row is read.
    return _per_day(session, ranges, lambda days: select(func.count()).select_from(s).where(
        s.state.in_(("learning", "review", "relearning")), s.due >= days.c.lo, s.due < days.c.hi,
        s.suspended.is_(False), s.card_id.not_in(_retired_ids())))


def recent_answers(session, windows: dict[str, datetime], mature_days: int) -> dict[str, Any]:
    """True retention counts and answer time over the latest windows (`{name: start}`).

    Retention counts review-mode answers to cards that were in the review state (learning steps
    are not a test of memory); passed means any rating but Again. A card was mature when the
    interval it had been scheduled with before this answer (its `due` minus its `last_review`, from
    the log's `interval_before`) was at least `mature_days`, as Anki's "last interval".
    Answer time: the mean over every review-mode answer in the widest window, each capped at
    ANSWER_CAP_MS. Returns `{"retention": {name: {"young"|"mature": (reviews, passed)}},
    "answers": n, "seconds": mean or None}`.
    """
    r = ReviewRow
    names = list(windows)
    since = min(windows.values())
    tested = and_(r.state_before == "review", r.rating.is_not(None))
    passed = r.rating > 1
    capped = case((r.duration_ms > ANSWER_CAP_MS, ANSWER_CAP_MS), else_=r.duration_ms)
    recent = [r.reviewed_at >= windows[name] for name in names]
    scope = and_(r.mode == "review", r.reviewed_at >= since)

    totals = select(func.count(), func.avg(capped),
                    *(agg for w in recent for agg in (func.count().filter(w, tested),
                                                      func.count().filter(w, tested, passed))))
    row = session.execute(totals.select_from(r).where(scope)).one()
    answers, mean_ms, *all_counts = row

    # The interval before each answer is a column of the covering index (migration 0004), so
    # this count, like the one above, reads the index alone.
    last_interval = r.interval_before
    mature = select(*(agg for w in recent for agg in (func.count().filter(w),
                                                      func.count().filter(w, passed))))
    mature_counts = session.execute(mature.select_from(r).where(
        scope, tested, last_interval >= mature_days)).one()

    retention: dict[str, dict[str, tuple[int, int]]] = {}
    for i, name in enumerate(names):
        n, ok = int(all_counts[2 * i] or 0), int(all_counts[2 * i + 1] or 0)
        mn, mok = int(mature_counts[2 * i] or 0), int(mature_counts[2 * i + 1] or 0)
        retention[name] = {"young": (n - mn, ok - mok), "mature": (mn, mok)}
    return {"retention": retention, "answers": int(answers or 0),
            "seconds": float(mean_ms) / 1000 if mean_ms is not None else None}


def deck_mastery(session, mature_days: int) -> list[dict[str, Any]]:
    """Each deck's cards by stage: new, learning (incl. relearning), young and mature review
    cards (current interval below / at least `mature_days`), suspended. Retired cards are left out;
    a suspended card counts only as suspended."""
    s, c = ScheduleRow, CardRow
    code = {name: i for i, name in enumerate(STAGES)}
    stage = case(
        (s.suspended.is_(True), code["suspended"]),
        (s.state == "new", code["new"]),
        (s.state.in_(("learning", "relearning")), code["learning"]),
        (func.coalesce(interval_days(s.due, s.last_review), 0.0) >= mature_days, code["mature"]),
        else_=code["young"],
    )
    # One integer key per (deck, stage). Grouped by the deck_id column instead, SQLite walks the
    # cards in deck order through the deck_id index, one random read per card: a plain scan and
    # a sort of small integers is about twice as fast on a large collection.
    key = c.deck_id * len(STAGES) + stage
    query = (select(key, func.count()).select_from(c).join(s, s.card_id == c.id)
             .where(c.retired.is_(False)).group_by(key))
    counts: dict[int, dict[str, int]] = {}
    for value, n in session.execute(query):
        deck_id, stage_code = divmod(int(value), len(STAGES))
        counts.setdefault(deck_id, {})[STAGES[stage_code]] = int(n)
    out = []
    for deck_id, name, title in session.execute(
            select(DeckRow.id, DeckRow.name, DeckRow.title).order_by(DeckRow.name)):
        stages = counts.get(int(deck_id), {})
        row = {k: stages.get(k, 0) for k in STAGES}
        out.append({"name": name, "title": title, "cards": sum(row.values()), **row})
    return out


def hardest_cards(session, limit: int) -> list[dict[str, Any]]:
    """The cards (not retired) with the most lapses, most first; cards that never lapsed are left out."""
    s, c = ScheduleRow, CardRow
    query = (select(c.key, DeckRow.name, c.prompt, s.lapses, s.reps, s.state, s.suspended)
             .select_from(s).join(c, c.id == s.card_id).join(DeckRow, DeckRow.id == c.deck_id)
             .where(c.retired.is_(False), s.lapses > 0)
             .order_by(s.lapses.desc(), s.reps.desc(), c.key)
             .limit(limit))
    return [{"card": key, "deck": deck, "prompt": prompt, "lapses": int(lapses), "reps": int(reps),
             "state": state, "suspended": bool(suspended)}
            for key, deck, prompt, lapses, reps, state, suspended in session.execute(query)]


def read_figures(session: Session, today: date, first_shown: date, rollover: int,
                 forecast_days: int, windows: dict[str, datetime], mature_days: int,
                 hardest: int) -> StatsFigures:
    """Every figure of the stats report in one read: per-day answers from the first review (or
    `first_shown`, if the log is younger), the forecast, retention, decks and hardest cards."""
    from debrief.stats.days import day_ranges

    first_seen = first_review(session)
    first = min(first_shown, study_day(first_seen, rollover)) if first_seen else first_shown
    days = day_ranges(first, (today - first).days + 1, rollover)
    per_day = reviews_per_day(session, days)
    # Every review is in a day range, but for any stamped after today (a clock set back).
    reviews_total = sum(per_day.values()) + answers_from(session, days[-1][2])
    upcoming = day_ranges(today, forecast_days, rollover)
    due = due_per_day(session, [(-1, _EPOCH, upcoming[0][1]), *upcoming])
    return StatsFigures(first_day=first, per_day=per_day, reviews_total=reviews_total,
                        cards_total=cards_total(session), due=due,
                        recent=recent_answers(session, windows, mature_days),
                        decks=deck_mastery(session, mature_days), hardest=hardest_cards(session, hardest))
