"""The plan screen: what `debrief plan` prints, with keys to change the date or quiz for it."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from debrief.errors import DebriefError
from debrief.tui.widgets.footer import Footer


class PlanScreen(Screen[None]):
    """The interview plan in full: recall per deck today and on the day, new cards a day and
    the expected workload. The text is the CLI's own (`plan_lines`), so the two never differ."""

    CSS_PATH = "plan.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back", tooltip="Back to the home screen"),
        Binding("i", "app.interview_date", "Change date", tooltip="Set or change the date"),
        Binding("x", "clear", "Clear date", tooltip="Remove the interview date"),
        Binding("q", "quiz", "Interview quiz",
                tooltip="A quiz of the cards with the lowest recall on the day"),
    ]

    def __init__(self, workspace: Any) -> None:
        super().__init__()
        self.workspace = workspace
        self.has_date = False
        self.sub_title = "Interview plan"

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with VerticalScroll(id="plan-body"):
            yield Static(Content("Working out the plan…"), id="plan-text", markup=False)
        yield Footer()

    def on_screen_resume(self) -> None:
        # Shown first or again (after the date dialog): the plan may have changed.
        self.load()

    @work(thread=True, exclusive=True, group="plan-screen", exit_on_error=False)
    def load(self) -> None:
        """Build the plan off the UI thread (it projects every card to the day), then show it."""
        from debrief.cli.plan import plan_lines
        from debrief.plan import build_plan

        try:
            self.workspace.__dict__.pop("planner", None)  # the date may have just changed
            plan = build_plan(self.workspace)
        except DebriefError as exc:
            self.app.call_from_thread(self._show, [f"No plan: {exc}"], False)
            return
        lines = plan_lines(plan)
        if plan.interview_date is None:
            lines = ["No interview date set.", "",
                     "Press i to set one: the plan then schedules your reviews toward the day."]
        self.app.call_from_thread(self._show, lines,
                                  plan.interview_date is not None and not plan.passed)

    def _show(self, lines: list[str], has_date: bool) -> None:
        if not self.is_attached:
            return
        self.has_date = has_date
        self.query_one("#plan-text", Static).update(Content("\n".join(lines)))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("clear", "quiz"):
            return True if self.has_date else None
        return True

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
        else:
            self.app.exit()

    def action_clear(self) -> None:
        from debrief.tui.app import DebriefApp

        if isinstance(self.app, DebriefApp):
            self.app.clear_interview_date()

    def action_quiz(self) -> None:
        from debrief.tui.app import DebriefApp

        if isinstance(self.app, DebriefApp):
            self.app.action_quiz(interview=True)
