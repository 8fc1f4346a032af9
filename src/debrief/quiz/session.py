"""The timed quiz: questions in turn, a clock for the quiz and for each question, scoring. No UI.

The Textual quiz screen and `quiz --plain` are two faces of this one object. Time comes from an
injectable monotonic timer, so tests move it by hand instead of sleeping.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

from debrief.quiz.questions import QUESTION_KINDS, Question, QuizError, grade, make_questions
from debrief.scheduling import CardState, Rating, suggest_rating
from debrief.session import CardLister, DeckAnswers, UserAnswers
from debrief.workspace import Workspace


class Rescheduler(Protocol):
    """The store's schedule overwrite, as "I was right" with `--reschedule` uses it."""

    def reschedule(self, card_pk: int, state: CardState) -> None: ...


SECONDS_PER_QUESTION = 30  # the default quiz time is this times the number of questions
MISSED_DAYS = 14
RIGHT = ("correct", "close")


@dataclass(frozen=True)
class QuizOptions:
    """How to make and run a quiz (times in seconds).

    `time_limit` None gives the quiz 30 s a question (or `per_question` times the questions);
    0 means no limit. `per_question` None or 0: questions have no limit of their own.
    """

    decks: tuple[str, ...] = ()
    count: int = 20
    time_limit: float | None = None
    per_question: float | None = None
    kinds: tuple[str, ...] = ()
    missed: bool = False
    seed: int | None = None
    reschedule: bool = False
    interview: bool = False

    def __post_init__(self) -> None:
        if self.count < 1:
            raise QuizError("a quiz needs at least one question (--count 1 or more)")
        for name in ("time_limit", "per_question"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise QuizError(f"{name.replace('_', ' ')} cannot be negative")
        unknown = [k for k in self.kinds if k not in QUESTION_KINDS]
        if unknown:
            raise QuizError(f"unknown question kind {unknown[0]!r}")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["decks"], data["kinds"] = list(self.decks), list(self.kinds)
        return data


@dataclass(frozen=True)
class Outcome:
    """What became of one question.

    `status` is "right", "wrong", "timeout" (its own time ran out: unanswered) or "unanswered"
    (the quiz ended first: its time ran out, the input ended or the user stopped). `seen` says
    whether the question was on screen; unseen questions are not logged.
    """

    question: Question
    status: str
    answer: str | None = None
    verdict: object | None = None  # debrief.grading.Verdict
    seconds: float = 0.0
    seen: bool = True
    review_id: int | None = None

    @property
    def is_right(self) -> bool:
        return self.status == "right"


def missed_card_pks(ws: Workspace, days: int = MISSED_DAYS) -> set[int]:
    """Cards whose latest answer in the last `days` days was wrong (or a quiz question left unanswered)."""
    latest: dict[int, bool] = {}
    for review in ws.store.reviews_since(ws.now() - timedelta(days=days)):  # type: ignore[attr-defined]
        if review.verdict is not None:
            wrong = review.verdict not in RIGHT
        else:
            wrong = review.rating == int(Rating.AGAIN)
        latest[review.card_pk] = wrong  # oldest first, so the latest answer wins
    return {pk for pk, wrong in latest.items() if wrong}


def build_questions(ws: Workspace, options: QuizOptions, seed: int) -> list[Question]:
    """The quiz's questions from the store's cards (not suspended ones); reproducible by seed."""
    store = ws.store
    deck_ids = store.deck_ids(list(options.decks) or None)  # type: ignore[attr-defined]
    everything = store.cards(deck_ids)  # type: ignore[attr-defined]
    records = [r for r in everything if not r.suspended]
    if options.missed:
        missed = missed_card_pks(ws)
        records = [r for r in records if r.pk in missed]
    if options.interview:
        # The cards with the lowest predicted recall on the interview day (never studied: 0).
        from debrief.plan import weakest_on_day

        weakest = {r.pk for r in weakest_on_day(ws, options.count, deck_ids)}
        records = [r for r in records if r.pk in weakest]

    def judge(spec: dict[str, Any], text: str) -> str:
        return ws.grader.grade(spec, text).verdict  # type: ignore[attr-defined]

    return make_questions(records, [r.card for r in everything], options.count, seed, judge,
                          options.kinds)


def new_seed() -> int:
    """A fresh seed short enough to retype after `--seed`."""
    return random.SystemRandom().randrange(1, 1_000_000)


class QuizSession:
    """One timed quiz over a workspace: make the questions, time them, grade and log each answer."""

    def __init__(self, workspace: Workspace, options: QuizOptions | None = None,
                 timer: Callable[[], float] = time.monotonic):
        options = options or QuizOptions()
        if options.seed is None:
            options = replace(options, seed=new_seed())
        self.ws = workspace
        self.store = workspace.store
        self.options = options
        self.timer = timer
        self.questions = build_questions(workspace, options, int(options.seed or 0))
        if not self.questions:
            what = f"missed in the last {MISSED_DAYS} days" if options.missed else "to quiz on"
            raise QuizError(f"no cards {what}" + (f" in {', '.join(options.decks)}" if options.decks else "")
                            + (f" of kind {', '.join(options.kinds)}" if options.kinds else ""))
        limit = options.time_limit
        if limit is None:
            limit = (options.per_question or SECONDS_PER_QUESTION) * len(self.questions)
        self.time_limit: float | None = float(limit) if limit else None
        self.per_question: float | None = float(options.per_question) if options.per_question else None
        self.outcomes: list[Outcome] = []
        self.quiz_id: int | None = None
        self.started: float | None = None
        self.shown_at: float | None = None
        self.ended: str | None = None  # "done", "time", "input", "stopped"
        self._report = None
        self._deck_answers: DeckAnswers | None = None
        self._before: tuple[int, CardState, datetime] | None = None  # the last logged card

    # -- the clock ---------------------------------------------------------------------------

    @property
    def seed(self) -> int:
        return int(self.options.seed or 0)

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def over(self) -> bool:
        return self.ended is not None

    @property
    def elapsed(self) -> float:
        """Seconds since the start, never more than the quiz's time."""
        if self.started is None:
            return 0.0
        end = self._ended_at if self.over else self.timer()
        spent = max(0.0, end - self.started)
        return min(spent, self.time_limit) if self.time_limit is not None else spent

    def quiz_deadline(self) -> float | None:
        if self.started is None or self.time_limit is None:
            return None
        return self.started + self.time_limit

    def question_deadline(self) -> float | None:
        """When the current question's own time runs out (None: it has no limit of its own)."""
        if self.shown_at is None or self.per_question is None:
            return None
        return self.shown_at + self.per_question

    def deadline(self) -> float | None:
        """The next moment something runs out: the question's time or the quiz's."""
        times = [t for t in (self.quiz_deadline(), self.question_deadline()) if t is not None]
        return min(times) if times else None

    def time_left(self) -> float | None:
        """Seconds left for the whole quiz (None: no limit)."""
        deadline = self.quiz_deadline()
        return None if deadline is None else max(0.0, deadline - self.timer())

    def question_time_left(self) -> float | None:
        """Seconds left for the current question, the quiz's end included (None: no limit)."""
        deadline = self.deadline()
        return None if deadline is None or self.over else max(0.0, deadline - self.timer())

    # -- the questions -----------------------------------------------------------------------

    def start(self) -> Question:
        """Start the clock and log the quiz; returns the first question."""
        if self.started is not None:
            raise QuizError("the quiz has already started")
        settings = self.options.to_json()
        settings["plan"] = [q.plan() for q in self.questions]
        settings["time_limit"] = self.time_limit
        self.quiz_id = self.store.start_quiz(self.ws.now(), settings)  # type: ignore[attr-defined]
        self.started = self.shown_at = self.timer()
        return self.questions[0]

    @property
    def current(self) -> Question | None:
        """The question on screen (None before the start and once the quiz is over)."""
        if self.started is None or self.over:
            return None
        return self.questions[len(self.outcomes)]

    @property
    def number(self) -> int:
        """The 1-based number of the current question (the total once the quiz is over)."""
        return min(len(self.outcomes) + 1, self.total)

    @property
    def score(self) -> int:
        return sum(1 for o in self.outcomes if o.is_right)

    def tick(self) -> list[Outcome]:
        """Apply the clock: a question whose time ran out counts as unanswered and the quiz moves
        on; when the quiz's time runs out it ends. Returns the outcomes this decided."""
        if self.started is None or self.over:
            return []
        now = self.timer()
        quiz_deadline = self.quiz_deadline()
        if quiz_deadline is not None and now >= quiz_deadline:
            return self._end("time", at=quiz_deadline)
        question_deadline = self.question_deadline()
        if question_deadline is not None and now >= question_deadline:
            question = self.current
            assert question is not None and self.shown_at is not None
            return [self._resolve(Outcome(question, "timeout", seconds=self.per_question or 0.0))]
        return []

    def answer(self, text: str) -> Outcome:
        """Grade and log an answer to the current question, then move on.

        An answer that comes after the question's (or the quiz's) time ran out is not taken: the
        returned outcome is then the question's timeout.
        """
        question = self.current
        if question is None:
            raise QuizError("no question to answer: the quiz is over" if self.over
                            else "start the quiz first")
        expired = self.tick()
        if expired:
            return expired[0]
        assert self.shown_at is not None
        seconds = max(0.0, self.timer() - self.shown_at)
        if self._deck_answers is None:  # read once, at the first answer
            lister = cast(CardLister, self.store)
            deck_ids = lister.deck_ids(list(self.options.decks) or None)
            self._deck_answers = DeckAnswers(lister.cards(deck_ids))
        others = self._deck_answers.others(question.record)
        logged, verdict = grade(question, text, self.ws.grader, others)
        if not verdict.is_right and not question.options:
            # an answer the user marked right before passes now
            mine = cast(UserAnswers, self.store).user_answers(question.record.pk)
            if mine:
                spec = question.spec()
                if others:
                    spec["others"] = list(others)
                spec["accept"] = [*spec.get("accept", []), *mine]
                verdict = self.ws.grader.grade(spec, text)
        status = "right" if verdict.is_right else "wrong"
        return self._resolve(Outcome(question, status, logged, verdict, seconds))

    def mark_right(self) -> Outcome:
        """"I was right" for the last answered question: it counts as right (the score changes,
        the logged answer says correct) and the answer is kept as an accepted answer of the card,
        so it passes next time. (With `--reschedule`, the card is rescheduled as a right answer.)"""
        from debrief.grading.verdict import Verdict, marked_right

        last = self.outcomes[-1] if self.outcomes else None
        if last is None or last.status != "wrong":
            raise QuizError("only a wrong answer can be marked right")
        if not (last.answer or "").strip():
            raise QuizError("an empty answer cannot be marked right")
        store = cast(UserAnswers, self.store)
        store.add_user_answer(last.question.record.pk, last.answer or "", self.ws.now())
        if last.review_id is not None:
            store.set_review_verdict(last.review_id, "correct", 1.0)
        if self.options.reschedule and self._before is not None \
                and self._before[0] == last.question.record.pk:
            # the schedule the answer got was for a miss: give it the one a right answer gets
            _pk, before, at = self._before
            rating = suggest_rating("correct", last.seconds, len(last.answer or ""))
            state = self.ws.scheduler.review(before, rating, at)
            cast(Rescheduler, self.store).reschedule(last.question.record.pk, state)
        verdict = last.verdict
        fixed = replace(last, status="right", verdict=marked_right(
            verdict if isinstance(verdict, Verdict) else None))
        self.outcomes[-1] = fixed
        if self.ended is not None:  # the last question: the logged score changes too
            self._finish(self.ended, self._ended_at)
            self._report = None
        return fixed

    def stop(self, reason: str = "stopped") -> list[Outcome]:
        """End the quiz now (the user stopped, or the input ended): the rest is unanswered."""
        if self.started is None or self.over:
            return []
        return self._end(reason, at=self.timer())

    def _end(self, reason: str, at: float) -> list[Outcome]:
        assert self.shown_at is not None
        resolved = []
        current = self.current
        if current is not None:
            seconds = max(0.0, at - self.shown_at)
            resolved.append(self._resolve(Outcome(current, "unanswered", seconds=seconds), advance=False))
        for question in self.questions[len(self.outcomes):]:
            resolved.append(self._resolve(Outcome(question, "unanswered", seen=False), advance=False))
        self._finish(reason, at)
        return resolved

    def _resolve(self, outcome: Outcome, advance: bool = True) -> Outcome:
        if outcome.seen:
            outcome = replace(outcome, review_id=self._log(outcome))
        self.outcomes.append(outcome)
        if advance:
            self.shown_at = self.timer()
            if len(self.outcomes) == self.total:
                self._finish("done", self.timer())
        return outcome

    def _log(self, outcome: Outcome) -> int:
        """Commit one answer (its own transaction); reschedule only with `--reschedule`."""
        verdict = outcome.verdict
        name = getattr(verdict, "verdict", None) or "wrong"
        rating = suggest_rating(name, outcome.seconds, len(outcome.answer or ""))
        now = self.ws.now()
        compute = None
        if self.options.reschedule:
            def compute(state):  # type: ignore[no-untyped-def]
                # kept for "I was right", which re-applies the schedule as for a right answer
                self._before = (outcome.question.record.pk, state, now)
                return self.ws.scheduler.review(state, rating, now)  # type: ignore[attr-defined]
        review_id, _state = self.store.record_review(  # type: ignore[attr-defined]
            outcome.question.record.pk, now, compute, mode="quiz",
            rating=int(rating) if self.options.reschedule else None, answer=outcome.answer,
            verdict=name, score=float(getattr(verdict, "score", 0.0) or 0.0),
            duration_ms=int(min(outcome.seconds, 3600) * 1000), quiz_id=self.quiz_id)
        return review_id

    def _finish(self, reason: str, at: float) -> None:
        self.ended = reason
        self._ended_at = at
        self.shown_at = None
        self.store.finish_quiz(self.quiz_id, self.ws.now(), self.score, self.total,  # type: ignore[attr-defined]
                               round(self.elapsed, 3))

    # -- the results -------------------------------------------------------------------------

    def report(self):  # -> debrief.quiz.results.QuizReport
        """The results (once the quiz is over): score, breakdowns, slowest, misses, trend."""
        if not self.over:
            raise QuizError("the quiz is not over yet")
        if self._report is None:
            from debrief.quiz.results import make_report

            self._report = make_report(self)
        return self._report
