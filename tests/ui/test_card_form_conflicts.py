"""Pilot: the card form open in this window while another window (a second workspace on the same
data) saves the same deck file: the form's save is refused with one line, keeps what was typed,
and the other change stays in the file; reopened, the form shows that change and saves."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from debrief.deckfile import load_deck
from debrief.owndeck import CardDraft, DeckVersions, save_card
from debrief.tui.screens.browse import BrowseScreen
from debrief.tui.screens.card_form import CardFormScreen
from debrief.workspace import Workspace
from support.tui import make_app, screen_text


def own_file(home: Path) -> Path:
    return home / "decks" / "own.toml"


async def open_edit_form(pilot) -> CardFormScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("b")
    await pilot.pause()
    assert isinstance(pilot.app.screen, BrowseScreen)
    pilot.app.screen.query_one("#search", Input).value = "deck:own"
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CardFormScreen)
    return pilot.app.screen


async def test_a_save_over_another_windows_save_is_refused_with_one_line(ws, timer, isolated_home):
    saved = save_card(ws, CardDraft(deck="own", kind="text", prompt="Drift?", answer="change"))
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_edit_form(pilot)
        form.query_one("#field-answer", Input).value = "concept shift"
        # The other window saves the same card meanwhile.
        other = Workspace.open(str(ws.store.url), clock=ws.clock, sync=False)
        try:
            save_card(other, CardDraft(deck="own", kind="text", prompt="Drift?",
                                       answer="data drift"), saved.card_id,
                      seen=DeckVersions.read())
        finally:
            other.close()
        written = own_file(isolated_home).read_bytes()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open, with what was typed
        assert form.query_one("#field-answer", Input).value == "concept shift"
        assert ("The deck file changed since you opened it; reopen to see the other change"
                in screen_text(app))
        assert own_file(isolated_home).read_bytes() == written
        await pilot.press("escape")  # discard: a yes/no first
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        form = await open_edit_form(pilot)  # reopened: the other change is what the form shows
        assert form.query_one("#field-answer", Input).value == "data drift"
        form.query_one("#field-answer", Input).value = "concept shift"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
    assert [c.answer for c in load_deck(own_file(isolated_home)).cards] == ["concept shift"]
