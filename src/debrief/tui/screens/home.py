"""The home screen: decks with new and due counts, today's progress, the streak, what is next."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, ProgressBar, Static

from debrief.cards import clean_text
from debrief.errors import DebriefError
from debrief.tui.format import due_text, local_time
from debrief.tui.widgets.footer import Footer
from debrief.tui.widgets.plan import PlanPanel

if TYPE_CHECKING:
    from debrief.overview import Overview
    from debrief.tui.app import DebriefApp

ALL = "*"  # the row key of "All decks"


def number(value: int) -> Text:
    return Text(str(value) if value else "·", justify="right")


class HomeScreen(Screen[None]):
    """Where every session starts and ends."""

    # home.tcss is in DebriefApp.CSS_PATH: a default screen's own CSS_PATH is not loaded.
    AUTO_FOCUS = "#decks"
    BINDINGS = [
        Binding("r", "app.review", "Review all", tooltip="Review every deck's due and new cards"),
        Binding("enter", "review_selected", "Review deck", priority=True,
                tooltip="Review the highlighted deck"),
        Binding("q", "app.quiz", "Quiz", tooltip="A timed quiz"),
        Binding("s", "app.stats", "Stats", tooltip="Review statistics"),
        Binding("b,slash", "app.browse", "Browse", tooltip="Search cards, suspend and unsuspend"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.overview: Overview | None = None
        self.sub_title = "Home"

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Vertical(id="today") as today:
            today.border_title = "Today"
            yield Static(Content("Opening your decks…"), id="today-figures")
            yield ProgressBar(total=1, id="today-progress", show_eta=False)
            yield Static(id="today-next", markup=False)
        yield PlanPanel(id="plan")  # hidden until an interview date is set
        table: DataTable[Text] = DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        table.border_title = "Decks"
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#decks", DataTable)
        table.add_column("Deck", key="deck")
        table.add_column("New", key="new")
        table.add_column("Learn", key="learn")
        table.add_column("Due", key="due")
        table.add_column("Cards", key="cards")
        table.add_column("Title", key="title")
        if getattr(self.app, "workspace", None) is not None:
            self.refresh_data()

    def on_screen_resume(self) -> None:
        if getattr(self.app, "workspace", None) is not None:
            self.refresh_data()

    def refresh_data(self) -> None:
        """Re-read today's figures and the deck table from the store."""
        from debrief.overview import overview

        workspace = getattr(self.app, "workspace", None)
        if workspace is None:
            return
        try:
            data = overview(workspace)
        except DebriefError as exc:
            self.notify(str(exc), title="Cannot read the decks", severity="error", markup=False)
            return
        self.overview = data
        self._show_today(data)
        self._show_decks(data)
        self.query_one(PlanPanel).refresh_plan(workspace)
        self.refresh_bindings()

    def _show_today(self, data: Overview) -> None:
        left = data.due + data.new
        streak = f"{data.streak} day{'s' if data.streak != 1 else ''}"
        figures = Content.assemble(
            (f"{data.due}", "bold"), " due · ", (f"{data.new}", "bold"), " new · ",
            (f"{data.done}", "bold"), " answered today · streak ", (streak, "bold"))
        self.query_one("#today-figures", Static).update(figures)
        bar = self.query_one("#today-progress", ProgressBar)
        bar.update(total=max(1, data.done + left), progress=data.done)
        if left:
            nxt = f"{left} card{'s' if left != 1 else ''} to study now: press r to review."
        elif data.next_due is not None:
            nxt = (f"All done for now. Next card due {due_text(data.next_due, data.now)}"
                   f" ({local_time(data.next_due, data.now)}).")
        else:
            nxt = "Nothing scheduled yet."
        self.query_one("#today-next", Static).update(Content(nxt))

    def _show_decks(self, data: Overview) -> None:
        table = self.query_one("#decks", DataTable)
        selected = self.selected_deck()
        table.clear()
        table.add_row(Text("All decks", style="bold"), number(sum(d.new for d in data.decks)),
                      number(sum(d.learning for d in data.decks)), number(sum(d.due for d in data.decks)),
                      number(sum(d.cards for d in data.decks)), Text(""), key=ALL)
        for deck in data.decks:
            table.add_row(Text(clean_text(deck.name)), number(deck.new), number(deck.learning),
                          number(deck.due), number(deck.cards),
                          Text(clean_text(deck.title), no_wrap=True, overflow="ellipsis"),
                          key=deck.name)
        if selected is not None:
            try:
                table.move_cursor(row=table.get_row_index(selected), animate=False)
            except Exception:  # noqa: BLE001 - the deck may be gone; keep the cursor where it is
                pass

    def selected_deck(self) -> str | None:
        """The highlighted deck's name (`*` for all decks), None before the table is filled."""
        table = self.query_one("#decks", DataTable)
        if table.row_count == 0:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "review_selected":
            return True if self.overview is not None else None
        return True

    def action_review_selected(self) -> None:
        deck = self.selected_deck()
        if deck is None:
            return
        app = cast("DebriefApp", self.app)
        if deck == ALL:
            app.action_review()
        else:
            app.action_review(deck)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_review_selected()
