"""A yes/no question before something that cannot be taken back (ending a quiz with answers)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    """`question`, answered with y (or Enter) for yes and n (or Escape) for no."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
        background: $background 60%;
        #confirm-box {
            width: 60;
            max-width: 100%;
            height: auto;
            padding: 0 1;
            border: round $warning;
            border-title-style: bold;
            background: $surface;
        }
        #confirm-keys { color: $text-muted; margin-top: 1; }
    }
    """
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", show=False),
        Binding("n,escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, question: str, title: str = "Are you sure?") -> None:
        super().__init__()
        self.question = question
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box") as box:
            box.border_title = self.title_text
            yield Static(Content(self.question), id="confirm-question")
            yield Static(Content("y / Enter: yes · n / Esc: no"), id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
