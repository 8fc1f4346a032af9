"""Database upkeep: SQLite online backups and integrity checks, and repair of invalid rows (any backend)."""

from __future__ import annotations

import math
import os
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import SupportsFloat, cast
from urllib.parse import quote

from sqlalchemy import Engine, String, delete, func, insert, select, type_coerce, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from debrief.store.db import BUSY_TIMEOUT_MS, PG_SCHEMA_LOCK, StoreError
from debrief.store.models import CardRow, DeckRow, QuizRow, ReviewRow, ScheduleRow

STATES = ("new", "learning", "relearning", "review")
RECOVERED_DECK = "recovered"
# FSRS bounds (py-fsrs): difficulty lives in [1, 10]; stability is a positive number of days.
MIN_DIFFICULTY, MAX_DIFFICULTY = 1.0, 10.0
MAX_INTERVAL = timedelta(days=36_500)


class DamagedDatabaseError(StoreError):
    """The SQLite file is not a database, or fails its integrity check."""


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL; None for another backend or an in-memory database."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _uri(path: Path, mode: str) -> str:
    return f"file:{quote(str(path.resolve()))}?mode={mode}"


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection that never creates the file."""
    connection = sqlite3.connect(_uri(path, "ro"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                 isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return connection


def header_problem(path: Path) -> str | None:
    """Why `path` is not an SQLite database file at first sight (None: it may be one).

    Looks with stat() only, never by opening the file: closing any descriptor of a database
    file drops every POSIX lock this process holds on it, including those of open SQLite
    connections, and another process may then checkpoint or delete the WAL under them
    (SQLite's "How To Corrupt An SQLite Database File", 2.2). The contents are SQLite's to read.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return "it does not exist"
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    if stat.S_ISDIR(info.st_mode):
        return "it is a directory"
    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file"
    if info.st_size == 0:
        # SQLite would take an empty file for a new database; debrief never writes one (see
        # db.create_sqlite_file), so an empty file is a damaged or truncated database.
        return "it is empty (0 bytes)"
    if not os.access(path, os.R_OK):
        return "it cannot be read (permission denied)"
    return None


def _sqlite_problem(exc: sqlite3.Error) -> str:
    message = str(exc)
    if "file is not a database" in message:
        return "it is not an SQLite database"
    return message


def integrity_problems(path: Path, full: bool = False) -> list[str]:
    """What `PRAGMA quick_check` (or `integrity_check` when `full`) finds wrong; [] when fine."""
    problem = header_problem(path)
    if problem:
        return [problem]
    pragma = "integrity_check" if full else "quick_check"
    try:
        connection = connect_readonly(path)
        try:
            rows = [str(r[0]) for r in connection.execute(f"PRAGMA {pragma}").fetchall()]
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return [_sqlite_problem(exc)]
    return [] if rows == ["ok"] else rows


def schema_revision(path: Path) -> str | None:
    """The Alembic revision stamped in a SQLite file (None when it has none)."""
    connection = connect_readonly(path)
    try:
        has = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                 "AND name = 'alembic_version'").fetchone()
        if not has:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    finally:
        connection.close()


@dataclass(frozen=True)
class Contents:
    """What a debrief SQLite file holds, in a few numbers (for listings and change detection)."""

    cards: int
    reviews: int
    last_review: str | None
    fingerprint: tuple

    @property
    def last_review_at(self) -> datetime | None:
        if not self.last_review:
            return None
        try:
            return datetime.fromisoformat(self.last_review).replace(tzinfo=UTC)
        except ValueError:
            return None


def contents(path: Path) -> Contents:
    """Counts and a change fingerprint of a debrief SQLite file, read without writing."""
    connection = connect_readonly(path)
    try:
        cards = connection.execute("SELECT count(*) FROM cards WHERE NOT retired").fetchone()[0]
        reviews, last_id, last_at = connection.execute(
            "SELECT count(*), coalesce(max(id), 0), max(reviewed_at) FROM reviews").fetchone()
        schedules = connection.execute(
            "SELECT count(*), coalesce(sum(suspended), 0), max(buried_until), max(last_review) "
            "FROM schedules").fetchone()
        decks = connection.execute("SELECT count(*), max(updated_at) FROM decks").fetchone()
        meta = connection.execute("SELECT count(*), coalesce(sum(length(value)), 0) FROM meta").fetchone()
    finally:
        connection.close()
    fingerprint = (int(reviews), int(last_id), tuple(schedules), tuple(decks), tuple(meta))
    return Contents(cards=int(cards), reviews=int(reviews),
                    last_review=str(last_at) if last_at else None, fingerprint=fingerprint)


def fsync_path(path: Path) -> None:
    """Flush a file (or a directory's entries) to disk, where the platform allows it."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if path.is_dir() else os.O_RDONLY
    try:
        fd = os.open(path, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _copy_checked(source: Path, target: Path, journal_mode: str) -> list[str]:
    """Copy SQLite file `source` to a new `target` with the online backup API, in
    `journal_mode`, and return what `quick_check` says of the copy (["ok"] when sound)."""
    src = connect_readonly(source)
    try:
        dst = sqlite3.connect(str(target), isolation_level=None)
        try:
            src.backup(dst)
            dst.execute(f"PRAGMA journal_mode={journal_mode}")
            return [r[0] for r in dst.execute("PRAGMA quick_check").fetchall()]
        finally:
            dst.close()
    finally:
        src.close()


def backup_file(source: Path, target: Path) -> None:
    """Copy a live SQLite database to `target` with SQLite's online backup API.

    Safe while other processes write to `source` (a plain file copy of a WAL database is not).
    The copy is a self-contained file (rollback journal mode, no -wal/-shm beside it), checked
    with `quick_check` and flushed to disk. `target` must not exist.
    """
    rows = _copy_checked(source, target, "DELETE")
    if rows != ["ok"]:
        target.unlink(missing_ok=True)
        raise DamagedDatabaseError(f"the backup copy failed its check ({'; '.join(rows[:3])})")
    fsync_path(target)


def restore_file(backup: Path, target: Path) -> bool:
    """Put a copy of `backup` at `target`, which must not exist; False if one appeared meanwhile.

    The copy is written under a temporary name (SQLite's backup API, then WAL mode) and linked
    into place, so no process ever sees a half-written or empty file at `target`.
    """
    temp = target.with_name(f".{target.name}.restore-{os.getpid()}")
    for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm"), Path(f"{temp}-journal")):
        leftover.unlink(missing_ok=True)
    try:
        rows = _copy_checked(backup, temp, "WAL")
        if rows != ["ok"]:
            raise DamagedDatabaseError(f"the restored copy failed its check ({'; '.join(rows[:3])})")
        fsync_path(temp)
        try:
            os.link(temp, target)
        except FileExistsError:
            return False
        fsync_path(target.parent)
        return True
    finally:
        temp.unlink(missing_ok=True)


def replace_contents(backup: Path, target: Path, before: Callable[[], object] | None = None) -> None:
    """Replace everything in the live SQLite database `target` with `backup`, in one transaction.

    The transaction holds `target`'s write lock from before `before()` runs (the safety backup)
    to the commit, so no answer another debrief acknowledges can fall between that backup and
    the swap: it either commits first (and is in the safety backup) or waits and lands in the
    restored data. Other processes keep their connections and see the restored data at their
    next transaction; nothing is renamed or deleted under them.
    """
    connection = sqlite3.connect(str(target), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                 uri=False)
    try:
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys=OFF")  # tables are dropped and refilled in turn
        connection.execute("ATTACH DATABASE ? AS restored", (_uri(backup, "ro"),))
        connection.execute("BEGIN IMMEDIATE")
        try:
            if before is not None:
                before()
            _swap_schema_and_rows(connection)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        connection.execute("DETACH DATABASE restored")
        rows = [r[0] for r in connection.execute("PRAGMA quick_check").fetchall()]
    finally:
        connection.close()
    if rows != ["ok"]:
        raise DamagedDatabaseError(f"the restored database failed its check ({'; '.join(rows[:3])})")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _swap_schema_and_rows(connection: sqlite3.Connection) -> None:
    """Inside the caller's transaction: drop main's schema, recreate restored's, copy its rows."""
    user = "type IN ('table', 'view', 'index', 'trigger') AND name NOT LIKE 'sqlite_%'"
    for kind, name in connection.execute(
            f"SELECT type, name FROM main.sqlite_master WHERE {user} AND type IN ('view', 'table') "
            "ORDER BY type = 'table'").fetchall():
        # Dropping a table drops its indexes and triggers with it.
        connection.execute(f"DROP {kind.upper()} IF EXISTS main.{_quoted(name)}")
    schema = connection.execute(
        f"SELECT type, name, sql FROM restored.sqlite_master WHERE {user} AND sql IS NOT NULL "
        "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 2 ELSE 3 END, rowid").fetchall()
    tables = [name for kind, name, _sql in schema if kind == "table"]
    for kind, _name, sql in schema:
        if kind == "table":
            connection.execute(sql)  # unqualified CREATE: made in main
    for name in tables:
        connection.execute(f"INSERT INTO main.{_quoted(name)} SELECT * FROM restored.{_quoted(name)}")
    for kind, _name, sql in schema:
        if kind != "table":
            connection.execute(sql)
    has_sequence = {
        alias: bool(connection.execute(f"SELECT 1 FROM {alias}.sqlite_master "
                                       "WHERE name = 'sqlite_sequence'").fetchone())
        for alias in ("main", "restored")}
    if has_sequence["main"]:
        connection.execute("DELETE FROM main.sqlite_sequence")
        if has_sequence["restored"]:
            connection.execute("INSERT INTO main.sqlite_sequence SELECT * FROM restored.sqlite_sequence")
    version = int(connection.execute("PRAGMA restored.user_version").fetchone()[0])
    connection.execute(f"PRAGMA main.user_version = {version}")


def foreign_key_problems(engine: Engine) -> int:
    """Rows whose foreign keys point nowhere (SQLite only; PostgreSQL enforces them always)."""
    if engine.dialect.name != "sqlite":
        return 0
    with engine.connect() as connection:
        return len(connection.exec_driver_sql("PRAGMA foreign_key_check").all())


# -- repairs ---------------------------------------------------------------------------------


@dataclass
class RepairReport:
    """What `repair` changed, as (description, count) in a fixed order; empty when all was well."""

    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, what: str, count: int) -> None:
        if count:
            self.counts[what] = self.counts.get(what, 0) + int(count)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _as_datetime(value: object) -> datetime | None:
    """A stored datetime read without SQLAlchemy's parser (so a garbled value cannot raise)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _finite(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(cast("SupportsFloat | str", value))  # anything else raises TypeError
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _schedule_fix(row, now: datetime) -> tuple[str, dict] | None:
    """The change one schedule row needs, as (reason, new values), or None when it is valid."""
    reps, lapses = row.reps, row.lapses
    counts: dict[str, int] = {}
    if not isinstance(reps, int) or reps < 0:
        counts["reps"] = 0
    if not isinstance(lapses, int) or lapses < 0:
        counts["lapses"] = 0
    reset = {"state": "new", "step": None, "stability": None, "difficulty": None, "due": None,
             "last_review": None, **counts}
    if row.state not in STATES:
        return "unknown state: reset to new", reset
    if row.state == "new":
        return ("negative counters", counts) if counts else None
    stability = _finite(row.stability)
    difficulty = _finite(row.difficulty)
    if stability is None or stability <= 0 or difficulty is None:
        return "impossible stability or difficulty: reset to new (history kept)", reset
    values: dict[str, object] = dict(counts)
    if not MIN_DIFFICULTY <= difficulty <= MAX_DIFFICULTY:
        values["difficulty"] = min(MAX_DIFFICULTY, max(MIN_DIFFICULTY, difficulty))
    due = _as_datetime(row.due)
    if due is None or due > now + MAX_INTERVAL + timedelta(days=1):
        values["due"] = now
    if row.last_review is not None and _as_datetime(row.last_review) is None:
        values["last_review"] = None
    step = row.step
    if row.state in ("learning", "relearning") and (not isinstance(step, int) or step < 0):
        values["step"] = 0
    if row.state == "review" and step is not None:
        values["step"] = None
    if not values:
        return None
    return "impossible schedule values: corrected", values


def repair(engine: Engine, now: datetime) -> RepairReport:
    """Find and repair invalid rows in one transaction; returns what was changed.

    Reviews of cards that no longer exist are removed (a backup made before the check keeps
    them); cards without a deck are kept, retired, in a deck named `recovered`; cards without a
    schedule get a new one; schedules with impossible values are corrected or reset to new.
    """
    report = RepairReport()
    s, c, r = ScheduleRow.__table__, CardRow.__table__, ReviewRow.__table__
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Hold off deck syncs (their advisory lock) and answers (EXCLUSIVE conflicts with the
            # FOR UPDATE an answer starts with, so one waits for the other instead of deadlocking).
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_SCHEMA_LOCK})")
            connection.exec_driver_sql("LOCK TABLE schedules, cards, reviews IN EXCLUSIVE MODE")
        card_ids = select(c.c.id)
        result = connection.execute(delete(r).where(r.c.card_id.not_in(card_ids)))
        report.add("reviews of missing cards removed", result.rowcount or 0)
        result = connection.execute(update(r).where(
            r.c.quiz_id.is_not(None), r.c.quiz_id.not_in(select(QuizRow.__table__.c.id)))
            .values(quiz_id=None))
        report.add("reviews pointing to a missing quiz unlinked", result.rowcount or 0)
        result = connection.execute(update(r).where(
            r.c.rating.is_not(None), r.c.rating.not_in((1, 2, 3, 4))).values(rating=None))
        report.add("reviews with an impossible rating cleared", result.rowcount or 0)
        result = connection.execute(update(r).where(r.c.duration_ms < 0).values(duration_ms=0))
        report.add("reviews with a negative duration set to 0", result.rowcount or 0)

        result = connection.execute(delete(s).where(s.c.card_id.not_in(card_ids)))
        report.add("schedules of missing cards removed", result.rowcount or 0)

        orphans = connection.execute(select(c.c.id).where(
            c.c.deck_id.not_in(select(DeckRow.__table__.c.id)))).scalars().all()
        if orphans:
            deck_id = connection.scalar(select(DeckRow.__table__.c.id)
                                        .where(DeckRow.__table__.c.name == RECOVERED_DECK))
            if deck_id is None:
                inserted = connection.execute(insert(DeckRow.__table__).values(
                    name=RECOVERED_DECK, title="Recovered cards (from debrief check)",
                    description="Cards whose deck was missing; their history is kept.",
                    source="check", content_hash="", created_at=now, updated_at=now)
                ).inserted_primary_key
                assert inserted is not None  # a single-row INSERT always has one
                deck_id = inserted[0]
            connection.execute(update(c).where(c.c.id.in_(orphans))
                               .values(deck_id=deck_id, retired=True, updated_at=now))
            report.add(f"cards without a deck moved to deck {RECOVERED_DECK!r} (retired)", len(orphans))

        missing = connection.execute(select(c.c.id, c.c.position).where(
            c.c.id.not_in(select(s.c.card_id)))).all()
        if missing:
            connection.execute(insert(s), [
                {"card_id": card_id, "state": "new", "step": None, "stability": None,
                 "difficulty": None, "due": None, "last_review": None, "reps": 0, "lapses": 0,
                 "new_position": position or 0, "suspended": False, "buried_until": None}
                for card_id, position in missing])
            report.add("cards without a schedule given one (as new)", len(missing))

        # Raw column values: a garbled datetime must be reported and fixed, not crash the reader.
        rows = connection.execute(select(
            s.c.card_id, s.c.state, s.c.step, s.c.stability, s.c.difficulty,
            type_coerce(s.c.due, String).label("due"),
            type_coerce(s.c.last_review, String).label("last_review"), s.c.reps, s.c.lapses)).all()
        for row in rows:
            fix = _schedule_fix(row, now)
            if fix is None:
                continue
            reason, values = fix
            connection.execute(update(s).where(s.c.card_id == row.card_id).values(**values))
            report.add(f"schedules with {reason}", 1)
    return report


def totals(engine: Engine) -> dict[str, int]:
    """Row counts of the main tables (for the check report)."""
    with engine.connect() as connection:
        return {
            "cards": int(connection.scalar(select(func.count()).select_from(CardRow.__table__)) or 0),
            "reviews": int(connection.scalar(select(func.count()).select_from(ReviewRow.__table__)) or 0),
        }
