"""Regenerate screenshots/stats.svg: the stats screen over the seeded history its snapshot tests use.

Run from the repository root:  .venv/bin/python scripts/screenshots_stats.py
(scripts/screenshots.py runs it too). The data and the drawing live in
tests/snapshots/test_stats_snapshots.py, so the picture and the snapshots never drift apart.
"""

from __future__ import annotations

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    runpy.run_path(str(ROOT / "tests" / "snapshots" / "test_stats_snapshots.py"), run_name="__main__")
