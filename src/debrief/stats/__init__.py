"""Statistics over the store: today's counts, the review calendar, forecast, retention. No UI code."""

from __future__ import annotations

from debrief.stats.report import (
    FORECAST_DAYS,
    HEATMAP_WEEKS,
    MATURE_DAYS,
    basic_stats,
    quiz_trend,
    stats_report,
)

__all__ = ["FORECAST_DAYS", "HEATMAP_WEEKS", "MATURE_DAYS", "basic_stats", "quiz_trend", "stats_report"]
