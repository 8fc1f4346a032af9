"""The decks role: syncing deck files in, reading cards back, suspending, burying, flags,
and the answers the user marked right."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Text, and_, delete, func, or_, select, type_coerce, update
from sqlalchemy.orm import Session

from debrief.cards import Card, Deck
from debrief.importers.marks import AnkiMarks, Marks, MarksImport, Merged
from debrief.records import CardRecord, DeckSummary, SyncReport
from debrief.store.database import Role
from debrief.store.db import StoreError
from debrief.store.first_card import deck_hash as _deck_hash
from debrief.store.models import CardRow, DeckRow, ScheduleRow, UserAnswerRow
from debrief.store.rows import card_record, decode_json

if TYPE_CHECKING:
    from debrief.storage import Progress

# Cards written per transaction by a deck sync: well under a second of write lock each.
SYNC_BATCH = 2000


class UnknownDeckError(StoreError):
    """A deck name that is not in the store."""


def _answer_value(card: Card) -> object:
    return list(card.answer) if isinstance(card.answer, tuple) else card.answer


class DeckStore(Role):
    """Deck and card content (`storage.DeckStore`). Each public method is one short transaction."""

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
        hashes = self.content_hashes()
        for deck in decks:
            if hashes.get(deck.name) == _deck_hash(deck):
                report["unchanged"] += len(deck.cards)
                done += len(deck.cards)
                if progress:
                    progress(done, total)
                continue
            done = self._sync_deck(deck, now, source, report, done, total, progress)
        return SyncReport(decks=len(decks), **report)

    def _sync_deck(self, deck: Deck, now: datetime, source: str | None, report: dict[str, int],
                   done: int, total: int, progress: Progress | None) -> int:
        """Write one changed deck in batches; returns the running count of cards done."""
        digest = _deck_hash(deck)
        keys = [c.id for c in deck.cards]
        starts = list(range(0, len(deck.cards), SYNC_BATCH)) or [0]
        for start in starts:
            last = start == starts[-1]
            with self.db.transaction() as session:
                self.db.lock_for_sync(session)
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
        with self.db.reading() as session:
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
        with self.db.reading() as session:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start:start + 500])
                owners.update(session.execute(
                    select(CardRow.key, DeckRow.name).join(DeckRow, DeckRow.id == CardRow.deck_id)
                    .where(CardRow.key.in_(chunk))).all())
        return owners

    def decks(self) -> list[tuple[str, str]]:
        """(name, title) of every deck, by name."""
        with self.db.reading() as session:
            return list(session.execute(select(DeckRow.name, DeckRow.title).order_by(DeckRow.name)).all())

    def deck_sources(self) -> dict[str, str]:
        """The file each deck was last imported from, by name."""
        with self.db.reading() as session:
            return dict(session.execute(select(DeckRow.name, DeckRow.source)).all())

    def deck_descriptions(self) -> dict[str, str]:
        """Each deck's description, by name."""
        with self.db.reading() as session:
            return dict(session.execute(select(DeckRow.name, DeckRow.description)).all())

    def content_hashes(self) -> dict[str, str]:
        """Each deck's content hash, by name, as its last finished sync left it ("" while a
        sync is unfinished)."""
        with self.db.reading() as session:
            return {name: digest for name, digest in session.execute(
                select(DeckRow.name, DeckRow.content_hash))}

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
        with self.db.reading() as session:
            return [DeckSummary(name, title, int(total), int(new), int(due), int(learning), int(susp))
                    for name, title, total, new, due, learning, susp in session.execute(query)]

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
        with self.db.reading() as session:
            return [card_record(card, sched, name) for card, sched, name in session.execute(query)]

    def text_answers(self, deck_ids: list[int] | None = None) -> list[tuple[int, str, str]]:
        """(card pk, deck name, answer) of every live text card (optionally of some decks): the
        light read behind the grader's rivals, a few columns instead of every card's record."""
        query = (select(CardRow.id, DeckRow.name, CardRow.answer)
                 .join(DeckRow, DeckRow.id == CardRow.deck_id)
                 .where(CardRow.kind == "text", CardRow.retired.is_(False))
                 .order_by(DeckRow.name, CardRow.position))
        if deck_ids is not None:
            query = query.where(CardRow.deck_id.in_(deck_ids))
        with self.db.reading() as session:
            return [(pk, name, answer) for pk, name, answer in session.execute(query)
                    if isinstance(answer, str)]

    def card_texts(self) -> Iterator[str]:
        """Every text of the cards `cards()` lists (prompt, answer, accepted answers, options),
        read without building records: the grader's vocabulary of 100,000 cards in under a
        second instead of many."""
        # SQLite: the JSON columns as their stored text, decoded here only when not empty
        # (decoding 300,000 mostly empty lists was most of the time). PostgreSQL's driver
        # decodes JSON itself.
        columns: list[Any] = [CardRow.answer, CardRow.accept, CardRow.options]
        raw = self.db.is_sqlite
        if raw:
            columns = [type_coerce(column, Text) for column in columns]
        query = (select(CardRow.prompt, *columns)
                 .join(ScheduleRow, ScheduleRow.card_id == CardRow.id)
                 .join(DeckRow, DeckRow.id == CardRow.deck_id)
                 .where(CardRow.retired.is_(False)))
        with self.db.reading() as session:
            rows: Sequence[Any] = session.execute(query).all()
        decode: Callable[[Any], Any] = decode_json if raw else (lambda value: value)
        for prompt, answer, accept, options in rows:
            yield prompt
            value = decode(answer)
            yield ", ".join(value) if isinstance(value, list) else str(value)
            yield from decode(accept) or ()
            yield from decode(options) or ()

    def card(self, pk: int) -> CardRecord:
        """One card by its primary key."""
        with self.db.reading() as session:
            row = session.execute(
                select(CardRow, ScheduleRow, DeckRow.name)
                .join(ScheduleRow, ScheduleRow.card_id == CardRow.id)
                .join(DeckRow, DeckRow.id == CardRow.deck_id)
                .where(CardRow.id == pk)).first()
            if row is None:
                raise StoreError(f"no card with id {pk}")
            return card_record(*row)

    def set_suspended(self, card_pk: int, suspended: bool, at: datetime) -> None:
        """Suspend a card (never shown until unsuspended) or unsuspend it; `at` (the workspace's
        clock) is kept as when it was marked, for imports from Anki to compare."""
        with self.db.transaction() as session:
            session.execute(update(ScheduleRow).where(ScheduleRow.card_id == card_pk)
                            .values(suspended=suspended, marked_at=at))

    def set_flag(self, card_pks: Sequence[int], flag: int, at: datetime) -> None:
        """Set the flag of cards (1-4, Anki's red, orange, green, blue) or clear it (0); the
        schedule and history stay as they are. `at` as for `set_suspended`."""
        if flag not in (0, 1, 2, 3, 4):
            raise StoreError(f"a flag is 0 (none) or 1-4, not {flag}")
        with self.db.transaction() as session:
            pks = list(card_pks)
            for start in range(0, len(pks), 500):  # under SQLite's bound-parameter limit
                session.execute(update(ScheduleRow)
                                .where(ScheduleRow.card_id.in_(pks[start:start + 500]))
                                .values(flag=flag, marked_at=at))

    def bury(self, card_pk: int, until: datetime | None, at: datetime) -> None:
        """Hide a card until `until` (the next study day); None unburies it. `at` as for
        `set_suspended`."""
        with self.db.transaction() as session:
            session.execute(update(ScheduleRow).where(ScheduleRow.card_id == card_pk)
                            .values(buried_until=until, marked_at=at))

    def merge_anki_marks(self, marks: Sequence[AnkiMarks],
                         merge: Callable[[Marks, AnkiMarks], Merged]) -> MarksImport:
        """Bring back the suspension, flag and burial cards were given in Anki: `merge` (the
        rule, `importers.marks.merge_marks`) decides each card's marks from debrief's and
        Anki's. One transaction; cards not in the store are left out."""
        s = ScheduleRow
        merged_all: list[Merged] = []
        with self.db.transaction() as session:
            keys = sorted({item.card_key for item in marks})
            rows: dict[str, tuple[int, Marks]] = {}
            for start in range(0, len(keys), 500):
                for key, pk, suspended, flag, buried_until, marked_at, anki_marks, leech in (
                        session.execute(
                            select(CardRow.key, s.card_id, s.suspended, s.flag, s.buried_until,
                                   s.marked_at, s.anki_marks, s.leech)
                            .join(s, s.card_id == CardRow.id)
                            .where(CardRow.key.in_(keys[start:start + 500])))):
                    rows[key] = (pk, Marks(bool(suspended), int(flag or 0), buried_until,
                                           marked_at, anki_marks, bool(leech)))
            changes: list[dict[str, object]] = []
            for item in marks:
                if item.card_key not in rows:
                    continue
                pk, ours = rows[item.card_key]
                merged = merge(ours, item)
                merged_all.append(merged)
                if merged.marks != ours:
                    after = merged.marks
                    changes.append({"card_id": pk, "suspended": after.suspended,
                                    "flag": after.flag, "buried_until": after.buried_until,
                                    "marked_at": after.marked_at, "anki_marks": after.anki_marks})
            if changes:
                session.execute(update(s), changes)
        return MarksImport.of(merged_all)

    def add_user_answer(self, card_pk: int, answer: str, now: datetime) -> bool:
        """Keep `answer` as one the user marked right for the card; False if already kept."""
        answer = answer.strip()
        if not answer:
            raise StoreError("an empty answer cannot be kept")
        with self.db.transaction() as session:
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
        with self.db.reading() as session:
            return list(session.scalars(select(UserAnswerRow.answer).where(
                UserAnswerRow.card_id == card_pk).order_by(UserAnswerRow.id)))

    def user_answers_of(self, card_pks: Sequence[int]) -> dict[int, list[str]]:
        """The answers the user marked right, for several cards at once (one query per
        thousand cards), oldest first; cards without any are left out."""
        out: dict[int, list[str]] = {}
        pks = list(dict.fromkeys(card_pks))
        with self.db.reading() as session:
            for start in range(0, len(pks), 1000):
                rows = session.execute(select(UserAnswerRow.card_id, UserAnswerRow.answer).where(
                    UserAnswerRow.card_id.in_(pks[start:start + 1000])).order_by(UserAnswerRow.id))
                for card_id, answer in rows:
                    out.setdefault(int(card_id), []).append(answer)
        return out

    def remove_user_answer(self, card_pk: int, answer: str) -> bool:
        """Forget an answer the user marked right; False if it was not kept."""
        with self.db.transaction() as session:
            result = session.execute(delete(UserAnswerRow).where(
                UserAnswerRow.card_id == card_pk, UserAnswerRow.answer == answer.strip()))
            return bool(getattr(result, "rowcount", 0))

    def card_flags(self, card_pks: Sequence[int]) -> dict[int, int]:
        """Each card's flag (0 none, 1-4 Anki's colours), by card pk; cards without one left out."""
        flags: dict[int, int] = {}
        with self.db.reading() as session:
            for start in range(0, len(card_pks), 500):
                chunk = list(card_pks[start:start + 500])
                flags.update(session.execute(
                    select(ScheduleRow.card_id, ScheduleRow.flag)
                    .where(ScheduleRow.card_id.in_(chunk), ScheduleRow.flag != 0)).all())
        return flags
