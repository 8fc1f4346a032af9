"""A review opened fast in a fresh process: the first card and its counts with no SQLAlchemy
imported, then the full store; the same card and counts as the usual path."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e


def test_a_review_opened_fast_loads_sqlalchemy_only_for_the_full_store(tmp_path, collection_db):
    """In a fresh process on a database the command has opened before (bundled decks synced):
    the first card and its counts with no SQLAlchemy imported, then the full store."""
    from support.database import seed_home

    home = tmp_path / "home"
    seed_home(collection_db, home)
    code = (
        "import sys\n"
        "from debrief.workspace import open_for_review\n"
        "from debrief.session import ReviewSession\n"
        "ws, finish = open_for_review(None)\n"
        "session = ReviewSession(ws)\n"
        "print(session.current.card.id, session.counts(), 'sqlalchemy' in sys.modules)\n"
        "finish()\n"
        "print('sqlalchemy' in sys.modules, type(ws.store.full()).__name__)\n"
        "ws.store.close()\n"
    )
    env = {"DEBRIEF_HOME": str(home), "DEBRIEF_NOW": "2026-03-02T09:00:00Z", "TZ": "UTC",
           "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.splitlines()
    assert first.endswith("False") and second == "True Store"
    # The same first card as the usual path.
    full = subprocess.run([sys.executable, "-c",
                           "from debrief.workspace import open_workspace\n"
                           "from debrief.session import ReviewSession\n"
                           "ws = open_workspace(None); s = ReviewSession(ws)\n"
                           "print(s.current.card.id, s.counts(), False); ws.store.close()"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert full.returncode == 0, full.stderr
    assert full.stdout.strip() == first
