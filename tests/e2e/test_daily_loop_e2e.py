"""The daily loop through the real `debrief` command over simulated days (DEBRIEF_NOW): counts that
agree everywhere, a month of reviews with ordered intervals, undo/suspend/bury in --plain, and
quiz misses sent to review that survive `check` and `plan`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

DEBRIEF = shutil.which("debrief", path=str(Path(sys.executable).parent)) or "debrief"
START = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)


def environ(home: Path, now: datetime) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
    env.update({"DEBRIEF_HOME": str(home), "DEBRIEF_NOW": now.isoformat(), "TZ": "UTC",
                "NO_COLOR": "1"})
    return env


def run(home: Path, now: datetime, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    result = subprocess.run([DEBRIEF, *args], input=stdin, capture_output=True, text=True,
                            env=environ(home, now), timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_home_browse_stats_and_decks_agree_on_every_count(tmp_path, monkeypatch):
    home = tmp_path / "home"
    # A morning's review: answers, a suspend after the feedback (the answer is saved first) and a
    # bury from the answer prompt.
    script = "x\n3\n" "x\n1\n" "x\ns\n" ":b\n" "x\n3\n" "x\n2\n"
    result = run(home, START, "review", "--plain", "--limit", "6", stdin=script)
    assert result.returncode == 0, result.stderr
    assert "Suspended" in result.stdout and "Buried until tomorrow" in result.stdout
    assert "Saved: Again (the suggestion)" in result.stdout  # the answer before the suspend

    stats = json.loads(run(home, START, "stats", "--json").stdout)
    decks = json.loads(run(home, START, "decks", "--json").stdout)
    table = run(home, START, "decks").stdout

    monkeypatch.setenv("DEBRIEF_HOME", str(home))
    monkeypatch.setenv("DEBRIEF_NOW", START.isoformat())
    from debrief.allowance import today_allowance
    from debrief.overview import overview
    from debrief.search import search
    from debrief.workspace import Workspace

    ws = Workspace.open(sync=False)
    try:
        home_view = overview(ws)
        records = ws.store.decks.cards()
        now, (_start, day_end) = ws.now(), ws.day_bounds()

        def browse(query: str) -> int:
            return len(search(records, query, now, day_end))

        allowance = today_allowance(ws)
        browse_new, browse_due = browse("is:new"), browse("is:due")
        suspended, buried = browse("is:suspended"), browse("is:buried")
    finally:
        ws.close()

    # Browse counts what can be studied; the decks command gives the same before the limits.
    assert browse_new == sum(d["new_available"] for d in decks)
    assert browse_due == sum(d["learning"] + d["due_available"] for d in decks)
    assert suspended == sum(d["suspended"] for d in decks) == 1
    # The card buried from the prompt, and the siblings (same `group`) of the cards answered.
    import sqlite3

    db = sqlite3.connect(home / "debrief.db")
    try:
        stored_buried = db.execute("SELECT count(*) FROM schedules WHERE buried_until > ?",
                                   (START.astimezone(UTC).replace(tzinfo=None).isoformat(" "),)).fetchone()[0]
    finally:
        db.close()
    assert buried == stored_buried >= 1
    # Today's figures, within the collection's limits, are the same on home, stats and decks.
    assert allowance.new_done == 5 and allowance.new_left == 15
    assert stats["new_today"] == home_view.new == min(browse_new, allowance.new_left)
    assert stats["due_today"] == home_view.due == browse_due
    total = next(line for line in table.splitlines() if line.startswith("total"))
    assert total.split()[2:5] == [str(stats["new_today"]), str(home_view.due - sum(
        d["due"] for d in decks)), str(sum(d["due"] for d in decks))]
    # Each deck row is the same on home and in `decks`.
    assert [(d.name, d.new, d.learning, d.due, d.suspended) for d in home_view.decks] == [
        (d["name"], d["new"], d["learning"], d["due"], d["suspended"]) for d in decks]
    assert stats["reviews_today"] == 5


def test_undo_in_plain_mode_takes_back_a_suspend(tmp_path):
    home = tmp_path / "home"
    result = run(home, START, "review", "--plain", "--limit", "3", stdin=":s\n:u\n")
    assert "Suspended" in result.stdout and "Undone: suspend of" in result.stdout
    assert json.loads(run(home, START, "stats", "--json").stdout)["reviews_total"] == 0
    cards = json.loads(run(home, START, "cards", "--json").stdout)
    assert not any(c["suspended"] for c in cards)


def test_end_of_input_at_the_rating_saves_the_answer_and_says_so(tmp_path):
    home = tmp_path / "home"
    result = run(home, START, "review", "--plain", stdin="x\n")
    assert "Input ended before a rating: Saved: " in result.stdout
    assert "(the suggestion)" in result.stdout
    assert json.loads(run(home, START, "stats", "--json").stdout)["reviews_total"] == 1


def test_review_new_n_raises_todays_limit_for_the_whole_day(tmp_path):
    home = tmp_path / "home"
    run(home, START, "review", "--plain", "--new", "25", stdin="")
    stats = json.loads(run(home, START, "stats", "--json").stdout)
    assert stats["new_limit_today"] == 25 and stats["new_today"] == 25
    tomorrow = json.loads(run(home, START + timedelta(days=1), "stats", "--json").stdout)
    assert tomorrow["new_limit_today"] == 20


def test_quiz_misses_on_new_cards_survive_check_and_plan(tmp_path):
    home = tmp_path / "home"
    quiz = run(home, START, "quiz", "--plain", "--count", "3", "--send-misses", stdin="x\nx\nx\n")
    assert "Sent 3 cards to review: due today." in quiz.stdout, quiz.stdout
    check = run(home, START, "check")
    assert check.returncode == 0, check.stderr
    review = run(home, START, "review", "--plain", "--new", "0")
    assert "3 learning" in review.stdout
    plan = run(home, START, "plan", "--interview", "2026-12-10")
    assert plan.returncode == 0, plan.stderr


def test_a_quiz_ended_early_is_marked_in_stats(tmp_path):
    home = tmp_path / "home"
    run(home, START, "quiz", "--plain", "--count", "5", "--time", "0", stdin="x\nx\n")
    stats = json.loads(run(home, START, "stats", "--json").stdout)
    [quiz] = stats["quizzes"]
    assert quiz["ended_early"] is True and quiz["total"] == 3  # two answered, one on screen


INTERVAL = re.compile(r"(\d) (Again|Hard|Good|Easy) (<1m|[\d.]+(?:mo|m|h|d|y))\*?")
UNIT = {"m": 60, "h": 3600, "d": 86400, "mo": 30 * 86400, "y": 365 * 86400}


def seconds(text: str) -> float:
    if text == "<1m":
        return 30.0
    number, unit = re.fullmatch(r"([\d.]+)(mo|m|h|d|y)", text).groups()
    return float(number) * UNIT[unit]


def out_of_order(line: str) -> str | None:
    """Why a `Rate:` line's intervals are out of order (None when they are in order)."""
    shown = [text for _n, _label, text in INTERVAL.findall(line)]
    assert len(shown) == 4, line
    values = [seconds(t) for t in shown]
    for (a, b), (ta, tb) in zip(zip(values, values[1:], strict=False), zip(shown, shown[1:], strict=False),
                                strict=True):
        if a > b:
            return f"{ta} before {tb}"
        if ta.endswith("d") and tb.endswith("d") and a == b and ta != shown[0]:
            return f"{ta} twice"  # Hard, Good and Easy in days must differ (Anki's clamp)
    return None


# The ordering itself (Anki's clamp of Hard < Good < Easy after fuzz) is debrief.scheduling's;
# this drives it end to end through the line mode over a month of study days.
def test_a_month_of_plain_reviews_never_shows_intervals_out_of_order(tmp_path):
    """30 simulated days, 6 cards a day, ratings cycling through all four buttons."""
    home = tmp_path / "home"
    ratings = "3342314"
    bad: list[str] = []
    shown = 0
    for day in range(30):
        now = START + timedelta(days=day, hours=16 if day else 0)
        lines = "".join(f"x\n{ratings[(day + i) % len(ratings)]}\n" for i in range(6))
        result = run(home, now, "review", "--plain", "--limit", "6", "--new", "3", stdin=lines)
        assert result.returncode == 0, result.stderr
        for line in result.stdout.splitlines():
            if line.startswith("Rate:"):
                shown += 1
                why = out_of_order(line)
                if why:
                    bad.append(f"day {day}: {why}: {line}")
    assert shown >= 150
    assert not bad, "\n".join(bad[:10])


PAIRS = """[deck]
name = "pairs"
title = "Pairs"

[[cards]]
id = "p1"
kind = "text"
prompt = "Capital of France?"
answer = "Paris"
group = "france"

[[cards]]
id = "p2"
kind = "text"
prompt = "Paris is the capital of which country?"
answer = "France"
group = "france"
"""


def test_siblings_wait_until_tomorrow_in_plain_mode(tmp_path):
    home = tmp_path / "home"
    deck = tmp_path / "pairs.toml"
    deck.write_text(PAIRS, encoding="utf-8")
    assert run(home, START, "import", str(deck)).returncode == 0
    # Good on the first card, then its learning step comes back (within the learn-ahead window).
    first = run(home, START, "review", "--plain", "--deck", "pairs", stdin="Paris\n3\nParis\n3\n")
    assert "Q: Capital of France?" in first.stdout
    assert "1 sibling card of the same group waits until tomorrow." in first.stdout
    assert "Paris is the capital" not in first.stdout and "Session over: 2 answered" in first.stdout
    tomorrow = run(home, START + timedelta(days=1), "review", "--plain", "--deck", "pairs",
                   stdin="France\n3\n")
    assert "Q: Paris is the capital of which country?" in tomorrow.stdout
