"""The database layer: the only package that imports SQLAlchemy."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from debrief.store.backup import BackupError, backup_before, backup_on_exit
    from debrief.store.db import (
        HEAD,
        KNOWN_REVISIONS,
        NewerDatabaseError,
        StoreError,
    )
    from debrief.store.decks import UnknownDeckError
    from debrief.store.first_card import (
        StartupStore,
        bundled_unchanged,
        files_fingerprint,
        remember_bundled,
        startup_store,
    )
    from debrief.store.queue import UndoError
    from debrief.store.repository import Store

# The front door: the core opens a database and asks for backups through these names only.
__all__ = [
    "HEAD", "KNOWN_REVISIONS", "BackupError", "NewerDatabaseError", "StartupStore", "Store",
    "StoreError", "UndoError", "UnknownDeckError", "backup_before", "backup_on_exit",
    "bundled_unchanged", "files_fingerprint", "open_store", "remember_bundled", "startup_store",
]

# Each name is imported from its module on first use: `debrief review` shows its first card
# through store.first_card (the standard library's sqlite3) before SQLAlchemy is loaded at all.
_WHERE = {
    "BackupError": "backup", "backup_before": "backup", "backup_on_exit": "backup",
    "HEAD": "db", "KNOWN_REVISIONS": "db", "NewerDatabaseError": "db", "StoreError": "db",
    "StartupStore": "first_card", "bundled_unchanged": "first_card",
    "files_fingerprint": "first_card",
    "remember_bundled": "first_card", "startup_store": "first_card",
    "Store": "repository", "UndoError": "queue", "UnknownDeckError": "decks",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def open_store(url: str, before_upgrade: Callable[[str | None], object] | None = None) -> Store:
    """Open (creating or migrating as needed) the database at `url`."""
    from debrief.store.db import make_engine, migrate
    from debrief.store.repository import Store

    engine = make_engine(url)
    try:
        migrate(engine, before_upgrade)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, url)
