"""The database layer: the only package that imports SQLAlchemy."""

from __future__ import annotations

from collections.abc import Callable

from debrief.store.backup import BackupError, backup_before, backup_on_exit
from debrief.store.db import (
    HEAD,
    KNOWN_REVISIONS,
    NewerDatabaseError,
    StoreError,
    make_engine,
    migrate,
)
from debrief.store.decks import UnknownDeckError
from debrief.store.queue import UndoError
from debrief.store.repository import Store

# The front door: the core opens a database and asks for backups through these names only.
__all__ = [
    "HEAD", "KNOWN_REVISIONS", "BackupError", "NewerDatabaseError", "Store", "StoreError",
    "UndoError", "UnknownDeckError", "backup_before", "backup_on_exit", "open_store",
]


def open_store(url: str, before_upgrade: Callable[[str | None], object] | None = None) -> Store:
    """Open (creating or migrating as needed) the database at `url`."""
    engine = make_engine(url)
    try:
        migrate(engine, before_upgrade)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, url)
