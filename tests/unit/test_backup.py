"""Backups (SQLite backup API, rolling retention, never of a damaged file), restore and check."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from debrief.cards import Card, Deck
from debrief.scheduling import CardState
from debrief.store import backup as backups
from debrief.store import open_store
from debrief.store.backup import Backup, BackupError, Retention, plan_retention
from debrief.store.maintenance import integrity_problems

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


# -- helpers -----------------------------------------------------------------------------------


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("DEBRIEF_HOME", str(home))
    monkeypatch.delenv("DEBRIEF_DB", raising=False)
    return home


def url_of(home: Path) -> str:
    return f"sqlite:///{home / 'debrief.db'}"


def make_db(url: str, cards: int = 3, reviews: int = 0) -> None:
    store = open_store(url)
    try:
        deck = Deck(name="demo", title="Demo", cards=tuple(
            Card(id=f"c{i}", deck="demo", kind="text", prompt=f"P{i}?", answer=f"a{i}")
            for i in range(cards)))
        store.decks.sync_decks([deck], NOW)
        add_reviews(store, reviews)
    finally:
        store.close()


def add_reviews(store, count: int, start: int = 0) -> None:
    pks = [r.pk for r in store.decks.cards()]
    for n in range(count):
        state = CardState(state="review", stability=3.0, difficulty=5.0,
                          due=NOW + timedelta(days=3), last_review=NOW, reps=n + 1)
        store.queue.record_review(pks[n % len(pks)], NOW + timedelta(seconds=start + n),
                                  lambda _s, state=state: state, rating=3, answer="a", verdict=None,
                                  score=None, duration_ms=100)


def count_reviews(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT count(*) FROM reviews").fetchone()[0]
    finally:
        db.close()


def corrupt(path: Path) -> None:
    """Damage the b-tree pages after the schema page, keeping a valid header (as a bad disk might)."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    size = path.stat().st_size
    with path.open("r+b") as handle:
        for offset in range(page_size * 2, size, page_size):
            handle.seek(offset)
            handle.write(bytes([0xA5]) * 64 + bytes(range(256)) * 2)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*"))} if folder.exists() else {}


def stamp(moment: datetime, reason: str = "auto", n: int = 0) -> Backup:
    name = f"debrief-{moment.strftime('%Y%m%d-%H%M%S')}-{reason}{'-' + str(n) if n else ''}.db"
    return Backup(path=Path("/b") / name, made_at=moment, reason=reason)


# -- retention ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("hours", "every", "expected"), [
    (1, 1, 1),              # a single backup is kept
    (10, 1, 10),            # every backup of the last day (under the cap of 12)
    (48, 1, 12 + 2),        # 12 recent, then the last of each of the two days before
    (24 * 10, 1, 12 + 7 + 1),  # + the last of the ISO week before the 7 daily ones
    (24 * 400, 24, 1 + 7 + 4 + 6),  # one a day for 400 days: recent, daily, weekly, monthly
    (24 * 400, 6, 4 + 7 + 4 + 6),   # four a day: the last day's four are all recent
])
def test_retention_keeps_recent_daily_weekly_and_monthly(hours, every, expected):
    made = [stamp(NOW - timedelta(hours=h)) for h in range(0, hours, every)]
    kept = plan_retention(made, NOW, tz=UTC)
    assert stamp(NOW).path in kept
    assert len(kept) == expected


def test_retention_keeps_the_newest_backup_of_each_day():
    day = NOW.replace(hour=0) - timedelta(days=3)
    made = [stamp(day + timedelta(hours=h)) for h in (1, 9, 17)]
    kept = plan_retention(made, NOW, tz=UTC)
    assert kept == {made[2].path}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=3 * 365 * 24 * 60), min_size=1, max_size=80,
                unique=True))
def test_retention_properties(minutes_ago):
    made = [stamp(NOW - timedelta(minutes=m)) for m in minutes_ago]
    policy = Retention()
    kept = plan_retention(made, NOW, policy, tz=UTC)
    newest = max(made, key=lambda b: b.made_at)
    assert newest.path in kept
    assert len(kept) <= policy.recent + policy.daily + policy.weekly + policy.monthly
    # Pruning is stable: applying the policy to what it kept keeps all of it.
    again = plan_retention([b for b in made if b.path in kept], NOW, policy, tz=UTC)
    assert again == kept
    # Every backup from the last day is kept, up to the recent cap.
    recent = sorted((b for b in made if NOW - b.made_at < timedelta(days=1)),
                    key=lambda b: b.made_at, reverse=True)
    assert {b.path for b in recent[:policy.recent]} <= kept


# -- making backups ----------------------------------------------------------------------------


def test_backup_copies_a_live_database_while_another_connection_writes(home):
    url = url_of(home)
    make_db(url, reviews=5)
    stop = threading.Event()
    written = [0]

    def writer() -> None:
        store = open_store(url)
        try:
            while not stop.is_set():
                add_reviews(store, 1, start=1000 + written[0])
                written[0] += 1
        finally:
            store.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        made = [backups.make_backup(url, reason="manual", now=NOW + timedelta(seconds=i))
                for i in range(5)]
    finally:
        stop.set()
        thread.join()
    assert written[0] > 0
    for item in made:
        assert integrity_problems(item.path, full=True) == []
        assert count_reviews(item.path) >= 5
        assert not Path(f"{item.path}-wal").exists()  # a self-contained file
    assert [b.name for b in backups.list_backups()] == [b.name for b in reversed(made)]


def test_backups_in_the_same_second_never_overwrite_each_other(home):
    url = url_of(home)
    make_db(url, reviews=1)
    names = {backups.make_backup(url, reason="manual", now=NOW).name for _ in range(3)}
    assert names == {"debrief-20260615-120000-manual.db", "debrief-20260615-120000-manual-2.db",
                     "debrief-20260615-120000-manual-3.db"}


@pytest.mark.parametrize("damage", ["corrupt", "garbage", "truncated"])
def test_a_damaged_database_is_never_backed_up(home, damage):
    url = url_of(home)
    make_db(url, cards=50, reviews=200)
    good = backups.make_backup(url, reason="manual", now=NOW)
    before = snapshot(home / "backups")
    path = home / "debrief.db"
    if damage == "corrupt":
        corrupt(path)
    elif damage == "garbage":
        path.write_bytes(b"this is not a database\n" * 100)
    else:
        data = path.read_bytes()
        path.write_bytes(data[:100])
    with pytest.raises(BackupError, match="debrief restore"):
        backups.make_backup(url, reason="manual", now=NOW + timedelta(days=1))
    with pytest.raises(BackupError, match="debrief restore"):
        backups.backup_before("import")
    assert backups.backup_on_exit(url) is None
    assert snapshot(home / "backups") == before
    assert integrity_problems(good.path, full=True) == []


def test_backup_before_is_a_no_op_without_a_sqlite_file(home, monkeypatch):
    assert backups.backup_before("import") is None  # no database yet
    monkeypatch.setenv("DEBRIEF_DB", "postgresql+psycopg://u:p@localhost/x")
    assert backups.backup_before("migration") is None
    with pytest.raises(BackupError, match="SQLite databases only.*pg_dump"):
        backups.make_backup(reason="manual")


def test_backup_before_uses_the_database_it_is_given(home, tmp_path):
    from debrief.workspace import Workspace

    make_db(url_of(home), reviews=1)
    backups.make_backup(url_of(home), reason="manual", now=NOW)
    other = tmp_path / "elsewhere.db"
    ws = Workspace.open(f"sqlite:///{other}", sync=False)
    try:
        made = backups.backup_before("import", ws.store.url)
    finally:
        ws.store.close()
    # Beside the other database, under its name: never mixed with the default database's.
    assert made is not None and made.parent == tmp_path / "backups"
    assert made.name.startswith("elsewhere-") and made.name.endswith("-import.db")
    assert [b.reason for b in backups.list_backups(tmp_path / "backups", "elsewhere")] == ["import"]
    assert [b.reason for b in backups.list_backups()] == ["manual"]  # the default database's
    assert backups.find_backup(None, url_of(home)).reason == "manual"


def test_the_automatic_backup_on_exit_follows_changes_and_the_interval(home):
    url = url_of(home)
    make_db(url, reviews=0)
    assert backups.backup_if_due(url, now=NOW) is None  # nothing studied yet
    store = open_store(url)
    add_reviews(store, 2)
    first = backups.backup_if_due(url, now=NOW)
    assert first is not None and first.name.endswith("-auto.db")
    add_reviews(store, 1, start=10)
    assert backups.backup_if_due(url, now=NOW + timedelta(hours=1)) is None  # too soon
    second = backups.backup_if_due(url, now=NOW + timedelta(hours=4))
    assert second is not None and count_reviews(second) == 3
    assert backups.backup_if_due(url, now=NOW + timedelta(hours=9)) is None  # nothing changed
    store.decks.set_suspended(store.decks.cards()[0].pk, True, NOW)
    assert backups.backup_if_due(url, now=NOW + timedelta(hours=9)) is not None
    store.close()


def test_workspace_close_makes_the_automatic_backup(home):
    from debrief.workspace import Workspace

    ws = Workspace.open(url_of(home), sync=False)
    ws.store.decks.sync_decks([Deck(name="d", title="D", cards=(
        Card(id="x", deck="d", kind="text", prompt="P?", answer="a"),))], NOW)
    add_reviews(ws.store, 1)
    ws.close()
    (made,) = backups.list_backups()
    assert made.reason == "auto" and count_reviews(made.path) == 1


def test_prune_removes_only_backups_the_policy_drops(home):
    folder = home / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    (folder / "debrief-20200101-000000-auto.db.old").write_text("not a backup name")
    for days in range(0, 60):
        moment = NOW - timedelta(days=days)
        (folder / f"debrief-{moment:%Y%m%d-%H%M%S}-auto.db").write_bytes(b"x")
    keep = folder / f"debrief-{NOW - timedelta(days=59):%Y%m%d-%H%M%S}-auto.db"
    removed = backups.prune(NOW, folder, keep=[keep])
    left = {b.name for b in backups.list_backups(folder)}
    assert keep.name in left and len(removed) == 60 - len(left)
    assert (folder / "notes.txt").exists() and (folder / "debrief-20200101-000000-auto.db.old").exists()


# -- restore -----------------------------------------------------------------------------------


def test_restore_backs_up_the_current_file_first_and_a_running_reader_sees_the_restore(home):
    url = url_of(home)
    make_db(url, reviews=3)
    old = backups.make_backup(url, reason="manual", now=NOW)
    open_elsewhere = open_store(url)  # another debrief with the database open
    add_reviews(open_elsewhere, 4, start=100)
    report = backups.restore(old, url, now=NOW + timedelta(minutes=5))
    assert count_reviews(home / "debrief.db") == 3
    assert report.safety_backup is not None and count_reviews(report.safety_backup) == 7
    assert open_elsewhere.log.totals()["reviews"] == 3
    add_reviews(open_elsewhere, 1, start=200)  # and it keeps working on the restored data
    open_elsewhere.close()
    assert count_reviews(home / "debrief.db") == 4
    assert integrity_problems(home / "debrief.db", full=True) == []
    undo = backups.find_backup(report.safety_backup.name)
    backups.restore(undo, url, now=NOW + timedelta(minutes=6))
    assert count_reviews(home / "debrief.db") == 7


def test_restore_moves_a_damaged_database_aside_instead_of_backing_it_up(home):
    url = url_of(home)
    make_db(url, cards=50, reviews=100)
    good = backups.make_backup(url, reason="manual", now=NOW)
    corrupt(home / "debrief.db")
    before = snapshot(home / "backups")
    report = backups.restore(backups.find_backup(None), url, now=NOW + timedelta(hours=1))
    assert report.safety_backup is None and report.moved_aside is not None
    assert report.moved_aside.exists() and integrity_problems(report.moved_aside)
    assert snapshot(home / "backups") == before
    assert count_reviews(home / "debrief.db") == 100 and good.path.exists()


@pytest.mark.parametrize("bad", ["garbage", "foreign", "newer"])
def test_restore_refuses_a_backup_it_cannot_use(home, bad):
    url = url_of(home)
    make_db(url, reviews=2)
    before = (home / "debrief.db").read_bytes()
    candidate = home / "candidate.db"
    if bad == "garbage":
        candidate.write_bytes(b"\x00junk" * 1000)
        match = "damaged or not a database"
    elif bad == "foreign":
        db = sqlite3.connect(candidate)
        db.execute("CREATE TABLE notes (x)")
        db.close()
        match = "not a debrief database"
    else:
        made = backups.make_backup(url, reason="manual", now=NOW)
        db = sqlite3.connect(made.path)
        with db:
            db.execute("UPDATE alembic_version SET version_num = '9999'")
        db.close()
        candidate = made.path
        match = "newer version"
    with pytest.raises(BackupError, match=match):
        backups.restore(backups.find_backup(str(candidate)), url)
    assert (home / "debrief.db").read_bytes() == before


def test_find_backup_by_number_name_or_path(home):
    url = url_of(home)
    make_db(url, reviews=1)
    older = backups.make_backup(url, reason="manual", now=NOW)
    newer = backups.make_backup(url, reason="import", now=NOW + timedelta(hours=1))
    assert backups.find_backup(None) == newer
    assert backups.find_backup("2") == older
    assert backups.find_backup(older.name) == older
    assert backups.find_backup(str(older.path)).path == older.path
    with pytest.raises(BackupError, match="no backup number 3"):
        backups.find_backup("3")
    with pytest.raises(BackupError, match="no backup 'nope'"):
        backups.find_backup("nope")


# -- check -------------------------------------------------------------------------------------


def plant_value_problems(url: str) -> dict[str, int]:
    """Impossible values any backend accepts; returns the card pks used."""
    store = open_store(url)
    try:
        deck = Deck(name="demo", title="Demo", cards=tuple(
            Card(id=f"c{i}", deck="demo", kind="text", prompt=f"P{i}?", answer="a") for i in range(8)))
        store.decks.sync_decks([deck], NOW)
        add_reviews(store, 8)
        pks = {r.card.id: r.pk for r in store.decks.cards()}
        with store.db.engine.begin() as connection:
            sql = "UPDATE schedules SET {} WHERE card_id = :pk"
            connection.execute(text(sql.format("stability = -1")), {"pk": pks["c0"]})
            connection.execute(text(sql.format("difficulty = 42")), {"pk": pks["c1"]})
            connection.execute(text(sql.format("due = NULL")), {"pk": pks["c2"]})
            connection.execute(text(sql.format("state = 'weird'")), {"pk": pks["c3"]})
            connection.execute(text(sql.format("reps = -3, lapses = -1")), {"pk": pks["c4"]})
            connection.execute(text(sql.format("step = 4")), {"pk": pks["c5"]})
            connection.execute(text("UPDATE reviews SET rating = 9 WHERE card_id = :pk"), {"pk": pks["c6"]})
            connection.execute(text("UPDATE reviews SET duration_ms = -5 WHERE card_id = :pk"), {"pk": pks["c7"]})
        return pks
    finally:
        store.close()


def test_check_repairs_impossible_values_on_every_backend(db_url, home):
    pks = plant_value_problems(db_url)
    report = backups.check(db_url, now=NOW)
    assert report.repairs == {
        "reviews with an impossible rating cleared": 1,
        "reviews with a negative duration set to 0": 1,
        "schedules with unknown state: reset to new": 1,
        "schedules with impossible stability or difficulty: reset to new (history kept)": 1,
        "schedules with impossible schedule values: corrected": 4,
    }
    assert report.ok and report.reviews == 8
    store = open_store(db_url)
    try:
        states = {pk: store.decks.card(pk).state for pk in pks.values()}
        assert states[pks["c0"]].state == "new" and states[pks["c3"]].state == "new"
        assert states[pks["c1"]].difficulty == 10.0
        assert states[pks["c2"]].due == NOW
        assert (states[pks["c4"]].reps, states[pks["c4"]].lapses) == (0, 0)
        assert states[pks["c5"]].step is None
        assert len(store.log.reviews_since()) == 8  # history is kept
    finally:
        store.close()
    assert backups.check(db_url, now=NOW).repairs == {}
    if db_url.startswith("sqlite"):
        assert report.backup is not None and report.backup.exists()


def test_check_repairs_broken_links_in_sqlite(home):
    url = url_of(home)
    make_db(url, cards=4, reviews=4)
    db = sqlite3.connect(home / "debrief.db")
    db.execute("PRAGMA foreign_keys = OFF")
    with db:
        db.execute("INSERT INTO reviews (card_id, reviewed_at, mode, duration_ms, state_before)"
                   " VALUES (9999, '2026-01-01 00:00:00.000000', 'review', 1, 'new')")
        db.execute("INSERT INTO schedules (card_id, state, reps, lapses, new_position, suspended)"
                   " VALUES (8888, 'new', 0, 0, 0, 0)")
        db.execute("UPDATE cards SET deck_id = 7777 WHERE key = 'c1'")
        db.execute("DELETE FROM schedules WHERE card_id = (SELECT id FROM cards WHERE key = 'c2')")
        db.execute("UPDATE reviews SET quiz_id = 555 WHERE id = 1")
        db.execute("UPDATE schedules SET due = 'garbage' WHERE card_id = "
                   "(SELECT id FROM cards WHERE key = 'c3')")
    assert db.execute("PRAGMA foreign_key_check").fetchall()
    db.close()
    report = backups.check(url, now=NOW)
    assert report.repairs == {
        "reviews of missing cards removed": 1,
        "reviews pointing to a missing quiz unlinked": 1,
        "schedules of missing cards removed": 1,
        "cards without a deck moved to deck 'recovered' (retired)": 1,
        "cards without a schedule given one (as new)": 1,
        "schedules with impossible schedule values: corrected": 1,
    }
    assert report.ok and report.foreign_key_problems == 0
    assert count_reviews(report.backup) == 5  # the backup made first still has everything
    store = open_store(url)
    try:
        records = {r.card.id: r for r in store.decks.cards(include_retired=True)}
        assert records["c1"].card.deck == "recovered" and records["c1"].retired
        assert records["c2"].state.state == "new"
        assert records["c3"].state.due == NOW
    finally:
        store.close()


@pytest.mark.parametrize("damage", ["corrupt", "garbage"])
def test_check_of_a_damaged_file_names_restore_and_touches_no_backup(home, damage):
    url = url_of(home)
    make_db(url, cards=50, reviews=100)
    backups.make_backup(url, reason="manual", now=NOW)
    before = snapshot(home / "backups")
    if damage == "corrupt":
        corrupt(home / "debrief.db")
    else:
        (home / "debrief.db").write_bytes(b"PK\x03\x04 a zip file, not a database" * 50)
    with pytest.raises(BackupError, match="debrief restore"):
        backups.check(url, now=NOW)
    assert snapshot(home / "backups") == before
