"""Pilot tests of the browse screen: fuzzy search by text, tag and deck; schedule and history;
suspend and unsuspend."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from debrief.search import parse, search
from debrief.tui.screens.browse import BrowseScreen
from debrief.tui.screens.home import HomeScreen
from support.tui import answer, make_app, screen_text, start_review, type_text


def shown_ids(app) -> list[str]:
    return [record.card.id for record in app.screen.shown]


async def open_browse(pilot) -> None:
    await pilot.pause()
    await pilot.press("b")
    await pilot.pause()
    assert isinstance(pilot.app.screen, BrowseScreen)


async def test_browse_lists_every_card_and_searches_as_you_type(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browse(pilot)
        assert isinstance(app.focused, Input)
        assert len(shown_ids(app)) == 13
        assert "13 of 13 cards" in screen_text(app)
        await type_text(pilot, "convergance")  # a typo still finds it
        await pilot.pause()
        assert shown_ids(app) == ["demo-001"]
        text = screen_text(app)
        assert "1 of 13 cards" in text
        assert "Answer  convergence" in text and "State      new" in text


async def test_search_by_deck_tag_and_kind(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browse(pilot)
        box = app.screen.query_one(Input)
        box.value = "deck:metrics"
        await pilot.pause()
        assert len(shown_ids(app)) == 8 and all(i.startswith("metrics-") for i in shown_ids(app))
        box.value = "tag:pay"
        await pilot.pause()
        assert shown_ids(app) == ["demo-003"]
        box.value = "kind:recall"
        await pilot.pause()
        assert shown_ids(app) == ["demo-004"]
        box.value = "nothing-like-this-anywhere"
        await pilot.pause()
        assert shown_ids(app) == [] and "no card matches" in screen_text(app)


async def test_suspend_and_unsuspend_from_browse(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browse(pilot)
        app.screen.query_one(Input).value = "north star"
        await pilot.pause()
        assert shown_ids(app) == ["metrics-001"]
        await pilot.press("ctrl+s")  # from the search box
        await pilot.pause()
        pk = app.screen.shown[0].pk
        assert ws.store.decks.card(pk).suspended
        assert "⏸ suspended" in screen_text(app)
        await pilot.press("enter")  # to the table, where plain `s` works
        await pilot.pause()
        assert isinstance(app.focused, DataTable)
        await pilot.press("s")
        await pilot.pause()
        assert not ws.store.decks.card(pk).suspended
        assert "⏸ suspended" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_schedule_and_history_of_a_reviewed_card(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        await answer(pilot, "divergence")
        await pilot.press("enter", "escape")
        await open_browse(pilot)
        app.screen.query_one(Input).value = "demo-001"
        await pilot.pause()
        text = screen_text(app)
        assert "State      learning" in text
        assert "Due        in 1m" in text
        assert "Reviews    1 (0 lapses)" in text
        assert "History" in text and "15:00  Again ✗ wrong · divergence" in text


def test_search_ranks_and_filters(ws):
    records = ws.store.decks.cards()
    now = ws.now()
    assert parse("deck:demo tag:roles kind:text is:new converge") == parse(
        "DECK:demo tag:roles kind:text is:new converge")
    assert [r.card.id for r in search(records, "deck:demo is:new kind:text", now)] == ["demo-001"]
    assert search(records, "", now) == records
    ranked = [r.card.id for r in search(records, "precision", now)]
    assert ranked[0] == "metrics-004"


async def test_sort_by_due_and_the_due_column(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(120, 30)) as pilot:
        await start_review(pilot)
        await answer(pilot, "convergence")  # demo-001 right: due in days
        await pilot.press("enter", "escape")
        await open_browse(pilot)
        await pilot.press("enter")  # to the list
        await pilot.press("o")  # by due
        await pilot.pause()
        assert shown_ids(app)[0] == "demo-001"  # the only card with a due date
        assert "by due" in screen_text(app)
        table = app.screen.query_one(DataTable)
        assert str(table.get_cell(str(app.screen.shown[0].pk), "due")).strip() != "-"
        assert str(table.get_cell(str(app.screen.shown[1].pk), "due")).strip() == "-"


async def test_select_many_then_suspend_and_forget_them(ws, timer):
    from debrief.tui.screens.confirm import ConfirmScreen

    app = make_app(ws, timer)
    async with app.run_test(size=(120, 30)) as pilot:
        await start_review(pilot)
        await answer(pilot, "convergence")
        await pilot.press("enter", "escape")
        await open_browse(pilot)
        await pilot.press("enter")
        await pilot.press("space", "down", "space")  # demo-001 and demo-002
        await pilot.pause()
        assert "2 selected" in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        suspended = {r.card.id for r in ws.store.decks.cards() if r.suspended}
        assert suspended == {"demo-001", "demo-002"}
        await pilot.press("s")  # all selected are suspended: unsuspend them
        await pilot.pause()
        assert not any(r.suspended for r in ws.store.decks.cards())
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        first = next(r for r in ws.store.decks.cards() if r.card.id == "demo-001")
        assert first.state.state == "new" and ws.store.log.history(first.pk)  # history kept
