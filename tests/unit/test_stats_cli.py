"""`debrief stats --json` and `--plain`, with the clock fixed by DEBRIEF_NOW."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from debrief.cli import cli
from debrief.config import Settings
from debrief.scheduling import Rating
from debrief.stats import stats_report
from debrief.workspace import Workspace

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
KEYS = {"cards_total", "reviews_total", "reviews_today", "due_today", "new_today", "today",
        "day_starts_at", "streak", "longest_streak", "study_days", "heatmap", "forecast", "overdue",
        "retention", "answer_time", "decks", "hardest", "quizzes"}


@pytest.fixture
def env(tmp_path, monkeypatch):
    home = tmp_path / "home"
    values = {"DEBRIEF_HOME": str(home), "DEBRIEF_NOW": NOW.isoformat(), "TZ": "UTC"}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DEBRIEF_DB", raising=False)
    time.tzset()
    yield values
    monkeypatch.undo()
    time.tzset()


def studied_three_days(url: str) -> None:
    """The bundled decks, and one card reviewed on each of the last three days."""
    ws = Workspace.open(url, clock=lambda: NOW)
    ws.settings = Settings(enable_fuzzing=False)
    try:
        for n, record in enumerate(ws.store.decks.cards()[:3]):
            when = NOW - timedelta(days=n)
            ws.store.queue.record_review(record.pk, when, lambda s, w=when: ws.scheduler.review(s, Rating.GOOD, w),
                                         mode="review", rating=3, answer="x", verdict=None, score=None,
                                         duration_ms=5000)
    finally:
        ws.close()


def test_json_carries_every_figure(env, tmp_path):
    url = f"sqlite:///{tmp_path / 'debrief.db'}"
    studied_three_days(url)
    result = CliRunner().invoke(cli, ["--db", url, "stats", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert KEYS <= set(data)
    assert (data["streak"], data["longest_streak"], data["reviews_total"]) == (3, 3, 3)
    assert data["today"] == "2026-03-02"
    assert len(data["forecast"]) == 30 and list(data["forecast"])[0] == "2026-03-02"
    assert {k: v for k, v in data["heatmap"].items() if v} == {
        "2026-02-28": 1, "2026-03-01": 1, "2026-03-02": 1}
    assert {d["name"] for d in data["decks"]} >= {"roles", "metrics"}
    # The same figures the core computes for the same database and clock.
    ws = Workspace.open(url, clock=lambda: NOW, sync=False)
    try:
        assert json.loads(json.dumps(stats_report(ws), default=str)) == data
    finally:
        ws.close()


def test_plain_prints_text_charts(env, tmp_path):
    url = f"sqlite:///{tmp_path / 'debrief.db'}"
    studied_three_days(url)
    result = CliRunner().invoke(cli, ["--db", url, "stats", "--plain"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Streak 3 days · longest 3 days" in out
    assert "Reviews per day, last 53 weeks" in out and "Mon " in out
    assert "Due in the next 30 days" in out
    assert "True retention" in out and "desired 90%" in out
    assert "roles" in out and "█ mature" in out
    assert "\x1b" not in out
