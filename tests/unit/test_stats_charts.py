"""The pure parts of stats: study-day ranges across DST, streaks, and the block-character charts."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest

from debrief.stats import charts
from debrief.stats.days import current_streak, day_ranges, heatmap_start, longest_streak
from debrief.stats.plain import one_line, render

D = date.fromisoformat


@pytest.fixture
def berlin(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(("day", "hours", "start_utc"), [
    ("2026-03-27", 24, "2026-03-27 03:00"),  # CET: 04:00 local is 03:00 UTC
    ("2026-03-28", 23, "2026-03-28 03:00"),  # the night the clocks go forward
    ("2026-03-29", 24, "2026-03-29 02:00"),  # CEST: 04:00 local is 02:00 UTC
    ("2026-10-24", 25, "2026-10-24 02:00"),  # the night the clocks go back
    ("2026-10-25", 24, "2026-10-25 03:00"),
])
def test_study_days_follow_the_wall_clock_across_dst(berlin, day, hours, start_utc):
    ((_, start, end),) = day_ranges(D(day), 1)
    assert start.strftime("%Y-%m-%d %H:%M") == start_utc
    assert end - start == timedelta(hours=hours)


def test_day_ranges_are_consecutive(berlin):
    ranges = day_ranges(D("2026-03-20"), 20, rollover_hour=6)
    assert [i for i, _, _ in ranges] == list(range(20))
    assert all(a[2] == b[1] for a, b in zip(ranges, ranges[1:], strict=False))


@pytest.mark.parametrize(("days", "today", "current", "longest"), [
    ([], "2026-03-10", 0, 0),
    (["2026-03-10"], "2026-03-10", 1, 1),
    (["2026-03-09"], "2026-03-10", 1, 1),                 # nothing yet today: ends yesterday
    (["2026-03-08"], "2026-03-10", 0, 1),                 # a day missed: broken
    (["2026-03-08", "2026-03-09", "2026-03-10"], "2026-03-10", 3, 3),
    (["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-09", "2026-03-10"],
     "2026-03-10", 2, 4),
    (["2026-02-28", "2026-03-01"], "2026-03-01", 2, 2),   # across a month end
])
def test_streaks(days, today, current, longest):
    active = [D(d) for d in days]
    assert current_streak(active, D(today)) == current
    assert longest_streak(active) == longest


def test_heatmap_starts_on_the_monday_52_weeks_back():
    assert heatmap_start(D("2026-03-31")) == D("2025-03-31")  # a Tuesday's week began 03-30
    assert heatmap_start(D("2026-03-30")) == D("2025-03-31")
    assert heatmap_start(D("2026-03-29")) == D("2025-03-24")  # a Sunday


@pytest.mark.parametrize(("count", "peak", "level"), [
    (0, 10, 0), (1, 10, 1), (2, 10, 1), (3, 10, 2), (5, 10, 2), (6, 10, 3), (8, 10, 4),
    (10, 10, 4), (1, 1, 4), (0, 0, 0),
])
def test_heat_levels_are_quarters_of_the_busiest_day(count, peak, level):
    assert charts.heat_level(count, peak) == level


def test_heatmap_grid_has_a_column_per_week_and_blanks_after_today():
    days = {(D("2026-03-02") + timedelta(days=i)).isoformat(): i % 3 for i in range(16)}
    grid = charts.heatmap(days)
    assert len(grid.weeks) == 3 and grid.peak == 2
    assert grid.weeks[0][0].day == D("2026-03-02") and grid.weeks[0][0].glyph == "·"
    assert grid.weeks[0][1].glyph == "▒" and grid.weeks[0][2].glyph == "█"
    assert grid.weeks[2][1] is not None and grid.weeks[2][2] is None  # 03-17 is the last day
    assert [len(row) for row in grid.rows] == [3] * 7


def test_month_labels_sit_over_the_week_a_month_begins():
    days = {(D("2026-01-05") + timedelta(days=i)).isoformat(): 1 for i in range(70)}
    labels = charts.heatmap(days).month_labels()
    # 2026-02-01 and 2026-03-01 are Sundays: the ends of week columns 3 and 7.
    assert labels.index("Feb") == 3 and labels.index("Mar") == 7
    assert "Jan" not in labels  # no room before Feb
    days = {(D("2025-11-03") + timedelta(days=i)).isoformat(): 1 for i in range(77)}
    assert charts.heatmap(days).month_labels().startswith("Nov Dec Jan")  # room for Nov


def test_bars_scale_to_the_peak_and_never_hide_a_small_value():
    rows = charts.bar_rows([16, 8, 1, 0], height=2)
    assert rows == [["█", " ", " ", " "], ["█", "█", "▁", " "]]


@pytest.mark.parametrize(("parts", "width", "cells"), [
    ([1, 1], 10, [5, 5]),
    ([2, 1], 10, [7, 3]),
    ([100, 1], 10, [9, 1]),  # a non-zero part keeps a cell
    ([0, 0], 10, [0, 0]),
    ([1, 2, 3], 6, [1, 2, 3]),
])
def test_split_width(parts, width, cells):
    assert charts.split_width(parts, width) == cells
    assert sum(charts.split_width(parts, width)) in (0, width)


def test_sparkline():
    assert charts.sparkline([0.0, 0.5, 1.0, None]) == "▁▅█ "


def test_one_line_strips_control_characters_and_cuts():
    assert one_line("a\x1b[2Jb\nc\x07d", 20) == "ab cd"
    assert one_line("x" * 30, 10) == "x" * 9 + "…"


def test_plain_render_of_an_empty_report():
    report = {
        "today": "2026-03-31", "day_starts_at": 4, "cards_total": 0, "reviews_total": 0,
        "reviews_today": 0, "due_today": 0, "new_today": 0, "streak": 0, "longest_streak": 0,
        "study_days": 0,
        "heatmap": {(D("2025-03-31") + timedelta(days=i)).isoformat(): 0 for i in range(366)},
        "forecast": {(D("2026-03-31") + timedelta(days=i)).isoformat(): 0 for i in range(30)},
        "overdue": 0,
        "retention": {"desired": 0.9, "mature_days": 21,
                      **{w: {g: {"reviews": 0, "passed": 0, "rate": None}
                             for g in ("young", "mature", "all")}
                         for w in ("last_7_days", "last_30_days")}},
        "answer_time": {"average_seconds": None, "reviews": 0, "days": 30, "cap_seconds": 60},
        "decks": [], "hardest": [], "quizzes": [],
    }
    text = render(report)
    assert "Streak 0 days" in text
    assert "nothing falls due" in text
    assert "no quiz finished yet" in text
    assert max(len(line) for line in text.splitlines()) <= 100


@pytest.mark.parametrize("module", ["debrief.stats", "debrief.stats.charts", "debrief.stats.plain"])
def test_the_stats_core_imports_no_ui_and_no_sqlalchemy(module):
    import subprocess
    import sys

    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in out.stdout.split()}
    assert not loaded & {"textual", "rich", "click", "sqlalchemy"}


def test_a_month_label_never_runs_past_the_calendar():
    days = {(D("2026-01-05") + timedelta(days=i)).isoformat(): 1 for i in range(56)}  # 8 weeks
    labels = charts.heatmap(days).month_labels()
    assert len(labels) <= 8 and "Mar" not in labels  # 03-01 is in the last column: no room
