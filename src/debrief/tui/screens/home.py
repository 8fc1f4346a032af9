"""The home screen: decks with new and due counts, today's progress, the streak, what is next."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.widgets import DataTable, Header, ProgressBar, Static

from debrief.cards import clean_text
from debrief.errors import DebriefError
from debrief.tui.format import due_text, local_time
from debrief.tui.type_ahead import TypeAheadScreen
from debrief.tui.widgets.footer import Footer
from debrief.tui.widgets.plan import PlanPanel

if TYPE_CHECKING:
    from debrief.overview import Overview
    from debrief.tui.app import DebriefApp
    from debrief.workspace import Workspace

ALL = "*"  # the row key of "All decks"
STUDY_MORE_STEP = 10  # new cards one press of "More new" adds to today's limit
# What home gives up, in turn, when the deck list cannot show every deck: the plan's details,
# then today's bar and hint, then the plan panel (its countdown moves to today's line).
FIT_LEVELS = ("-plan-brief", "-today-brief", "-plan-hidden")
MIN_TITLE = 10  # narrower than this, the deck titles are left out rather than cut to a stub


def number(value: int) -> Text:
    return Text(str(value) if value else "·", justify="right")


class HomeScreen(TypeAheadScreen[None]):
    """Where every session starts and ends.

    Keys typed right after the key that opens a review or a quiz wait for its first card or
    question (the app's actions open them; the new screen says when it is ready)."""

    CHANGES = frozenset({"review", "quiz", "review_selected"})

    def changes(self, namespace: DOMNode, action: str) -> bool:
        return action in self.CHANGES  # on the app too: `app.review`, `app.quiz`

    # home.tcss is in DebriefApp.CSS_PATH: a default screen's own CSS_PATH is not loaded.
    AUTO_FOCUS = "#decks"
    BINDINGS = [
        Binding("r", "app.review", "Review all", tooltip="Review every deck's due and new cards"),
        Binding("enter", "review_selected", "Review deck", priority=True,
                tooltip="Review the highlighted deck"),
        Binding("q", "app.quiz", "Quiz", tooltip="A timed quiz"),
        Binding("s", "app.stats", "Stats", tooltip="Review statistics"),
        Binding("b,slash", "app.browse", "Browse", tooltip="Search cards, suspend and unsuspend"),
        Binding("n,plus", "study_more", "More new",
                tooltip=f"Study more today: raise today's new-card limit by {STUDY_MORE_STEP}"),
        Binding("p", "app.plan", "Plan", tooltip="The interview plan: recall on the day, the pace"),
        Binding("i", "app.interview_date", "Interview date",
                tooltip="Set, change or clear the interview date"),
        Binding("e", "app.transfer('anki')", "Export", tooltip="Export every deck to Anki (.apkg)"),
        Binding("E", "app.transfer('csv')", "Export CSV", show=False,
                tooltip="Export every deck as CSV"),
        Binding("m", "app.transfer('import')", "Import",
                tooltip="Import a deck file (.toml, .csv, .tsv) or an Anki package"),
        Binding("comma", "app.settings", "Settings",
                tooltip="New cards and reviews a day, retention, steps, day start, theme"),
        Binding("k", "app.backups", "Backups", show=False,
                tooltip="Back up now, or restore a backup"),
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
            yield Static(id="today-interview", markup=False)
            yield ProgressBar(total=1, id="today-progress", show_eta=False)
            yield Static(id="today-next", markup=False)
        yield PlanPanel(id="plan")  # hidden until an interview date is set
        table: DataTable[Text] = DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        table.border_title = "Decks"
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self._fit_level = 0
        self._fit_pending = False
        self._title_width: int | None = None
        self.screen_layout_refresh_signal.subscribe(self, self._after_layout)
        self._add_columns(None)
        if getattr(self.app, "workspace", None) is not None:
            self.refresh_data()

    def _add_columns(self, title_width: int | None) -> None:
        table = self.query_one("#decks", DataTable)
        table.clear(columns=True)
        table.add_column("Deck", key="deck")
        table.add_column("New", key="new")
        table.add_column("Learn", key="learn")
        table.add_column("Due", key="due")
        table.add_column("Cards", key="cards")
        if title_width is None or title_width >= MIN_TITLE:
            table.add_column("Title", key="title", width=title_width)
        self._title_width = title_width

    # -- fitting the screen --------------------------------------------------------------------

    def on_resize(self) -> None:
        self._refit()

    def on_plan_panel_shown(self, event: PlanPanel.Shown) -> None:
        event.stop()
        plan = self.query_one(PlanPanel).plan
        line = ""
        interview = self.query_one("#today-interview", Static)
        offer = plan is None or plan.interview_date is None
        interview.set_class(offer, "-offer")
        if offer:
            # A fresh install (or a date cleared): say what a date is for and how to set one.
            line = "Interview coming up? Press i to set its date and get a plan for the day."
        elif plan is not None and plan.interview_date is not None and not plan.passed:
            days = plan.days_left or 0
            line = ("Interview today" if days == 0 else "Interview tomorrow" if days == 1
                    else f"Interview in {days} days")
            line += f" ({plan.interview_date.strftime('%a %d %b')})"
        interview.update(Content(line))
        interview.set_class(bool(line), "-set")
        self._refit()

    def _refit(self) -> None:
        """Start again from the full layout, then give up parts until every deck shows (checked
        after each layout, as only the layout knows how tall the wrapped panels are)."""
        self._fit_level = 0
        self._fit_pending = True
        self.remove_class(*FIT_LEVELS)
        self.refresh(layout=True)

    def _after_layout(self, _screen: object = None) -> None:
        if getattr(self, "_fit_pending", False):
            self._fit_pending = False
            self.call_after_refresh(self._check_fit)

    def _check_fit(self) -> None:
        if not self.is_attached:
            return
        table = self.query_one("#decks", DataTable)
        width = table.scrollable_content_region.width
        if self.overview is not None and width and self._title_width != self._title_room(width):
            self._show_decks(self.overview)
        shown = table.scrollable_content_region.height - 1  # the header row
        if table.row_count and shown < table.row_count and self._fit_level < len(FIT_LEVELS):
            self.add_class(FIT_LEVELS[self._fit_level])
            self._fit_level += 1
            self._fit_pending = True

    def _title_room(self, width: int) -> int:
        """The cells left for the Title column once the figures have theirs."""
        table = self.query_one("#decks", DataTable)
        used = sum(column.get_render_width(table) for key, column in table.columns.items()
                   if key.value != "title")
        return width - used - 2 * table.cell_padding - 2  # room for the scrollbar, no sideways scroll

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
        self.run_worker(lambda: self._suggest_optimize(workspace), thread=True, exclusive=True,
                        group="optimize-hint", exit_on_error=False)
        self.refresh_bindings()
        self._refit()

    def _suggest_optimize(self, workspace: Workspace) -> None:
        # At most once a month (the core decides and records it): a toast, never in the way.
        from debrief.optimize import mark_suggested, suggestion

        try:
            text = suggestion(workspace)
            if text is None:
                return
            mark_suggested(workspace)
            # In the app the same fit is a palette command: say so beside the CLI's name.
            text += " (here: ctrl+p, Optimize scheduling)"
            self.app.call_from_thread(self.notify, text, title="Scheduling", markup=False,
                                      timeout=10)
        except (DebriefError, RuntimeError):  # a busy store or a closed app: try another day
            return

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
        width = table.scrollable_content_region.width
        self._add_columns(self._title_room(width) if width else None)
        with_title = "title" in {key.value for key in table.columns}
        # The collection's row: today's limits hold for all decks together, so it is not the sum
        # of the rows below (each of which shows what Enter on that deck alone would serve).
        learning = sum(d.learning for d in data.decks)
        table.add_row(Text("All decks", style="bold"), number(data.new), number(learning),
                      number(max(0, data.due - learning)), number(sum(d.cards for d in data.decks)),
                      *([Text("")] if with_title else []), key=ALL)
        for deck in data.decks:
            title = Text(clean_text(deck.title), no_wrap=True, overflow="ellipsis")
            table.add_row(Text(clean_text(deck.name)), number(deck.new), number(deck.learning),
                          number(deck.due), number(deck.cards), *([title] if with_title else []),
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

    def action_study_more(self) -> None:
        """Raise today's new-card limit (today only, config untouched), as Anki's custom study."""
        from debrief.allowance import study_more

        workspace = getattr(self.app, "workspace", None)
        if workspace is None:
            return
        try:
            allowance = study_more(workspace, STUDY_MORE_STEP)
        except DebriefError as exc:
            self.notify(str(exc), title="Not done", severity="error", markup=False)
            return
        self.notify(f"Today's new-card limit is now {allowance.new_limit} "
                    f"({allowance.new_left} left today; back to the usual limit tomorrow).",
                    title="Study more", markup=False)
        self.refresh_data()

    def action_review_selected(self) -> None:
        deck = self.selected_deck()
        if deck is None:
            self.keys_ready()  # nothing opens: the keys typed after Enter are home's
            return
        app = cast("DebriefApp", self.app)
        if deck == ALL:
            app.action_review()
        else:
            app.action_review(deck)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_review_selected()
