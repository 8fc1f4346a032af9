"""The Anki round trip with the official anki package: debrief history -> export with progress
-> Anki (its own scheduler answers) -> .apkg/.colpkg -> `debrief import` -> debrief's log.

Anki's scheduler runs on the real clock, so every time here is relative to the real now.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)
from anki.scheduler.v3 import CardAnswer

from debrief.cards import Card, Deck
from debrief.clock import study_day
from debrief.config import Settings
from debrief.export.anki import export_apkg, study_progress
from debrief.export.notes import guid_for
from debrief.importers.anki import AnkiPackageError, read_package
from debrief.scheduling import Rating, Scheduler
from debrief.store import open_store
from support.anki_packages import third_party_collection, third_party_package
from support.database import dump_progress

SETTINGS = Settings(enable_fuzzing=False, parameters=tuple(
    [0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
     1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542]))
NOW = datetime.now(UTC).replace(microsecond=0)
DEBRIEF = shutil.which("debrief", path=str(Path(sys.executable).parent)) or "debrief"
CARDS = (
    Card(id="rt-review", deck="trip", kind="text", prompt="What does RAG stand for?",
         answer="retrieval augmented generation"),
    Card(id="rt-lapsed", deck="trip", kind="text", prompt="Precision is?", answer="TP / (TP + FP)"),
    Card(id="rt-learning", deck="trip", kind="recall", prompt="Pitch yourself", answer="..."),
    Card(id="rt-suspended", deck="trip", kind="number", prompt="Offer gap?", answer="20k"),
    Card(id="rt-new", deck="trip", kind="list", prompt="Two metrics", answer=("p", "r", "f1"),
         min_items=2),
)
DECK = Deck(name="trip", title="Round trip", cards=CARDS)
# card id -> (rating, time) answers, oldest first
HISTORY = {
    "rt-review": [(3, NOW - timedelta(days=30)), (3, NOW - timedelta(days=30, minutes=-10)),
                  (3, NOW - timedelta(days=26)), (3, NOW - timedelta(days=12))],
    "rt-lapsed": [(3, NOW - timedelta(days=20)), (3, NOW - timedelta(days=20, minutes=-10)),
                  (1, NOW - timedelta(days=15)), (3, NOW - timedelta(days=15, minutes=-10))],
    "rt-learning": [(3, NOW - timedelta(minutes=3))],
}


def make_store(url: str):
    """A store holding DECK with HISTORY answered through debrief's scheduler, one card
    suspended and one flagged."""
    store = open_store(url)
    store.decks.sync_decks([DECK], NOW - timedelta(days=31))
    scheduler = Scheduler(SETTINGS)
    pks = {record.card.id: record.pk for record in store.decks.cards()}
    for key, answers in HISTORY.items():
        for rating, at in answers:
            store.queue.record_review(pks[key], at,
                                      lambda state, r=rating, t=at: scheduler.review(state, Rating(r), t),
                                      rating=rating, answer=None, verdict=None, score=None,
                                      duration_ms=4200)
    store.decks.set_suspended(pks["rt-suspended"], True, datetime.now(UTC))
    with store.db.transaction() as session:
        from sqlalchemy import text

        session.execute(text("UPDATE schedules SET flag = 3 WHERE card_id = :pk"),
                        {"pk": pks["rt-review"]})
    return store


def export_with_progress(store, path: Path) -> None:
    records = store.decks.cards()
    pks = [record.pk for record in records]
    study = study_progress(records, store.decks.card_flags(pks), store.log.rated_reviews(pks), SETTINGS)
    export_apkg([DECK], path, study=study)


def import_into_anki(col: Collection, path: Path):
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions(
        merge_notetypes=True, with_scheduling=True, with_deck_configs=True))
    return col.import_anki_package(request).log


def anki_card(col: Collection, key: str):
    (nid,) = [nid for nid in col.find_notes("") if col.get_note(nid).guid == f"debrief:{key}"]
    (card,) = col.get_note(nid).cards()
    return card


@pytest.fixture
def trip(tmp_path: Path) -> Iterator[tuple[object, Collection, Path]]:
    url = f"sqlite:///{tmp_path / 'debrief.db'}"
    store = make_store(url)
    package = tmp_path / "progress.apkg"
    export_with_progress(store, package)
    col = Collection(str(tmp_path / "anki" / "collection.anki2")) if (
        tmp_path / "anki").mkdir() is None else None
    assert col is not None
    col.set_config("fsrs", True)
    import_into_anki(col, package)
    yield store, col, tmp_path
    col.close()
    store.close()


# --- export with progress, read by Anki ----------------------------------------------------------

def test_anki_continues_each_schedule_from_the_export(trip) -> None:
    store, col, _ = trip
    records = {record.card.id: record for record in store.decks.cards()}
    today = study_day(NOW)
    for key in ("rt-review", "rt-lapsed"):
        state = records[key].state
        card = anki_card(col, key)
        assert (card.type, card.queue) == (2, 2), key
        assert card.due - col.sched.today == (study_day(state.due) - today).days
        assert card.ivl == (study_day(state.due) - study_day(state.last_review)).days
        assert (card.reps, card.lapses) == (state.reps, state.lapses)
        assert card.memory_state.stability == pytest.approx(state.stability, abs=1e-3)
        assert card.memory_state.difficulty == pytest.approx(state.difficulty, abs=1e-2)
        assert card.desired_retention == pytest.approx(0.9)
    assert anki_card(col, "rt-lapsed").lapses == 1
    learning = anki_card(col, "rt-learning")
    assert (learning.type, learning.queue) == (1, 1)
    assert learning.due == int(records["rt-learning"].state.due.timestamp())
    assert anki_card(col, "rt-suspended").queue == -1
    assert (anki_card(col, "rt-new").type, anki_card(col, "rt-new").queue) == (0, 0)
    assert anki_card(col, "rt-review").user_flag() == 3
    assert anki_card(col, "rt-new").user_flag() == 0


def test_the_review_history_arrives_as_revlog_rows(trip) -> None:
    _, col, _ = trip
    for key, answers in HISTORY.items():
        rows = col.db.all("SELECT id, ease, time, type FROM revlog WHERE cid = ? ORDER BY id",
                          anki_card(col, key).id)
        assert [(ease, duration) for _id, ease, duration, _type in rows] == [
            (rating, 4200) for rating, _at in answers]
        assert [revlog_id // 1000 for revlog_id, *_ in rows] == [
            int(at.timestamp()) for _rating, at in answers]
    types = col.db.list("SELECT type FROM revlog WHERE cid = ? ORDER BY id",
                        anki_card(col, "rt-lapsed").id)
    assert types == [0, 0, 1, 2]  # learn, learn, review (the lapse), relearn
    assert col.db.scalar("SELECT count() FROM revlog") == sum(map(len, HISTORY.values()))


def test_deck_options_carry_desired_retention_and_fsrs_parameters(trip) -> None:
    _, col, _ = trip
    did = anki_card(col, "rt-review").did
    config = col.decks.config_dict_for_deck_id(did)
    assert config["name"] == "Debrief"
    assert config["desiredRetention"] == pytest.approx(0.9)
    assert config["fsrsParams6"] == pytest.approx(list(SETTINGS.parameters), abs=1e-4)
    assert config["new"]["delays"] == [1.0, 10.0]


def test_list_and_number_cards_show_the_answer_instead_of_a_type_in(trip) -> None:
    _, col, _ = trip
    for key in ("rt-new", "rt-suspended"):
        card = anki_card(col, key)
        assert "[[type:" not in card.question() and "[[type:" not in card.answer()
        assert card.note()["Answer"] in card.answer()
    assert "[[type:Answer]]" in anki_card(col, "rt-review").question()


# --- answered in Anki, brought back -------------------------------------------------------------

def answer_in_anki(col: Collection) -> dict[str, int]:
    """Answer the due review card Good, the lapsed card Again and the new card Good with Anki's
    own scheduler; returns how many answers each card got."""
    answers = {"rt-review": CardAnswer.GOOD, "rt-lapsed": CardAnswer.AGAIN, "rt-new": CardAnswer.GOOD}
    for key, rating in answers.items():
        card = anki_card(col, key)
        card.start_timer()
        states = col._backend.get_scheduling_states(card.id)
        col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=rating))
    return {key: 1 for key in answers}


def debrief(tmp_path: Path, url: str, *args: str,
            stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The real `debrief` command on `url` (on the real clock, like Anki's scheduler)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
    environ.update({"DEBRIEF_HOME": str(tmp_path / "home"), "NO_COLOR": "1"})
    return subprocess.run([DEBRIEF, "--db", url, *args], input=stdin,
                          capture_output=True, text=True, env=environ, timeout=120)


@pytest.mark.e2e
@pytest.mark.parametrize("form", ["apkg", "colpkg"])
def test_answers_made_in_anki_join_debriefs_log(trip, form: str) -> None:
    store, col, tmp_path = trip
    before = {record.card.id: record for record in store.decks.cards()}
    answer_in_anki(col)
    anki_state = {key: anki_card(col, key) for key in ("rt-review", "rt-lapsed", "rt-new")}
    anki_today = col.sched.today
    out = tmp_path / f"from-anki.{form}"
    if form == "apkg":
        col.export_anki_package(out_path=str(out), limit=None, options=ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False))
    else:
        col.export_collection_package(str(out), include_media=False, legacy=False)
        col.reopen()  # a collection package is written from the closed collection
    with zipfile.ZipFile(out) as package:
        assert "collection.anki21b" in package.namelist()  # the zstd-compressed collection
    url = f"sqlite:///{tmp_path / 'debrief.db'}"
    store.close()

    result = debrief(tmp_path, url, "import", str(out))
    assert result.returncode == 0, result.stderr
    assert "3 added" in result.stdout and f"{sum(map(len, HISTORY.values()))} were debrief's own" \
        in result.stdout

    reopened = open_store(url)
    try:
        after = {record.card.id: record for record in reopened.decks.cards()}
        for key in anki_state:
            history = reopened.log.history(after[key].pk)
            assert len(history) == len(HISTORY.get(key, [])) + 1, key
            assert after[key].state.reps == before[key].state.reps + 1
            assert after[key].state.last_review == history[0].reviewed_at
            assert abs(history[0].reviewed_at - NOW) < timedelta(minutes=30)
        # Good on an overdue review card: a review again, due about when Anki put it.
        review = after["rt-review"].state
        assert review.state == "review"
        anki_due = study_day(NOW) + timedelta(days=anki_state["rt-review"].due - anki_today)
        # Both sides fuzz the interval (about ±5% each) from stabilities allowed to differ by 25%
        # below, so the due dates are held to the same 25%: 15% failed on one fuzz draw in ten.
        assert abs((study_day(review.due) - anki_due).days) <= max(2, 0.25 * anki_state[
            "rt-review"].ivl)
        assert review.stability == pytest.approx(anki_state["rt-review"].memory_state.stability,
                                                 rel=0.25)
        assert after["rt-lapsed"].state.state == "relearning"
        assert after["rt-lapsed"].state.lapses == before["rt-lapsed"].state.lapses + 1
        assert after["rt-new"].state.state == "learning"
        assert after["rt-suspended"].state == before["rt-suspended"].state
        stats = json.loads(debrief(tmp_path, url, "stats", "--json").stdout)
        assert stats["reviews_total"] == sum(map(len, HISTORY.values())) + 3
    finally:
        reopened.close()

    # Importing the same package again changes nothing.
    first = dump_progress(tmp_path / "debrief.db")
    again = debrief(tmp_path, url, "import", str(out))
    assert again.returncode == 0, again.stderr
    assert "0 added" in again.stdout and "3 already imported" in again.stdout
    assert dump_progress(tmp_path / "debrief.db") == first


def test_a_second_export_sends_the_phone_reviews_back_with_their_anki_ids(trip) -> None:
    store, col, tmp_path = trip
    answer_in_anki(col)
    # A manual "set due date" logs a revlog row that is no answer (ease 0).
    col.sched.set_due_date([anki_card(col, "rt-learning").id], "3")
    out = tmp_path / "from-anki.apkg"
    col.export_anki_package(out_path=str(out), limit=None, options=ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False))
    package = read_package(out)
    assert package.not_answers == 1
    scheduler = Scheduler(SETTINGS)
    result = store.log.add_anki_reviews(package.reviews,
                                        lambda s, r, t: scheduler.review(s, Rating(r), t))
    assert (result.added, result.cards) == (3, 3)
    anki_ids = set(col.db.list("SELECT id FROM revlog WHERE ease > 0"))
    second = tmp_path / "second.apkg"
    export_with_progress(store, second)
    fresh = Collection(str(tmp_path / "fresh.anki2"))
    try:
        import_into_anki(fresh, second)
        # Every review, terminal and phone, once; the phone's with the ids Anki gave them.
        assert set(fresh.db.list("SELECT id FROM revlog")) == anki_ids
    finally:
        fresh.close()


# --- a deck made in Anki ------------------------------------------------------------------------

@pytest.fixture(params=["new-format", "legacy"])
def third_party(request, tmp_path: Path) -> Path:
    return third_party_package(tmp_path, legacy=request.param == "legacy")


def test_a_deck_made_in_anki_becomes_a_deck_of_text_recall_and_cloze_cards(third_party) -> None:
    package = read_package(third_party)
    assert [deck.name for deck in package.decks] == ["anki-spanish-verbs"]
    assert package.decks[0].title == "Spanish::Verbs"
    cards = {card.prompt: card for card in package.decks[0].cards}
    assert (cards["to eat"].kind, cards["to eat"].answer) == ("text", "comer")
    assert set(cards["to eat"].tags) == {"verbs", "food"}
    assert cards["Explain ser vs estar"].kind == "recall"
    assert cards["Explain ser vs estar"].answer == "ser: permanent traits\nestar: states & places"
    assert (cards["to drink"].kind, cards["to drink"].answer) == ("text", "beber")
    first = cards["[...] is the capital of Spain"]
    second = cards["Madrid is the capital of [country]"]
    assert (first.answer, second.answer) == ("Madrid", "Spain")
    assert first.explanation == "Geography" and first.group == second.group
    assert cards["to sleep"].answer == "dormir"
    assert (cards["dog"].answer, cards["perro"].answer) == ("perro", "dog")
    assert package.media == ("diagram.png", "dormir.mp3")
    assert [(s.what, s.reason) for s in package.skipped] == [
        ("note with GUID 'image-only'", "its question has no text (only media or empty)")]
    assert len({card.id for card in package.decks[0].cards}) == 8


@pytest.mark.e2e
def test_importing_a_deck_made_in_anki_twice_changes_nothing(third_party, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'debrief.db'}"
    first = debrief(tmp_path, url, "import", str(third_party))
    assert first.returncode == 0, first.stderr
    assert "deck 'anki-spanish-verbs' (Anki deck 'Spanish::Verbs'): 8 added" in first.stdout
    assert "media not imported (2 file(s); debrief shows text only): diagram.png, dormir.mp3" \
        in first.stdout
    assert ("skipped 1: note with GUID 'image-only': its question has no text (only media or "
            "empty)") in first.stdout
    assert "reviews from Anki" not in first.stdout
    before = dump_progress(tmp_path / "debrief.db")
    second = debrief(tmp_path, url, "import", str(third_party))
    assert second.returncode == 0, second.stderr
    assert "0 added, 0 updated, 0 retired, 8 unchanged" in second.stdout
    assert dump_progress(tmp_path / "debrief.db") == before
    cards = json.loads(debrief(tmp_path, url, "cards", "--json", "--deck",
                               "anki-spanish-verbs").stdout)
    assert sorted(card["kind"] for card in cards) == ["recall"] + ["text"] * 7


def test_an_edited_note_updates_its_card_in_place(tmp_path: Path) -> None:
    col = third_party_collection(tmp_path / "theirs.anki2")
    try:
        out = tmp_path / "spanish.apkg"
        options = ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False,
                                           with_media=False, legacy=False)
        col.export_anki_package(out_path=str(out), limit=None, options=options)
        store = open_store(f"sqlite:///{tmp_path / 'debrief.db'}")
        try:
            store.decks.sync_decks(list(read_package(out).decks), NOW)
            (nid,) = [n for n in col.find_notes("") if col.get_note(n).guid == "basic-eat"]
            note = col.get_note(nid)
            note["Back"] = "comer (regular -er)"
            col.update_note(note)
            col.export_anki_package(out_path=str(out), limit=None, options=options)
            report = store.decks.sync_decks(list(read_package(out).decks), NOW)
            assert (report.added, report.updated) == (0, 1)
            (card,) = [r.card for r in store.decks.cards() if r.card.prompt == "to eat"]
            assert card.answer == "comer (regular -er)"
        finally:
            store.close()
    finally:
        col.close()


# --- packages that cannot be read ---------------------------------------------------------------

def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(("entries", "message"), [
    (None, "not an Anki package (not a zip archive)"),
    ({"media": b"{}"}, "no collection.anki2 inside"),
    ({"meta": b"\x08\x04", "collection.anki21b": b"x"}, "made by a newer Anki (package format 4)"),
    ({"meta": b"\x08\x03", "collection.anki21b": b"not zstd"}, "damaged package"),
    ({"collection.anki2": b"SQLite format 3\x00 but truncated"}, "damaged package"),
])
def test_a_bad_package_is_one_clear_line(tmp_path: Path, entries, message) -> None:
    path = tmp_path / "bad.apkg"
    if entries is None:
        path.write_bytes(b"PK? not really")
    else:
        _zip(path, entries)
    with pytest.raises(AnkiPackageError, match=re.escape(message)):
        read_package(path)


def test_a_collection_from_a_newer_anki_is_refused(tmp_path: Path) -> None:
    package = tmp_path / "debrief.apkg"
    export_apkg([DECK], package)
    with zipfile.ZipFile(package) as archive:
        data = archive.read("collection.anki2")
    db = sqlite3.connect(":memory:")
    db.deserialize(data)
    db.execute("UPDATE col SET ver = 19")
    db.commit()
    _zip(tmp_path / "newer.apkg", {"collection.anki2": db.serialize()})
    with pytest.raises(AnkiPackageError, match="newer Anki .collection schema 19"):
        read_package(tmp_path / "newer.apkg")


@pytest.mark.e2e
def test_a_bad_package_changes_nothing_and_says_so_in_one_line(trip) -> None:
    store, _col, tmp_path = trip
    url = f"sqlite:///{tmp_path / 'debrief.db'}"
    store.close()
    debrief(tmp_path, url, "decks")  # the bundled decks arrive first
    before = dump_progress(tmp_path / "debrief.db")
    bad = _zip(tmp_path / "bad.colpkg", {"meta": b"\x08\x03", "collection.anki21b": b"\x28\xb5"})
    result = debrief(tmp_path, url, "import", str(bad))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "damaged package" in result.stderr
    assert "Traceback" not in result.stderr
    assert dump_progress(tmp_path / "debrief.db") == before


def test_the_importer_is_core_code() -> None:
    code = ("import sys, debrief.importers.anki; "
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert not {"textual", "click", "sqlalchemy", "anki"} & set(loaded)


def test_own_cards_not_in_the_collection_are_reported(tmp_path: Path) -> None:
    other = replace(DECK, cards=(replace(CARDS[0], id="gone-card"),))
    export_apkg([other], tmp_path / "x.apkg")
    package = read_package(tmp_path / "x.apkg")
    assert package.debrief_cards == ("gone-card",) and not package.decks
    assert guid_for(other.cards[0]) == "debrief:gone-card"


@pytest.mark.e2e
def test_the_export_command_carries_progress_by_default(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'debrief.db'}"
    reviewed = debrief(tmp_path, url, "review", "--plain", "--limit", "2", stdin="x\n\ny\n3\n")
    assert reviewed.stdout.count("Saved: ") == 2, reviewed.stderr
    for flag, answered in (("--with-progress", 2), ("--without-progress", 0)):
        out = tmp_path / f"export{flag}.apkg"
        args = ["export", "anki", "-o", str(out)] + ([] if answered else [flag])
        result = debrief(tmp_path, url, *args)
        assert result.returncode == 0, result.stderr
        col = Collection(str(tmp_path / f"anki{flag}" / "collection.anki2")) if (
            tmp_path / f"anki{flag}").mkdir() is None else None
        assert col is not None
        try:
            import_into_anki(col, out)
            assert col.db.scalar("SELECT count() FROM cards WHERE type != 0") == answered
            assert col.db.scalar("SELECT count() FROM revlog") == answered
        finally:
            col.close()


def test_relearning_day_learning_and_buried_cards_keep_their_queues(tmp_path: Path) -> None:
    from debrief.export.anki import StudyProgress
    from debrief.importers.history import CardProgress
    from debrief.scheduling import CardState

    relearning = CardState(state="relearning", step=0, stability=1.2, difficulty=7.5,
                           due=NOW + timedelta(days=2), last_review=NOW - timedelta(hours=1),
                           reps=6, lapses=2)
    buried = CardState(state="review", stability=20.0, difficulty=5.0,
                       due=NOW - timedelta(days=1), last_review=NOW - timedelta(days=21), reps=4)
    study = StudyProgress(cards={
        "rt-lapsed": CardProgress(state=relearning),
        "rt-review": CardProgress(state=buried, buried_until=NOW + timedelta(hours=12)),
    }, settings=SETTINGS)
    export_apkg([DECK], tmp_path / "x.apkg", study=study)
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        import_into_anki(col, tmp_path / "x.apkg")
        card = anki_card(col, "rt-lapsed")
        # Relearning, due in two days: Anki's day-learning queue, counted in days.
        assert (card.type, card.queue, card.due - col.sched.today) == (3, 3, 2)
        assert (card.reps, card.lapses, card.left % 1000) == (6, 2, 1)
        card = anki_card(col, "rt-review")
        assert (card.type, card.queue, card.due - col.sched.today) == (2, -3, -1)
        assert card.ivl == 20
    finally:
        col.close()


@pytest.mark.e2e
def test_suspensions_flags_and_burials_made_in_anki_come_back(trip) -> None:
    store, col, tmp_path = trip
    pks = {record.card.id: record.pk for record in store.decks.cards()}
    # In debrief, after the export: rt-review suspended (as a leech would be).
    store.decks.set_suspended(pks["rt-review"], True, datetime.now(UTC))
    # In Anki, later still: rt-review answered (Anki never saw that suspension), rt-learning
    # suspended, rt-lapsed flagged red, rt-suspended unsuspended, rt-new buried.
    card = anki_card(col, "rt-review")
    card.start_timer()
    states = col._backend.get_scheduling_states(card.id)
    col.sched.answer_card(col.sched.build_answer(card=card, states=states,
                                                 rating=CardAnswer.GOOD))
    col.sched.suspend_cards([anki_card(col, "rt-learning").id])
    col.set_user_flag_for_cards(1, [anki_card(col, "rt-lapsed").id])
    col.sched.unsuspend_cards([anki_card(col, "rt-suspended").id])
    col.sched.bury_cards([anki_card(col, "rt-new").id])
    out = tmp_path / "marked.apkg"
    col.export_anki_package(out_path=str(out), limit=None, options=ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False))
    url = f"sqlite:///{tmp_path / 'debrief.db'}"
    store.close()

    result = debrief(tmp_path, url, "import", str(out))
    assert result.returncode == 0, result.stderr
    assert "reviews from Anki of 5 debrief card(s): 1 added" in result.stdout
    assert ("suspensions, flags and burials from Anki: 1 suspended, 1 unsuspended, "
            "1 flag(s) set or cleared, 1 buried until the next study day\n") in result.stdout
    reopened = open_store(url)
    try:
        now = datetime.now(UTC)
        after = {record.card.id: record for record in reopened.decks.cards()}
        assert after["rt-review"].suspended and after["rt-review"].flag == 3
        assert after["rt-review"].state.reps == 5  # the answer made in Anki joined it
        assert after["rt-learning"].suspended
        assert (after["rt-lapsed"].suspended, after["rt-lapsed"].flag) == (False, 1)
        assert not after["rt-suspended"].suspended
        buried = after["rt-new"].buried_until
        assert buried is not None and now < buried <= now + timedelta(days=1)
    finally:
        reopened.close()

    first = dump_progress(tmp_path / "debrief.db")
    again = debrief(tmp_path, url, "import", str(out))
    assert again.returncode == 0, again.stderr
    assert "suspensions" not in again.stdout
    assert dump_progress(tmp_path / "debrief.db") == first
