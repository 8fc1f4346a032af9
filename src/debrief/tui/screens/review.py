"""The review screen: one card at a time, typed answers, feedback, ratings, undo/suspend/bury."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum, StrEnum
from typing import Final, Literal, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from debrief.cards import CardKind
from debrief.errors import DebriefError
from debrief.records import CardRecord
from debrief.scheduling import Rating, format_interval
from debrief.session import Answered, ReviewSession
from debrief.tui.format import due_text, plain
from debrief.tui.screens.summary import SummaryScreen
from debrief.tui.widgets.answer import AnswerBox
from debrief.tui.widgets.card import CardView
from debrief.tui.widgets.feedback import FeedbackView
from debrief.tui.widgets.footer import Footer
from debrief.tui.widgets.ratings import RatingBar
from debrief.tui.widgets.status import SessionStatus

T = TypeVar("T")
class _Failed(Enum):
    FAILED = "failed"


FAILED: Final = _Failed.FAILED  # what `_guard` returns when the session call failed

RATE = Binding.Group("Rate", compact=True)
PLACEHOLDERS = {
    "choice": "Type the option's number or the answer, then Enter",
    "list": "Type the items separated by commas, then Enter",
    "number": "Type the figure, then Enter",
    "text": "Type your answer, then Enter",
}



class Phase(StrEnum):
    """Where the review screen is: a card asked, its feedback shown, or the end."""

    QUESTION = "question"
    FEEDBACK = "feedback"
    EMPTY = "empty"  # nothing to review
    OVER = "over"  # the session ended

class ReviewScreen(Screen[None]):
    """Today's review over a `ReviewSession`: question, then feedback and a rating, per card."""

    CSS_PATH = "review.tcss"
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("escape", "home", "Home", tooltip="Back to the home screen (answers are saved)"),
        Binding("enter,space", "reveal", "Reveal", tooltip="Show the answer of this recall card"),
        Binding("enter", "accept", "Accept", tooltip="Save the suggested rating"),
        Binding("1", "rate(1)", "Again", group=RATE),
        Binding("2", "rate(2)", "Hard", group=RATE),
        Binding("3", "rate(3)", "Good", group=RATE),
        Binding("4", "rate(4)", "Easy", group=RATE),
        Binding("u", "undo", "Undo", tooltip="Undo the last saved answer"),
        Binding("s", "suspend", "Suspend", tooltip="Suspend this card (unsuspend it in Browse)"),
        Binding("b", "bury", "Bury", tooltip="Hide this card until tomorrow"),
    ]

    def __init__(self, session: ReviewSession, scope: str = "all decks") -> None:
        super().__init__()
        self.session = session
        self.scope = scope
        self.phase = Phase.QUESTION  # question -> feedback -> question ...; "empty" or "over" at the end
        self._ratings_pending = False
        self.sub_title = f"Review · {scope}"

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield SessionStatus(id="status")
        # Not focusable itself: a click on the card must leave the focus in the answer box.
        with VerticalScroll(id="review-body", can_focus=False):
            yield CardView(id="card")
            yield AnswerBox(id="answer", select_on_focus=False)
            yield FeedbackView(id="feedback")
            yield RatingBar(id="ratings")
            yield Static(id="last", markup=False)
            yield Static(id="empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.screen_layout_refresh_signal.subscribe(self, self._after_layout)
        self.query_one(SessionStatus).tick(self.session.elapsed)
        self.set_interval(1.0, self._tick)
        self._show_current()

    def _tick(self) -> None:
        self.query_one(SessionStatus).tick(self.session.elapsed)

    # -- what is on screen --------------------------------------------------------------------

    def _guard(self, action: Callable[[], T]) -> T | Literal[_Failed.FAILED]:
        """Run a session call; a store problem becomes a notice (and FAILED) instead of a crash."""
        try:
            return action()
        except DebriefError as exc:
            self.notify(str(exc), title="Not done", severity="error", markup=False)
            return FAILED

    def _update_status(self) -> None:
        counts = self._guard(self.session.counts)
        status = self.query_one(SessionStatus)
        if counts is not FAILED:
            status.show(self.session.done, counts)
        status.tick(self.session.elapsed)

    def _show_current(self) -> None:
        record = self._guard(lambda: self.session.current)
        if record is FAILED:
            record = None
        self._update_status()
        card_view = self.query_one(CardView)
        answer = self.query_one(AnswerBox)
        self.query_one(FeedbackView).display = False
        self.query_one(RatingBar).display = False
        if record is None:
            card_view.display = False
            answer.display = False
            if self.session.done:
                self._finish()
            else:
                self._show_empty()
            return
        self.phase = Phase.QUESTION
        self.query_one("#empty").display = False
        card_view.display = True
        # Only a recall card takes the focus (Enter/space reveal it); for the others a click on
        # the card keeps the focus in the answer box.
        card_view.can_focus = record.card.kind is CardKind.RECALL
        if record.card.kind is CardKind.RECALL:
            card_view.show(record, "Think of the answer, then press Enter or space to reveal it.")
            answer.display = False
            card_view.focus()
        else:
            card_view.show(record)
            answer.display = True
            answer.disabled = False
            answer.value = ""
            answer.placeholder = PLACEHOLDERS.get(record.card.kind, PLACEHOLDERS["text"])
            answer.focus()
        self.query_one("#review-body", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()

    def _show_feedback(self) -> None:
        feedback = self.session.feedback
        if feedback is None:
            return
        self.phase = Phase.FEEDBACK
        self._tick()
        answer = self.query_one(AnswerBox)
        answer.display = False
        self.query_one(CardView).set_hint("")
        view = self.query_one(FeedbackView)
        view.show(feedback)
        view.display = True
        bar = self.query_one(RatingBar)
        bar.show(feedback)
        bar.display = True
        bar.focus(scroll_visible=False)
        self._say("")
        # On a small terminal the ratings (and their intervals) are below the fold: scroll them
        # into view once the feedback has been laid out.
        self._ratings_pending = True
        self.refresh_bindings()

    def _after_layout(self, _screen: Screen) -> None:
        """Once the feedback is laid out, scroll the ratings into view if they are below the fold."""
        if not self._ratings_pending or self.phase is not Phase.FEEDBACK:
            return
        bar = self.query_one(RatingBar)
        body = self.query_one("#review-body", VerticalScroll)
        if not bar.region:
            return  # not laid out yet: wait for the next layout
        if bar.region.bottom > body.region.bottom:
            body.scroll_end(animate=False, immediate=True)  # the ratings are the last thing shown
        else:
            self._ratings_pending = False  # in view: from now on the user scrolls as they like

    def _show_empty(self) -> None:
        self.phase = Phase.EMPTY
        ws = self.session.ws
        nxt = self._guard(lambda: self.session.store.next_due(ws.now(), self.session.deck_ids))
        if nxt is FAILED:
            nxt = None
        empty = self.query_one("#empty", Static)
        empty.update(Content.assemble(
            ("Nothing to review right now.", "bold"), "\n\n",
            f"Next card due: {due_text(nxt, ws.now())}.\n",
            "New cards come back tomorrow (daily limit), or start a quiz from home.\n\n",
            ("Press Escape to go home.", "dim")))
        empty.display = True
        self.refresh_bindings()

    def _say(self, text: str) -> None:
        self.query_one("#last", Static).update(plain(text))

    def _finish(self) -> None:
        self.phase = Phase.OVER
        self._say("")
        self.refresh_bindings()
        summary = self.session.summary()
        self.app.push_screen(SummaryScreen(summary, self.session.ws.now()),
                             callback=lambda _result: self.dismiss())

    # -- keys ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = isinstance(self.focused, Input)
        if action == "reveal":
            record = self.session.current if self.phase is Phase.QUESTION else None
            return record is not None and record.card.kind is CardKind.RECALL
        if action in ("accept", "rate"):
            return self.phase is Phase.FEEDBACK
        if action in ("undo", "suspend", "bury"):
            if typing or self.phase is Phase.OVER:
                return False  # the answer box offers ctrl+z / ctrl+s / ctrl+b instead
            if action == "undo":
                return True if self.session.can_undo else None
            return self.phase in (Phase.QUESTION, Phase.FEEDBACK)
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.phase is not Phase.QUESTION:
            return
        if self._guard(lambda: self.session.submit(event.value)) is not FAILED:
            self._show_feedback()

    def on_answer_box_card_command(self, message: AnswerBox.CardCommand) -> None:
        message.stop()
        {"undo": self.action_undo, "suspend": self.action_suspend,
         "bury": self.action_bury}[message.command]()

    def on_rating_bar_chosen(self, message: RatingBar.Chosen) -> None:
        message.stop()
        self.action_rate(int(message.rating))

    def action_reveal(self) -> None:
        if self.phase is Phase.QUESTION and self._guard(self.session.reveal) is not FAILED:
            self._show_feedback()

    def action_accept(self) -> None:
        self.action_rate(None)

    def action_rate(self, rating: int | None) -> None:
        if self.phase is not Phase.FEEDBACK:
            return
        feedback = self.session.feedback
        answered = self._guard(lambda: self.session.rate(None if rating is None else Rating(rating)))
        if answered is FAILED or feedback is None:
            return
        assert isinstance(answered, Answered)
        interval = format_interval(feedback.outcomes[answered.rating].interval)
        self._say(f"Saved: {answered.rating.label}, next in {interval}.  (u: undo)")
        self._show_current()

    def action_undo(self) -> None:
        if self.phase is Phase.OVER:
            return
        if not self.session.can_undo:
            self.notify("Nothing to undo yet.", severity="warning")
            return
        record = self._guard(self.session.undo)
        if isinstance(record, CardRecord):
            self._say(f"Undone: {record.card.prompt[:70]}. It is back on screen.")
            self._show_current()

    def action_suspend(self) -> None:
        if self.phase not in (Phase.QUESTION, Phase.FEEDBACK):
            return
        record = self.session.current
        if record is not None and self._guard(self.session.suspend) is not FAILED:
            self._say(f"Suspended: {record.card.prompt[:70]} (unsuspend it in Browse).")
            self._show_current()

    def action_bury(self) -> None:
        if self.phase not in (Phase.QUESTION, Phase.FEEDBACK):
            return
        record = self.session.current
        if record is not None and self._guard(self.session.bury) is not FAILED:
            self._say(f"Buried until tomorrow: {record.card.prompt[:70]}")
            self._show_current()

    def action_home(self) -> None:
        done = self.session.done
        if done:
            self.notify(f"{done} answer{'s' if done != 1 else ''} saved.", markup=False)
        self.dismiss()
