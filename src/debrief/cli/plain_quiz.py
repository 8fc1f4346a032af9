"""The line-mode quiz face: one answer line per question, never waiting past the quiz's clocks.

Input is read straight from the file descriptor with select() and a timeout, so a question whose
time runs out moves on even when nobody types, and piped input or EOF is handled like a terminal.
"""

from __future__ import annotations

import os
import select
import time
from collections.abc import Callable
from typing import TextIO

from debrief.grading.verdict import SYMBOL
from debrief.quiz import (
    KIND_TITLES,
    QuestionOutcome,
    QuizReport,
    QuizSession,
    QuizStatus,
    miss_answer,
    send_to_review,
)

PROMPT_SECONDS = 30.0  # how long the closing "send misses to review?" question waits


class _Signal:
    """A reader result that is not a line."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


TIMED_OUT = _Signal("TIMED_OUT")  # nothing came before the timeout
STOPPED = _Signal("STOPPED")  # the user pressed Ctrl-C
Line = str | None | _Signal  # a line, None at end of input, or TIMED_OUT


class FdLineReader:
    """Lines from a file descriptor, waiting at most `timeout` seconds for each.

    It keeps its own buffer (a buffered text stream would hide lines already read from select),
    treats a last line without a newline as a line, and reports end of input as None.
    """

    def __init__(self, fd: int, clock: Callable[[], float] = time.monotonic):
        self.fd = fd
        self.clock = clock
        self.buffer = b""
        self.eof = False
        self.interactive = os.isatty(fd)

    def readline(self, timeout: float | None) -> Line:
        deadline = None if timeout is None else self.clock() + max(0.0, timeout)
        while True:
            if b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                return line.decode("utf-8", "replace").rstrip("\r")
            if self.eof:
                if self.buffer:
                    line, self.buffer = self.buffer, b""
                    return line.decode("utf-8", "replace").rstrip("\r")
                return None
            wait = None if deadline is None else max(0.0, deadline - self.clock())
            ready, _, _ = select.select([self.fd], [], [], wait)
            if not ready:
                return TIMED_OUT
            chunk = os.read(self.fd, 65536)
            if chunk:
                self.buffer += chunk
            else:
                self.eof = True

    def discard_typed(self) -> None:
        """Drop half-typed terminal input, so it is not taken as the next question's answer."""
        if not self.interactive:
            return
        import termios

        try:
            termios.tcflush(self.fd, termios.TCIFLUSH)
        except termios.error:
            pass
        self.buffer = b""


class StreamLineReader:
    """Lines from a text stream without a file descriptor (tests, odd stdin): no timeouts."""

    interactive = False

    def __init__(self, stream: TextIO):
        self.stream = stream

    def readline(self, timeout: float | None) -> Line:
        line = self.stream.readline()
        return None if line == "" else line.rstrip("\r\n")

    def discard_typed(self) -> None:
        pass


def reader_for(stream: TextIO) -> FdLineReader | StreamLineReader:
    """The best reader for `stream`: select() on its file descriptor when it has one (POSIX)."""
    if os.name != "posix":
        return StreamLineReader(stream)
    try:
        return FdLineReader(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return StreamLineReader(stream)


def clock(seconds: float | None) -> str:
    """Seconds as `m:ss` (rounded up, so 0:00 means the time is out)."""
    if seconds is None:
        return "-"
    total = max(0, int(-(-seconds // 1)))
    minutes, secs = divmod(total, 60)
    return f"{minutes}:{secs:02d}"


def duration(seconds: float) -> str:
    """A length of time in words: `45.2s`, `4m 12s`."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}m {secs:02d}s"


def render_header(session: QuizSession, out: TextIO) -> None:
    limit = f"{duration(session.time_limit)} for the quiz" if session.time_limit else "no time limit"
    per = f", {duration(session.per_question)} a question" if session.per_question else ""
    out.write(f"Quiz: {session.total} question{'s' if session.total != 1 else ''}, {limit}{per}"
              f" (seed {session.seed}).\nOne line per answer: type it, or an option's number.\n")
    if session.fewer:
        out.write(f"Note: {session.fewer}.\n")
    out.flush()


def render_question(session: QuizSession, out: TextIO) -> None:
    """Print the current question: number, deck, kind, both countdowns, prompt and options."""
    question = session.current
    assert question is not None
    clocks = []
    if session.time_limit is not None:
        clocks.append(f"quiz {clock(session.time_left())} left")
    if session.per_question is not None:
        clocks.append(f"question {clock(session.question_time_left())}")
    timing = f"   [{' · '.join(clocks)}]" if clocks else ""
    out.write(f"\n[{question.number}/{session.total}] {question.deck} · {KIND_TITLES[question.kind]}"
              f"{timing}\nQ: {question.prompt}\n")
    for number, option in enumerate(question.options, start=1):
        out.write(f"  {number}) {clean(option)}\n")
    out.write("answer> ")
    out.flush()


def clean(text: str) -> str:
    from debrief.cards import clean_text

    return clean_text(text)


def render_outcome(outcome: QuestionOutcome, out: TextIO) -> None:
    """One line after each question: right, wrong (with the answer) or time's up."""
    question = outcome.question
    if outcome.status is QuizStatus.RIGHT:
        out.write(f"{SYMBOL['correct']} Right.\n")
    elif outcome.status is QuizStatus.WRONG:
        out.write(f"{SYMBOL['wrong']} Wrong. Answer: {question.right_label}\n")
    elif outcome.status is QuizStatus.TIMEOUT:
        out.write(f"\n⏱ Time's up for this question (unanswered). Answer: {question.right_label}\n")
    out.flush()


def render_report(report: QuizReport, out: TextIO) -> None:
    """The results: score, time, accuracy by kind and deck, slowest, misses, trend."""
    percent = round(report.accuracy * 100)
    limit = f" of {duration(report.time_limit)}" if report.time_limit else ""
    out.write(f"\nScore: {report.score}/{report.total} ({percent}%) in {duration(report.seconds)}"
              f"{limit}.   seed {report.seed}\n")
    if report.ended_early:
        out.write(report.ended_early_text + "\n")
    if not report.recorded:
        out.write("Nothing was answered: this quiz is not recorded.\n")
    out.write("By kind:  " + " · ".join(f"{KIND_TITLES[k]} {t}" for k, t in report.by_kind.items()) + "\n")
    out.write("By deck:  " + " · ".join(f"{d} {t}" for d, t in report.by_deck.items()) + "\n")
    if report.slowest:
        out.write("Slowest:\n")
        for outcome in report.slowest:
            out.write(f"  {outcome.seconds:5.1f}s  [{outcome.question.number}] "
                      f"{_short(outcome.question.prompt)}\n")
    if report.misses:
        out.write(f"Misses ({len(report.misses)}):\n")
        for outcome in report.misses:
            question = outcome.question
            out.write(f"  [{question.number}] {question.prompt}\n")
            out.write(f"      you: {miss_answer(outcome)}\n")
            out.write(f"      answer: {question.right_label}\n")
            if question.card.explanation:
                out.write(f"      why: {clean(question.card.explanation)}\n")
    out.write(f"Trend: {report.trend_text()}\n")
    out.flush()


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def run_plain_quiz(session: QuizSession, reader, out: TextIO,
                   send_misses: bool | None = None) -> int:
    """Run a quiz from line input until it ends (all answered, time out or end of input).

    `send_misses` True sends the misses into today's review, False never; None asks on a
    terminal, and only when the user answered something (an idle terminal is never held open).
    """
    render_header(session, out)
    session.start()
    shown = 0
    answered = 0
    while not session.over:
        if session.number != shown:
            render_question(session, out)
            shown = session.number
        deadline = session.deadline()
        timeout = None if deadline is None else max(0.0, deadline - session.timer())
        try:
            line = reader.readline(timeout)
        except KeyboardInterrupt:  # Ctrl-C ends the quiz, as Escape does in the app
            line = STOPPED
        if line is TIMED_OUT:
            resolved = session.tick()
            if resolved:
                reader.discard_typed()
        elif line is None or line is STOPPED:
            out.write("\n(input ended)\n" if line is None else "\n(quiz stopped)\n")
            resolved = session.stop("input" if line is None else "stopped")
        elif isinstance(line, str) and line.strip() == "=" and session.outcomes and session.outcomes[-1].status == "wrong":
            # "I was right" about the previous answer: it counts, and passes from now on
            fixed = session.mark_right()
            out.write(f"{SYMBOL['correct']} Marked right: {clean(fixed.answer or '')!r} will pass "
                      f"next time. Score {session.score}.\nanswer> ")
            out.flush()
            continue
        else:
            assert isinstance(line, str)
            resolved = [session.answer(line)]
            answered += resolved[0].status.answered
        for outcome in resolved:
            if outcome.seen:
                render_outcome(outcome, out)
        if session.ended == "time":
            out.write("\n⏱ Time's up: the quiz is over.\n")
    report = session.report()
    render_report(report, out)
    _offer_review(session, report, reader, out, send_misses, answered)
    return 0


def _offer_review(session: QuizSession, report: QuizReport, reader, out: TextIO,
                  send_misses: bool | None, answered: int) -> None:
    misses = report.to_review
    if not misses:
        return
    what = f"{len(misses)} miss{'es' if len(misses) != 1 else ''}"
    if send_misses is None and reader.interactive and answered:
        out.write(f"Send the {what} to review, due today? [y/N] ")
        out.flush()
        reply = reader.readline(PROMPT_SECONDS)
        send_misses = isinstance(reply, str) and reply.strip().lower() in ("y", "yes")
        if not isinstance(reply, str):
            out.write("\n")
    if send_misses:
        from debrief.allowance import today_counts

        sent = send_to_review(session.ws, misses)
        due = today_counts(session.ws).due
        out.write(f"Sent {sent} card{'s' if sent != 1 else ''} to review: due today.\n"
                  f"Today's review now holds {due} due card{'s' if due != 1 else ''}.\n")
    elif send_misses is None and answered:
        out.write(f"Not sent to review (add --send-misses to send the {what} next time).\n")
    out.flush()
