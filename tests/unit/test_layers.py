"""The core imports no UI code: textual and click stay out of it; only store/ imports SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "debrief.cards", "debrief.deckfile", "debrief.clock", "debrief.config", "debrief.scheduling",
    "debrief.session", "debrief.workspace", "debrief.stats", "debrief.grading", "debrief.records",
    "debrief.csvdeck", "debrief.export.csvfile", "debrief.optimize", "debrief.plan",
    "debrief.owndeck", "debrief.humanize",
]
NO_SQLALCHEMY = ["debrief.cards", "debrief.deckfile", "debrief.clock", "debrief.config",
                 "debrief.scheduling", "debrief.grading", "debrief.session", "debrief.workspace",
                 "debrief.optimize", "debrief.plan", "debrief.owndeck", "debrief.humanize"]


def imported_after(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_ui(module):
    loaded = imported_after(module)
    assert "textual" not in loaded and "click" not in loaded and "rich" not in loaded


@pytest.mark.parametrize("module", NO_SQLALCHEMY)
def test_only_the_store_imports_sqlalchemy(module):
    assert "sqlalchemy" not in imported_after(module)


def test_the_grade_command_does_not_import_textual_or_sqlalchemy():
    code = ("import sys; from debrief.cli import cli; cli.get_command(None, 'grade'); "
            "import debrief.grading.jsonl; print('\\n'.join(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in out.stdout.split()}
    assert "textual" not in loaded and "sqlalchemy" not in loaded


def test_the_screens_up_to_the_first_card_do_not_load_the_grader():
    """The app, its review screen and the session show the first card without rapidfuzz or the
    grader (imported on the first answer); `debrief.grading`'s names still resolve on use."""
    code = ("import sys, debrief.tui.app, debrief.tui.screens.review, debrief.session, "
            "debrief.cli.plain_review; before = sorted(sys.modules); "
            "from debrief.grading import Grader, SpecError, Verdict, grade; "
            "assert grade({'kind': 'text', 'expected': 'recall'}, 'recall').is_right; "
            "print('\\n'.join(before))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    loaded = set(out.stdout.split())
    assert "debrief.grading.verdict" in loaded  # the screens' symbols and words are there
    assert "rapidfuzz" not in loaded and "debrief.grading.grader" not in loaded
