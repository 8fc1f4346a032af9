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
