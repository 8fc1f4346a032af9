"""The line-mode review face: two input lines per card (answer, then rating), output flushed per card."""

from __future__ import annotations

from typing import TextIO

from debrief.cards import KIND_LABELS
from debrief.errors import DebriefError
from debrief.grading.verdict import SYMBOL, WORD
from debrief.scheduling import Rating, format_interval
from debrief.session import Feedback, ReviewSession


def _read(stream: TextIO) -> str | None:
    line = stream.readline()
    if line == "":
        return None
    return line.rstrip("\r\n")


def render_card(session: ReviewSession, out: TextIO) -> None:
    """Print the current card: position, deck, kind, prompt and (for choice) numbered options."""
    record = session.current
    assert record is not None
    card = record.card
    counts = session.counts()
    out.write(f"\n[{session.done + 1}] {card.deck} · {card.kind} · {KIND_LABELS[card.kind]}"
              f"   (left: {counts['new']} new, {counts['learning']} learning, {counts['review']} review)\n")
    out.write(f"Q: {card.prompt}\n")
    for number, option in enumerate(card.options, start=1):
        out.write(f"  {number}) {option}\n")
    if card.kind == "recall":
        out.write("(press Enter to reveal the answer)\n")
    out.write("answer> ")
    out.flush()


def render_feedback(feedback: Feedback, out: TextIO) -> None:
    """Print the verdict (in words and a symbol), the right answer, the explanation and the ratings."""
    card = feedback.record.card
    verdict = feedback.verdict
    if verdict is None:
        out.write(f"\nA: {card.answer_text}\n")
    else:
        name = verdict.verdict  # type: ignore[attr-defined]
        out.write(f"\n{SYMBOL[name]} {WORD[name]}. Answer: {card.answer_text}\n")
        detail = verdict.feedback  # type: ignore[attr-defined]
        if detail:
            out.write(f"  {detail}\n")
    if card.explanation:
        out.write(f"  Why: {card.explanation}\n")
    choices = "  ".join(
        f"{int(r)} {r.label} {format_interval(o.interval)}" + ("*" if r == feedback.suggested else "")
        for r, o in feedback.outcomes.items())
    out.write(f"Rate: {choices}   (Enter = {feedback.suggested.label}, u = undo previous)\n")
    out.write("rating> ")
    out.flush()


def run_plain_review(session: ReviewSession, stdin: TextIO, out: TextIO) -> int:
    """Drive a review from line input until the queue or the input ends. Returns the exit status."""

    def waiting(seconds: float) -> None:
        out.write(f"waiting for another debrief to finish writing (an import?): {seconds:.0f}s; "
                  "your answer is kept and saved as soon as it can be\n")
        out.flush()

    session.on_wait = waiting
    while session.current is not None:
        render_card(session, out)
        answer = _read(stdin)
        if answer is None:
            out.write("\n")
            break
        feedback = session.submit(answer)
        render_feedback(feedback, out)
        while True:
            line = _read(stdin)
            if line is None:
                out.write("\nInput ended before a rating: this last answer was not saved.\n")
                _finish(session, out)
                return 0
            choice = line.strip().lower()
            if choice == "u":
                if not session.can_undo:
                    out.write("Nothing to undo yet.\nrating> ")
                    out.flush()
                    continue
                try:
                    record = session.undo()
                except DebriefError as exc:  # the store refused: that answer is gone
                    out.write(f"Not undone: {exc}\nrating> ")
                    out.flush()
                    continue
                out.write(f"Undone: {record.card.prompt[:60]} (it comes back now)\n")
                break
            if choice in ("", "1", "2", "3", "4"):
                answered = session.rate(None if choice == "" else Rating(int(choice)))
                when = format_interval(feedback.outcomes[answered.rating].interval)
                out.write(f"Saved: {answered.rating.label}, next in {when}.\n")
                out.flush()
                break
            out.write(f"Unknown rating {line.strip()!r}: type 1-4, Enter for "
                      f"{feedback.suggested.label}, or u to undo.\nrating> ")
            out.flush()
    _finish(session, out)
    return 0


def _finish(session: ReviewSession, out: TextIO) -> None:
    summary = session.summary()
    minutes, seconds = divmod(int(summary.seconds), 60)
    nxt = "nothing scheduled"
    if summary.next_due is not None:
        delta = summary.next_due - session.ws.now()
        nxt = "now" if delta.total_seconds() <= 0 else f"in {format_interval(delta)}"
    out.write(f"\nSession over: {summary.answered} answered, {summary.right} right, "
              f"{minutes}m{seconds:02d}s. Next card due {nxt}.\n")
    out.flush()
