"""The browse screen: search cards, see a card's schedule and history, suspend and unsuspend,
flag them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
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
from debrief.tui.format import SYMBOL, due_text, local_time, plain, sentence, shorten
from debrief.tui.screens.flag import flag_label, flag_mark
from debrief.tui.widgets.footer import Footer
from debrief.tui.widgets.inputs import QuietInput
from debrief.workspace import Workspace

if TYPE_CHECKING:
    from debrief.storage import Store

PROMPT_COLUMN = 28
STATUS_WIDTH = 12  # "⏸ suspended" and "relearning" fit
DUE_WIDTH = 9  # "now", "in 10m", "in 120d"
MIN_PROMPT = 16
STACK_BELOW = 80
# The optional columns, in the order they are given up when the table is narrow.
OPTIONAL_COLUMNS = (("deck", "Deck", 12), ("id", "Card", 12))


def cell(text: object) -> Text:
    """A table cell shown literally (DataTable parses plain strings as markup)."""
    return Text(clean_text(str(text)), no_wrap=True, overflow="ellipsis")


def status_of(record: CardRecord, ws: Workspace) -> str:
    """A short status for the table: suspended / buried / the scheduling state."""
    now = ws.now()
    if record.suspended:
        return "⏸ suspended"
    if record.buried_until is not None and record.buried_until > now:
        return "buried"
    return record.state.state


def due_of(record: CardRecord, ws: Workspace) -> str:
    """When the card is next due, short ("now", "in 3d"); "-" for a new card."""
    state = record.state
    return "-" if state.state == "new" else due_text(state.due, ws.now()).removeprefix("in ")


FAR = datetime.max.replace(tzinfo=UTC)
# The orders `o` steps through: (name, the key of a record; None keeps the search's order).
SORTS: tuple[tuple[str, Callable[[CardRecord], Any] | None], ...] = (
    ("best match", None),
    ("due", lambda r: (r.state.due is None, r.state.due or FAR)),
    ("interval", lambda r: -(r.state.stability or 0.0)),
    ("lapses", lambda r: -r.state.lapses),
    ("difficulty", lambda r: -(r.state.difficulty or 0.0)),
    ("added", lambda r: -r.pk),
)
SORT_BY_COLUMN = {"due": "due", "status": "interval"}



def _noun(targets: list[CardRecord]) -> str:
    """How a notice names the cards acted on: `12 cards`, or the one card's id."""
    return f"{len(targets)} cards" if len(targets) > 1 else targets[0].card.id

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
        Binding("o", "sort", "Sort", tooltip="Order by due, interval, lapses, difficulty, added"),
        Binding("space", "select", "Select", tooltip="Select or unselect the card (for s and F)"),
        Binding("F", "forget", "Forget", tooltip="Make the card (or the selected) new again"),
        # f, then 1-4 or 0: most terminals never send ctrl+digit, so the chord is the way in;
        # ctrl+1..4 still work where the terminal reports them (the kitty keyboard protocol).
        Binding("f", "flag", "Flag", tooltip="Flag the card (or the selected): f then 1 red, "
                                             "2 orange, 3 green, 4 blue, 0 clears"),
        *(Binding(f"ctrl+{n}", f"flag({n})", f"Flag {n}", show=False) for n in range(1, 5)),
        Binding("x", "remove_my_answers", "Remove my answers", show=False,
                tooltip="Remove the answers you marked right (I was right) for this card"),
        Binding("down", "focus_table", "Cards", show=False),
        # Your own cards (tui/screens/card_form.py); the ctrl/f2 keys work from the search box.
        Binding("a", "add_card", "Add card", tooltip="Add a card of your own"),
        Binding("ctrl+n", "add_card(True)", "Add card", tooltip="Add a card of your own"),
        Binding("e", "edit_card", "Edit card",
                tooltip="Edit your card; on a bundled card, add answers of your own"),
        Binding("f2", "edit_card(True)", "Edit card",
                tooltip="Edit your card; on a bundled card, add answers of your own"),
    ]

    def __init__(self, workspace: Workspace, query: str = "") -> None:
        super().__init__()
        self.ws = workspace
        self.initial_query = query
        self.records: list[CardRecord] = []
        self.shown: list[CardRecord] = []
        self.selected: set[int] = set()
        self.sort = 0
        self.sub_title = "Browse"

    @property
    def store(self) -> Store:
        """The workspace's store."""
        return self.ws.store

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield QuietInput(self.initial_query, id="search",
                    placeholder="Search: words (fuzzy), deck:NAME tag:NAME kind:text flag:1 "
                                "is:suspended")
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
        self._columns: tuple[tuple[str, int], ...] = ()
        self._set_columns(0)
        self.load()

    def _set_columns(self, width: int) -> bool:
        """Choose the columns for a table `width` cells wide: the prompt takes what is left, and
        the card id and deck go (the detail pane shows both) before the prompt shrinks below
        MIN_PROMPT. True when the columns changed."""
        table = self.query_one("#cards", DataTable)
        pad = 2 * table.cell_padding
        optional = [c for c in reversed(OPTIONAL_COLUMNS)]
        fixed = STATUS_WIDTH + DUE_WIDTH + 3 * pad  # status, due, and the prompt's own padding
        if width:
            while optional and width - 1 - sum(w + pad for _k, _l, w in optional) - fixed < MIN_PROMPT:
                optional.pop()  # the last in this list is the first given up
        shown = {key for key, _label, _w in optional}
        prompt = PROMPT_COLUMN if not width else (
            width - 1 - sum(w + pad for _k, _l, w in optional) - fixed)
        columns = tuple((key, w) for key, _l, w in OPTIONAL_COLUMNS if key in shown)
        columns += (("prompt", max(MIN_PROMPT, prompt)), ("status", STATUS_WIDTH),
                    ("due", DUE_WIDTH))
        if columns == self._columns:
            return False
        self._columns = columns
        table.clear(columns=True)
        if "id" in shown:
            table.add_column("Card", key="id", width=12)
        table.add_column("Prompt", key="prompt", width=max(MIN_PROMPT, prompt))
        table.add_column("Status", key="status", width=STATUS_WIDTH)
        table.add_column("Due", key="due", width=DUE_WIDTH)
        if "deck" in shown:
            table.add_column("Deck", key="deck", width=12)
        return True

    def on_resize(self, event: events.Resize) -> None:
        # Below 80 columns the detail pane goes under the list instead of beside it.
        self.set_class(event.size.width < STACK_BELOW, "-stacked")
        self.call_after_refresh(self._fit_columns)

    def _fit_columns(self) -> None:
        width = self.query_one("#cards", DataTable).scrollable_content_region.width
        if width and self._set_columns(width):
            self.apply_search(self.query_one("#search", Input).value)

    def load(self) -> None:
        """Read every card from the store and apply the current search."""
        try:
            self.records = self.store.decks.cards()
        except DebriefError as exc:
            self.notify(str(exc), severity="error", markup=False)
            self.records = []
        self.apply_search(self.query_one("#search", Input).value)

    def apply_search(self, text: str) -> None:
        table = self.query_one("#cards", DataTable)
        self.shown = search(self.records, text, self.ws.now(), self.ws.day_bounds()[1])
        _name, key = SORTS[self.sort]
        if key is not None:
            self.shown.sort(key=key)
        table.clear()
        for record in self.shown:
            table.add_row(*self._cells(record), key=str(record.pk))
        self.apply_count()
        self.show_detail(self.shown[0] if self.shown else None)

    def _cells(self, record: CardRecord) -> list[Text]:
        mark = "✓ " if record.pk in self.selected else ""
        values = {"id": record.card.id, "prompt": mark + record.card.prompt[:200],
                  "status": status_of(record, self.ws), "due": due_of(record, self.ws),
                  "deck": record.card.deck}
        cells = {key: cell(value) for key, value in values.items()}
        if record.flag:
            cells["prompt"] = Text.assemble(flag_mark(record.flag), cells["prompt"],
                                            no_wrap=True, overflow="ellipsis")
        return [cells[key] for key, _width in self._columns]

    def _redraw(self, records: list[CardRecord]) -> None:
        """Put fresh copies of `records` in the lists and their rows."""
        fresh = {r.pk: r for r in records}
        self.records = [fresh.get(r.pk, r) for r in self.records]
        self.shown = [fresh.get(r.pk, r) for r in self.shown]
        table = self.query_one("#cards", DataTable)
        for record in records:
            for (key, _width), value in zip(self._columns, self._cells(record), strict=True):
                try:
                    table.update_cell(str(record.pk), key, value)
                except Exception:  # noqa: BLE001 - the row is filtered out: nothing to redraw
                    break

    def action_sort(self) -> None:
        self.sort = (self.sort + 1) % len(SORTS)
        self.apply_search(self.query_one("#search", Input).value)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        by = SORT_BY_COLUMN.get(str(event.column_key.value))
        names = [name for name, _key in SORTS]
        self.sort = names.index(by) if by else 0
        self.apply_search(self.query_one("#search", Input).value)

    def action_select(self) -> None:
        record = self.highlighted
        if record is None:
            return
        self.selected ^= {record.pk}
        self._redraw([record])
        self.apply_count()

    def apply_count(self) -> None:
        """The line under the list: how many cards shown, the order, how many selected."""
        total = len(self.records)
        parts = [f"{len(self.shown)} of {total} cards"]
        if not self.shown and total:
            parts.append("no card matches")
        name, key = SORTS[self.sort]
        if key is not None:
            parts.append(f"by {name}")
        if self.selected:
            parts.append(f"{len(self.selected)} selected")
        self.query_one("#browse-count", Static).update(Content(" · ".join(parts)))

    def _targets(self) -> list[CardRecord]:
        """The selected cards, or the highlighted one when none is selected."""
        if self.selected:
            return [r for r in self.records if r.pk in self.selected]
        record = self.highlighted
        return [record] if record is not None else []

    def action_forget(self) -> None:
        from debrief.scheduling import CardState
        from debrief.tui.screens.confirm import ConfirmScreen

        targets = self._targets()
        if not targets:
            return
        noun = _noun(targets)

        def forget(yes: bool | None) -> None:
            if not yes:
                return
            def write() -> None:
                for record in targets:
                    self.store.queue.reschedule(record.pk, CardState())

            self._change(targets, write, f"Forgot {noun}: new again (history kept)")

        self.app.push_screen(ConfirmScreen(f"Forget {noun}? The schedule goes back to new; the "
                                           "review history stays.", "Forget"), callback=forget)

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
        mine = self._my_answers(record)
        if mine:
            lines.append(Content.assemble(("Yours   ", "dim"), plain(" | ".join(mine)),
                                          ("  (x removes them)", "dim")))
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
        if record.flag:
            rows.append(("Flag", f"{flag_label(record.flag)} (f changes it)"))
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
            history: list[ReviewRecord] = self.store.log.history(record.pk)
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
            answer = f" · {shorten(review.answer, 40)}" if review.answer else ""
            lines.append(Content.assemble(
                (f"{local_time(review.reviewed_at, now)}  ", "dim"), mode, (f"{rating:<6}", "bold"),
                verdict, plain(answer)))
        more = f" (latest 50 of {len(history)})" if len(history) > 50 else ""
        return Content.assemble((f"History{more}\n", "bold underline"), Content("\n").join(lines))

    # -- keys ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("select", "forget", "sort", "flag") and isinstance(self.focused, Input):
            return False  # typed into the search box
        if action in ("toggle_suspend", "add_card", "edit_card"):
            typing = isinstance(self.focused, Input)
            if typing != bool(parameters and parameters[0]):
                return False
            return True if self.highlighted is not None or action == "add_card" else None
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one("#cards", DataTable).focus()

    def _my_answers(self, record: CardRecord) -> list[str]:
        """The answers the user marked right for this card ("I was right")."""
        try:
            return self.store.decks.user_answers(record.pk)
        except DebriefError:
            return []

    def action_remove_my_answers(self) -> None:
        record = self.highlighted
        if record is None:
            return
        mine = self._my_answers(record)
        if not mine:
            self.notify("No answers of yours on this card.", markup=False)
            return
        try:
            for text in mine:
                self.store.decks.remove_user_answer(record.pk, text)
        except DebriefError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.show_detail(record)
        self.notify(f"Removed {len(mine)} answer{'s' if len(mine) != 1 else ''} you had marked "
                    f"right for {record.card.id}.", markup=False)

    def action_add_card(self, _from_search: bool = False) -> None:
        from debrief.owndeck import own_decks
        from debrief.tui.screens.card_form import CardFormScreen

        record = self.highlighted
        mine = own_decks(self.ws)
        deck = record.card.deck if record is not None and record.card.deck in mine else None
        self.app.push_screen(CardFormScreen(self.ws, deck=deck), callback=self._card_saved)

    def action_edit_card(self, _from_search: bool = False) -> None:
        from debrief.owndeck import read_only_reason
        from debrief.tui.screens.card_form import CardFormScreen, MyAnswersScreen

        record = self.highlighted
        if record is None:
            return
        reason = read_only_reason(self.ws, record.card.deck)
        if reason is None:
            self.app.push_screen(CardFormScreen(self.ws, record), callback=self._card_saved)
            return

        def answers_added(_added: bool | None) -> None:
            self.show_detail(self.highlighted)

        self.app.push_screen(MyAnswersScreen(self.ws, record, reason), callback=answers_added)

    def _card_saved(self, card_id: str | None) -> None:
        """After the card form: the list re-read, the saved card highlighted."""
        if card_id is None:
            return
        self.load()
        table = self.query_one("#cards", DataTable)
        for row, record in enumerate(self.shown):
            if record.card.id == card_id:
                table.move_cursor(row=row)
                self.show_detail(record)
                table.focus()
                break

    def action_toggle_suspend(self, _from_search: bool = False) -> None:
        targets = self._targets()
        if not targets:
            return
        # Many cards: suspend them all unless all are suspended already (then unsuspend them).
        suspend = not all(r.suspended for r in targets)

        def write() -> None:
            for record in targets:
                self.store.decks.set_suspended(record.pk, suspend, self.ws.now())

        verb = "Suspended" if suspend else "Unsuspended"
        self._change(targets, write, f"{verb} {_noun(targets)}")

    def action_flag(self, flag: int | None = None) -> None:
        """Set (1-4) or clear (0) the flag of the selected cards, or of the highlighted one;
        without a number, ask which (`f`, then the number)."""
        targets = self._targets()
        if not targets:
            return
        noun = _noun(targets)
        if flag is None:
            from debrief.tui.screens.flag import FlagScreen

            current = targets[0].flag if len(targets) == 1 else -1
            self.app.push_screen(FlagScreen(noun, current),
                                 callback=lambda chosen: self._set_flag(targets, noun, chosen))
            return
        self._set_flag(targets, noun, flag)

    def _set_flag(self, targets: list[CardRecord], noun: str, flag: int | None) -> None:
        if flag is None:
            return
        self._change(targets, lambda: self.store.decks.set_flag([r.pk for r in targets], flag,
                                                                       self.ws.now()),
                     f"Flagged {noun} {flag_label(flag)}" if flag else f"Cleared the flag of {noun}")

    def _change(self, targets: list[CardRecord], write: Callable[[], None], said: str) -> None:
        """Make a store change to `targets` (`write`), redraw their rows and say `said`; a store
        problem becomes one notice and nothing is redrawn."""
        try:
            write()
            fresh = [self.store.decks.card(r.pk) for r in targets]
        except DebriefError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self._redraw(fresh)
        self.show_detail(self.highlighted)
        self.notify(sentence(said), markup=False)
