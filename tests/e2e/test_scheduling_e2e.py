"""The real `debrief review --plain` over several days (DEBRIEF_NOW): the buttons' day intervals."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

DEBRIEF = shutil.which("debrief", path=str(Path(sys.executable).parent)) or "debrief"
RATE = re.compile(r"^Rate: (.*?)\s+\(Enter", re.M)
BUTTON = re.compile(r"(\d) (Again|Hard|Good|Easy) (\S+?)\*?(?=\s\s|$)")


def review(home: Path, now: str, answers: int = 120, *extra: str) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
    environ.update({"DEBRIEF_HOME": str(home), "DEBRIEF_NOW": now, "TZ": "UTC"})
    result = subprocess.run([DEBRIEF, "review", "--plain", *extra], input="x\n3\n" * answers,
                            capture_output=True, text=True, env=environ, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def day_intervals(out: str) -> list[dict[str, str]]:
    """Each `Rate:` line's intervals by button."""
    return [{name: when for _n, name, when in BUTTON.findall(line)} for line in RATE.findall(out)]


def days(when: str) -> float | None:
    if when.endswith("d"):
        return float(when[:-1])
    if when.endswith("mo"):
        return float(when[:-2]) * 30
    if when.endswith("y"):
        return float(when[:-1]) * 365
    return None  # minutes or hours: a learning step


def test_shown_day_intervals_are_strictly_ordered_over_three_days(tmp_path):
    shown: list[dict[str, str]] = []
    for now in ("2026-11-30T17:00:00Z", "2026-12-01T09:00:00Z", "2026-12-02T09:00:00Z"):
        shown += day_intervals(review(tmp_path, now))
    assert len(shown) > 40
    reviews_next_day = 0
    for buttons in shown:
        assert set(buttons) == {"Again", "Hard", "Good", "Easy"}, buttons
        in_days = [days(buttons[name]) for name in ("Again", "Hard", "Good", "Easy")]
        ladder = [d for d in in_days if d is not None]
        assert ladder == sorted(set(ladder)), f"out of order or equal: {buttons}"
        if in_days[1] is not None:
            reviews_next_day += 1
            # Reviewed a study day later (at an earlier clock hour): never a same-day review.
            assert in_days[2] is not None and in_days[2] >= 2, buttons
    assert reviews_next_day > 10
