"""Flags in browse, as Anki: `f` then 1-4 (0 clears) on the highlighted or the selected cards; a
marker in the list that reads without colour, `flag:N` / `is:flagged` searches, the detail pane,
and flags that outlive reviews and travel to Anki with the same numbers."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from debrief.records import CardRecord
from debrief.search import parse, search
from debrief.session import ReviewSession
from debrief.tui.screens.browse import BrowseScreen
from debrief.tui.screens.flag import FlagScreen
from support.tui import FIXED_NOW, make_app, screen_text


def flags(ws) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {r.card.id: r.flag for r in ws.store.decks.cards() if r.flag}


async def open_browse(pilot) -> BrowseScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("b")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, BrowseScreen)
    screen.query_one(DataTable).focus()  # keys go to the list, not the search box
    await pilot.pause()
    return screen


async def search_for(pilot, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    pilot.app.screen.query_one(Input).value = text
    await pilot.pause()
    return [r.card.id for r in pilot.app.screen.shown]


async def test_f_then_a_number_flags_the_highlighted_card_and_0_clears_it(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_browse(pilot)
        first = screen.highlighted
        assert first is not None and first.card.id == "demo-001"
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FlagScreen)
        await pilot.press("3")
        await pilot.pause()
        assert app.screen is screen
        assert flags(ws) == {"demo-001": 3}
        text = screen_text(app)
        assert "⚑3" in text  # the marker in the list, readable without colour
        assert "Flag       ⚑3 green" in text  # the detail pane
        assert any("Flagged demo-001 ⚑3 green" in str(n.message) for n in app._notifications)
        assert await search_for(pilot, "flag:3") == ["demo-001"]
        assert await search_for(pilot, "flag:green") == ["demo-001"]
        assert await search_for(pilot, "is:flagged") == ["demo-001"]
        assert await search_for(pilot, "flag:2") == []
        await search_for(pilot, "")
        screen.query_one(DataTable).focus()
        await pilot.press("f", "0")
        await pilot.pause()
        assert flags(ws) == {}
        assert "⚑" not in screen_text(app)


async def test_flag_every_selected_card_at_once(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_browse(pilot)
        await pilot.press("space", "down", "down", "space")
        await pilot.pause()
        assert len(screen.selected) == 2
        await pilot.press("f", "1")
        await pilot.pause()
        assert flags(ws) == {"demo-001": 1, "demo-003": 1}
        assert await search_for(pilot, "flag:red") == ["demo-001", "demo-003"]
        assert await search_for(pilot, "is:flagged deck:demo") == ["demo-001", "demo-003"]


async def test_escape_in_the_chooser_changes_nothing_and_typing_f_searches(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_browse(pilot)
        await pilot.press("f", "escape")
        await pilot.pause()
        assert app.screen is screen and flags(ws) == {}
        screen.query_one(Input).focus()
        await pilot.press("f")
        await pilot.pause()
        assert app.screen is screen  # typed into the search box, no chooser
        assert screen.query_one(Input).value == "f"


async def test_ctrl_digit_flags_directly_where_the_terminal_sends_it(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browse(pilot)
        await pilot.press("ctrl+4")
        await pilot.pause()
        assert flags(ws) == {"demo-001": 4}


def test_a_flag_outlives_reviews_and_forgetting(ws):
    pk = next(r.pk for r in ws.store.decks.cards() if r.card.id == "demo-001")
    ws.store.decks.set_flag([pk], 2, ws.now())
    session = ReviewSession(ws, ["demo"])
    assert session.current is not None and session.current.pk == pk
    session.submit("convergence")
    session.rate()
    after = ws.store.decks.card(pk)
    assert after.state.reps == 1 and after.flag == 2
    from debrief.scheduling import CardState

    ws.store.queue.reschedule(pk, CardState())
    assert ws.store.decks.card(pk).flag == 2


def test_the_anki_export_carries_the_same_flag_numbers(ws):
    from debrief.export.source import export_progress

    pks = {r.card.id: r.pk for r in ws.store.decks.cards()}
    for number, key in enumerate(("demo-001", "demo-002", "demo-003", "demo-004"), start=1):
        ws.store.decks.set_flag([pks[key]], number, ws.now())
    study = export_progress(ws)
    assert {key: study.cards[key].flag for key in ("demo-001", "demo-002", "demo-003", "demo-004",
                                              "demo-005")} == {
        "demo-001": 1, "demo-002": 2, "demo-003": 3, "demo-004": 4, "demo-005": 0}


def test_a_flag_outside_1_to_4_is_refused(ws):
    from debrief.errors import DebriefError

    pk = ws.store.decks.cards()[0].pk
    with pytest.raises(DebriefError, match="0 \\(none\\) or 1-4"):
        ws.store.decks.set_flag([pk], 7, ws.now())
    assert ws.store.decks.card(pk).flag == 0


@pytest.mark.parametrize(("text", "wanted"), [
    ("flag:1", (1,)), ("flag:orange", (2,)), ("FLAG:Blue", (4,)), ("flag:0", (0,)),
    ("flag:none", (0,)), ("flag:9", ()), ("flag:purple", ()),
])
def test_flag_filters_parse(text: str, wanted: tuple[int, ...]) -> None:
    query = parse(text)
    assert query.flags == wanted
    if not wanted:  # not a flag: kept as a word, so it matches nothing instead of everything
        assert query.words == (text.lower(),)


def test_flag_none_finds_the_unflagged(ws):
    records = ws.store.decks.cards()
    flagged = [CardRecord(r.pk, r.card, r.state, flag=3 if i == 0 else 0)
               for i, r in enumerate(records)]
    assert len(search(flagged, "flag:0", FIXED_NOW)) == len(records) - 1
    assert [r.flag for r in search(flagged, "is:flagged", FIXED_NOW)] == [3]


def test_undoing_an_answer_keeps_a_flag_set_since(ws):
    pk = next(r.pk for r in ws.store.decks.cards() if r.card.id == "demo-001")
    session = ReviewSession(ws, ["demo"])
    assert session.current is not None and session.current.pk == pk
    session.submit("convergence")
    session.rate()
    ws.store.decks.set_flag([pk], 4, ws.now())  # flagged in browse after the answer
    session.undo()
    after = ws.store.decks.card(pk)
    assert after.state.reps == 0 and after.flag == 4


def test_undoing_the_answer_that_made_a_leech_takes_its_red_flag_back(ws):
    pk = next(r.pk for r in ws.store.decks.cards() if r.card.id == "demo-001")
    saved = ws.store.queue.record_answer(pk, FIXED_NOW, lambda state: state, rating=1, answer="x",
                                   verdict="wrong", score=0.0, duration_ms=1000,
                                   leech=lambda _before, _after: "flag")
    assert saved.leech == "flag" and ws.store.decks.card(pk).flag == 1
    ws.store.queue.undo_review(saved.review_id)
    after = ws.store.decks.card(pk)
    assert after.flag == 0 and not after.leech
