"""Shared fixtures: a database URL per backend, an open store on it, and the real `debrief` command.

`db_url` runs a test on SQLite (a file in tmp_path) and, when `DEBRIEF_TEST_PG_URL` points at a
PostgreSQL server (`scripts/pg.sh` starts one), again on PostgreSQL in a fresh schema of its own,
dropped afterwards. Tests on PostgreSQL carry the `postgres` marker (`-m "not postgres"` skips).
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Shared fixtures as plugins (tests/ is on pytest's pythonpath): the migrated template database,
# and the Pilot/snapshot set-up.
pytest_plugins = ["support.database", "support.tui"]

PG_ENV = "DEBRIEF_TEST_PG_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def debrief_command() -> str:
    """The installed `debrief` command of this venv (falls back to the one on PATH)."""
    return (shutil.which("debrief", path=str(Path(sys.executable).parent))
            or shutil.which("debrief") or "debrief")


def pg_server_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def _pg_schema_url(schema: str) -> str:
    from sqlalchemy.engine import make_url

    base = make_url(pg_server_url())
    options = f"-csearch_path={schema}"
    return base.update_query_dict({"options": options}).render_as_string(hide_password=False)


class PgSchema:
    """A throwaway schema on the test server; its URL sets `search_path` to it."""

    def __init__(self) -> None:
        self.name = f"t_{uuid.uuid4().hex[:12]}"
        self.url = _pg_schema_url(self.name)

    def __enter__(self) -> PgSchema:
        self._admin("CREATE SCHEMA {0}")
        return self

    def __exit__(self, *exc: object) -> None:
        self._admin("SET lock_timeout = '20s'; DROP SCHEMA IF EXISTS {0} CASCADE")

    def _admin(self, sql: str) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(pg_server_url())
        with psycopg.connect(host=url.host or "localhost", port=url.port or 5432,
                             user=url.username, password=url.password, dbname=url.database,
                             autocommit=True, connect_timeout=10) as connection:
            connection.execute(sql.format(self.name))


def _emptied(schema: PgSchema) -> bool:
    """Empty every table of the shared migrated schema, as a fresh migration leaves it (ids
    from 1); False when that cannot be done (a lock held on, a revision changed by a test)."""
    import psycopg
    from sqlalchemy.engine import make_url

    from debrief.store import HEAD

    url = make_url(pg_server_url())
    try:
        with psycopg.connect(host=url.host or "localhost", port=url.port or 5432,
                             user=url.username, password=url.password, dbname=url.database,
                             autocommit=True, connect_timeout=10) as connection:
            connection.execute("SET lock_timeout = '20s'")
            revision = connection.execute(
                f"SELECT version_num FROM {schema.name}.alembic_version").fetchall()
            if revision != [(HEAD,)]:
                return False
            tables = [row[0] for row in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
                "AND table_type = 'BASE TABLE' AND table_name <> 'alembic_version'",
                (schema.name,))]
            connection.execute("TRUNCATE " + ", ".join(f'{schema.name}."{t}"' for t in tables)
                               + " RESTART IDENTITY CASCADE")
    except psycopg.Error:
        return False
    return True


@pytest.fixture(scope="session")
def pg_migrated_schema() -> Iterator[PgSchema]:
    """One migrated PostgreSQL schema for the run's `store` tests, emptied before each of them
    (emptying takes ~0.05 s; a fresh schema migrated and dropped per test took ~0.3 s)."""
    from debrief.store import open_store

    with PgSchema() as schema:
        open_store(schema.url).close()
        yield schema


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> Iterator[str]:
    """A database URL: SQLite in tmp_path, or a fresh PostgreSQL schema (skipped without a server).

    Empty: opening it migrates. `store` below starts from the migrated template instead (on
    PostgreSQL, the shared migrated schema, emptied)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'debrief.db'}"
        return
    if not pg_server_url():
        pytest.skip(f"{PG_ENV} is not set (run scripts/pg.sh for a local PostgreSQL)")
    if "store" in request.fixturenames:
        shared: PgSchema = request.getfixturevalue("pg_migrated_schema")
        if _emptied(shared):
            yield shared.url
            return
    with PgSchema() as schema:
        yield schema.url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema's URL, for tests that are about PostgreSQL only."""
    if not pg_server_url():
        pytest.skip(f"{PG_ENV} is not set (run scripts/pg.sh for a local PostgreSQL)")
    with PgSchema() as schema:
        yield schema.url


@pytest.fixture
def store(db_url, request, tmp_path):
    """An open, migrated, empty store on `db_url` (on SQLite, a copy of the template database;
    on PostgreSQL, the run's migrated schema, emptied)."""
    from debrief.store import open_store
    from support.database import fresh_db

    if db_url.startswith("sqlite:"):
        db_url = fresh_db(request.getfixturevalue("template_db"), tmp_path / "debrief.db")
    opened = open_store(db_url)
    yield opened
    opened.close()


@pytest.fixture
def debrief_bin() -> str:
    """The path of the real `debrief` command."""
    return debrief_command()


@pytest.fixture
def debrief_env(tmp_path) -> dict[str, str]:
    """Environment for running the real command: DEBRIEF_HOME in tmp_path, nothing inherited."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
    environ.update({"DEBRIEF_HOME": str(tmp_path / "home"), "TZ": "UTC", "NO_COLOR": "1"})
    return environ
