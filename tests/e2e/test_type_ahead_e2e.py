"""End to end: a fast typist's keys, written to the real app's terminal in one go, are saved as typed.

The installed `debrief` runs in a real pseudo-terminal; answers, ratings and the next answers are
written as one burst of bytes (as a terminal delivers keys typed within a few milliseconds), and
the reviews the database holds must be exactly those typed, in order.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import sqlite3
import struct
import subprocess
import termios
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

NOW = "2026-03-02T09:00:00Z"
ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-B]|\x1b[=>78]")
DEADLINE = 90.0  # generous: the machine may be busy; met in about a second when idle
DECK = "[deck]\nname = \"fast\"\ntitle = \"Fast typing\"\n" + "".join(
    f'\n[[cards]]\nid = "fast-{n:03d}"\nkind = "text"\nprompt = "Question {n}?"\n'
    f'answer = "answer {n}"\n' for n in range(1, 7))


class Terminal:
    """A pseudo-terminal running `argv` as its session leader, its output drained as it comes."""

    def __init__(self, argv: list[str], env: dict[str, str], rows: int = 30, cols: int = 100):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

        def become_session_leader() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, close_fds=True,
            env={**env, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)},
            preexec_fn=become_session_leader)
        os.close(slave)
        self.data = b""

    def pump(self, seconds: float) -> None:
        ready, _, _ = select.select([self.master], [], [], seconds)
        if ready:
            try:
                self.data += os.read(self.master, 65536)
            except OSError:  # the app has gone
                time.sleep(seconds)

    @property
    def text(self) -> str:
        return ANSI.sub(b"", self.data).decode("utf-8", "replace")

    def wait_for(self, predicate, what: str) -> None:  # type: ignore[no-untyped-def]
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            if predicate():
                return
            self.pump(0.05)
        raise AssertionError(f"waited for {what}; the app shows:\n{self.text[-1500:]}")

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)  # one write: the app reads the burst as it comes

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        os.close(self.master)


def saved(db: Path) -> list[tuple[str, int, str]]:
    """(card id, rating, answer) of every review saved, oldest first."""
    if not db.exists():
        return []
    connection = sqlite3.connect(db, timeout=30)
    try:
        return connection.execute(
            "SELECT c.key, r.rating, r.answer FROM reviews r JOIN cards c ON c.id = r.card_id"
            " WHERE r.mode = 'review' ORDER BY r.id").fetchall()
    finally:
        connection.close()


def test_answers_ratings_and_next_answers_typed_in_one_burst_are_saved_as_typed(
        tmp_path: Path, debrief_bin: str, debrief_env: dict[str, str]) -> None:
    env = {**debrief_env, "DEBRIEF_NOW": NOW}
    deck = tmp_path / "fast.toml"
    deck.write_text(DECK, encoding="utf-8")
    subprocess.run([debrief_bin, "import", str(deck)], env=env, check=True, capture_output=True,
                   timeout=300)
    db = Path(env["DEBRIEF_HOME"]) / "debrief.db"
    terminal = Terminal([debrief_bin, "review", "--deck", "fast"], env)
    try:
        terminal.wait_for(lambda: "Question" in terminal.text and "Quit" in terminal.text,
                          "the first card")
        # Enter is \r, Backspace \x7f: an answer, its rating, the next answer, ... no pause.
        terminal.type(b"answer 1\r3wrong\r1answer 33\x7f\r4nope\r\rlast one\r2")
        terminal.wait_for(lambda: len(saved(db)) >= 5, "five saved reviews")
        terminal.type(b"\x11")  # ctrl+q
        terminal.wait_for(lambda: terminal.process.poll() is not None, "the app to exit")
    finally:
        terminal.close()
    rows = saved(db)
    assert [(rating, answer) for _, rating, answer in rows] == [
        (3, "answer 1"), (1, "wrong"), (4, "answer 3"), (1, "nope"), (2, "last one")]
    assert len({card for card, _, _ in rows}) == 5  # each answer went to its own card
