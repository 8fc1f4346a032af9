"""Two terminals on one collection: concurrent real `debrief` processes lose no answer and corrupt
nothing, on SQLite and PostgreSQL; when one cannot go on, it says why in one line."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from support.commands import run_debrief as run

pytestmark = pytest.mark.e2e

NOW = "2026-03-02T09:00:00Z"


def query(url: str, sql: str):
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).all()
    finally:
        engine.dispose()




def test_processes_starting_together_on_a_new_database_all_work(db_url, debrief_bin, debrief_env):
    env = {**debrief_env, "DEBRIEF_DB": db_url, "DEBRIEF_NOW": NOW}
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _n: run(debrief_bin, env, "decks"), range(4)))
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert len({r.stdout for r in results}) == 1  # every process saw the same synced decks
    keys = query(db_url, "SELECT count(*), count(DISTINCT key) FROM cards")
    assert keys[0][0] == keys[0][1] > 0


def test_two_review_processes_at_once_lose_nothing(db_url, debrief_bin, debrief_env):
    env = {**debrief_env, "DEBRIEF_DB": db_url, "DEBRIEF_NOW": NOW}
    home = Path(env["DEBRIEF_HOME"])
    home.mkdir(parents=True)
    # Enough new cards today for both processes to answer all of theirs.
    (home / "config.toml").write_text("[scheduling]\nnew_per_day = 500\n", encoding="utf-8")
    assert run(debrief_bin, env, "decks").returncode == 0  # create it first, as a user would
    answers = 25
    script = "x\n3\n" * answers

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(
            lambda _n: run(debrief_bin, env, "review", "--plain", "--limit", str(answers),
                           stdin=script), range(2)))
    saved = 0
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        saved += result.stdout.count("Saved:")
    assert saved == 2 * answers
    assert query(db_url, "SELECT count(*) FROM reviews")[0][0] == saved
    # Every card's schedule reflects all its answers: reps counts the logged ones.
    mismatched = query(db_url, """
        SELECT s.card_id FROM schedules s
        JOIN (SELECT card_id, count(*) AS n FROM reviews GROUP BY card_id) r ON r.card_id = s.card_id
        WHERE s.reps != r.n""")
    assert mismatched == []
    if db_url.startswith("sqlite"):
        db = sqlite3.connect(db_url.removeprefix("sqlite:///"))
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        db.close()


def test_a_review_and_an_import_and_a_check_at_once(db_url, debrief_bin, debrief_env, tmp_path):
    env = {**debrief_env, "DEBRIEF_DB": db_url, "DEBRIEF_NOW": NOW}
    assert run(debrief_bin, env, "decks").returncode == 0
    deck = tmp_path / "mine.toml"
    deck.write_text('[deck]\nname = "mine"\ntitle = "Mine"\n' + "".join(
        f'\n[[cards]]\nid = "mine-{i}"\nprompt = "Question {i}?"\nanswer = "a{i}"\n'
        for i in range(300)), encoding="utf-8")
    jobs = [
        ("review", "--plain", "--limit", "20"),
        ("import", str(deck)),
        ("check",),
        ("review", "--plain", "--limit", "20"),
    ]
    with ThreadPoolExecutor(len(jobs)) as pool:
        results = list(pool.map(lambda args: run(debrief_bin, env, *args, stdin="x\n3\n" * 20), jobs))
    for args, result in zip(jobs, results, strict=True):
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
    saved = results[0].stdout.count("Saved:") + results[3].stdout.count("Saved:")
    assert saved == 40
    assert query(db_url, "SELECT count(*) FROM reviews")[0][0] == 40
    assert query(db_url, "SELECT count(*) FROM cards WHERE key LIKE 'mine-%'")[0][0] == 300


def hold_write_lock(path: Path, seconds: float) -> tuple[threading.Event, threading.Thread]:
    """Another program takes the write lock and keeps it `seconds` (or until the event is set)."""
    holder = sqlite3.connect(path, isolation_level=None, timeout=1, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Event()

    def keep() -> None:
        release.wait(seconds)
        holder.execute("ROLLBACK")
        holder.close()

    thread = threading.Thread(target=keep, daemon=True)
    thread.start()
    return release, thread


def test_a_review_blocked_by_a_long_write_lock_waits_keeps_the_answer_and_saves_it(
        debrief_bin, debrief_env):
    env = {**debrief_env, "DEBRIEF_NOW": NOW}
    assert run(debrief_bin, env, "decks").returncode == 0
    path = Path(env["DEBRIEF_HOME"]) / "debrief.db"
    # Held until the review says it is waiting (more than one 10 s busy timeout), as a long
    # import in another terminal could.
    release, thread = hold_write_lock(path, 600)
    review = subprocess.Popen([debrief_bin, "review", "--plain", "--limit", "1"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env)
    try:
        assert review.stdin is not None and review.stdout is not None
        review.stdin.write("x\n3\n")
        review.stdin.close()
        seen = ""
        for line in review.stdout:
            seen += line
            if "waiting for another debrief" in line:
                break
        assert "waiting for another debrief" in seen, (seen, review.stderr.read())
        assert "Saved:" not in seen
        release.set()
        out = review.stdout.read()
        review.wait(120)
        err = review.stderr.read() if review.stderr else ""
    finally:
        release.set()
        thread.join(30)
        if review.poll() is None:
            review.kill()
    assert review.returncode == 0, err
    assert "Saved:" in out and "busy" not in err
    assert query(f"sqlite:///{path}", "SELECT count(*), max(answer) FROM reviews")[0] == (1, "x")


def test_an_import_blocked_by_a_long_write_lock_says_so_in_one_line(debrief_bin, debrief_env,
                                                                      tmp_path):
    env = {**debrief_env, "DEBRIEF_NOW": NOW}
    assert run(debrief_bin, env, "decks").returncode == 0
    path = Path(env["DEBRIEF_HOME"]) / "debrief.db"
    deck = tmp_path / "mine.toml"
    deck.write_text('[deck]\nname = "mine"\ntitle = "Mine"\n\n[[cards]]\nid = "m-1"\n'
                    'prompt = "Q?"\nanswer = "a"\n', encoding="utf-8")
    release, thread = hold_write_lock(path, 40)  # longer than debrief waits (10 s busy timeout)
    try:
        started = time.monotonic()
        result = run(debrief_bin, env, "import", str(deck), timeout=60)
        waited = time.monotonic() - started
    finally:
        release.set()
        thread.join(30)
    assert result.returncode == 1
    assert "busy in another debrief process" in result.stderr
    assert "Traceback" not in result.stderr
    # One error line (after the progress bar's label).
    assert len([line for line in result.stderr.splitlines() if line.startswith("debrief:")]) == 1
    assert waited >= 9  # it waited for the lock before giving up
    assert query(f"sqlite:///{path}", "SELECT count(*) FROM cards WHERE key = 'm-1'")[0][0] == 0


def test_an_unresponsive_postgresql_server_ends_stats_with_one_line(debrief_bin, debrief_env):
    pytest.importorskip("psycopg")
    import socket

    # A server that accepts the TCP connection and never answers, as a stopped postmaster does
    # (the kernel completes the handshake; nothing reads).
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    port = server.getsockname()[1]
    env = {**debrief_env, "DEBRIEF_DB": f"postgresql+psycopg://u:secret@127.0.0.1:{port}/db"}
    try:
        result = run(debrief_bin, env, "stats", "--json", timeout=90)
    finally:
        server.close()
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "did not answer" in lines[0], result.stderr
    assert "secret" not in result.stderr
