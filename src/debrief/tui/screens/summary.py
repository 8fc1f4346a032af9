"""The end-of-session summary: answered, right, time spent, and when the next card is due."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from debrief.scheduling import Rating
from debrief.session import Summary
from debrief.tui.format import due_text, duration


def summary_lines(summary: Summary, now: datetime) -> list[tuple[str, str]]:
    """The summary as (label, value) rows."""
    right_pct = f" ({round(100 * summary.right / summary.answered)}%)" if summary.answered else ""
    ratings = " · ".join(f"{r.label} {summary.ratings[r]}" for r in Rating if summary.ratings.get(r))
    return [
        ("Answered", str(summary.answered)),
        ("Right", f"{summary.right}{right_pct}"),
        ("Time", duration(summary.seconds)),
        ("Ratings", ratings or "-"),
        ("Next card", due_text(summary.next_due, now)),
    ]


class SummaryScreen(ModalScreen[None]):
    """Shown when the queue runs out; any of Enter, Escape or space goes back home."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("enter,escape,space", "close", "Home", tooltip="Back to the home screen"),
    ]

    def __init__(self, summary: Summary, now: datetime) -> None:
        super().__init__()
        self.summary = summary
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical(id="summary-box") as box:
            box.border_title = "Session complete"
            yield Static(Content("Every answer is saved."), id="summary-lead")
            rows = summary_lines(self.summary, self.now)
            width = max(len(label) for label, _value in rows) + 2
            yield Static(Content("\n").join(
                Content.assemble((label.ljust(width), "bold"), value) for label, value in rows),
                id="summary-table")
            yield Static(Content("Press Enter to go home."), id="summary-hint")

    def action_close(self) -> None:
        self.dismiss(None)
