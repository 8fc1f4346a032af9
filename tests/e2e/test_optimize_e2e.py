"""`debrief optimize` as the real command on a real log: JSON keys, saving, stats, refusal."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

DEBRIEF = shutil.which("debrief", path=str(Path(sys.executable).parent)) or "debrief"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
END = START + timedelta(days=60)


def run(home: Path, *args: str, now: datetime = END) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
    environ.update({"DEBRIEF_HOME": str(home), "DEBRIEF_NOW": now.isoformat(), "TZ": "UTC"})
    return subprocess.run([DEBRIEF, *args], capture_output=True, text=True, env=environ,
                          timeout=120)


@pytest.fixture
def logged(tmp_path, monkeypatch):
    """A home whose log holds two months of answers to the bundled cards (about 85% remembered)."""
    from debrief.config import Settings
    from debrief.scheduling import Rating
    from debrief.workspace import Workspace

    home = tmp_path / "home"
    monkeypatch.setenv("DEBRIEF_HOME", str(home))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    ws = Workspace.open(None, clock=lambda: START)
    ws.settings = Settings(enable_fuzzing=False)
    rng = random.Random(7)
    for index, record in enumerate(ws.store.decks.cards()[:160]):
        at, state = START + timedelta(days=index // 8, minutes=index), record.state
        while at < END:
            if state.is_new or state.state != "review":
                rating = Rating.GOOD
            else:
                rating = Rating.GOOD if rng.random() < 0.85 else Rating.AGAIN
            _id, state = ws.store.queue.record_review(
                record.pk, at, lambda s, r=rating, t=at: ws.scheduler.review(s, r, t),
                rating=int(rating), answer=None, verdict=None, score=None, duration_ms=5000)
            at = max(state.due, at + timedelta(minutes=1))
    ws.close()
    yield home
    monkeypatch.undo()
    time.tzset()


def test_optimize_dry_run_json_save_stats_and_plan(logged):
    result = run(logged, "optimize", "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["reviews", "parameters", "log_loss_before", "log_loss_after",
                          "rmse_before", "rmse_after", "saved"]
    assert data["saved"] is False and data["reviews"] >= 400 and len(data["parameters"]) == 21
    assert data["log_loss_after"] <= data["log_loss_before"]
    assert not (logged / "config.toml").exists()

    (logged / "config.toml").write_text("# mine\n[scheduling]\nnew_per_day = 25  # more\n")
    result = run(logged, "optimize")
    assert result.returncode == 0, result.stderr
    assert "log loss" in result.stdout and "RMSE" in result.stdout
    assert "(due dates kept)" in result.stdout
    text = (logged / "config.toml").read_text()
    assert text.startswith("# mine\n[scheduling]\nnew_per_day = 25  # more\nparameters = [")
    saved = tomllib.loads(text)["scheduling"]["parameters"]
    assert saved == pytest.approx(data["parameters"], abs=1e-3)

    stats = json.loads(run(logged, "stats", "--json").stdout)
    assert stats["parameters"]["source"] == "fitted"
    assert stats["parameters"]["parameters"] == pytest.approx(saved)
    assert stats["parameters"]["fitted_at"].startswith(END.date().isoformat())

    plan = run(logged, "plan", "--interview", (END + timedelta(days=20)).date().isoformat())
    assert plan.returncode == 0, plan.stderr
    assert "Predictions from your fitted FSRS parameters" in plan.stdout

    retention = run(logged, "optimize", "--retention")
    assert retention.returncode == 0, retention.stderr
    assert [line.split()[0] for line in retention.stdout.splitlines()[2:6]] == [
        "0.80", "0.85", "0.90", "0.95"]
    assert "Recommended desired_retention: 0." in retention.stdout


def test_optimize_refuses_a_small_log_in_one_line(tmp_path):
    result = run(tmp_path, "optimize")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("debrief: error: not enough reviews to fit: 0 answers")
    assert result.stderr.count("\n") == 1
