"""A database as debrief 0001 wrote it, and every row of it for before/after comparisons."""

from __future__ import annotations

import sqlite3
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schema_0001.db"
TABLES = ("decks", "cards", "schedules", "reviews", "quizzes", "meta")

ADDED_COLUMNS = {"interval_before", "group_key", "keywords", "rubric", "flag", "anki_revlog_id",
                 "leech", "marked_at", "anki_marks"}  # columns later revisions add (and back-fill)


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, with JSON `null` read as SQL NULL (0002 converts one to the
    other), leaving out the columns later revisions add."""
    db = sqlite3.connect(path)
    try:
        out = {}
        for table in TABLES:
            columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")
                       if row[1] not in ADDED_COLUMNS]
            rows = db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1").fetchall()
            out[table] = [tuple(None if v == "null" else v for v in row) for row in rows]
        return out
    finally:
        db.close()
