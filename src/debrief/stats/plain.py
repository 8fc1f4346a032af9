"""`debrief stats --plain`: the report as text charts, one section after another."""

from __future__ import annotations

from datetime import date
from typing import Any

from debrief.cards import clean_text
from debrief.stats import charts

BAR_HEIGHT = 6
DECK_BAR = 20
QUIZ_TREND = 30


def _n(value: int) -> str:
    return f"{value:,}"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def one_line(text: str, width: int) -> str:
    """Card text on one line: control characters gone, whitespace folded, cut to `width`."""
    flat = " ".join(clean_text(text).split())
    return flat if len(flat) <= width else flat[:max(0, width - 1)] + "…"


def headline(report: dict[str, Any]) -> list[str]:
    """The counts and the streak, two lines."""
    return [
        f"Cards {_n(report['cards_total'])} · reviews {_n(report['reviews_total'])} "
        f"(today {_n(report['reviews_today'])}) · due today {_n(report['due_today'])} · "
        f"new today {_n(report['new_today'])}",
        f"Streak {_days(report['streak'])} · longest {_days(report['longest_streak'])} · "
        f"studied on {_days(report['study_days'])} in all",
    ]


def heatmap_lines(report: dict[str, Any]) -> list[str]:
    """The review calendar: month names, a row per weekday, the legend."""
    grid = charts.heatmap(report["heatmap"])
    lines = [f"Reviews per day, last {len(grid.weeks)} weeks"]
    lines.append("    " + grid.month_labels())
    for d, row in enumerate(grid.rows):
        label = charts.WEEKDAYS[d] if d % 2 == 0 else ""
        lines.append(f"{label:<4}" + "".join(c.glyph if c else " " for c in row).rstrip())
    total = sum(report["heatmap"].values())
    lines.append(f"    less {' '.join(charts.HEAT)} more · busiest day {_n(grid.peak)} · "
                 f"{_n(total)} in all")
    return lines


def forecast_lines(report: dict[str, Any]) -> list[str]:
    """Cards due per day as vertical bars, with the dates under them."""
    days = [(date.fromisoformat(k), v) for k, v in sorted(report["forecast"].items())]
    values = [v for _, v in days]
    peak = max(values, default=0)
    axis = max(len(_n(peak)), 1)
    overdue = report.get("overdue", 0)
    title = f"Due in the next {len(days)} days"
    if overdue:
        title += f" (today includes {_n(overdue)} overdue)"
    lines = [title]
    if not peak:
        return [*lines, "  nothing falls due in these days"]
    for r, row in enumerate(charts.bar_rows(values, BAR_HEIGHT)):
        mark = _n(peak) if r == 0 else ""
        lines.append(f"{mark:>{axis}} │" + " ".join(row).rstrip())
    lines.append(f"{'0':>{axis}} └" + "─" * (2 * len(values)))
    labels = [(2 * i, charts.day_label(d)) for i, (d, _) in enumerate(days) if i % 7 == 0]
    lines.append(" " * (axis + 2) + charts.place_labels(labels, 2 * len(values) + 6))
    lines.append(f"{_n(sum(values))} due in all · busiest {_n(peak)}")
    return lines


def retention_lines(report: dict[str, Any]) -> list[str]:
    """True retention: young, mature and all, per window, beside the desired rate."""
    ret = report["retention"]
    lines = [f"True retention (right = any answer but Again; mature = interval of "
             f"{ret['mature_days']}+ days) · desired {charts.percent(ret['desired'])}"]
    lines.append(f"{'':16}{'young':<16}{'mature':<16}all")
    for window in (k for k in ret if k.startswith("last_")):
        label = window.removeprefix("last_").replace("_", " ")
        cells = []
        for group in ("young", "mature", "all"):
            g = ret[window][group]
            cells.append(f"{charts.percent(g['rate'])} of {_n(g['reviews'])}" if g["reviews"] else "-")
        lines.append(f"  {'last ' + label:<14}" + "".join(f"{c:<16}" for c in cells).rstrip())
    return lines


def answer_time_line(report: dict[str, Any]) -> str:
    """The mean answer time, in one line."""
    at = report["answer_time"]
    if not at["reviews"]:
        return f"Answer time: no reviews in the last {_days(at['days'])}"
    return (f"Answer time: {at['average_seconds']:.1f} s on average over {_n(at['reviews'])} "
            f"reviews in the last {_days(at['days'])} (each counted up to {at['cap_seconds']} s)")


def deck_lines(report: dict[str, Any]) -> list[str]:
    """Each deck's cards by stage, with a stacked bar."""
    decks = report["decks"]
    width = max([len(d["name"]) for d in decks] + [4])
    lines = [f"{'Deck':<{width}}  cards   new learn young mature susp  mastered"]
    for d in decks:
        parts = [(d[k], k) for k in ("mature", "young", "learning", "new", "suspended")]
        bar = "".join(glyphs for glyphs, _ in charts.stacked(parts, DECK_BAR))
        lines.append(f"{one_line(d['name'], width):<{width}}  {d['cards']:>5} {d['new']:>5} "
                     f"{d['learning']:>5} {d['young']:>5} {d['mature']:>6} {d['suspended']:>4}  "
                     f"{charts.percent(d['mastery']):>4} {bar}")
    legend = " ".join(f"{g} {k}" for k, g in charts.STAGE_GLYPHS.items())
    lines.append(f"{'':<{width}}  {legend}")
    return lines


def hardest_lines(report: dict[str, Any], width: int = 80) -> list[str]:
    """The cards with the most lapses, with their deck."""
    cards = report["hardest"]
    if not cards:
        return ["Hardest cards: none has lapsed yet"]
    lines = ["Hardest cards (most lapses)"]
    deck_width = max(len(c["deck"]) for c in cards)
    for c in cards:
        head = f"  {c['lapses']:>3} × {one_line(c['deck'], deck_width):<{deck_width}}  "
        lines.append(head + one_line(c["prompt"], max(10, width - len(head))))
    return lines


def quiz_lines(report: dict[str, Any]) -> list[str]:
    """The latest quiz scores as a sparkline, with the last, average and best."""
    # A quiz ended early is scored on a few questions: the trend leaves it out.
    quizzes = [q for q in report["quizzes"] if not q.get("ended_early")]
    if not quizzes:
        return ["Quiz scores: no quiz finished yet"]
    shown = quizzes[-QUIZ_TREND:]
    rates = [q.get("accuracy") for q in shown]
    known = [r for r in rates if r is not None]
    last = shown[-1]
    when = last.get("day") or str(last.get("date", ""))[:10]
    mean = sum(known) / len(known) if known else None
    return [f"Quiz scores, latest {len(shown)} (oldest first)",
            f"  {charts.sparkline(rates)}  last {last['score']}/{last['total']} "
            f"({charts.percent(last.get('accuracy'))}) on {when} · "
            f"average {charts.percent(mean)} · best {charts.percent(max(known, default=None))}"]


def render(report: dict[str, Any], width: int = 80) -> str:
    """The whole report as text, sections separated by blank lines."""
    sections = [
        [f"debrief stats · study day {report['today']} (days start at "
         f"{report['day_starts_at']}:00)", *headline(report)],
        heatmap_lines(report),
        forecast_lines(report),
        [*retention_lines(report), "", answer_time_line(report)],
        deck_lines(report),
        hardest_lines(report, width),
        quiz_lines(report),
    ]
    return "\n\n".join("\n".join(lines) for lines in sections)
