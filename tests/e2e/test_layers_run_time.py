"""The layers at run time: every import a command makes while it runs, through the real command
line in a subprocess (an import hook records who imported what)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e


# -- run time: every import made while a command runs, not only those made at import time ---------

# Installs an import hook that records (importing module, imported module) for every import a
# debrief module makes, runs the real command line, and prints the pairs as JSON at the end.
_WATCH = r"""
import builtins, json, sys
pairs = set()
real_import = builtins.__import__

def watching(name, globals=None, locals=None, fromlist=(), level=0):
    module = real_import(name, globals, locals, fromlist, level)
    caller = (globals or {}).get("__name__", "")
    if caller.startswith("debrief") and level == 0:
        pairs.add((caller, name))
        for item in fromlist or ():
            pairs.add((caller, f"{name}.{item}"))
    return module

builtins.__import__ = watching
sys.argv = ["debrief", *json.loads(sys.argv[1])]
from debrief.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
sys.stderr.write("\nIMPORTS " + json.dumps(sorted(pairs)) + "\n")
sys.exit(code if isinstance(code, int) else 1)
"""

RUNS = {
    "review": (["review", "--plain", "--limit", "2"], "x\n3\ny\n1\n"),
    "quiz": (["quiz", "--plain", "--count", "2", "--reschedule", "--send-misses"], "x\ny\n"),
    "stats": (["stats", "--json"], ""),
    "stats-plain": (["stats", "--plain"], ""),
    "plan": (["plan", "--interview", "2026-04-01"], ""),
    "decks": (["decks"], ""),
    "cards": (["cards", "--json"], ""),
    "grade": (["grade"], '{"expected": "Paris", "kind": "text", "answer": "paris"}\n'),
    "check": (["decks", ";", "check"], ""),
    "backup": (["decks", ";", "backup"], ""),
    "export-csv": (["export", "csv", "-o", "{tmp}/out.csv"], ""),
    "export-anki": (["export", "anki", "-o", "{tmp}/out.apkg"], ""),
}
UI = ("textual", "rich", "click")
# Faces and store-side code: the only modules allowed these imports.
FACES = ("debrief.cli", "debrief.tui")
STORE_SIDE = ("debrief.store",)


def _is(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


@pytest.fixture(scope="module")
def shared_home(tmp_path_factory: pytest.TempPathFactory):
    """One data dir for every command run here: the first run migrates and syncs the bundled
    decks, the others reuse it (what they do to the data does not matter, only what they import)."""
    return tmp_path_factory.mktemp("layers-home")


def _run_imports(tmp_path, args: list[str], stdin: str) -> set[tuple[str, str]]:
    import json
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
    env.update({"DEBRIEF_HOME": str(tmp_path / "home"), "DEBRIEF_NOW": "2026-03-02T09:00:00Z",
                "TZ": "UTC", "NO_COLOR": "1"})
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = subprocess.run([sys.executable, "-c", _WATCH, json.dumps(args)], input=stdin,
                            capture_output=True, text=True, env=env, timeout=120)
    marker = result.stderr.rfind("IMPORTS ")
    assert marker >= 0, result.stderr
    assert result.returncode == 0, result.stderr[:marker]
    return {(a, b) for a, b in json.loads(result.stderr[marker + len("IMPORTS "):])}


@pytest.mark.parametrize("command", sorted(RUNS))
def test_a_commands_full_run_keeps_the_layers(shared_home, command):
    args, stdin = RUNS[command]
    pairs: set[tuple[str, str]] = set()
    steps = " ".join(args).split(" ; ")  # a step before the command (a database to back up)
    for step in steps:
        pairs |= _run_imports(shared_home, step.split(" "), stdin if step == steps[-1] else "")
    assert pairs, "the hook saw no imports"
    core = {(a, b) for a, b in pairs if not _is(a, FACES + STORE_SIDE)}
    assert not {(a, b) for a, b in core if b.split(".")[0] in UI}, "the core imported UI code"
    assert not {(a, b) for a, b in core if b.split(".")[0] == "sqlalchemy"}, \
        "the core imported SQLAlchemy"
    assert not {(a, b) for a, b in core if _is(b, FACES)}, "the core imported a face"
    # The core reaches the database only through the store's front door (the names the package
    # exports: open_store, the backups) and the records it gets back: never a query module, the
    # ORM models or the backup module itself.
    import debrief.store

    front = {"debrief.store", *(f"debrief.store.{name}" for name in debrief.store.__all__)}
    assert not {(a, b) for a, b in core if _is(b, ("debrief.store",)) and b not in front}, \
        "the core imported store internals"
    # The TUI never reaches back into the command line (cli -> tui is the only direction).
    assert not {(a, b) for a, b in pairs if _is(a, ("debrief.tui",)) and _is(b, ("debrief.cli",))}
