"""The quizzes role: logged quizzes and their answers (rows only; the quiz logic is the core's)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from debrief.records import QuizAnswer, QuizRecord
from debrief.scheduling import CardState
from debrief.store.database import Role
from debrief.store.models import CardRow, DeckRow, QuizRow, ReviewRow, ScheduleRow
from debrief.store.rows import apply_state


class QuizStore(Role):
    """Logged quizzes (`storage.QuizStore`). Each public method is one short transaction."""

    def start_quiz(self, now: datetime, settings: dict[str, Any]) -> int:
        """Log a new quiz with its settings; returns its id (answers are logged against it)."""
        with self.db.transaction() as session:
            row = QuizRow(started_at=now, settings=settings, score=0, total=0, seconds=0.0)
            session.add(row)
            session.flush()
            return row.id

    def finish_quiz(self, quiz_id: int, now: datetime, score: int, total: int, seconds: float,
                    extra: dict[str, object] | None = None) -> None:
        """Mark a quiz finished with its score; `extra` is merged into its settings (how it ended)."""
        with self.db.transaction() as session:
            values: dict[str, object] = {"finished_at": now, "score": score, "total": total,
                                         "seconds": seconds}
            if extra:
                row = session.get(QuizRow, quiz_id)
                values["settings"] = {**dict((row.settings if row else None) or {}), **extra}
            session.execute(update(QuizRow).where(QuizRow.id == quiz_id).values(**values))

    def discard_quiz(self, quiz_id: int) -> None:
        """Forget a quiz with no answer: its logged rows go, any schedule they moved is restored."""
        with self.db.transaction() as session:
            logs = list(session.scalars(select(ReviewRow).where(ReviewRow.quiz_id == quiz_id)
                                        .order_by(ReviewRow.id.desc())))
            for log in logs:
                if log.schedule_before is not None:
                    sched = session.get(ScheduleRow, log.card_id)
                    if sched is not None:
                        apply_state(sched, CardState.from_json(log.schedule_before))
                session.delete(log)
            session.execute(delete(QuizRow).where(QuizRow.id == quiz_id))

    def quizzes(self, finished: bool = True) -> list[QuizRecord]:
        """Logged quizzes, oldest first; only finished ones unless `finished` is False."""
        query = select(QuizRow).order_by(QuizRow.started_at, QuizRow.id)
        if finished:
            query = query.where(QuizRow.finished_at.is_not(None))
        with self.db.reading() as session:
            return [QuizRecord(id=q.id, started_at=q.started_at, finished_at=q.finished_at,
                               settings=dict(q.settings or {}), score=q.score, total=q.total,
                               seconds=q.seconds) for q in session.scalars(query)]

    def quiz_deck_counts(self, right_verdicts: Sequence[str]) -> dict[int, dict[str, tuple[int, int]]]:
        """Per finished quiz and deck: (answers counted right, answers logged), by SQL aggregate."""
        r = ReviewRow
        query = (select(r.quiz_id, DeckRow.name,
                        func.count().filter(r.verdict.in_(list(right_verdicts))), func.count())
                 .join(CardRow, CardRow.id == r.card_id).join(DeckRow, DeckRow.id == CardRow.deck_id)
                 .join(QuizRow, QuizRow.id == r.quiz_id)
                 .where(r.mode == "quiz", QuizRow.finished_at.is_not(None))
                 .group_by(r.quiz_id, DeckRow.name))
        counts: dict[int, dict[str, tuple[int, int]]] = {}
        with self.db.reading() as session:
            for quiz_id, deck, right, asked in session.execute(query):
                assert quiz_id is not None  # joined to its quiz
                counts.setdefault(quiz_id, {})[deck] = (int(right), int(asked))
        return counts

    def quiz_answers(self, quiz_ids: Sequence[int] | None = None) -> list[QuizAnswer]:
        """Logged quiz answers with their card's deck, oldest first (of some quizzes, or all)."""
        r = ReviewRow
        query = (select(r.quiz_id, r.card_id, DeckRow.name, r.answer, r.verdict, r.duration_ms)
                 .join(CardRow, CardRow.id == r.card_id).join(DeckRow, DeckRow.id == CardRow.deck_id)
                 .where(r.mode == "quiz", r.quiz_id.is_not(None)).order_by(r.reviewed_at, r.id))
        answers: list[QuizAnswer] = []
        ids = None if quiz_ids is None else list(quiz_ids)
        with self.db.reading() as session:
            for start in range(0, len(ids) if ids is not None else 1, 500):
                chunk = query if ids is None else query.where(r.quiz_id.in_(ids[start:start + 500]))
                answers += [QuizAnswer(int(quiz_id or 0), card_id, deck, answer, verdict, ms)
                            for quiz_id, card_id, deck, answer, verdict, ms in session.execute(chunk)]
        return answers
