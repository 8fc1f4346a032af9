"""The quiz results: score, time, accuracy by kind and deck, slowest, misses, trend, and actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from debrief.cards import clean_text
from debrief.errors import DebriefError
from debrief.quiz import (
    KIND_TITLES,
    QuestionOutcome,
    QuizReport,
    Tally,
    miss_answer,
    send_to_review,
)
from debrief.tui.format import shorten
from debrief.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from debrief.workspace import Workspace


def plain(text: object) -> Content:
    """Card text as literal content: never parsed as markup, control characters removed."""
    return Content(clean_text(str(text)))


def duration(seconds: float) -> str:
    """A length of time in words: `45.2s`, `4m 12s`."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}m {secs:02d}s"


BARS = "▁▂▃▄▅▆▇█"


def trend_bars(points: list[float]) -> Content:
    """One bar per quiz, oldest first, the last (this quiz) in bold: its height is the score."""
    bars = [BARS[min(len(BARS) - 1, int(p * len(BARS)))] for p in points]
    return Content.assemble(("       ", ""), " ".join(bars[:-1]) + " ", (bars[-1], "bold $accent"),
                            ("  previous quizzes, then this one", "$text-muted"))


def tally_table(title: str, rows: dict[str, Tally], labels: dict[str, str] | None = None) -> Content:
    """`title` over aligned rows of `name  right/total  percent`."""
    names = {key: (labels or {}).get(key, key) for key in rows}
    width = max([len(n) for n in names.values()] + [8]) + 2
    lines = [Content.styled(title, "bold")]
    for key, tally in rows.items():
        percent = f"{round(tally.accuracy * 100):>3}%"
        lines.append(Content.assemble(plain(names[key].ljust(width)), f"{tally!s:>6}  {percent}"))
    return Content("\n").join(lines)


def miss_rows(outcome: QuestionOutcome) -> list[tuple[str, Content]]:
    """A miss as (label, text) rows: the question, what was given, the answer, the why."""
    question = outcome.question
    rows = [(f"{question.number}.", plain(question.prompt)),
            ("you", plain(miss_answer(outcome))),
            ("answer", Content.styled(clean_text(question.right_label), "bold"))]
    if question.card.explanation:
        rows.append(("why", plain(question.card.explanation)))
    return rows


def slowest_content(report: QuizReport) -> Content:
    lines = [Content.styled("Slowest questions", "bold")]
    for outcome in report.slowest:
        prompt = shorten(outcome.question.prompt, 70)
        lines.append(Content.assemble(f"{outcome.seconds:6.1f}s  {outcome.question.number:>3}. ",
                                      plain(prompt)))
    if not report.slowest:
        lines.append(Content("(no question was answered)"))
    return Content("\n").join(lines)


class QuizResultsScreen(Screen[str | None]):
    """What a finished quiz shows, with the action to send its misses into today's review.

    It is dismissed with "again" for a new quiz with the same settings, else None.
    """

    CSS_PATH = "quiz_results.tcss"
    AUTO_FOCUS = "#results-body"
    BINDINGS = [
        Binding("r", "send_misses", "Misses to review", id="quiz.send_misses",
                tooltip="Make the cards you missed due in today's review"),
        Binding("n", "new_quiz", "New quiz", id="quiz.new",
                tooltip="Another quiz with the same settings and a new seed"),
        Binding("escape,q", "close", "Close", id="quiz.close", tooltip="Leave the results"),
    ]

    def __init__(self, workspace: Workspace, report: QuizReport, *,
                 send_misses: bool | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.report = report
        self.send_misses = send_misses
        self.sent: int | None = None
        self.sub_title = "Quiz results"

    def compose(self) -> ComposeResult:
        report = self.report
        yield Header(icon="◆")
        with VerticalScroll(id="results-body"):
            with Vertical(id="results-head"):
                yield Static(self._score_content(), id="results-score", markup=False)
                yield Static(Content.assemble(("Trend  ", "bold"), plain(report.trend_text())),
                             id="results-trend", markup=False)
                if len(report.trend_points) > 1:
                    yield Static(trend_bars(report.trend_points), id="results-bars", markup=False)
            with Horizontal(id="results-actions"):
                yield Button(self._send_label(), id="results-send", variant="primary",
                             disabled=not report.to_review)
            with Horizontal(id="results-tables"):
                yield Static(tally_table("By kind", report.by_kind, KIND_TITLES),
                             id="results-kinds", markup=False)
                yield Static(tally_table("By deck", report.by_deck), id="results-decks",
                             markup=False)
            yield Static(slowest_content(report), id="results-slowest", markup=False)
            with Vertical(id="results-misses"):
                title = (f"Misses ({len(report.misses)})" if report.misses
                         else "No misses: every question answered right.")
                yield Static(Content.styled(title, "bold"), classes="results-title", markup=False)
                for outcome in report.misses:
                    with Grid(classes="miss"):
                        for label, value in miss_rows(outcome):
                            yield Static(Content(label), classes="miss-label", markup=False)
                            yield Static(value, classes="miss-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        if self.send_misses and self.report.to_review:
            self.action_send_misses()

    def _score_content(self) -> Content:
        report = self.report
        limit = f" of {duration(report.time_limit)}" if report.time_limit else ""
        ended = {"time": " · time ran out", "stopped": " · ended early",
                 "input": " · input ended"}.get(report.ended, "")
        if report.ended_early:
            ended += f" (scored on the {report.total} reached of {report.questions})"
        return Content.assemble(
            ("Score ", "bold"), (f"{report.score}/{report.total}", "bold $accent"),
            f" ({round(report.accuracy * 100)}%)   ", ("Time ", "bold"),
            f"{duration(report.seconds)}{limit}{ended}   ", ("Seed ", "bold"), str(report.seed))

    def _send_label(self) -> str:
        count = len(self.report.to_review)
        if self.sent is not None:
            return f"Sent {self.sent} card{'s' if self.sent != 1 else ''} to today's review"
        if not count:
            return "No misses to send to review"
        return f"Send {count} miss{'es' if count != 1 else ''} to review (due today)"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "results-send":
            event.stop()
            self.action_send_misses()

    def action_send_misses(self) -> None:
        """Make every missed card (that was on screen) due now in the daily review."""
        if self.sent is not None or not self.report.to_review:
            return
        try:
            self.sent = send_to_review(self.workspace, self.report.to_review)
        except DebriefError as exc:
            self.notify(str(exc), title="Not sent", severity="error", markup=False)
            return
        button = self.query_one("#results-send", Button)
        button.label = self._send_label()
        button.disabled = True
        self.notify(f"{self.sent} card{'s' if self.sent != 1 else ''} due in today's review.",
                    markup=False)

    def action_new_quiz(self) -> None:
        self.dismiss("again")

    def action_close(self) -> None:
        self.dismiss(None)
