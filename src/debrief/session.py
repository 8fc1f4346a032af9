"""The daily review session: queue, grading, rating, undo, suspend and bury. No UI code.

The Textual review screen and `review --plain` are two faces of this one object.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from debrief.errors import DatabaseBusyError, DebriefError
from debrief.records import CardRecord
from debrief.scheduling import CardState, Outcome, Rating, suggest_rating
from debrief.workspace import Workspace

UNDO_DEPTH = 30


BUSY_WAIT_LIMIT = 30 * 60.0  # seconds an answer waits for another process's write lock


class SessionError(DebriefError):
    """An action that does not fit the session's state (rate before answering, nothing to undo)."""


@dataclass(frozen=True)
class Feedback:
    """A graded (or revealed) answer, before it is rated and saved."""

    record: CardRecord
    answer: str | None
    verdict: object | None  # debrief.grading.Verdict; None for a recall card
    suggested: Rating
    outcomes: dict[Rating, Outcome]
    seconds: float
    natural: dict[Rating, Outcome] | None = None  # FSRS alone, before an interview date's planner

    @property
    def natural_outcomes(self) -> dict[Rating, Outcome]:
        return self.natural if self.natural is not None else self.outcomes

    @property
    def is_right(self) -> bool | None:
        return None if self.verdict is None else bool(self.verdict.is_right)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Answered:
    """An answer saved to the store."""

    review_id: int
    record: CardRecord
    rating: Rating
    state: CardState
    feedback: Feedback
    reviewed_at: datetime | None = None  # as logged: undo checks the row is still this answer
    duration_ms: int | None = None


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
        self.deck_ids = self.store.deck_ids(decks)  # type: ignore[attr-defined]
        self.limit = limit
        self.new_limit = workspace.settings.new_per_day if new_limit is None else new_limit
        self.timer = timer
        self.started = timer()
        self.answers: list[Answered] = []
        self._undo: list[Answered] = []
        self._current: _Current | None = None
        self._ended = False
        # Called with the seconds waited so far while another process (a long import) holds the
        # write lock; the face says so. Without it, a busy database ends the rating at once.
        self.on_wait: Callable[[float], None] | None = None

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

    def _remaining_limits(self, day_start: datetime) -> tuple[int, int]:
        done = self.store.studied_today(day_start, self.deck_ids)  # type: ignore[attr-defined]
        new_left = max(0, self.new_limit - done["new"])
        review_left = max(0, self.ws.settings.reviews_per_day - done["review"])
        return new_left, review_left

    def _advance(self) -> None:
        if self.limit is not None and len(self.answers) >= self.limit:
            self._current = None
            self._ended = True
            return
        now = self.ws.now()
        day_start, day_end = self.ws.day_bounds(now)
        new_left, review_left = self._remaining_limits(day_start)
        fetch = self.store.next_cards  # type: ignore[attr-defined]
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
        now = self.ws.now()
        day_start, day_end = self.ws.day_bounds(now)
        raw = self.store.queue_counts(now, day_end, self.deck_ids)  # type: ignore[attr-defined]
        new_left, review_left = self._remaining_limits(day_start)
        counts = {"learning": raw["learning"], "review": min(raw["review"], review_left),
                  "new": min(raw["new"], new_left)}
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
        return self.timer() - self.started

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
            spec = record.card.grading_spec()
            verdict = self.ws.grader.grade(spec, answer)  # type: ignore[attr-defined]
        suggested = suggest_rating(verdict.verdict if verdict is not None else None,
                                   seconds, len(answer or ""))
        # The buttons show what will be saved: with an interview date set, the planner may bring a
        # card forward, so each outcome is shown after the planner has had its say.
        outcomes = {}
        natural = self.ws.scheduler.outcomes(record.state, now)
        for rating, outcome in natural.items():
            state = self.ws.planner.bring_forward(outcome.state, now)
            outcomes[rating] = Outcome(rating, state, state.due - now if state.due else outcome.interval)
        current.feedback = Feedback(record, answer if record.card.kind != "recall" else (answer or None),
                                    verdict, suggested, outcomes, seconds, natural)
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
            return self.ws.planner.bring_forward(self.ws.scheduler.review(state_now, chosen, now), now)

        verdict = feedback.verdict
        duration_ms = int(min(feedback.seconds, 3600) * 1000)
        started = self.timer()
        while True:
            try:
                review_id, state = self.store.record_review(  # type: ignore[attr-defined]
                    current.record.pk, now, compute, mode="review", rating=int(chosen),
                    answer=feedback.answer, verdict=getattr(verdict, "verdict", None),
                    score=getattr(verdict, "score", None), duration_ms=duration_ms)
                break
            except DatabaseBusyError:
                # Each attempt already waited the busy timeout: keep the answer and wait on.
                waited = self.timer() - started
                if self.on_wait is None or waited >= BUSY_WAIT_LIMIT:
                    raise
                self.on_wait(waited)
        answered = Answered(review_id, current.record, chosen, state, feedback, now, duration_ms)
        self.answers.append(answered)
        self._undo.append(answered)
        del self._undo[:-UNDO_DEPTH]
        self._current = None
        self._ended = False
        return answered

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> CardRecord:
        """Undo the last saved answer: its card comes back with its previous schedule."""
        if not self._undo:
            raise SessionError("nothing to undo")
        last = self._undo[-1]
        # Only that exact answer: after a restore, its id may belong to another one.
        card_pk = self.store.undo_review(  # type: ignore[attr-defined]
            last.review_id, card_pk=last.record.pk, reviewed_at=last.reviewed_at,
            rating=int(last.rating), answer=last.feedback.answer, duration_ms=last.duration_ms)
        self._undo.pop()
        self.answers.remove(last)
        record = self.store.card(card_pk)  # type: ignore[attr-defined]
        self._current = _Current(record, "undo", self.timer())
        self._ended = False
        return record

    def suspend(self) -> None:
        """Suspend the current card (until unsuspended in browse) and move on."""
        current = self._require_current()
        self.store.set_suspended(current.record.pk, True)  # type: ignore[attr-defined]
        self._current = None

    def bury(self) -> None:
        """Hide the current card until the next study day and move on."""
        current = self._require_current()
        _start, day_end = self.ws.day_bounds()
        self.store.bury(current.record.pk, day_end)  # type: ignore[attr-defined]
        self._current = None

    def summary(self) -> Summary:
        """Answered, right, time spent and when the next card is due."""
        right = sum(1 for a in self.answers if a.feedback.is_right or
                    (a.feedback.verdict is None and a.rating >= Rating.HARD))
        ratings: dict[Rating, int] = {}
        for answer in self.answers:
            ratings[answer.rating] = ratings.get(answer.rating, 0) + 1
        next_due = self.store.next_due(self.ws.now(), self.deck_ids)  # type: ignore[attr-defined]
        return Summary(len(self.answers), right, self.elapsed, next_due, ratings)
