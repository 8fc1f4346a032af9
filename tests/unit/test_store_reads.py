"""Reads take no write lock: another process writing never holds up stats, browse or counts."""

from __future__ import annotations

import sqlite3

from sqlalchemy import text

from debrief.store import open_store


def test_a_read_does_not_wait_for_a_writer_holding_the_lock(tmp_path):
    path = tmp_path / "t.db"
    store = open_store(f"sqlite:///{path}")
    writer = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO meta (key, value) VALUES ('x', '1')")
        # The write is not committed: the reader sees its snapshot without waiting 10 s.
        assert store.meta.get_meta("x") is None
        assert store.log.totals()["reviews"] == 0
        writer.execute("COMMIT")
        assert store.meta.get_meta("x") == "1"
    finally:
        writer.close()
        store.close()


def test_writes_still_take_the_lock_up_front(tmp_path):
    path = tmp_path / "t.db"
    store = open_store(f"sqlite:///{path}")
    store.meta.set_meta("k", "v")
    reader = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    try:
        with store.db.transaction() as session:
            session.execute(text("SELECT 1"))
            # Inside a store write transaction another writer cannot start.
            try:
                reader.execute("BEGIN IMMEDIATE")
                locked = False
                reader.execute("ROLLBACK")
            except sqlite3.OperationalError as exc:
                locked = "locked" in str(exc)
        assert locked
    finally:
        reader.close()
        store.close()
