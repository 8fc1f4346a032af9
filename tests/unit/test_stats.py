"""Stats after a simulated week of reviews equal the figures worked out by hand.

The week straddles the start of summer time in Berlin (Sunday 2026-03-29, 02:00 CET -> 03:00
CEST), so study days (4 am local rollover) are 23 hours long there and a fixed UTC offset would
put reviews on the wrong day. Runs on SQLite, and on PostgreSQL when DEBRIEF_TEST_PG_URL is set.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta

import pytest

from debrief.cards import Card, Deck
from debrief.config import Settings
from debrief.scheduling import CardState, Rating
from debrief.stats import basic_stats, quiz_trend, stats_report
from debrief.store import open_store
from debrief.workspace import Workspace

Z = UTC


def at(text: str) -> datetime:
    """An instant written as UTC: `at("03-28 02:30")` is 2026-03-28 02:30Z."""
    return datetime.fromisoformat(f"2026-{text}:00").replace(tzinfo=Z)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


NOW = at("03-31 16:00")  # Tuesday 18:00 CEST: study day 2026-03-31

# (when, kind of card before the answer, rating). Kinds: young (interval 5 d), mature (30 d),
# m21 / y20 (interval exactly 21 / 20 days: the boundary), learning, new.
DRILL = [
    ("03-01 10:00", "mature", Rating.GOOD),   # study day 03-01: outside the 30-day window
    ("03-02 10:00", "young", Rating.AGAIN),
    ("03-03 10:00", "mature", Rating.GOOD),
    ("03-04 10:00", "learning", Rating.GOOD),  # a learning step: not counted in retention
    ("03-05 10:00", "new", Rating.GOOD),       # a new card: not counted in retention
    ("03-06 10:00", "young", Rating.GOOD),
    ("03-25 10:00", "mature", Rating.AGAIN),
    ("03-25 20:00", "young", Rating.GOOD),
    ("03-28 02:30", "young", Rating.HARD),     # 03:30 CET: still study day 03-27
    ("03-28 12:00", "mature", Rating.GOOD),
    ("03-29 01:30", "mature", Rating.EASY),    # 03:30 CEST (just after the jump): still 03-28
    ("03-29 02:30", "young", Rating.AGAIN),    # 04:30 CEST: study day 03-29 (UTC+1 would say 03-28)
    ("03-30 08:00", "learning", Rating.AGAIN),
    ("03-30 09:00", "mature", Rating.GOOD),
    ("03-30 10:00", "young", Rating.GOOD),
    ("03-31 07:00", "m21", Rating.AGAIN),
    ("03-31 08:00", "y20", Rating.GOOD),
]
INTERVAL = {"young": 5, "mature": 30, "m21": 21, "y20": 20}
SLOW = "03-06 10:00"  # this answer took 2 minutes: counted as 60 s in the answer time


@pytest.fixture
def berlin(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def card(deck: str, n: int) -> Card:
    return Card(id=f"{deck}-{n:02d}", deck=deck, kind="text", prompt=f"{deck} prompt {n}", answer="x")


def plan_deck(with_retired: bool = True) -> Deck:
    cards = [card("plan", n) for n in range(1, 11) if with_retired or n != 10]
    return Deck(name="plan", title="Forecast cards", cards=tuple(cards))


def review_state(due: datetime, interval_days: float, lapses: int = 0) -> CardState:
    return CardState(state="review", stability=float(interval_days), difficulty=5.0, due=due,
                     last_review=due - timedelta(days=interval_days), reps=3, lapses=lapses)


def answer(ws: Workspace, pk: int, when: datetime, kind: str, rating: Rating) -> None:
    """Put the card in the state `kind`, answer it at `when`, then park it 60 days out."""
    store = ws.store
    if kind in INTERVAL:
        store.queue.reschedule(pk, review_state(when - timedelta(hours=1), INTERVAL[kind]))
    elif kind == "learning":
        store.queue.reschedule(pk, CardState(state="learning", step=0, stability=1.0, difficulty=5.0,
                                             due=when, last_review=when - timedelta(minutes=10), reps=1))
    duration = 120_000 if when == at(SLOW) else 4_000
    store.queue.record_review(pk, when, lambda s: ws.scheduler.review(s, rating, when), mode="review",
                              rating=int(rating), answer="x", verdict=None, score=None,
                              duration_ms=duration)
    store.queue.reschedule(pk, review_state(when + timedelta(days=60), 60))


@pytest.fixture
def week(db_url, berlin, tmp_path, monkeypatch):
    """A workspace after the simulated reviews, its clock at NOW."""
    monkeypatch.setenv("DEBRIEF_HOME", str(tmp_path / "home"))
    clock = Clock(at("02-27 12:00"))
    ws = Workspace(store=open_store(db_url), settings=Settings(enable_fuzzing=False), clock=clock)
    drill = Deck(name="drill", title="Drill", cards=tuple(card("drill", n) for n in range(1, 21)))
    ws.store.decks.sync_decks([drill, plan_deck()], clock.now)
    pks = {r.card.id: r.pk for r in ws.store.decks.cards()}

    # A longer run earlier: 03-01 .. 03-06 (six days), then the week 03-25 .. 03-31.
    for n, (when, kind, rating) in enumerate(DRILL, start=1):
        clock.now = at(when)
        answer(ws, pks[f"drill-{n:02d}"], at(when), kind, rating)

    # A quiz on 03-26: quiz answers do not count as reviews (no heatmap, no streak, no retention).
    clock.now = at("03-26 10:00")
    quiz = ws.store.quizzes.start_quiz(clock.now, {})
    ws.store.queue.record_review(pks["drill-19"], clock.now, None, mode="quiz", rating=None, answer="x",
                                 verdict="correct", score=1.0, duration_ms=9_000, quiz_id=quiz)
    ws.store.queue.record_review(pks["drill-20"], clock.now, None, mode="quiz", rating=None, answer="y",
                                 verdict="wrong", score=0.0, duration_ms=9_000, quiz_id=quiz)
    ws.store.quizzes.finish_quiz(quiz, clock.now + timedelta(seconds=30), 1, 2, 30.0)

    # The forecast cards, set by hand.
    plan = {n: pks[f"plan-{n:02d}"] for n in range(1, 11)}
    ws.store.queue.reschedule(plan[1], review_state(at("03-31 20:00"), 5))            # today, later on
    ws.store.queue.reschedule(plan[2], review_state(at("03-29 10:00"), 3))            # overdue: today
    ws.store.queue.reschedule(plan[3], CardState(state="learning", step=1, stability=1.0, difficulty=5.0,
                                                 due=at("04-01 01:00"), last_review=at("03-31 15:00"),
                                                 reps=1))                             # 03:00 CEST: today
    ws.store.queue.reschedule(plan[4], review_state(at("04-01 02:30"), 30, lapses=5))  # 04:30 CEST: 04-01
    ws.store.queue.reschedule(plan[5], review_state(at("04-03 12:00"), 10))
    ws.store.queue.reschedule(plan[6], review_state(at("04-03 13:00"), 10))           # suspended below
    ws.store.decks.set_suspended(plan[6], True, ws.now())
    ws.store.queue.reschedule(plan[7], review_state(at("04-29 12:00"), 40, lapses=2))  # the 30th day
    ws.store.queue.reschedule(plan[8], review_state(at("04-30 12:00"), 21))           # the 31st day
    # plan-09 stays new; plan-10 is due but retired (gone from its deck file).
    ws.store.queue.reschedule(plan[10], review_state(at("04-02 12:00"), 10))
    ws.store.decks.sync_decks([plan_deck(with_retired=False)], clock.now)

    clock.now = NOW
    yield ws
    ws.close()


def nonzero(days: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in days.items() if v}


def test_heatmap_counts_reviews_per_study_day(week):
    report = stats_report(week)
    assert nonzero(report["heatmap"]) == {
        "2026-03-01": 1, "2026-03-02": 1, "2026-03-03": 1, "2026-03-04": 1, "2026-03-05": 1,
        "2026-03-06": 1,
        "2026-03-25": 2, "2026-03-27": 1, "2026-03-28": 2, "2026-03-29": 1, "2026-03-30": 3,
        "2026-03-31": 2,
    }
    days = list(report["heatmap"])
    # Every study day from the Monday 52 weeks before this week's Monday through today.
    assert days[0] == "2025-03-31" and days[-1] == "2026-03-31"
    assert len(days) == 52 * 7 + 2
    assert date.fromisoformat(days[0]).weekday() == 0


def test_streaks(week):
    report = stats_report(week)
    assert report["streak"] == 5  # 03-27 .. 03-31 (03-26 had only a quiz)
    assert report["longest_streak"] == 6  # 03-01 .. 03-06
    assert report["study_days"] == 12


def test_streak_survives_a_day_not_yet_studied_and_ends_after_a_missed_one(week):
    week.clock.now = at("04-01 10:00")  # the next study day, nothing reviewed yet
    report = stats_report(week)
    assert (report["streak"], report["longest_streak"]) == (5, 6)
    week.clock.now = at("04-02 10:00")  # 04-01 went by without a review
    assert stats_report(week)["streak"] == 0


def test_forecast(week):
    report = stats_report(week)
    forecast = report["forecast"]
    assert list(forecast)[0] == "2026-03-31" and list(forecast)[-1] == "2026-04-29"
    assert len(forecast) == 30
    # Today: plan-01, the overdue plan-02 and plan-03 (due 03:00 CEST tomorrow, before the
    # rollover). Suspended, retired, new cards and cards due after the 30th day are left out.
    assert nonzero(forecast) == {"2026-03-31": 3, "2026-04-01": 1, "2026-04-03": 1,
                                 "2026-04-29": 1}
    assert report["overdue"] == 1


def test_true_retention(week):
    retention = stats_report(week)["retention"]
    assert retention["desired"] == 0.9 and retention["mature_days"] == 21
    week7, week30 = retention["last_7_days"], retention["last_30_days"]
    assert (week7["young"]["reviews"], week7["young"]["passed"]) == (5, 4)
    assert (week7["mature"]["reviews"], week7["mature"]["passed"]) == (5, 3)
    assert (week7["all"]["reviews"], week7["all"]["passed"]) == (10, 7)
    assert week7["young"]["rate"] == 0.8 and week7["mature"]["rate"] == 0.6
    assert (week30["young"]["reviews"], week30["young"]["passed"]) == (7, 5)
    assert (week30["mature"]["reviews"], week30["mature"]["passed"]) == (6, 4)
    assert week30["all"]["rate"] == round(9 / 13, 4)


def test_answer_time_caps_each_answer_at_a_minute(week):
    answer_time = stats_report(week)["answer_time"]
    # 16 review-mode answers from 03-02 on; 15 took 4 s and one 120 s, counted as 60 s.
    assert answer_time == {"average_seconds": 7.5, "reviews": 16, "days": 30, "cap_seconds": 60}


def test_decks_hardest_and_quizzes(week):
    report = stats_report(week)
    decks = {d["name"]: d for d in report["decks"]}
    assert {k: decks["plan"][k] for k in ("cards", "new", "learning", "young", "mature", "suspended")} \
        == {"cards": 9, "new": 1, "learning": 1, "young": 3, "mature": 3, "suspended": 1}
    assert decks["plan"]["mastery"] == round(3 / 9, 4)
    # Each answered drill card was parked 60 days out (mature); drill-18..20 were never reviewed
    # (19 and 20 only answered in the quiz), so they are new.
    assert (decks["drill"]["mature"], decks["drill"]["new"]) == (17, 3)
    assert [(c["card"], c["lapses"]) for c in report["hardest"]] == [("plan-04", 5), ("plan-07", 2)]
    assert len(report["quizzes"]) == 1
    quiz = report["quizzes"][0]
    assert (quiz["score"], quiz["total"], quiz["accuracy"]) == (1, 2, 0.5)
    assert quiz["day"] == "2026-03-26"
    # The screen draws the rest first and asks for the quiz trend on its own.
    rest = stats_report(week, quizzes=False)
    assert "quizzes" not in rest and rest == {k: v for k, v in report.items() if k != "quizzes"}
    assert quiz_trend(week) == report["quizzes"]


def test_headline_figures_agree_with_basic_stats(week):
    report = stats_report(week)
    basic = basic_stats(week)
    for key in ("cards_total", "reviews_total", "reviews_today", "due_today", "new_today", "today"):
        assert report[key] == basic[key], key
    assert report["reviews_total"] == 17 and report["reviews_today"] == 2
    json.dumps(report)  # JSON-ready as it is


def test_an_empty_collection(db_url, berlin, tmp_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_HOME", str(tmp_path / "home"))
    ws = Workspace(store=open_store(db_url), settings=Settings(), clock=lambda: NOW)
    try:
        report = stats_report(ws)
    finally:
        ws.close()
    assert (report["streak"], report["longest_streak"], report["reviews_total"]) == (0, 0, 0)
    assert not nonzero(report["heatmap"]) and not nonzero(report["forecast"])
    assert report["retention"]["last_7_days"]["all"] == {"reviews": 0, "passed": 0, "rate": None}
    assert report["answer_time"]["average_seconds"] is None
    assert report["decks"] == [] and report["hardest"] == [] and report["quizzes"] == []
