"""The interview date dialog: set, change or clear the date the plan schedules toward."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from debrief.errors import DebriefError
from debrief.tui.widgets.footer import Footer
from debrief.tui.widgets.inputs import QuietInput

CLEAR = ""  # what the dialog returns to clear the date (None: closed without a change)


class InterviewDateScreen(ModalScreen[str | None]):
    """Ask for a `YYYY-MM-DD` date; a bad one is explained in one line under the box."""

    CSS_PATH = "interview.tcss"
    AUTO_FOCUS = "#date-input"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without a change"),
        Binding("ctrl+r", "clear", "Clear date", tooltip="Remove the interview date"),
    ]

    def __init__(self, current: date | None, today: date,
                 check: Callable[[str], object]) -> None:
        super().__init__()
        self.current = current
        self.today = today
        self.check = check  # raises DebriefError with the reason when the text is not a good date

    def compose(self) -> ComposeResult:
        with Vertical(id="date-box") as box:
            box.border_title = "Change the interview date" if self.current else "Interview date"
            yield Static(Content("When is the interview? The plan schedules your reviews so "
                                 "that you know your cards on the day."), id="date-help")
            yield QuietInput(self.current.isoformat() if self.current else "", id="date-input",
                             placeholder="YYYY-MM-DD", select_on_focus=True)
            yield Static(id="date-error", markup=False)
            hint = "Enter saves · Esc cancels" + (" · ctrl+r clears it" if self.current else "")
            yield Static(Content(hint), id="date-hint")
        yield Footer()

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.query_one(Input).cursor_blink = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear":
            return self.current is not None
        return True

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#date-error", Static).update(Content(""))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        error = self.query_one("#date-error", Static)
        if not text:
            error.update(Content("Type a date as YYYY-MM-DD, e.g. "
                                 f"{self.today.replace(day=min(self.today.day, 28)).isoformat()}."))
            return
        try:
            self.check(text)
        except DebriefError as exc:
            error.update(Content(_sentence(str(exc))))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_clear(self) -> None:
        self.dismiss(CLEAR)


def _sentence(text: str) -> str:
    """An error message as one sentence: a capital first, one full stop at the end."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."
