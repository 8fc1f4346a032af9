"""Close the terminal under `debrief review` N times (tmux kill-session right after the first
card appears, on a 20,000-card collection) and count how many processes exit within 5 s.

Usage: .venv/bin/python scripts/hangup_trials.py [TRIALS] [CARDS]
Not part of the test suite: it measures, on this machine, what the e2e signal tests check.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOW = "2026-03-02T09:00:00Z"


def debrief_bin() -> str:
    beside = Path(sys.executable).with_name("debrief")
    return str(beside) if beside.exists() else (shutil.which("debrief") or "debrief")


def write_deck(path: Path, cards: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write('[deck]\nname = "big"\ntitle = "Big"\n')
        for i in range(cards):
            out.write(f'\n[[cards]]\nid = "big-{i}"\nprompt = "Question {i}?"\nanswer = "a{i}"\n')


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by tmux) counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def trial(work: Path, env: dict[str, str], n: int) -> float | None:
    socket = work / f"tmux-{n}.sock"
    tmux = ["tmux", "-S", str(socket)]
    command = f"exec {debrief_bin()} review"
    subprocess.run([*tmux, "new-session", "-d", "-s", "t", "-x", "100", "-y", "30", command],
                   env=env, check=True)
    pid = int(subprocess.run([*tmux, "display-message", "-p", "-t", "t", "#{pane_pid}"],
                             env=env, capture_output=True, text=True, check=True).stdout)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", "t"], env=env,
                                capture_output=True, text=True).stdout
        if "new card" in screen and "Quit" in screen:
            break
        time.sleep(0.05)
    else:
        subprocess.run([*tmux, "kill-server"], env=env, check=False, capture_output=True)
        raise SystemExit(f"trial {n}: the first card never appeared")
    subprocess.run([*tmux, "kill-session", "-t", "t"], env=env, check=False)
    closed = time.monotonic()
    while alive(pid) and time.monotonic() - closed < 30:
        time.sleep(0.02)
    took = time.monotonic() - closed
    if alive(pid):
        os.kill(pid, 9)
        return None
    subprocess.run([*tmux, "kill-server"], env=env, check=False, capture_output=True)
    return took


def main() -> None:
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    cards = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
        env.update({"DEBRIEF_HOME": str(work / "home"), "DEBRIEF_NOW": NOW, "TERM": "xterm-256color"})
        write_deck(work / "big.toml", cards)
        subprocess.run([debrief_bin(), "import", str(work / "big.toml")], env=env, check=True,
                       capture_output=True)
        times = [trial(work, env, n) for n in range(trials)]
    within = [t for t in times if t is not None and t <= 5]
    print(f"{len(within)} of {trials} exited within 5 s after tmux kill-session "
          f"({cards} cards); times: {', '.join('hung' if t is None else f'{t:.2f}s' for t in times)}")


if __name__ == "__main__":
    main()
