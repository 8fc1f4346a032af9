"""The card on screen: its deck, kind and state, the prompt, and numbered options."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from debrief.cards import KIND_LABELS
from debrief.records import CardRecord
from debrief.tui.format import plain

STATE_LABELS = {"new": "new card", "learning": "learning", "relearning": "relearning",
                "review": "review"}


class CardView(Vertical, can_focus=True):
    """Shows one card's question. Focusable, so recall cards can be revealed with Enter/space."""

    DEFAULT_CSS = """
    CardView {
        height: auto;
        padding: 0 1;
        border: round $primary 50%;
        &:focus { border: round $primary; }
        #card-meta { color: $text-muted; }
        #card-prompt { text-style: bold; margin: 1 0 0 0; }
        #card-options { margin: 1 0 0 0; }
        #card-hint { color: $text-muted; margin: 1 0 0 0; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="card-meta", markup=False)
        yield Static(id="card-prompt", markup=False)
        yield Static(id="card-options", markup=False)
        yield Static(id="card-hint", markup=False)

    def show(self, record: CardRecord, hint: str = "") -> None:
        """Display `record`'s question (prompt, kind, options) and a one-line hint."""
        card = record.card
        kind = Content.assemble((f" {card.kind.upper()} ", "reverse"), " ",
                                KIND_LABELS.get(card.kind, card.kind))
        meta = Content.assemble(kind, " · ", plain(card.deck), " · ",
                                STATE_LABELS.get(record.state.state, record.state.state))
        self.query_one("#card-meta", Static).update(meta)
        self.query_one("#card-prompt", Static).update(plain(card.prompt))
        options = self.query_one("#card-options", Static)
        if card.options:
            lines = [Content.assemble((f"{n:>2}", "bold"), "  ", plain(option))
                     for n, option in enumerate(card.options, start=1)]
            options.update(Content("\n").join(lines))
            options.display = True
        else:
            options.update("")
            options.display = False
        self.set_hint(hint)

    def set_hint(self, hint: str) -> None:
        widget = self.query_one("#card-hint", Static)
        widget.update(Content(hint))
        widget.display = bool(hint)
