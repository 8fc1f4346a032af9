"""`debrief backup`, `debrief restore` and `debrief check` as a user runs them, and what every command
says when the file at the data path is damaged or not a database."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

NOW = "2026-03-02T09:00:00Z"


@pytest.fixture
def cli(debrief_bin, debrief_env):
    env = {**debrief_env, "DEBRIEF_NOW": NOW}

    def run(*args: str, stdin: str = "", extra: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([debrief_bin, *args], input=stdin, capture_output=True, text=True,
                              env={**env, **(extra or {})}, timeout=180)

    run.home = Path(env["DEBRIEF_HOME"])  # type: ignore[attr-defined]
    return run


def reviews(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT count(*) FROM reviews").fetchone()[0]
    finally:
        db.close()


def study(cli, answers: int) -> None:
    result = cli("review", "--plain", "--limit", str(answers), stdin="x\n3\n" * answers)
    assert result.stdout.count("Saved:") == answers, result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*"))}


def test_backup_makes_one_and_lists_them(cli):
    study(cli, 2)
    made = cli("backup")
    assert made.returncode == 0, made.stderr
    assert "Backed up" in made.stdout and "-manual.db" in made.stdout
    listed = cli("backup", "--list")
    assert listed.returncode == 0
    assert "2 reviews" in listed.stdout and "manual" in listed.stdout
    assert len(list((cli.home / "backups").glob("debrief-*.db"))) >= 1


def test_restore_asks_first_and_can_be_undone(cli):
    study(cli, 2)
    assert cli("backup").returncode == 0
    study(cli, 3)
    db = cli.home / "debrief.db"
    assert reviews(db) == 5
    declined = cli("restore", stdin="n\n")
    assert declined.returncode == 1 and "Nothing restored" in declined.stdout
    assert reviews(db) == 5
    accepted = cli("restore", stdin="y\n")
    assert accepted.returncode == 0, accepted.stderr
    assert reviews(db) == 2
    safety = next(line for line in accepted.stdout.splitlines() if "undo with" in line)
    name = safety.split("`debrief restore ")[1].rstrip(").`")
    undone = cli("restore", name, "--yes")
    assert undone.returncode == 0, undone.stderr
    assert reviews(db) == 5
    after = cli("review", "--plain", "--limit", "1", stdin="x\n3\n")
    assert after.returncode == 0 and reviews(db) == 6


def test_check_reports_and_exits_zero_on_a_sound_database(cli):
    study(cli, 1)
    result = cli("check")
    assert result.returncode == 0, result.stderr
    assert "Integrity: ok" in result.stdout and "Nothing to repair." in result.stdout
    assert "Backup made first:" in result.stdout


def test_check_repairs_and_says_what_it_did(cli):
    study(cli, 2)
    db = sqlite3.connect(cli.home / "debrief.db")
    with db:
        db.execute("UPDATE schedules SET stability = -4 WHERE state != 'new'")
    db.close()
    result = cli("check")
    assert result.returncode == 0, result.stderr
    assert "Repaired:" in result.stdout and "impossible stability" in result.stdout
    assert "Nothing to repair." in cli("check").stdout


@pytest.mark.parametrize("damage", ["garbage", "corrupt", "directory"])
def test_a_damaged_file_at_the_data_path_names_restore_everywhere(cli, damage):
    study(cli, 3)
    assert cli("backup").returncode == 0
    backups = cli.home / "backups"
    before = snapshot(backups)
    db = cli.home / "debrief.db"
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    if damage == "garbage":
        db.write_bytes(b"<html>not a database</html>\n" * 200)
    elif damage == "corrupt":
        data = bytearray(db.read_bytes())
        for offset in range(8192, len(data), 4096):
            data[offset:offset + 512] = bytes(range(256)) * 2
        db.write_bytes(bytes(data))
    else:
        db.unlink()
        db.mkdir()
    for args in (["review", "--plain"], ["decks"], ["--plain", "stats"], ["check"], ["backup"]):
        result = cli(*args, stdin="x\n3\n")
        assert result.returncode != 0, (args, result.stdout)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, args
        message = result.stderr.strip()
        assert len(message.splitlines()) == 1, (args, message)
        if damage != "directory":
            assert "debrief restore" in message, (args, message)
    assert snapshot(backups) == before  # the last good backup was never replaced or pruned
    if damage == "directory":
        db.rmdir()
    restored = cli("restore", "--yes")
    assert restored.returncode == 0, restored.stderr
    if damage != "directory":
        assert "moved to" in restored.stdout
    assert reviews(db) == 3
    assert cli("review", "--plain", "--limit", "1", stdin="x\n3\n").returncode == 0


def test_backup_and_restore_refuse_a_postgresql_url_clearly(cli):
    url = "postgresql+psycopg://user:secret@127.0.0.1:1/none"
    for args in (["backup"], ["restore", "--yes"]):
        result = cli(*args, extra={"DEBRIEF_DB": url})
        assert result.returncode == 1
        assert "SQLite databases only" in result.stderr and "pg_dump" in result.stderr
        assert "secret" not in result.stderr


def test_restore_without_backups_says_so(cli):
    study(cli, 1)
    for item in (cli.home / "backups").glob("*"):
        item.unlink()
    result = cli("restore", "--yes")
    assert result.returncode == 1 and "no backups" in result.stderr


def test_a_database_given_with_db_keeps_its_own_backups(cli, tmp_path):
    study(cli, 1)
    assert cli("backup").returncode == 0
    other = tmp_path / "work" / "prep.db"
    url = f"sqlite:///{other}"
    made = cli("--db", url, "review", "--plain", "--limit", "2", stdin="x\n3\n" * 2)
    assert made.stdout.count("Saved:") == 2, made.stderr
    assert cli("--db", url, "backup").returncode == 0
    assert [p.name.split("-")[0] for p in (other.parent / "backups").glob("*.db")] == ["prep"] * len(
        list((other.parent / "backups").glob("*.db")))
    listed = cli("--db", url, "backup", "--list").stdout
    assert "prep-" in listed and "debrief-" not in listed
    restored = cli("--db", url, "restore", "--yes")
    assert restored.returncode == 0 and "prep-" in restored.stdout
    assert reviews(other) == 2 and reviews(cli.home / "debrief.db") == 1
