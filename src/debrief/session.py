"""The daily review session: queue, grading, rating, undo, suspend and bury. No UI code.

The Textual review screen and `review --plain` are two faces of this one object.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

from debrief.errors import DebriefError
from debrief.records import CardRecord
from debrief.scheduling import CardState, Outcome, Rating, suggest_rating
from debrief.workspace import Workspace

UNDO_DEPTH = 30


class UserAnswers(Protocol):
    """The store's part for answers the user marked right ("I was right")."""

    def user_answers(self, card_pk: int) -> list[str]: ...

    def add_user_answer(self, card_pk: int, answer: str, now: datetime) -> bool: ...

    def remove_user_answer(self, card_pk: int, answer: str) -> bool: ...

    def set_review_verdict(self, review_id: int, verdict: str, score: float) -> None: ...


class CardLister(Protocol):
    """The store's card listing, as the sessions read it for the deck's other answers."""

    def cards(self, deck_ids: list[int] | None = None,
              include_retired: bool = False) -> list[CardRecord]: ...

    def deck_ids(self, names: Sequence[str] | None) -> list[int] | None: ...


# Other cards' answers the grader checks an answer against: short text answers only (a long one
# is no term an answer could name by the way), and at most as many as the grader reads.
MAX_RIVAL_WORDS = 4
MAX_RIVALS = 500


class DeckAnswers:
    """Each deck's short text answers, read once per session: naming another card's answer as
    well as this one's is not right ("data drift, concept drift")."""

    def __init__(self, records: Iterable[CardRecord]) -> None:
        self._by_deck: dict[str, list[tuple[int, str]]] = {}
        for r in records:
            answer = r.card.answer
            if r.card.kind == "text" and isinstance(answer, str) \
                    and 0 < len(answer.split()) <= MAX_RIVAL_WORDS:
                self._by_deck.setdefault(r.card.deck, []).append((r.pk, answer))

    def others(self, record: CardRecord) -> tuple[str, ...]:
        """The other cards' answers in `record`'s deck (not its own answer or accepted ones)."""
        own = {a.casefold() for a in (record.card.answer if isinstance(record.card.answer, tuple)
                                      else (record.card.answer,))}
        own |= {a.casefold() for a in record.card.accept}
        out = [a for pk, a in self._by_deck.get(record.card.deck, ())
               if pk != record.pk and a.casefold() not in own]
        return tuple(dict.fromkeys(out))[:MAX_RIVALS]


def user_spec(record: CardRecord, store: object,
              others: tuple[str, ...] = ()) -> dict[str, Any]:
    """The card's grading spec with its prompt, the answers the user marked right (passed to
    the grader as extra accepted answers) and the other cards' answers in its deck."""
    spec = dict(record.card.grading_spec() or {})
    spec["prompt"] = record.card.prompt
    if others:
        spec["others"] = list(others)
    mine = cast(UserAnswers, store).user_answers(record.pk)
    if mine:
        spec["accept"] = [*spec.get("accept", []), *mine]
    return spec


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
            if self._deck_answers is None:
                lister = cast(CardLister, self.store)
                self._deck_answers = DeckAnswers(lister.cards(self.deck_ids))
            spec = user_spec(record, self.store, self._deck_answers.others(record))
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
        cast(UserAnswers, self.store).add_user_answer(current.record.pk, answer, self.ws.now())
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
            return self.ws.planner.bring_forward(self.ws.scheduler.review(state_now, chosen, now), now)

        verdict = feedback.verdict
        review_id, state = self.store.record_review(  # type: ignore[attr-defined]
            current.record.pk, now, compute, mode="review", rating=int(chosen),
            answer=feedback.answer, verdict=getattr(verdict, "verdict", None),
            score=getattr(verdict, "score", None), duration_ms=int(min(feedback.seconds, 3600) * 1000))
        answered = Answered(review_id, current.record, chosen, state, feedback)
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
        card_pk = self.store.undo_review(last.review_id)  # type: ignore[attr-defined]
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
