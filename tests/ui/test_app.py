"""Pilot tests of the app as a whole: start-up, quitting and going back, the command palette,
the optional screens, NO_COLOR, signals, a tiny terminal and hostile card text."""

from __future__ import annotations

import importlib.util
import os
import signal
import threading

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from debrief.store import StoreError
from debrief.tui.app import DebriefApp
from debrief.tui.commands import palette_commands
from debrief.tui.screens.browse import BrowseScreen
from debrief.tui.screens.home import HomeScreen
from debrief.tui.screens.review import ReviewScreen
from debrief.tui.widgets.answer import AnswerBox
from debrief.tui.widgets.ratings import RatingBar
from support.tui import (
    HOSTILE,
    answer,
    demo_deck,
    hostile_deck,
    make_app,
    open_workspace,
    review_first_card,
    screen_text,
    start_review,
)


async def test_the_workspace_opens_in_a_thread_after_the_first_frame(template_db, isolated_home):
    threads: list[str] = []
    workspaces = []

    def opener():
        threads.append(threading.current_thread().name)
        workspaces.append(open_workspace(template_db, isolated_home, demo_deck()))
        return workspaces[-1]

    app = DebriefApp(opener)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            # The open starts after the first frame: wait for it (a busy machine may be slow).
            for _ in range(200):
                await app.workers.wait_for_complete()
                await pilot.pause()
                if app.workspace is not None and "5 new" in screen_text(app):
                    break
            assert threads and threads[0] != threading.main_thread().name
            assert app.workspace is workspaces[0]
            assert "5 new" in screen_text(app)
    finally:
        for workspace in workspaces:
            workspace.close()


async def test_a_workspace_that_cannot_open_ends_the_app_with_its_error():
    def opener():
        raise StoreError("database is locked")

    app = DebriefApp(opener)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert isinstance(app.error, StoreError)
    assert app.return_code == 1


async def test_an_unknown_deck_on_the_command_line_ends_the_app_with_its_error(ws, timer):
    app = make_app(ws, timer, screen="review", decks=("nope",))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
    assert "unknown deck 'nope'" in str(app.error)


@pytest.mark.parametrize("keys", [(), ("r",), ("b",), ("ctrl+p",)],
                         ids=["home", "review", "browse", "palette"])
async def test_ctrl_q_quits_from_any_screen(ws, timer, keys):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_the_palette_runs_commands(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        app.screen.query_one(Input).value = "browse"
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)


async def test_every_key_in_the_footer_is_also_a_palette_command(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:

        def check() -> None:
            titles = {c.title for c in palette_commands(app.screen)}
            for active in app.screen.active_bindings.values():
                binding = active.binding
                if binding.show and active.enabled and binding.action not in (
                        "command_palette", "app.command_palette", "quit"):
                    group = binding.group.description + ": " if binding.group else ""
                    assert group + binding.description in titles, binding

        await pilot.pause()
        check()  # home
        assert "Review deck: metrics" in {c.title for c in palette_commands(app.screen)}
        await pilot.press("r")
        await pilot.pause()
        check()  # review, typing
        await answer(pilot, "convergence")
        check()  # review, feedback
        await pilot.press("escape", "b")
        await pilot.pause()
        check()  # browse


async def test_palette_undo_while_typing(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await review_first_card(pilot)
        undo = next(c for c in palette_commands(app.screen) if c.title == "Undo")
        await undo.run()
        await pilot.pause()
        assert "mathematical ____" in screen_text(app)
        assert ws.store.log.reviews_since() == []


@pytest.mark.parametrize(("key", "module", "name"), [
    ("s", "debrief.tui.screens.stats", "StatsScreen"),
    ("q", "debrief.tui.screens.quiz", "QuizScreen"),
])
async def test_stats_and_quiz_open_when_they_exist(ws, timer, key, module, name):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        if importlib.util.find_spec(module) is None:
            assert isinstance(app.screen, HomeScreen)
            assert any("not part of this version" in str(n.message) for n in app._notifications)
        else:
            assert type(app.screen).__name__ == name


async def test_escape_goes_back(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        for key in ("r", "b"):
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, HomeScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)


async def test_no_color_still_tells_right_from_wrong(ws, timer, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.no_color
        await start_review(pilot)
        await answer(pilot, "divergence")
        text = screen_text(app)
        assert "✗ Wrong" in text and "1 Again ⏎" in text
        await pilot.press("enter")
        await answer(pilot, "accepted suggestions")
        assert "✓ Correct" in screen_text(app)


async def test_sigterm_exits_through_the_app(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await review_first_card(pilot)
        assert signal.SIGTERM in app._signals  # else the kill below would end pytest itself
        os.kill(os.getpid(), signal.SIGTERM)
        await pilot.pause(0.1)
    assert app.return_code == 128 + signal.SIGTERM
    assert len(ws.store.log.reviews_since()) == 1  # the rated answer was committed


async def test_a_tiny_terminal_stays_usable(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "due" in text and "demo" in text and "metrics" in text
        await pilot.press("r")
        await pilot.pause()
        text = screen_text(app)
        assert "done 0" in text and "mathematical" in text
        box = app.screen.query_one(AnswerBox)
        assert app.focused is box and box.region.bottom <= 12
        await answer(pilot, "convergence")
        bar = app.screen.query_one(RatingBar)
        assert app.focused is bar
        assert bar.region.y >= 0 and bar.region.bottom <= 12  # scrolled into view
        assert "Again" in screen_text(app) and "Good" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "done 1" in screen_text(app)
        await pilot.press("escape", "b")
        await pilot.pause()
        # 40 columns: the list keeps the prompt and the status; the card id column is given up.
        assert "For an ML PM" in screen_text(app) and "new" in screen_text(app)


async def test_resizing_mid_review_keeps_the_card(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert "mathematical" in screen_text(app)
        await pilot.resize_terminal(120, 40)
        await answer(pilot, "convergence")
        assert "✓ Correct" in screen_text(app)


@pytest.fixture
def evil_ws(template_db, isolated_home):
    workspace = open_workspace(template_db, isolated_home, hostile_deck())
    yield workspace
    workspace.close()


async def test_hostile_card_text_is_shown_literally_and_never_acted_on(evil_ws, timer):
    app = make_app(evil_ws, timer)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert "[@click=app.quit]Evil[/]" in screen_text(app)  # the deck title, on home
        await pilot.press("r")
        await pilot.pause()
        for n, text in enumerate(HOSTILE, start=1):
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            shown = screen_text(app)
            assert "\x1b" not in shown and "\x07" not in shown
            expected = text.replace("\x1b]52;c;aGVsbG8=\x07", "").replace("\x1b[2J", "").replace(
                "\x1b[31m", "")
            assert expected in shown
            await pilot.click("#card-prompt", offset=(2, 0))  # a click on the text does nothing
            await pilot.pause()
            assert app.is_running
            await answer(pilot, "[/] [bold]x")
            shown = screen_text(app)
            assert "[/] [bold]x" in shown and f"[b]answer {n}[/b]" in shown
            assert "why: " in shown
            await pilot.press("enter")
            await pilot.pause()
            screen.session.ws  # noqa: B018 - still alive
            if screen.session.current is not None and screen.session.current.state.state != "new":
                break
        await pilot.press("escape", "b")
        await pilot.pause()
        app.screen.query_one(Input).value = "evil-003"
        await pilot.pause()
        shown = screen_text(app)
        assert app.screen.shown[0].card.id == "evil-003"
        assert "[@click=app.quit]clicking" in shown and "quit[/]" in shown
        assert "#[tag]" in shown
        assert app.is_running


async def test_going_from_screen_to_screen_by_the_palette_does_not_stack_them(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        await answer(pilot, "convergence")
        await pilot.press("enter")
        browse = next(c for c in palette_commands(app.screen) if c.title == "Browse cards")
        browse.run()
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        assert len(app.screen_stack) == 2  # home, browse: the review was closed
        assert len(ws.store.log.reviews_since()) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "1 answered today" in screen_text(app)


async def test_the_chosen_theme_is_kept_for_next_time(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
    assert ws.store.meta.get_meta("tui.theme") == "nord"
    again = make_app(ws, timer)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_enter_on_a_deck_reviews_that_deck(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # All decks, demo, metrics
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.scope == "metrics"
        assert app.screen.session.current.card.deck == "metrics"
        assert "Review · metrics" in screen_text(app)
