"""`debrief review` opened fast: the first card from the sqlite3 reader, then the full store in a
worker, answers saved through it, and home made when the review ends."""

from __future__ import annotations

import threading

from debrief.session import ReviewSession
from debrief.store import open_store
from debrief.store.first_card import FirstCardReader, StartupStore, sqlite_file
from debrief.tui.app import DebriefApp
from debrief.tui.screens.home import HomeScreen
from debrief.tui.screens.review import ReviewScreen
from debrief.workspace import Workspace
from support.clocks import FakeTimer
from support.tui import answer, demo_deck, open_workspace, screen_text


async def test_the_first_card_shows_before_the_store_opens_then_answers_are_saved(template_db,
                                                                               isolated_home):
    full = open_workspace(template_db, isolated_home, demo_deck())
    url = full.store.url
    first = ReviewSession(full).current
    assert first is not None
    path = sqlite_file(url)
    assert path is not None
    opened: list[str] = []

    def open_full():
        opened.append(threading.current_thread().name)
        return open_store(url)

    reader = FirstCardReader(path)
    reader.trace = []
    store = StartupStore(url, reader, open_full)
    fast = Workspace(store=store, settings=full.settings, clock=full.clock, home=full.home)
    app = DebriefApp(workspace=fast, finish_opening=store.full, screen="review", timer=FakeTimer())
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(400):  # a busy machine may be slow: wait for the card, then the store
                await pilot.pause()
                if isinstance(app.screen, ReviewScreen) and first.card.prompt in screen_text(app):
                    break
            for _ in range(400):
                await app.workers.wait_for_complete()
                await pilot.pause()
                if store.is_open:
                    break
            assert first.card.prompt in screen_text(app)
            # The card and its counts were read by the sqlite3 reader, before the store opened.
            read = [sql for sql, _params in reader.trace]
            assert any("ORDER BY schedules.new_position" in sql for sql in read)
            assert any(sql.startswith("SELECT count(*) AS count_1") for sql in read)
            assert opened and opened[0] != threading.main_thread().name  # in a worker
            assert store.reader is None  # every read now goes to the full store
            await answer(pilot, "convergence")
            await pilot.press("enter")
            await pilot.pause()
            assert "Saved" in screen_text(app) or app.screen.session.done == 1
            await pilot.press("escape")
            for _ in range(200):
                await pilot.pause()
                if isinstance(app.screen, HomeScreen) and "Review all" in screen_text(app):
                    break
            assert isinstance(app.screen, HomeScreen)
    finally:
        store.close()
    logged = full.store.log.reviews_since()
    assert [r.card_pk for r in logged] == [first.pk]
    full.close()
