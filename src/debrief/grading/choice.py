"""Multiple choice: resolve a typed answer to exactly one option, or to none."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from debrief.grading.meaning import pick_option
from debrief.grading.normalize import clean, fold
from debrief.grading.text import Tok, content, initials, tokenize

# "a", "(b)", "c)", "d.", "option b", "#2", "2." ...
# The label must stand apart from "option": "options" is a word, not option "s".
_INDEX = re.compile(r"^\s*(?:(?:option|answer|choice)\s+|#\s*)?[(\[]?\s*([a-z]|\d{1,2})\s*"
                    r"[)\].:]?\s*$", re.I)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Resolution:
    """Which option an answer picks: `index` (or None), how, and the options it fits if several."""

    index: int | None
    how: str  # "index", "text", "typo", "words", "none", "ambiguous", "out of range"
    candidates: tuple[int, ...] = ()


def option_index(answer: str, n_options: int) -> int | None | str:
    """The option a letter or number names ("b", "(2)", "option B"): its index, None if the
    answer is not a letter or number, or "out of range" if it names no shown option."""
    m = _INDEX.match(fold(clean(answer)))
    if not m:
        return None
    key = m.group(1)
    idx = _LETTERS.index(key) if key.isalpha() else int(key) - 1
    return idx if 0 <= idx < n_options else "out of range"


def _word_hits(typed: Sequence[Tok], option: Sequence[Tok]) -> bool:
    """Every typed word is a word of the option, a prefix of one (3+ letters), or the initials
    of a run of its words ("HITL" in "human-in-the-loop design")."""
    words = [t.text for t in content(option)]
    surfaces = [t.surface for t in content(option)]
    for tok in content(typed):
        w = tok.text
        if w in words or tok.surface in surfaces:
            continue
        if len(w) >= 3 and any(o.startswith(w) or s.startswith(tok.surface)
                               for o, s in zip(words, surfaces, strict=True)):
            continue
        if len(w) >= 2 and w.isalpha() and any(
            w in initials(option[i:j]) for i in range(len(option))
            for j in range(i + 2, min(len(option), i + 7) + 1)
        ):
            continue
        return False
    return True


def resolve(answer: str, options: Sequence[str],
            fits: Callable[[str, int], int | None], prompt: str = "") -> Resolution:
    """The option `answer` picks, by (in order): exact text, letter or number, the grader's
    text match (`fits(answer, i)` -> 2 exact, 1 with a typo, None), then unique words or
    prefixes, then the one option whose distinctive words it names. Two options fitting equally
    well is ambiguous, and picks none."""
    key = fold(clean(answer)).strip()
    exact = [i for i, o in enumerate(options) if fold(clean(o)).strip() == key]
    if len(exact) == 1:
        return Resolution(exact[0], "text")
    idx = option_index(answer, len(options))
    if isinstance(idx, int):
        return Resolution(idx, "index")
    if idx == "out of range":
        # A letter no option is labelled with may still start exactly one option ("y" for Yes).
        starts = [i for i, o in enumerate(options) if key.isalpha() and len(key) == 1
                  and fold(clean(o)).startswith(key)]
        if len(starts) == 1:
            return Resolution(starts[0], "words")
        return Resolution(None, "out of range")
    scores = {i: fits(answer, i) for i in range(len(options))}
    for quality, how in ((2, "text"), (1, "typo")):
        hits = [i for i, s in scores.items() if s == quality]
        if len(hits) == 1:
            return Resolution(hits[0], how)
        if len(hits) > 1:
            return Resolution(None, "ambiguous", tuple(hits))
    typed = tokenize(clean(answer))
    if not content(typed):
        return Resolution(None, "none")
    hits = [i for i, o in enumerate(options) if _word_hits(typed, tokenize(clean(o)))]
    if len(hits) == 1:
        return Resolution(hits[0], "words")
    if len(hits) > 1:
        return Resolution(None, "ambiguous", tuple(hits))
    picked = pick_option(answer, options, prompt)
    if picked is not None:
        return Resolution(picked, "words")
    return Resolution(None, "none")
