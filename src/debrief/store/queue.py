"""The queue role: what is due, today's counts, and saving (or undoing) an answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_, select, true, update
from sqlalchemy.orm import Session

from debrief.records import CardRecord, SavedAnswer
from debrief.scheduling import CardState
from debrief.store.database import Role
from debrief.store.db import StoreError
from debrief.store.models import CardRow, DeckRow, ReviewRow, ScheduleRow
from debrief.store.rows import apply_state, card_record, interval_days, state_from_row

if TYPE_CHECKING:
    from debrief.storage import ComputeState, LeechAction


class UndoError(StoreError):
    """The answer cannot be undone (nothing to undo, or it was superseded)."""


class QueueStore(Role):
    """The review queue (`storage.QueueStore`). Each public method is one short transaction."""

    def _active(self, now: datetime, deck_ids: list[int] | None):
        s, c = ScheduleRow, CardRow
        cond = and_(c.retired.is_(False), s.suspended.is_(False),
                    or_(s.buried_until.is_(None), s.buried_until <= now))
        if deck_ids is not None:
            cond = and_(cond, c.deck_id.in_(deck_ids))
        return cond

    def next_cards(self, now: datetime, day_end: datetime, deck_ids: list[int] | None,
                   kind: str, limit: int = 1, exclude: Sequence[int] = ()) -> list[CardRecord]:
        """The next cards of one queue: `learning` (due by `day_end`), `review` (due by `day_end`)
        or `new` (in file order, interleaving decks), skipping `exclude`."""
        s, c = ScheduleRow, CardRow
        query = (select(c, s, DeckRow.name).join(s, s.card_id == c.id)
                 .join(DeckRow, DeckRow.id == c.deck_id).where(self._active(now, deck_ids)))
        if exclude:
            query = query.where(c.id.not_in(list(exclude)))
        if kind == "new":
            queries = [query.where(s.state == "new").order_by(s.new_position, c.deck_id, c.id)]
        else:
            # One query per state, each read in index order (state, due) and merged here: ordering
            # learning and relearning cards together would sort all of them for every card shown.
            states = ("review",) if kind == "review" else ("learning", "relearning")
            queries = [query.where(s.state == state, s.due < day_end).order_by(s.due, s.card_id)
                       for state in states]
        with self.db.reading() as session:
            records = [card_record(card, sched, name) for q in queries
                       for card, sched, name in session.execute(q.limit(limit))]
        if len(queries) > 1:
            records.sort(key=lambda r: (r.state.due, r.pk))
        return records[:limit]

    def queue_counts(self, now: datetime, day_end: datetime, deck_ids: list[int] | None,
                     caps: Mapping[str, int] | None = None) -> dict[str, int]:
        """Cards available today: learning, review (due) and new, before daily limits.

        `caps` bounds a queue's count (`{"review": 200}`: 200 when more are due): a face shows
        `min(count, what today's limits leave)`, and counting no further than that keeps the
        cost per card shown flat however large the collection (counting 10,000 due cards to show
        "200" was most of an answer's time on 100,000 cards).
        """
        s = ScheduleRow
        caps = caps or {}
        if deck_ids is not None:
            # Some decks: one pass over their cards (the join through cards.deck_id), then capped.
            query = (select(
                func.count().filter(s.state.in_(("learning", "relearning")), s.due < day_end),
                func.count().filter(s.state == "review", s.due < day_end),
                func.count().filter(s.state == "new"),
            ).select_from(CardRow).join(s, s.card_id == CardRow.id).where(self._active(now, deck_ids)))
            with self.db.reading() as session:
                learning, review, new = session.execute(query).one()
            found = {"learning": int(learning), "review": int(review), "new": int(new)}
            return {queue: min(count, caps.get(queue, count)) for queue, count in found.items()}
        # All decks (the usual case, once per card shown): one range of the covering index
        # ix_schedules_queue per state, leaving out the few retired cards by their partial index,
        # instead of reading every card; a capped queue stops reading at its cap.
        active = (s.suspended.is_(False), or_(s.buried_until.is_(None), s.buried_until <= now),
                  s.card_id.not_in(select(CardRow.id).where(CardRow.retired == true())))
        queues = {"learning": ("learning", "relearning"), "review": ("review",), "new": ("new",)}
        counts: dict[str, int] = {}
        with self.db.reading() as session:
            for queue, states in queues.items():
                cap = caps.get(queue)
                counts[queue] = 0
                for state in states:
                    if cap is not None and counts[queue] >= cap:
                        break
                    due = () if state == "new" else (s.due < day_end,)
                    query = select(1).select_from(s).where(s.state == state, *due, *active)
                    if cap is not None:
                        query = query.limit(cap - counts[queue])
                    counts[queue] += int(session.scalar(
                        select(func.count()).select_from(query.subquery())) or 0)
        return counts

    def studied_today(self, day_start: datetime, deck_ids: list[int] | None = None) -> dict[str, int]:
        """Review-mode answers since `day_start`: new cards introduced and reviews of review cards."""
        r = ReviewRow
        query = select(
            func.count().filter(r.state_before == "new"),
            func.count().filter(r.state_before == "review"),
            func.count(),
        ).select_from(r).where(r.mode == "review", r.reviewed_at >= day_start)
        if deck_ids is not None:
            query = query.join(CardRow, CardRow.id == r.card_id).where(CardRow.deck_id.in_(deck_ids))
        with self.db.reading() as session:
            new, review, total = session.execute(query).one()
        return {"new": int(new), "review": int(review), "total": int(total)}

    def next_due(self, now: datetime, deck_ids: list[int] | None = None) -> datetime | None:
        """When the next studied card falls due (None if no studied card is scheduled)."""
        s = ScheduleRow
        # The first due card of each studied state, read in index order, instead of every card.
        found: list[datetime] = []
        with self.db.reading() as session:
            for state in ("learning", "relearning", "review"):
                due = session.scalar(
                    select(s.due).select_from(CardRow).join(s, s.card_id == CardRow.id)
                    .where(self._active(now, deck_ids), s.state == state, s.due.is_not(None))
                    .order_by(s.due).limit(1))
                if due is not None:
                    found.append(due)
        return min(found, default=None)

    def record_review(self, card_pk: int, now: datetime, compute: ComputeState | None,
                      *, mode: str = "review", rating: int | None, answer: str | None,
                      verdict: str | None, score: float | None, duration_ms: int,
                      quiz_id: int | None = None) -> tuple[int, CardState]:
        """Log one answer and (if `compute` is given) reschedule the card, in one transaction.

        `compute` receives the card's state as read inside the transaction, so two processes
        answering the same card never overwrite each other with a stale state.
        """
        saved = self.record_answer(card_pk, now, compute, mode=mode, rating=rating, answer=answer,
                                   verdict=verdict, score=score, duration_ms=duration_ms,
                                   quiz_id=quiz_id)
        return saved.review_id, saved.state

    def record_answer(self, card_pk: int, now: datetime, compute: ComputeState | None,
                      *, mode: str = "review", rating: int | None, answer: str | None,
                      verdict: str | None, score: float | None, duration_ms: int,
                      quiz_id: int | None = None, bury_siblings_until: datetime | None = None,
                      leech: LeechAction | None = None) -> SavedAnswer:
        """`record_review`, plus in the same transaction: bury the card's sibling group (new and
        review cards sharing its `group`) until `bury_siblings_until`, and mark it a leech when
        `leech(before, after)` names an action ("suspend", "flag" or "tag"). Undo reverses all."""
        with self.db.transaction() as session:
            query = select(ScheduleRow).where(ScheduleRow.card_id == card_pk)
            if not self.db.is_sqlite:
                query = query.with_for_update()
            sched = session.scalar(query)
            if sched is None:
                raise StoreError(f"no card with id {card_pk}")
            before = state_from_row(sched)
            after = before
            undo: dict[str, object] | None = None
            action = None
            buried: list[int] = []
            if compute is not None:
                undo = {**before.to_json(), "suspended": sched.suspended, "flag": sched.flag,
                        "leech": sched.leech,
                        "marked_at": sched.marked_at.isoformat() if sched.marked_at else None}
                after = compute(before)
                apply_state(sched, after)
                action = leech(before, after) if leech is not None else None
                if action is not None:
                    sched.leech = True
                    if action == "suspend":
                        sched.suspended = True
                        sched.marked_at = now  # an import from Anki compares it
                    elif action == "flag" and not sched.flag:
                        sched.flag = 1  # red, as Anki's leech flag
                        sched.marked_at = now
                if bury_siblings_until is not None:
                    buried = self._bury_siblings(session, card_pk, now, bury_siblings_until)
                    undo["buried_siblings"] = buried
            log = ReviewRow(card_id=card_pk, reviewed_at=now, mode=mode, rating=rating,
                            answer=answer, verdict=verdict, score=score,
                            duration_ms=max(0, int(duration_ms)), state_before=before.state,
                            schedule_before=undo, interval_before=interval_days(before),
                            quiz_id=quiz_id)
            session.add(log)
            session.flush()
            return SavedAnswer(log.id, after, action, tuple(buried))

    def _bury_siblings(self, session: Session, card_pk: int, now: datetime, until: datetime) -> list[int]:
        group = session.scalar(select(CardRow.group_key).where(CardRow.id == card_pk))
        if not group:
            return []
        s, c = ScheduleRow, CardRow
        pks = list(session.scalars(
            select(s.card_id).join(c, c.id == s.card_id)
            .where(c.group_key == group, c.id != card_pk, c.retired.is_(False),
                   s.state.in_(("new", "review")), s.suspended.is_(False),
                   or_(s.buried_until.is_(None), s.buried_until <= now))
            .order_by(s.card_id)))
        if pks:
            session.execute(update(s).where(s.card_id.in_(pks)).values(buried_until=until))
        return pks

    def undo_review(self, review_id: int, *, card_pk: int | None = None,
                    reviewed_at: datetime | None = None, rating: int | None = None,
                    answer: str | None = None, duration_ms: int | None = None) -> int:
        """Undo a logged answer: restore the card's previous schedule (and its flags, and the
        siblings it buried) and delete the log entry.

        The answer is checked against what the caller recorded (card, time, rating, answer,
        duration): ids are reused after a restore, so the row with that id may now be another
        answer, which must never be deleted. Refused also when a later answer to the same card
        exists (it would be lost). Returns the card pk.
        """
        with self.db.transaction() as session:
            log = session.get(ReviewRow, review_id)
            if log is None:
                raise UndoError("nothing to undo: that answer is no longer in the log")
            expected = {"card_id": card_pk, "reviewed_at": reviewed_at, "rating": rating,
                        "answer": answer, "duration_ms": duration_ms}
            if any(value is not None and getattr(log, name) != value
                   for name, value in expected.items()):
                raise UndoError("cannot undo: that answer is no longer in the log (was a backup "
                                "restored meanwhile?)")
            later = session.scalar(select(func.count()).select_from(ReviewRow).where(
                ReviewRow.card_id == log.card_id, ReviewRow.id > log.id,
                ReviewRow.schedule_before.is_not(None)))
            if later:
                raise UndoError("cannot undo: the card was answered again since")
            before = log.schedule_before
            if before is not None:
                sched = session.get(ScheduleRow, log.card_id)
                assert sched is not None
                apply_state(sched, CardState.from_json(before))
                if "suspended" in before:
                    sched.suspended = bool(before["suspended"])
                    # The flag goes back only when this answer's leech action set it: a flag
                    # the user set since (in browse) stays.
                    if sched.leech and not before.get("leech") and not before.get("flag"):
                        sched.flag = 0 if sched.flag == 1 else sched.flag
                    sched.leech = bool(before.get("leech"))
                    if "marked_at" in before:
                        marked = before["marked_at"]
                        sched.marked_at = datetime.fromisoformat(marked) if marked else None
                siblings = [int(pk) for pk in before.get("buried_siblings") or ()]
                if siblings:
                    session.execute(update(ScheduleRow).where(ScheduleRow.card_id.in_(siblings))
                                    .values(buried_until=None))
            card_pk = log.card_id
            session.delete(log)
            return card_pk

    def reschedule(self, card_pk: int, state: CardState) -> None:
        """Overwrite a card's schedule (used to send quiz misses into today's review)."""
        with self.db.transaction() as session:
            sched = session.get(ScheduleRow, card_pk)
            if sched is None:
                raise StoreError(f"no card with id {card_pk}")
            apply_state(sched, state)

    def reschedule_many(self, updates: Mapping[int, tuple[CardState, CardState]]) -> int:
        """Set many cards' schedules in one transaction: (expected, new) per card pk; a card whose
        stored state is no longer the expected one (answered meanwhile) is left as it is.
        Returns how many were changed."""
        changed = 0
        with self.db.transaction() as session:
            for pk, (expected, state) in updates.items():
                sched = session.get(ScheduleRow, pk)
                if sched is None or state_from_row(sched) != expected:
                    continue
                apply_state(sched, state)
                changed += 1
        return changed
