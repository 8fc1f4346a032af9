"""The stats screen: review calendar and streaks, due forecast, true retention, decks, quizzes."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from debrief.errors import DebriefError
from debrief.stats import charts
from debrief.stats.plain import one_line
from debrief.tui.widgets.charts import (
    MUTED,
    FittedChart,
    forecast_content,
    heatmap_content,
    rate_style,
    score_bars,
    stacked_content,
    stage_legend,
)
from debrief.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from debrief.workspace import Workspace

DECK_BAR = 32
QUIZ_TREND = 24
COLUMNS = (7, 8, 6)  # young, mature, all in the retention table
PANELS = ("heatmap", "retention", "forecast", "quizzes", "decks", "hardest")
FITTED = ("heatmap", "hardest")  # drawn for their own width, again whenever it changes
SIDE_BY_SIDE = 100  # narrower than this, the panels are stacked one per row


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def headline_content(report: dict[str, Any]) -> Content:
    streak = report["streak"]
    dot = (" · ", MUTED)
    return Content.assemble(
        ("Streak ", "bold"), (_days(streak), "bold $success" if streak else "bold"),
        (f" (longest {report['longest_streak']:,})", MUTED), dot,
        "due today ", (f"{report['due_today']:,}", "bold"), dot,
        "new ", (f"{report['new_today']:,}", "bold"), dot,
        "reviewed today ", (f"{report['reviews_today']:,}", "bold"), dot,
        (f"{report['reviews_total']:,} reviews, {report['cards_total']:,} cards", MUTED))


def retention_content(report: dict[str, Any]) -> Content:
    """Young, mature and all, over 7 and 30 days: the rate, then (muted) how many answers."""
    ret = report["retention"]
    desired = ret["desired"]
    lines = [Content.assemble(("desired ", MUTED), (charts.percent(desired), "bold"),
                              (f" · mature = {ret['mature_days']}+ days", MUTED)),
             Content.styled(f"{'':8}{'young':>7}{'mature':>8}{'all':>6}", "bold")]
    for window in (k for k in ret if k.startswith("last_")):
        label = window.removeprefix("last_").replace("_", " ")
        groups = [ret[window][g] for g in ("young", "mature", "all")]
        rates: list[str | tuple[str, str]] = [f"{label:<8}"]
        for width, g in zip(COLUMNS, groups, strict=True):
            rates.append((f"{charts.percent(g['rate']):>{width}}", rate_style(g["rate"], desired)))
        counts = "".join(f"{g['reviews']:>{w},}" for w, g in zip(COLUMNS, groups, strict=True))
        lines += [Content.assemble(*rates), Content.styled(f"{'':8}{counts}", MUTED)]
    answer = report["answer_time"]
    seconds = answer["average_seconds"]
    lines.append(Content.assemble(
        ("answer time ", MUTED), (f"{seconds:.1f} s" if seconds is not None else "-", "bold"),
        (f" ({answer['days']} days)", MUTED)))
    params = report.get("parameters")
    if params:  # which FSRS parameters schedule (dates and fit details: `stats --json`)
        source = {"fitted": "fitted", "manual": "set by hand"}.get(params["source"], "default")
        rmse = params.get("rmse")
        lines.append(Content.assemble(
            ("FSRS ", MUTED), (source, "bold"),
            (f" · RMSE {rmse * 100:.1f}%" if params["source"] == "fitted" and rmse is not None
             else "", MUTED)))
    return Content("\n").join(lines)


def quizzes_content(report: dict[str, Any]) -> Content:
    # A quiz ended early is scored on a few questions: the trend leaves it out.
    quizzes = [q for q in report["quizzes"] if not q.get("ended_early")]
    if not quizzes:
        return Content.styled("No quiz finished yet.\nPress q on the home screen for one.", MUTED)
    shown = quizzes[-QUIZ_TREND:]
    rates = [q.get("accuracy") for q in shown]
    known = [r for r in rates if r is not None]
    last = shown[-1]
    when = last.get("day") or str(last.get("date", ""))[:10]
    day = charts.day_label(date.fromisoformat(when)) if when else ""
    return Content("\n").join([
        Content.styled(f"latest {len(shown)}, oldest first", MUTED),
        score_bars(rates),
        Content.assemble(("last ", MUTED), (f"{last['score']}/{last['total']}", "bold"),
                         f" ({charts.percent(last.get('accuracy'))})", (f" {day}", MUTED)),
        Content.assemble(("average ", MUTED), charts.percent(sum(known) / len(known) if known else None),
                         ("  best ", MUTED), charts.percent(max(known, default=None))),
        Content.styled(f"{len(quizzes):,} quizzes in all", MUTED),
    ])


def decks_content(report: dict[str, Any]) -> Content:
    decks = report["decks"]
    if not decks:
        return Content.styled("No decks yet.", MUTED)
    width = min(24, max(len(d["name"]) for d in decks))
    lines = [Content.styled(f"{'deck':<{width}}  cards   new learn young mature susp  mastered",
                            "bold")]
    for d in decks:
        parts = [(d[k], k) for k in ("mature", "young", "learning", "new", "suspended")]
        lines.append(Content.assemble(
            Content(f"{one_line(d['name'], width):<{width}}"),
            f"  {d['cards']:>5,} {d['new']:>5,} {d['learning']:>5,} {d['young']:>5,} "
            f"{d['mature']:>6,} {d['suspended']:>4,}  ",
            (f"{charts.percent(d['mastery']):>4} ", "bold"),
            stacked_content(parts, DECK_BAR)))
    lines.append(Content.assemble(" " * (width + 2), stage_legend()))
    return Content("\n").join(lines)


def hardest_content(report: dict[str, Any], width: int = 90) -> Content:
    cards = report["hardest"]
    if not cards:
        return Content.styled("No card has lapsed yet.", MUTED)
    deck_width = min(16, max(len(c["deck"]) for c in cards))
    lines = [Content.styled(f"{'lapses':>6}  {'deck':<{deck_width}}  card", "bold")]
    for c in cards:
        head = f"{c['lapses']:>6}  "
        prompt_width = max(10, width - len(head) - deck_width - 2)
        lines.append(Content.assemble(
            (head, "bold $error"), Content(f"{one_line(c['deck'], deck_width):<{deck_width}}  "),
            Content(one_line(c["prompt"], prompt_width)),
            (" (suspended)" if c["suspended"] else "", MUTED)))
    return Content("\n").join(lines)


class StatsScreen(Screen[None]):
    """Every figure of `debrief stats`, drawn. The figures load in a thread, so a big collection
    never freezes the screen."""

    CSS_PATH = "stats.tcss"
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="stats.close", tooltip="Back to the home screen"),
        Binding("r", "reload", "Refresh", id="stats.reload", tooltip="Read the figures again"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.report: dict[str, Any] | None = None
        self.sub_title = "Statistics"

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with VerticalScroll(id="stats-body"):
            yield Static(Content.styled("Counting your reviews…", MUTED), id="stats-headline")
            with Horizontal(classes="stats-row"):
                yield self._panel("heatmap", "Reviews per day")
                yield self._panel("retention", "True retention")
            with Horizontal(classes="stats-row"):
                yield self._panel("forecast", "Due in the next 30 days")
                yield self._panel("quizzes", "Quiz scores")
            yield self._panel("decks", "Decks")
            yield self._panel("hardest", "Hardest cards (most lapses)")
        yield Footer()

    def _panel(self, name: str, title: str) -> Vertical:
        chart = FittedChart(id=f"stats-{name}-chart") if name in FITTED else Static(id=f"stats-{name}-chart")
        panel = Vertical(chart, id=f"stats-{name}", classes="stats-panel")
        panel.border_title = title
        return panel

    def on_mount(self) -> None:
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < SIDE_BY_SIDE, "-stacked")

    def action_reload(self) -> None:
        self.load()

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
        else:
            self.app.exit()

    @work(thread=True, exclusive=True, group="stats")
    def load(self) -> None:
        """Gather the report off the UI thread and draw it; the quiz trend follows, as reading
        a long quiz history can take longer than everything else."""
        from debrief.stats import quiz_trend, stats_report

        try:
            report = stats_report(self.workspace, quizzes=False)
            self.app.call_from_thread(self.show, report)
            report["quizzes"] = quiz_trend(self.workspace)
        except DebriefError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="Statistics",
                                      severity="error", markup=False)
            return
        self.app.call_from_thread(self.show, report)

    def show(self, report: dict[str, Any]) -> None:
        """Draw `report` (as `debrief.stats.stats_report` returns it)."""
        if not self.is_attached:  # closed while the figures were loading
            return
        self.report = report
        self.query_one("#stats-headline", Static).update(headline_content(report))
        heatmap = self.query_one("#stats-heatmap")
        heatmap.border_title = f"Reviews per day · {report['study_days']:,} days studied"
        self.query_one("#stats-heatmap-chart", FittedChart).fit(
            lambda width: heatmap_content(report["heatmap"], width))
        self.query_one("#stats-hardest-chart", FittedChart).fit(
            lambda width: hardest_content(report, width or 90))
        contents = {
            "retention": retention_content(report),
            "forecast": forecast_content(report["forecast"], report.get("overdue", 0)),
            "quizzes": (quizzes_content(report) if "quizzes" in report
                        else Content.styled("Reading the quiz history…", MUTED)),
            "decks": decks_content(report),
        }
        for name in contents:
            self.query_one(f"#stats-{name}-chart", Static).update(contents[name])
