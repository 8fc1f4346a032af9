"""Turning core values into safe, short text for the screens (no Textual widgets here)."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.content import Content

from debrief.cards import clean_text
from debrief.grading.verdict import SYMBOL, WORD
from debrief.scheduling import format_interval

__all__ = ["SYMBOL", "WORD", "clock", "due_text", "local_time", "one_line", "plain", "sentence",
           "shorten", "verdict_text"]


def plain(text: object) -> Content:
    """Card or user text as literal content: never parsed as markup, control characters gone."""
    return Content(clean_text(str(text)))


def clock(seconds: float) -> str:
    """Elapsed time as `m:ss` (or `h:mm:ss`)."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def duration(seconds: float) -> str:
    """A session length in words: `45s`, `4m 12s`, `1h 03m`."""
    total = max(0, int(round(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def due_text(due: datetime | None, now: datetime) -> str:
    """When something falls due, relative to now: `now`, `in 10m`, `in 3d`, or `nothing scheduled`."""
    if due is None:
        return "nothing scheduled"
    delta = due - now
    if delta <= timedelta(0):
        return "now"
    return f"in {format_interval(delta)}"


def local_time(moment: datetime | None, now: datetime | None = None) -> str:
    """A moment in local time: `15:04` today, `Mar 02 15:04` otherwise."""
    if moment is None:
        return "-"
    local = moment.astimezone()
    if now is not None and local.date() == now.astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%b %d %H:%M")


def verdict_text(verdict: str) -> str:
    """A verdict as a symbol and words, so it reads without colour: `✓ Correct`."""
    return f"{SYMBOL.get(verdict, '?')} {WORD.get(verdict, verdict)}"


def shorten(text: str, width: int) -> str:
    """`text` in at most `width` characters, cut at a word boundary and marked with "…" (never
    mid-word unless a single word is longer than `width`)."""
    text = " ".join(clean_text(text).split())
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    if " " in cut and not text[width - 1].isspace():
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:.-") + "…"


def one_line(error: BaseException) -> str:
    """An error for a toast: its first line as a sentence that starts with a capital letter."""
    text = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return sentence(text[:1].upper() + text[1:])


def sentence(text: str) -> str:
    """`text` ending in exactly one full stop, unless it already ends in ?, ! or "…"."""
    text = text.rstrip()
    if not text:
        return text
    if text.endswith(("?", "!", "…", '?"', '!"')):
        return text
    return text.rstrip(".") + "."
