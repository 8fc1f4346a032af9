"""The line-mode review face: two input lines per card (answer, then rating), output flushed per card."""

from __future__ import annotations

from typing import TextIO

from debrief.cards import KIND_LABELS, CardKind
from debrief.errors import DebriefError
from debrief.grading.verdict import SYMBOL, WORD
from debrief.scheduling import Rating, format_interval
from debrief.session import Answered, Feedback, ReviewSession, leech_text, saved_text


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
    if card.kind is CardKind.RECALL:
        out.write("(press Enter to reveal the answer)\n")
    out.write("answer> ")
    out.flush()


def render_feedback(feedback: Feedback, out: TextIO) -> None:
    """Print the verdict (in words and a symbol), the right answer, the explanation and the ratings."""
    card = feedback.record.card
    verdict = feedback.verdict
    if verdict is None:
        out.write(f"\nA: {card.answer_text}\n")
        if card.rubric:
            out.write("  A strong answer covers:\n")
            out.writelines(f"  [ ] {point}\n" for point in card.rubric)
    else:
        name = verdict.verdict
        out.write(f"\n{SYMBOL[name]} {WORD[name]}. Answer: {card.answer_text}\n")
        detail = verdict.feedback
        if detail:
            out.write(f"  {detail}\n")
    if card.explanation:
        out.write(f"  Why: {card.explanation}\n")
    choices = "  ".join(
        f"{int(r)} {r.label} {format_interval(o.interval)}" + ("*" if r == feedback.suggested else "")
        for r, o in feedback.outcomes.items())
    right = "" if feedback.verdict is None or feedback.is_right else ", = I was right"
    out.write(f"Rate: {choices}   (Enter = {feedback.suggestion_text}{right}, s = suspend, b = bury, "
              "u = undo previous)\n")
    out.write("rating> ")
    out.flush()


def saved_line(answered: Answered, suggested: bool = False) -> str:
    """What saving an answer did, as lines (a second when it made the card a leech)."""
    line = saved_text(answered, suggested) + "\n"
    if answered.leech:
        line += f"  {leech_text(answered)}\n"
    return line


def _undo(session: ReviewSession, out: TextIO) -> None:
    try:
        undone = session.undo_last()
    except DebriefError as exc:  # the store refused: that answer is no longer the one logged
        out.write(f"Not undone: {exc}\n")
        return
    prompt = undone.record.card.prompt[:60]
    what = {"answer": "answer to", "suspend": "suspend of", "bury": "bury of"}[undone.kind]
    extra = " and the answer saved with it" if undone.answer_too else ""
    out.write(f"Undone: {what} {prompt}{extra} (it comes back now)\n")


def run_plain_review(session: ReviewSession, stdin: TextIO, out: TextIO) -> int:
    """Drive a review from line input until the queue or the input ends. Returns the exit status.

    At the answer prompt, `:u` undoes the last action, `:s` suspends and `:b` buries the card.
    """

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
        command = answer.strip().lower()
        if command in (":u", ":s", ":b"):
            _card_command(session, command[1], out)
            continue
        feedback = session.submit(answer)
        render_feedback(feedback, out)
        while True:
            line = _read(stdin)
            if line is None:
                # Never drop a graded answer: save it with the suggested rating, and say so.
                answered = session.save_pending()
                if answered is not None:
                    out.write("\nInput ended before a rating: " + saved_line(answered, True))
                _finish(session, out)
                return 0
            choice = line.strip().lower()
            if choice == "u":
                if not session.can_undo:
                    out.write("Nothing to undo yet.\nrating> ")
                    out.flush()
                    continue
                out.write("This card's answer was not saved: it comes back after.\n")
                _undo(session, out)
                break
            if choice in ("s", "b"):
                _card_command(session, choice, out)
                break
            if choice == "=" and feedback.verdict is not None and not feedback.is_right:
                # "I was right": the answer counts as right and passes from now on
                feedback = session.mark_right()
                render_feedback(feedback, out)
                continue
            if choice in ("", "1", "2", "3", "4"):
                answered = session.rate(None if choice == "" else Rating(int(choice)))
                out.write(saved_line(answered, choice == ""))
                out.flush()
                break
            out.write(f"Unknown rating {line.strip()!r}: type 1-4, Enter for "
                      f"{feedback.suggested.label}, s to suspend, b to bury, or u to undo.\nrating> ")
            out.flush()
    _finish(session, out)
    return 0


def _card_command(session: ReviewSession, command: str, out: TextIO) -> None:
    """Undo (u), suspend (s) or bury (b), saying what happened to any graded answer."""
    if command == "u":
        if session.can_undo:
            _undo(session, out)
        else:
            out.write("Nothing to undo yet.\n")
        out.flush()
        return
    record = session.current
    assert record is not None
    answered = session.suspend() if command == "s" else session.bury()
    if answered is not None:
        out.write(saved_line(answered, True))
    done = "Suspended (unsuspend it in browse)" if command == "s" else "Buried until tomorrow"
    out.write(f"{done}: {record.card.prompt[:60]}  (u: undo)\n")
    out.flush()


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
