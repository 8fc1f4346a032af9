"""Signals on real `debrief` processes: every acknowledged answer survives SIGKILL; SIGTERM, SIGHUP
and a closed terminal exit cleanly with the terminal restored, in line mode and in the app."""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import sqlite3
import struct
import subprocess
import termios
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.e2e

NOW = "2026-03-02T09:00:00Z"
ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-B]|\x1b[=>78]")


def reviews_in(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(text("SELECT count(*) FROM reviews"))
    finally:
        engine.dispose()


def assert_sound(path: Path) -> None:
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        db.close()


def wait_until(predicate, timeout: float = 30, interval: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


class Reader:
    """Collects a process's output from a file descriptor without blocking."""

    def __init__(self, fd: int):
        self.fd = fd
        self.data = b""

    def pump(self, seconds: float = 0.0) -> None:
        end = time.monotonic() + seconds
        while True:
            left = max(0.0, end - time.monotonic())
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.05))
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # a pty whose other side is gone
                    return
                if not chunk:
                    return
                self.data += chunk
            elif time.monotonic() >= end:
                return

    @property
    def text(self) -> str:
        return ANSI.sub(b"", self.data).decode("utf-8", "replace")

    def wait_for(self, predicate, timeout: float = 30) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if predicate(self.text):
                return True
            self.pump(0.1)
        return predicate(self.text)


# -- line mode ---------------------------------------------------------------------------------


def plain_review(debrief_bin: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([debrief_bin, "review", "--plain"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def answer_plain(process: subprocess.Popen, reader: Reader, count: int) -> None:
    """Answer `count` cards, waiting for each "Saved:" acknowledgement."""
    for _ in range(count):
        saved = reader.text.count("Saved:")
        process.stdin.write(b"x\n3\n")
        process.stdin.flush()
        assert reader.wait_for(lambda t, saved=saved: t.count("Saved:") > saved), reader.text[-500:]


def test_sigkill_after_n_acknowledged_answers_loses_none(db_url, debrief_bin, debrief_env):
    env = {**debrief_env, "DEBRIEF_DB": db_url, "DEBRIEF_NOW": NOW}
    process = plain_review(debrief_bin, env)
    reader = Reader(process.stdout.fileno())
    try:
        answer_plain(process, reader, 7)
        # One more answer goes in and the kill races its commit: it may or may not be saved.
        process.stdin.write(b"x\n3\n")
        process.stdin.flush()
        process.send_signal(signal.SIGKILL)
        assert process.wait(10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
    reader.pump(0.2)
    acknowledged = reader.text.count("Saved:")
    assert acknowledged >= 7
    assert acknowledged <= reviews_in(db_url) <= acknowledged + 1
    if db_url.startswith("sqlite"):
        assert_sound(Path(db_url.removeprefix("sqlite:///")))
    # The database opens and works after the kill.
    again = subprocess.run([debrief_bin, "review", "--plain", "--limit", "1"], input="x\n3\n",
                           capture_output=True, text=True, env=env, timeout=60)
    assert again.returncode == 0 and "Saved:" in again.stdout, again.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_in_line_mode_exit_cleanly_with_every_answer_saved(
        sig, debrief_bin, debrief_env):
    env = {**debrief_env, "DEBRIEF_NOW": NOW}
    process = plain_review(debrief_bin, env)
    reader = Reader(process.stdout.fileno())
    try:
        answer_plain(process, reader, 4)
        process.send_signal(sig)
        assert process.wait(10) == 128 + sig
    finally:
        if process.poll() is None:
            process.kill()
    stderr = process.stderr.read().decode()
    assert "Traceback" not in stderr
    home = Path(env["DEBRIEF_HOME"])
    assert reviews_in(f"sqlite:///{home / 'debrief.db'}") == 4
    assert_sound(home / "debrief.db")


# -- under a terminal --------------------------------------------------------------------------


class Terminal:
    """A real pseudo-terminal with `debrief` as the session leader, as a terminal emulator runs it."""

    def __init__(self, argv: list[str], env: dict[str, str], rows: int = 30, cols: int = 100):
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.modes = termios.tcgetattr(self.slave)

        def become_session_leader() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            argv, stdin=self.slave, stdout=self.slave, stderr=self.slave, close_fds=True,
            env={**env, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)},
            preexec_fn=become_session_leader)
        self.reader = Reader(self.master)
        self.closed = False

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def hang_up(self) -> None:
        """Close the terminal window: the master side goes away."""
        os.close(self.master)
        self.closed = True

    def wait(self, timeout: float = 15) -> int:
        end = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < end:
            if not self.closed:
                self.reader.pump(0.1)
            else:
                time.sleep(0.05)
        return self.process.wait(max(0.1, end - time.monotonic()))

    def restored(self) -> bool:
        """The terminal modes are what they were before the app started."""
        return termios.tcgetattr(self.slave)[3] == self.modes[3]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        for fd in ([] if self.closed else [self.master]) + [self.slave]:
            try:
                os.close(fd)
            except OSError:
                pass


def last(data: bytes, *sequences: bytes) -> int:
    return max(data.rfind(s) for s in sequences)


def assert_screen_restored(data: bytes) -> None:
    """The app left the alternate screen, showed the cursor and stopped mouse reporting."""
    assert b"\x1b[?1049h" in data
    assert data.rfind(b"\x1b[?1049l") > data.rfind(b"\x1b[?1049h")
    assert data.rfind(b"\x1b[?25h") > data.rfind(b"\x1b[?25l")
    assert data.rfind(b"\x1b[?1000l") > data.rfind(b"\x1b[?1000h")


@pytest.fixture
def app_env(debrief_env):
    pytest.importorskip("debrief.tui.app")
    return {**debrief_env, "DEBRIEF_NOW": NOW}


def start_app_review(debrief_bin: str, env: dict[str, str]) -> Terminal:
    terminal = Terminal([debrief_bin, "review"], env)
    assert terminal.reader.wait_for(lambda t: "Enter" in t and "Quit" in t, timeout=60), \
        terminal.reader.text[-1000:]
    return terminal


def answer_in_app(terminal: Terminal, db: Path, count: int) -> None:
    """Type an answer and rate it Good, `count` times, each step once the app shows it is ready
    for it, never after a fixed delay.

    The screen lags the app: frames wait in the app's writer queue, so on a loaded machine the
    last card's feedback can still arrive after its rating is saved and pass for the next card's.
    So after each rating, everything up to the frame that counts it ("done N") is read before
    the next answer is typed; then "Suggested:" can only be the new card's feedback."""
    url = f"sqlite:///{db}"
    for n in range(count):
        terminal.type(b"x\r")
        assert terminal.reader.wait_for(lambda t: "Suggested:" in t, timeout=60), \
            terminal.reader.text[-800:]
        terminal.type(b"3")
        assert wait_until(lambda n=n: db.exists() and reviews_in(url) == n + 1, timeout=60), \
            terminal.reader.text[-800:]
        assert terminal.reader.wait_for(
            lambda t, n=n: re.search(rf"done {n + 1}\b", t) is not None, timeout=60), \
            terminal.reader.text[-800:]
        terminal.reader.data = b""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_the_app_exits_cleanly_on_sigterm_and_sighup_and_restores_the_terminal(
        sig, debrief_bin, app_env):
    db = Path(app_env["DEBRIEF_HOME"]) / "debrief.db"
    terminal = start_app_review(debrief_bin, app_env)
    try:
        answer_in_app(terminal, db, 3)
        terminal.reader.data = b""
        terminal.process.send_signal(sig)
        assert terminal.wait() == 128 + sig
        terminal.reader.pump(0.3)
        assert terminal.restored()
        data = terminal.reader.data
        assert data.rfind(b"\x1b[?1049l") >= 0 and data.rfind(b"\x1b[?25h") >= 0
        assert b"Traceback" not in data
    finally:
        terminal.close()
    assert reviews_in(f"sqlite:///{db}") == 3
    assert_sound(db)
    assert not (db.parent / "last-error.log").exists()


def test_the_app_restores_the_whole_screen_state_on_sigterm(debrief_bin, app_env):
    terminal = start_app_review(debrief_bin, app_env)
    try:
        terminal.process.send_signal(signal.SIGTERM)
        assert terminal.wait() == 128 + signal.SIGTERM
        terminal.reader.pump(0.3)
        assert_screen_restored(terminal.reader.data)
        assert terminal.restored()
    finally:
        terminal.close()


def test_sigkill_of_the_app_keeps_every_acknowledged_answer(debrief_bin, app_env):
    db = Path(app_env["DEBRIEF_HOME"]) / "debrief.db"
    terminal = start_app_review(debrief_bin, app_env)
    try:
        answer_in_app(terminal, db, 4)
        terminal.process.send_signal(signal.SIGKILL)
        assert terminal.wait() == -signal.SIGKILL
    finally:
        terminal.close()
    assert reviews_in(f"sqlite:///{db}") == 4
    assert_sound(db)


@pytest.mark.parametrize("mode", ["app", "plain"])
def test_closing_the_terminal_saves_and_exits(mode, debrief_bin, app_env):
    db = Path(app_env["DEBRIEF_HOME"]) / "debrief.db"
    if mode == "app":
        terminal = start_app_review(debrief_bin, app_env)
        answer = answer_in_app
    else:
        terminal = Terminal([debrief_bin, "review", "--plain"], app_env)

        def answer(terminal: Terminal, db: Path, count: int) -> None:
            for n in range(count):
                assert terminal.reader.wait_for(lambda t, n=n: t.count("answer> ") > n)
                terminal.type(b"x\r3\r")
                assert terminal.reader.wait_for(lambda t, n=n: t.count("Saved:") > n)
    try:
        answer(terminal, db, 2)
        terminal.hang_up()
        assert terminal.wait() == 128 + signal.SIGHUP
    finally:
        terminal.close()
    assert reviews_in(f"sqlite:///{db}") == 2
    assert_sound(db)
    assert not (db.parent / "last-error.log").exists()
