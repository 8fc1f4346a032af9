"""Charts for the TUI: the core's block-character charts (`debrief.stats.charts`), coloured.

Colour only repeats what the glyphs already say (shade, height, pattern), so the charts read the
same with NO_COLOR. Styles are theme variables, so every theme colours them its own way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from textual import events
from textual.content import Content
from textual.widgets import Static

from debrief.stats import charts

HEAT_STYLE = ("$text-muted", "$success", "$success", "$success", "bold $success")
STAGE_STYLE = {"mature": "$success", "young": "$primary", "learning": "$warning",
               "new": "$text-muted", "suspended": "$error"}
MUTED = "$text-muted"


class FittedChart(Static):
    """A chart drawn for the width it has: `fit(draw)` keeps the drawing function and runs it
    again whenever the widget's own width changes (a scrollbar appearing in the container, a
    panel stacking), not only when the terminal is resized."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._draw: Callable[[int | None], Content] | None = None

    def fit(self, draw: Callable[[int | None], Content]) -> None:
        """Draw with `draw(width)` now and after every change of width (None before layout)."""
        self._draw = draw
        self.update(draw(self.size.width or None))

    def on_resize(self, event: events.Resize) -> None:
        if self._draw is not None:
            self.update(self._draw(event.size.width or None))


def heatmap_content(days: dict[str, int], width: int | None = None) -> Content:
    """The review calendar: month names, then a row per weekday, then the legend. With `width`,
    only the latest weeks that fit in it are drawn (a calendar that wraps is unreadable)."""
    grid = charts.heatmap(days)
    if width is not None and len(grid.weeks) > width - 4:
        grid = charts.Heatmap(grid.weeks[-max(1, width - 4):], grid.peak)
    lines = [Content.styled("    " + grid.month_labels(), MUTED)]
    for d, row in enumerate(grid.rows):
        label = charts.WEEKDAYS[d] if d % 2 == 0 else ""
        parts: list[str | tuple[str, str]] = [(f"{label:<4}", MUTED)]
        parts += [(c.glyph, HEAT_STYLE[c.level]) if c else " " for c in row]
        lines.append(Content.assemble(*parts))
    legend: list[str | tuple[str, str]] = [("    less ", MUTED)]
    for level, glyph in enumerate(charts.HEAT):
        legend += [(glyph, HEAT_STYLE[level]), " "]
    legend += [("more", MUTED)]
    lines.append(Content.assemble(*legend))
    lines.append(Content.assemble(("    busiest day ", MUTED), f"{grid.peak:,}"))
    return Content("\n").join(lines)


def forecast_content(forecast: dict[str, int], overdue: int = 0, height: int = 6) -> Content:
    """Cards due per day as vertical bars, today first (its bar includes the backlog)."""
    days = [(date.fromisoformat(k), v) for k, v in sorted(forecast.items())]
    values = [v for _, v in days]
    peak = max(values, default=0)
    if not peak:
        return Content.styled("Nothing falls due in the next 30 days.", MUTED)
    axis = len(f"{peak:,}")
    lines = []
    for r, row in enumerate(charts.bar_rows(values, height)):
        mark = f"{peak:,}" if r == 0 else ""
        parts: list[str | tuple[str, str]] = [(f"{mark:>{axis}} │", MUTED)]
        for i, glyph in enumerate(row):
            style = "bold $warning" if i == 0 and overdue else "$primary"
            parts += [(glyph, style), " "]
        lines.append(Content.assemble(*parts).rstrip())
    lines.append(Content.styled(f"{'0':>{axis}} └" + "─" * (2 * len(values) - 1), MUTED))
    labels = [(2 * i, charts.day_label(d)) for i, (d, _) in enumerate(days) if i % 7 == 0]
    lines.append(Content.styled(" " * (axis + 2) + charts.place_labels(labels, 2 * len(values) + 6),
                                MUTED))
    total = f"{sum(values):,} due"
    if overdue:
        total += f" · today's bar holds {overdue:,} overdue"
    lines.append(Content.styled(total, MUTED))
    return Content("\n").join(lines)


def stacked_content(parts: Sequence[tuple[int, str]], width: int) -> Content:
    """A horizontal bar of stages (`(count, stage)`), each in its glyph and colour."""
    return Content.assemble(*((glyphs, STAGE_STYLE.get(key, "")) for glyphs, key in
                              charts.stacked(parts, width)))


def stage_legend() -> Content:
    items: list[str | tuple[str, str]] = []
    for key, glyph in charts.STAGE_GLYPHS.items():
        items += [(glyph, STAGE_STYLE[key]), (f" {key}  ", MUTED)]
    return Content.assemble(*items).rstrip()


def rate_style(rate: float | None, desired: float) -> str:
    """Green at or above the desired retention, amber within five points, red further below."""
    if rate is None:
        return MUTED
    if rate >= desired:
        return "bold $text-success"
    if rate >= desired - 0.05:
        return "bold $text-warning"
    return "bold $text-error"


def score_bars(values: Sequence[float | None], height: int = 3) -> Content:
    """One bar per score (0..1, on a fixed 0-100% scale), the latest in bold."""
    rows = charts.bar_rows([v or 0.0 for v in values], height, peak=1.0)
    lines = []
    for row in rows:
        lines.append(Content.assemble(("".join(row[:-1]), "$accent"), (row[-1], "bold $accent")))
    return Content("\n").join(lines)
