"""The timed quiz: questions in turn, a clock for the quiz and for each question, scoring. No UI.

The Textual quiz screen and `quiz --plain` are two faces of this one object. Time comes from an
injectable monotonic timer, so tests move it by hand instead of sleeping.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from debrief.cards import Card, VerdictKind, counts_as_right
from debrief.policy import schedule_answer
from debrief.quiz.questions import (
    QUESTION_KINDS,
    Question,
    QuizError,
    candidates,
    grade,
    make_questions,
)
from debrief.records import CardRecord
from debrief.scheduling import CardState, Rating, suggest_rating
from debrief.session import DeckAnswers
from debrief.workspace import Workspace

if TYPE_CHECKING:
    from debrief.grading import Verdict
    from debrief.quiz.results import QuizReport


SECONDS_PER_QUESTION = 30  # the default quiz time is this times the number of questions
MISSED_DAYS = 14


class QuizStatus(StrEnum):
    """What became of a question: answered right or wrong, its own time ran out (`TIMEOUT`), or
    the quiz ended before it was answered (`UNANSWERED`)."""

    RIGHT = "right"
    WRONG = "wrong"
    TIMEOUT = "timeout"
    UNANSWERED = "unanswered"

    @property
    def answered(self) -> bool:
        """True when an answer was given and graded (right or wrong)."""
        return self in (QuizStatus.RIGHT, QuizStatus.WRONG)


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
class QuestionOutcome:
    """What became of one question.

    `status` is "right", "wrong", "timeout" (its own time ran out: unanswered) or "unanswered"
    (the quiz ended first: its time ran out, the input ended or the user stopped). `seen` says
    whether the question was on screen; unseen questions are not logged.
    """

    question: Question
    status: QuizStatus
    answer: str | None = None
    verdict: Verdict | None = None
    seconds: float = 0.0
    seen: bool = True
    review_id: int | None = None

    @property
    def is_right(self) -> bool:
        return self.status is QuizStatus.RIGHT


def missed_card_pks(ws: Workspace, days: int = MISSED_DAYS) -> set[int]:
    """Cards whose latest answer in the last `days` days was wrong (or a quiz question left unanswered)."""
    latest: dict[int, bool] = {}
    for review in ws.store.log.reviews_since(ws.now() - timedelta(days=days)):
        if review.verdict is not None:
            wrong = not counts_as_right(review.verdict)
        else:
            wrong = review.rating == int(Rating.AGAIN)
        latest[review.card_pk] = wrong  # oldest first, so the latest answer wins
    return {pk for pk, wrong in latest.items() if wrong}


def build_questions(ws: Workspace, options: QuizOptions, seed: int) -> list[Question]:
    """The quiz's questions from the store's cards (not suspended ones); reproducible by seed."""
    return _build(ws, options, seed)[0]


def interview_ranking(ws: Workspace, records: Sequence[CardRecord], seed: int) -> list[CardRecord]:
    """`records` weakest on the interview day first: by predicted recall on the day; ties (every
    never-studied card has 0) by how weak the card's deck is on the day (its cards' mean recall,
    as the plan's deck table), then shuffled by `seed` instead of in file or alphabetical order."""
    planner = ws.planner
    recall = {r.pk: planner.recall_on_day(r.state) for r in records}
    by_deck: dict[str, list[float]] = {}
    for record in records:
        by_deck.setdefault(record.card.deck, []).append(recall[record.pk])
    deck_weakness = {deck: sum(values) / len(values) for deck, values in by_deck.items()}
    rng = random.Random(seed)
    tiebreak = {r.pk: rng.random() for r in sorted(records, key=lambda r: r.pk)}
    return sorted(records, key=lambda r: (round(recall[r.pk], 6), deck_weakness[r.card.deck],
                                          tiebreak[r.pk]))


def _build(ws: Workspace, options: QuizOptions, seed: int) -> tuple[list[Question], str]:
    """The questions, and why there are fewer than `options.count` ("" when there are not)."""
    store = ws.store
    deck_ids = store.decks.deck_ids(list(options.decks) or None)
    everything = store.decks.cards(deck_ids)
    records = [r for r in everything if not r.suspended]
    if options.missed:
        missed = missed_card_pks(ws)
        records = [r for r in records if r.pk in missed]

    def judge(spec: dict[str, Any], text: str) -> str:
        return ws.grader.grade(spec, text).verdict

    pool = [r.card for r in everything]
    if options.interview:
        from debrief.plan import weakest_on_day

        weakest_on_day(ws, 0, deck_ids)  # raises NoInterviewDate when there is no date to aim at
        ranked = interview_ranking(ws, records, seed)
        questions = _weakest_questions(ranked, pool, options, seed, judge)
    else:
        questions = make_questions(records, pool, options.count, seed, judge, options.kinds)
    why = ""
    if questions and len(questions) < options.count:
        what = "missed in the last 14 days" if options.missed else "not suspended"
        kinds = f" as {', '.join(options.kinds)} questions" if options.kinds else ""
        scope = f" in {', '.join(options.decks)}" if options.decks else ""
        why = (f"only {len(questions)} of the {options.count} questions asked for: "
               f"that is every card {what}{scope} that can be asked{kinds}")
    return questions, why


def _weakest_questions(ranked: Sequence[CardRecord], pool: Sequence[Card], options: QuizOptions,
                       seed: int, judge: Callable[[dict[str, Any], str], str]) -> list[Question]:
    """`options.count` questions from the weakest cards first, each card at most once, kinds in
    turn; cards that cannot be asked as the wanted kinds are passed over for the next weakest."""
    rng = random.Random(seed)
    wanted = [k for k in QUESTION_KINDS if not options.kinds or k in options.kinds]
    chosen: list[Question] = []
    turn = 0
    start = 0
    batch = max(8, options.count * 2)  # candidates (distractors) only for the cards near the top
    while len(chosen) < options.count and start < len(ranked):
        part = ranked[start:start + batch]
        start += batch
        by_kind = candidates(part, pool, rng, judge)
        ways: dict[int, dict[str, Question]] = {}
        for kind in wanted:
            for question in by_kind.get(kind, ()):
                ways.setdefault(question.record.pk, {}).setdefault(kind, question)
        for record in part:
            options_for = ways.get(record.pk)
            if not options_for or len(chosen) >= options.count:
                continue
            # Kinds in turn, so an interview drill still mixes them.
            for step in range(len(wanted)):
                kind = wanted[(turn + step) % len(wanted)]
                if kind in options_for:
                    chosen.append(options_for[kind])
                    turn = (turn + step + 1) % len(wanted)
                    break
    rng.shuffle(chosen)
    return [Question(i, q.record, q.kind, q.right, q.options) for i, q in enumerate(chosen, start=1)]


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
        self.questions, self.fewer = _build(workspace, options, int(options.seed or 0))
        if not self.questions:
            what = f"missed in the last {MISSED_DAYS} days" if options.missed else "to quiz on"
            raise QuizError(f"no cards {what}" + (f" in {', '.join(options.decks)}" if options.decks else "")
                            + (f" of kind {', '.join(options.kinds)}" if options.kinds else ""))
        limit = options.time_limit
        if limit is None:
            limit = (options.per_question or SECONDS_PER_QUESTION) * len(self.questions)
        self.time_limit: float | None = float(limit) if limit else None
        self.per_question: float | None = float(options.per_question) if options.per_question else None
        self.outcomes: list[QuestionOutcome] = []
        self.quiz_id: int | None = None
        self.started: float | None = None
        self.shown_at: float | None = None
        self.ended: str | None = None  # "done", "time", "input", "stopped"
        self.discarded = False  # ended with no answer at all: not recorded
        self._report: QuizReport | None = None
        self._deck_answers: DeckAnswers | None = None
        self._before: tuple[int, CardState, datetime] | None = None  # the last logged card
        self._paused_at: float | None = None  # the clocks stand still while the quiz is left

    def _now(self) -> float:
        """The quiz's clock: the timer, held at the moment of a pause while paused."""
        return self._paused_at if self._paused_at is not None else self.timer()

    # -- leaving and coming back ---------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def pause(self) -> None:
        """Stop both clocks (the user left the quiz without ending it); `resume` restarts them
        where they stood, so the time away is not taken from the quiz."""
        if self.started is not None and not self.over and self._paused_at is None:
            self._paused_at = self.timer()

    def resume(self) -> None:
        """Restart the clocks after `pause`, with the time left when the quiz was left."""
        if self._paused_at is None:
            return
        away = max(0.0, self.timer() - self._paused_at)
        self._paused_at = None
        if self.started is not None:
            self.started += away
        if self.shown_at is not None:
            self.shown_at += away

    def saved_state(self) -> dict[str, Any]:
        """What it takes to resume this (started, unfinished) quiz in another run of the app:
        its options and seed, its plan, the time spent, and the questions already decided."""
        now = self._now()
        return {
            "quiz_id": self.quiz_id, "options": self.options.to_json(),
            "plan": [q.plan() for q in self.questions],
            "elapsed": max(0.0, now - self.started) if self.started is not None else 0.0,
            "question_elapsed": max(0.0, now - self.shown_at) if self.shown_at is not None else 0.0,
            "outcomes": [{"status": str(o.status), "answer": o.answer, "seen": o.seen,
                          "verdict": str(o.verdict.verdict) if o.verdict is not None else None,
                          "score": o.verdict.score if o.verdict is not None else None,
                          "seconds": o.seconds, "review_id": o.review_id}
                         for o in self.outcomes],
        }

    @classmethod
    def resumed(cls, workspace: Workspace, state: dict[str, Any],
                timer: Callable[[], float] = time.monotonic) -> QuizSession:
        """The quiz `saved_state` described, with its questions rebuilt from the same seed and
        its clocks where they stood; QuizError when the cards changed so that the same
        questions cannot be asked again."""
        from debrief.grading.verdict import Verdict

        try:
            raw = dict(state["options"])
            raw["decks"], raw["kinds"] = tuple(raw.get("decks") or ()), tuple(raw.get("kinds") or ())
            options = QuizOptions(**raw)
            session = cls(workspace, options, timer=timer)
            if [q.plan() for q in session.questions] != list(state["plan"]):
                raise QuizError("the cards changed since the quiz was left, so its questions "
                                "cannot be asked again")
            outcomes = []
            for question, saved in zip(session.questions, state["outcomes"], strict=False):
                verdict = (Verdict(saved["verdict"], float(saved["score"] or 0.0))
                           if saved.get("verdict") else None)
                outcomes.append(QuestionOutcome(
                    question, QuizStatus(saved["status"]), saved.get("answer"), verdict,
                    float(saved.get("seconds") or 0.0), bool(saved.get("seen", True)),
                    saved.get("review_id")))
            now = timer()
            session.quiz_id = int(state["quiz_id"])
            session.outcomes = outcomes
            session.started = now - float(state["elapsed"])
            session.shown_at = now - float(state["question_elapsed"])
        except (KeyError, TypeError, ValueError) as exc:
            raise QuizError(f"the saved quiz cannot be read ({exc})") from exc
        if len(session.outcomes) >= session.total:
            raise QuizError("the saved quiz has no question left")
        return session

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
        end = self._ended_at if self.over else self._now()
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
        return None if deadline is None else max(0.0, deadline - self._now())

    def question_time_left(self) -> float | None:
        """Seconds left for the current question, the quiz's end included (None: no limit)."""
        deadline = self.deadline()
        return None if deadline is None or self.over else max(0.0, deadline - self._now())

    # -- the questions -----------------------------------------------------------------------

    def start(self) -> Question:
        """Start the clock and log the quiz; returns the first question."""
        if self.started is not None:
            raise QuizError("the quiz has already started")
        settings = self.options.to_json()
        settings["plan"] = [q.plan() for q in self.questions]
        settings["time_limit"] = self.time_limit
        self.quiz_id = self.store.quizzes.start_quiz(self.ws.now(), settings)
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

    @property
    def answered(self) -> int:
        """Questions given an answer (right or wrong): timeouts and unanswered ones are not."""
        return sum(1 for o in self.outcomes if o.status in ("right", "wrong"))

    @property
    def reached(self) -> int:
        """Questions that were on screen."""
        return sum(1 for o in self.outcomes if o.seen)

    @property
    def ended_early(self) -> bool:
        """The user stopped (or the input ended) before the last question: the quiz is then
        scored on the questions reached, not on those it never showed."""
        return self.ended in ("stopped", "input") and self.reached < self.total

    @property
    def scored_total(self) -> int:
        """What the score is out of: every question, or those reached when it ended early."""
        return self.reached if self.ended_early else self.total

    def tick(self) -> list[QuestionOutcome]:
        """Apply the clock: a question whose time ran out counts as unanswered and the quiz moves
        on; when the quiz's time runs out it ends. Returns the outcomes this decided."""
        if self.started is None or self.over or self._paused_at is not None:
            return []
        now = self.timer()
        quiz_deadline = self.quiz_deadline()
        if quiz_deadline is not None and now >= quiz_deadline:
            return self._end("time", at=quiz_deadline)
        question_deadline = self.question_deadline()
        if question_deadline is not None and now >= question_deadline:
            question = self.current
            assert question is not None and self.shown_at is not None
            return [self._resolve(QuestionOutcome(question, QuizStatus.TIMEOUT, seconds=self.per_question or 0.0))]
        return []

    def answer(self, text: str) -> QuestionOutcome:
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
            deck_ids = self.store.decks.deck_ids(list(self.options.decks) or None)
            self._deck_answers = DeckAnswers(self.store.decks.text_answers(deck_ids))
        others = self._deck_answers.others(question.record)
        logged, verdict = grade(question, text, self.ws.grader, others)
        if not verdict.is_right and not question.options:
            # an answer the user marked right before passes now
            mine = self.store.decks.user_answers(question.record.pk)
            if mine:
                spec = question.spec()
                if others:
                    spec["others"] = list(others)
                spec["accept"] = [*spec.get("accept", []), *mine]
                verdict = self.ws.grader.grade(spec, text)
        status = QuizStatus.RIGHT if verdict.is_right else QuizStatus.WRONG
        return self._resolve(QuestionOutcome(question, status, logged, verdict, seconds))

    def mark_right(self) -> QuestionOutcome:
        """"I was right" for the last answered question: it counts as right (the score changes,
        the logged answer says correct) and the answer is kept as an accepted answer of the card,
        so it passes next time. (With `--reschedule`, the card is rescheduled as a right answer.)"""
        from debrief.grading.verdict import Verdict, marked_right

        last = self.outcomes[-1] if self.outcomes else None
        if last is None or last.status is not QuizStatus.WRONG:
            raise QuizError("only a wrong answer can be marked right")
        if not (last.answer or "").strip():
            raise QuizError("an empty answer cannot be marked right")
        store = self.store
        store.decks.add_user_answer(last.question.record.pk, last.answer or "", self.ws.now())
        if last.review_id is not None:
            store.log.set_review_verdict(last.review_id, "correct", 1.0)
        if self.options.reschedule and self._before is not None \
                and self._before[0] == last.question.record.pk:
            # the schedule the answer got was for a miss: give it the one a right answer gets
            _pk, before, at = self._before
            rating = suggest_rating("correct", last.seconds, len(last.answer or ""),
                                    len(last.question.options))
            state = schedule_answer(self.ws.scheduler, self.ws.planner, before, rating, at)
            self.store.queue.reschedule(last.question.record.pk, state)
        verdict = last.verdict
        fixed = replace(last, status=QuizStatus.RIGHT, verdict=marked_right(
            verdict if isinstance(verdict, Verdict) else None))
        self.outcomes[-1] = fixed
        if self.ended is not None:  # the last question: the logged score changes too
            self._finish(self.ended, self._ended_at)
            self._report = None
        return fixed

    def stop(self, reason: str = "stopped") -> list[QuestionOutcome]:
        """End the quiz now (the user stopped, or the input ended): the rest is unanswered."""
        if self.started is None or self.over:
            return []
        return self._end(reason, at=self.timer())

    def _end(self, reason: str, at: float) -> list[QuestionOutcome]:
        assert self.shown_at is not None
        resolved = []
        current = self.current
        if current is not None:
            seconds = max(0.0, at - self.shown_at)
            resolved.append(self._resolve(QuestionOutcome(current, QuizStatus.UNANSWERED, seconds=seconds), advance=False))
        for question in self.questions[len(self.outcomes):]:
            resolved.append(self._resolve(QuestionOutcome(question, QuizStatus.UNANSWERED, seen=False), advance=False))
        self._finish(reason, at)
        return resolved

    def _resolve(self, outcome: QuestionOutcome, advance: bool = True) -> QuestionOutcome:
        if outcome.seen:
            outcome = replace(outcome, review_id=self._log(outcome))
        self.outcomes.append(outcome)
        if advance:
            self.shown_at = self.timer()
            if len(self.outcomes) == self.total:
                self._finish("done", self.timer())
        return outcome

    def _log(self, outcome: QuestionOutcome) -> int:
        """Commit one answer (its own transaction); reschedule only with `--reschedule`."""
        verdict = outcome.verdict
        name = verdict.verdict if verdict is not None else VerdictKind.WRONG
        rating = suggest_rating(name, outcome.seconds, len(outcome.answer or ""),
                                len(outcome.question.options))
        now = self.ws.now()
        compute = None
        if self.options.reschedule:
            # The same policy as review: FSRS, then the interview planner.
            def compute(state: CardState) -> CardState:
                # kept for "I was right", which re-applies the schedule as for a right answer
                self._before = (outcome.question.record.pk, state, now)
                return schedule_answer(self.ws.scheduler, self.ws.planner, state, rating, now)
        review_id, _state = self.store.queue.record_review(
            outcome.question.record.pk, now, compute, mode="quiz",
            rating=int(rating) if self.options.reschedule else None, answer=outcome.answer,
            verdict=name, score=verdict.score if verdict is not None else 0.0,
            duration_ms=int(min(outcome.seconds, 3600) * 1000), quiz_id=self.quiz_id)
        return review_id

    def _finish(self, reason: str, at: float) -> None:
        self.ended = reason
        self._ended_at = at
        self.shown_at = None
        assert self.quiz_id is not None  # set by start(), before any answer
        if not self.answered:
            # Nothing was answered: a quiz of nothing would only drag the trend down.
            self.store.quizzes.discard_quiz(self.quiz_id)
            self.discarded = True
            return
        self.store.quizzes.finish_quiz(self.quiz_id, self.ws.now(), self.score, self.scored_total,
                                       round(self.elapsed, 3),
                                       extra={"ended": reason, "ended_early": self.ended_early,
                                              "questions": self.total})

    # -- the results -------------------------------------------------------------------------

    def report(self) -> QuizReport:
        """The results (once the quiz is over): score, breakdowns, slowest, misses, trend."""
        if not self.over:
            raise QuizError("the quiz is not over yet")
        if self._report is None:
            from debrief.quiz.results import make_report

            self._report = make_report(self)
        return self._report
