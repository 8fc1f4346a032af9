"""Snapshots of the stats screen (100x30, fixed clock, seeded history), and screenshots/stats.svg.

Regenerate after a deliberate change with `pytest tests/snapshots/test_stats_snapshots.py
--snapshot-update` and look at the SVGs before committing them. The README screenshot comes from
the same data: `.venv/bin/python tests/snapshots/test_stats_snapshots.py` rewrites
screenshots/stats.svg.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert
from textual.app import App

from debrief.cards import Card, Deck
from debrief.config import Settings
from debrief.scheduling import CardState
from debrief.store import open_store
from debrief.store.models import ReviewRow
from debrief.tui.screens.stats import StatsScreen
from debrief.workspace import Workspace

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # a Monday afternoon
SIZE = (100, 30)
ROOT = Path(__file__).resolve().parents[2]

DECKS = {
    "roles": ["Who owns the application layer?", "Who owns model performance?",
              "Where does an AI PM's primary risk lie?", "Where does an ML PM's primary risk lie?",
              "The AI PM in one word: a product ____.", "The ML PM in one word: a technical ____."],
    "duties": ["Who defines the loss function?", "Who writes the prompt strategy?",
               "Who owns the evaluation harness?", "Who decides to fine-tune or to prompt?",
               "Who sets the latency budget?", "Who owns data labelling quality?"],
    "metrics": ["North Star of an AI writing assistant?", "Metric for a ranking model's top results?",
                "Share of relevant items found?", "Share of predicted positives that are right?",
                "Harmonic mean of precision and recall?", "A language model's surprise?",
                "Error metric robust to outliers?", "Area under the ROC curve, in short?"],
    "skills": ["Foundation-model fluency or training mechanics: which for an AI PM?",
               "What does an orchestration stack coordinate?", "Name two retrieval failure modes.",
               "What is a feature store for?", "When is RAG better than fine-tuning?"],
    "compensation": ["Senior ML PM premium over AI PM, in %?", "Senior AI PM total comp range, 2026?",
                     "What does skipping negotiation cost over four years?", "Equity or cash early on?"],
    "interviews": ["Why is the ML PM loop harder?", "Tell the cold-start story in one line.",
                   "The calendar-agent question: first metric?", "What does a debrief panel look for?",
                   "How long is a typical ML PM loop?"],
}


def demo_decks() -> list[Deck]:
    return [Deck(name=name, title=name.capitalize(),
                 cards=tuple(Card(id=f"{name}-{i:02d}", deck=name, kind="text", prompt=p, answer="x")
                             for i, p in enumerate(prompts, start=1)))
            for name, prompts in DECKS.items()]


def studied_days(rng: random.Random, first: date, today: date) -> list[date]:
    """More and more regular study; a 23-day run in the autumn and the last 9 days in a row."""
    days = []
    span = (today - first).days
    for i in range(span + 1):
        day = first + timedelta(days=i)
        run = date(2025, 10, 6) <= day < date(2025, 10, 29) or (today - day).days < 9
        gap = (today - day).days == 9 or day == date(2025, 10, 29)
        if run or (not gap and rng.random() < 0.25 + 0.55 * i / span):
            days.append(day)
    return days


def build_demo(ws: Workspace) -> None:
    """A seeded history from May 2025 to today: reviews, final card states, quizzes."""
    rng = random.Random(7)
    store = ws.store
    store.decks.sync_decks(demo_decks(), NOW - timedelta(days=320))
    records = store.decks.cards()
    pks = [r.pk for r in records]
    today = NOW.date()
    rows = []
    days = studied_days(rng, date(2025, 5, 1), today)
    for n, day in enumerate(days):
        for _ in range(rng.randint(4, 10 + 40 * n // len(days))):
            when = datetime.combine(day, datetime.min.time(), UTC) + timedelta(
                hours=rng.uniform(6, 14 if day == today else 22))
            state = rng.choices(["review", "learning", "new"], [7, 2, 1])[0]
            interval = min(90, max(1, round(rng.expovariate(1 / (3 + 40 * n / len(days))))))
            last = when - timedelta(days=interval * rng.uniform(0.95, 1.3))
            before = {"state": state, "step": None, "stability": float(interval), "difficulty": 5.0,
                      "due": (last + timedelta(days=interval)).isoformat(),
                      "last_review": last.isoformat(), "reps": 3, "lapses": 0}
            passed = rng.random() < (0.93 if interval >= 21 else 0.82)
            rows.append({"card_id": rng.choice(pks), "reviewed_at": when, "mode": "review",
                         "rating": rng.choice((2, 3, 3, 3, 4)) if passed else 1, "answer": "x",
                         "verdict": None, "score": None, "duration_ms": rng.randint(3000, 26000),
                         "state_before": state, "schedule_before": before, "quiz_id": None,
                         "interval_before": float(interval)})
    rows.sort(key=lambda r: r["reviewed_at"])
    with store.db.engine.begin() as connection:
        connection.execute(insert(ReviewRow), rows)

    for record in records:  # where each card stands today
        kind = rng.choices(["new", "learning", "young", "mature"], [2, 1, 4, 5])[0]
        if kind == "new":
            continue
        lapses = min(9, int(rng.expovariate(0.7)))
        if kind == "learning":
            state = CardState(state="learning", step=0, stability=1.0, difficulty=5.0,
                              due=NOW + timedelta(minutes=rng.randint(-300, 600)),
                              last_review=NOW - timedelta(hours=6), reps=2, lapses=lapses)
        else:
            interval = rng.randint(2, 20) if kind == "young" else rng.randint(21, 120)
            due = NOW + timedelta(days=rng.uniform(-2, min(interval, 40)))
            state = CardState(state="review", stability=float(interval), difficulty=5.0, due=due,
                              last_review=due - timedelta(days=interval), reps=5, lapses=lapses)
        store.queue.reschedule(record.pk, state)
    store.decks.set_suspended(pks[3], True, NOW)
    store.decks.set_suspended(pks[17], True, NOW)

    for q in range(14):  # a quiz every few days, scores slowly rising
        started = NOW - timedelta(days=40 - 3 * q, hours=3)
        total = 10
        score = min(total, max(2, round(total * (0.45 + 0.035 * q + rng.uniform(-0.12, 0.12)))))
        quiz = store.quizzes.start_quiz(started, {})
        for i, pk in enumerate(rng.sample(pks, total)):
            store.queue.record_review(pk, started + timedelta(seconds=20 * i), None, mode="quiz",
                                      rating=None, answer="x", verdict="correct" if i < score else "wrong",
                                      score=None, duration_ms=15000, quiz_id=quiz)
        store.quizzes.finish_quiz(quiz, started + timedelta(minutes=4), score, total, 230.0)


def open_demo(path: Path, empty: bool = False) -> Workspace:
    ws = Workspace(store=open_store(f"sqlite:///{path}"), settings=Settings(enable_fuzzing=False),
                   clock=lambda: NOW)
    if not empty:
        build_demo(ws)
    return ws


class StatsApp(App[None]):
    TITLE = "debrief"

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace

    def on_mount(self) -> None:
        self.push_screen(StatsScreen(self.workspace))


async def loaded(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def stats_env(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("NO_COLOR", raising=False)
    time.tzset()
    yield tmp_path
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def demo_ws(stats_env):
    ws = open_demo(stats_env / "debrief.db")
    yield ws
    ws.close()


def test_stats_screen(snap_compare, demo_ws):
    assert snap_compare(StatsApp(demo_ws), terminal_size=SIZE, run_before=loaded)


def test_stats_screen_scrolled_to_decks_and_hardest_cards(snap_compare, demo_ws):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await loaded(pilot)
        pilot.app.screen.query_one("#stats-body").scroll_end(animate=False)
        await pilot.pause()

    assert snap_compare(StatsApp(demo_ws), terminal_size=SIZE, run_before=run_before)


def test_stats_screen_of_an_empty_collection(snap_compare, stats_env):
    ws = open_demo(stats_env / "empty.db", empty=True)
    try:
        assert snap_compare(StatsApp(ws), terminal_size=SIZE, run_before=loaded)
    finally:
        ws.close()


async def _screenshot(out: Path) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DEBRIEF_HOME"] = str(Path(tmp) / "home")
        ws = open_demo(Path(tmp) / "debrief.db")
        try:
            app = StatsApp(ws)
            async with app.run_test(size=(100, 36)) as pilot:
                await loaded(pilot)
                app.save_screenshot(filename=out.name, path=str(out.parent))
        finally:
            ws.close()


if __name__ == "__main__":
    import asyncio

    os.environ["TZ"] = "UTC"
    os.environ.pop("NO_COLOR", None)
    time.tzset()
    target = ROOT / "screenshots" / "stats.svg"
    asyncio.run(_screenshot(target))
    print(f"wrote {target}", file=sys.stderr)
