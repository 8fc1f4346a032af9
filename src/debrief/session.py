"""The daily review session: queue, grading, rating, undo, suspend and bury. No UI code.

The Textual review screen and `review --plain` are two faces of this one object.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from debrief.allowance import Allowance, set_new_limit_today, today_allowance, today_counts
from debrief.cards import CardKind
from debrief.config import Settings
from debrief.errors import DatabaseBusyError, DebriefError
from debrief.policy import answer_outcomes, schedule_answer
from debrief.records import CardRecord
from debrief.scheduling import CardState, Outcome, Rating, format_interval, suggestion
from debrief.workspace import Workspace

if TYPE_CHECKING:
    from debrief.grading import Verdict
    from debrief.storage import DeckStore

UNDO_DEPTH = 30


# Other cards' answers the grader checks an answer against: terms, and definitions too (an
# answer closer to another card's definition than to this one's is that card's answer), not
# essays; at most as many as the grader reads. Measured with 500 rivals from a deck of 858 text
# answers (benchmarks/grading_blind.py's rivals, blind rounds 3-4 own cards): median 569 µs per
# answer with answers of up to 30 words as rivals, 561 µs with up to 4, 523 µs with none.
MAX_RIVAL_WORDS = 30
MAX_RIVALS = 500


def is_rival(answer: str, max_words: int | None = None) -> bool:
    """True when another card's text answer is checked against an answer to this one (the
    grading benchmark asks the same); `max_words` defaults to `MAX_RIVAL_WORDS`."""
    return 0 < len(answer.split()) <= (MAX_RIVAL_WORDS if max_words is None else max_words)


class DeckAnswers:
    """Each deck's short text answers, read once per session: naming another card's answer as
    well as this one's is not right ("data drift, concept drift")."""

    def __init__(self, answers: Iterable[tuple[int, str, str]]) -> None:
        """`answers`: (card pk, deck name, answer) of text cards, as `DeckStore.text_answers`
        reads them."""
        self._by_deck: dict[str, list[tuple[int, str]]] = {}
        for pk, deck, answer in answers:
            if is_rival(answer):
                self._by_deck.setdefault(deck, []).append((pk, answer))

    @classmethod
    def of_records(cls, records: Iterable[CardRecord]) -> DeckAnswers:
        """The same from card records already in hand."""
        return cls((r.pk, r.card.deck, r.card.answer) for r in records
                   if r.card.kind == "text" and isinstance(r.card.answer, str))

    def others(self, record: CardRecord) -> tuple[str, ...]:
        """The other cards' answers in `record`'s deck (not its own answer or accepted ones)."""
        own = {a.casefold() for a in (record.card.answer if isinstance(record.card.answer, tuple)
                                      else (record.card.answer,))}
        own |= {a.casefold() for a in record.card.accept}
        out = [a for pk, a in self._by_deck.get(record.card.deck, ())
               if pk != record.pk and a.casefold() not in own]
        return tuple(dict.fromkeys(out))[:MAX_RIVALS]


def user_spec(record: CardRecord, decks: DeckStore,
              others: tuple[str, ...] = ()) -> dict[str, Any]:
    """The card's grading spec with its prompt, the answers the user marked right (passed to
    the grader as extra accepted answers) and the other cards' answers in its deck."""
    spec = dict(record.card.grading_spec() or {})
    spec["prompt"] = record.card.prompt
    if others:
        spec["others"] = list(others)
    mine = decks.user_answers(record.pk)
    if mine:
        spec["accept"] = [*spec.get("accept", []), *mine]
    return spec
BUSY_WAIT_LIMIT = 30 * 60.0  # seconds an answer waits for another process's write lock


class SessionError(DebriefError):
    """An action that does not fit the session's state (rate before answering, nothing to undo)."""


@dataclass(frozen=True)
class Feedback:
    """A graded (or revealed) answer, before it is rated and saved."""

    record: CardRecord
    answer: str | None
    verdict: Verdict | None  # None for a recall card (self-rated)
    suggested: Rating
    outcomes: dict[Rating, Outcome]
    seconds: float
    natural: dict[Rating, Outcome] | None = None  # FSRS alone, before an interview date's planner
    reason: str = ""  # why the suggestion is not Good, in a word ("slow: 27 s", "fast")

    @property
    def suggestion_text(self) -> str:
        """The suggested rating with its reason: "Hard (slow: 27 s)", "Good"."""
        label = self.suggested.label
        return f"{label} ({self.reason})" if self.reason else label

    @property
    def natural_outcomes(self) -> dict[Rating, Outcome]:
        return self.natural if self.natural is not None else self.outcomes

    @property
    def is_right(self) -> bool | None:
        return None if self.verdict is None else bool(self.verdict.is_right)


@dataclass(frozen=True)
class Answered:
    """An answer saved to the store."""

    review_id: int
    record: CardRecord
    rating: Rating
    state: CardState
    feedback: Feedback
    leech: str | None = None  # the leech action taken when this answer made the card a leech
    buried_siblings: tuple[int, ...] = ()
    reviewed_at: datetime | None = None  # as logged: undo checks the row is still this answer
    duration_ms: int | None = None


@dataclass(frozen=True)
class Undone:
    """What `undo_last` reversed: the kind of action ("answer", "suspend", "bury") and its card."""

    kind: str
    record: CardRecord
    answer_too: bool = False  # a suspend or bury after the feedback also saved the answer


@dataclass(frozen=True)
class _Action:
    """One undoable step: an answer, a suspend or a bury (the latter two maybe with the answer
    saved just before them, undone together)."""

    kind: str
    record: CardRecord
    answered: Answered | None = None
    buried_before: datetime | None = None


def leech_action(before: CardState, after: CardState, settings: Settings) -> str | None:
    """The leech action when this answer's lapse makes the card a leech, else None.

    As Anki: at `leech_lapses` lapses, then again every half of that many further lapses.
    """
    threshold = settings.leech_lapses
    if after.lapses <= before.lapses or after.lapses < threshold:
        return None
    step = max(1, threshold // 2)
    return settings.leech_action if (after.lapses - threshold) % step == 0 else None


@dataclass(frozen=True)
class Summary:
    """The end-of-session report."""

    answered: int
    right: int
    seconds: float
    next_due: datetime | None
    ratings: dict[Rating, int] = field(default_factory=dict)


@dataclass
class _Current:
    record: CardRecord
    queue: str
    shown_at: float
    feedback: Feedback | None = None


class ReviewSession:
    """Today's review over one workspace: due learning and review cards first, then new cards."""

    def __init__(self, workspace: Workspace, decks: Sequence[str] | None = None,
                 limit: int | None = None, new_limit: int | None = None,
                 timer: Callable[[], float] = time.monotonic):
        self.ws = workspace
        self.store = workspace.store
        self.deck_ids = self.store.decks.deck_ids(decks)
        self.limit = limit
        self._new_cap: int | None = None
        if new_limit is not None:
            # `review --new N`: a higher N raises today's new-card limit (the whole collection,
            # today only, as "study more"); a lower one only caps this session.
            if new_limit > today_allowance(workspace).new_limit:
                set_new_limit_today(workspace, new_limit)
            else:
                self._new_cap = new_limit
        self.timer = timer
        self.started = timer()
        self.answers: list[Answered] = []
        self._undo: list[_Action] = []
        self._current: _Current | None = None
        self._ended = False
        self._paused_at: float | None = None
        # Called with the seconds waited so far while another process (a long import) holds the
        # write lock; the face says so. Without it, a busy database ends the rating at once.
        self.on_wait: Callable[[float], None] | None = None
        self._deck_answers: DeckAnswers | None = None  # read at the first answer, then kept

    # -- the queue ---------------------------------------------------------------------------

    @property
    def current(self) -> CardRecord | None:
        """The card on screen (None once the session is over)."""
        if self._current is None and not self._ended:
            self._advance()
        return self._current.record if self._current else None

    @property
    def feedback(self) -> Feedback | None:
        """The current card's feedback, once it has been answered or revealed."""
        return self._current.feedback if self._current else None

    @property
    def new_limit(self) -> int:
        """Today's new-card limit for this session (the collection's, or `--new` when lower)."""
        return self._allowance().new_limit

    def _allowance(self, now: datetime | None = None) -> Allowance:
        # The collection's limits, whatever decks this session covers (see debrief.allowance).
        allowance = today_allowance(self.ws, now)
        if self._new_cap is not None and self._new_cap < allowance.new_limit:
            allowance = replace(allowance, new_limit=self._new_cap)
        return allowance

    def _remaining_limits(self, now: datetime) -> tuple[int, int]:
        allowance = self._allowance(now)
        return allowance.new_left, allowance.review_left

    def _advance(self) -> None:
        if self.limit is not None and len(self.answers) >= self.limit:
            self._current = None
            self._ended = True
            return
        now = self.ws.now()
        _day_start, day_end = self.ws.day_bounds(now)
        new_left, review_left = self._remaining_limits(now)
        fetch = self.store.queue.next_cards
        candidates: list[tuple[str, list[CardRecord]]] = [
            ("learning", [r for r in fetch(now, now + timedelta(seconds=1), self.deck_ids, "learning", 1)]),
        ]
        if review_left:
            candidates.append(("review", fetch(now, day_end, self.deck_ids, "review", 1)))
        if new_left:
            candidates.append(("new", fetch(now, day_end, self.deck_ids, "new", 1)))
        ahead = now + self.ws.settings.learn_ahead
        candidates.append(("learning", fetch(now, ahead, self.deck_ids, "learning", 1)))
        for queue, records in candidates:
            if records:
                self._current = _Current(records[0], queue, self.timer())
                return
        self._current = None
        self._ended = True

    def counts(self) -> dict[str, int]:
        """Cards left today by queue (learning, review, new), after daily limits and `--limit`."""
        # Counted no further than can be shown: the cost per card stays flat as decks grow.
        today = today_counts(self.ws, self.deck_ids, self._allowance(), capped=True)
        counts = {"learning": today.learning, "review": today.review, "new": today.new}
        if self.limit is not None:
            budget = max(0, self.limit - len(self.answers))
            for key in ("learning", "review", "new"):
                counts[key] = min(counts[key], budget)
                budget -= counts[key]
        return counts

    @property
    def left(self) -> int:
        return sum(self.counts().values())

    @property
    def done(self) -> int:
        return len(self.answers)

    @property
    def elapsed(self) -> float:
        """Seconds spent in this session (time away from it, between `pause` and `resume`, not
        counted)."""
        now = self._paused_at if self._paused_at is not None else self.timer()
        return now - self.started

    @property
    def over(self) -> bool:
        """True once the session found nothing more to ask (or reached its limit)."""
        return self._ended

    def pause(self) -> None:
        """Stop the session clock: the user left the review (to browse, say); `resume` goes on
        with the same count and time."""
        if self._paused_at is None:
            self._paused_at = self.timer()

    def resume(self) -> None:
        """Come back after `pause`: the clock goes on from where it stood, and the queue is read
        again (cards may have been suspended, imported or answered elsewhere meanwhile)."""
        if self._paused_at is None:
            return
        away = max(0.0, self.timer() - self._paused_at)
        self._paused_at = None
        self.started += away
        if self._current is not None and self._current.feedback is None:
            self._current = None  # asked again from the queue as it is now
        self._ended = False

    # -- answering ---------------------------------------------------------------------------

    def _require_current(self) -> _Current:
        if self.current is None or self._current is None:
            raise SessionError("no card to answer: the session is over")
        return self._current

    def submit(self, answer: str) -> Feedback:
        """Grade a typed answer to the current card (for a recall card this reveals it)."""
        current = self._require_current()
        record = current.record
        seconds = max(0.0, self.timer() - current.shown_at)
        now = self.ws.now()
        verdict = None
        if record.card.kind != "recall":
            if self._deck_answers is None:
                self._deck_answers = DeckAnswers(self.store.decks.text_answers(self.deck_ids))
            spec = user_spec(record, self.store.decks, self._deck_answers.others(record))
            verdict = self.ws.grader.grade(spec, answer)
        options = len(record.card.options) if record.card.kind == "choice" else 0
        suggested, reason = suggestion(verdict.verdict if verdict is not None else None,
                                       seconds, len(answer or ""), options)
        # The buttons show what will be saved: with an interview date set, the planner may bring a
        # card forward, so each outcome is shown after the planner has had its say.
        outcomes, natural = answer_outcomes(self.ws.scheduler, self.ws.planner, record.state, now)
        current.feedback = Feedback(record, answer if record.card.kind is not CardKind.RECALL else (answer or None),
                                    verdict, suggested, outcomes, seconds, natural, reason)
        return current.feedback

    def mark_right(self) -> Feedback:
        """"I was right": count the current rejected answer as right (the suggested rating
        becomes Good) and keep it as an accepted answer of the card, so it passes next time."""
        from debrief.grading.verdict import Verdict, marked_right

        current = self._require_current()
        feedback = current.feedback
        if feedback is None or feedback.verdict is None:
            raise SessionError("only a graded answer can be marked right")
        if feedback.is_right:
            return feedback
        if not (feedback.answer or "").strip():
            raise SessionError("an empty answer cannot be marked right")
        answer = feedback.answer or ""
        self.store.decks.add_user_answer(current.record.pk, answer, self.ws.now())
        verdict = feedback.verdict
        current.feedback = replace(feedback, suggested=Rating.GOOD, verdict=marked_right(
            verdict if isinstance(verdict, Verdict) else None))
        return current.feedback

    def reveal(self) -> Feedback:
        """Show a recall card's answer without typing anything."""
        return self.submit("")

    def rate(self, rating: Rating | int | None = None) -> Answered:
        """Save the current answer with `rating` (None: the suggestion) and move on."""
        current = self._require_current()
        feedback = current.feedback
        if feedback is None:
            raise SessionError("answer the card before rating it")
        chosen = feedback.suggested if rating is None else Rating(int(rating))
        now = self.ws.now()
        # The outcome shown on the button, already through the interview planner (see submit).
        planned = feedback.outcomes[chosen].state
        seen_state = current.record.state

        def compute(state_now: CardState) -> CardState:
            # Another process may have answered this card meanwhile: then schedule from its state.
            if state_now == seen_state:
                return planned
            return schedule_answer(self.ws.scheduler, self.ws.planner, state_now, chosen, now)

        verdict = feedback.verdict
        _start, day_end = self.ws.day_bounds(now)
        settings = self.ws.settings
        duration_ms = int(min(feedback.seconds, 3600) * 1000)
        started = self.timer()
        while True:
            try:
                saved = self.store.queue.record_answer(
                    current.record.pk, now, compute, mode="review", rating=int(chosen),
                    answer=feedback.answer, verdict=getattr(verdict, "verdict", None),
                    score=getattr(verdict, "score", None), duration_ms=duration_ms,
                    bury_siblings_until=day_end,
                    leech=lambda before, after: leech_action(before, after, settings))
                break
            except DatabaseBusyError:
                # Each attempt already waited the busy timeout: keep the answer and wait on.
                waited = self.timer() - started
                if self.on_wait is None or waited >= BUSY_WAIT_LIMIT:
                    raise
                self.on_wait(waited)
        answered = Answered(saved.review_id, current.record, chosen, saved.state, feedback,
                            saved.leech, saved.buried, now, duration_ms)
        self.answers.append(answered)
        self._push(_Action("answer", current.record, answered))
        self._current = None
        self._ended = False
        return answered

    def _push(self, action: _Action) -> None:
        self._undo.append(action)
        del self._undo[:-UNDO_DEPTH]

    def save_pending(self) -> Answered | None:
        """Save a graded answer not yet rated with its suggested rating (on Esc, bury or
        suspend after the feedback), so it is never dropped; None when nothing is pending."""
        if self._current is None or self._current.feedback is None:
            return None
        return self.rate(None)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def undo_kind(self) -> str | None:
        """What `undo` would reverse next: "answer", "suspend", "bury" (None: nothing)."""
        return self._undo[-1].kind if self._undo else None

    def undo(self) -> CardRecord:
        """Undo the last action (an answer, a suspend or a bury): its card comes back on screen."""
        return self.undo_last().record

    def undo_last(self) -> Undone:
        """Undo the last action of any kind and say what it was; its card comes back on screen."""
        if not self._undo:
            raise SessionError("nothing to undo")
        last = self._undo[-1]
        pk = last.record.pk
        if last.answered is not None:
            done = last.answered
            # Only that exact answer: after a restore, its id may belong to another one.
            self.store.queue.undo_review(
                done.review_id, card_pk=pk, reviewed_at=done.reviewed_at, rating=int(done.rating),
                answer=done.feedback.answer, duration_ms=done.duration_ms)
            self.answers.remove(done)
        if last.kind == "suspend":
            self.store.decks.set_suspended(pk, False, self.ws.now())
        elif last.kind == "bury":
            self.store.decks.bury(pk, last.buried_before, self.ws.now())
        self._undo.pop()
        record = self.store.decks.card(pk)
        self._current = _Current(record, "undo", self.timer())
        self._ended = False
        return Undone(last.kind, record, last.kind != "answer" and last.answered is not None)

    def suspend(self) -> Answered | None:
        """Suspend the current card (until unsuspended in browse) and move on. An answer already
        graded is saved first with its suggested rating (returned), never dropped."""
        current = self._require_current()
        record = current.record
        answered = self.save_pending()
        self.store.decks.set_suspended(record.pk, True, self.ws.now())
        self._push(_Action("suspend", record, answered))
        self._current = None
        return answered

    def bury(self) -> Answered | None:
        """Hide the current card until the next study day and move on. An answer already graded
        is saved first with its suggested rating (returned), never dropped."""
        current = self._require_current()
        record = self.store.decks.card(current.record.pk)
        answered = self.save_pending()
        _start, day_end = self.ws.day_bounds()
        self.store.decks.bury(record.pk, day_end, self.ws.now())
        self._push(_Action("bury", record, answered, record.buried_until))
        self._current = None
        return answered

    def summary(self) -> Summary:
        """Answered, right, time spent and when the next card is due."""
        right = sum(1 for a in self.answers if a.feedback.is_right or
                    (a.feedback.verdict is None and a.rating >= Rating.HARD))
        ratings: dict[Rating, int] = {}
        for answer in self.answers:
            ratings[answer.rating] = ratings.get(answer.rating, 0) + 1
        next_due = self.store.queue.next_due(self.ws.now(), self.deck_ids)
        return Summary(len(self.answers), right, self.elapsed, next_due, ratings)


def saved_text(answered: Answered, suggested: bool = False) -> str:
    """What saving an answer did, in one sentence or two: the rating (and whether it was the
    suggestion), the next interval, and the siblings it buried until tomorrow."""
    when = format_interval(answered.feedback.outcomes[answered.rating].interval)
    how = " (the suggestion)" if suggested else ""
    text = f"Saved: {answered.rating.label}{how}, next in {when}."
    if answered.buried_siblings:
        count = len(answered.buried_siblings)
        text += (f" {count} sibling card{'s' if count != 1 else ''} of the same group "
                 f"wait{'s' if count == 1 else ''} until tomorrow.")
    return text


def leech_text(answered: Answered) -> str:
    """The leech notice: how often the card was failed and what was done about it."""
    done = {"suspend": "suspended", "flag": "flagged red", "tag": "tagged"}[answered.leech or "tag"]
    return (f"Leech: this card was failed {answered.state.lapses} times; it is tagged leech and "
            f"{done if answered.leech != 'tag' else 'left in the queue'} "
            "(browse is:leech to find it, rewrite or unsuspend it).")
