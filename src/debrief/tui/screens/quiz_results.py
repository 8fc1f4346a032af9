"""The quiz results: score, time, accuracy by kind and deck, slowest, misses, trend, and actions."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Sparkline, Static

from debrief.cards import clean_text
from debrief.errors import DebriefError
from debrief.quiz import KIND_TITLES, Outcome, QuizOptions, QuizReport, Tally, send_to_review


def plain(text: object) -> Content:
    """Card text as literal content: never parsed as markup, control characters removed."""
    return Content(clean_text(str(text)))


def duration(seconds: float) -> str:
    """A length of time in words: `45.2s`, `4m 12s`."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}m {secs:02d}s"


def tally_table(title: str, rows: dict[str, Tally], labels: dict[str, str] | None = None) -> Content:
    """`title` over aligned rows of `name  right/total  percent`."""
    names = {key: (labels or {}).get(key, key) for key in rows}
    width = max([len(n) for n in names.values()] + [8]) + 2
    lines = [Content.styled(title, "bold")]
    for key, tally in rows.items():
        percent = f"{round(tally.accuracy * 100):>3}%"
        lines.append(Content.assemble(plain(names[key].ljust(width)), f"{tally!s:>6}  {percent}"))
    return Content("\n").join(lines)


def miss_answer(outcome: Outcome) -> str:
    """What the user gave for a missed question, in words."""
    if outcome.status == "timeout":
        return "(no answer: the question's time ran out)"
    if outcome.status == "unanswered":
        return "(no answer: the quiz ended)" if outcome.seen else "(not reached)"
    return clean_text(outcome.answer or "") or "(empty)"


def misses_content(report: QuizReport) -> Content:
    """Every miss with what was given, the right answer and the card's explanation."""
    if not report.misses:
        return Content.styled("No misses: every question answered right.", "bold")
    lines = [Content.styled(f"Misses ({len(report.misses)})", "bold")]
    for outcome in report.misses:
        question = outcome.question
        lines.append(Content.assemble((f"{question.number:>3}. ", "bold"), plain(question.prompt)))
        lines.append(Content.assemble(("     you: ", "$text-muted"), plain(miss_answer(outcome))))
        lines.append(Content.assemble(("  answer: ", "$text-muted"),
                                      (clean_text(question.right_label), "bold")))
        if question.card.explanation:
            lines.append(Content.assemble(("     why: ", "$text-muted"),
                                          plain(question.card.explanation)))
    return Content("\n").join(lines)


def slowest_content(report: QuizReport) -> Content:
    lines = [Content.styled("Slowest questions", "bold")]
    for outcome in report.slowest:
        prompt = clean_text(outcome.question.prompt)
        if len(prompt) > 70:
            prompt = prompt[:69] + "…"
        lines.append(Content.assemble(f"{outcome.seconds:6.1f}s  {outcome.question.number:>3}. ",
                                      plain(prompt)))
    if not report.slowest:
        lines.append(Content("(no question was answered)"))
    return Content("\n").join(lines)


class QuizResultsScreen(Screen[None]):
    """What a finished quiz shows, with the action to send its misses into today's review."""

    CSS_PATH = "quiz_results.tcss"
    AUTO_FOCUS = "#results-send"
    BINDINGS = [
        Binding("r", "send_misses", "Misses to review", id="quiz.send_misses",
                tooltip="Make the cards you missed due in today's review"),
        Binding("n", "new_quiz", "New quiz", id="quiz.new",
                tooltip="Another quiz with the same settings and a new seed"),
        Binding("escape,q", "close", "Close", id="quiz.close", tooltip="Leave the results"),
    ]

    def __init__(self, workspace: Any, report: QuizReport, *, options: QuizOptions | None = None,
                 send_misses: bool | None = None,
                 timer: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.workspace = workspace
        self.report = report
        self.options = options or QuizOptions()
        self.send_misses = send_misses
        self.timer = timer
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
                    yield Sparkline(report.trend_points, id="results-sparkline")
            with Horizontal(id="results-tables"):
                yield Static(tally_table("By kind", report.by_kind, KIND_TITLES),
                             id="results-kinds", markup=False)
                yield Static(tally_table("By deck", report.by_deck), id="results-decks",
                             markup=False)
            yield Static(slowest_content(report), id="results-slowest", markup=False)
            yield Static(misses_content(report), id="results-misses", markup=False)
            with Horizontal(id="results-actions"):
                yield Button(self._send_label(), id="results-send", variant="primary",
                             disabled=not report.to_review)
        yield Footer()

    def on_mount(self) -> None:
        if self.send_misses and self.report.to_review:
            self.action_send_misses()

    def _score_content(self) -> Content:
        report = self.report
        limit = f" of {duration(report.time_limit)}" if report.time_limit else ""
        ended = {"time": " · time ran out", "stopped": " · ended early",
                 "input": " · input ended"}.get(report.ended, "")
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
        from debrief.tui.screens.quiz import QuizScreen

        options = replace(self.options, seed=None)
        self.app.switch_screen(QuizScreen(self.workspace, options, timer=self.timer,
                                          send_misses=self.send_misses))

    def action_close(self) -> None:
        stack = self.app.screen_stack
        if len(stack) <= 2 and type(stack[0]) is Screen:
            self.app.exit()
        else:
            self.dismiss()
