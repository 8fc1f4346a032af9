"""Two real processes saving the same deck file of your own at once, each from a form opened
before either saved: one save goes through, the other is refused with one line, and the file and
the database hold exactly the saved change (last save no longer wins over the first)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from debrief.owndeck import CHANGED_ELSEWHERE

pytestmark = pytest.mark.e2e

DEADLINE = 120.0  # generous, for a loaded machine; each writer takes about a second when idle

# One window: open the workspace, read the deck files (the form opens), say so, wait for the
# go file, then save a card: a new one, or, with an id, that card edited.
WRITER = """
import sys, time, pathlib
from debrief.owndeck import CardDraft, DeckVersions, OwnDeckError, save_card
from debrief.workspace import Workspace

go, prompt, answer, card_id = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ws = Workspace.open(sync=False)
seen = DeckVersions.read()
print("ready", flush=True)
while not go.exists():
    time.sleep(0.001)
try:
    save_card(ws, CardDraft(deck="own", kind="text", prompt=prompt, answer=answer),
              card_id or None, seen=seen)
    print("saved", flush=True)
except OwnDeckError as exc:
    print("refused:", exc, flush=True)
ws.close()
"""


def writer(env: dict[str, str], go: Path, prompt: str, answer: str,
           card_id: str = "") -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(go), prompt, answer, card_id],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def wait_ready(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    line = process.stdout.readline()  # blocks until the writer has read the deck files
    assert line.strip() == "ready", (line, process.stderr.read() if process.stderr else "")


def run_round(env: dict[str, str], folder: Path, jobs: list[tuple[str, str, str]]) -> list[str]:
    """Start one writer per job, let them all read first, then release them together."""
    go = folder / f"go-{time.monotonic_ns()}"
    processes = [writer(env, go, *job) for job in jobs]
    for process in processes:
        wait_ready(process)
    go.touch()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=DEADLINE)
        assert process.returncode == 0, err
        results.append(out.strip())
    return results


def file_cards(home: Path) -> dict[str, str]:
    from debrief.deckfile import load_deck

    return {c.prompt: str(c.answer) for c in load_deck(home / "decks" / "own.toml").cards}


def stored_cards(home: Path) -> dict[str, str]:
    import json
    import sqlite3

    db = sqlite3.connect(home / "debrief.db")
    try:
        rows = db.execute("SELECT c.prompt, c.answer FROM cards c JOIN decks d ON d.id = c.deck_id"
                          " WHERE d.name = 'own' AND NOT c.retired").fetchall()
    finally:
        db.close()
    return {prompt: json.loads(answer) for prompt, answer in rows}


def test_two_processes_saving_one_deck_at_once_one_is_refused_nothing_is_lost(
        tmp_path: Path, debrief_env: dict[str, str]) -> None:
    home = Path(debrief_env["DEBRIEF_HOME"])
    assert run_round(debrief_env, tmp_path, [("First?", "one", "")]) == ["saved"]
    expected = {"First?": "one"}
    rounds = [
        [("Left?", "from the left", ""), ("Right?", "from the right", "")],  # two new cards
        [("First?", "left edit", "own:first"), ("First?", "right edit", "own:first")],  # one card
        [("Third?", "a new card", ""), ("First?", "an edit", "own:first")],
    ]
    for jobs in rounds:
        results = run_round(debrief_env, tmp_path, jobs)
        assert sorted(r.split(":")[0] for r in results) == ["refused", "saved"], results
        refused = next(r for r in results if r.startswith("refused"))
        assert refused == f"refused: {CHANGED_ELSEWHERE}"
        prompt, answer, _ = jobs[results.index("saved")]
        expected[prompt] = answer  # the saved change, and every earlier card, and nothing else
        assert file_cards(home) == expected
        assert stored_cards(home) == expected
