"""One migrated template database per test run; each test gets a copy (migrating takes ~0.16 s,
copying ~2 ms)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest


def copy_db(source: Path, target: Path) -> None:
    """Copy an SQLite database with SQLite's backup API (never a plain file copy)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database migrated to the newest revision, made once per test run."""
    from debrief.store import open_store

    path = tmp_path_factory.mktemp("template") / "template.db"
    open_store(f"sqlite:///{path}").close()
    return path


def fresh_db(template: Path, target: Path) -> str:
    """A copy of `template` at `target`; returns its SQLAlchemy URL."""
    target.parent.mkdir(parents=True, exist_ok=True)
    copy_db(template, target)
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def collection_db(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Path:
    """A database as the real command leaves it after its first run: migrated, bundled decks
    synced (by the real `debrief decks`, once per test run). Copy it with `seed_home`."""
    import os
    import subprocess
    import sys

    home = tmp_path_factory.mktemp("collection")
    copy_db(template_db, home / "debrief.db")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
    # Synced before any test's own clock (the tests' DEBRIEF_NOW are in 2026-03).
    env.update({"DEBRIEF_HOME": str(home), "DEBRIEF_NOW": "2026-01-01T00:00:00Z", "TZ": "UTC",
                "NO_COLOR": "1"})
    debrief = Path(sys.executable).with_name("debrief")
    subprocess.run([str(debrief), "decks"], env=env, check=True, capture_output=True, timeout=300)
    return home / "debrief.db"


def seed_home(collection: Path, home: Path) -> None:
    """Put a copy of `collection` where the command looks for its database in `home`."""
    home.mkdir(parents=True, exist_ok=True)
    copy_db(collection, home / "debrief.db")


def dump_progress(path: Path) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Every row of the review log, the schedules and the cards, in a fixed order (to show that
    an operation changed nothing)."""
    db = sqlite3.connect(path)
    try:
        return (db.execute("SELECT * FROM reviews ORDER BY id").fetchall(),
                db.execute("SELECT * FROM schedules ORDER BY card_id").fetchall(),
                db.execute("SELECT * FROM cards ORDER BY id").fetchall())
    finally:
        db.close()
