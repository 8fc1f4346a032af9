"""The real command on an old database (backed up, then upgraded) and on a newer one (refused,
left alone)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from support.schema import FIXTURE, dump

pytestmark = pytest.mark.e2e


def test_the_real_command_backs_up_a_0001_database_before_upgrading_it(debrief_bin, debrief_env):
    home = Path(debrief_env["DEBRIEF_HOME"])
    home.mkdir()
    shutil.copy(FIXTURE, home / "debrief.db")
    before = dump(home / "debrief.db")
    result = subprocess.run([debrief_bin, "decks"], env=debrief_env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "legacy" in result.stdout and "Traceback" not in result.stderr
    saved = sorted((home / "backups").glob("debrief-*-migration.db"))
    assert len(saved) == 1
    db = sqlite3.connect(saved[0])
    try:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    finally:
        db.close()
    assert dump(saved[0]) == before
    after = dump(home / "debrief.db")
    assert after["reviews"] == before["reviews"]
    assert after["schedules"][:6] == before["schedules"]


def test_the_real_command_refuses_a_newer_database_and_leaves_it_and_its_backups_alone(
        debrief_bin, debrief_env):
    home = Path(debrief_env["DEBRIEF_HOME"])
    home.mkdir()
    path = home / "debrief.db"
    shutil.copy(FIXTURE, path)
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE alembic_version SET version_num = '0999'")
    db.close()
    original = dump(path)
    for args in (["review", "--plain"], ["decks"], ["check"], ["import", str(FIXTURE)]):
        result = subprocess.run([debrief_bin, *args], env=debrief_env, capture_output=True,
                                text=True, timeout=120, stdin=subprocess.DEVNULL)
        assert result.returncode != 0, args
        assert "newer version of debrief" in result.stderr or "not a debrief" in result.stderr \
            or "not valid UTF-8" in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert dump(path) == original
    db = sqlite3.connect(path)
    try:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0999"
    finally:
        db.close()
    assert not list(home.glob("backups/*-migration.db"))
