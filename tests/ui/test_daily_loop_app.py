"""Pilot tests of the daily loop in the app: study more from home, the undo hint names a key that
works where the focus is, Esc keeps a graded answer, undo of a suspend, and the leech toast."""

from __future__ import annotations

from datetime import timedelta

from textual.app import App

from debrief.allowance import today_allowance
from debrief.config import Settings
from debrief.scheduling import CardState
from debrief.tui.screens.home import HomeScreen
from debrief.tui.screens.review import ReviewScreen
from debrief.tui.widgets.answer import AnswerBox
from support.tui import FIXED_NOW, answer, make_app, review_first_card, screen_text, start_review


def messages(app: App[None]) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_study_more_from_home_raises_todays_new_limit(ws, timer):
    ws.settings = Settings(enable_fuzzing=False, new_per_day=2)
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "2 new" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert "12 new" in screen_text(app)  # the Today panel counts the raised limit
        assert any("new-card limit is now 12" in m for m in messages(app))
    assert today_allowance(ws).new_limit == 12
    assert ws.settings.new_per_day == 2  # config untouched


async def test_the_all_decks_row_holds_the_collections_limit(ws, timer):
    # Two decks with new cards, a limit of 2 a day: each deck row offers 2 (what Enter on it
    # alone would serve), the collection's row 2 as well, not their sum.
    from textual.widgets import DataTable

    ws.settings = Settings(enable_fuzzing=False, new_per_day=2)
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[0][0] == "All decks" and rows[0][1] == "2"
        assert len(rows) >= 3 and all(row[1] == "2" for row in rows[1:])


async def test_the_undo_hint_names_ctrl_z_while_the_answer_box_has_the_focus(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await review_first_card(pilot)
        assert isinstance(app.focused, AnswerBox)  # the next card is a typed one
        text = screen_text(app)
        assert "(ctrl+z: undo)" in text and "(u: undo)" not in text
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Undone: answer" in screen_text(app)


async def test_escape_after_the_feedback_saves_the_answer_and_says_so(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        await answer(pilot, "convergence")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("saved as Good (the suggestion)" in m for m in messages(app))
    pk = next(r.pk for r in ws.store.decks.cards() if r.card.id == "demo-001")
    assert [h.rating for h in ws.store.log.history(pk)] == [3]


async def test_undo_takes_back_a_suspend(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        await pilot.press("ctrl+s")  # suspend from the answer box
        await pilot.pause()
        assert "Suspended" in screen_text(app) and "(ctrl+z: undo)" in screen_text(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Undone: suspend" in screen_text(app)
        assert "mathematical ____ of the model" in screen_text(app)
    assert not any(r.suspended for r in ws.store.decks.cards())


async def test_a_leech_gets_a_toast(ws, timer):
    pk = next(r.pk for r in ws.store.decks.cards() if r.card.id == "demo-001")
    ws.store.queue.reschedule(pk, CardState(state="review", stability=3.0, difficulty=6.0, due=FIXED_NOW,
                                            last_review=FIXED_NOW - timedelta(days=3), reps=9, lapses=7))
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await answer(pilot, "divergence")
        await pilot.press("enter")  # the suggestion: Again, the eighth lapse
        await pilot.pause()
        assert any("leech" in m and "suspended" in m for m in messages(app))
    record = ws.store.decks.card(pk)
    assert record.leech and record.suspended
