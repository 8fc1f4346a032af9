"""Snapshot of the backups screen at 80x24: the list newest first, with date, reason, size and
review count. Regenerate after a deliberate change with `pytest
tests/snapshots/test_backup_snapshots.py --snapshot-update` and look at the SVG first."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from debrief.store import backup as backups
from support.database import copy_db
from support.tui import FIXED_NOW, make_app

pytestmark = pytest.mark.usefixtures("utc_local_time", "isolated_home")


def put_backup(ws: Any, when: datetime, reason: str) -> None:
    folder, stem = backups.shelf(ws.store.url)
    folder.mkdir(parents=True, exist_ok=True)
    source = backups.database_file(ws.store.url)
    assert source is not None
    copy_db(source, folder / f"{stem}-{when:%Y%m%d-%H%M%S}-{reason}.db")


def test_backups_screen(snap_compare, ws, timer, isolated_home: Path,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(isolated_home))  # paths show as ~/…, the same on every run
    put_backup(ws, datetime(2026, 2, 27, 9, 0, tzinfo=UTC), "auto")
    pk = ws.store.decks.cards()[0].pk
    for minutes in (1, 2, 3):
        ws.store.queue.record_review(pk, FIXED_NOW.replace(minute=minutes), None, rating=3, answer="x",
                               verdict="correct", score=1.0, duration_ms=1000)
    put_backup(ws, datetime(2026, 3, 1, 20, 30, tzinfo=UTC), "import")
    put_backup(ws, datetime(2026, 3, 2, 14, 5, tzinfo=UTC), "manual")

    async def open_backups(pilot: Any) -> None:
        await pilot.pause()
        pilot.app.action_backups()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(ws, timer), run_before=open_backups, terminal_size=(80, 24))
