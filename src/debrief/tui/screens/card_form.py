"""The card form: add or edit a card of your own, with the grader's preview of what passes; and
the dialog that adds your own accepted answers to a card you cannot edit (a bundled card)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.suggester import SuggestFromList
from textual.widgets import Header, Input, Select, Static

from debrief.cards import KIND_LABELS, KINDS, Card, CardKind
from debrief.errors import DebriefError
from debrief.owndeck import (
    DEFAULT_DECK,
    CardDraft,
    DeckVersions,
    card_in_file,
    check_draft,
    draft_from_card,
    own_decks,
)
from debrief.records import CardRecord
from debrief.scheduling import CardState
from debrief.tui.format import plain, sentence, verdict_text
from debrief.tui.widgets.footer import Footer
from debrief.tui.widgets.inputs import QuietInput
from debrief.workspace import Workspace

if TYPE_CHECKING:
    from debrief.session import DeckAnswers

STACK_BELOW = 56  # narrower than this, each label goes above its box
# The text boxes of the form, in order: (field, label, hint). The answer's label and hint
# depend on the kind (ANSWER_LABELS).
TEXT_FIELDS = (
    ("prompt", "Prompt", "the question, as the review shows it"),
    ("options", "Options", "the choices, separated by ;"),
    ("answer", "Answer", ""),
    ("min_items", "At least", "how many items count as right (empty: all)"),
    ("accept", "Also accept", "other right answers, separated by ;"),
    ("explanation", "Why", "shown after the answer (optional)"),
    ("tags", "Tags", "words separated by spaces (optional)"),
)
ANSWER_LABELS: dict[str, tuple[str, str]] = {
    CardKind.TEXT: ("Answer", "the expected answer"),
    CardKind.LIST: ("Items", "the items, separated by ;"),
    CardKind.NUMBER: ("Figure", "the expected figure, e.g. 15 or 15%"),
    CardKind.CHOICE: ("Right option", "the right option, exactly as in Options"),
    CardKind.RECALL: ("Model answer", "what a strong answer says (you rate yourself)"),
}
# Which boxes each kind shows: the deck format refuses the others for it.
HIDDEN: dict[str, set[str]] = {
    CardKind.TEXT: {"options", "min_items"},
    CardKind.LIST: {"options", "accept"},
    CardKind.NUMBER: {"options", "min_items"},
    CardKind.CHOICE: {"min_items"},
    CardKind.RECALL: {"options", "min_items", "accept"},
}
# The verdict's badge colour; the symbol and word say it without colour.
STYLE = {"correct": "$success", "close": "$success", "partial": "$warning", "wrong": "$error"}


def preview_verdict(ws: Workspace, card: Card, pk: int, answer: str,
                    others: tuple[str, ...]) -> Content:
    """What the review's grader says about `answer` to `card`: the same spec the session builds
    (the card's own, your accepted answers, the deck's other answers), the same grader."""
    from debrief.session import user_spec

    if not card.kind.is_graded:
        return Content("Recall cards are self-rated: nothing is graded.")
    if not answer.strip():
        return Content("Type an answer above to see what the grader says.")
    record = CardRecord(pk=pk, card=card, state=CardState())
    verdict = ws.grader.grade(user_spec(record, ws.store.decks, others), answer)
    name = str(verdict.verdict)
    parts = [Content.styled(f" {verdict_text(name)} ", f"bold reverse {STYLE.get(name, '')}")]
    if verdict.feedback:
        parts += [Content("  "), plain(verdict.feedback)]
    return Content.assemble(*parts)


class CardFormScreen(Screen[str | None]):
    """Add a card to a deck of your own, or edit one (its id kept, so its history stays).
    Dismisses with the saved card's id, or None when closed without saving."""

    CSS_PATH = "card_form.tcss"
    AUTO_FOCUS = "#field-prompt"
    BINDINGS = [
        Binding("escape", "close", "Cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", tooltip="Check the card and save it to your deck file"),
    ]

    def __init__(self, workspace: Workspace, record: CardRecord | None = None,
                 deck: str | None = None) -> None:
        super().__init__()
        self.ws = workspace
        self.record = record  # the card edited (None: a new card)
        self.decks = own_decks(workspace)
        start = deck or (self.decks[0] if self.decks else DEFAULT_DECK)
        # What the deck files hold as the form opens, read before the card: a save over a
        # change made since (another window, a hand edit) is refused, not written over it.
        self.seen = DeckVersions.read()
        # The card as its file holds it now (a hand edit not yet imported included).
        card = (None if record is None
                else card_in_file(record.card.deck, record.card.id) or record.card)
        self.initial = (draft_from_card(card) if card
                        else CardDraft(deck=start, kind=CardKind.TEXT, prompt="", answer=""))
        self._answers: dict[str, DeckAnswers] = {}  # each deck's answers, read once
        self.sub_title = f"Edit {record.card.id}" if record is not None else "New card"

    def compose(self) -> ComposeResult:
        draft = self.initial
        yield Header(icon="◆")
        with VerticalScroll(id="form-body"):
            with Horizontal(classes="form-row"):
                yield Static(Content("Deck"), classes="form-label")
                yours = ", ".join(self.decks) if self.decks else "none yet"
                yield QuietInput(draft.deck, id="field-deck", compact=True, select_on_focus=False,
                                 disabled=self.record is not None,
                                 suggester=SuggestFromList(self.decks, case_sensitive=False),
                                 placeholder=f"one of your decks ({yours}) or a new name",
                                 tooltip="Your decks live in the decks folder of your data dir")
            with Horizontal(classes="form-row"):
                yield Static(Content("Kind"), classes="form-label")
                yield Select([(f"{kind} · {KIND_LABELS[kind]}", str(kind)) for kind in KINDS],
                             value=draft.kind, allow_blank=False, compact=True, id="field-kind")
            for key, label, hint in TEXT_FIELDS:
                with Horizontal(classes="form-row", id=f"row-{key}"):
                    yield Static(Content(label), classes="form-label", id=f"label-{key}")
                    yield QuietInput(str(getattr(draft, key)), id=f"field-{key}", placeholder=hint,
                                     compact=True, select_on_focus=False)
            yield Static(id="form-problems", markup=False)
            with Vertical(id="form-preview"):
                with Horizontal(classes="form-row"):
                    yield Static(Content("Try an answer"), classes="form-label")
                    yield QuietInput(id="field-try", compact=True, select_on_focus=False,
                                     placeholder="what the review's grader says, as you type")
                yield Static(id="try-verdict", markup=False)
            yield Static(Content("Enter: next box · ctrl+s saves · Esc cancels"), id="form-hint")
        yield Footer()

    def on_mount(self) -> None:
        if self.app.is_headless:
            for box in self.query(Input):
                box.cursor_blink = False
        self._show_kind(self.initial.kind)
        self._preview()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < STACK_BELOW, "-stacked")

    # -- the fields ------------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        value = self.query_one("#field-kind", Select).value
        return value if isinstance(value, str) else CardKind.TEXT

    def _text(self, key: str) -> str:
        return self.query_one(f"#field-{key}", Input).value

    def draft(self) -> CardDraft:
        """The card as the form holds it now."""
        return CardDraft(
            deck=self._text("deck").strip(), kind=self.kind, prompt=self._text("prompt"),
            answer=self._text("answer"), accept=self._text("accept"),
            options=self._text("options"), min_items=self._text("min_items"),
            explanation=self._text("explanation"), tags=self._text("tags"),
            group=self.initial.group, keywords=self.initial.keywords, rubric=self.initial.rubric)

    def _show_kind(self, kind: str) -> None:
        label, hint = ANSWER_LABELS.get(kind, ANSWER_LABELS[CardKind.TEXT])
        self.query_one("#label-answer", Static).update(Content(label))
        self.query_one("#field-answer", Input).placeholder = hint
        hidden = HIDDEN.get(kind, set())
        for key, _label, _hint in TEXT_FIELDS:
            self.query_one(f"#row-{key}").display = key not in hidden
        self.query_one("#form-preview").display = kind != CardKind.RECALL

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._show_kind(self.kind)
        self._changed()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def _changed(self) -> None:
        self.query_one("#form-problems", Static).update(Content(""))
        self._preview()

    # -- the grader's preview --------------------------------------------------------------------

    def _deck_others(self, card: Card, pk: int) -> tuple[str, ...]:
        """The other cards' answers in the card's deck, as the session reads them (the deck is
        read once; the draft's own answers are left out as it changes)."""
        from debrief.session import DeckAnswers

        answers = self._answers.get(card.deck)
        if answers is None:
            try:
                records = self.ws.store.decks.cards(self.ws.store.decks.deck_ids([card.deck]))
            except DebriefError:  # a new deck: no other cards yet
                records = []
            answers = self._answers[card.deck] = DeckAnswers.of_records(records)
        return answers.others(CardRecord(pk=pk, card=card, state=CardState()))

    def _preview(self) -> None:
        out = self.query_one("#try-verdict", Static)
        if self.kind == CardKind.RECALL:
            out.update(Content(""))
            return
        card_id = self.record.card.id if self.record is not None else "draft"
        card, problems = check_draft(self.draft(), card_id)
        answer = self._text("try")
        if card is None:
            if answer.strip():
                out.update(Content.assemble(("Fix the card first: ", "dim"),
                                            plain(sentence(problems[0]))))
            else:
                out.update(Content(""))
            return
        pk = self.record.pk if self.record is not None else 0
        try:
            out.update(preview_verdict(self.ws, card, pk, answer, self._deck_others(card, pk)))
        except DebriefError as exc:
            out.update(Content(sentence(f"The grader could not check it: {exc}")))

    # -- saving ----------------------------------------------------------------------------------

    def action_save(self) -> None:
        from debrief.owndeck import OwnDeckError, save_card

        problems = self.query_one("#form-problems", Static)
        card_id = self.record.card.id if self.record is not None else None
        try:
            saved = save_card(self.ws, self.draft(), card_id, seen=self.seen)
        except OwnDeckError as exc:
            problems.update(Content("\n").join(
                Content.assemble(("✗ ", "bold"), plain(sentence(line[:1].upper() + line[1:])))
                for line in exc.problems))
            return
        except DebriefError as exc:
            problems.update(Content.assemble(("✗ ", "bold"), plain(sentence(str(exc)))))
            return
        # The grader knows every card's words as real terms: rebuilt on its next use.
        self.ws.__dict__.pop("grader", None)
        verb = "Saved" if self.record is not None else "Added"
        where = f"new deck {saved.deck!r}" if saved.created_deck else f"deck {saved.deck!r}"
        self.notify(f"{verb} {saved.card_id} to {where} ({saved.path}).", title="Your cards",
                    markup=False)
        self.dismiss(saved.card_id)

    def action_close(self) -> None:
        from debrief.tui.screens.confirm import ConfirmScreen

        if self.draft() == self.initial or (self.record is None and not any(
                (self._text(key) or "").strip() for key, _l, _h in TEXT_FIELDS)):
            self.dismiss(None)
            return

        def close(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Close the form? What you typed is not saved.",
                                           "Discard changes"), callback=close)


class MyAnswersScreen(ModalScreen[bool]):
    """For a card you cannot edit: add answers of your own that the grader accepts for it (as
    "I was right" does). Dismisses with True when an answer was added."""

    DEFAULT_CSS = """
    MyAnswersScreen {
        align: center middle;
        background: $background 60%;
        #answers-box {
            width: 72;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            padding: 0 1;
            border: round $accent;
            border-title-style: bold;
            background: $surface;
        }
        #answers-why, #answers-hint, #answers-card { color: $text-muted; }
        #answers-mine { margin-top: 1; }
        #answers-input { margin-top: 1; }
        #answers-verdict { height: auto; }
        #answers-error { color: $text-error; height: auto; }
    }
    """
    AUTO_FOCUS = "#answers-input"
    BINDINGS = [Binding("escape", "close", "Close", tooltip="Close the dialog")]

    def __init__(self, workspace: Workspace, record: CardRecord, reason: str) -> None:
        super().__init__()
        self.ws = workspace
        self.record = record
        self.reason = reason  # why the card cannot be edited
        self.added = False
        self._others: tuple[str, ...] | None = None

    def compose(self) -> ComposeResult:
        card = self.record.card
        with Vertical(id="answers-box") as box:
            box.border_title = f"{card.id}: read-only"
            more = (" You can add answers of your own that the grader accepts."
                    if card.kind.is_graded else
                    " It is self-rated (recall), so there is no answer to accept.")
            yield Static(Content(sentence(f"You cannot edit this card: {self.reason}") + more),
                         id="answers-why")
            yield Static(Content.assemble(("Prompt  ", "dim"), plain(card.prompt), "\n",
                                          ("Answer  ", "dim"), plain(card.answer_text)),
                         id="answers-card", markup=False)
            yield Static(id="answers-mine", markup=False)
            yield QuietInput(id="answers-input", placeholder="an answer to accept", compact=True,
                             select_on_focus=False, disabled=not card.kind.is_graded)
            yield Static(id="answers-verdict", markup=False)
            yield Static(id="answers-error", markup=False)
            yield Static(Content("Enter adds it · Esc closes · in browse, x removes yours"
                                 if card.kind.is_graded else "Esc closes"), id="answers-hint")
        yield Footer()

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.query_one(Input).cursor_blink = False
        self._show_mine()

    def _show_mine(self) -> None:
        mine = self.ws.store.decks.user_answers(self.record.pk)
        text = (Content.assemble(("Yours   ", "dim"), plain(" | ".join(mine))) if mine
                else Content.styled("No answers of yours yet.", "dim"))
        self.query_one("#answers-mine", Static).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        from debrief.session import DeckAnswers

        event.stop()
        self.query_one("#answers-error", Static).update(Content(""))
        if self._others is None:
            ids = self.ws.store.decks.deck_ids([self.record.card.deck])
            self._others = DeckAnswers(self.ws.store.decks.text_answers(ids)).others(self.record)
        self.query_one("#answers-verdict", Static).update(preview_verdict(
            self.ws, self.record.card, self.record.pk, event.value, self._others))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        error = self.query_one("#answers-error", Static)
        if not self.record.card.kind.is_graded:
            error.update(Content("Recall cards are self-rated: there is no answer to accept."))
            return
        if not text:
            error.update(Content("Type an answer to accept first."))
            return
        try:
            added = self.ws.store.decks.add_user_answer(self.record.pk, text, self.ws.now())
        except DebriefError as exc:
            error.update(Content(sentence(str(exc))))
            return
        self.added = self.added or added
        event.input.value = ""
        self._show_mine()
        self.notify(f"Accepted {text!r} for {self.record.card.id}." if added
                    else f"{text!r} was already one of your answers.", markup=False)

    def action_close(self) -> None:
        self.dismiss(self.added)
