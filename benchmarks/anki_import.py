"""Importing a deck studied in Anki: the time `debrief import` takes for a large shared deck with
months of review history, suspensions and flags, the first time and again (nothing to add).

Usage (from the repo root, with the project's venv and its test dependencies, for `anki`):

    .venv/bin/python benchmarks/anki_import.py --notes 5000 --answers 10

The package is made with the official `anki` package: Basic notes in one deck; the revlog rows of
the studied cards are written as Anki writes them (id = answer time in ms, ease, type), spread
over the last 120 days; every 50th card suspended, every 40th flagged. Then the real `debrief`
command imports it into an empty database, twice.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import anki.collection  # noqa: F401  (before anki.cards and anki.scheduler: an import cycle)
from anki.collection import Collection, ExportAnkiPackageOptions


def build(folder: Path, notes: int, answers: int, seed: int = 7) -> tuple[Path, int]:
    """An .apkg of `notes` studied notes in `folder`; returns it and the answers it holds."""
    rng = random.Random(seed)
    col = Collection(str(folder / "shared.anki2"))
    try:
        deck = col.decks.id("Interview::Shared")
        basic = col.models.by_name("Basic")
        for number in range(notes):
            note = col.new_note(basic)
            note["Front"], note["Back"] = f"Question {number}?", f"answer {number}"
            col.add_note(note, deck)
        now_ms = int(time.time() * 1000)
        rows = []
        cards = col.db.list("SELECT id FROM cards ORDER BY id")
        for index, cid in enumerate(cards):
            if index % 3 == 2:
                continue  # a third never studied
            at = now_ms - 120 * 86_400_000 + rng.randrange(86_400_000)
            for step in range(answers):
                ease = 1 if rng.random() < 0.1 else 3
                rows.append((at, cid, -1, ease, 1, 0, 2500, 4000, 0 if step < 2 else 1))
                at += rng.randrange(1, 10) * 86_400_000 // 2
        col.db.executemany("INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        col.db.execute("UPDATE cards SET type = 2, queue = 2, ivl = 5, due = 10 WHERE id IN "
                       "(SELECT DISTINCT cid FROM revlog)")
        col.sched.suspend_cards(cards[::50])
        col.set_user_flag_for_cards(2, cards[::40])
        out = folder / "shared.apkg"
        col.export_anki_package(out_path=str(out), limit=None, options=ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False))
    finally:
        col.close()
    return out, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=5000)
    parser.add_argument("--answers", type=int, default=10, help="answers per studied card")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="debrief-anki-bench-"))
    try:
        package, answers = build(folder, args.notes, args.answers)
        debrief = shutil.which("debrief", path=str(Path(sys.executable).parent)) or "debrief"
        environ = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
        environ["DEBRIEF_HOME"] = str(folder / "home")
        url = f"sqlite:///{folder / 'debrief.db'}"
        subprocess.run([debrief, "--db", url, "decks"], env=environ, check=True,
                       capture_output=True)  # migrate and sync the bundled decks first
        print(f"package: {args.notes} notes, {answers} answers, "
              f"{package.stat().st_size / 1e6:.1f} MB")
        for run in ("first import", "second import"):
            start = time.perf_counter()
            result = subprocess.run([debrief, "--db", url, "import", str(package)], env=environ,
                                    capture_output=True, text=True, check=True)
            took = time.perf_counter() - start
            print(f"{run}: {took:.2f} s")
            print("  " + "\n  ".join(result.stdout.splitlines()))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
