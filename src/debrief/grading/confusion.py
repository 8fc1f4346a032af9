"""Confusion-matrix ratios read from formulas, metric names and plain words.

"TP / (TP + FP)", "precision", "share of predicted positives that are correct" and "of everything
flagged positive, the fraction that's actually positive" are one ratio: true positives over the
predicted positives. A ratio is read as (numerator cells, denominator cells) over the four cells
TP, FP, TN, FN, so two answers agree when they name the same cells in the same roles, and a
swapped role ("of actual positives, the share found" is recall, not precision) is told apart.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA

from debrief.grading.normalize import clean, fold

Cells = frozenset[str]
Ratio = tuple[Cells, Cells]

TP, FP, TN, FN = "tp", "fp", "tn", "fn"
_ALL: Cells = frozenset({TP, FP, TN, FN})


def _r(num: set[str], den: set[str]) -> Ratio:
    return frozenset(num), frozenset(den)


# The field's named ratios (and their standard abbreviations).
NAMED: dict[str, Ratio] = {
    "precision": _r({TP}, {TP, FP}), "positive predictive value": _r({TP}, {TP, FP}),
    "ppv": _r({TP}, {TP, FP}),
    "recall": _r({TP}, {TP, FN}), "sensitivity": _r({TP}, {TP, FN}),
    "true positive rate": _r({TP}, {TP, FN}), "tpr": _r({TP}, {TP, FN}),
    "hit rate": _r({TP}, {TP, FN}),
    "specificity": _r({TN}, {TN, FP}), "true negative rate": _r({TN}, {TN, FP}),
    "tnr": _r({TN}, {TN, FP}), "selectivity": _r({TN}, {TN, FP}),
    "false positive rate": _r({FP}, {FP, TN}), "fpr": _r({FP}, {FP, TN}),
    "fall out": _r({FP}, {FP, TN}), "fallout": _r({FP}, {FP, TN}),
    "false negative rate": _r({FN}, {FN, TP}), "fnr": _r({FN}, {FN, TP}),
    "miss rate": _r({FN}, {FN, TP}),
    "negative predictive value": _r({TN}, {TN, FN}), "npv": _r({TN}, {TN, FN}),
    "false discovery rate": _r({FP}, {FP, TP}), "fdr": _r({FP}, {FP, TP}),
    "accuracy": _r({TP, TN}, set(_ALL)),
}

# One cell, in words.
_CELL_WORDS = (
    (r"true positives?|tps?|correct positive predictions?|correctly predicted positives?|"
     r"correctly flagged positives?|hits", TP),
    (r"false positives?|fps?|false alarms?", FP),
    (r"true negatives?|tns?|correct rejections?|correctly predicted negatives?", TN),
    (r"false negatives?|fns?|missed positives?|misses", FN),
)
_DET = r"(?:(?:all|every|everything|each|the|our|its|your|of|that|which|things|items|cases|" \
       r"examples|ones|predictions?|(?:the )?model|we|it|you|i|they|was|were|is|are|as)\s+)*"
# A set of cases: what was predicted positive, what really is positive, and so on.
_SETS = (
    (rf"{_DET}(?:predicted|flagged|labell?ed|classified|called|marked)(?: as)? positives?|"
     rf"{_DET}positive (?:predictions?|calls|flags|results)|{_DET}positives? predicted|"
     rf"{_DET}retrieved(?: items| documents| results)?", {TP, FP}),
    (rf"{_DET}(?:actual|actually|real|really|truly|true class|ground truth|labell?ed) "
     rf"positives?(?: cases| examples| items)?|{_DET}positive (?:cases|examples|class)|"
     rf"{_DET}relevant(?: items| documents| results)?", {TP, FN}),
    (rf"{_DET}(?:predicted|flagged|labell?ed|classified|called|marked)(?: as)? negatives?|"
     rf"{_DET}negative (?:predictions?|calls|results)", {TN, FN}),
    (rf"{_DET}(?:actual|actually|real|really|truly|true class|ground truth) negatives?"
     rf"(?: cases| examples| items)?|{_DET}negative (?:cases|examples|class)", {TN, FP}),
    (rf"{_DET}(?:predictions|cases|examples|samples)", set(_ALL)),
)
# What a part of a set is said to be: the cells of that set it keeps ("of the predicted
# positives, the share that are correct": the true positives).
_PICKS = (
    (r"correct|correctly|right|accurate|true|truly|actually positive|really positive|"
     r"actually (?:are|is) positive|real positives?|relevant|caught|catch(?:es)?|found|finds?|"
     r"detect(?:s|ed)?|identif(?:y|ies|ied)|captur(?:e|es|ed)|recover(?:s|ed)?|gets?|got|"
     r"flag(?:s|ged)?|predict(?:s|ed)? (?:as )?positive|retriev(?:e|es|ed)", {TP, TN}),
    (r"wrong|wrongly|incorrect|incorrectly|false|mistaken|actually negative|really negative|"
     r"missed|miss(?:es)?|false alarms?", {FP, FN}),
)
_OVER = re.compile(r"\s*(?:/|÷|\bover\b|\bdivided by\b|\bout of\b|\bper\b)\s*")
_RATIO_WORDS = re.compile(r"\b(?:share|fraction|proportion|percentage|percent|ratio|rate|"
                          r"how many|how much|what (?:share|fraction|percent(?:age)?)|portion|"
                          r"part|%)\b|%")
_COMPLEMENT = re.compile(r"^\s*(?:1|one|100%?)\s*(?:-|minus)\s*(.+)$")
_ALTERNATIVE = re.compile(r"\bor\b|\bvs\b|\bversus\b|\?")
_VOCAB = ("positive", "positives", "negative", "negatives", "predicted", "prediction",
          "predictions", "actually", "actual")


def _spell(text: str) -> str:
    """`text` folded, with the vocabulary's words mended when one letter is off
    ("positves")."""
    words = re.findall(r"[a-z0-9%]+|[/+\-*÷()]", fold(clean(text)).replace("'", ""))
    out = []
    for w in words:
        if len(w) >= 6 and w.isalpha() and w not in _VOCAB:
            for v in _VOCAB:
                if abs(len(v) - len(w)) <= 1 and OSA.distance(v, w, score_cutoff=1) <= 1:
                    w = v
                    break
        out.append(w)
    return " ".join(out)


def _cells(text: str) -> Cells | None:
    """The cells a sum names ("TP + FP", "true positives and false negatives"), or None."""
    parts = [p for p in re.split(r"\s*(?:\+|\bplus\b|\band\b|,)\s*", text.strip(" ()")) if p]
    out: set[str] = set()
    for part in parts:
        part = part.strip(" ()")
        for pattern, cell in _CELL_WORDS:
            if re.fullmatch(rf"{_DET}(?:{pattern})", part):
                out.add(cell)
                break
        else:
            return None
    return frozenset(out) if out else None


def _set(text: str) -> Cells | None:
    """The set of cases a phrase names ("all predicted positives"), or None."""
    text = text.strip(" ()")
    for pattern, cells in _SETS:
        if re.fullmatch(pattern, text):
            return frozenset(cells)
    return _cells(text)


def _named(text: str) -> Ratio | None:
    """A metric named by itself, or by names that all mean one ratio ("sensitivity, i.e. true
    positive rate")."""
    parts = [p for p in re.split(r"\s*(?:,|;|\(|\)|\bi e\b|\bie\b|\baka\b|\balso called\b|"
                                 r"\bknown as\b|=|\bthe\b|\bis\b)\s*", text) if p.strip()]
    found = {NAMED.get(p.strip()) for p in parts}
    if not parts or None in found or len(found) != 1:
        return None
    return found.pop()


def _part_of(text: str) -> Ratio | None:
    """"share of predicted positives that are correct", "of all the real positives, how many we
    caught": a set after "of", and what part of it the rest of the sentence keeps."""
    if not _RATIO_WORDS.search(text):
        return None
    found: list[tuple[Cells, str]] = []
    for pattern, cells in _SETS[:4]:
        for m in re.finditer(rf"\bof ((?:{pattern}))(?=$|[ ,;:])", text):
            rest = (text[:m.start()] + " " + text[m.end():]).strip()
            found.append((frozenset(cells), rest))
    if len(found) != 1:
        return None  # no set, or two: not one reading
    den, rest = found[0]
    picked: set[str] = set()
    # a wrong part named ("wrongly flagged", "missed") is that part, whatever else is said
    for pattern, keep in reversed(_PICKS):
        if re.search(rf"\b(?:{pattern})\b", rest):
            picked = set(keep & den)
            break
    if len(picked) != 1:
        return None
    return frozenset(picked), den


@lru_cache(maxsize=4096)
def ratio(text: str) -> Ratio | None:
    """The confusion-matrix ratio `text` states, or None when it states none (or more than
    one: "TP/(TP+FN) or TP/(TP+FP)")."""
    s = _spell(text)
    if not s or _ALTERNATIVE.search(s):
        return None
    s = re.sub(r"^(?:it s|its|it is|this is|that s|the)\s+", "", s)
    m = _COMPLEMENT.match(s)
    if m:
        inner = ratio(m.group(1))
        return (inner[1] - inner[0], inner[1]) if inner else None
    named = _named(s)
    if named is not None:
        return named
    # "X over Y", "X divided by Y", "X out of Y"
    parts = _OVER.split(s)
    if len(parts) == 2:
        num, den = _cells(parts[0]), _set(parts[1])
        if num is not None and den is not None and num < den:
            return num, den
        return None
    return _part_of(s)


def same_ratio(typed: str, expected: str) -> bool | None:
    """True when both texts state the same confusion-matrix ratio, False when both state one
    and they differ, None when either states none."""
    want, have = ratio(expected), ratio(typed)
    if want is None or have is None:
        return None
    return want == have
