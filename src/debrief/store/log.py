"""The log role: the review log, the figures read from it, and reviews crossing from Anki."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select, update

from debrief.importers.history import AnkiReview, LoggedReview, ReviewImport
from debrief.records import ReviewRecord, StatsFigures
from debrief.scheduling import CardState
from debrief.store.database import Role
from debrief.store.db import StoreError
from debrief.store.models import CardRow, ReviewRow, ScheduleRow
from debrief.store.rows import interval_days, review_record

if TYPE_CHECKING:
    from debrief.storage import ReplayReview


class LogStore(Role):
    """The review log (`storage.LogStore`). Each public method is one short transaction."""

    def set_review_verdict(self, review_id: int, verdict: str, score: float) -> None:
        """Change a logged answer's verdict (a quiz answer the user marked right)."""
        with self.db.transaction() as session:
            session.execute(update(ReviewRow).where(ReviewRow.id == review_id)
                            .values(verdict=verdict, score=score))

    def reviews_per_day(self, ranges: Sequence[tuple[int, datetime, datetime]],
                        mode: str = "review") -> dict[int, int]:
        """Answers logged in each (index, start, end) range, by index; empty days left out."""
        from debrief.store import stats_queries

        with self.db.reading() as session:
            return stats_queries.reviews_per_day(session, ranges, mode)

    def history(self, card_pk: int) -> list[ReviewRecord]:
        """A card's logged answers, newest first."""
        with self.db.reading() as session:
            rows = session.scalars(select(ReviewRow).where(ReviewRow.card_id == card_pk)
                                   .order_by(ReviewRow.reviewed_at.desc(), ReviewRow.id.desc()))
            return [review_record(r) for r in rows]

    def reviews_since(self, since: datetime | None = None, mode: str | None = None) -> list[ReviewRecord]:
        """Logged answers since `since` (all when None), oldest first."""
        query = select(ReviewRow).order_by(ReviewRow.reviewed_at, ReviewRow.id)
        if since is not None:
            query = query.where(ReviewRow.reviewed_at >= since)
        if mode is not None:
            query = query.where(ReviewRow.mode == mode)
        with self.db.reading() as session:
            return [review_record(r) for r in session.scalars(query)]

    def rated_reviews(self, card_pks: Sequence[int]) -> dict[int, list[LoggedReview]]:
        """Each card's rated review-mode answers, oldest first, by card pk (for the Anki export)."""
        logs: dict[int, list[LoggedReview]] = {}
        r = ReviewRow
        with self.db.reading() as session:
            for start in range(0, len(card_pks), 500):
                chunk = list(card_pks[start:start + 500])
                rows = session.execute(
                    select(r.card_id, r.reviewed_at, r.rating, r.duration_ms, r.state_before,
                           r.schedule_before, r.anki_revlog_id)
                    .where(r.card_id.in_(chunk), r.mode == "review", r.rating.is_not(None))
                    .order_by(r.reviewed_at, r.id))
                for pk, at, rating, duration, before, schedule, revlog_id in rows:
                    logs.setdefault(pk, []).append(LoggedReview(
                        reviewed_at=at, rating=int(rating), duration_ms=int(duration),
                        state_before=before,
                        schedule_before=CardState.from_json(schedule) if schedule else None,
                        anki_revlog_id=revlog_id))
        return logs

    def add_anki_reviews(self, reviews: Sequence[AnkiReview],
                         replay: ReplayReview) -> ReviewImport:
        """Add reviews made in Anki to the log and recompute each touched card's schedule by
        replaying its whole rated history through `replay(state, rating, at)`; one transaction.

        A review already logged by an earlier import (same revlog id) is skipped, and so is one
        of debrief's own answers that went to Anki with an export: same card and rating, logged
        within a second of the revlog id (an export writes an answer's time in milliseconds as
        its id, moved a millisecond on only when two answers share one).
        """
        r = ReviewRow
        added = already = own = 0
        # Bulk statements, not ORM objects: 20,000 reviews of 5,000 cards took 25 s as objects.
        with self.db.transaction() as session:
            keys = sorted({review.card_key for review in reviews})
            pks: dict[str, int] = {}
            for start in range(0, len(keys), 500):
                pks.update(session.execute(select(CardRow.key, CardRow.id)
                                           .where(CardRow.key.in_(keys[start:start + 500]))).all())
            ids = sorted({review.revlog_id for review in reviews})
            known: set[int] = set()
            for start in range(0, len(ids), 500):
                known.update(session.scalars(select(r.anki_revlog_id)
                                             .where(r.anki_revlog_id.in_(ids[start:start + 500]))))
            # Each card's rated answers already logged: (time, rating, revlog id or None).
            logged: dict[int, list[tuple[datetime, int, int | None]]] = {}
            card_pks = sorted(set(pks.values()))
            for start in range(0, len(card_pks), 500):
                for logged_pk, at, rating, revlog_id in session.execute(
                        select(r.card_id, r.reviewed_at, r.rating, r.anki_revlog_id)
                        .where(r.card_id.in_(card_pks[start:start + 500]), r.mode == "review",
                               r.rating.is_not(None))
                        .order_by(r.card_id, r.reviewed_at, r.id)):
                    if rating is not None:  # always, by the query; narrows the column's type
                        logged.setdefault(logged_pk, []).append((at, int(rating), revlog_id))
            new: dict[int, list[AnkiReview]] = {}
            for review in sorted(reviews, key=lambda item: item.revlog_id):
                pk = pks.get(review.card_key)
                if pk is None:
                    raise StoreError(f"no card with id {review.card_key!r}")
                if review.revlog_id in known:
                    already += 1
                    continue
                if any(revlog_id is None and rating == review.rating
                       and abs(int(at.timestamp() * 1000) - review.revlog_id) < 1000
                       for at, rating, revlog_id in logged.get(pk, ())):
                    own += 1
                    continue
                known.add(review.revlog_id)
                new.setdefault(pk, []).append(review)
                added += 1
            rows: list[dict[str, object]] = []
            states: list[dict[str, object]] = []
            for pk, arrived in new.items():
                history: list[tuple[datetime, int, AnkiReview | None]] = sorted(
                    [(at, rating, None) for at, rating, _id in logged.get(pk, ())]
                    + [(review.reviewed_at, review.rating, review) for review in arrived],
                    key=lambda item: (item[0], item[2].revlog_id if item[2] else 0))
                state = CardState()
                for at, rating, from_anki in history:
                    if from_anki is not None:
                        # What the card was before this review, as replayed: the stats read it,
                        # and an undo in the terminal never reaches back past it.
                        rows.append({"card_id": pk, "reviewed_at": at, "mode": "review",
                                     "rating": rating, "duration_ms": max(0, from_anki.duration_ms),
                                     "state_before": state.state,
                                     "schedule_before": state.to_json(),
                                     "interval_before": interval_days(state),
                                     "anki_revlog_id": from_anki.revlog_id})
                    state = replay(state, rating, at)
                states.append({"card_id": pk, "state": state.state, "step": state.step,
                               "stability": state.stability, "difficulty": state.difficulty,
                               "due": state.due, "last_review": state.last_review,
                               "reps": state.reps, "lapses": state.lapses})
            if rows:
                session.execute(insert(r), rows)
                session.execute(update(ScheduleRow), states)
        return ReviewImport(added=added, already=already, own=own, cards=len(new))

    def totals(self) -> dict[str, int]:
        """Cards (not retired) and logged answers, overall."""
        with self.db.reading() as session:
            cards = session.scalar(select(func.count()).select_from(CardRow).where(CardRow.retired.is_(False)))
            reviews = session.scalar(select(func.count()).select_from(ReviewRow).where(ReviewRow.mode == "review"))
            quiz_answers = session.scalar(select(func.count()).select_from(ReviewRow).where(ReviewRow.mode == "quiz"))
        return {"cards": int(cards or 0), "reviews": int(reviews or 0), "quiz_answers": int(quiz_answers or 0)}

    def stats_figures(self, today: date, first_shown: date, rollover: int, forecast_days: int,
                      windows: dict[str, datetime], mature_days: int, hardest: int) -> StatsFigures:
        """Every figure the stats report needs, in one read transaction (see stats_queries)."""
        from debrief.store.stats_queries import read_figures

        with self.db.reading() as session:
            return read_figures(session, today, first_shown, rollover, forecast_days, windows,
                                mature_days, hardest)
