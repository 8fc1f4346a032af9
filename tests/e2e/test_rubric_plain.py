"""The real `debrief review --plain`: a recall card's rubric is printed as a checklist after reveal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

DEBRIEF = shutil.which("debrief", path=str(Path(sys.executable).parent)) or "debrief"

DECK = '''
[deck]
name = "rubtest"

[[cards]]
id = "rubtest-001"
kind = "recall"
prompt = "Pitch an AI feature for a bank."
answer = "A pitch that starts from the user."
rubric = ["Names the user and the pain point", "Says how success is measured"]
explanation = "Lead with the outcome."
'''


def run(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
    environ.update({"DEBRIEF_HOME": str(home), "DEBRIEF_NOW": "2026-03-02T09:00:00Z", "TZ": "UTC"})
    return subprocess.run([DEBRIEF, *args], input=stdin, capture_output=True, text=True,
                          env=environ, timeout=60)


def test_plain_review_prints_the_rubric_as_a_checklist(tmp_path: Path) -> None:
    deck = tmp_path / "rubtest.toml"
    deck.write_text(DECK, encoding="utf-8")
    home = tmp_path / "home"
    imported = run(home, "import", str(deck))
    assert imported.returncode == 0, imported.stderr
    result = run(home, "review", "--plain", "--deck", "rubtest", "--limit", "1", stdin="\n3\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "A: A pitch that starts from the user." in out
    assert "A strong answer covers:\n  [ ] Names the user and the pain point\n" \
           "  [ ] Says how success is measured\n" in out
    assert out.index("[ ] Says how") < out.index("Why: Lead with the outcome.")
    assert "Saved: Good" in out
