"""Backups and restore in the app: back up now (the toast says where), a list newest first with
date, size and review count, a confirmed restore through `debrief restore`'s core (safety backup
first), after which every screen reads the restored data; refused while a review is open."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import DataTable

from debrief.store import backup as backups
from debrief.tui.screens.backups import BackupsScreen
from debrief.tui.screens.browse import BrowseScreen
from debrief.tui.screens.confirm import ConfirmScreen
from debrief.tui.screens.home import HomeScreen
from debrief.tui.screens.review import ReviewScreen
from support.tui import make_app, review_first_card, screen_text


def toasts(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


def shelf(ws) -> list[backups.Backup]:  # type: ignore[no-untyped-def]
    return backups.list_backups(*backups.shelf(ws.store.url))


async def until(pilot, condition, what: str, tries: int = 600) -> None:  # type: ignore[no-untyped-def]
    """Wait (generously, without sleeping blind) for `condition()`: a worker thread is at work."""
    for _ in range(tries):
        if condition():
            return
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    raise AssertionError(f"still waiting for {what}")


async def test_back_up_now_from_home_shows_the_path_and_lists_the_backup(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, BackupsScreen)
        assert "No backups yet" in screen_text(app)
        await pilot.press("b")
        await app.workers.wait_for_complete()
        await pilot.pause()
        [made] = shelf(ws)
        assert made.reason == "manual"
        assert any(t.startswith(f"Backed up to {made.path} (") for t in toasts(app)), toasts(app)
        text = screen_text(app)
        assert "manual" in text and "1 backup, newest first" in text
        assert app.screen.listed[0].reviews == 0


async def test_restore_brings_the_old_data_back_on_every_screen(ws, timer):
    before = backups.make_backup(ws.store.url, reason="manual")  # no answers yet
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await review_first_card(pilot)  # one answer, committed
        assert ws.store.log.totals()["reviews"] == 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        app.action_backups()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BackupsScreen)
        assert [row.backup.name for row in screen.listed] == [before.name]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.workspace is not ws,
                    "the restore and the reload")
        assert app.workspace is not None
        assert app.workspace.store.log.totals()["reviews"] == 0
        assert any(t.startswith(f"Restored {before.name}.") and "restore that one to undo" in t
                   for t in toasts(app)), toasts(app)
        # The safety backup holds the answer the restore replaced.
        safety = [b for b in shelf(app.workspace) if b.reason == "restore"]
        assert len(safety) == 1
        from debrief.store.maintenance import contents

        assert contents(safety[0].path).reviews == 1
        # Browse reads the restored data: the card answered before is new again.
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        assert app.screen.shown[0].card.id == "demo-001"
        assert app.screen.shown[0].state.state == "new"


async def test_restore_is_refused_while_a_review_is_open(ws, timer):
    backups.make_backup(ws.store.url, reason="manual")
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        app.action_backups()  # the palette opens it over the review
        await pilot.pause()
        assert isinstance(app.screen, BackupsScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BackupsScreen)  # no question asked
        assert any("A review is open in this app: leave it first" in t for t in toasts(app))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    assert [b.reason for b in shelf(ws)] == ["manual"]  # no restore, so no safety backup


async def test_a_backup_that_cannot_be_restored_says_why_in_one_line(ws, timer):
    folder, stem = backups.shelf(ws.store.url)
    folder.mkdir(parents=True, exist_ok=True)
    bad = folder / f"{stem}-20260301-101500-manual.db"
    bad.write_bytes(b"not a database at all" * 100)
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.action_backups()
        await until(pilot, lambda: isinstance(app.screen, BackupsScreen) and bool(app.screen.listed)
                    and app.screen.listed[0].counted, "the review counts")
        assert app.screen.listed[0].reviews is None
        assert "?" in screen_text(app)
        await pilot.press("enter", "y")
        await until(pilot, lambda: any("cannot be restored" in t for t in toasts(app)),
                    "the refusal")
        [line] = [t for t in toasts(app) if "cannot be restored" in t]
        assert "\n" not in line
        assert app.workspace is ws and ws.store.log.totals()["cards"] == 13


def put_backup(ws, when: datetime, reason: str) -> Path:  # type: ignore[no-untyped-def]
    """A backup file of the database as it is now, named for `when` (as make_backup names)."""
    from support.database import copy_db

    folder, stem = backups.shelf(ws.store.url)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}-{when:%Y%m%d-%H%M%S}-{reason}.db"
    copy_db(backups.database_file(ws.store.url), path)
    return path


async def test_the_list_is_newest_first(ws, timer):
    put_backup(ws, datetime(2026, 2, 27, 9, 0, tzinfo=UTC), "auto")
    put_backup(ws, datetime(2026, 3, 1, 20, 30, tzinfo=UTC), "import")
    put_backup(ws, datetime(2026, 2, 28, 12, 0, tzinfo=UTC), "manual")
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.action_backups()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        made = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert made == ["2026-03-01 20:30", "2026-02-28 12:00", "2026-02-27 09:00"]


async def test_the_settings_screen_leads_to_the_backups(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("comma")
        await pilot.pause()
        assert "^b Backups" in screen_text(app)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, BackupsScreen)
