"""A workspace: the store, settings, scheduler, grader and clock that every command shares."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from debrief import locations
from debrief.clock import Clock, day_bounds, study_day, system_now
from debrief.config import Settings, load_settings
from debrief.errors import DebriefError

if TYPE_CHECKING:
    from debrief.grading import Grader
    from debrief.plan import Planner
    from debrief.scheduling import Scheduler
    from debrief.storage import Store

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]{2,}")


class DataDirError(DebriefError):
    """The data directory cannot be created or written."""


def prepare_data_dir() -> Path:
    """Create the data dir if needed and check it is writable (one clear error otherwise)."""
    home = locations.data_dir()
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirError(f"cannot create data directory {home}: {exc.strerror or exc}") from exc
    if not os.access(home, os.W_OK | os.X_OK):
        raise DataDirError(f"data directory {home} is not writable")
    return home


@dataclass
class Workspace:
    """Everything a command needs, opened once. Time and the database URL are parameters."""

    store: Store  # debrief.store.Store implements it; the Protocol keeps SQLAlchemy out of the core
    settings: Settings = field(default_factory=Settings)
    clock: Clock = system_now
    home: Path | None = None
    _planner: Planner | None = field(default=None, init=False, repr=False, compare=False)
    # The plan panel rebuilds the planner from a worker thread while the UI thread reviews.
    _planner_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False,
                                          compare=False)

    @classmethod
    def open(cls, db_url: str | None = None, clock: Clock = system_now, sync: bool = True,
             before_upgrade: Callable[[str | None], None] | None = None) -> Workspace:
        """Open the data dir and database (migrating it), and sync the bundled decks."""
        from debrief.store import open_store

        home = prepare_data_dir()
        settings = load_settings(locations.config_path())
        url = locations.database_url(db_url)
        store = open_store(url, before_upgrade=before_upgrade)
        workspace = cls(store=store, settings=settings, clock=clock, home=home)
        if sync:
            workspace.sync_bundled()
        return workspace

    def sync_bundled(self) -> None:
        """Bring the bundled decks into the store (cheap when nothing changed)."""
        sync_bundled(self.store, self.now())

    def now(self) -> datetime:
        """The workspace's clock (a parameter, so tests pin it)."""
        return self.clock()

    def today(self) -> date:
        return study_day(self.now(), self.settings.day_starts_at)

    def day_bounds(self, moment: datetime | None = None) -> tuple[datetime, datetime]:
        return day_bounds(moment or self.now(), self.settings.day_starts_at)

    @cached_property
    def scheduler(self) -> Scheduler:
        from debrief.scheduling import Scheduler

        return Scheduler(self.settings)

    @property
    def planner(self) -> Planner:
        """Scheduling toward the interview date, if one is set (otherwise it changes nothing)."""
        with self._planner_lock:
            if self._planner is None:
                self._planner = self._read_planner()
            return self._planner

    def reload_planner(self) -> Planner:
        """Re-read the interview date from the store (it changed here, in another screen's
        worker thread or in another process) and return the planner for it. Thread-safe."""
        planner = self._read_planner()
        with self._planner_lock:
            self._planner = planner
        return planner

    def _read_planner(self) -> Planner:
        from debrief.plan import Planner

        return Planner.for_workspace(self)

    @cached_property
    def grader(self) -> Grader:
        """A grader that knows every word of the store's cards as a real term."""
        from debrief.grading import Grader

        # The texts alone: building every card's record took seconds on 100,000 cards. One
        # search over all of them, newline-joined (no word spans a newline): a search per text
        # was twice as slow, and the first answer of a session waits for this.
        texts = "\n".join(self.store.decks.card_texts())
        words = {word.lower() for word in _WORD.findall(texts)}
        return Grader(sorted(words))

    def close(self) -> None:
        """Close the store, then make the automatic backup if one is due (SQLite only)."""
        from debrief.store import backup_on_exit

        self.store.close()
        url = self.store.url
        if url:
            backup_on_exit(url)


def sync_bundled(store: Store, now: datetime) -> None:
    """Bring the bundled decks into `store`, and note which files they came from (so that
    `open_for_review` can tell the next time, without reading them, that nothing changed)."""
    from debrief.store import bundled_unchanged, files_fingerprint, remember_bundled

    files = locations.bundled_deck_files()
    fingerprint = files_fingerprint(files)  # before reading: a file edited meanwhile shows next time
    if bundled_unchanged(store, fingerprint):
        return  # nothing to do, known without parsing the files (~0.08 s of every command's start)
    from debrief.deckfile import load_decks  # not on the way to a review's first card

    decks = load_decks(files)
    store.decks.sync_decks(decks, now, source="bundled")
    remember_bundled(store, fingerprint, decks)


def open_for_review(url: str | None,
                    clock: Clock = system_now) -> tuple[Workspace, Callable[[], Store]] | None:
    """The workspace for a review in the app, its store reading the first card without
    SQLAlchemy (see debrief.store.first_card), or None when the usual `open_workspace` must run
    first (not a SQLite file, a migration due, bundled decks changed). The full store opens, with
    the same migration check, backup and deck sync as `open_workspace`, on first need, or when
    the function returned beside the workspace is called (in a worker, once the card is shown)."""
    from debrief.store import startup_store

    home = prepare_data_dir()
    settings = load_settings(locations.config_path())
    resolved = locations.database_url(url)

    def open_full() -> Store:
        from debrief.store import backup_before, open_store

        store = open_store(resolved, before_upgrade=lambda _rev: backup_before("migration", resolved))
        try:
            sync_bundled(store, clock())
        except BaseException:
            store.close()
            raise
        return store

    store = startup_store(resolved, locations.bundled_deck_files(), open_full)
    if store is None:
        return None
    return Workspace(store=store, settings=settings, clock=clock, home=home), store.full


def open_workspace(url: str | None, **kwargs: Any) -> Workspace:
    """Open the workspace, making a backup before a schema migration (SQLite files only)."""
    from debrief import locations

    resolved = locations.database_url(url)

    def backup_before_upgrade(_revision: str | None) -> None:
        from debrief.store import backup_before

        backup_before("migration", resolved)

    return Workspace.open(url, before_upgrade=backup_before_upgrade, **kwargs)
