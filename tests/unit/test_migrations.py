"""Schema migrations: the revision list matches Alembic's, a 0001 database upgrades with nothing lost
(backed up first), a failed upgrade changes nothing, and a newer database is refused."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from debrief.store import HEAD, KNOWN_REVISIONS, NewerDatabaseError, StoreError, open_store
from debrief.store.db import make_engine, migrate, schema_revision
from support.schema import FIXTURE, dump

MIGRATIONS = Path(__file__).resolve().parents[2] / "src" / "debrief" / "store" / "migrations"


def alembic_config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config




def test_known_revisions_match_the_alembic_script_directory():
    script = ScriptDirectory.from_config(alembic_config())
    history = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert tuple(history) == KNOWN_REVISIONS
    assert script.get_heads() == [HEAD]


def test_the_fixture_was_made_with_the_first_schema():
    db = sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True)
    try:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == KNOWN_REVISIONS[0]
        assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 7
    finally:
        db.close()


def test_a_0001_database_upgrades_with_nothing_lost(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(FIXTURE, path)
    before = dump(path)
    store = open_store(f"sqlite:///{path}")
    try:
        assert schema_revision(store.db.engine) == HEAD
        records = {r.card.id: r for r in store.decks.cards(include_retired=True)}
        assert records["legacy-3"].card.answer == ("precision", "recall", "F1")
        assert records["legacy-1"].state.due == datetime(2026, 1, 20, 9, tzinfo=UTC)
        assert records["legacy-3"].suspended is True and records["legacy-5"].retired is True
        assert len(store.log.reviews_since()) == 7
    finally:
        store.close()
    assert dump(path) == before
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM reviews WHERE schedule_before IS NULL").fetchone()[0] == 2
        indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"ix_reviews_reviewed_at", "ix_reviews_recent"} <= indexes
        # 0004 back-fills each answer's interval before it from the logged schedule.
        rows = db.execute("SELECT schedule_before, interval_before FROM reviews").fetchall()
        for schedule, interval in rows:
            data = json.loads(schedule) if schedule else None
            if data and data.get("due") and data.get("last_review"):
                expected = (datetime.fromisoformat(data["due"]) -
                            datetime.fromisoformat(data["last_review"])).total_seconds() / 86400
                assert interval == pytest.approx(expected, abs=1e-6)
            else:
                assert interval is None
    finally:
        db.close()




def _insert_0001_rows(connection) -> None:
    """Rows as debrief 0001 wrote them (JSON null for no schedule change), through plain SQL."""
    at = "2026-01-05 09:00:00"
    connection.execute(text(
        "INSERT INTO decks (id, name, title, description, source, content_hash, created_at, updated_at)"
        " VALUES (1, 'old', 'Old deck', '', 'x.toml', 'h', :at, :at)"), {"at": at})
    connection.execute(text(
        "INSERT INTO cards (id, key, deck_id, kind, prompt, answer, accept, options, min_items,"
        " explanation, tags, position, retired, created_at, updated_at) VALUES"
        " (1, 'old-1', 1, 'list', 'Two metrics?', :answer, '[]', '[]', 2, '', '[\"x\"]', 0, false, :at, :at)"),
        {"answer": json.dumps(["precision", "recall"]), "at": at})
    connection.execute(text(
        "INSERT INTO schedules VALUES (1, 'review', NULL, 3.5, 5.0, :at, :at, 2, 0, 0, false, NULL)"),
        {"at": at})
    connection.execute(text(
        "INSERT INTO reviews (id, card_id, reviewed_at, mode, rating, answer, verdict, score,"
        " duration_ms, state_before, schedule_before, quiz_id) VALUES"
        " (1, 1, :at, 'review', 3, 'a', 'correct', 1.0, 100, 'new', :before, NULL),"
        " (2, 1, :at, 'quiz', NULL, 'b', 'wrong', 0.0, 200, 'review', 'null', NULL)"),
        {"at": at, "before": json.dumps({"state": "new", "reps": 0, "lapses": 0})})


def _stamp_0001(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), KNOWN_REVISIONS[0])
            _insert_0001_rows(connection)
    finally:
        engine.dispose()


def test_every_backend_upgrades_0001_data(db_url):
    _stamp_0001(db_url)
    calls: list[str | None] = []
    engine = make_engine(db_url)
    try:
        migrate(engine, before_upgrade=calls.append)
        assert calls == [KNOWN_REVISIONS[0]]
        assert schema_revision(engine) == HEAD
    finally:
        engine.dispose()
    store = open_store(db_url)
    try:
        (record,) = store.decks.cards()
        assert record.card.answer == ("precision", "recall") and record.card.tags == ("x",)
        assert record.state.stability == 3.5
        assert sorted(r.mode for r in store.log.history(record.pk)) == ["quiz", "review"]
        with store.db.engine.connect() as connection:
            assert connection.scalar(text(
                "SELECT count(*) FROM reviews WHERE schedule_before IS NULL")) == 1
        store.decks.sync_decks([], datetime.now(UTC))
    finally:
        store.close()


def test_0004_backfills_the_interval_before_each_answer(db_url):
    engine = make_engine(db_url)
    scheduled = ('{"state": "review", "step": null, "stability": 30.0, "difficulty": 5.0, '
                 '"due": "2026-02-25T09:00:00+00:00", "last_review": "2026-01-26T09:00:00+00:00", '
                 '"reps": 4, "lapses": 0}')
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0003")
            connection.execute(text(
                "INSERT INTO decks (id, name, title, description, source, content_hash, created_at, "
                "updated_at) VALUES (1, 'd', 'D', '', '', '', :t, :t)"), {"t": datetime(2026, 1, 1)})
            connection.execute(text(
                "INSERT INTO cards (id, key, deck_id, kind, prompt, answer, accept, options, "
                "explanation, tags, position, retired, created_at, updated_at) VALUES "
                "(1, 'k', 1, 'text', 'p', '\"a\"', '[]', '[]', '', '[]', 0, false, :t, :t)"),
                {"t": datetime(2026, 1, 1)})
            for review_id, before in ((1, scheduled), (2, None)):
                connection.execute(text(
                    "INSERT INTO reviews (id, card_id, reviewed_at, mode, duration_ms, state_before, "
                    "schedule_before) VALUES (:id, 1, :t, 'review', 1000, 'review', :before)"),
                    {"id": review_id, "t": datetime(2026, 2, 25, 10), "before": before})
        migrate(engine)
        with engine.connect() as connection:
            rows = dict(connection.execute(text("SELECT id, interval_before FROM reviews")).all())
        assert rows[1] == pytest.approx(30.0) and rows[2] is None
    finally:
        engine.dispose()


def test_upgrade_then_downgrade_then_upgrade_again(db_url):
    _stamp_0001(db_url)
    engine = make_engine(db_url)
    try:
        for target in (HEAD, KNOWN_REVISIONS[0], HEAD):
            with engine.begin() as connection:
                config = alembic_config(connection)
                if target == KNOWN_REVISIONS[0]:
                    command.downgrade(config, target)
                else:
                    command.upgrade(config, target)
            assert schema_revision(engine) == target
    finally:
        engine.dispose()


def test_a_failed_upgrade_leaves_the_database_as_it_was(db_url):
    _stamp_0001(db_url)
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            # An index with 0002's name already exists: 0002's first step fails.
            connection.execute(text("CREATE INDEX ix_reviews_reviewed_at ON reviews (id)"))
        with pytest.raises(Exception, match="ix_reviews_reviewed_at"):
            migrate(engine)
        assert schema_revision(engine) == KNOWN_REVISIONS[0]
        with engine.connect() as connection:
            # 0002's data change was rolled back with it: the JSON null is still there.
            assert connection.scalar(text(
                "SELECT count(*) FROM reviews WHERE schedule_before IS NULL")) == 0
            assert connection.scalar(text("SELECT count(*) FROM reviews")) == 2
    finally:
        engine.dispose()


def test_a_database_from_a_newer_version_is_refused(db_url):
    open_store(db_url).close()
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        with pytest.raises(NewerDatabaseError, match="newer version of debrief"):
            migrate(engine)
        assert schema_revision(engine) == "9999"
    finally:
        engine.dispose()
    with pytest.raises(StoreError, match="upgrade debrief"):
        open_store(db_url)


