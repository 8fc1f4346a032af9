"""Suspension, flag and burial brought back from Anki: which side changed a card last, and wins.

The rule, per card and per mark (suspension, flag) where Anki's differs from debrief's:
- the marks a card had in Anki when the two last met are the common ground: Anki's as the last
  import saw them, or else (first import of one of debrief's cards) what debrief's export gave
  the card (kept in the card's custom data). A mark Anki still has as it was there is no change
  made in Anki: debrief keeps its own (so a leech debrief suspended after the export stays
  suspended, however often the card was answered in Anki since). A mark only Anki changed is
  taken;
- when both changed it, or nothing is known of the common ground (a deck made in Anki, imported
  the first time), the later change wins: the card's `mod` in Anki (the last time anything about
  it changed there) against when debrief last set its suspension, flag or burial. A card debrief
  never marked takes Anki's marks; a leech debrief suspended is never unsuspended on a guess.
Burial only adds: a card buried in Anki (by hand or as a sibling) is buried in debrief until the
end of the study day it was buried on, unless that day is over or debrief changed the card later.
Anki's flags 5-7 (pink, turquoise, purple) have no colour in debrief: the debrief flag stays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

SUSPENDED = 8  # the bit of a packed mark that says suspended; the low three bits are the flag
SHOWN_FLAGS = (0, 1, 2, 3, 4)  # debrief's: none, red, orange, green, blue
# The key under which debrief's export keeps, in a card's custom data ("cd" in its `data`), the
# marks it gave the card: Anki keeps custom data through answers, suspensions and flags.
MARKS_KEY = "dbm"


def pack(suspended: bool, flag: int) -> int:
    """A card's suspension and flag as one number (flag, plus 8 when suspended)."""
    return (flag & 7) | (SUSPENDED if suspended else 0)


@dataclass(frozen=True)
class AnkiMarks:
    """A card's suspension, flag and burial as an Anki package holds them."""

    card_key: str
    suspended: bool
    flag: int
    buried: bool
    # The card's `mod`: the last time anything about it changed in Anki (or debrief's export).
    modified_at: datetime
    # The marks debrief's export gave the card (packed), when the package says so.
    sent: int | None = None


@dataclass(frozen=True)
class Marks:
    """A card's suspension, flag and burial in debrief, with what the merge needs to know."""

    suspended: bool = False
    flag: int = 0
    buried_until: datetime | None = None
    # When debrief last set them (None: never, or before debrief recorded it).
    marked_at: datetime | None = None
    # Anki's marks (packed) as the last import saw them.
    anki_marks: int | None = None
    leech: bool = False


@dataclass(frozen=True)
class Merged:
    """The marks a card has after an import, and what happened to each."""

    marks: Marks
    suspended: bool = False  # suspended from Anki
    unsuspended: bool = False
    flagged: bool = False  # flag set, changed or cleared from Anki
    buried: bool = False
    kept: bool = False  # a mark changed on both sides: debrief's later change kept
    unshown_flag: bool = False  # Anki's flag has no debrief colour


@dataclass(frozen=True)
class MarksImport:
    """What bringing back Anki's marks did, in cards."""

    suspended: int = 0
    unsuspended: int = 0
    flagged: int = 0
    buried: int = 0
    kept: int = 0
    unshown_flag: int = 0

    @classmethod
    def of(cls, merged: Iterable[Merged]) -> MarksImport:
        """The counts of what each card's merge did."""
        items = list(merged)
        return cls(**{name: sum(bool(getattr(m, name)) for m in items)
                      for name in ("suspended", "unsuspended", "flagged", "buried", "kept",
                                   "unshown_flag")})

    def __str__(self) -> str:
        parts = [f"{count} {name}" for name, count in (
            ("suspended", self.suspended), ("unsuspended", self.unsuspended),
            ("flag(s) set or cleared", self.flagged), ("buried until the next study day",
                                                       self.buried)) if count]
        if self.kept:
            parts.append(f"{self.kept} kept as debrief changed them later")
        if self.unshown_flag:
            parts.append(f"{self.unshown_flag} flag(s) of a colour debrief lacks "
                         "(pink, turquoise, purple) not brought in")
        return ", ".join(parts)


def merge_marks(ours: Marks, theirs: AnkiMarks, bury_until: datetime, now: datetime) -> Merged:
    """debrief's marks `ours` after importing Anki's `theirs` (the rule in this module's
    docstring). `bury_until` is the end of the study day `theirs` was last changed on."""
    common = ours.anki_marks if ours.anki_marks is not None else theirs.sent
    later = ours.marked_at is None or theirs.modified_at > ours.marked_at
    kept = False

    def choose(our: int, their: int, base: int | None, guess_ok: bool = True) -> int:
        nonlocal kept
        if our == their:
            return our
        if base is not None and their == base:
            return our  # unchanged in Anki
        if base is not None and our == base:
            return their  # changed in Anki only
        if later and guess_ok:
            return their
        kept = True  # changed on both sides (or unknown), and debrief's change is the later
        return our

    suspended = bool(choose(int(ours.suspended), int(theirs.suspended),
                            None if common is None else int(bool(common & SUSPENDED)),
                            guess_ok=not (common is None and ours.leech and ours.suspended)))
    flag = choose(ours.flag, theirs.flag & 7, None if common is None else common & 7)
    unshown = flag not in SHOWN_FLAGS
    if unshown:
        flag = ours.flag
    buried_until = ours.buried_until
    buried = (theirs.buried and later and bury_until > now
              and (buried_until is None or buried_until < bury_until))
    if buried:
        buried_until = bury_until
    changed = suspended != ours.suspended or flag != ours.flag or buried
    marked_at = ours.marked_at
    if changed and (marked_at is None or theirs.modified_at > marked_at):
        marked_at = theirs.modified_at
    marks = replace(ours, suspended=suspended, flag=flag, buried_until=buried_until,
                    marked_at=marked_at, anki_marks=pack(theirs.suspended, theirs.flag))
    return Merged(marks, suspended=suspended and not ours.suspended,
                  unsuspended=ours.suspended and not suspended, flagged=flag != ours.flag,
                  buried=buried, kept=kept, unshown_flag=unshown)
