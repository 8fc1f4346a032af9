"""`quiz --plain`: one line per question, the clocks enforced without waiting, EOF and pipes."""

from __future__ import annotations

import io
import os

import pytest

from debrief.cards import Card, Deck
from debrief.cli.plain_quiz import TIMED_OUT, FdLineReader, StreamLineReader, run_plain_quiz
from debrief.quiz import QuizOptions, QuizSession
from support.quiz_decks import make_deck


class ScriptedReader:
    """Plays a script of lines, None (end of input) and TIMED_OUT; a timeout moves the fake timer
    to the deadline it was given, as select() would have waited that long."""

    def __init__(self, timer, script, interactive=False):
        self.timer = timer
        self.script = list(script)
        self.interactive = interactive
        self.timeouts: list[float | None] = []
        self.discarded = 0

    def readline(self, timeout):
        self.timeouts.append(timeout)
        item = self.script.pop(0) if self.script else None
        if isinstance(item, BaseException):
            raise item
        if item is TIMED_OUT:
            assert timeout is not None, "the reader would have waited for ever"
            self.timer.t += timeout
        return item

    def discard_typed(self):
        self.discarded += 1


@pytest.fixture
def loaded(ws, clock):
    ws.store.decks.sync_decks([make_deck("alpha")], clock())
    return ws


def session_for(ws, timer, **options):
    options.setdefault("seed", 3)
    return QuizSession(ws, QuizOptions(**options), timer=timer)


def test_right_answers_score_full_marks(loaded, timer):
    session = session_for(loaded, timer, count=5)
    reader = ScriptedReader(timer, [q.shortest_right_answer for q in session.questions])
    out = io.StringIO()
    assert run_plain_quiz(session, reader, out) == 0
    text = out.getvalue()
    assert text.count("✓ Right.") == 5 and "Score: 5/5 (100%)" in text
    assert "Misses" not in text and "seed 3" in text
    assert reader.timeouts[0] == pytest.approx(150)  # the default: 30 s a question


def test_no_input_ends_when_the_quiz_time_runs_out(loaded, timer):
    session = session_for(loaded, timer, count=5, time_limit=3)
    reader = ScriptedReader(timer, [TIMED_OUT])
    out = io.StringIO()
    run_plain_quiz(session, reader, out)
    text = out.getvalue()
    assert "Time's up: the quiz is over." in text and "Score: 0/5 (0%) in 3.0s of 3.0s" in text
    assert reader.timeouts == [pytest.approx(3)]
    assert text.count("(not reached)") == 4 and text.count("(no answer: the quiz ended)") == 1


def test_end_of_input_ends_the_quiz_at_once(loaded, timer):
    session = session_for(loaded, timer, count=5, time_limit=3)
    out = io.StringIO()
    run_plain_quiz(session, ScriptedReader(timer, [None]), out)
    assert "(input ended)" in out.getvalue()
    assert "Nothing was answered: this quiz is not recorded." in out.getvalue()
    assert session.ended == "input" and loaded.store.quizzes.quizzes(finished=False) == []


def test_ctrl_c_stops_the_quiz_and_shows_the_results(loaded, timer):
    session = session_for(loaded, timer, count=4)
    out = io.StringIO()
    run_plain_quiz(session, ScriptedReader(timer, [session.questions[0].shortest_right_answer,
                                                   KeyboardInterrupt()]), out)
    # Scored on the two questions reached (the one answered and the one on screen), and it says so.
    assert "(quiz stopped)" in out.getvalue() and "Score: 1/2" in out.getvalue()
    assert "Ended early: scored on the 2 questions reached of 4" in out.getvalue()
    [logged] = loaded.store.quizzes.quizzes()
    assert session.ended == "stopped" and logged.total == 2 and logged.settings["ended_early"]


def test_a_question_timeout_moves_on_and_drops_half_typed_input(loaded, timer):
    session = session_for(loaded, timer, count=3, per_question=10, time_limit=0)
    second, third = session.questions[1:]
    reader = ScriptedReader(timer, [TIMED_OUT, second.shortest_right_answer, third.shortest_right_answer],
                            interactive=True)
    out = io.StringIO()
    run_plain_quiz(session, reader, out, send_misses=False)
    text = out.getvalue()
    assert "Time's up for this question (unanswered)" in text and "Score: 2/3" in text
    assert reader.discarded == 1
    assert "question 0:10" in text  # the question's countdown is shown with it


def test_the_countdowns_are_shown(loaded, timer):
    session = session_for(loaded, timer, count=2, time_limit=90, per_question=20)
    out = io.StringIO()
    run_plain_quiz(session, ScriptedReader(timer, ["x", "y"]), out)
    assert "[quiz 1:30 left · question 0:20]" in out.getvalue()


def test_misses_are_listed_with_answer_and_explanation(loaded, timer):
    session = session_for(loaded, timer, count=20, kinds=("typed",))
    first = session.questions[0]
    script = ["wrong!"] + [q.shortest_right_answer for q in session.questions[1:]]
    out = io.StringIO()
    run_plain_quiz(session, ScriptedReader(timer, script), out)
    text = out.getvalue()
    assert f"      you: wrong!\n      answer: {first.right}\n      why: {first.card.explanation}" in text


def test_sending_misses_to_review(loaded, timer):
    session = session_for(loaded, timer, count=2)
    out = io.StringIO()
    run_plain_quiz(session, ScriptedReader(timer, ["x", "y"]), out, send_misses=True)
    assert "Sent 2 cards to review: due today." in out.getvalue()


def test_on_a_terminal_the_user_is_asked(loaded, timer):
    session = session_for(loaded, timer, count=2)
    reader = ScriptedReader(timer, ["x", "y", "y"], interactive=True)
    out = io.StringIO()
    run_plain_quiz(session, reader, out)
    assert "Send the 2 misses to review, due today? [y/N] Sent 2 cards" in out.getvalue()
    assert reader.timeouts[-1] == 30.0


def test_an_idle_terminal_is_not_asked(loaded, timer):
    session = session_for(loaded, timer, count=2, time_limit=5)
    reader = ScriptedReader(timer, [TIMED_OUT], interactive=True)
    out = io.StringIO()
    run_plain_quiz(session, reader, out)
    assert "[y/N]" not in out.getvalue() and not reader.script


def test_card_text_escapes_are_stripped(ws, clock, timer):
    evil = Card(id="e1", deck="evil", kind="text", prompt="Clear \x1b[2J me \x1b]52;c;aGk=\x07?",
                answer="ok")
    ws.store.decks.sync_decks([Deck("evil", "Evil", cards=(evil,))], clock())
    out = io.StringIO()
    run_plain_quiz(session_for(ws, timer, count=1), ScriptedReader(timer, ["ok"]), out)
    assert "\x1b" not in out.getvalue() and "Q: Clear  me ?" in out.getvalue()


# -- the readers ----------------------------------------------------------------------------------


@pytest.fixture
def pipe():
    read_fd, write_fd = os.pipe()
    yield read_fd, write_fd
    for fd in (read_fd, write_fd):
        try:
            os.close(fd)
        except OSError:
            pass


def test_fd_reader_splits_lines_already_in_the_pipe(pipe):
    read_fd, write_fd = pipe
    os.write(write_fd, "one\r\ntwo\nthré".encode())
    os.close(write_fd)
    reader = FdLineReader(read_fd)
    assert [reader.readline(5), reader.readline(5), reader.readline(5), reader.readline(5)] == \
        ["one", "two", "thré", None]
    assert not reader.interactive


def test_fd_reader_times_out_on_an_idle_pipe(pipe):
    read_fd, write_fd = pipe
    reader = FdLineReader(read_fd)
    assert reader.readline(0) is TIMED_OUT  # nothing written, nothing closed: no waiting
    os.write(write_fd, b"late\n")
    assert reader.readline(0) == "late"


def test_fd_reader_reads_dev_null_as_end_of_input():
    with open(os.devnull, "rb") as devnull:
        assert FdLineReader(devnull.fileno()).readline(10) is None


def test_stream_reader_for_streams_without_a_descriptor():
    reader = StreamLineReader(io.StringIO("a\nb"))
    assert [reader.readline(1), reader.readline(1), reader.readline(1)] == ["a", "b", None]
