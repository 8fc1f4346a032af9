"""The settings screen: saved to config.toml (comments kept), bad values get one clear line."""

from __future__ import annotations

from textual.widgets import Input, Static

from debrief import locations
from debrief.config import load_settings
from debrief.tui.screens.settings import SettingsScreen
from support.tui import make_app


async def open_settings(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("comma")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SettingsScreen)


async def test_settings_are_saved_and_used(ws, timer):
    path = locations.config_path()
    path.write_text("# mine\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        screen = app.screen
        screen.query_one("#setting-new_per_day", Input).value = "7"
        screen.query_one("#setting-desired_retention", Input).value = "85%"
        screen.query_one("#setting-learning_steps", Input).value = "2m, 20m"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = load_settings(path)
        assert (saved.new_per_day, saved.desired_retention) == (7, 0.85)
        assert [s.total_seconds() for s in saved.learning_steps] == [120, 1200]
        assert not saved.enable_fuzzing  # the setting already there is kept
        assert path.read_text(encoding="utf-8").startswith("# mine\n")
        assert ws.settings == saved and ws.scheduler.settings == saved


async def test_a_bad_value_gets_one_line_and_nothing_is_written(ws, timer):
    path = locations.config_path()
    before = path.read_text(encoding="utf-8")
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        for key, value, reason in (("day_starts_at", "25", "Day starts at: must be between 0 and 23."),
                                   ("new_per_day", "lots", "New cards a day: not a whole number"),
                                   ("learning_steps", "soon", "not a duration")):
            box = app.screen.query_one(f"#setting-{key}", Input)
            good = box.value
            box.value = value
            box.focus()
            await pilot.press("enter")
            await pilot.pause()
            error = str(app.screen.query_one("#settings-error", Static).render())
            assert reason in error and "\n" not in error and ".." not in error, error
            assert path.read_text(encoding="utf-8") == before
            box.value = good
