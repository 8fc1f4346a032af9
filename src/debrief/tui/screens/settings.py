"""The settings screen: daily limits, retention, learning steps, day start and theme."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, Select, Static

from debrief import locations
from debrief.errors import DebriefError
from debrief.tui.format import sentence
from debrief.tui.widgets.footer import Footer
from debrief.tui.widgets.inputs import QuietInput

# (key in config.toml, label, hint); the order of the form.
FIELDS = (
    ("new_per_day", "New cards a day", "0 to 9999 (Anki: 20)"),
    ("reviews_per_day", "Reviews a day", "0 to 99999 (Anki: 200)"),
    ("desired_retention", "Desired retention", "0.70 to 0.99, or a percentage like 90%"),
    ("learning_steps", "Learning steps", "durations, e.g. 1m 10m"),
    ("day_starts_at", "Day starts at", "the hour a new study day begins, 0 to 23 (Anki: 4)"),
)
LABELS = dict((key, label) for key, label, _hint in FIELDS)
STACK_BELOW = 70  # narrower than this, each label goes above its box


def _steps(steps: tuple[timedelta, ...]) -> str:
    def one(step: timedelta) -> str:
        seconds = int(step.total_seconds())
        for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
            if seconds and seconds % size == 0:
                return f"{seconds // size}{unit}"
        return f"{seconds}s"

    return " ".join(one(s) for s in steps)


def parse_field(key: str, text: str) -> int | float | str | list[str]:
    """The value typed for `key` as it goes into config.toml (ranges are the loader's to check)."""
    text = text.strip()
    if not text:
        raise ValueError(f"{LABELS[key]}: give a value")
    if key == "learning_steps":
        return text.replace(",", " ").split()
    if key == "desired_retention":
        try:
            value = float(text.rstrip("%"))
        except ValueError:
            raise ValueError(f"{LABELS[key]}: not a number: {text!r}") from None
        return value / 100 if text.endswith("%") or value > 1 else value
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{LABELS[key]}: not a whole number: {text!r}") from None


class SettingsScreen(Screen[None]):
    """Edit the settings of config.toml (its comments are kept) and the theme."""

    CSS_PATH = "settings.tcss"
    AUTO_FOCUS = "#setting-new_per_day"
    BINDINGS = [
        Binding("escape", "close", "Back", tooltip="Back without saving what is not saved"),
        Binding("ctrl+s", "save", "Save", tooltip="Check and save the settings to config.toml"),
        Binding("ctrl+b", "app.backups", "Backups",
                tooltip="Back up now, or restore a backup (also k on home)"),
    ]

    def __init__(self, workspace: Any) -> None:
        super().__init__()
        self.workspace = workspace
        self.sub_title = "Settings"

    def compose(self) -> ComposeResult:
        settings = self.workspace.settings
        values = {
            "new_per_day": str(settings.new_per_day),
            "reviews_per_day": str(settings.reviews_per_day),
            "desired_retention": f"{settings.desired_retention:g}",
            "learning_steps": _steps(settings.learning_steps),
            "day_starts_at": str(settings.day_starts_at),
        }
        yield Header(icon="◆")
        with VerticalScroll(id="settings-body"):
            where = Static(Content("Saved to config.toml in your data folder, its comments kept."),
                           id="settings-where", markup=False)
            where.tooltip = str(locations.config_path())
            yield where
            for key, label, hint in FIELDS:
                with Horizontal(classes="setting-row"):
                    yield Static(Content(label), classes="setting-label")
                    yield QuietInput(values[key], id=f"setting-{key}", placeholder=hint,
                                     tooltip=hint, select_on_focus=False)
            with Horizontal(classes="setting-row"):
                yield Static(Content("Theme"), classes="setting-label")
                themes = sorted(self.app.available_themes)
                yield Select([(name, name) for name in themes], value=self.app.theme,
                             allow_blank=False, id="setting-theme")
            yield Static(id="settings-error", markup=False)
            yield Static(Content("Enter or ctrl+s saves · Esc goes back"), id="settings-hint")
        yield Footer()

    def on_mount(self) -> None:
        if self.app.is_headless:
            for box in self.query(Input):
                box.cursor_blink = False

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < STACK_BELOW, "-stacked")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#settings-error", Static).update(Content(""))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str) and event.value != self.app.theme:
            self.app.theme = event.value  # the app keeps the theme (it shows at once)

    def action_save(self) -> None:
        from debrief.settings_file import save_settings

        error = self.query_one("#settings-error", Static)
        try:
            changes = {key: parse_field(key, self.query_one(f"#setting-{key}", Input).value)
                       for key, _label, _hint in FIELDS}
        except ValueError as exc:
            error.update(Content(sentence(str(exc))))
            return
        try:
            settings = save_settings(locations.config_path(), changes)
        except DebriefError as exc:
            message = str(exc)
            for key, label in LABELS.items():
                message = message.replace(f"scheduling.{key}", label)
            error.update(Content(sentence(message)))
            return
        self.workspace.settings = settings
        for cached in ("scheduler", "planner"):  # built from the old settings
            self.workspace.__dict__.pop(cached, None)
        error.update(Content(""))
        self.notify("Settings saved.", title="Settings", markup=False)

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
        else:
            self.app.exit()
