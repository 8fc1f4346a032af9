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
from debrief.scheduling import Rating
from debrief.session import Answered, ReviewSession, Undone, leech_text, saved_text
from debrief.tui.format import due_text, plain, sentence, shorten
from debrief.tui.screens.summary import SummaryScreen
from debrief.tui.type_ahead import TypeAheadScreen, then_keys_ready
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

class ReviewScreen(TypeAheadScreen[None]):
    """Today's review over a `ReviewSession`: question, then feedback and a rating, per card.

    Keys typed while it moves from a question to its feedback, or from a rating to the next card,
    wait and then go where they were meant (see `type_ahead`): every action in `CHANGES` ends
    with `keys_ready`."""

    CSS_PATH = "review.tcss"
    CHANGES = frozenset({"submit", "card", "reveal", "accept", "rate", "undo", "suspend", "bury",
                         "i_was_right", "home"})
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("escape", "home", "Home",
                tooltip="Back to the home screen (an answer on screen is saved with the suggested rating)"),
        Binding("enter,space", "reveal", "Reveal", tooltip="Show the answer of this recall card"),
        Binding("enter", "accept", "Accept", tooltip="Save the suggested rating"),
        Binding("1", "rate(1)", "Again", group=RATE),
        Binding("2", "rate(2)", "Hard", group=RATE),
        Binding("3", "rate(3)", "Good", group=RATE),
        Binding("4", "rate(4)", "Easy", group=RATE),
        Binding("u", "undo", "Undo", tooltip="Undo the last answer, suspend or bury"),
        Binding("s", "suspend", "Suspend", tooltip="Suspend this card (unsuspend it in Browse)"),
        Binding("b", "bury", "Bury", tooltip="Hide this card until tomorrow"),
        Binding("equals_sign", "i_was_right", "I was right",
                tooltip="Count this answer as right and accept it for this card from now on"),
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

    @then_keys_ready  # keys typed while the screen opened go to its first question or card
    def on_mount(self) -> None:
        self.screen_layout_refresh_signal.subscribe(self, self._after_layout)
        self.session.resume()  # back to a review left earlier: its count and time go on
        self.query_one(SessionStatus).tick(self.session.elapsed)
        self.set_interval(1.0, self._tick)
        self._show_current()

    def on_unmount(self) -> None:
        # Left (Esc, or another screen from the palette): the clock stops until it is resumed.
        self.session.pause()

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
        right = "" if feedback.verdict is None or feedback.is_right else "; = if you were right"
        self._say(f"Suggested: {feedback.suggestion_text}. Enter saves it; 1-4 choose{right}.")
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
        nxt = self._guard(lambda: self.session.store.queue.next_due(ws.now(), self.session.deck_ids))
        if nxt is FAILED:
            nxt = None
        empty = self.query_one("#empty", Static)
        empty.update(Content.assemble(
            ("Nothing to review right now.", "bold"), "\n\n",
            f"Next card due: {due_text(nxt, ws.now())}.\n",
            "New cards come back tomorrow (daily limit): press n on the home screen to study\n"
            "more today, or start a quiz from home.\n\n",
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
        if action == "i_was_right":
            feedback = self.session.feedback if self.phase is Phase.FEEDBACK else None
            return (feedback is not None and feedback.verdict is not None
                    and not feedback.is_right and bool((feedback.answer or "").strip()))
        if action in ("undo", "suspend", "bury"):
            if typing or self.phase is Phase.OVER:
                return False  # the answer box offers ctrl+z / ctrl+s / ctrl+b instead
            if action == "undo":
                return True if self.session.can_undo else None
            return self.phase in (Phase.QUESTION, Phase.FEEDBACK)
        return True

    @then_keys_ready
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.phase is not Phase.QUESTION:
            return
        if self._guard(lambda: self.session.submit(event.value)) is not FAILED:
            self._show_feedback()

    @then_keys_ready
    def on_answer_box_card_command(self, message: AnswerBox.CardCommand) -> None:
        message.stop()
        {"undo": self.action_undo, "suspend": self.action_suspend,
         "bury": self.action_bury}[message.command]()

    def on_rating_bar_chosen(self, message: RatingBar.Chosen) -> None:
        message.stop()
        self.action_rate(int(message.rating))

    @then_keys_ready
    def action_reveal(self) -> None:
        if self.phase is Phase.QUESTION and self._guard(self.session.reveal) is not FAILED:
            self._show_feedback()

    def action_accept(self) -> None:
        self.action_rate(None)

    @then_keys_ready
    def action_i_was_right(self) -> None:
        if self.phase is not Phase.FEEDBACK or not self.check_action("i_was_right", ()):
            return
        if self._guard(self.session.mark_right) is FAILED:
            return
        self._show_feedback()
        self._say("Counted as right, and accepted for this card from now on. "
                  "Suggested: Good. Enter saves it; 1-4 choose.")

    @then_keys_ready
    def action_rate(self, rating: int | None) -> None:
        if self.phase is not Phase.FEEDBACK:
            return
        answered = self._guard(lambda: self.session.rate(None if rating is None else Rating(rating)))
        if answered is FAILED:
            return
        assert isinstance(answered, Answered)
        text = self._saved_text(answered, rating is None)
        self._show_current()
        if self.phase != "over":  # the summary is on screen otherwise
            self._say(f"{text}  ({self._undo_key()}: undo)")

    def _undo_key(self) -> str:
        """The undo key that works where the focus is now: ctrl+z in the answer box (u would be
        typed into it), u elsewhere."""
        record = self.session.current if self.phase == "question" else None
        typing = record is not None and record.card.kind != "recall"
        return "ctrl+z" if typing else "u"

    def _saved_text(self, answered: Answered, suggested: bool) -> str:
        if answered.leech:
            self.notify(leech_text(answered), title="Leech", severity="warning", markup=False,
                        timeout=8)
        return saved_text(answered, suggested)

    @then_keys_ready
    def action_undo(self) -> None:
        if self.phase is Phase.OVER:
            return
        if not self.session.can_undo:
            self.notify("Nothing to undo yet.", severity="warning")
            return
        pending = self.phase == "feedback"
        undone = self._guard(self.session.undo_last)
        if isinstance(undone, Undone):
            what = {"answer": "answer", "suspend": "suspend", "bury": "bury"}[undone.kind]
            extra = " and the answer saved with it" if undone.answer_too else ""
            dropped = " (the answer on screen was not saved)" if pending else ""
            self._show_current()
            self._say(f"Undone: {what}{extra} of {sentence(shorten(undone.record.card.prompt, 60))} "
                      f"It is back on screen{dropped}.")

    def action_suspend(self) -> None:
        self._set_aside("suspend")

    def action_bury(self) -> None:
        self._set_aside("bury")

    @then_keys_ready
    def _set_aside(self, how: str) -> None:
        """Suspend or bury the card; an answer already graded is saved first with its suggested
        rating (never dropped), and the message says so."""
        if self.phase not in (Phase.QUESTION, Phase.FEEDBACK):
            return
        record = self.session.current
        if record is None:
            return
        result = self._guard(self.session.suspend if how == "suspend" else self.session.bury)
        if result is FAILED:
            return
        saved = self._saved_text(result, True) + " " if isinstance(result, Answered) else ""
        self._show_current()
        done = ("Suspended (unsuspend it in Browse)" if how == "suspend" else "Buried until tomorrow")
        if self.phase != "over":
            self._say(f"{saved}{done}: {shorten(record.card.prompt, 60)}  ({self._undo_key()}: undo)")

    @then_keys_ready
    def action_home(self) -> None:
        # Leaving with the feedback on screen saves that answer with the suggested rating.
        pending = self._guard(self.session.save_pending) if self.phase == "feedback" else None
        if pending is FAILED:
            return
        done = self.session.done
        if isinstance(pending, Answered):
            self.notify(f"Your last answer was saved as {pending.rating.label} (the suggestion). "
                        f"{done} answer{'s' if done != 1 else ''} saved.", markup=False)
        elif done:
            self.notify(f"{done} answer{'s' if done != 1 else ''} saved.", markup=False)
        self.dismiss()
