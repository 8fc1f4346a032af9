"""The `?` overlay: every key of the screen below it, with what each does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

# Textual's own keys on every screen (focus moves, copy): not this screen's to explain.
TEXTUAL_CHORES = {"focus_next", "focus_previous", "copy_text", "maximize", "minimize"}


def key_lines(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, what they do) for each action bound on `screen`, in the footer's order, once each:
    the screen's and the app's keys and those the footer shows, not a text box's editing keys."""
    app = screen.app
    rows: dict[tuple[int, str], tuple[list[str], str]] = {}
    for node, binding, enabled, tooltip in screen.active_bindings.values():
        if not enabled or not binding.description:
            continue
        if not binding.show and node is not screen and node is not app:
            continue
        if binding.action.split(".")[-1] in TEXTUAL_CHORES:
            continue
        what = tooltip or binding.tooltip or binding.description
        if binding.group is not None and binding.group.description:
            what = f"{binding.group.description}: {binding.description}"
        key = app.get_key_display(binding)
        keys, _what = rows.setdefault((id(node), binding.action), ([], what))
        if key not in keys:
            keys.append(key)
    return [(" ".join(keys), what) for keys, what in rows.values()]


class HelpScreen(ModalScreen[None]):
    """A modal list of the keys of the screen it was opened over; any listed key closes it."""

    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,question_mark,q,enter", "dismiss", "Close", show=False)]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.lines = key_lines(under)
        self.title_text = f"Keys · {under.sub_title or 'debrief'}"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = self.title_text
            box.border_subtitle = "esc closes"
            width = max((len(k) for k, _w in self.lines), default=0)
            for keys, what in self.lines:
                with Horizontal(classes="help-row"):
                    yield Static(Content.styled(f"{keys:>{width}}", "bold $accent"),
                                 classes="help-key")
                    yield Static(Content(what), classes="help-what")

    def on_click(self) -> None:
        self.dismiss()
