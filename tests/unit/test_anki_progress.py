"""Progress made in Anki on decks made in Anki: answers, schedules (and, below, suspensions,
flags and burials) brought back by the import core and by the real `debrief import`."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.scheduler.v3 import CardAnswer

from debrief.importers.anki import read_package
from debrief.importers.apply import apply_package
from debrief.importers.marks import AnkiMarks, Marks, merge_marks, pack
from debrief.scheduling import CardState, Rating, Scheduler
from support.anki_packages import (
    STUDIED,
    anki_card,
    answer,
    export_package,
    study_in_anki,
    third_party_collection,
)
from support.database import dump_progress

DEBRIEF = shutil.which("debrief", path=str(Path(sys.executable).parent)) or "debrief"
DECK_LINE = "reviews from Anki in deck 'anki-spanish-verbs': "


def studied(tmp_path: Path, with_scheduling: bool = True, legacy: bool = False,
            marked: bool = False) -> tuple[Path, dict[str, list[tuple[int, int]]]]:
    """A package of the Spanish deck after some study in Anki (and, if `marked`, the marks of
    `marked_collection`), and each studied card's answers as Anki logged them: (revlog id,
    rating), oldest first, by debrief card id."""
    col = marked_collection(tmp_path) if marked else third_party_collection(
        tmp_path / "theirs.anki2")
    try:
        if not marked:
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


def test_cards_in_a_filtered_deck_stay_in_their_own_deck(tmp_path: Path) -> None:
    col = third_party_collection(tmp_path / "theirs.anki2")
    try:
        cram = col.decks.new_filtered("Cram")
        deck = col.decks.get(cram)
        assert deck is not None
        deck["terms"], deck["resched"] = [["tag:verbs", 100, 0]], False
        col.decks.save(deck)
        col.sched.rebuild_filtered_deck(cram)
        assert col.db.scalar("SELECT count() FROM cards WHERE did = ?", cram) == 3
        # Cramming in a filtered deck that does not reschedule: no answer for FSRS.
        answer(col, anki_card(col, "basic-eat"), CardAnswer.GOOD)
        package = read_package(export_package(col, tmp_path / "cram.apkg"))
    finally:
        col.close()
    assert [deck.name for deck in package.decks] == ["anki-spanish-verbs"]
    assert len(package.decks[0].cards) == 8
    assert package.reviews == () and package.deck_not_answers == {"anki-spanish-verbs": 1}


def test_answers_before_a_reset_in_anki_are_left_out(ws, clock, tmp_path: Path) -> None:
    col = third_party_collection(tmp_path / "theirs.anki2")
    try:
        eat = anki_card(col, "basic-eat")
        answer(col, eat, CardAnswer.EASY)
        col.sched.schedule_cards_as_new([eat.id], restore_position=True, reset_counts=False)
        answer(col, col.get_card(eat.id), CardAnswer.GOOD)
        ((revlog_id, rating),) = col.db.all(
            "SELECT id, ease FROM revlog WHERE ease > 0 ORDER BY id DESC LIMIT 1")
        out = export_package(col, tmp_path / "reset.apkg")
    finally:
        col.close()
    clock.now = datetime.now(UTC)
    lines = apply_package(ws, read_package(out), out)
    assert (DECK_LINE + "1 added (schedules of 1 card(s) recomputed from their history), 0 "
            "already imported; 1 manual reschedule(s) or cram answer(s) left out; 1 answer(s) "
            "from before a reset in Anki left out") in lines
    (record,) = [r for r in ws.store.decks.cards() if r.card.id == "anki.basic-eat"]
    # Good on a new card: the first learning step, as if the Easy before the reset never was.
    assert record.state == replayed([(revlog_id, rating)], Scheduler(ws.settings))
    assert record.state.state == "learning"


# --- the real command ------------------------------------------------------------------------

def debrief(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The real `debrief` command on `url` (on the real clock, like Anki's scheduler)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
    environ.update({"DEBRIEF_HOME": str(tmp_path / "home"), "NO_COLOR": "1"})
    return subprocess.run([DEBRIEF, "--db", url, *args], capture_output=True, text=True,
                          env=environ, timeout=120)


@pytest.mark.e2e
def test_the_import_command_brings_a_decks_anki_history_once(tmp_path: Path) -> None:
    out, answers = studied(tmp_path, marked=True)
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
        marks = {key: (bool(suspended), flag, buried is not None) for key, suspended, flag, buried
                 in db.execute("SELECT cards.key, suspended, flag, buried_until FROM schedules "
                               "JOIN cards ON cards.id = schedules.card_id WHERE suspended "
                               "OR flag != 0 OR buried_until IS NOT NULL")}
    finally:
        db.close()
    assert sorted(logged) == sorted((key, revlog_id, rating) for key, rows in answers.items()
                                    for revlog_id, rating in rows)
    assert (schedules["anki.basic-eat"], schedules["anki.typed-drink"]) == ("review", "learning")
    assert sum(state != "new" for state in schedules.values()) == 4
    # The command's scheduler fuzzes due dates but not memory: stability is the replay's.
    for key, rows in answers.items():
        assert stability[key] == pytest.approx(replayed(rows, Scheduler()).stability), key

    assert marks == {"anki.basic-long": (True, 0, False), "anki.sound-sleep": (False, 2, False),
                     "anki.reversed-dog": (False, 0, True)}
    assert "suspensions, flags and burials from Anki: 1 suspended" in first.stdout

    before = dump_progress(tmp_path / "debrief.db")
    second = debrief(tmp_path, url, "import", str(out))
    assert second.returncode == 0, second.stderr
    assert DECK_LINE + "0 added, 5 already imported" in second.stdout
    assert "suspensions" not in second.stdout
    assert dump_progress(tmp_path / "debrief.db") == before


# --- suspension, flags and burial -------------------------------------------------------------

T = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
DAY_END = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)


def theirs(suspended: bool = False, flag: int = 0, buried: bool = False, at: datetime = T,
           sent: int | None = None) -> AnkiMarks:
    return AnkiMarks("c", suspended, flag, buried, at, sent)


@pytest.mark.parametrize(("ours", "anki", "expected"), [
    # Never marked in debrief: Anki's marks are taken.
    (Marks(), theirs(suspended=True, flag=2), (True, 2)),
    # Unchanged in Anki since the export (its custom data says what was sent): debrief's own
    # later suspension stays, even though the card changed in Anki later (an answer).
    (Marks(suspended=True, leech=True, marked_at=T - HOUR), theirs(at=T, sent=0), (True, 0)),
    # Unchanged since the last import: the same, for a deck made in Anki.
    (Marks(flag=3, marked_at=T - HOUR, anki_marks=0), theirs(flag=0, at=T), (False, 3)),
    # Changed in Anki only: taken, whatever the times.
    (Marks(flag=1, marked_at=T + HOUR), theirs(suspended=True, flag=1, sent=1), (True, 1)),
    (Marks(suspended=True, marked_at=T + HOUR), theirs(sent=8), (False, 0)),
    # Changed on both sides: the later change wins.
    (Marks(flag=2, marked_at=T - HOUR, anki_marks=0), theirs(flag=4, at=T), (False, 4)),
    (Marks(flag=2, marked_at=T + HOUR, anki_marks=0), theirs(flag=4, at=T), (False, 2)),
    # Nothing known of what was sent: the later change wins...
    (Marks(flag=2, marked_at=T - HOUR), theirs(flag=4, at=T), (False, 4)),
    (Marks(flag=2, marked_at=T + HOUR), theirs(flag=4, at=T), (False, 2)),
    # ...but a leech debrief suspended is never unsuspended on a guess.
    (Marks(suspended=True, leech=True, marked_at=T - HOUR), theirs(at=T), (True, 0)),
    # Anki's pink, turquoise and purple have no debrief colour: debrief's flag stays.
    (Marks(flag=1), theirs(flag=6), (False, 1)),
])
def test_which_side_changed_a_mark_last_wins(ours: Marks, anki: AnkiMarks,
                                             expected: tuple[bool, int]) -> None:
    merged = merge_marks(ours, anki, DAY_END, T)
    assert (merged.marks.suspended, merged.marks.flag) == expected
    assert merged.marks.anki_marks == pack(anki.suspended, anki.flag)
    # Merging the same again changes nothing more.
    assert merge_marks(merged.marks, anki, DAY_END, T).marks == merged.marks


def test_a_burial_in_anki_lasts_to_the_end_of_its_study_day() -> None:
    buried = merge_marks(Marks(), theirs(buried=True), DAY_END, T + HOUR)
    assert buried.buried and buried.marks.buried_until == DAY_END
    # Buried on a day that is over: nothing to do.
    assert merge_marks(Marks(), theirs(buried=True), DAY_END, DAY_END + HOUR).marks.buried_until \
        is None
    # debrief unburied it after Anki buried it: it stays unburied.
    assert merge_marks(Marks(marked_at=T + HOUR), theirs(buried=True), DAY_END,
                       T + HOUR).marks.buried_until is None


def marked_collection(tmp_path: Path) -> Collection:
    """The Spanish deck after study in Anki, with one card suspended, one flagged orange, one
    flagged pink (no debrief colour) and one buried by hand."""
    col = third_party_collection(tmp_path / "theirs.anki2")
    study_in_anki(col)
    col.sched.suspend_cards([anki_card(col, "basic-long").id])
    col.set_user_flag_for_cards(2, [anki_card(col, "sound-sleep").id])
    col.set_user_flag_for_cards(5, [anki_card(col, "typed-drink").id])
    col.sched.bury_cards([anki_card(col, "reversed-dog").id])
    return col


def marks_of(ws) -> dict[str, tuple[bool, int, bool]]:
    now = ws.now()
    return {r.card.id: (r.suspended, r.flag, r.buried_until is not None and r.buried_until > now)
            for r in ws.store.decks.cards() if r.card.deck == "anki-spanish-verbs"}


def test_marks_made_in_anki_come_with_a_deck_made_in_anki(ws, clock, tmp_path: Path) -> None:
    col = marked_collection(tmp_path)
    try:
        out = export_package(col, tmp_path / "marked.apkg")
    finally:
        col.close()
    clock.now = datetime.now(UTC)
    lines = apply_package(ws, read_package(out), out)
    assert ("suspensions, flags and burials from Anki: 1 suspended, 1 flag(s) set or cleared, "
            "1 buried until the next study day, 1 flag(s) of a colour debrief lacks (pink, "
            "turquoise, purple) not brought in") in lines
    marks = marks_of(ws)
    assert marks["anki.basic-long"] == (True, 0, False)
    assert marks["anki.sound-sleep"] == (False, 2, False)
    assert marks["anki.typed-drink"] == (False, 0, False)
    assert marks["anki.reversed-dog"] == (False, 0, True)
    (dog,) = [r for r in ws.store.decks.cards() if r.card.id == "anki.reversed-dog"]
    assert dog.buried_until == ws.day_bounds()[1]
    assert sum(map(any, marks.values())) == 3

    # The same package again: nothing changes, nothing to report.
    again = apply_package(ws, read_package(out), out)
    assert not any(line.startswith("suspensions") for line in again)
    assert marks_of(ws) == marks


def test_the_later_change_of_a_mark_wins(ws, clock, tmp_path: Path) -> None:
    col = marked_collection(tmp_path)
    try:
        out = export_package(col, tmp_path / "marked.apkg")
        clock.now = datetime.now(UTC)
        apply_package(ws, read_package(out), out)
        pks = {r.card.id: r.pk for r in ws.store.decks.cards()}
        # In debrief, after that import: the suspended card unsuspended, the orange flag blue.
        ws.store.decks.set_suspended(pks["anki.basic-long"], False, clock.now)
        ws.store.decks.set_flag([pks["anki.sound-sleep"]], 4, clock.now)
        # The same package again: Anki changed nothing since, debrief's changes stay.
        apply_package(ws, read_package(out), out)
        assert marks_of(ws)["anki.basic-long"] == (False, 0, False)
        assert marks_of(ws)["anki.sound-sleep"] == (False, 4, False)
        # Changed on both sides: the flag made green in Anki, blue in debrief an hour before.
        col.set_user_flag_for_cards(3, [anki_card(col, "sound-sleep").id])
        out = export_package(col, tmp_path / "marked-2.apkg")
        ws.store.decks.set_flag([pks["anki.sound-sleep"]], 4, datetime.now(UTC) - HOUR)
        apply_package(ws, read_package(out), out)
        assert marks_of(ws)["anki.sound-sleep"] == (False, 3, False)
        # And again, red in Anki, blue in debrief an hour after: debrief's stays.
        col.set_user_flag_for_cards(1, [anki_card(col, "sound-sleep").id])
        out = export_package(col, tmp_path / "marked-3.apkg")
        ws.store.decks.set_flag([pks["anki.sound-sleep"]], 4, datetime.now(UTC) + HOUR)
        lines = apply_package(ws, read_package(out), out)
        assert marks_of(ws)["anki.sound-sleep"] == (False, 4, False)
        assert "suspensions, flags and burials from Anki: 1 kept as debrief changed them " \
               "later" in lines
        assert marks_of(ws)["anki.basic-long"] == (False, 0, False)
    finally:
        col.close()


def test_a_package_without_scheduling_brings_no_marks(ws, clock, tmp_path: Path) -> None:
    col = marked_collection(tmp_path)
    try:
        out = export_package(col, tmp_path / "plain.apkg", with_scheduling=False)
    finally:
        col.close()
    assert read_package(out).marks == ()
    apply_package(ws, read_package(out), out)
    assert not any(any(marks) for marks in marks_of(ws).values())
