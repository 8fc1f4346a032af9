"""`debrief plan`, run as the real command: set, show, clear, JSON, and one clear line for bad input."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import pytest

from support.database import seed_home

pytestmark = pytest.mark.e2e

NOW = "2026-03-01T10:00:00Z"


@pytest.fixture
def run(debrief_bin, debrief_env, collection_db):
    seed_home(collection_db, Path(debrief_env["DEBRIEF_HOME"]))  # the bundled decks, synced

    def run(*args: str, now: str = NOW) -> subprocess.CompletedProcess[str]:
        env = {**debrief_env, "DEBRIEF_NOW": now}
        return subprocess.run([debrief_bin, "plan", *args], env=env, capture_output=True,
                              text=True, timeout=60)

    return run


def test_set_show_and_clear(run):
    result = run()
    assert result.returncode == 0
    assert result.stdout.startswith("No interview date set.")

    result = run("--interview", "2026-03-31")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Interview date set: Tue 2026-03-31." in out
    assert "Interview: Tue 2026-03-31 - 30 days left" in out
    assert "overall" in out and "Expected workload (FSRS projection):" in out
    assert "Cards at risk on the day: 0" in out

    data = json.loads(run("--json").stdout)
    assert data["interview_date"] == "2026-03-31" and data["days_left"] == 30 and data["active"]
    assert data["recall_today"] == 0.0 and data["recall_on_day"] == 0.0  # nothing studied yet
    assert data["new_per_day"] == math.ceil(data["new_cards"] / 28)  # Mar 1 .. Mar 28
    assert data["learn_by"] == "2026-03-28" and data["lead_days"] == 3
    assert list(data["workload"])[:2] == ["2026-03-01", "2026-03-02"] and len(data["workload"]) == 30
    assert data["at_risk"] == 0 and data["at_risk_cards"] == []
    assert 0.9 < data["projected_recall_on_day"] < 1.0
    assert set(data["decks"]) and all(
        {"recall_today", "recall_on_day", "projected_recall_on_day"} <= set(d)
        for d in data["decks"].values())

    later = run(now="2026-04-02T10:00:00Z")
    assert later.returncode == 0 and "has passed" in later.stdout
    assert json.loads(run("--json", now="2026-04-02T10:00:00Z").stdout)["active"] is False

    result = run("--clear")
    assert result.returncode == 0 and "Interview date removed" in result.stdout
    assert json.loads(run("--json").stdout)["interview_date"] is None


@pytest.mark.parametrize(("args", "message"), [
    (["--interview", "2026-02-28"], "debrief: error: the interview date 2026-02-28 is in the past"),
    (["--interview", "next friday"], "debrief: error: not a date: 'next friday'"),
    (["--interview", "2026-02-30"], "debrief: error: not a date: '2026-02-30'"),
    (["--interview", "2026-03-31", "--clear"], "debrief: error: use either --interview"),
    (["--deck", "nope"], "debrief: error: unknown deck 'nope'"),
])
def test_bad_input_is_one_line_and_a_failure(run, args, message):
    result = run(*args)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
