"""The store: every read and write of decks, cards, schedules and the review log."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Engine,
    Text,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    true,
    type_coerce,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from debrief.cards import Card, CardKind, Deck, ScheduleState
from debrief.importers.history import AnkiReview, LoggedReview, ReviewImport
from debrief.records import (
    CardRecord,
    DeckSummary,
    QuizAnswer,
    QuizRecord,
    ReviewRecord,
    SavedAnswer,
    StatsFigures,
    SyncReport,
)
from debrief.scheduling import CardState
from debrief.store.db import PG_SCHEMA_LOCK, READ_ONLY_OPTION, StoreError, friendly_error
from debrief.store.first_card import deck_hash as _deck_hash
from debrief.store.models import (
    CardRow,
    DeckRow,
    MetaRow,
    QuizRow,
    ReviewRow,
    ScheduleRow,
    UserAnswerRow,
)

Progress = Callable[[int, int], None]
# Cards written per transaction by a deck sync: well under a second of write lock each.
SYNC_BATCH = 2000


class UnknownDeckError(StoreError):
    """A deck name that is not in the store."""


class UndoError(StoreError):
    """The answer cannot be undone (nothing to undo, or it was superseded)."""


def _answer_value(card: Card) -> object:
    return list(card.answer) if isinstance(card.answer, tuple) else card.answer


def _json(stored: str | None) -> object:
    """A JSON column's stored text, decoded (with a shortcut for the common empty list)."""
    if stored is None or stored == "null":
        return None
    return [] if stored == "[]" else json.loads(stored)


def _card_from_row(row: CardRow, deck_name: str) -> Card:
    answer = row.answer
    return Card(
        id=row.key,
        deck=deck_name,
        kind=CardKind(row.kind),
        prompt=row.prompt,
        answer=tuple(answer) if isinstance(answer, list) else str(answer),
        accept=tuple(row.accept or ()),
        options=tuple(row.options or ()),
        min_items=row.min_items,
        explanation=row.explanation or "",
        tags=tuple(row.tags or ()),
        position=row.position,
        group=row.group_key,
        keywords=tuple(row.keywords or ()),
        rubric=tuple(row.rubric or ()),
    )


def _state_from_row(row: ScheduleRow) -> CardState:
    return CardState(
        state=ScheduleState(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=row.due,
        last_review=row.last_review,
        reps=row.reps,
        lapses=row.lapses,
    )


def _apply_state(row: ScheduleRow, state: CardState) -> None:
    row.state = state.state
    row.step = state.step
    row.stability = state.stability
    row.difficulty = state.difficulty
    row.due = state.due
    row.last_review = state.last_review
    row.reps = state.reps
    row.lapses = state.lapses


def _record(card: CardRow, schedule: ScheduleRow, deck_name: str) -> CardRecord:
    return CardRecord(
        pk=card.id,
        card=_card_from_row(card, deck_name),
        state=_state_from_row(schedule),
        suspended=schedule.suspended,
        buried_until=schedule.buried_until,
        retired=card.retired,
        leech=schedule.leech,
    )


def _review_record(row: ReviewRow) -> ReviewRecord:
    return ReviewRecord(
        id=row.id, card_pk=row.card_id, reviewed_at=row.reviewed_at, mode=row.mode,
        rating=row.rating, answer=row.answer, verdict=row.verdict, score=row.score,
        duration_ms=row.duration_ms, state_before=row.state_before,
    )


def _interval_days(state: CardState) -> float | None:
    if state.due is None or state.last_review is None:
        return None
    return (state.due - state.last_review).total_seconds() / 86400


class Store:
    """All database access. Each public method is one short transaction."""

    def __init__(self, engine: Engine, url: str = ""):
        self.engine = engine
        self.url = url
        self._reader = engine.execution_options(**{READ_ONLY_OPTION: True})

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction, committed on success; driver errors become StoreError."""
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except DBAPIError as exc:
            raise friendly_error(exc, self.engine.url.database) from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session in one read-only transaction: on SQLite it takes no write lock, so reads
        (stats, browse, counts) never hold up another process's answer."""
        try:
            # No commit: closing the session rolls the read transaction back.
            with Session(self._reader, expire_on_commit=False) as session:
                yield session
        except DBAPIError as exc:
            raise friendly_error(exc, self.engine.url.database) from exc

    def close(self) -> None:
        self.engine.dispose()

    # -- decks -----------------------------------------------------------------------------

    def sync_decks(self, decks: Sequence[Deck], now: datetime, source: str | None = None,
                   progress: Progress | None = None) -> SyncReport:
        """Make the store match `decks`: add new cards, update edited ones in place (history kept),
        retire cards gone from their deck file. Idempotent.

        Decks already up to date are seen in a read transaction, so opening debrief beside a
        long import never waits for the write lock. A deck that changed is written in batches of
        `SYNC_BATCH` cards, each its own short transaction (an answer in another process waits
        at most one batch); the deck's content hash is written with the last batch, so a sync
        cut short is finished by the next one.
        """
        report: dict[str, int] = {"added": 0, "updated": 0, "retired": 0, "unchanged": 0}
        total = sum(len(d.cards) for d in decks)
        done = 0
        with self.reading() as session:
            hashes = {name: digest for name, digest in session.execute(
                select(DeckRow.name, DeckRow.content_hash))}
        for deck in decks:
            if hashes.get(deck.name) == _deck_hash(deck):
                report["unchanged"] += len(deck.cards)
                done += len(deck.cards)
                if progress:
                    progress(done, total)
                continue
            done = self._sync_deck(deck, now, source, report, done, total, progress)
        return SyncReport(decks=len(decks), **report)

    def _lock_for_sync(self, session: Session) -> None:
        if not self.is_sqlite:
            # Two processes syncing the same decks at once (two terminals starting): the second
            # waits, then finds the rows the first added. SQLite's BEGIN IMMEDIATE does this.
            session.execute(text(f"SELECT pg_advisory_xact_lock({PG_SCHEMA_LOCK})"))

    def _sync_deck(self, deck: Deck, now: datetime, source: str | None, report: dict[str, int],
                   done: int, total: int, progress: Progress | None) -> int:
        """Write one changed deck in batches; returns the running count of cards done."""
        digest = _deck_hash(deck)
        keys = [c.id for c in deck.cards]
        starts = list(range(0, len(deck.cards), SYNC_BATCH)) or [0]
        for start in starts:
            last = start == starts[-1]
            with self.transaction() as session:
                self._lock_for_sync(session)
                row = session.scalar(select(DeckRow).where(DeckRow.name == deck.name))
                if row is None:
                    row = DeckRow(name=deck.name, title=deck.title, description=deck.description,
                                  source=source or deck.source, content_hash="",
                                  created_at=now, updated_at=now)
                    session.add(row)
                    session.flush()
                elif row.content_hash == digest:
                    # Another process finished this deck meanwhile.
                    report["unchanged"] += len(deck.cards) - start
                    done += len(deck.cards) - start
                    if progress:
                        progress(done, total)
                    return done
                row.title, row.description = deck.title, deck.description
                row.source = source or deck.source
                # Until the last batch commits, the deck is marked unfinished.
                row.content_hash, row.updated_at = (digest if last else ""), now
                batch = deck.cards[start:start + SYNC_BATCH]
                existing: dict[str, CardRow] = {}
                batch_keys = [c.id for c in batch]
                for chunk_start in range(0, len(batch_keys), 500):
                    chunk = batch_keys[chunk_start:chunk_start + 500]
                    for card_row in session.scalars(select(CardRow).where(CardRow.key.in_(chunk))):
                        existing[card_row.key] = card_row
                fresh: list[tuple[CardRow, int]] = []
                for offset, card in enumerate(batch):
                    position = start + offset
                    current = existing.get(card.id)
                    values = {
                        "deck_id": row.id, "kind": card.kind, "prompt": card.prompt,
                        "answer": _answer_value(card), "accept": list(card.accept),
                        "options": list(card.options), "min_items": card.min_items,
                        "explanation": card.explanation, "tags": list(card.tags),
                        "position": position, "retired": False, "group_key": card.group,
                        "keywords": list(card.keywords), "rubric": list(card.rubric),
                    }
                    if current is None:
                        new = CardRow(key=card.id, created_at=now, updated_at=now, **values)
                        session.add(new)
                        fresh.append((new, position))
                        report["added"] += 1
                    elif any(getattr(current, k) != v for k, v in values.items()):
                        for k, v in values.items():
                            setattr(current, k, v)
                        current.updated_at = now
                        report["updated"] += 1
                    else:
                        report["unchanged"] += 1
                    done += 1
                    if progress and (done % 200 == 0 or done == total):
                        progress(done, total)
                if fresh:
                    session.flush()  # one flush for the batch's new cards gives them their ids
                    session.add_all([ScheduleRow(card_id=new.id, state="new", new_position=position,
                                                 reps=0, lapses=0, suspended=False)
                                     for new, position in fresh])
                if last:
                    report["retired"] += self._retire_missing(session, row.id, set(keys), now)
        return done

    @staticmethod
    def _retire_missing(session: Session, deck_id: int, keys: set[str], now: datetime) -> int:
        # Compared in Python: a NOT IN list of every key overflows SQLite's variable limit on
        # large decks.
        live = session.execute(select(CardRow.id, CardRow.key).where(
            CardRow.deck_id == deck_id, CardRow.retired.is_(False))).all()
        gone = [pk for pk, key in live if key not in keys]
        for chunk_start in range(0, len(gone), 500):
            session.execute(update(CardRow).where(CardRow.id.in_(gone[chunk_start:chunk_start + 500]))
                            .values(retired=True, updated_at=now))
        return len(gone)

    def deck_ids(self, names: Iterable[str] | None) -> list[int] | None:
        """The ids of the named decks (None: all decks); unknown names raise UnknownDeckError."""
        if names is None:
            return None
        wanted = list(dict.fromkeys(names))
        if not wanted:
            return None
        with self.reading() as session:
            found = dict(session.execute(select(DeckRow.name, DeckRow.id)
                                         .where(DeckRow.name.in_(wanted))).all())
            if len(found) != len(wanted):
                missing = [n for n in wanted if n not in found]
                known = session.scalars(select(DeckRow.name).order_by(DeckRow.name)).all()
                raise UnknownDeckError(f"unknown deck {missing[0]!r} (decks: {', '.join(known) or 'none'})")
        return [found[n] for n in wanted]

    def card_owners(self, keys: Sequence[str]) -> dict[str, str]:
        """The deck that holds each of `keys` already (keys not in the store are absent)."""
        owners: dict[str, str] = {}
        with self.reading() as session:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start:start + 500])
                owners.update(session.execute(
                    select(CardRow.key, DeckRow.name).join(DeckRow, DeckRow.id == CardRow.deck_id)
                    .where(CardRow.key.in_(chunk))).all())
        return owners

    def decks(self) -> list[tuple[str, str]]:
        """(name, title) of every deck, by name."""
        with self.reading() as session:
            return list(session.execute(select(DeckRow.name, DeckRow.title).order_by(DeckRow.name)).all())

    def deck_sources(self) -> dict[str, str]:
        """The file each deck was last imported from, by name."""
        with self.reading() as session:
            return dict(session.execute(select(DeckRow.name, DeckRow.source)).all())

    def deck_descriptions(self) -> dict[str, str]:
        """Each deck's description, by name."""
        with self.reading() as session:
            return dict(session.execute(select(DeckRow.name, DeckRow.description)).all())

    def deck_summaries(self, now: datetime, day_end: datetime) -> list[DeckSummary]:
        """Each deck with its card counts: total, new, due today, learning, suspended."""
        s, c = ScheduleRow, CardRow
        active = and_(c.retired.is_(False), s.suspended.is_(False),
                      or_(s.buried_until.is_(None), s.buried_until <= now))
        query = (
            select(
                DeckRow.name, DeckRow.title,
                func.count(c.id).filter(c.retired.is_(False)),
                func.count(c.id).filter(active, s.state == "new"),
                func.count(c.id).filter(active, s.state == "review", s.due < day_end),
                func.count(c.id).filter(active, s.state.in_(("learning", "relearning")), s.due < day_end),
                func.count(c.id).filter(c.retired.is_(False), s.suspended.is_(True)),
            )
            .select_from(DeckRow)
            .outerjoin(c, c.deck_id == DeckRow.id)
            .outerjoin(s, s.card_id == c.id)
            .group_by(DeckRow.id, DeckRow.name, DeckRow.title)
            .order_by(DeckRow.name)
        )
        with self.reading() as session:
            return [DeckSummary(name, title, int(total), int(new), int(due), int(learning), int(susp))
                    for name, title, total, new, due, learning, susp in session.execute(query)]

    # -- cards -----------------------------------------------------------------------------

    def cards(self, deck_ids: list[int] | None = None, include_retired: bool = False) -> list[CardRecord]:
        """Every card (optionally of some decks) with its schedule, in deck and file order."""
        query = (select(CardRow, ScheduleRow, DeckRow.name)
                 .join(ScheduleRow, ScheduleRow.card_id == CardRow.id)
                 .join(DeckRow, DeckRow.id == CardRow.deck_id)
                 .order_by(DeckRow.name, CardRow.position))
        if not include_retired:
            query = query.where(CardRow.retired.is_(False))
        if deck_ids is not None:
            query = query.where(CardRow.deck_id.in_(deck_ids))
        with self.reading() as session:
            return [_record(card, sched, name) for card, sched, name in session.execute(query)]

    def card_texts(self) -> Iterator[str]:
        """Every text of the cards `cards()` lists (prompt, answer, accepted answers, options),
        read without building records: the grader's vocabulary of 100,000 cards in under a
        second instead of many."""
        # SQLite: the JSON columns as their stored text, decoded here only when not empty
        # (decoding 300,000 mostly empty lists was most of the time). PostgreSQL's driver
        # decodes JSON itself.
        columns: list[Any] = [CardRow.answer, CardRow.accept, CardRow.options]
        raw = self.is_sqlite
        if raw:
            columns = [type_coerce(column, Text) for column in columns]
        query = (select(CardRow.prompt, *columns)
                 .join(ScheduleRow, ScheduleRow.card_id == CardRow.id)
                 .join(DeckRow, DeckRow.id == CardRow.deck_id)
                 .where(CardRow.retired.is_(False)))
        with self.reading() as session:
            rows: Sequence[Any] = session.execute(query).all()
        decode: Callable[[Any], Any] = _json if raw else (lambda value: value)
        for prompt, answer, accept, options in rows:
            yield prompt
            value = decode(answer)
            yield ", ".join(value) if isinstance(value, list) else str(value)
            yield from decode(accept) or ()
            yield from decode(options) or ()

    def card(self, pk: int) -> CardRecord:
        """One card by its primary key."""
        with self.reading() as session:
            row = session.execute(
                select(CardRow, ScheduleRow, DeckRow.name)
                .join(ScheduleRow, ScheduleRow.card_id == CardRow.id)
                .join(DeckRow, DeckRow.id == CardRow.deck_id)
                .where(CardRow.id == pk)).first()
            if row is None:
                raise StoreError(f"no card with id {pk}")
            return _record(*row)

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
        with self.reading() as session:
            records = [_record(card, sched, name) for q in queries
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
            with self.reading() as session:
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
        with self.reading() as session:
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
        with self.reading() as session:
            new, review, total = session.execute(query).one()
        return {"new": int(new), "review": int(review), "total": int(total)}

    def next_due(self, now: datetime, deck_ids: list[int] | None = None) -> datetime | None:
        """When the next studied card falls due (None if no studied card is scheduled)."""
        s = ScheduleRow
        # The first due card of each studied state, read in index order, instead of every card.
        found: list[datetime] = []
        with self.reading() as session:
            for state in ("learning", "relearning", "review"):
                due = session.scalar(
                    select(s.due).select_from(CardRow).join(s, s.card_id == CardRow.id)
                    .where(self._active(now, deck_ids), s.state == state, s.due.is_not(None))
                    .order_by(s.due).limit(1))
                if due is not None:
                    found.append(due)
        return min(found, default=None)

    # -- answers ---------------------------------------------------------------------------

    def record_review(self, card_pk: int, now: datetime, compute: Callable[[CardState], CardState] | None,
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

    def record_answer(self, card_pk: int, now: datetime, compute: Callable[[CardState], CardState] | None,
                      *, mode: str = "review", rating: int | None, answer: str | None,
                      verdict: str | None, score: float | None, duration_ms: int,
                      quiz_id: int | None = None, bury_siblings_until: datetime | None = None,
                      leech: Callable[[CardState, CardState], str | None] | None = None) -> SavedAnswer:
        """`record_review`, plus in the same transaction: bury the card's sibling group (new and
        review cards sharing its `group`) until `bury_siblings_until`, and mark it a leech when
        `leech(before, after)` names an action ("suspend", "flag" or "tag"). Undo reverses all."""
        with self.transaction() as session:
            query = select(ScheduleRow).where(ScheduleRow.card_id == card_pk)
            if not self.is_sqlite:
                query = query.with_for_update()
            sched = session.scalar(query)
            if sched is None:
                raise StoreError(f"no card with id {card_pk}")
            before = _state_from_row(sched)
            after = before
            undo: dict[str, object] | None = None
            action = None
            buried: list[int] = []
            if compute is not None:
                undo = {**before.to_json(), "suspended": sched.suspended, "flag": sched.flag,
                        "leech": sched.leech}
                after = compute(before)
                _apply_state(sched, after)
                action = leech(before, after) if leech is not None else None
                if action is not None:
                    sched.leech = True
                    if action == "suspend":
                        sched.suspended = True
                    elif action == "flag" and not sched.flag:
                        sched.flag = 1  # red, as Anki's leech flag
                if bury_siblings_until is not None:
                    buried = self._bury_siblings(session, card_pk, now, bury_siblings_until)
                    undo["buried_siblings"] = buried
            log = ReviewRow(card_id=card_pk, reviewed_at=now, mode=mode, rating=rating,
                            answer=answer, verdict=verdict, score=score,
                            duration_ms=max(0, int(duration_ms)), state_before=before.state,
                            schedule_before=undo, interval_before=_interval_days(before),
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
        with self.transaction() as session:
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
                _apply_state(sched, CardState.from_json(before))
                if "suspended" in before:
                    sched.suspended = bool(before["suspended"])
                    sched.flag = int(before.get("flag") or 0)
                    sched.leech = bool(before.get("leech"))
                siblings = [int(pk) for pk in before.get("buried_siblings") or ()]
                if siblings:
                    session.execute(update(ScheduleRow).where(ScheduleRow.card_id.in_(siblings))
                                    .values(buried_until=None))
            card_pk = log.card_id
            session.delete(log)
            return card_pk

    def set_suspended(self, card_pk: int, suspended: bool) -> None:
        """Suspend a card (never shown until unsuspended) or unsuspend it."""
        with self.transaction() as session:
            session.execute(update(ScheduleRow).where(ScheduleRow.card_id == card_pk)
                            .values(suspended=suspended))

    def bury(self, card_pk: int, until: datetime | None) -> None:
        """Hide a card until `until` (the next study day); None unburies it."""
        with self.transaction() as session:
            session.execute(update(ScheduleRow).where(ScheduleRow.card_id == card_pk)
                            .values(buried_until=until))

    # -- answers the user marked right ("I was right") ---------------------------------------

    def add_user_answer(self, card_pk: int, answer: str, now: datetime) -> bool:
        """Keep `answer` as one the user marked right for the card; False if already kept."""
        answer = answer.strip()
        if not answer:
            raise StoreError("an empty answer cannot be kept")
        with self.transaction() as session:
            if session.get(CardRow, card_pk) is None:
                raise StoreError(f"no card with id {card_pk}")
            found = session.scalar(select(UserAnswerRow.id).where(
                UserAnswerRow.card_id == card_pk, UserAnswerRow.answer == answer))
            if found is not None:
                return False
            session.add(UserAnswerRow(card_id=card_pk, answer=answer, created_at=now))
            return True

    def user_answers(self, card_pk: int) -> list[str]:
        """The answers the user marked right for a card, oldest first."""
        with self.reading() as session:
            return list(session.scalars(select(UserAnswerRow.answer).where(
                UserAnswerRow.card_id == card_pk).order_by(UserAnswerRow.id)))

    def user_answers_of(self, card_pks: Sequence[int]) -> dict[int, list[str]]:
        """The answers the user marked right, for several cards at once (one query per
        thousand cards), oldest first; cards without any are left out."""
        out: dict[int, list[str]] = {}
        pks = list(dict.fromkeys(card_pks))
        with self.reading() as session:
            for start in range(0, len(pks), 1000):
                rows = session.execute(select(UserAnswerRow.card_id, UserAnswerRow.answer).where(
                    UserAnswerRow.card_id.in_(pks[start:start + 1000])).order_by(UserAnswerRow.id))
                for card_id, answer in rows:
                    out.setdefault(int(card_id), []).append(answer)
        return out

    def remove_user_answer(self, card_pk: int, answer: str) -> bool:
        """Forget an answer the user marked right; False if it was not kept."""
        with self.transaction() as session:
            result = session.execute(delete(UserAnswerRow).where(
                UserAnswerRow.card_id == card_pk, UserAnswerRow.answer == answer.strip()))
            return bool(getattr(result, "rowcount", 0))

    def set_review_verdict(self, review_id: int, verdict: str, score: float) -> None:
        """Change a logged answer's verdict (a quiz answer the user marked right)."""
        with self.transaction() as session:
            session.execute(update(ReviewRow).where(ReviewRow.id == review_id)
                            .values(verdict=verdict, score=score))

    def reschedule(self, card_pk: int, state: CardState) -> None:
        """Overwrite a card's schedule (used to send quiz misses into today's review)."""
        with self.transaction() as session:
            sched = session.get(ScheduleRow, card_pk)
            if sched is None:
                raise StoreError(f"no card with id {card_pk}")
            _apply_state(sched, state)

    def reschedule_many(self, updates: Mapping[int, tuple[CardState, CardState]]) -> int:
        """Set many cards' schedules in one transaction: (expected, new) per card pk; a card whose
        stored state is no longer the expected one (answered meanwhile) is left as it is.
        Returns how many were changed."""
        changed = 0
        with self.transaction() as session:
            for pk, (expected, state) in updates.items():
                sched = session.get(ScheduleRow, pk)
                if sched is None or _state_from_row(sched) != expected:
                    continue
                _apply_state(sched, state)
                changed += 1
        return changed

    def reviews_per_day(self, ranges: Sequence[tuple[int, datetime, datetime]],
                        mode: str = "review") -> dict[int, int]:
        """Answers logged in each (index, start, end) range, by index; empty days left out."""
        from debrief.store import stats_queries

        with self.reading() as session:
            return stats_queries.reviews_per_day(session, ranges, mode)

    def history(self, card_pk: int) -> list[ReviewRecord]:
        """A card's logged answers, newest first."""
        with self.reading() as session:
            rows = session.scalars(select(ReviewRow).where(ReviewRow.card_id == card_pk)
                                   .order_by(ReviewRow.reviewed_at.desc(), ReviewRow.id.desc()))
            return [_review_record(r) for r in rows]

    def reviews_since(self, since: datetime | None = None, mode: str | None = None) -> list[ReviewRecord]:
        """Logged answers since `since` (all when None), oldest first."""
        query = select(ReviewRow).order_by(ReviewRow.reviewed_at, ReviewRow.id)
        if since is not None:
            query = query.where(ReviewRow.reviewed_at >= since)
        if mode is not None:
            query = query.where(ReviewRow.mode == mode)
        with self.reading() as session:
            return [_review_record(r) for r in session.scalars(query)]

    # -- Anki round trip ---------------------------------------------------------------------

    def card_flags(self, card_pks: Sequence[int]) -> dict[int, int]:
        """Each card's flag (0 none, 1-4 Anki's colours), by card pk; cards without one left out."""
        flags: dict[int, int] = {}
        with self.reading() as session:
            for start in range(0, len(card_pks), 500):
                chunk = list(card_pks[start:start + 500])
                flags.update(session.execute(
                    select(ScheduleRow.card_id, ScheduleRow.flag)
                    .where(ScheduleRow.card_id.in_(chunk), ScheduleRow.flag != 0)).all())
        return flags

    def rated_reviews(self, card_pks: Sequence[int]) -> dict[int, list[LoggedReview]]:
        """Each card's rated review-mode answers, oldest first, by card pk (for the Anki export)."""
        logs: dict[int, list[LoggedReview]] = {}
        r = ReviewRow
        with self.reading() as session:
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
                         replay: Callable[[CardState, int, datetime], CardState]) -> ReviewImport:
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
        with self.transaction() as session:
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
                                     "interval_before": _interval_days(state),
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

    # -- totals and settings ----------------------------------------------------------------

    def totals(self) -> dict[str, int]:
        """Cards (not retired) and logged answers, overall."""
        with self.reading() as session:
            cards = session.scalar(select(func.count()).select_from(CardRow).where(CardRow.retired.is_(False)))
            reviews = session.scalar(select(func.count()).select_from(ReviewRow).where(ReviewRow.mode == "review"))
            quiz_answers = session.scalar(select(func.count()).select_from(ReviewRow).where(ReviewRow.mode == "quiz"))
        return {"cards": int(cards or 0), "reviews": int(reviews or 0), "quiz_answers": int(quiz_answers or 0)}

    def get_meta(self, key: str) -> str | None:
        with self.reading() as session:
            row = session.get(MetaRow, key)
            return row.value if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        with self.transaction() as session:
            if value is None:
                session.execute(delete(MetaRow).where(MetaRow.key == key))
                return
            row = session.get(MetaRow, key)
            if row is None:
                session.add(MetaRow(key=key, value=value))
            else:
                row.value = value

    # -- quizzes (rows only; the quiz logic lives in the core) -------------------------------

    def start_quiz(self, now: datetime, settings: dict) -> int:
        with self.transaction() as session:
            row = QuizRow(started_at=now, settings=settings, score=0, total=0, seconds=0.0)
            session.add(row)
            session.flush()
            return row.id

    def finish_quiz(self, quiz_id: int, now: datetime, score: int, total: int, seconds: float,
                    extra: dict[str, object] | None = None) -> None:
        """Mark a quiz finished with its score; `extra` is merged into its settings (how it ended)."""
        with self.transaction() as session:
            values: dict[str, object] = {"finished_at": now, "score": score, "total": total,
                                         "seconds": seconds}
            if extra:
                row = session.get(QuizRow, quiz_id)
                values["settings"] = {**dict((row.settings if row else None) or {}), **extra}
            session.execute(update(QuizRow).where(QuizRow.id == quiz_id).values(**values))

    def discard_quiz(self, quiz_id: int) -> None:
        """Forget a quiz with no answer: its logged rows go, any schedule they moved is restored."""
        with self.transaction() as session:
            logs = list(session.scalars(select(ReviewRow).where(ReviewRow.quiz_id == quiz_id)
                                        .order_by(ReviewRow.id.desc())))
            for log in logs:
                if log.schedule_before is not None:
                    sched = session.get(ScheduleRow, log.card_id)
                    if sched is not None:
                        _apply_state(sched, CardState.from_json(log.schedule_before))
                session.delete(log)
            session.execute(delete(QuizRow).where(QuizRow.id == quiz_id))

    def quizzes(self, finished: bool = True) -> list[QuizRecord]:
        """Logged quizzes, oldest first; only finished ones unless `finished` is False."""
        query = select(QuizRow).order_by(QuizRow.started_at, QuizRow.id)
        if finished:
            query = query.where(QuizRow.finished_at.is_not(None))
        with self.reading() as session:
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
        with self.reading() as session:
            for quiz_id, deck, right, asked in session.execute(query):
                assert quiz_id is not None  # joined to its quiz
                counts.setdefault(quiz_id, {})[deck] = (int(right), int(asked))
        return counts

    def stats_figures(self, today: date, first_shown: date, rollover: int, forecast_days: int,
                      windows: dict[str, datetime], mature_days: int, hardest: int) -> StatsFigures:
        """Every figure the stats report needs, in one read transaction (see stats_queries)."""
        from debrief.store.stats_queries import read_figures

        with self.reading() as session:
            return read_figures(session, today, first_shown, rollover, forecast_days, windows,
                                mature_days, hardest)

    def quiz_answers(self, quiz_ids: Sequence[int] | None = None) -> list[QuizAnswer]:
        """Logged quiz answers with their card's deck, oldest first (of some quizzes, or all)."""
        r = ReviewRow
        query = (select(r.quiz_id, r.card_id, DeckRow.name, r.answer, r.verdict, r.duration_ms)
                 .join(CardRow, CardRow.id == r.card_id).join(DeckRow, DeckRow.id == CardRow.deck_id)
                 .where(r.mode == "quiz", r.quiz_id.is_not(None)).order_by(r.reviewed_at, r.id))
        answers: list[QuizAnswer] = []
        ids = None if quiz_ids is None else list(quiz_ids)
        with self.reading() as session:
            for start in range(0, len(ids) if ids is not None else 1, 500):
                chunk = query if ids is None else query.where(r.quiz_id.in_(ids[start:start + 500]))
                answers += [QuizAnswer(int(quiz_id or 0), card_id, deck, answer, verdict, ms)
                            for quiz_id, card_id, deck, answer, verdict, ms in session.execute(chunk)]
        return answers
