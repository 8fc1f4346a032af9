"""The core imports no UI code: textual and click stay out of it; only store/ imports SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "debrief.cards", "debrief.deckfile", "debrief.clock", "debrief.config", "debrief.scheduling",
    "debrief.session", "debrief.workspace", "debrief.stats", "debrief.grading", "debrief.records",
    "debrief.csvdeck", "debrief.export.csvfile", "debrief.optimize", "debrief.plan",
]
NO_SQLALCHEMY = ["debrief.cards", "debrief.deckfile", "debrief.clock", "debrief.config",
                 "debrief.scheduling", "debrief.grading", "debrief.session", "debrief.workspace",
                 "debrief.optimize", "debrief.plan"]


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
