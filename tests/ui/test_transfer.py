"""Export and import from the app: a path dialog, a progress bar, the result as a toast."""

from __future__ import annotations

import csv
from pathlib import Path

from textual.widgets import Input, Static

from debrief.tui.screens.home import HomeScreen
from debrief.tui.screens.transfer import TransferScreen
from support.tui import make_app

MY_DECK = """[deck]
name = "mine"
title = "My own cards"

[[cards]]
id = "mine-001"
kind = "text"
prompt = "What does NDCG rank?"
answer = "results"
"""


async def run_dialog(pilot, key: str, path: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, TransferScreen)
    pilot.app.screen.query_one(Input).value = path
    await pilot.press("enter")
    for _ in range(300):  # the work runs in a thread: wait for it (generously)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not isinstance(pilot.app.screen, TransferScreen) or not pilot.app.screen.busy:
            break


def toasts(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


async def test_export_to_anki_writes_a_package_anki_imports(ws, timer, tmp_path):
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    out = tmp_path / "out.apkg"
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_dialog(pilot, "e", str(out))
        assert isinstance(app.screen, HomeScreen)
        assert any(f"Wrote 13 cards from 2 decks to {out}" in t for t in toasts(app))
    (tmp_path / "anki").mkdir()
    collection = Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        log = collection.import_anki_package(ImportAnkiPackageRequest(
            package_path=str(out), options=ImportAnkiPackageOptions(with_scheduling=False))).log
        assert len(log.new) == 13
    finally:
        collection.close()


async def test_the_apps_anki_export_carries_progress_as_the_command_does(ws, timer, tmp_path):
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    from debrief.scheduling import Rating
    from debrief.session import ReviewSession

    session = ReviewSession(ws)
    assert session.current is not None
    studied = session.current.card.id
    session.submit(session.current.card.answer_text)
    session.rate(Rating.GOOD)
    out = tmp_path / "progress.apkg"
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_dialog(pilot, "e", str(out))
        assert isinstance(app.screen, HomeScreen)
    (tmp_path / "anki").mkdir()
    collection = Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        collection.import_anki_package(ImportAnkiPackageRequest(
            package_path=str(out), options=ImportAnkiPackageOptions(with_scheduling=True)))
        [note_id] = [n for n in collection.find_notes("")
                     if collection.get_note(n).guid == f"debrief:{studied}"]
        card = collection.get_note(note_id).cards()[0]
        assert card.type != 0  # no longer new: the answer given in debrief came along
        assert collection.db.scalar("select count() from revlog where cid = ?", card.id) == 1
    finally:
        collection.close()


async def test_export_to_csv_from_the_palette_command(ws, timer, tmp_path):
    out = tmp_path / "cards.csv"
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_dialog(pilot, "E", str(out))
        assert any("Wrote 13 cards" in t for t in toasts(app))
    rows = [r for r in csv.reader(out.read_text(encoding="utf-8").splitlines()) if r and
            not r[0].startswith("#")]
    assert len(rows) == 13


async def test_a_bad_path_gets_one_line_and_nothing_is_written(ws, timer, tmp_path):
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_dialog(pilot, "e", str(tmp_path / "no" / "such" / "dir" / "x.apkg"))
        assert isinstance(app.screen, TransferScreen)
        error = str(app.screen.query_one("#transfer-error", Static).render())
        assert error.startswith("The folder") and "does not exist." in error and "\n" not in error
        app.screen.query_one(Input).value = str(tmp_path)  # a folder, not a file
        await pilot.press("enter")
        await pilot.pause()
        assert "is a folder" in str(app.screen.query_one("#transfer-error", Static).render())
    assert list(tmp_path.iterdir()) == []


async def test_import_a_deck_file_and_see_it_on_home(ws, timer, tmp_path):
    deck = tmp_path / "mine.toml"
    deck.write_text(MY_DECK, encoding="utf-8")
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_dialog(pilot, "m", str(deck))
        assert isinstance(app.screen, HomeScreen)
        assert any("Imported deck 'mine'" in t for t in toasts(app)), toasts(app)
        assert "mine" in {d.name for d in app.screen.overview.decks}


async def test_an_invalid_deck_file_is_refused_with_one_line(ws, timer, tmp_path):
    deck = tmp_path / "bad.toml"
    deck.write_text(MY_DECK.replace('kind = "text"', 'kind = "essay"'), encoding="utf-8")
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_dialog(pilot, "m", str(deck))
        assert isinstance(app.screen, TransferScreen)
        error = str(app.screen.query_one("#transfer-error", Static).render())
        assert "essay" in error and "\n" not in error, error
    assert "mine" not in {name for name, _t in ws.store.decks.decks()}
    assert Path(deck).exists()


async def test_import_an_anki_package_the_way_the_command_does(ws, timer, tmp_path):
    from debrief.store import backup as backups
    from support.anki_packages import third_party_package

    package = third_party_package(tmp_path)
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_dialog(pilot, "m", str(package))
        assert isinstance(app.screen, HomeScreen)
        [toast] = [t for t in toasts(app) if t.startswith("From spanish.apkg:")]
        assert "deck 'anki-spanish-verbs' (Anki deck 'Spanish::Verbs'): 8 added" in toast, toast
        assert "media not imported" in toast
        assert "anki-spanish-verbs" in {d.name for d in app.screen.overview.decks}
    cards = {r.card.id: r.card for r in ws.store.decks.cards() if r.card.deck == "anki-spanish-verbs"}
    assert "comer" in {card.answer_text for card in cards.values()}
    folder, stem = backups.shelf(ws.store.url)
    assert [b.reason for b in backups.list_backups(folder, stem)] == ["import"]


async def test_a_bad_anki_package_is_one_line_and_changes_nothing(ws, timer, tmp_path):
    import zipfile

    bad = tmp_path / "bad.colpkg"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("meta", b"\x08\x03")
        archive.writestr("collection.anki21b", b"\x28\xb5")
    before = {r.card.id for r in ws.store.decks.cards()}
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_dialog(pilot, "m", str(bad))
        assert isinstance(app.screen, TransferScreen)
        error = str(app.screen.query_one("#transfer-error", Static).render())
        assert "damaged package" in error and "\n" not in error, error
    assert {r.card.id for r in ws.store.decks.cards()} == before
