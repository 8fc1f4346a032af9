"""The figures behind the stats screen, `--plain` and `--json`, gathered in one pass."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from debrief.clock import day_start, study_day
from debrief.stats.days import current_streak, day_ranges, heatmap_start, longest_streak
from debrief.workspace import Workspace

MATURE_DAYS = 21  # as Anki: a review card whose interval is at least 21 days is mature
HEATMAP_WEEKS = 53  # a year of week columns, the last one holding today (as GitHub)
FORECAST_DAYS = 30
RETENTION_WINDOWS = (7, 30)  # the last N study days, today included
ANSWER_TIME_DAYS = max(RETENTION_WINDOWS)  # the answer time is taken over the widest window
HARDEST = 10
QUIZZES = 100  # the latest N finished quizzes, when debrief.quiz is not there to ask
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def basic_stats(ws: Workspace) -> dict[str, Any]:
    """The headline figures: cards, reviews, and what today holds."""
    totals = ws.store.totals()  # type: ignore[attr-defined]
    return {"cards_total": totals["cards"], "reviews_total": totals["reviews"], **_today(ws)}


def _today(ws: Workspace, now: datetime | None = None) -> dict[str, Any]:
    """Answers given today, and what is left to do today within the collection's daily limits."""
    from debrief.allowance import today_allowance, today_counts

    now = now or ws.now()
    allowance = today_allowance(ws, now)
    counts = today_counts(ws, None, allowance)
    return {
        "reviews_today": allowance.answered,
        "due_today": counts.due,
        "new_today": counts.new,
        "new_limit_today": allowance.new_limit,
        "today": study_day(now, ws.settings.day_starts_at).isoformat(),
    }


def _rate(reviews: int, passed: int) -> dict[str, Any]:
    return {"reviews": reviews, "passed": passed,
            "rate": round(passed / reviews, 4) if reviews else None}


def stats_report(ws: Workspace, *, quizzes: bool = True) -> dict[str, Any]:
    """Every figure the stats screen draws, JSON-ready (ISO dates as keys, plain numbers).

    Keys: those of `basic_stats`, plus `day_starts_at`, `streak`, `longest_streak`,
    `study_days` (days with reviews, ever), `heatmap` (every study day of the last 53 weeks,
    ISO date -> review-mode answers), `forecast` (the next 30 study days, ISO date -> cards due;
    today's figure includes the backlog), `overdue` (that backlog), `retention`, `answer_time`,
    `decks`, `hardest` and `quizzes`. Review counts are review-mode answers (quiz answers are
    counted in `quizzes`). With `quizzes=False` the `quizzes` key is left out (see `quiz_trend`),
    so a screen can draw everything else first.
    """
    from debrief.store import stats_queries as q

    rollover = ws.settings.day_starts_at
    now = ws.now()
    today = study_day(now, rollover)
    first_shown = heatmap_start(today, HEATMAP_WEEKS)
    history = _quiz_history() if quizzes else None

    with ws.store.reading() as session:  # type: ignore[attr-defined]
        # Per-day counts from the first review ever (the longest streak needs them all), or from
        # the heatmap's first day when the log is younger than that.
        first_review = q.first_review(session)
        first = min(first_shown, study_day(first_review, rollover)) if first_review else first_shown
        days = day_ranges(first, (today - first).days + 1, rollover)
        per_day = q.reviews_per_day(session, days)
        # Every review is in a day range, but for any stamped after today (a clock set back).
        reviews_total = sum(per_day.values()) + q.answers_from(session, days[-1][2])
        cards_total = q.cards_total(session)

        # Day -1 is the backlog: everything due before today, from the epoch on.
        upcoming = day_ranges(today, FORECAST_DAYS, rollover)
        due = q.due_per_day(session, [(-1, _EPOCH, upcoming[0][1]), *upcoming])

        windows = {f"last_{n}_days": day_start(today - timedelta(days=n - 1), rollover)
                   for n in RETENTION_WINDOWS}
        recent = q.recent_answers(session, windows, MATURE_DAYS)
        decks = q.deck_mastery(session, MATURE_DAYS)
        hardest = q.hardest_cards(session, HARDEST)
        own_quizzes = q.quiz_rows(session, QUIZZES) if quizzes and history is None else None

    report: dict[str, Any] = {"cards_total": cards_total, "reviews_total": reviews_total,
                              **_today(ws, now), "day_starts_at": rollover}
    active = [first + timedelta(days=i) for i, n in per_day.items() if n]
    report["streak"] = current_streak(active, today)
    report["longest_streak"] = longest_streak(active)
    report["study_days"] = len(active)
    offset = (first_shown - first).days
    report["heatmap"] = {(first_shown + timedelta(days=i)).isoformat(): per_day.get(offset + i, 0)
                         for i in range((today - first_shown).days + 1)}
    overdue = due.get(-1, 0)
    report["forecast"] = {(today + timedelta(days=i)).isoformat(): due.get(i, 0) + (overdue if i == 0 else 0)
                          for i in range(FORECAST_DAYS)}
    report["overdue"] = overdue
    report["retention"] = _retention(recent["retention"], ws.settings.desired_retention)
    seconds = recent["seconds"]
    report["answer_time"] = {"average_seconds": round(seconds, 2) if seconds is not None else None,
                             "reviews": recent["answers"], "days": ANSWER_TIME_DAYS,
                             "cap_seconds": q.ANSWER_CAP_MS // 1000}
    for deck in decks:
        deck["mastery"] = round(deck["mature"] / deck["cards"], 4) if deck["cards"] else 0.0
    report["decks"] = decks
    report["hardest"] = hardest
    from debrief.optimize import parameter_source

    report["parameters"] = parameter_source(ws).to_json()  # the FSRS parameters in use
    if quizzes:
        report["quizzes"] = _quizzes(ws, history, own_quizzes, rollover)
    return report


def quiz_trend(ws: Workspace) -> list[dict[str, Any]]:
    """The report's `quizzes` on its own: finished quizzes, oldest first."""
    history = _quiz_history()
    rows = None
    if history is None:
        from debrief.store import stats_queries as q

        with ws.store.reading() as session:  # type: ignore[attr-defined]
            rows = q.quiz_rows(session, QUIZZES)
    return _quizzes(ws, history, rows, ws.settings.day_starts_at)


def _retention(counts: dict[str, dict[str, tuple[int, int]]], desired: float) -> dict[str, Any]:
    out: dict[str, Any] = {"desired": desired, "mature_days": MATURE_DAYS}
    for window, groups in counts.items():
        young, mature = groups["young"], groups["mature"]
        out[window] = {"young": _rate(*young), "mature": _rate(*mature),
                       "all": _rate(young[0] + mature[0], young[1] + mature[1])}
    return out


def _quiz_history():  # type: ignore[no-untyped-def]
    try:
        from debrief.quiz import quiz_history
    except ImportError:
        return None
    return quiz_history


def _quizzes(ws: Workspace, history, rows: list[dict[str, Any]] | None,  # type: ignore[no-untyped-def]
             rollover: int) -> list[dict[str, Any]]:
    """Finished quizzes, oldest first: the quiz module's history when it is there, else ours."""
    if history is not None:
        quizzes = [dict(item) for item in history(ws)]
    else:
        quizzes = []
        for row in rows or []:
            quizzes.append({
                "date": row["started_at"].isoformat(),
                "score": row["score"],
                "total": row["total"],
                "seconds": round(row["seconds"], 1),
                "accuracy_per_deck": {deck: round(ok / n, 4)
                                      for deck, (n, ok) in sorted(row["per_deck"].items()) if n},
            })
    for quiz in quizzes:
        total = quiz.get("total") or 0
        quiz.setdefault("accuracy", round(quiz.get("score", 0) / total, 4) if total else None)
        started = quiz.get("date")
        if isinstance(started, str) and "T" in started:
            quiz.setdefault("day", study_day(datetime.fromisoformat(started), rollover).isoformat())
    return quizzes
