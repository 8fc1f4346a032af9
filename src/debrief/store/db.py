"""Opening a database: engine settings per backend, schema version checks and migrations."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from debrief.errors import DatabaseBusyError, DebriefError
from debrief.locations import redact

# Every schema revision this version of debrief knows, oldest first. A database stamped with a
# revision outside this list was written by a newer debrief and is refused, never downgraded.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")
HEAD = KNOWN_REVISIONS[-1]
BUSY_TIMEOUT_MS = 10_000
PG_CONNECT_TIMEOUT_S = 10
PG_STATEMENT_TIMEOUT_MS = 120_000  # far above any one statement debrief runs (imports are batched)
READ_ONLY_OPTION = "debrief_read_only"
PG_SCHEMA_LOCK = 0x64656272  # advisory lock key for migrations and deck syncs ("debr")


class StoreError(DebriefError):
    """A database problem to show the user in one line."""


class BusyError(StoreError, DatabaseBusyError):
    """Another process held the write lock longer than the busy timeout."""


class NewerDatabaseError(StoreError):
    """The database was written by a newer version of debrief."""


def restore_hint() -> str:
    return "run `debrief restore` to restore a backup"


def make_engine(url: str) -> Engine:
    """An engine for `url`, configured for safe concurrent use (SQLite: WAL, FKs, BEGIN IMMEDIATE)."""
    shown = redact(url)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"bad database URL {shown!r}: expected e.g. sqlite:///path/to/debrief.db") from exc
    except ValueError as exc:  # a port that is not a number
        raise StoreError(f"bad database URL {shown!r}: the port must be a number") from exc
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            _check_sqlite_path(Path(database))
        try:
            engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000,
                                                         "isolation_level": None})
        except (NoSuchModuleError, ArgumentError) as exc:
            raise StoreError(f"bad database URL {shown!r}: {exc}") from exc
        _configure_sqlite(engine)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True, connect_args=_pg_timeouts(parsed))
    except (NoSuchModuleError, ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use database URL {shown!r}: {exc}") from exc


def _pg_timeouts(parsed: URL) -> dict[str, object]:
    """Connect and statement timeouts for PostgreSQL, so a server that does not answer (stopped,
    unreachable) ends a command with one line instead of hanging it. Settings in the URL win."""
    if parsed.get_backend_name() != "postgresql":
        return {}
    query = parsed.query
    args: dict[str, object] = {}
    if "connect_timeout" not in query:
        args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    options = query.get("options", "")
    options = " ".join(options) if isinstance(options, tuple) else options
    if "statement_timeout" not in options:
        # connect_args replace the URL's own `options`, so those are carried over.
        args["options"] = f"{options} -c statement_timeout={PG_STATEMENT_TIMEOUT_MS}".strip()
    return args


def _check_sqlite_path(path: Path) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create data directory {folder}: {exc.strerror or exc}") from exc
    if path.is_dir():
        raise StoreError(f"database path {path} is a directory")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(f"data directory {folder} is not writable (SQLite needs to write its "
                         "journal files beside the database)")
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise StoreError(f"database {path} is read-only or unreadable; make it readable and "
                             f"writable (chmod u+rw {path})")
        if path.stat().st_size == 0:
            # SQLite would silently start an empty database in it, and the automatic backups
            # of that empty database would then rotate the good ones out.
            raise StoreError(f"the database {path} is empty (0 bytes): it was truncated or damaged, "
                             f"so it is not opened as a new database; {restore_hint()}, or "
                             "delete the file to start afresh")
        return
    create_sqlite_file(path)


def create_sqlite_file(path: Path) -> None:
    """Create a new, empty SQLite database at `path` atomically, already in WAL mode.

    It is made under a temporary name and linked into place, so no other process can ever see
    a zero-byte file at `path` (which debrief refuses as damaged). An existing file is kept.
    """
    temp = path.with_name(f".{path.name}.new-{os.getpid()}")
    for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm"), Path(f"{temp}-journal")):
        leftover.unlink(missing_ok=True)
    try:
        connection = sqlite3.connect(temp, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")  # writes the header: 4096 bytes
        finally:
            connection.close()
        try:
            os.link(temp, path)
        except FileExistsError:
            pass  # another debrief created it first: use that one
    except sqlite3.Error as exc:
        raise StoreError(f"cannot create the database {path}: {exc}") from exc
    except OSError as exc:
        raise StoreError(f"cannot create the database {path}: {exc.strerror or exc}") from exc
    finally:
        temp.unlink(missing_ok=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # The driver's own transaction handling is off; SQLAlchemy's `begin` below takes over, so
        # DDL is transactional and every transaction takes the write lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # Writers take the write lock up front (a deferred BEGIN that later writes fails at once
        # with "database is locked"); readers never need it: in WAL mode they read a snapshot
        # while another process writes.
        if connection.get_execution_options().get(READ_ONLY_OPTION):
            connection.exec_driver_sql("BEGIN DEFERRED")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def schema_revision(engine: Engine) -> str | None:
    """The schema revision stamped in the database, or None for an empty database."""
    # A read transaction: opening debrief never waits for another process's write lock.
    with engine.execution_options(**{READ_ONLY_OPTION: True}).connect() as connection:
        # One catalog read, so a migration committed by another process between two reads
        # cannot make a half-seen schema look foreign (PostgreSQL reads are not serialised).
        tables = inspect(connection).get_table_names()
        if "alembic_version" not in tables:
            if tables:
                raise StoreError("this database was not made by debrief (it has tables but no "
                                 "debrief schema); point --db or DEBRIEF_HOME elsewhere")
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return rows[0][0] if rows else None


def migrate(engine: Engine, before_upgrade: Callable[[str | None], object] | None = None) -> None:
    """Bring the schema to HEAD; refuse a database newer than this debrief."""
    try:
        current = schema_revision(engine)
    except DBAPIError as exc:  # OperationalError included
        raise _friendly(exc, engine.url.database) from exc
    if current == HEAD:
        return
    if current is not None and current not in KNOWN_REVISIONS:
        raise NewerDatabaseError(
            f"this database was written by a newer version of debrief (schema {current}); "
            "upgrade debrief to open it")
    if current is not None and before_upgrade is not None:
        before_upgrade(current)
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two processes starting on a fresh or old database: the second waits here, then
            # Alembic sees the schema already at HEAD. (SQLite: BEGIN IMMEDIATE serialises.)
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_SCHEMA_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, HEAD)


FULL_BELOW_BYTES = 256 * 1024  # free space under which a write's I/O error is a full disk


def _disk_full(database: str | None) -> bool:
    """Whether the file system holding SQLite file `database` has (next to) no space left."""
    if not database or database == ":memory:":
        return False
    try:
        info = os.statvfs(Path(database).resolve().parent)
    except OSError:
        return False
    return info.f_bavail * info.f_frsize < FULL_BELOW_BYTES


def _friendly(exc: DBAPIError, database: str | None = None) -> StoreError:
    """Turn a driver error into one clear line (`database`: the SQLite file, when there is one)."""
    message = str(exc.orig) if exc.orig is not None else str(exc)
    lowered = message.lower()
    # SQLite says "database or disk is full", or only "disk I/O error" when the WAL or its index
    # cannot grow: either way, say what the user can act on.
    if "disk is full" in lowered or ("disk i/o error" in lowered and _disk_full(database)):
        return StoreError("the disk holding the database is full: free some space and try again "
                          "(every answer saved before this one is kept)")
    if "file is not a database" in lowered or "malformed" in lowered or "not a database" in lowered:
        return StoreError(f"the database file is damaged or not a debrief database ({message}); "
                          f"{restore_hint()}")
    if "timeout expired" in lowered or "connection timeout" in lowered:
        return StoreError(f"the database server did not answer within {PG_CONNECT_TIMEOUT_S} s "
                          "(is it running and reachable?)")
    if "statement timeout" in lowered:
        return StoreError(f"the database server took more than {PG_STATEMENT_TIMEOUT_MS // 1000} s "
                          "to answer (statement timeout); try again, or check the server")
    if "connection" in lowered and ("refused" in lowered or "failed" in lowered):
        return StoreError(f"cannot connect to the database server: {message.splitlines()[-1].strip()}")
    if "unable to open database" in lowered:
        return StoreError(f"cannot open the database: {message}")
    if "locked" in lowered or "busy" in lowered:
        return BusyError("the database is busy in another debrief process; try again in a moment")
    return StoreError(f"database error: {message.splitlines()[0] if message else type(exc).__name__}")


friendly_error = _friendly
