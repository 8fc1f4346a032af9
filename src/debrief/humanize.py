"""Times and sizes as people read them, one way for the command line and the app."""

from __future__ import annotations

from datetime import datetime


def local_minute(moment: datetime | None) -> str:
    """A moment as local date and minute (`2026-03-02 15:04`), or `never`."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "never"


def size_text(count: int) -> str:
    """A file size for people: `980 B`, `1.4 MB`."""
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.0f} B"
