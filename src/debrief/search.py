"""Card search for the browse screen: fuzzy words plus deck:, tag:, kind:, flag: and is: filters.

Pure Python (no Textual), so it can move to the core if a command-line search wants it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from debrief.cards import FLAG_NAMES, ScheduleState
from debrief.records import CardRecord

FILTER = re.compile(r"^(deck|tag|kind|is|flag):(.*)$", re.IGNORECASE)
STATUSES = ("new", "learning", "review", "due", "suspended", "buried", "leech", "flagged")
# flag:1 .. flag:4 or the colour's name; flag:0 (or flag:none) finds cards without a flag.
FLAG_VALUES = {**{str(n): n for n in range(5)}, "none": 0,
               **{name: n for n, name in FLAG_NAMES.items()}}
MIN_FUZZY = 80  # rapidfuzz partial_ratio a word needs when it is not a plain substring


@dataclass(frozen=True)
class Query:
    """A parsed search: free words and field filters."""

    words: tuple[str, ...] = ()
    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    flags: tuple[int, ...] = ()


def parse(text: str) -> Query:
    """Split `text` into words and `deck:` / `tag:` / `kind:` / `flag:` / `is:` filters (a
    `flag:` value that is no flag stays a word, so it matches nothing rather than everything)."""
    words: list[str] = []
    fields: dict[str, list[str]] = {"deck": [], "tag": [], "kind": [], "is": [], "flag": []}
    for token in text.lower().split():
        match = FILTER.match(token)
        if match and match.group(2) and (match.group(1).lower() != "flag"
                                          or match.group(2) in FLAG_VALUES):
            fields[match.group(1).lower()].append(match.group(2))
        else:
            words.append(token)
    return Query(tuple(words), tuple(fields["deck"]), tuple(fields["tag"]), tuple(fields["kind"]),
                 tuple(fields["is"]), tuple(FLAG_VALUES[f] for f in fields["flag"]))


def haystack(record: CardRecord) -> str:
    """Everything a word may match: id, deck, kind, tags, prompt, answer, options, explanation."""
    card = record.card
    return " ".join([card.id, card.deck, card.kind, *tags_of(record), card.prompt, card.answer_text,
                     *card.options, card.explanation]).lower()


def tags_of(record: CardRecord) -> tuple[str, ...]:
    """The card's tags from its deck file, plus `leech` once it became one."""
    return (*record.card.tags, "leech") if record.leech else record.card.tags


def _status(record: CardRecord, status: str, now: datetime, day_end: datetime) -> bool:
    state = record.state
    buried = record.buried_until is not None and record.buried_until > now
    if status == "suspended":
        return record.suspended
    if status == "buried":
        return buried
    if status == "leech":
        return record.leech
    if status == "flagged":
        return record.flag != 0
    if status in ("new", "due"):
        # What today's queue can serve, counted as home, stats and `decks` count it: suspended
        # and buried cards are left out (is:suspended and is:buried find them).
        if record.suspended or buried:
            return False
        if status == "new":
            return state.state == "new"
        return state.state != "new" and state.due is not None and state.due < day_end
    if status == "learning":
        return state.state in (ScheduleState.LEARNING, ScheduleState.RELEARNING)
    return state.state == status


def _word_score(word: str, text: str) -> float:
    if word in text:
        return 100.0
    if len(word) < 3:
        return 0.0
    from rapidfuzz import fuzz

    return float(fuzz.partial_ratio(word, text))


def search(records: Sequence[CardRecord], text: str, now: datetime,
           day_end: datetime | None = None) -> list[CardRecord]:
    """The records matching `text`, best first (ties keep deck and file order). `is:due` means
    due before `day_end` (the end of the study day; `now` when not given)."""
    day_end = day_end or now
    query = parse(text)
    scored: list[tuple[float, int, CardRecord]] = []
    for index, record in enumerate(records):
        card = record.card
        if query.decks and not any(d in card.deck.lower() for d in query.decks):
            continue
        if query.tags and not any(t in tag.lower() for t in query.tags for tag in tags_of(record)):
            continue
        if query.kinds and card.kind not in query.kinds:
            continue
        if query.flags and record.flag not in query.flags:
            continue
        if query.statuses and not all(_status(record, s, now, day_end) for s in query.statuses):
            continue
        score = 0.0
        if query.words:
            text_ = haystack(record)
            scores = [_word_score(w, text_) for w in query.words]
            if min(scores) < MIN_FUZZY:
                continue
            score = sum(scores) / len(scores)
        scored.append((-score, index, record))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [record for _score, _index, record in scored]
