"""The quiz screen: one question at a time under a quiz countdown and a question countdown."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, Input, ProgressBar, Static

from debrief.cards import clean_text
from debrief.errors import DebriefError
from debrief.quiz import KIND_TITLES, QuestionOutcome, QuizOptions, QuizSession, QuizStatus
from debrief.tui.type_ahead import TypeAheadScreen, then_keys_ready
from debrief.tui.widgets.footer import Footer
from debrief.tui.widgets.inputs import QuietInput

if TYPE_CHECKING:
    from debrief.workspace import Workspace

TICK_SECONDS = 0.2
LEFT_QUIZ_KEY = "quiz.left"  # the store's meta key of a quiz left unfinished (resumable)
OPTION_FIELDS = ("decks", "count", "time_limit", "per_question", "kinds", "missed", "seed",
                 "reschedule", "interview")
PLACEHOLDERS = {
    "typed": "Type your answer, then Enter",
    "list": "Type the items separated by commas, then Enter",
    "choice": "Type the option's number (or the answer), then Enter",
    "role": "1 or 2 (or ai / ml), then Enter",
    "figure": "Type the figure, then Enter",
}


def plain(text: object) -> Content:
    """Card text as literal content: never parsed as markup, control characters removed."""
    return Content(clean_text(str(text)))


def countdown(seconds: float | None) -> str:
    """Seconds left as `m:ss`, rounded up so that 0:00 means the time is out."""
    if seconds is None:
        return "no limit"
    total = max(0, int(-(-seconds // 1)))
    return f"{total // 60}:{total % 60:02d}"


def outcome_content(outcome: QuestionOutcome) -> Content:
    """One line about the previous question, readable without colour (symbols and words)."""
    question = outcome.question
    head = Content(f"Q{question.number}: ")
    if outcome.status is QuizStatus.RIGHT:
        return Content.assemble(head, ("✓ Right", "bold $success"))
    if outcome.status is QuizStatus.WRONG:
        return Content.assemble(head, ("✗ Wrong", "bold $error"), " · answer: ",
                                plain(question.right_label))
    if outcome.status is QuizStatus.TIMEOUT:
        return Content.assemble(head, ("⏱ Time's up (unanswered)", "bold $warning"), " · answer: ",
                                plain(question.right_label))
    return Content.assemble(head, ("Unanswered", "bold $warning"), " · answer: ",
                            plain(question.right_label))


class QuizScreen(TypeAheadScreen[None]):
    """A timed quiz over a `QuizSession`; when it ends, the results screen takes its place.

    Keys typed right after Enter wait until the next question is shown, then go to its answer
    (see `type_ahead`): they never join the answer just submitted nor vanish with it.

    Left unfinished (another screen opened from the palette, or the app closed), the quiz's
    clocks stop and it is saved to be resumed (`Left` tells the app; the store keeps it for the
    next run)."""

    class Left(Message):
        """The screen was left with its quiz started and not over (now paused)."""

        def __init__(self, session: QuizSession) -> None:
            super().__init__()
            self.session = session

    CSS_PATH = "quiz.tcss"
    CHANGES = frozenset({"submit", "stop", "restart"})
    AUTO_FOCUS = "#quiz-answer"
    BINDINGS = [
        Binding("escape", "stop", "End quiz", id="quiz.stop",
                tooltip="End the quiz now: the questions left count as unanswered"),
        Binding("ctrl+n", "restart", "New quiz", id="quiz.restart",
                tooltip="Leave this quiz (the questions left count as unanswered) and start another"),
        Binding("ctrl+r", "i_was_right", "I was right", id="quiz.i_was_right",
                tooltip="Count the last answer as right and accept it for that card from now on"),
    ]

    def __init__(self, workspace: Workspace, options: QuizOptions | None = None, *,
                 timer: Callable[[], float] = time.monotonic, send_misses: bool | None = None,
                 session: QuizSession | None = None, **fields: Any) -> None:
        super().__init__()
        unknown = set(fields) - set(OPTION_FIELDS)
        if unknown:
            raise TypeError(f"unknown quiz option {sorted(unknown)[0]!r}")
        if fields:
            values: dict[str, Any] = {k: tuple(v) if k in ("decks", "kinds") and v else v
                                      for k, v in fields.items() if v is not None}
            options = replace(options or QuizOptions(), **values)
        self.workspace = workspace
        self.options = options or QuizOptions()
        self.timer = timer
        self.send_misses = send_misses
        self.error: str | None = None
        self.session: QuizSession | None = session
        if session is None:
            try:
                self.session = QuizSession(workspace, self.options, timer=timer)
            except DebriefError as exc:
                self.error = str(exc)
        scope = ", ".join(self.options.decks) or "all decks"
        self.sub_title = f"Quiz · {scope}" + (" · for the interview" if self.options.interview else "")

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Vertical(id="quiz-clocks"):
            yield Static(id="quiz-status", markup=False)
            with Horizontal(classes="quiz-clock", id="quiz-clock"):
                yield Static("Quiz", classes="clock-label", markup=False)
                yield ProgressBar(id="quiz-bar", show_eta=False, show_percentage=False)
                yield Static(id="quiz-left", classes="clock-left", markup=False)
            with Horizontal(classes="quiz-clock", id="question-clock"):
                yield Static("Question", classes="clock-label", markup=False)
                yield ProgressBar(id="question-bar", show_eta=False, show_percentage=False)
                yield Static(id="question-left", classes="clock-left", markup=False)
        with VerticalScroll(id="quiz-body"):
            with Vertical(id="quiz-card"):
                yield Static(id="quiz-meta", markup=False)
                yield Static(id="quiz-prompt", markup=False)
                yield Static(id="quiz-options", markup=False)
            yield QuietInput(id="quiz-answer", select_on_focus=False)
            yield Static(id="quiz-feedback", markup=False)
        yield Footer()

    @then_keys_ready  # keys typed while the screen opened go to its first question or card
    def on_mount(self) -> None:
        if self.session is None:
            self.query_one("#quiz-clocks").display = False
            self.query_one(Input).display = False
            self.query_one("#quiz-prompt", Static).update(
                Content(f"No quiz: {self.error}\n\nPress Escape to go back."))
            self.query_one("#quiz-meta", Static).display = False
            self.query_one("#quiz-options", Static).display = False
            return
        if self.session.paused:
            self.session.resume()  # a quiz left earlier: its clocks go on from where they stood
        self._forget_left()
        self._begin()
        self._ticker = self.set_interval(TICK_SECONDS, self.tick)

    def on_unmount(self) -> None:
        session = self.session
        if session is None or session.over or session.started is None:
            return
        session.pause()
        try:
            import json

            self.workspace.store.meta.set_meta(LEFT_QUIZ_KEY, json.dumps(session.saved_state()))
        except DebriefError:
            pass  # not kept for the next run; this run can still resume it
        self.app.post_message(self.Left(session))

    def _forget_left(self) -> None:
        try:
            if self.workspace.store.meta.get_meta(LEFT_QUIZ_KEY) is not None:
                self.workspace.store.meta.set_meta(LEFT_QUIZ_KEY, None)
        except DebriefError:
            pass

    def _begin(self) -> None:
        """Show the first question; its clocks start once it is drawn (see `_start_clock`)."""
        session = self.session
        assert session is not None
        self.query_one("#quiz-bar", ProgressBar).update(total=session.time_limit or 1)
        self.query_one("#question-bar", ProgressBar).update(total=session.per_question or 1)
        self.query_one("#quiz-clock").display = session.time_limit is not None
        self.query_one("#question-clock").display = session.per_question is not None
        self.query_one("#quiz-feedback", Static).display = False
        self._show_question()
        if session.started is None:
            # Not on mount: the time it takes to draw the screen is not the user's.
            self.call_after_refresh(self._start_clock)

    def _start_clock(self) -> None:
        session = self.session
        if session is not None and session.started is None and self.is_attached:
            self._guard(session.start)
            self._show_clocks()

    # -- the clock ------------------------------------------------------------------------------

    def tick(self) -> None:
        """Apply the clock (a question or the quiz may run out) and redraw the countdowns."""
        session = self.session
        if session is None or not self.is_attached:
            return
        resolved = self._guard(session.tick)
        if resolved:
            self._after(resolved)
        elif not session.over:
            self._show_clocks()

    def _show_clocks(self) -> None:
        session = self.session
        assert session is not None
        left = session.time_left()
        if left is not None:
            self.query_one("#quiz-bar", ProgressBar).update(progress=left)
            self.query_one("#quiz-left", Static).update(Content(f"{countdown(left)} left"))
        question_left = session.question_time_left()
        if session.per_question is not None and question_left is not None:
            shown = min(question_left, session.per_question)
            self.query_one("#question-bar", ProgressBar).update(progress=shown)
            self.query_one("#question-left", Static).update(Content(f"{countdown(shown)} left"))

    # -- the question ---------------------------------------------------------------------------

    def _show_question(self) -> None:
        session = self.session
        assert session is not None
        question = session.current if session.started is not None else session.questions[0]
        if question is None:
            return
        self.query_one("#quiz-status", Static).update(Content(
            f"Question {question.number} of {session.total} · score {session.score}"
            f" · seed {session.seed}"))
        meta = Content.assemble((f" {KIND_TITLES[question.kind]} ", "reverse"), " ",
                                plain(question.deck))
        self.query_one("#quiz-meta", Static).update(meta)
        self.query_one("#quiz-prompt", Static).update(plain(question.prompt))
        options = self.query_one("#quiz-options", Static)
        if question.options:
            options.update(Content("\n").join(
                Content.assemble((f"{n:>2}", "bold"), "  ", plain(option))
                for n, option in enumerate(question.options, start=1)))
        options.display = bool(question.options)
        answer = self.query_one(Input)
        answer.value = ""
        kind = "list" if question.kind == "typed" and question.card.kind == "list" else question.kind
        answer.placeholder = PLACEHOLDERS[kind]
        self._show_clocks()

    @then_keys_ready
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        session = self.session
        if session is not None and session.started is None:
            self._start_clock()
        if session is None or session.current is None:
            return
        outcome = self._guard(lambda: session.answer(event.value))
        if outcome:
            self._after([outcome])
            self.refresh_bindings()

    def _after(self, resolved: list[QuestionOutcome]) -> None:
        """Show what just happened, then the next question or the results."""
        session = self.session
        assert session is not None
        seen = [o for o in resolved if o.seen]
        if seen:
            feedback = self.query_one("#quiz-feedback", Static)
            feedback.update(outcome_content(seen[0]))
            feedback.display = True
        if session.over:
            self._show_results()
        else:
            self._show_question()

    def _last_wrong(self) -> QuestionOutcome | None:
        """The last answer given, when it was graded wrong (what "I was right" can take back)."""
        session = self.session
        if session is None or not session.outcomes:
            return None
        last = session.outcomes[-1]
        return last if last.status is QuizStatus.WRONG and (last.answer or "").strip() else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "i_was_right":
            return self._last_wrong() is not None
        return True

    def action_i_was_right(self) -> None:
        session = self.session
        if session is None or self._last_wrong() is None:
            return
        fixed = self._guard(session.mark_right)
        if isinstance(fixed, QuestionOutcome):
            feedback = self.query_one("#quiz-feedback", Static)
            feedback.update(outcome_content(fixed))
            feedback.display = True
            self.notify("Counted as right, and accepted for this card from now on.",
                        title="I was right", markup=False)
            self.refresh_bindings()

    def _guard(self, action: Callable[[], Any]) -> Any:
        """Run a session call; a store problem becomes a notice instead of a crash."""
        try:
            return action()
        except DebriefError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return None

    def _show_results(self) -> None:
        from debrief.tui.screens.quiz_results import QuizResultsScreen

        assert self.session is not None
        report = self.session.report()
        self.app.push_screen(QuizResultsScreen(self.workspace, report, send_misses=self.send_misses),
                             callback=self._results_closed)

    def _results_closed(self, result: str | None) -> None:
        """The results were closed: back where the quiz came from, or (`again`) a new quiz."""
        if result != "again":
            self.dismiss()
            return
        try:
            self.session = QuizSession(self.workspace, replace(self.options, seed=None),
                                       timer=self.timer)
        except DebriefError as exc:
            self.notify(str(exc), severity="error", markup=False)
            self.dismiss()
            return
        self._begin()

    def _answered(self) -> int:
        session = self.session
        return 0 if session is None else sum(1 for o in session.outcomes if o.seen)

    def _ask(self, question: str, then: Callable[[], None]) -> None:
        """Run `then` at once while nothing is answered; otherwise only once the user says yes."""
        from debrief.tui.screens.confirm import ConfirmScreen

        if not self._answered():
            then()
            return
        self.app.push_screen(ConfirmScreen(question, "Quiz"),
                             callback=lambda yes: then() if yes else None)

    def _left_text(self) -> str:
        session = self.session
        left = 0 if session is None else session.total - len(session.outcomes)
        return f"the {left} question{'s' if left != 1 else ''} left count as unanswered"

    @then_keys_ready
    def action_stop(self) -> None:
        session = self.session
        if session is None or session.over:
            self.dismiss()
            return
        self._ask(f"End the quiz now? Your answers are kept; {self._left_text()}.", self._stop)

    def _stop(self) -> None:
        session = self.session
        if session is None or session.over:
            return
        resolved = self._guard(lambda: session.stop("stopped"))
        if session.over:
            self._after(resolved or [])

    @then_keys_ready
    def action_restart(self) -> None:
        session = self.session
        if session is None or session.over:
            return
        self._ask(f"Start a new quiz? This one ends and {self._left_text()}.", self._restart)

    def _restart(self) -> None:
        session = self.session
        if session is None:
            return
        if not session.over:
            self._guard(lambda: session.stop("stopped"))
        self._results_closed("again")
