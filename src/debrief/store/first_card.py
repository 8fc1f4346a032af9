"""The review's first card without SQLAlchemy: read-only SQLite reads, then the full store.

`debrief review` in the app spent most of its start-up importing SQLAlchemy (more than all of
Textual) before it could read one card. On a SQLite database that is already at this version's
schema and whose bundled decks are in sync, `startup_store` answers the few reads the review
queue makes up to its first card (and its counts) through the standard library's sqlite3, and
opens the full store (SQLAlchemy, the migration check, the deck sync) on first need of anything
else: the app asks for it in a worker once the card is on screen, and every write waits for it.

The statements are the very ones the store sends for the same calls (the same SQL text, the
same parameters, in the same order; a unit test holds them together), so the queue's order,
limits and buried siblings cannot drift between the two paths. This module imports no
SQLAlchemy, and nothing here writes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from debrief.cards import Card, CardKind, Deck, ScheduleState
from debrief.records import CardRecord
from debrief.scheduling import CardState

if TYPE_CHECKING:
    from debrief.storage import Store

# A quick read that fails for any of these is asked of the full store instead, which says what
# is wrong in its own words (a damaged file, say) or reads what the quick path could not.
FALLBACK = (sqlite3.Error, ValueError, TypeError, KeyError)
BUNDLED_KEY = "bundled_decks"  # meta: the bundled deck files last synced, and their content hashes
BUSY_TIMEOUT_S = 10.0
VERSIONS = Path(__file__).parent / "migrations" / "versions"

# The store's statements, as SQLAlchemy compiles them for SQLite (tests compare them to what the
# store sends). `{decks}` is ` AND cards.deck_id IN (?, ...)` when the reads are for some decks.
_CARD_COLUMNS = (
    'cards.id, cards."key", cards.deck_id, cards.kind, cards.prompt, cards.answer, cards.accept, '
    "cards.options, cards.min_items, cards.explanation, cards.tags, cards.position, cards.retired, "
    "cards.group_key, cards.keywords, cards.rubric, cards.created_at, cards.updated_at, "
    "schedules.card_id, schedules.state, schedules.step, schedules.stability, "
    "schedules.difficulty, schedules.due, schedules.last_review, schedules.reps, schedules.lapses, "
    "schedules.new_position, schedules.suspended, schedules.buried_until, schedules.flag, "
    "schedules.leech, schedules.marked_at, schedules.anki_marks, decks.name"
)
_ACTIVE = ("cards.retired IS 0 AND schedules.suspended IS 0 AND (schedules.buried_until IS NULL "
           "OR schedules.buried_until <= ?){decks}")
NEXT_CARDS = (
    f"SELECT {_CARD_COLUMNS} \nFROM cards JOIN schedules ON schedules.card_id = cards.id "
    f"JOIN decks ON decks.id = cards.deck_id \nWHERE {_ACTIVE} AND schedules.state = ?{{due}} "
    "ORDER BY {order}\n LIMIT ? OFFSET ?"
)
DUE_ORDER = "schedules.due, schedules.card_id"
NEW_ORDER = "schedules.new_position, cards.deck_id, cards.id"
COUNT_STATE = (
    "SELECT count(*) AS count_1 \nFROM (SELECT 1 \nFROM schedules \nWHERE schedules.state = ?{due} "
    "AND schedules.suspended IS 0 AND (schedules.buried_until IS NULL OR schedules.buried_until "
    "<= ?) AND (schedules.card_id NOT IN (SELECT cards.id \nFROM cards \nWHERE cards.retired = 1))"
    "{limit}) AS anon_1"
)
COUNT_DECKS = (
    "SELECT count(*) FILTER (WHERE schedules.state IN (?, ?) AND schedules.due < ?) AS anon_1, "
    "count(*) FILTER (WHERE schedules.state = ? AND schedules.due < ?) AS anon_2, "
    "count(*) FILTER (WHERE schedules.state = ?) AS anon_3 \nFROM cards JOIN schedules ON "
    f"schedules.card_id = cards.id \nWHERE {_ACTIVE}"
)
STUDIED_TODAY = (
    "SELECT count(*) FILTER (WHERE reviews.state_before = ?) AS anon_1, count(*) FILTER (WHERE "
    "reviews.state_before = ?) AS anon_2, count(*) AS count_1 \nFROM reviews \nWHERE reviews.mode = "
    "? AND reviews.reviewed_at >= ?"
)
GET_META = 'SELECT meta."key", meta.value \nFROM meta \nWHERE meta."key" = ?'
DECK_IDS = "SELECT decks.name, decks.id \nFROM decks \nWHERE decks.name IN ({names})"


def code_head() -> str:
    """This version's schema revision: the newest migration file's number (as db.HEAD; a test
    keeps the two equal), read without importing the store's SQLAlchemy modules."""
    return max(path.name.split("_", 1)[0] for path in VERSIONS.glob("[0-9]*_*.py"))


def deck_hash(deck: Deck) -> str:
    """A deck's content hash, as the store keeps it: a sync rewrites a deck only when it differs."""
    payload = json.dumps([deck.title, deck.description, [c.to_json() for c in deck.cards]],
                         sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def files_fingerprint(paths: Iterable[Path]) -> list[list[Any]]:
    """Each file's path, size and modification time: changes whenever a file is edited."""
    out: list[list[Any]] = []
    for path in paths:
        info = path.stat()
        out.append([str(path), info.st_size, info.st_mtime_ns])
    return out


def remember_bundled(store: Store, fingerprint: list[list[Any]], decks: Sequence[Deck]) -> None:
    """After a sync of the bundled `decks` (read from files with `fingerprint`), keep which
    content they had, so a later start can tell without parsing the files that a sync would
    change nothing. Writes only when it changed."""
    raw = store.meta.get_meta(BUNDLED_KEY)
    try:
        known = json.loads(raw) if raw else None
    except ValueError:
        known = None
    if isinstance(known, dict) and known.get("files") == fingerprint:
        return  # the same files: the hashes are those already kept
    value = {"files": fingerprint, "decks": {deck.name: deck_hash(deck) for deck in decks}}
    store.meta.set_meta(BUNDLED_KEY, json.dumps(value, sort_keys=True))


def sqlite_file(url: str) -> Path | None:
    """The file of a plain `sqlite:///PATH` URL (None for anything else: another backend, a
    driver or query options, an in-memory database)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix):]
    if not path or path == ":memory:":
        return None
    return Path(path)


def _to_db(value: datetime) -> str:
    """A datetime as the store writes it (naive UTC, SQLAlchemy's SQLite format)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    v = value.astimezone(UTC)
    return (f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}:"
            f"{v.second:02d}.{v.microsecond:06d}")


def _from_db(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def _json(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def _record(row: sqlite3.Row) -> CardRecord:
    """A card row with its schedule, as the store's records are built from the same columns."""
    answer = _json(row["answer"])
    card = Card(
        id=row["key"], deck=row["name"], kind=CardKind(row["kind"]), prompt=row["prompt"],
        answer=tuple(answer) if isinstance(answer, list) else str(answer),
        accept=tuple(_json(row["accept"]) or ()), options=tuple(_json(row["options"]) or ()),
        min_items=row["min_items"], explanation=row["explanation"] or "",
        tags=tuple(_json(row["tags"]) or ()), position=row["position"], group=row["group_key"],
        keywords=tuple(_json(row["keywords"]) or ()), rubric=tuple(_json(row["rubric"]) or ()),
    )
    state = CardState(
        state=ScheduleState(row["state"]), step=row["step"], stability=row["stability"],
        difficulty=row["difficulty"], due=_from_db(row["due"]),
        last_review=_from_db(row["last_review"]), reps=row["reps"], lapses=row["lapses"],
    )
    return CardRecord(pk=row["id"], card=card, state=state, suspended=bool(row["suspended"]),
                      buried_until=_from_db(row["buried_until"]), retired=bool(row["retired"]),
                      leech=bool(row["leech"]))


class FirstCardReader:
    """Read-only SQLite access for the queue's first reads (one connection, no write ever)."""

    def __init__(self, path: Path) -> None:
        # Opened read-write but never written (query_only): a read-only open of a WAL database
        # fails when its -shm file is missing. Autocommit: each read is its own snapshot, as
        # each of the store's reads is its own transaction.
        self.connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                          check_same_thread=False)
        self.connection.row_factory = sqlite3.Row
        self.connection.execute("PRAGMA query_only=1")
        # Every statement and its parameters, when a test asks (to compare with the store's).
        self.trace: list[tuple[str, tuple[Any, ...]]] | None = None

    def close(self) -> None:
        self.connection.close()

    def _rows(self, sql: str, params: Sequence[Any]) -> list[sqlite3.Row]:
        if self.trace is not None:
            self.trace.append((sql, tuple(params)))
        return self.connection.execute(sql, tuple(params)).fetchall()

    def schema_revision(self) -> str | None:
        try:
            rows = self._rows("SELECT version_num FROM alembic_version", ())
        except sqlite3.OperationalError:
            return None  # no such table: empty, or not a debrief database
        return rows[0][0] if rows else None

    def deck_hashes(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self._rows("SELECT name, content_hash FROM decks", ())}

    # -- the store's reads (same signatures, same statements) ---------------------------------

    def deck_ids(self, names: Iterable[str] | None) -> list[int] | None:
        """The ids of the named decks, or None when one is unknown (the store says which)."""
        if names is None:
            return None
        wanted = list(dict.fromkeys(names))
        if not wanted:
            return None
        sql = DECK_IDS.format(names=", ".join("?" * len(wanted)))
        found = {row[0]: row[1] for row in self._rows(sql, wanted)}
        if len(found) != len(wanted):
            return None
        return [found[n] for n in wanted]

    def get_meta(self, key: str) -> str | None:
        rows = self._rows(GET_META, (key,))
        return rows[0][1] if rows else None

    def studied_today(self, day_start: datetime) -> dict[str, int]:
        new, review, total = self._rows(STUDIED_TODAY,
                                        ("new", "review", "review", _to_db(day_start)))[0]
        return {"new": int(new), "review": int(review), "total": int(total)}

    def next_cards(self, now: datetime, day_end: datetime, deck_ids: list[int] | None,
                   kind: str, limit: int = 1) -> list[CardRecord]:
        decks = list(deck_ids or ())
        active = [_to_db(now), *decks]
        where = {"decks": f" AND cards.deck_id IN ({', '.join('?' * len(decks))})" if decks else ""}
        if kind == "new":
            queries = [(NEXT_CARDS.format(due="", order=NEW_ORDER, **where),
                        [*active, "new", limit, 0])]
        else:
            states = ("review",) if kind == "review" else ("learning", "relearning")
            sql = NEXT_CARDS.format(due=" AND schedules.due < ?", order=DUE_ORDER, **where)
            queries = [(sql, [*active, state, _to_db(day_end), limit, 0]) for state in states]
        records = [_record(row) for sql, params in queries for row in self._rows(sql, params)]
        if len(queries) > 1:
            records.sort(key=lambda r: (r.state.due, r.pk))
        return records[:limit]

    def queue_counts(self, now: datetime, day_end: datetime, deck_ids: list[int] | None,
                     caps: Mapping[str, int] | None = None) -> dict[str, int]:
        caps = caps or {}
        end, at = _to_db(day_end), _to_db(now)
        if deck_ids is not None:
            sql = COUNT_DECKS.format(decks=f" AND cards.deck_id IN ({', '.join('?' * len(deck_ids))})")
            learning, review, new = self._rows(sql, ["learning", "relearning", end, "review", end,
                                                     "new", at, *deck_ids])[0]
            found = {"learning": int(learning), "review": int(review), "new": int(new)}
            return {queue: min(count, caps.get(queue, count)) for queue, count in found.items()}
        queues = {"learning": ("learning", "relearning"), "review": ("review",), "new": ("new",)}
        counts: dict[str, int] = {}
        for queue, states in queues.items():
            cap = caps.get(queue)
            counts[queue] = 0
            for state in states:
                if cap is not None and counts[queue] >= cap:
                    break
                due = "" if state == "new" else " AND schedules.due < ?"
                params: list[Any] = [state, *(() if state == "new" else (end,)), at]
                limit = ""
                if cap is not None:
                    limit = "\n LIMIT ? OFFSET ?"
                    params += [cap - counts[queue], 0]
                counts[queue] += int(self._rows(COUNT_STATE.format(due=due, limit=limit),
                                                params)[0][0])
        return counts


def startup_store(url: str, bundled: Sequence[Path], open_full: Callable[[], Store]) -> StartupStore | None:
    """A store that reads the first card through sqlite3, or None when the full store must
    open first: not a plain SQLite file, a schema other than this version's (a migration, or a
    newer debrief to refuse), bundled deck files that changed since their last sync (the sync
    may change the queue), or anything unreadable (the full store then says what is wrong)."""
    path = sqlite_file(url)
    if path is None or not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        reader = FirstCardReader(path)
    except sqlite3.Error:
        return None
    try:
        if reader.schema_revision() != code_head() or not _bundled_in_sync(reader, bundled):
            reader.close()
            return None
    except (*FALLBACK, OSError):
        reader.close()
        return None
    return StartupStore(url, reader, open_full)


def _bundled_in_sync(reader: FirstCardReader, bundled: Sequence[Path]) -> bool:
    return _in_sync(reader.get_meta(BUNDLED_KEY), files_fingerprint(bundled), reader.deck_hashes)


def bundled_unchanged(store: Store, fingerprint: list[list[Any]]) -> bool:
    """Whether a sync of the bundled deck files (with `fingerprint`) would change nothing: the
    same files as the last sync, and every deck they hold still as that sync left it."""
    try:
        return _in_sync(store.meta.get_meta(BUNDLED_KEY), fingerprint, store.decks.content_hashes)
    except ValueError:  # a damaged note: sync, which writes it afresh
        return False


def _in_sync(raw: str | None, fingerprint: list[list[Any]],
             stored_hashes: Callable[[], Mapping[str, str]]) -> bool:
    known = json.loads(raw) if raw else None
    if not isinstance(known, dict) or known.get("files") != fingerprint:
        return False
    decks = known.get("decks")
    stored = stored_hashes()
    return isinstance(decks, dict) and all(stored.get(name) == digest
                                           for name, digest in decks.items())


class StartupStore:
    """The store of a review opened fast: the queue's first reads from `FirstCardReader`; the
    full store (opened once, by whichever thread needs it first) for everything else, and for
    every read too once it is open. Writes always go to the full store, so the schema check
    and the bundled decks' sync come before any write."""

    def __init__(self, url: str, reader: FirstCardReader, open_full: Callable[[], Store]) -> None:
        self.url = url
        self._reader: FirstCardReader | None = reader
        self._open_full = open_full
        self._full: Store | None = None
        self._error: BaseException | None = None
        self._closed = False
        self._lock = threading.Lock()  # the reader's connection, one statement at a time
        self._opening = threading.Lock()  # one thread opens the full store; the others wait

    @property
    def reader(self) -> FirstCardReader | None:
        """The sqlite3 reader while the full store is not open yet."""
        return self._reader

    @property
    def is_open(self) -> bool:
        """Whether the full store is open (or failed to open)."""
        return self._full is not None or self._error is not None

    def full(self) -> Store:
        """The full store, opened here if nobody has yet (an error opening it is raised again
        to every later caller). The reader keeps answering other threads while it opens."""
        with self._opening:
            if self._full is None and self._error is None:
                if self._closed:
                    raise RuntimeError("the store is closed")
                try:
                    full = self._open_full()
                except BaseException as exc:
                    self._error = exc
                else:
                    with self._lock:
                        self._full = full
                with self._lock:
                    if self._reader is not None:
                        self._reader.close()
                        self._reader = None
        if self._error is not None:
            raise self._error
        assert self._full is not None
        return self._full

    def _quick(self) -> FirstCardReader | None:
        """The reader, while the full store is not open and the reader can answer."""
        return self._reader if self._full is None and self._error is None else None

    def close(self) -> None:
        with self._opening, self._lock:
            self._closed = True
            if self._reader is not None:
                self._reader.close()
                self._reader = None
            if self._full is not None:
                self._full.close()

    # -- the reads served before the full store is open ---------------------------------------

    def deck_ids(self, names: Iterable[str] | None) -> list[int] | None:
        names = None if names is None else list(names)
        with self._lock:
            reader = self._quick()
            if reader is not None:
                try:
                    found = reader.deck_ids(names)
                except FALLBACK:
                    found = None
                if found is not None or not names:
                    return found
        return self.full().decks.deck_ids(names)  # an unknown deck: the store's error names the decks

    def get_meta(self, key: str) -> str | None:
        with self._lock:
            reader = self._quick()
            if reader is not None:
                try:
                    return reader.get_meta(key)
                except FALLBACK:
                    pass
        return self.full().meta.get_meta(key)

    def studied_today(self, day_start: datetime, deck_ids: list[int] | None = None) -> dict[str, int]:
        with self._lock:
            reader = self._quick()
            if reader is not None and deck_ids is None:
                try:
                    return reader.studied_today(day_start)
                except FALLBACK:
                    pass
        return self.full().queue.studied_today(day_start, deck_ids)

    def next_cards(self, now: datetime, day_end: datetime, deck_ids: list[int] | None,
                   kind: str, limit: int = 1, exclude: Sequence[int] = ()) -> list[CardRecord]:
        with self._lock:
            reader = self._quick()
            if reader is not None and not exclude:
                try:
                    return reader.next_cards(now, day_end, deck_ids, kind, limit)
                except FALLBACK:
                    pass
        return self.full().queue.next_cards(now, day_end, deck_ids, kind, limit, exclude)

    def queue_counts(self, now: datetime, day_end: datetime, deck_ids: list[int] | None,
                     caps: Mapping[str, int] | None = None) -> dict[str, int]:
        with self._lock:
            reader = self._quick()
            if reader is not None:
                try:
                    return reader.queue_counts(now, day_end, deck_ids, caps)
                except FALLBACK:
                    pass
        return self.full().queue.queue_counts(now, day_end, deck_ids, caps)

    # -- the store's roles: the quick reads above where a role has them, the full store's else --

    @property
    def decks(self) -> Any:
        return _QuickRole(self, "decks", ("deck_ids",))

    @property
    def queue(self) -> Any:
        return _QuickRole(self, "queue", ("next_cards", "queue_counts", "studied_today"))

    @property
    def meta(self) -> Any:
        return _QuickRole(self, "meta", ("get_meta",))

    @property
    def log(self) -> Any:
        return self.full().log

    @property
    def quizzes(self) -> Any:
        return self.full().quizzes

    def __getattr__(self, name: str) -> Any:
        # Everything else (the database, tests' helpers) is the full store's.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.full(), name)


class _QuickRole:
    """One role of a `StartupStore`: the reads named in `quick` go to the startup store (the
    sqlite3 reader until the full store is open), everything else to the full store's role."""

    def __init__(self, owner: StartupStore, role: str, quick: tuple[str, ...]) -> None:
        self._owner = owner
        self._role = role
        self._quick = quick

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._quick:
            return getattr(self._owner, name)
        return getattr(getattr(self._owner.full(), self._role), name)
