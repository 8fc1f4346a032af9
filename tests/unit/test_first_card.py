"""The review's fast first card (debrief.store.first_card) against the full store: the same card,
the same counts, the very same statements; and when the fast path must not be taken."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from debrief.cards import Card, Deck
from debrief.config import Settings
from debrief.scheduling import Rating
from debrief.session import ReviewSession
from debrief.store import HEAD, remember_bundled, startup_store
from debrief.store.first_card import (
    BUNDLED_KEY,
    FirstCardReader,
    StartupStore,
    code_head,
    deck_hash,
    files_fingerprint,
    sqlite_file,
)
from debrief.workspace import Workspace
from support.clocks import FakeClock, FakeTimer
from support.database import fresh_db


def _deck(name: str, n: int, groups: int = 0) -> Deck:
    cards = tuple(Card(id=f"{name}-{i}", deck=name, kind="text", prompt=f"{name} prompt {i}?",
                       answer=f"answer{i}", group=f"{name}-g{i % groups}" if i < 2 * groups else None)
                  for i in range(n))
    return Deck(name=name, title=name.title(), cards=cards)


def _answer(session: ReviewSession, rating: Rating) -> None:
    record = session.current
    assert record is not None
    session.submit(record.card.answer if rating is not Rating.AGAIN else "no idea")
    session.rate(rating)


SETTINGS = Settings(enable_fuzzing=False, new_per_day=6, reviews_per_day=9)
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def collection_file(tmp_path_factory, template_db) -> tuple[Path, datetime]:
    """Due review cards, new cards, learning cards (due now and within the learn-ahead window),
    buried siblings, a buried and a suspended card, and today's limits partly used: built once,
    each test works on a copy."""
    folder = tmp_path_factory.mktemp("first-card")
    clock = FakeClock(START)
    timer = FakeTimer()
    ws = Workspace.open(fresh_db(template_db, folder / "debrief.db"), clock=clock, sync=False)
    try:
        ws.settings = SETTINGS
        ws.store.decks.sync_decks([_deck("alpha", 40, groups=3), _deck("beta", 15)], clock())
        first = ReviewSession(ws, timer=timer, new_limit=30)
        for _ in range(24):
            _answer(first, Rating.EASY)  # review cards, due in days
        clock.advance(days=30)
        today = ReviewSession(ws, timer=timer)
        _answer(today, Rating.GOOD)  # a review (or new) card: today's allowance partly used
        _answer(today, Rating.AGAIN)  # relearning or learning again, due in minutes
        _answer(today, Rating.AGAIN)
        today.suspend()
        today.bury()
    finally:
        ws.store.close()
    return folder / "debrief.db", clock.now


@pytest.fixture
def collection(home, clock, collection_file) -> Iterator[Workspace]:
    source, now = collection_file
    clock.now = now
    ws = Workspace.open(fresh_db(source, home / "debrief.db"), clock=clock, sync=False)
    ws.settings = SETTINGS
    yield ws
    ws.store.close()


def _fast(ws: Workspace, opened: list[str]) -> tuple[Workspace, FirstCardReader]:
    """The same database through the fast path; `opened` records a call for the full store."""
    path = sqlite_file(ws.store.url)
    assert path is not None
    reader = FirstCardReader(path)
    reader.trace = []

    def open_full():
        opened.append("full")
        return ws.store

    store = StartupStore(ws.store.url, reader, open_full)
    return Workspace(store=store, settings=ws.settings, clock=ws.clock, home=ws.home), reader


def _sent(ws: Workspace) -> list[tuple[str, tuple]]:
    statements: list[tuple[str, tuple]] = []

    @event.listens_for(ws.store.db.engine, "before_cursor_execute")
    def record(_conn, _cursor, statement, parameters, _context, _many):
        if not statement.startswith(("BEGIN", "ROLLBACK", "COMMIT")):
            statements.append((statement, tuple(parameters)))

    return statements


NO_AHEAD = {"learn_ahead": timedelta(0)}
# name: (session options, clock moved by, settings changed)
SCENARIOS: dict[str, tuple[dict, dict, dict]] = {
    "all decks": ({}, {}, {}),
    "one deck": ({"decks": ["beta"]}, {}, {}),
    "two decks": ({"decks": ["beta", "alpha"]}, {}, NO_AHEAD),
    "session limit": ({"limit": 1}, {}, NO_AHEAD),
    "fewer new cards": ({"new_limit": 1}, {}, {"learn_ahead": timedelta(0), "reviews_per_day": 1}),
    "no new cards": ({"new_limit": 0}, {}, NO_AHEAD),
    "learning ahead": ({}, {"minutes": 5}, {}),
    "learning due": ({}, {"minutes": 12}, NO_AHEAD),
    "no learning due": ({}, {}, NO_AHEAD),
    "tomorrow": ({}, {"days": 1}, {}),
    "review limit used": ({}, {}, {"learn_ahead": timedelta(0), "reviews_per_day": 1}),
    "both limits used": ({}, {}, {"learn_ahead": timedelta(0), "reviews_per_day": 1,
                                  "new_per_day": 0}),
}


def _setup(ws: Workspace, clock, name: str) -> dict:
    options, moved, changed = SCENARIOS[name]
    if moved:
        clock.advance(**moved)
    if changed:
        ws.settings = replace(ws.settings, **changed)
    return options


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_fast_path_shows_the_same_first_card_and_counts(collection, clock, timer, name):
    options = _setup(collection, clock, name)
    sent = _sent(collection)
    full = ReviewSession(collection, timer=timer, **options)
    expected = (full.current, full.counts())
    opened: list[str] = []
    fast_ws, reader = _fast(collection, opened)
    fast = ReviewSession(fast_ws, timer=timer, **options)
    got = (fast.current, fast.counts())
    assert got == expected
    assert got[0] is not None or name == "both limits used"
    if got[0] is not None and expected[0] is not None:
        assert got[0].card.position == expected[0].card.position  # not part of Card's equality
    assert opened == []  # nothing needed the full store
    # The very statements the store sends, with the same parameters, in the same order.
    assert reader.trace == sent
    fast_ws.store.close()


def test_the_scenarios_cover_every_queue(collection, clock, timer):
    """The collection holds what the fast path must get right: learning, review and new cards
    first in some scenario, buried siblings and suspended cards left out."""
    kinds = set()
    for name in SCENARIOS:
        saved = (clock.now, collection.settings)
        options = _setup(collection, clock, name)
        record = ReviewSession(collection, timer=timer, **options).current
        kinds.add(record.state.state.value if record is not None else None)
        clock.now, collection.settings = saved
    assert {"new", "review", None} <= kinds and kinds & {"learning", "relearning"}
    records = collection.store.decks.cards()
    assert any(r.suspended for r in records)
    assert sum(1 for r in records if r.buried_until is not None) >= 2  # a bury and siblings


def test_writes_and_other_reads_open_the_full_store_first(collection, timer):
    opened: list[str] = []
    fast_ws, _reader = _fast(collection, opened)
    session = ReviewSession(fast_ws, timer=timer)
    assert session.current is not None and opened == []
    _answer(session, Rating.GOOD)  # the grader's words, the answer saved: the full store
    assert opened == ["full"]
    assert isinstance(fast_ws.store, StartupStore) and fast_ws.store.reader is None
    assert session.answers[-1].record.pk in {r.card_pk for r in collection.store.log.reviews_since()}
    fast_ws.store.close()


def test_an_unknown_deck_is_reported_by_the_store(collection, timer):
    from debrief.store import UnknownDeckError

    opened: list[str] = []
    fast_ws, _reader = _fast(collection, opened)
    with pytest.raises(UnknownDeckError, match="nope"):
        ReviewSession(fast_ws, ["nope"], timer=timer)
    assert opened == ["full"]
    fast_ws.store.close()


def test_a_failure_to_open_the_full_store_is_raised_to_every_caller(collection):
    path = sqlite_file(collection.store.url)
    assert path is not None

    def broken():
        raise RuntimeError("cannot open")

    store = StartupStore(collection.store.url, FirstCardReader(path), broken)
    for _ in range(2):
        with pytest.raises(RuntimeError, match="cannot open"):
            store.log.totals()
    store.close()


# -- when the fast path is taken -------------------------------------------------------------


def test_the_migrations_head_is_read_without_sqlalchemy():
    assert code_head() == HEAD


def test_deck_hash_is_the_one_the_sync_compares(ws, clock):
    deck = _deck("alpha", 3)
    ws.store.decks.sync_decks([deck], clock())
    db = sqlite3.connect(sqlite_file(ws.store.url))
    try:
        stored = db.execute("SELECT content_hash FROM decks WHERE name = 'alpha'").fetchone()[0]
    finally:
        db.close()
    assert stored == deck_hash(deck)


@pytest.fixture
def bundled(tmp_path, ws, clock) -> list[Path]:
    """Two deck files standing for the bundled decks, synced and remembered."""
    from debrief.deckfile import load_decks

    files = []
    for name in ("one", "two"):
        path = tmp_path / f"{name}.toml"
        path.write_text(f'[deck]\nname = "{name}"\ntitle = "{name}"\n\n[[cards]]\nid = "{name}-1"\n'
                        f'kind = "text"\nprompt = "p?"\nanswer = "a"\n', encoding="utf-8")
        files.append(path)
    fingerprint = files_fingerprint(files)
    decks = load_decks(files)
    ws.store.decks.sync_decks(decks, clock(), source="bundled")
    remember_bundled(ws.store, fingerprint, decks)
    return files


def _never():
    raise AssertionError("the full store was opened")


def test_a_database_in_step_with_its_bundled_decks_is_opened_fast(ws, bundled):
    store = startup_store(ws.store.url, bundled, _never)
    assert isinstance(store, StartupStore)
    store.close()


def test_an_edited_bundled_deck_file_takes_the_usual_path(ws, bundled):
    bundled[0].write_text(bundled[0].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert startup_store(ws.store.url, bundled, _never) is None


def test_a_deck_changed_in_the_database_takes_the_usual_path(ws, bundled, clock):
    ws.store.decks.sync_decks([_deck("one", 2)], clock())  # same name, other content
    assert startup_store(ws.store.url, bundled, _never) is None


def test_the_remembered_files_are_rewritten_only_when_they_change(ws, bundled):
    before = ws.store.meta.get_meta(BUNDLED_KEY)
    remember_bundled(ws.store, files_fingerprint(bundled), [])  # same files: kept as they were
    assert ws.store.meta.get_meta(BUNDLED_KEY) == before
    assert set(json.loads(before)["decks"]) == {"one", "two"}


def test_another_schema_revision_takes_the_usual_path(ws, bundled):
    path = sqlite_file(ws.store.url)
    assert path is not None
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE alembic_version SET version_num = '0001'")
    db.close()
    assert startup_store(ws.store.url, bundled, _never) is None


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://u:p@localhost/db", "sqlite://", "sqlite:///:memory:",
    "sqlite:///{db}?mode=ro", "sqlite+pysqlite:///{db}", "sqlite:///{missing}",
])
def test_other_urls_take_the_usual_path(tmp_path, url, ws, bundled):
    db = sqlite_file(ws.store.url)
    url = url.format(db=db, missing=tmp_path / "missing.db")
    assert startup_store(url, bundled, _never) is None
