"""The store: one manager per role over one shared database, as Anki's collection composes its."""

from __future__ import annotations

from sqlalchemy import Engine

from debrief.store.database import Database
from debrief.store.decks import DeckStore
from debrief.store.log import LogStore
from debrief.store.meta import MetaStore
from debrief.store.queue import QueueStore
from debrief.store.quizzes import QuizStore


class Store:
    """All database access, by role: `decks` (deck and card content), `queue` (what is due, and
    saving an answer), `log` (the review log and its figures), `quizzes`, and `meta` (small
    settings), like Anki's `col.decks`, `col.sched`. Each role's public methods are one short
    transaction; every role shares `db` (one engine, one way to open a transaction)."""

    def __init__(self, engine: Engine, url: str = ""):
        self.db = Database(engine, url)
        self.decks = DeckStore(self.db)
        self.queue = QueueStore(self.db)
        self.log = LogStore(self.db)
        self.quizzes = QuizStore(self.db)
        self.meta = MetaStore(self.db)

    @property
    def url(self) -> str:
        """The database URL it was opened with."""
        return self.db.url

    def close(self) -> None:
        """Close the database (every role shares it)."""
        self.db.close()
