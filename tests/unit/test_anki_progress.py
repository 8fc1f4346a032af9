"""Progress made in Anki on decks made in Anki: answers, schedules (and, below, suspensions,
flags and burials) brought back by the import core and by the real `debrief import`."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from debrief.importers.anki import read_package
from debrief.importers.apply import apply_package
from debrief.scheduling import CardState, Rating, Scheduler
from support.anki_packages import (
    STUDIED,
    anki_card,
    export_package,
    study_in_anki,
    third_party_collection,
)

DEBRIEF = shutil.which("debrief", path=str(Path(sys.executable).parent)) or "debrief"
DECK_LINE = "reviews from Anki in deck 'anki-spanish-verbs': "


def studied(tmp_path: Path, with_scheduling: bool = True,
            legacy: bool = False) -> tuple[Path, dict[str, list[tuple[int, int]]]]:
    """A package of the Spanish deck after some study in Anki, and each studied card's answers
    as Anki logged them: (revlog id, rating), oldest first, by debrief card id."""
    col = third_party_collection(tmp_path / "theirs.anki2")
    try:
        study_in_anki(col)
        out = export_package(col, tmp_path / "studied.apkg", with_scheduling, legacy)
        keys = {anki_card(col, guid, ordinal).id: key for (guid, ordinal), key in STUDIED.items()}
        answers: dict[str, list[tuple[int, int]]] = {}
        for revlog_id, cid, ease in col.db.all(
                "SELECT id, cid, ease FROM revlog WHERE ease > 0 ORDER BY id"):
            answers.setdefault(keys[cid], []).append((revlog_id, ease))
    finally:
        col.close()
    return out, answers


def replayed(answers: list[tuple[int, int]], scheduler: Scheduler) -> CardState:
    """The schedule debrief's scheduler gives a card answered `answers` from new."""
    state = CardState()
    for revlog_id, rating in answers:
        state = scheduler.review(state, Rating(rating),
                                 datetime.fromtimestamp(revlog_id / 1000, UTC))
    return state


@pytest.mark.parametrize("legacy", [False, True], ids=["new-format", "legacy"])
def test_answers_made_in_anki_come_with_a_deck_made_in_anki(ws, clock, tmp_path: Path,
                                                            legacy: bool) -> None:
    out, answers = studied(tmp_path, legacy=legacy)
    assert sorted(map(len, answers.values())) == [1, 1, 1, 2]
    clock.now = datetime.now(UTC)
    lines = apply_package(ws, read_package(out), out)
    assert (DECK_LINE + "5 added (schedules of 4 card(s) recomputed from their history), "
            "0 already imported; 1 manual reschedule(s) or cram answer(s) left out") in lines

    records = {r.card.id: r for r in ws.store.decks.cards() if r.card.deck == "anki-spanish-verbs"}
    scheduler = Scheduler(ws.settings)
    for key, logged in answers.items():
        assert records[key].state == replayed(logged, scheduler), key
        history = ws.store.log.rated_reviews([records[key].pk])[records[key].pk]
        assert [(r.anki_revlog_id, r.rating) for r in history] == logged
    assert records["anki.basic-eat"].state.state == "review"
    assert records["anki.typed-drink"].state.state == "learning"
    assert records["anki.reversed-dog.2"].state.state == "review"
    untouched = set(records) - set(answers)
    assert untouched and all(records[key].state == CardState() for key in untouched)

    again = apply_package(ws, read_package(out), out)
    assert (DECK_LINE + "0 added, 5 already imported; 1 manual reschedule(s) or cram answer(s) "
            "left out") in again
    assert {r.card.id: r.state for r in ws.store.decks.cards()
            if r.card.deck == "anki-spanish-verbs"} == {k: r.state for k, r in records.items()}


def test_a_package_without_scheduling_gives_new_cards(ws, clock, tmp_path: Path) -> None:
    out, _answers = studied(tmp_path, with_scheduling=False)
    clock.now = datetime.now(UTC)
    lines = apply_package(ws, read_package(out), out)
    assert not any(line.startswith("reviews from Anki") for line in lines)
    records = [r for r in ws.store.decks.cards() if r.card.deck == "anki-spanish-verbs"]
    assert len(records) == 8 and all(r.state == CardState() for r in records)
    assert ws.store.log.totals()["reviews"] == 0


# --- the real command ------------------------------------------------------------------------

def debrief(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The real `debrief` command on `url` (on the real clock, like Anki's scheduler)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
    environ.update({"DEBRIEF_HOME": str(tmp_path / "home"), "NO_COLOR": "1"})
    return subprocess.run([DEBRIEF, "--db", url, *args], capture_output=True, text=True,
                          env=environ, timeout=120)


def dump(path: Path) -> tuple[list[tuple], list[tuple], list[tuple]]:
    db = sqlite3.connect(path)
    try:
        return (db.execute("SELECT * FROM reviews ORDER BY id").fetchall(),
                db.execute("SELECT * FROM schedules ORDER BY card_id").fetchall(),
                db.execute("SELECT * FROM cards ORDER BY id").fetchall())
    finally:
        db.close()


@pytest.mark.e2e
def test_the_import_command_brings_a_decks_anki_history_once(tmp_path: Path) -> None:
    out, answers = studied(tmp_path)
    url = f"sqlite:///{tmp_path / 'debrief.db'}"
    first = debrief(tmp_path, url, "import", str(out))
    assert first.returncode == 0, first.stderr
    assert "deck 'anki-spanish-verbs' (Anki deck 'Spanish::Verbs'): 8 added" in first.stdout
    assert DECK_LINE + "5 added (schedules of 4 card(s) recomputed" in first.stdout

    db = sqlite3.connect(tmp_path / "debrief.db")
    try:
        logged = db.execute(
            "SELECT cards.key, reviews.anki_revlog_id, reviews.rating FROM reviews "
            "JOIN cards ON cards.id = reviews.card_id ORDER BY reviews.anki_revlog_id").fetchall()
        schedules = dict(db.execute(
            "SELECT cards.key, schedules.state FROM schedules JOIN cards "
            "ON cards.id = schedules.card_id WHERE cards.key LIKE 'anki.%'").fetchall())
        stability = dict(db.execute(
            "SELECT cards.key, schedules.stability FROM schedules JOIN cards "
            "ON cards.id = schedules.card_id WHERE cards.key LIKE 'anki.%'").fetchall())
    finally:
        db.close()
    assert sorted(logged) == sorted((key, revlog_id, rating) for key, rows in answers.items()
                                    for revlog_id, rating in rows)
    assert (schedules["anki.basic-eat"], schedules["anki.typed-drink"]) == ("review", "learning")
    assert sum(state != "new" for state in schedules.values()) == 4
    # The command's scheduler fuzzes due dates but not memory: stability is the replay's.
    for key, rows in answers.items():
        assert stability[key] == pytest.approx(replayed(rows, Scheduler()).stability), key

    before = dump(tmp_path / "debrief.db")
    second = debrief(tmp_path, url, "import", str(out))
    assert second.returncode == 0, second.stderr
    assert DECK_LINE + "0 added, 5 already imported" in second.stdout
    assert dump(tmp_path / "debrief.db") == before
