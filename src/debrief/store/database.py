"""The database every store role shares: one engine, its read-only twin, and the transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from debrief.store.db import PG_SCHEMA_LOCK, READ_ONLY_OPTION, friendly_error


class Database:
    """One engine and how to use it: a write transaction, a read-only one, the writers' lock.
    Every role (decks, queue, log, quizzes, meta) receives the same `Database`, so there is one
    connection pool and one place where driver errors become `StoreError`."""

    def __init__(self, engine: Engine, url: str = ""):
        self.engine = engine
        self.url = url
        self._reader = engine.execution_options(**{READ_ONLY_OPTION: True})

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is SQLite (some statements differ from PostgreSQL's)."""
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

    def lock_for_sync(self, session: Session) -> None:
        """Serialise deck syncs across processes, inside `session`'s transaction."""
        if not self.is_sqlite:
            # Two processes syncing the same decks at once (two terminals starting): the second
            # waits, then finds the rows the first added. SQLite's BEGIN IMMEDIATE does this.
            session.execute(text(f"SELECT pg_advisory_xact_lock({PG_SCHEMA_LOCK})"))

    def close(self) -> None:
        """Close every pooled connection (the store is not used after this)."""
        self.engine.dispose()


class Role:
    """A part of the store that owns one role's reads and writes over the shared `Database`
    (as Anki's collection hands one backend to its decks, sched and tags managers)."""

    def __init__(self, db: Database):
        self.db = db
