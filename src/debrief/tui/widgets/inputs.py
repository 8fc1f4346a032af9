"""Input boxes that behave well in headless runs."""

from __future__ import annotations

from textual.widgets import Input


class QuietInput(Input):
    """An Input whose cursor does not blink when nobody can see it (headless: tests, screenshots),
    so two screenshots of the same state are identical."""

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.cursor_blink = False
