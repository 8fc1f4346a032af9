"""The quiz core imports no UI code and no SQLAlchemy (only the store does)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["debrief.quiz", "debrief.quiz.questions",
                                    "debrief.quiz.session", "debrief.quiz.results"])
def test_the_quiz_core_imports_no_ui_and_no_sqlalchemy(module):
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in out.stdout.split()}
    assert not loaded & {"textual", "click", "rich", "sqlalchemy"}


def test_the_plain_face_imports_no_textual():
    code = "import sys, debrief.cli.plain_quiz; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "textual" not in {name.split(".")[0] for name in out.stdout.split()}
