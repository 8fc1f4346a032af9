"""The interview plan panel: the countdown, recall today and on the day, and each day's work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from debrief.cards import clean_text
from debrief.errors import DebriefError

if TYPE_CHECKING:
    from debrief.plan import Plan
    from debrief.workspace import Workspace

WEEK = 7


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _countdown(days: int) -> str:
    return "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"


def plan_text(plan: Plan) -> list[Content]:
    """The panel's lines for `plan` (empty when no date is set)."""
    from debrief.plan import FINAL_DAYS

    if plan.interview_date is None:
        return []
    when = plan.interview_date.strftime("%a %d %b %Y")
    if plan.passed:
        return [Content.assemble(("Interview ", "bold"), (when, "bold"), " has passed: scheduling is "
                                 "back to normal."),
                Content("Set a new date with `debrief plan --interview YYYY-MM-DD`, or remove it "
                        "with `debrief plan --clear`.")]
    days = plan.days_left or 0
    overall = plan.overall
    lines = [
        Content.assemble(("Interview ", "bold"), (when, "bold"), " · ",
                         (_countdown(days), "bold $accent")),
        Content.assemble(
            "Recall  today ", (_percent(overall.recall_today), "bold"),
            " · on the day ", (_percent(overall.recall_on_day), "bold"), " if you stop now, ",
            (_percent(overall.projected_recall_on_day), "bold"), " if you keep up",
            f" · target {plan.target * 100:.0f}%"),
    ]
    if overall.new == 0:
        new = "every card studied"
    elif plan.behind:
        new = f"learn all {overall.new} new cards today"
    else:
        assert plan.learn_by is not None
        new = (f"{plan.new_per_day} new card{'s' if plan.new_per_day != 1 else ''} "
               f"({overall.new} left, all studied by {plan.learn_by.strftime('%a %d %b')})")
    week = plan.workload[:WEEK]
    average = sum(w.reviews for w in week) / len(week) if week else 0.0
    lines.append(Content.assemble("Each day  ", (new, "bold"),
                                  f" · about {average:.0f} reviews" if week else ""))
    if week:
        figures = "  ".join(f"{w.reviews:.0f}" for w in week)
        lines.append(Content(f"Next {len(week)} days  {figures} reviews"))
    weakest = sorted((d for d in plan.decks if d.cards), key=lambda d: d.recall_on_day or 0.0)[:3]
    if weakest and days > 0:
        names = ", ".join(f"{clean_text(d.name)} {_percent(d.recall_on_day)}" for d in weakest)
        lines.append(Content(f"Weakest on the day if you stop now: {names}"))
    if plan.over_limit:
        lines.append(Content.assemble(
            ("Not on track: ", "bold $warning"),
            f"{plan.new_per_day} new cards a day are over your daily limit of {plan.new_limit}; "
            f"study them with `debrief review --new {plan.new_per_day}` or raise new_per_day in "
            "config.toml"))
    if plan.at_risk:
        lines.append(Content.assemble(
            ("At risk: ", "bold $warning"),
            f"{plan.at_risk} studied card{'s' if plan.at_risk != 1 else ''} below target on the "
            f"day and not due before it; run `debrief plan --interview "
            f"{plan.interview_date.isoformat()}`"))
    elif plan.on_track and days > FINAL_DAYS:
        lines.append(Content(f"On track: no studied card falls below target on the day; the last "
                             f"{FINAL_DAYS} days are for review."))
    lines.append(Content.assemble((f"Predictions from {plan.parameters_note}", "dim")))
    return lines


class PlanPanel(Vertical):
    """The countdown and the plan; hidden while no interview date is set."""

    DEFAULT_CSS = """
    PlanPanel {
        height: auto;
        margin: 1 1 0 1;
        padding: 0 1;
        border: round $accent;
        border-title-style: bold;
        display: none;
        &.-shown { display: block; }
        #plan-lines, #plan-more { height: auto; }
    }
    Screen.-short PlanPanel.-shown { display: none; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Interview plan"
        self.plan: Plan | None = None

    def compose(self) -> ComposeResult:
        # The countdown and recall, then the rest: a screen short of room hides #plan-more.
        yield Static(id="plan-lines", markup=False)
        yield Static(id="plan-more", markup=False)

    def show(self, plan: Plan | None) -> None:
        """Show `plan` (None, or no date set: the panel hides)."""
        self.plan = plan
        lines = plan_text(plan) if plan is not None else []
        self.set_class(bool(lines), "-shown")
        self.query_one("#plan-lines", Static).update(Content("\n").join(lines[:2]))
        self.query_one("#plan-more", Static).update(Content("\n").join(lines[2:]))
        self.post_message(self.Shown())

    class Shown(Message):
        """The panel's lines changed (its height may have)."""

    def show_error(self, message: str) -> None:
        """Show that the plan could not be built, as a line on the panel (never vanish)."""
        self.plan = None
        self.set_class(True, "-shown")
        self.query_one("#plan-lines", Static).update(Content.assemble(
            ("The plan could not be built: ", "bold $error"), clean_text(message),
            " (`debrief plan` says more)"))

    def refresh_plan(self, workspace: Workspace) -> None:
        """Rebuild the plan from the store in a worker thread, then show it."""
        self.run_worker(lambda: self._build(workspace), thread=True, exclusive=True,
                        group="plan", exit_on_error=False)

    def _build(self, workspace: Workspace) -> None:
        from debrief.plan import build_plan

        try:
            if workspace.store.meta.get_meta("interview_date") is None:
                plan = None
            else:
                workspace.reload_planner()  # the date may have changed elsewhere
                plan = build_plan(workspace)
        except Exception as exc:  # noqa: BLE001 - any failure becomes a line on the panel
            message = str(exc).strip() if isinstance(exc, DebriefError) else (
                f"{type(exc).__name__}: {exc}")
            try:
                self.app.call_from_thread(self.show_error, message or type(exc).__name__)
            except RuntimeError:  # the app closed while the plan was being built
                pass
            return
        try:
            self.app.call_from_thread(self.show, plan)
        except RuntimeError:  # the app closed while the plan was being built
            pass
