"""The interview date and plan from the app, the `?` keys overlay, and a palette without twins."""

from __future__ import annotations

from textual.widgets import Input, Static
from textual.worker import WorkerCancelled

from debrief.plan import build_plan, interview_date, set_interview_date
from debrief.tui.commands import palette_commands
from debrief.tui.screens.help import HelpScreen
from debrief.tui.screens.home import HomeScreen
from debrief.tui.screens.interview import InterviewDateScreen
from debrief.tui.screens.plan import PlanScreen
from debrief.tui.screens.quiz import QuizScreen
from support.tui import make_app, screen_text


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    try:
        await pilot.app.workers.wait_for_complete()
    except WorkerCancelled:  # a newer load replaced it (exclusive workers): that one is done too
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_date(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_a_fresh_install_offers_a_date_and_a_bad_date_gets_one_clear_line(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Press i to set its date" in screen_text(app)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InterviewDateScreen)
        for bad, reason in (("2026-13-01", "Not a date"), ("next week", "Not a date"),
                            ("2026-02-01", "in the past"), ("2028-01-01", "more than a year")):
            await type_date(pilot, bad)
            assert isinstance(app.screen, InterviewDateScreen)  # still asking
            error = app.screen.query_one("#date-error", Static)
            text = str(error.render())
            assert reason in text and "\n" not in text and not text.endswith(".."), text
        assert interview_date(ws) is None  # nothing saved
        await type_date(pilot, "2026-03-30")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert interview_date(ws).isoformat() == "2026-03-30"
        assert "Interview Mon 30 Mar 2026" in screen_text(app)
        assert "Press i to set its date" not in screen_text(app)


async def test_the_date_can_be_changed_and_cleared_from_home(ws, timer):
    set_interview_date(ws, "2026-03-30")
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "2026-03-30"  # the current date, to edit
        await type_date(pilot, "2026-04-15")
        await settle(pilot)
        assert interview_date(ws).isoformat() == "2026-04-15"
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert interview_date(ws) is None
        assert "Press i to set its date" in screen_text(app)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("escape")  # cancel: no change
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and interview_date(ws) is None


async def test_the_plan_screen_shows_what_the_cli_prints_and_starts_an_interview_quiz(ws, timer):
    from debrief.cli.plan import plan_lines

    set_interview_date(ws, "2026-03-30")
    app = make_app(ws, timer)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        shown = screen_text(app)
        for line in plan_lines(build_plan(ws)):
            if line.strip() and len(line) < 100:  # the long ones wrap on screen
                assert line.strip() in shown, line
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen) and app.screen.options.interview
        await pilot.press("escape")  # end the quiz
        await pilot.pause()


async def test_clearing_the_date_from_the_plan_screen(ws, timer):
    set_interview_date(ws, "2026-03-30")
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert interview_date(ws) is None
        assert "No interview date set" in screen_text(app)
        await pilot.press("q")  # no date: no interview quiz
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)


async def test_question_mark_lists_the_keys_of_the_screen(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for expected in ("Review every deck's due and new cards", "A timed quiz",
                         "Set, change or clear the interview date"):
            assert expected in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("r")  # review: `?` would be typed into the answer box, f1 still works
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Undo the last saved answer" in screen_text(app)


async def test_the_palette_has_no_two_commands_that_do_the_same(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        commands = palette_commands(app.screen)
        titles = [c.title for c in commands]
        assert len(titles) == len(set(titles))
        actions = [c.action for c in commands if c.action]
        assert len(actions) == len(set(actions))
        assert "Review all" in titles and "Review all decks" not in titles
