"""A long `debrief import` beside `stats --json` and `review --plain` sessions in other processes:
the file stays sound (`PRAGMA integrity_check`) and every acknowledged answer is stored.

The scenario lives in `scenario()` so `scripts/import_while_reviewing.py` can repeat it."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from support.commands import run_debrief as run

pytestmark = pytest.mark.e2e

NOW = "2026-03-02T09:00:00Z"


def write_deck(path: Path, cards: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write('[deck]\nname = "big"\ntitle = "Big"\n')
        for i in range(cards):
            out.write(f'\n[[cards]]\nid = "big-{i}"\nprompt = "Question {i}?"\nanswer = "a{i}"\n')




def scenario(debrief_bin: str, env: dict[str, str], work: Path, cards: int = 20_000) -> dict[str, int]:
    """Run the import beside readers and reviewers; return what was acknowledged and stored.

    Raises AssertionError when a command fails, the file is damaged or an answer is missing."""
    home = Path(env["DEBRIEF_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("[scheduling]\nnew_per_day = 5000\n", encoding="utf-8")
    first = run(debrief_bin, env, "review", "--plain", "--limit", "3", stdin="x\n3\n" * 3)
    assert first.returncode == 0, first.stderr
    acknowledged = first.stdout.count("Saved:")
    deck = work / "big.toml"
    write_deck(deck, cards)
    importer = subprocess.Popen([debrief_bin, "import", str(deck)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
    sessions = 0
    try:
        # Keep reading and answering for as long as the import runs (and at least a few rounds).
        while importer.poll() is None or sessions < 3:
            stats = run(debrief_bin, env, "stats", "--json")
            assert stats.returncode == 0, stats.stderr
            review = run(debrief_bin, env, "review", "--plain", "--limit", "4", stdin="x\n3\n" * 4)
            assert review.returncode == 0, review.stderr
            assert "Traceback" not in review.stderr
            acknowledged += review.stdout.count("Saved:")
            sessions += 1
        out, err = importer.communicate(timeout=300)
    finally:
        if importer.poll() is None:
            importer.kill()
            importer.wait(10)
    assert importer.returncode == 0, err
    assert "20000 added" in out or f"{cards} added" in out, out
    db = sqlite3.connect(home / "debrief.db")
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchall()
        stored = db.execute("SELECT count(*) FROM reviews").fetchone()[0]
        imported = db.execute("SELECT count(*) FROM cards WHERE key LIKE 'big-%'").fetchone()[0]
    finally:
        db.close()
    assert integrity == [("ok",)], integrity[:5]
    assert stored == acknowledged, (stored, acknowledged)
    assert imported == cards
    after = run(debrief_bin, env, "check")
    assert after.returncode == 0, after.stderr
    return {"acknowledged": acknowledged, "stored": stored, "sessions": sessions}


def test_a_long_import_beside_stats_and_reviews_corrupts_nothing_and_loses_no_answer(
        debrief_bin, debrief_env, tmp_path):
    env = {**debrief_env, "DEBRIEF_NOW": NOW}
    started = time.monotonic()
    result = scenario(debrief_bin, env, tmp_path)
    assert result["sessions"] >= 3, (result, time.monotonic() - started)
