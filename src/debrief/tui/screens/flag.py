"""The flag chooser browse opens on `f`: 1-4 set Anki's colours, 0 clears, Esc cancels."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from debrief.cards import FLAG_NAMES

# Colours as Anki shows its flags; the number and the name say the same without colour.
FLAG_STYLES: dict[int, str] = {1: "bold red", 2: "bold dark_orange", 3: "bold green",
                               4: "bold dodger_blue1"}
FLAG_GLYPH = "⚑"


def flag_label(flag: int) -> str:
    """A flag as text that reads without colour: `⚑1 red`."""
    return f"{FLAG_GLYPH}{flag} {FLAG_NAMES[flag]}" if flag in FLAG_NAMES else ""


def flag_mark(flag: int) -> Text:
    """The short marker in browse's list (`⚑1 `, in the flag's colour); empty without a flag."""
    if flag not in FLAG_NAMES:
        return Text()
    return Text.assemble((f"{FLAG_GLYPH}{flag}", FLAG_STYLES[flag]), " ")


class FlagScreen(ModalScreen[int | None]):
    """Asks which flag to set: dismissed with 1-4, 0 (clear) or None (cancelled)."""

    DEFAULT_CSS = """
    FlagScreen {
        align: center middle;
        background: $background 60%;
        #flag-box {
            width: 44;
            max-width: 100%;
            height: auto;
            padding: 0 1;
            border: round $primary;
            border-title-style: bold;
            background: $surface;
        }
        #flag-keys { color: $text-muted; margin-top: 1; }
    }
    """
    BINDINGS = [
        *(Binding(str(n), f"choose({n})", FLAG_NAMES[n].capitalize(), show=False)
          for n in FLAG_NAMES),
        Binding("0,backspace,delete", "choose(0)", "Clear", show=False),
        Binding("escape,f", "choose(-1)", "Cancel", show=False),
    ]

    def __init__(self, noun: str, current: int = 0) -> None:
        super().__init__()
        self.noun = noun
        self.current = current

    def compose(self) -> ComposeResult:
        lines = [Content.assemble((f"{n}  ", "bold"),
                                  Content.from_rich_text(flag_mark(n)), FLAG_NAMES[n],
                                  ("  (now)" if n == self.current else ""))
                 for n in FLAG_NAMES]
        lines.append(Content.assemble(("0  ", "bold"), "no flag",
                                      ("  (now)" if self.current == 0 else "")))
        with Vertical(id="flag-box") as box:
            box.border_title = f"Flag {self.noun}"
            yield Static(Content("\n").join(lines), id="flag-choices")
            yield Static(Content("1-4 sets a flag · 0 clears · Esc cancels"), id="flag-keys")

    def action_choose(self, flag: int) -> None:
        self.dismiss(None if flag < 0 else flag)
