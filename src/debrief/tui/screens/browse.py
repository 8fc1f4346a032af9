"""The browse screen: search cards, see a card's schedule and history, suspend and unsuspend."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from debrief.cards import KIND_LABELS, ScheduleState, clean_text
from debrief.errors import DebriefError
from debrief.records import CardRecord, ReviewRecord
from debrief.scheduling import Rating
from debrief.search import search
from debrief.tui.format import SYMBOL, due_text, local_time, plain
from debrief.tui.widgets.footer import Footer
from debrief.tui.widgets.inputs import QuietInput
from debrief.workspace import Workspace

PROMPT_COLUMN = 28
STATUS_WIDTH = 18  # "relearning · in 10m" fits; longer ones are cut with an ellipsis


def cell(text: object) -> Text:
    """A table cell shown literally (DataTable parses plain strings as markup)."""
    return Text(clean_text(str(text)), no_wrap=True, overflow="ellipsis")


def status_of(record: CardRecord, ws: Workspace) -> str:
    """A short status for the table: suspended / buried / the scheduling state and due time."""
    now = ws.now()
    if record.suspended:
        return "⏸ suspended"
    if record.buried_until is not None and record.buried_until > now:
        return "buried"
    state = record.state
    if state.state is ScheduleState.NEW:
        return "new"
    return f"{state.state} · {due_text(state.due, now)}"


class BrowseScreen(Screen[None]):
    """All cards, searchable; the highlighted card's content, schedule and history beside."""

    CSS_PATH = "browse.tcss"
    AUTO_FOCUS = "#search"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the previous screen"),
        Binding("slash", "focus_search", "Search", tooltip="Search cards"),
        Binding("s", "toggle_suspend", "Suspend/unsuspend", tooltip="Suspend or unsuspend the card"),
        Binding("ctrl+s", "toggle_suspend(True)", "Suspend/unsuspend",
                tooltip="Suspend or unsuspend the highlighted card"),
        Binding("down", "focus_table", "Cards", show=False),
    ]

    def __init__(self, workspace: Workspace, query: str = "") -> None:
        super().__init__()
        self.ws = workspace
        self.initial_query = query
        self.records: list[CardRecord] = []
        self.shown: list[CardRecord] = []
        self.sub_title = "Browse"

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield QuietInput(self.initial_query, id="search",
                    placeholder="Search: words (fuzzy), deck:NAME tag:NAME kind:text is:suspended")
        with Horizontal(id="browse-main"):
            table: DataTable[Text] = DataTable(id="cards", cursor_type="row", zebra_stripes=True)
            yield table
            with VerticalScroll(id="detail"):
                yield Static(id="detail-card", markup=False)
                yield Static(id="detail-schedule", markup=False)
                yield Static(id="detail-history", markup=False)
        yield Static(id="browse-count", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#cards", DataTable)
        table.add_column("Card", key="id")
        table.add_column("Prompt", key="prompt", width=PROMPT_COLUMN)
        table.add_column("Status", key="status", width=STATUS_WIDTH)
        table.add_column("Deck", key="deck")
        self.load()

    def load(self) -> None:
        """Read every card from the store and apply the current search."""
        try:
            self.records = self.ws.store.cards()
        except DebriefError as exc:
            self.notify(str(exc), severity="error", markup=False)
            self.records = []
        self.apply_search(self.query_one("#search", Input).value)

    def apply_search(self, text: str) -> None:
        table = self.query_one("#cards", DataTable)
        self.shown = search(self.records, text, self.ws.now())
        table.clear()
        for record in self.shown:
            table.add_row(cell(record.card.id), cell(record.card.prompt[:PROMPT_COLUMN * 2]),
                          cell(status_of(record, self.ws)), cell(record.card.deck), key=str(record.pk))
        count = self.query_one("#browse-count", Static)
        total = len(self.records)
        count.update(Content(f"{len(self.shown)} of {total} cards"
                             + ("" if self.shown or not total else " · no card matches")))
        self.show_detail(self.shown[0] if self.shown else None)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.apply_search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_focus_table()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_detail(self._record(event.row_key.value))
        self.refresh_bindings()

    def _record(self, key: str | None) -> CardRecord | None:
        for record in self.shown:
            if str(record.pk) == key:
                return record
        return None

    @property
    def highlighted(self) -> CardRecord | None:
        table = self.query_one("#cards", DataTable)
        if not self.shown or table.row_count == 0:
            return None
        row = min(max(table.cursor_row, 0), len(self.shown) - 1)
        return self.shown[row]

    # -- detail --------------------------------------------------------------------------------

    def show_detail(self, record: CardRecord | None) -> None:
        card_w = self.query_one("#detail-card", Static)
        sched_w = self.query_one("#detail-schedule", Static)
        hist_w = self.query_one("#detail-history", Static)
        if record is None:
            card_w.update(Content("No card selected."))
            sched_w.update(Content(""))
            hist_w.update(Content(""))
            return
        card = record.card
        lines = [
            Content.assemble((f" {card.kind.upper()} ", "reverse"), " ",
                             KIND_LABELS.get(card.kind, card.kind), " · ", plain(card.deck),
                             " · ", plain(card.id)),
            Content.assemble(("", ""), plain(card.prompt)).stylize("bold"),
        ]
        lines += [Content.assemble(f"{n:>2}  ", plain(o)) for n, o in enumerate(card.options, 1)]
        lines.append(Content.assemble(("Answer  ", "dim"), plain(card.answer_text)))
        if card.accept:
            lines.append(Content.assemble(("Also    ", "dim"), plain(" | ".join(card.accept))))
        if card.explanation:
            lines.append(Content.assemble(("Why     ", "dim"), plain(card.explanation)))
        if card.tags:
            lines.append(Content.assemble(("Tags    ", "dim"), plain(" ".join(f"#{t}" for t in card.tags))))
        card_w.update(Content("\n").join(lines))
        sched_w.update(self._schedule(record))
        hist_w.update(self._history(record))

    def _schedule(self, record: CardRecord) -> Content:
        now = self.ws.now()
        state = record.state
        rows: list[tuple[str, str]] = [("State", state.state)]
        if record.suspended:
            rows.append(("Suspended", "yes (press s to unsuspend)"))
        if record.buried_until is not None and record.buried_until > now:
            rows.append(("Buried", f"until {local_time(record.buried_until, now)}"))
        if state.state is not ScheduleState.NEW:
            rows.append(("Due", f"{due_text(state.due, now)} ({local_time(state.due, now)})"))
            if state.stability is not None:
                rows.append(("Stability", f"{state.stability:.1f} days"))
            if state.difficulty is not None:
                rows.append(("Difficulty", f"{state.difficulty:.1f} / 10"))
            try:
                recall = self.ws.scheduler.retrievability(state, now)
                rows.append(("Recall now", f"{recall:.0%}"))
            except Exception:  # noqa: BLE001 - a display nicety; never break browsing over it
                pass
        rows.append(("Reviews", f"{state.reps} ({state.lapses} lapses)"))
        return Content.assemble(("Schedule\n", "bold underline"), Content("\n").join(
            Content.assemble((f"{label:<11}", "dim"), value) for label, value in rows))

    def _history(self, record: CardRecord) -> Content:
        try:
            history: list[ReviewRecord] = self.ws.store.history(record.pk)
        except DebriefError as exc:
            return Content(f"History unavailable: {exc}")
        if not history:
            return Content.assemble(("History\n", "bold underline"), ("not reviewed yet", "dim"))
        now = self.ws.now()
        lines = []
        for review in history[:50]:
            rating = Rating(review.rating).label if review.rating else "-"
            verdict = f"{SYMBOL.get(review.verdict, '')} {review.verdict}" if review.verdict else ""
            mode = "" if review.mode == "review" else f"{review.mode} "
            answer = f" · {review.answer[:40]}" if review.answer else ""
            lines.append(Content.assemble(
                (f"{local_time(review.reviewed_at, now)}  ", "dim"), mode, (f"{rating:<6}", "bold"),
                verdict, plain(answer)))
        more = f" (latest 50 of {len(history)})" if len(history) > 50 else ""
        return Content.assemble((f"History{more}\n", "bold underline"), Content("\n").join(lines))

    # -- keys ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_suspend":
            typing = isinstance(self.focused, Input)
            if typing != bool(parameters and parameters[0]):
                return False
            return True if self.highlighted is not None else None
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one("#cards", DataTable).focus()

    def action_toggle_suspend(self, _from_search: bool = False) -> None:
        record = self.highlighted
        if record is None:
            return
        try:
            self.ws.store.set_suspended(record.pk, not record.suspended)
            fresh: CardRecord = self.ws.store.card(record.pk)
        except DebriefError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.records = [fresh if r.pk == fresh.pk else r for r in self.records]
        self.shown = [fresh if r.pk == fresh.pk else r for r in self.shown]
        table = self.query_one("#cards", DataTable)
        table.update_cell(str(fresh.pk), "status", cell(status_of(fresh, self.ws)))
        self.show_detail(fresh)
        verb = "Suspended" if fresh.suspended else "Unsuspended"
        self.notify(f"{verb} {fresh.card.id}.", markup=False)
