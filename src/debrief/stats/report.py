"""The figures behind the stats screen, `--plain` and `--json`, gathered in one pass."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from debrief.cards import RIGHT_VERDICTS
from debrief.clock import day_start, study_day
from debrief.records import ANSWER_CAP_MS
from debrief.stats.days import current_streak, heatmap_start, longest_streak
from debrief.workspace import Workspace

MATURE_DAYS = 21  # as Anki: a review card whose interval is at least 21 days is mature
HEATMAP_WEEKS = 53  # a year of week columns, the last one holding today (as GitHub)
FORECAST_DAYS = 30
RETENTION_WINDOWS = (7, 30)  # the last N study days, today included
ANSWER_TIME_DAYS = max(RETENTION_WINDOWS)  # the answer time is taken over the widest window
HARDEST = 10


def basic_stats(ws: Workspace) -> dict[str, Any]:
    """The headline figures: cards, reviews, and what today holds."""
    totals = ws.store.log.totals()
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
    rollover = ws.settings.day_starts_at
    now = ws.now()
    today = study_day(now, rollover)
    first_shown = heatmap_start(today, HEATMAP_WEEKS)
    windows = {f"last_{n}_days": day_start(today - timedelta(days=n - 1), rollover)
               for n in RETENTION_WINDOWS}
    figures = ws.store.log.stats_figures(today, first_shown, rollover, FORECAST_DAYS, windows,
                                         MATURE_DAYS, HARDEST)
    first, per_day, due, recent = figures.first_day, figures.per_day, figures.due, figures.recent
    decks = figures.decks
    cards_total, reviews_total, hardest = figures.cards_total, figures.reviews_total, figures.hardest

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
                             "cap_seconds": ANSWER_CAP_MS // 1000}
    for deck in decks:
        deck["mastery"] = round(deck["mature"] / deck["cards"], 4) if deck["cards"] else 0.0
    report["decks"] = decks
    report["hardest"] = hardest
    from debrief.optimize import parameter_source

    report["parameters"] = parameter_source(ws).to_json()  # the FSRS parameters in use
    if quizzes:
        report["quizzes"] = quiz_trend(ws)
    return report


def quiz_trend(ws: Workspace) -> list[dict[str, Any]]:
    """The report's `quizzes` on its own: finished quizzes, oldest first.

    Each is `{"date": ISO-8601 start, "day": its study day, "score", "total", "seconds",
    "accuracy", "ended_early", "accuracy_per_deck": {deck: 0..1}}`; a question the quiz did not
    reach counts against its deck, unless the quiz was ended early (scored on those reached).
    """
    rollover = ws.settings.day_starts_at
    counts = ws.store.quizzes.quiz_deck_counts(RIGHT_VERDICTS)
    trend = []
    for quiz in ws.store.quizzes.quizzes():
        plan = (quiz.settings or {}).get("plan")
        ended_early = bool((quiz.settings or {}).get("ended_early"))
        totals: dict[str, int] = {}
        if isinstance(plan, list) and plan and not ended_early:
            for item in plan:
                deck = str(item.get("deck", "")) if isinstance(item, dict) else ""
                totals[deck] = totals.get(deck, 0) + 1
        else:
            totals = {deck: asked for deck, (_right, asked) in counts.get(quiz.id, {}).items()}
        hits = {deck: right for deck, (right, _asked) in counts.get(quiz.id, {}).items()}
        trend.append({
            "date": quiz.started_at.isoformat(),
            "day": study_day(quiz.started_at, rollover).isoformat(),
            "score": quiz.score,
            "total": quiz.total,
            "seconds": round(quiz.seconds, 1),
            "accuracy": round(quiz.score / quiz.total, 4) if quiz.total else None,
            "ended_early": ended_early,
            "accuracy_per_deck": {deck: round(min(hits.get(deck, 0), n) / n, 4)
                                  for deck, n in sorted(totals.items()) if n},
        })
    return trend


def _retention(counts: dict[str, dict[str, tuple[int, int]]], desired: float) -> dict[str, Any]:
    out: dict[str, Any] = {"desired": desired, "mature_days": MATURE_DAYS}
    for window, groups in counts.items():
        young, mature = groups["young"], groups["mature"]
        out[window] = {"young": _rate(*young), "mature": _rate(*mature),
                       "all": _rate(young[0] + mature[0], young[1] + mature[1])}
    return out
