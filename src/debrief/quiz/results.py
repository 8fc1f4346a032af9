"""Quiz results: score, accuracy by kind and deck, slowest questions, misses, trend, history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from debrief.cards import clean_text
from debrief.quiz.questions import QUESTION_KINDS
from debrief.quiz.session import QuestionOutcome, QuizSession, QuizStatus
from debrief.scheduling import CardState, Rating, Scheduler, with_due
from debrief.workspace import Workspace

SLOWEST = 3
TREND = 10


@dataclass(frozen=True)
class Tally:
    """Right answers out of questions asked."""

    right: int
    total: int

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.right}/{self.total}"


@dataclass(frozen=True)
class PastQuiz:
    """A finished quiz, as the trend shows it."""

    id: int
    date: str
    score: int
    total: int
    seconds: float
    ended_early: bool = False

    @property
    def accuracy(self) -> float:
        return self.score / self.total if self.total else 0.0


@dataclass(frozen=True)
class QuizReport:
    """Everything the results screen and the plain results show."""

    quiz_id: int | None
    seed: int
    score: int
    total: int
    seconds: float
    time_limit: float | None
    ended: str
    outcomes: tuple[QuestionOutcome, ...]
    by_kind: dict[str, Tally]
    by_deck: dict[str, Tally]
    slowest: tuple[QuestionOutcome, ...]
    misses: tuple[QuestionOutcome, ...]
    previous: tuple[PastQuiz, ...]
    ended_early: bool = False  # stopped before the end: scored on the questions reached
    questions: int = 0  # the questions the quiz had (total is those scored)
    recorded: bool = True  # False when nothing was answered (then the quiz is not kept)

    @property
    def ended_early_text(self) -> str:
        """Why the score is out of fewer questions, or "" when it is not."""
        if not self.ended_early:
            return ""
        return (f"Ended early: scored on the {self.total} question{'s' if self.total != 1 else ''} "
                f"reached of {self.questions}; left out of the trend.")

    @property
    def accuracy(self) -> float:
        return self.score / self.total if self.total else 0.0

    @property
    def to_review(self) -> tuple[QuestionOutcome, ...]:
        """The misses that were on screen: what `send misses to review` sends."""
        return tuple(o for o in self.misses if o.seen)

    def trend_text(self) -> str:
        """This score against the previous quizzes, in words."""
        now = round(self.accuracy * 100)
        if not self.recorded:
            return "nothing answered: this quiz is not recorded."
        if self.ended_early:
            return f"{now}% on the questions reached (ended early: not compared with full quizzes)."
        if not self.previous:
            return f"{now}%: your first quiz, nothing to compare with yet."
        last = round(self.previous[-1].accuracy * 100)
        average = round(sum(p.accuracy for p in self.previous) / len(self.previous) * 100)
        best = round(max(p.accuracy for p in self.previous) * 100)
        change = now - last
        if change > 0:
            move = f"up {change} points from {last}% last time"
        elif change < 0:
            move = f"down {-change} points from {last}% last time"
        else:
            move = f"the same as last time ({last}%)"
        count = len(self.previous)
        return (f"{now}%: {move}; average {average}% and best {best}% over the previous "
                f"{count} quiz{'zes' if count != 1 else ''}.")

    @property
    def trend_points(self) -> list[float]:
        """Accuracy (0..1) of the previous quizzes and then this one, oldest first."""
        return [p.accuracy for p in self.previous] + [self.accuracy]


def tally(outcomes: Iterable[QuestionOutcome], key) -> dict[str, Tally]:
    right: dict[str, int] = {}
    total: dict[str, int] = {}
    for outcome in outcomes:
        name = key(outcome)
        total[name] = total.get(name, 0) + 1
        right[name] = right.get(name, 0) + (1 if outcome.is_right else 0)
    return {name: Tally(right[name], total[name]) for name in total}


def miss_answer(outcome: QuestionOutcome) -> str:
    """What the user gave for a missed question, in words (card text cleaned of escapes)."""
    if outcome.status is QuizStatus.TIMEOUT:
        return "(no answer: the question's time ran out)"
    if outcome.status is QuizStatus.UNANSWERED:
        return "(no answer: the quiz ended)" if outcome.seen else "(not reached)"
    return clean_text(outcome.answer or "") or "(empty)"


def make_report(session: QuizSession) -> QuizReport:
    """The report of a finished quiz session."""
    outcomes = tuple(session.outcomes)
    # Ended early: scored on the questions reached; those never shown count neither way.
    scored = tuple(o for o in outcomes if o.seen) if session.ended_early else outcomes
    by_kind = tally(scored, lambda o: o.question.kind)
    by_kind = {k: by_kind[k] for k in QUESTION_KINDS if k in by_kind}
    by_deck = dict(sorted(tally(scored, lambda o: o.question.deck).items()))
    timed = [o for o in outcomes if o.seen and o.status is not QuizStatus.UNANSWERED]
    slowest = tuple(sorted(timed, key=lambda o: (-o.seconds, o.question.number))[:SLOWEST])
    misses = tuple(o for o in scored if not o.is_right)
    previous = tuple(p for p in past_quizzes(session.ws) if p.id != session.quiz_id)[-TREND:]
    return QuizReport(session.quiz_id, session.seed, session.score, session.scored_total,
                      session.elapsed, session.time_limit, session.ended or "done", outcomes,
                      by_kind, by_deck, slowest, misses, previous, session.ended_early,
                      session.total, not session.discarded)


def past_quizzes(ws: Workspace, include_ended_early: bool = False) -> list[PastQuiz]:
    """Every finished quiz, oldest first; those ended early are left out of the trend unless
    `include_ended_early` (a score on a few questions reached is not comparable)."""
    quizzes = [PastQuiz(q.id, q.started_at.isoformat(), q.score, q.total, q.seconds,
                        bool((q.settings or {}).get("ended_early")))
               for q in ws.store.quizzes.quizzes()]
    return [q for q in quizzes if include_ended_early or not q.ended_early]


def review_state(state: CardState, now: datetime, scheduler: Scheduler | None = None) -> CardState:
    """A card's state once sent into today's review: due now.

    A never-studied card becomes a learning card as if its quiz miss had been answered Again (so
    it has a stability and difficulty, and `check` keeps it), due now instead of in a minute.
    """
    if state.is_new:
        learned = (scheduler or Scheduler()).review(state, Rating.AGAIN, now)
        return replace(learned, due=now, reps=state.reps, lapses=state.lapses)
    if state.due is not None and state.due <= now:
        return state
    return with_due(state, now)


def send_to_review(ws: Workspace, outcomes: Sequence[QuestionOutcome]) -> int:
    """Make the cards of `outcomes` due now in the daily review; returns how many were sent."""
    now = ws.now()
    sent = 0
    for pk in dict.fromkeys(o.question.record.pk for o in outcomes):
        record = ws.store.decks.card(pk)
        state = review_state(record.state, now, ws.scheduler)
        if state != record.state:
            ws.store.queue.reschedule(pk, state)
        if record.buried_until is not None and record.buried_until > now:
            ws.store.decks.bury(pk, None, now)
        sent += 1
    return sent
