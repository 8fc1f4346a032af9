"""List answers: split the typed items, match each to an expected item in any order, count."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# Item separators: commas (not inside "420,000"), semicolons, newlines, " and ", " or ", " & ",
# " / ", and "/" between words ("train/test"; not "A/B").
_SPLIT = re.compile(r"(?<!\d),|,(?!\d)|;|\n|\s+and\s+|\s+or\s+|\s*&\s*|\s+/\s+|\s+\+\s+|"
                    r"(?<=[^\W\d_]{2})/(?=[^\W\d_]{2})|"
                    r"(?<=\S)\s+(?=\(?\d{1,2}[.)]\s)", re.I)
_LEAD = re.compile(r"^\s*(?:(?:and|or|also|plus)\s+|[-*•·]\s*|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+)",
                   re.I)
MAX_PIECES = 50


def split_items(answer: str) -> list[str]:
    """The items of a typed list, in order, with bullets, numbering and leading "and" removed.

    At most MAX_PIECES + 1 items: one more than that many means "too many to be a list answer".
    """
    pieces = []
    for piece in _SPLIT.split(answer)[: MAX_PIECES * 2]:
        piece = piece.strip(" .")
        while True:
            stripped = _LEAD.sub("", piece, count=1)
            if stripped == piece:
                break
            piece = stripped.strip(" .")
        if piece:
            pieces.append(piece)
    return pieces[: MAX_PIECES + 1]


@dataclass
class ItemMatch:
    """How one typed piece matched one expected item: `quality` 2 exact, 1 with a typo."""

    piece: int
    item: int
    quality: int
    note: str = ""


@dataclass
class ListResult:
    """The outcome of matching a typed list against the expected items."""

    matched: list[ItemMatch]
    missing: list[int]
    wrong: list[str]
    repeated: list[str]


def match_items(pieces: list[str], n_items: int,
                judge: Callable[[str, int], tuple[int, str] | None]) -> ListResult:
    """Pair typed pieces with expected items one to one, finding as many pairs as possible.

    `judge(piece, item)` says whether a piece names an item: (quality, note) or None. A piece
    that names an item already named by another piece is a repeat, not a wrong item.
    """
    edges: dict[int, list[tuple[int, int, str]]] = {}
    for p, piece in enumerate(pieces):
        found = []
        for i in range(n_items):
            verdict = judge(piece, i)
            if verdict is not None:
                found.append((verdict[0], i, verdict[1]))
        found.sort(key=lambda e: -e[0])
        edges[p] = found
    owner: dict[int, int] = {}

    def augment(p: int, seen: set[int]) -> bool:
        for _q, i, _n in edges[p]:
            if i in seen:
                continue
            seen.add(i)
            if i not in owner or augment(owner[i], seen):
                owner[i] = p
                return True
        return False

    for p in range(len(pieces)):
        augment(p, set())
    matched = []
    for i, p in sorted(owner.items(), key=lambda kv: kv[1]):
        q, _i, note = next(e for e in edges[p] if e[1] == i)
        matched.append(ItemMatch(p, i, q, note))
    used = set(owner.values())
    wrong: list[str] = []
    repeated: list[str] = []
    for p, piece in enumerate(pieces):
        if p in used:
            continue
        (repeated if edges[p] else wrong).append(piece)
    missing = [i for i in range(n_items) if i not in owner]
    return ListResult(matched, missing, wrong, repeated)
