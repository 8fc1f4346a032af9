"""Data safety with the real `debrief` command: an empty or damaged database is never opened as a
new one nor backed up over good backups; retention always keeps the last backup with reviews in
it; partial files of a killed backup are pruned; restore beside a live review loses nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from support.commands import run_debrief as run

pytestmark = pytest.mark.e2e

NOW = "2026-03-02T09:00:00Z"




def one_clear_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("debrief: error: "), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    return lines[0]


@pytest.fixture
def env(debrief_env) -> dict[str, str]:
    return {**debrief_env, "DEBRIEF_NOW": NOW}


@pytest.fixture
def home(env) -> Path:
    return Path(env["DEBRIEF_HOME"])


def reviewed(debrief_bin: str, env: dict[str, str], answers: int = 2) -> None:
    result = run(debrief_bin, env, "review", "--plain", "--limit", str(answers),
                 stdin="x\n3\n" * answers)
    assert result.returncode == 0 and result.stdout.count("Saved:") == answers, result.stderr


def backup_names(home: Path) -> set[str]:
    return {p.name for p in (home / "backups").iterdir()} if (home / "backups").exists() else set()


@pytest.mark.parametrize("command", [("review", "--plain"), ("stats", "--json"), ("backup",),
                                     ("check",), ("decks",)])
def test_a_zero_byte_database_is_refused_not_started_afresh_and_never_backed_up(
        command, debrief_bin, env, home):
    reviewed(debrief_bin, env)
    assert run(debrief_bin, env, "backup").returncode == 0
    before = backup_names(home)
    db = home / "debrief.db"
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    db.write_bytes(b"")  # truncated, as a crashed copy or a full disk can leave it
    line = one_clear_line(run(debrief_bin, env, *command, stdin="x\n3\n"))
    assert "empty" in line and "restore" in line
    assert db.stat().st_size == 0  # not turned into a new, empty database
    assert backup_names(home) == before


def test_a_new_database_is_never_visible_as_an_empty_file(debrief_bin, env, home):
    # Several processes creating the database at once: none may see (and refuse) a 0-byte file.
    procs = [subprocess.Popen([debrief_bin, "decks"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for _ in range(4)]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert not [p for p in home.iterdir() if ".new-" in p.name]


def test_backups_of_a_wiped_database_never_rotate_out_the_last_one_with_reviews(
        debrief_bin, env, home):
    reviewed(debrief_bin, env)
    assert run(debrief_bin, env, "backup").returncode == 0
    with_reviews = max(backup_names(home))  # the newest (names sort by time)
    db = sqlite3.connect(home / "debrief.db")
    db.execute("DELETE FROM reviews")  # the history is wiped (by mistake, or a bad script)
    db.commit()
    db.close()
    for _ in range(14):  # more than the 12 recent backups retention keeps
        assert run(debrief_bin, env, "backup").returncode == 0
    names = backup_names(home)
    assert with_reviews in names
    assert len(names) == 13  # 12 recent ones plus the last one with reviews


def test_partial_files_of_a_killed_backup_are_pruned(debrief_bin, env, home):
    reviewed(debrief_bin, env)
    assert run(debrief_bin, env, "backup").returncode == 0
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    partial = home / "backups" / f"debrief-20260302-085959-manual-{gone.pid}.partial"
    partial.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)  # cut short by a kill
    assert run(debrief_bin, env, "backup").returncode == 0
    assert not partial.exists()
    assert not [p for p in (home / "backups").iterdir() if p.suffix == ".partial"]
    # A partial file of a backup still running (this process) is left alone.
    running = home / "backups" / f"debrief-20260302-085959-manual-{os.getpid()}.partial"
    running.write_bytes(b"")
    assert run(debrief_bin, env, "backup").returncode == 0
    assert running.exists()


def test_restore_beside_a_live_review_loses_no_acknowledged_answer(debrief_bin, env, home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("[scheduling]\nnew_per_day = 5000\n", encoding="utf-8")
    reviewed(debrief_bin, env, 3)
    made = run(debrief_bin, env, "backup")
    assert made.returncode == 0, made.stderr
    chosen = max(backup_names(home))
    reviewer = subprocess.Popen([debrief_bin, "review", "--plain"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                bufsize=1, env=env)
    acknowledged: list[str] = []
    stop = threading.Event()

    def answer_until_stopped() -> None:
        # One answer at a time, each waiting for its "Saved:" line: what was acknowledged is known.
        assert reviewer.stdin is not None and reviewer.stdout is not None
        n = 0
        while not stop.is_set():
            text = f"ans{n}"
            reviewer.stdin.write(f"{text}\n3\n")
            reviewer.stdin.flush()
            for line in reviewer.stdout:
                if "Saved:" in line:
                    acknowledged.append(text)
                    break
            else:
                return
            n += 1

    feeder = threading.Thread(target=answer_until_stopped, daemon=True)
    feeder.start()
    try:
        assert wait_for(lambda: len(acknowledged) >= 3)
        for _ in range(6):
            before = len(acknowledged)
            result = run(debrief_bin, env, "restore", "--yes", chosen)
            assert result.returncode == 0, result.stderr
            # The reviewer keeps answering between restores, on the restored data.
            assert wait_for(lambda before=before: len(acknowledged) >= before + 3)
    finally:
        stop.set()
        feeder.join(60)
        reviewer.stdin.close()
        reviewer.wait(60)
    assert reviewer.returncode == 0, reviewer.stderr.read()
    stored: set[str] = set()
    for path in [home / "debrief.db", *(home / "backups").glob("*.db")]:
        db = sqlite3.connect(path)
        stored.update(r[0] for r in db.execute("SELECT answer FROM reviews WHERE answer LIKE 'ans%'"))
        db.close()
    lost = [a for a in acknowledged if a not in stored]
    assert lost == [], f"{len(lost)} of {len(acknowledged)} acknowledged answers lost"


def wait_for(predicate, timeout: float = 120) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_undo_after_a_restore_never_removes_another_sessions_answer(debrief_bin, env, home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("[scheduling]\nnew_per_day = 5000\n", encoding="utf-8")
    assert run(debrief_bin, env, "decks").returncode == 0
    made = run(debrief_bin, env, "backup")
    assert made.returncode == 0, made.stderr
    empty = max(backup_names(home))
    first = subprocess.Popen([debrief_bin, "review", "--plain"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             bufsize=1, env=env)
    assert first.stdin is not None and first.stdout is not None
    try:
        first.stdin.write("mine\n3\n")
        first.stdin.flush()
        assert any("Saved:" in line for line in first.stdout)
        # The answer's id is free again after this restore...
        assert run(debrief_bin, env, "restore", "--yes", empty).returncode == 0
        # ...and another session's answer takes it.
        reviewed(debrief_bin, env, 1)
        db = sqlite3.connect(home / "debrief.db")
        before = db.execute("SELECT id, answer FROM reviews").fetchall()
        db.close()
        assert len(before) == 1
        first.stdin.write("x\nu\n")  # next card's answer, then undo the previous one
        first.stdin.close()
        out = first.stdout.read()
        assert first.wait(60) == 0, first.stderr.read()
    finally:
        if first.poll() is None:
            first.kill()
    assert "Not undone" in out and "no longer in the log" in out, out[-500:]
    db = sqlite3.connect(home / "debrief.db")
    after = db.execute("SELECT id, answer FROM reviews").fetchall()
    db.close()
    assert after == before  # the other session's answer is still there
