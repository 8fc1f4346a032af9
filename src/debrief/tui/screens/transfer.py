"""Export (Anki, CSV) and import (TOML, CSV, Anki packages) dialogs: a path, a progress bar, a
toast at the end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Static

from debrief.errors import DebriefError
from debrief.importers.anki import PACKAGE_SUFFIXES
from debrief.tui.format import sentence
from debrief.tui.widgets.inputs import QuietInput

# kind: (title, what the path is, default file name)
KINDS = {
    "anki": ("Export to Anki", "The .apkg file to write", "debrief.apkg"),
    "csv": ("Export to CSV", "The CSV file to write (Anki's text import format)", "debrief.csv"),
    "import": ("Import a deck", "A file to import: a deck (.toml, .csv, .tsv) or an Anki package "
                                "(.apkg, .colpkg)", ""),
}


def first_line(error: BaseException) -> str:
    """An error as one sentence (a deck file error lists every problem: say the first, and how
    many more)."""
    lines = [line for line in str(error).splitlines() if line.strip()] or [type(error).__name__]
    more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
    return sentence(lines[0] + more)


class TransferScreen(ModalScreen[str | None]):
    """Ask for a path, then export or import in a worker thread with a progress bar; dismissed
    with the result's message (shown as a toast by the caller)."""

    CSS_PATH = "transfer.tcss"
    AUTO_FOCUS = "#transfer-path"
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without doing anything")]

    def __init__(self, workspace: Any, kind: str) -> None:
        super().__init__()
        if kind not in KINDS:
            raise ValueError(f"unknown transfer {kind!r}")
        self.workspace = workspace
        self.kind = kind
        self.busy = False

    def compose(self) -> ComposeResult:
        title, what, default = KINDS[self.kind]
        with Vertical(id="transfer-box") as box:
            box.border_title = title
            yield Static(Content(what), id="transfer-what")
            yield QuietInput(str(Path.home() / default) if default else "", id="transfer-path",
                             placeholder="a path, e.g. ~/decks/mine.toml")
            yield ProgressBar(id="transfer-progress", show_eta=False)
            yield Static(id="transfer-error", markup=False)
            yield Static(Content("Enter starts · Esc cancels"), id="transfer-hint")

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        if self.app.is_headless:
            self.query_one(Input).cursor_blink = False

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#transfer-error", Static).update(Content(""))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.busy:
            return
        text = event.value.strip()
        error = self.query_one("#transfer-error", Static)
        if not text:
            error.update(Content("Type a file path."))
            return
        path = Path(text).expanduser()
        problem = self._check(path)
        if problem:
            error.update(Content(problem))
            return
        self.busy = True
        self.query_one(Input).disabled = True
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.run(path)

    def _check(self, path: Path) -> str | None:
        """A problem with `path` found before any work starts, or None."""
        if self.kind == "import":
            if not path.is_file():
                return sentence(f"No such file: {path}")
            return None
        if path.is_dir():
            return sentence(f"{path} is a folder: give a file name")
        if not path.parent.is_dir():
            return sentence(f"The folder {path.parent} does not exist")
        return None

    def _progress(self, done: int, total: int) -> None:
        self.app.call_from_thread(self.query_one(ProgressBar).update, total=max(total, 1),
                                  progress=done)

    @work(thread=True, exclusive=True, group="transfer", exit_on_error=False)
    def run(self, path: Path) -> None:
        """Export or import through the same core functions as `debrief export` / `import`."""
        try:
            if self.kind == "import" and path.suffix.lower() in PACKAGE_SUFFIXES:
                # The same two steps as `debrief import x.apkg`: read and check the whole
                # package (nothing written if it is bad), then apply it.
                from debrief.importers.anki import read_package
                from debrief.importers.apply import apply_package

                lines = apply_package(self.workspace, read_package(path), path,
                                      progress=self._progress)
                message = f"From {path.name}: " + "; ".join(lines) + "."
            elif self.kind == "import":
                from debrief.importing import import_deck_file

                verb, report = import_deck_file(self.workspace, path, progress=self._progress)
                message = f"{verb.capitalize()} {report} from {path.name}."
            else:
                from debrief.export.source import export_decks, export_progress

                decks = export_decks(self.workspace)
                if self.kind == "anki":
                    from debrief.export.anki import export_apkg

                    # With study progress, as `debrief export anki` writes it by default.
                    written = export_apkg(decks, path, progress=self._progress,
                                          study=export_progress(self.workspace))
                else:
                    from debrief.export.csvfile import export_csv

                    written = export_csv(decks, path, progress=self._progress)
                noun = "deck" if len(decks) == 1 else "decks"
                message = f"Wrote {written} cards from {len(decks)} {noun} to {path}."
        except (DebriefError, OSError, ValueError) as exc:
            self.app.call_from_thread(self._failed, first_line(exc))
            return
        self.app.call_from_thread(self.dismiss, message)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.query_one(ProgressBar).display = False
        box = self.query_one(Input)
        box.disabled = False
        box.focus()
        self.query_one("#transfer-error", Static).update(Content(message))

    def action_cancel(self) -> None:
        if not self.busy:  # a write under way finishes (the file appears whole or not at all)
            self.dismiss(None)
