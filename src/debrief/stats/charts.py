"""Charts as block characters: the shapes both `--plain` and the TUI draw (no terminal codes).

The glyphs carry the figure on their own (the TUI only adds colour), so the charts read the
same with NO_COLOR, in a pipe, or in a screen reader's plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

HEAT = "·░▒▓█"  # heatmap levels 0 (no review) to 4 (the busiest quarter)
EIGHTHS = " ▁▂▃▄▅▆▇█"  # a bar's top, in eighths of a cell
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Deck mastery, from the best stage to the first; `suspended` last.
STAGE_GLYPHS = {"mature": "█", "young": "▓", "learning": "▒", "new": "░", "suspended": "×"}


def heat_level(count: int, peak: int) -> int:
    """0 for no reviews, else 1..4: the quarter of the busiest day's count that `count` reaches."""
    if count <= 0 or peak <= 0:
        return 0
    return max(1, min(4, -(-4 * count // peak)))


@dataclass(frozen=True)
class HeatCell:
    """One study day of the calendar: its reviews and their heat level."""

    day: date
    count: int
    level: int

    @property
    def glyph(self) -> str:
        """The shade that stands for the level."""
        return HEAT[self.level]


@dataclass(frozen=True)
class Heatmap:
    """A calendar: one column per week (Monday first), one row per weekday."""

    weeks: list[list[HeatCell | None]]  # weeks[w][weekday]; None after the last day
    peak: int

    @property
    def rows(self) -> list[list[HeatCell | None]]:
        """The calendar turned on its side: one row per weekday, Monday first."""
        return [[week[d] for week in self.weeks] for d in range(7)]

    def month_labels(self, cell_width: int = 1) -> str:
        """Month names over the week columns where a month begins (if there is room); the first
        column is named after its month only when the next month is not about to start."""
        starts: list[tuple[int, str]] = []
        for w, week in enumerate(self.weeks):
            firsts = [c.day for c in week if c is not None and c.day.day == 1]
            if firsts:
                starts.append((w * cell_width, MONTHS[firsts[0].month - 1]))
        first = next((c.day for c in self.weeks[0] if c is not None), None) if self.weeks else None
        if first is not None and first.day != 1 and (not starts or starts[0][0] >= 4 * cell_width):
            starts.insert(0, (0, MONTHS[first.month - 1]))
        return place_labels(starts, len(self.weeks) * cell_width)


def heatmap(days: dict[str, int]) -> Heatmap:
    """The calendar of `days` (ISO date -> reviews, consecutive, starting on a Monday)."""
    items = sorted((date.fromisoformat(k), v) for k, v in days.items())
    peak = max((v for _, v in items), default=0)
    weeks: list[list[HeatCell | None]] = []
    if not items:
        return Heatmap(weeks, peak)
    first, last = items[0][0], items[-1][0]
    first -= timedelta(days=first.weekday())
    counts = dict(items)
    day = first
    while day <= last:
        week: list[HeatCell | None] = []
        for _ in range(7):
            if day > last or day not in counts:
                week.append(None)
            else:
                week.append(HeatCell(day, counts[day], heat_level(counts[day], peak)))
            day += timedelta(days=1)
        weeks.append(week)
    return Heatmap(weeks, peak)


def bar_rows(values: Sequence[float], height: int, peak: float | None = None) -> list[list[str]]:
    """Vertical bars, one per value, scaled to `peak` (default: the largest value): rows of
    glyphs, top row first. A value above zero always shows at least an eighth, so a small day
    never looks empty.
    """
    peak = max(values, default=0) if peak is None else peak
    tops = []
    for v in values:
        eighths = 0 if v <= 0 or peak <= 0 else max(1, round(v / peak * height * 8))
        tops.append(eighths)
    rows = []
    for r in range(height):
        floor = (height - 1 - r) * 8
        rows.append([EIGHTHS[max(0, min(8, t - floor))] for t in tops])
    return rows


def sparkline(values: Sequence[float | None], low: float = 0.0, high: float = 1.0) -> str:
    """One cell per value between `low` and `high` (None: a gap)."""
    span = (high - low) or 1.0
    out = []
    for v in values:
        if v is None:
            out.append(" ")
            continue
        share = min(1.0, max(0.0, (v - low) / span))
        out.append(EIGHTHS[1 + round(share * 7)])
    return "".join(out)


def split_width(parts: Sequence[int], width: int) -> list[int]:
    """`width` cells shared out in proportion to `parts` (largest remainders get the spare cells);
    a non-zero part gets at least one cell when there is room."""
    total = sum(parts)
    if total <= 0 or width <= 0:
        return [0 for _ in parts]
    exact = [p * width / total for p in parts]
    cells = [int(x) for x in exact]
    spare = width - sum(cells)
    for i in sorted(range(len(parts)), key=lambda i: exact[i] - cells[i], reverse=True)[:spare]:
        cells[i] += 1
    for i, p in enumerate(parts):
        if p and not cells[i]:
            biggest = max(range(len(cells)), key=lambda j: cells[j])
            if cells[biggest] > 1:
                cells[biggest] -= 1
                cells[i] = 1
    return cells


def stacked(parts: Sequence[tuple[int, str]], width: int) -> list[tuple[str, str]]:
    """A horizontal stacked bar: (glyphs, key) runs for (count, key) parts, `width` cells in all."""
    cells = split_width([n for n, _ in parts], width)
    return [(STAGE_GLYPHS.get(key, "#") * n, key) for n, (_, key) in zip(cells, parts, strict=True) if n]


def day_label(day: date) -> str:
    """`Nov 25`: fixed English month names, so output does not depend on the locale."""
    return f"{MONTHS[day.month - 1]} {day.day}"


def percent(rate: float | None) -> str:
    """A share as a whole percentage; `-` when there is nothing to divide."""
    return "-" if rate is None else f"{round(rate * 100)}%"


def place_labels(labels: Sequence[tuple[int, str]], width: int) -> str:
    """Labels placed at columns, each skipped if it would touch the one before."""
    line = ""
    for at, text in labels:
        if at >= len(line) + (1 if line else 0) and at + len(text) <= width:
            line = line.ljust(at) + text
    return line
