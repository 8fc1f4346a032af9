"""End to end: the installed `debrief` command in a real terminal (tmux), driven by keystrokes.

Types an answer, reads the screen with capture-pane, quits with ctrl+q and checks the saved review
through `debrief stats --json` and the store; then checks SIGTERM leaves the terminal restored.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None,
                       reason="tmux is not installed (apt-get install -y tmux)"),
]

NOW = "2026-03-02T15:00:00+00:00"
DECK = """\
[deck]
name = "e2e"
title = "End-to-end deck"

[[cards]]
id = "e2e-001"
kind = "text"
prompt = "Which city is the capital of France?"
answer = "Paris"
explanation = "Paris has been the capital since the 10th century."

[[cards]]
id = "e2e-002"
kind = "text"
prompt = "Which metric is the harmonic mean of precision and recall?"
answer = "F1"
"""


def debrief_command() -> str:
    beside = Path(sys.executable).with_name("debrief")
    found = str(beside) if beside.exists() else shutil.which("debrief")
    if not found:
        pytest.skip("the debrief command is not installed")
    return found


class Tmux:
    """One private tmux server (its own socket) running one window of the given size."""

    def __init__(self, socket: Path, env: dict[str, str]) -> None:
        self.socket = socket
        self.env = env

    def run(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-S", str(self.socket), *args], capture_output=True,
                                text=True, env=self.env, timeout=30, check=False)
        if result.returncode != 0 and args[0] not in ("kill-server", "has-session"):
            raise AssertionError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def start(self, command: str, width: int = 100, height: int = 30) -> None:
        self.run("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), command)
        self.run("set-option", "-t", "t", "remain-on-exit", "on")

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "t")

    def pane(self, fmt: str) -> str:
        return self.run("display-message", "-p", "-t", "t", fmt).strip()

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "t", *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", "t", "-l", text)

    def wait_for(self, *texts: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"waited {timeout}s for {texts!r}; the screen shows:\n{screen}")

    def wait_exit(self, status_file: Path, timeout: float = 30.0) -> int:
        """debrief's exit status, as the wrapping shell wrote it (tmux itself is sometimes slow to
        reap a finished pane under load, so its pane_dead is not waited on)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = status_file.read_text(encoding="utf-8").strip() if status_file.exists() else ""
            if text:
                return int(text)
            time.sleep(0.1)
        raise AssertionError(f"debrief did not exit; the screen shows:\n{self.screen()}")

    def wait_normal_screen(self, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.pane("#{alternate_on}") == "0":
                return True
            time.sleep(0.1)
        return False


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("[scheduling]\nenable_fuzzing = false\n", encoding="utf-8")
    values = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "DEBRIEF_DB", "TMUX")}
    values.update(DEBRIEF_HOME=str(home), DEBRIEF_NOW=NOW, TZ="UTC", TERM="xterm-256color",
                  LANG="C.UTF-8", LC_ALL="C.UTF-8")
    return values


@pytest.fixture
def tmux(tmp_path: Path, env: dict[str, str]):
    server = Tmux(tmp_path / "tmux.sock", env)
    yield server
    server.run("kill-server")


def shell(env: dict[str, str], command: str, status_file: Path) -> str:
    """A command line for tmux that runs `command` with exactly `env` (tmux keeps its own env)
    and writes its exit status to `status_file`."""
    exports = " ".join(f"{k}={_quote(v)}" for k, v in env.items()
                       if k.startswith("DEBRIEF_") or k in ("TZ", "TERM", "LANG", "LC_ALL", "PATH"))
    return f"env {exports} {command}; echo $? > {_quote(str(status_file))}"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


def test_review_an_answer_quit_and_find_it_saved(tmp_path, env, tmux):
    debrief = debrief_command()
    deck = tmp_path / "e2e.toml"
    deck.write_text(DECK, encoding="utf-8")
    subprocess.run([debrief, "import", str(deck)], env=env, check=True, capture_output=True,
                   timeout=120)

    status = tmp_path / "status"
    tmux.start(shell(env, f"{_quote(debrief)} review --deck e2e", status))
    screen = tmux.wait_for("Which city is the capital of France?", "TEXT", "done 0 · left 2")
    assert "Review · e2e" in screen
    tmux.type("Paris")
    tmux.keys("Enter")
    screen = tmux.wait_for("✓ Correct")
    assert "Answer  Paris" in screen
    assert "Why  Paris has been the capital" in screen
    for label in ("1 Again", "2 Hard", "3 Good", "4 Easy"):
        assert label in screen
    assert "⏎" in screen  # the suggested rating is marked
    tmux.keys("3")  # Good, whatever the suggestion
    screen = tmux.wait_for("harmonic mean of precision and recall", "done 1")
    assert "Saved: Good" in screen
    tmux.keys("C-q")
    assert tmux.wait_exit(status) == 0
    assert tmux.wait_normal_screen()  # the terminal is back from the app's alternate screen

    stats = subprocess.run([debrief, "stats", "--json"], env=env, check=True,
                           capture_output=True, text=True, timeout=120)
    assert json.loads(stats.stdout)["reviews_today"] == 1

    from debrief.workspace import Workspace

    ws = Workspace.open(f"sqlite:///{Path(env['DEBRIEF_HOME']) / 'debrief.db'}", sync=False)
    try:
        reviews = ws.store.log.reviews_since()
    finally:
        ws.close()
    assert [(r.answer, r.verdict, r.rating) for r in reviews] == [("Paris", "correct", 3)]


def test_sigterm_restores_the_terminal(tmp_path, env, tmux):
    debrief = debrief_command()
    status = tmp_path / "status"
    tmux.start(shell(env, _quote(debrief), status))
    tmux.wait_for("All decks", "streak")
    assert tmux.pane("#{alternate_on}") == "1"
    shell_pid = tmux.pane("#{pane_pid}")
    children = subprocess.run(["pgrep", "-P", shell_pid], capture_output=True, text=True,
                              check=True).stdout.split()
    assert len(children) == 1
    os.kill(int(children[0]), signal.SIGTERM)
    assert tmux.wait_exit(status) == 128 + signal.SIGTERM
    assert tmux.wait_normal_screen()
