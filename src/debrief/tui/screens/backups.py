"""The backups screen: back up now, and restore a backup (what `debrief backup` and `debrief
restore` do, through the same core in debrief.store.backup)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from debrief.cards import clean_text
from debrief.errors import DebriefError
from debrief.humanize import local_minute, size_text
from debrief.tui.format import one_line, sentence
from debrief.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from debrief.store.backup import Backup
    from debrief.tui.app import DebriefApp
    from debrief.workspace import Workspace


COMPACT_BELOW = 60  # columns: below this the list keeps the date and the review count only


def tilde(path: Path) -> str:
    """`path` with the home folder written `~` (shorter, and the same on every machine)."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Listed:
    """One backup as the list shows it; `reviews` None when the file cannot be read."""


    backup: Backup
    reviews: int | None = None
    counted: bool = False  # False until the count is read (in a thread: one query per file)

    def reviews_text(self) -> str:
        if not self.counted:
            return "…"
        return "?" if self.reviews is None else f"{self.reviews:,}"


def right(text: str) -> Text:
    return Text(text, justify="right", no_wrap=True)


class BackupsScreen(Screen[None]):
    """Every backup of the open database, newest first; `b` backs up now, Enter restores the
    highlighted one (after a yes), and the app then reloads everything from the restored data."""

    CSS_PATH = "backups.tcss"
    AUTO_FOCUS = "#backup-list"
    BINDINGS = [
        Binding("escape", "close", "Back", tooltip="Back to the previous screen"),
        Binding("b", "backup", "Back up now", tooltip="Back up the database now (SQLite's backup API)"),
        Binding("enter", "restore", "Restore", priority=True,
                tooltip="Replace the database with the highlighted backup (asks first; the "
                        "current data is backed up before)"),
        Binding("r", "reload", "Refresh", show=False, tooltip="Read the backups folder again"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.ws = workspace
        self.listed: list[Listed] = []
        self.busy = False
        self.sub_title = "Backups"

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Static(id="backup-where", markup=False)
        table: DataTable[Text] = DataTable(id="backup-list", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="backup-note", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._compact: bool | None = None
        self._set_columns(self.app.size.width < COMPACT_BELOW)
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        if self._set_columns(event.size.width < COMPACT_BELOW):
            self.load()

    def _set_columns(self, compact: bool) -> bool:
        """The list's columns: narrower than COMPACT_BELOW, only number, date and reviews (the
        reason and size would be cut). True when they changed."""
        if compact == self._compact:
            return False
        self._compact = compact
        table = self.query_one("#backup-list", DataTable)
        table.clear(columns=True)
        table.add_column(right("#"), key="n", width=3)
        table.add_column("Made", key="made", width=16)
        if not compact:
            table.add_column("Why", key="why", width=9)
            table.add_column(right("Size"), key="size", width=9)
        table.add_column(right("Reviews"), key="reviews", width=8)
        return True

    @property
    def debrief_app(self) -> DebriefApp:
        return cast("DebriefApp", self.app)

    @property
    def url(self) -> str:
        return self.ws.store.url

    def load(self) -> None:
        """List the backups folder; each backup's review count follows from a thread."""
        from debrief.store import backup as backups

        where = self.query_one("#backup-where", Static)
        table = self.query_one("#backup-list", DataTable)
        table.clear()
        self.listed = []
        database = backups.database_file(self.url)
        if database is None:
            where.update(Content(sentence(backups.NOT_SQLITE)))
            self._note()
            return
        folder, stem = backups.shelf(self.url)
        self.listed = [Listed(item) for item in backups.list_backups(folder, stem)]
        where.update(Content.assemble(("Database ", "dim"), clean_text(tilde(database)), "\n",
                                      ("Backups  ", "dim"), clean_text(tilde(folder))))
        for number, row in enumerate(self.listed, start=1):
            cells = [right(str(number)), Text(local_minute(row.backup.made_at), no_wrap=True)]
            if not self._compact:
                cells += [Text(row.backup.reason, no_wrap=True, overflow="ellipsis"),
                          right(size_text(row.backup.size))]
            cells.append(right(row.reviews_text()))
            table.add_row(*cells, key=row.backup.name)
        self._note()
        if self.listed:
            self._count([row.backup for row in self.listed])

    @work(thread=True, exclusive=True, group="backup-count", exit_on_error=False)
    def _count(self, found: list[Backup]) -> None:
        """Read each backup's review count (read-only; a backup is never the live database)."""
        from debrief.store.maintenance import contents

        for backup in found:
            try:
                reviews: int | None = contents(backup.path).reviews
            except Exception:  # noqa: BLE001 - one unreadable file must not hide the others
                reviews = None
            self.app.call_from_thread(self._counted, backup, reviews)

    def _counted(self, backup: Backup, reviews: int | None) -> None:
        for index, row in enumerate(self.listed):
            if row.backup == backup:
                self.listed[index] = row = Listed(backup, reviews, counted=True)
                try:
                    self.query_one("#backup-list", DataTable).update_cell(
                        backup.name, "reviews", right(row.reviews_text()))
                except Exception:  # noqa: BLE001 - the list was read again meanwhile
                    pass
                return

    def _note(self) -> None:
        note = self.query_one("#backup-note", Static)
        if not self.listed:
            note.update(Content("No backups yet: press b to make one."))
            return
        count = len(self.listed)
        note.update(Content(f"{count} backup{'s' if count != 1 else ''}, newest first · Enter "
                            "restores the highlighted one (the current data is backed up first)"))

    @property
    def highlighted(self) -> Listed | None:
        table = self.query_one("#backup-list", DataTable)
        if not self.listed or table.row_count == 0:
            return None
        return self.listed[min(max(table.cursor_row, 0), len(self.listed) - 1)]

    # -- back up -------------------------------------------------------------------------------

    def action_backup(self) -> None:
        from debrief.store import backup as backups

        try:
            made = backups.make_backup(self.url, reason="manual")
        except (DebriefError, OSError) as exc:
            self.notify(one_line(exc), title="Backup", severity="error", markup=False)
            return
        self.notify(f"Backed up to {made.path} ({size_text(made.size)}).", title="Backup",
                    markup=False)
        self.load()

    def action_reload(self) -> None:
        self.load()

    # -- restore -------------------------------------------------------------------------------

    def action_restore(self) -> None:
        from debrief.tui.screens.confirm import ConfirmScreen

        chosen = self.highlighted
        if chosen is None or self.busy:
            return
        refusal = self.debrief_app.restore_refusal()
        if refusal:
            self.notify(refusal, title="Not restored", severity="warning", markup=False)
            return
        backup = chosen.backup
        reviews = "" if chosen.reviews is None else f", {chosen.reviews:,} reviews"
        question = (f"Restore the backup made {local_minute(backup.made_at)} ({backup.reason}{reviews})? "
                    "It replaces the current data; the current data is backed up first, so this "
                    "can be undone by restoring that backup.")

        def answered(yes: bool | None) -> None:
            if yes:
                self.busy = True
                self.notify("Restoring…", title="Restore", markup=False)
                self._restore(backup)

        self.app.push_screen(ConfirmScreen(question, "Restore"), callback=answered)

    @work(thread=True, exclusive=True, group="restore", exit_on_error=False)
    def _restore(self, backup: Backup) -> None:
        """`debrief restore`'s core (a safety backup first, the swap under the write lock),
        then a fresh workspace on the restored data, opened here, off the UI thread."""
        from debrief.store import backup as backups

        try:
            report = backups.restore(backup, self.url)
        except (DebriefError, OSError) as exc:
            self.app.call_from_thread(self._failed, one_line(exc))
            return
        message = f"Restored {report.restored.name}."
        if report.safety_backup:
            message += (f" The data it replaced is saved as {report.safety_backup.name} "
                        "(restore that one to undo).")
        if report.moved_aside:
            message += f" The damaged file was moved to {report.moved_aside}."
        self.app.call_from_thread(self._restored, message)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.notify(message, title="Not restored", severity="error", markup=False)

    def _restored(self, message: str) -> None:
        self.busy = False
        self.debrief_app.reload_workspace(message)

    def action_close(self) -> None:
        if not self.busy:
            self.dismiss()
