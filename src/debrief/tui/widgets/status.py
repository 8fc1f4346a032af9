"""The session status line: cards done and left, and the time spent, always visible."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.content import Content
from textual.widgets import ProgressBar, Static

from debrief.tui.format import clock


class SessionStatus(HorizontalGroup):
    """`done 3 · left 17 (2 learning · 5 due · 10 new)   time 1:05`, after a progress bar."""

    DEFAULT_CSS = """
    SessionStatus {
        height: 1;
        padding: 0 1;
        background: $panel;
        #status-progress { width: 22; margin-right: 1; }
        #status-progress Bar { width: 16; }
        #status-text { width: auto; }
        #status-detail { width: 1fr; padding-left: 1; color: $text-muted; }
        #status-clock { width: auto; text-style: bold; }
    }
    """

    def compose(self) -> ComposeResult:
        yield ProgressBar(id="status-progress", show_eta=False, show_percentage=True)
        yield Static(id="status-text", markup=False)
        yield Static(id="status-detail", markup=False)
        yield Static(id="status-clock", markup=False)

    def show(self, done: int, counts: dict[str, int]) -> None:
        left = sum(counts.values())
        parts = [f"{counts[k]} {label}" for k, label in
                 (("learning", "learning"), ("review", "due"), ("new", "new")) if counts.get(k)]
        detail = f"({' · '.join(parts)})" if parts else ""
        self.query_one("#status-text", Static).update(Content(f"done {done} · left {left}"))
        self.query_one("#status-detail", Static).update(Content(detail))
        bar = self.query_one(ProgressBar)
        bar.update(total=max(1, done + left), progress=done)

    def tick(self, seconds: float) -> None:
        self.query_one("#status-clock", Static).update(Content(f"time {clock(seconds)}"))
