"""A workspace: the store, settings, scheduler, grader and clock that every command shares."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

from debrief import locations
from debrief.clock import Clock, day_bounds, study_day, system_now
from debrief.config import Settings, load_settings
from debrief.deckfile import load_decks
from debrief.errors import DebriefError

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

    store: object  # debrief.store.Store (typed loosely so the core never imports SQLAlchemy)
    settings: Settings = field(default_factory=Settings)
    clock: Clock = system_now
    home: Path | None = None

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
        decks = load_decks(locations.bundled_deck_files())
        self.store.sync_decks(decks, self.now(), source="bundled")  # type: ignore[attr-defined]

    def now(self) -> datetime:
        return self.clock()

    def today(self):  # -> date
        return study_day(self.now(), self.settings.day_starts_at)

    def day_bounds(self, moment: datetime | None = None) -> tuple[datetime, datetime]:
        return day_bounds(moment or self.now(), self.settings.day_starts_at)

    @cached_property
    def scheduler(self):  # -> debrief.scheduling.Scheduler
        from debrief.scheduling import Scheduler

        return Scheduler(self.settings)

    @cached_property
    def planner(self):  # -> debrief.plan.Planner
        """Scheduling toward the interview date, if one is set (otherwise it changes nothing)."""
        from debrief.plan import Planner

        return Planner.for_workspace(self)

    @cached_property
    def grader(self):  # -> debrief.grading.Grader
        """A grader that knows every word of the store's cards as a real term."""
        from debrief.grading import Grader

        words: set[str] = set()
        # The texts alone: building every card's record took seconds on 100,000 cards.
        for text in self.store.card_texts():  # type: ignore[attr-defined]
            words.update(w.lower() for w in _WORD.findall(text))
        return Grader(sorted(words))

    def close(self) -> None:
        """Close the store, then make the automatic backup if one is due (SQLite only)."""
        from debrief.store.backup import backup_on_exit

        self.store.close()  # type: ignore[attr-defined]
        url = getattr(self.store, "url", "")
        if url:
            backup_on_exit(url)
