"""Free-text matching: word alignment that forgives typos, spacing and forms, but not other terms."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from debrief.grading.normalize import (
    ALIASES,
    NUMBER_WORDS,
    ROMAN,
    ROMAN_CONTEXT,
    british_to_american,
    british_variants,
    clean,
    fold,
    ing_stem,
    singular,
    strip_accents,
)
from debrief.grading.terms import english_words

# Words that may be left out or added anywhere: articles, the joining "and", and "per"
# ("requests/second").
SKIP_WORDS = frozenset({"the", "a", "an", "and", "per"})
# Generic head nouns that may be left off or added at the end ("the cold-start problem").
GENERIC_TAIL = frozenset({"problem", "issue", "process", "method", "technique", "approach",
                          "classifier", "algorithm", "concept", "phenomenon", "score"})
# Category nouns a learner may add after the term, but that a card's answer cannot drop:
# "Adam optimizer" names Adam, while "supervised" alone is not "supervised learning".
TYPED_TAIL = GENERIC_TAIL | frozenset({"optimizer", "clustering", "strategy", "learning"})
# Two letters are too few to be read as anyone's initials ("ML" is not "Moore's law"): a
# two-letter acronym stands only for the phrases it conventionally abbreviates.
TWO_LETTER = {
    "ab": {"ab"}, "ai": {"artificial intelligence"}, "ml": {"machine learning"},
    "pm": {"product manager", "product management"}, "lr": {"learning rate",
    "logistic regression", "linear regression"}, "ci": {"confidence interval",
    "continuous integration"}, "cd": {"continuous delivery", "continuous deployment"},
    "fp": {"false positive"}, "fn": {"false negative"}, "tp": {"true positive"},
    "tn": {"true negative"}, "gd": {"gradient descent"}, "tc": {"total compensation"},
    "ft": {"fine tuning"}, "rl": {"reinforcement learning"}, "nn": {"neural network"},
    "cv": {"computer vision", "cross validation", "curriculum vitae"},
    "kv": {"key value"}, "qa": {"quality assurance"}, "rd": {"research and development",
    "research development"}, "hr": {"human resource"}, "pr": {"pull request", "public relation"},
    "ux": {"user experience"}, "ui": {"user interface"}, "os": {"operating system"},
    "db": {"database"}, "ip": {"intellectual property"}, "ic": {"individual contributor"},
    "em": {"engineering manager"}, "vp": {"vice president"}, "tl": {"tech lead",
    "technical lead"}, "ds": {"data science", "data scientist"}, "de": {"data engineer",
    "data engineering"}, "ar": {"augmented reality"}, "vr": {"virtual reality"},
    "pt": {"pre training", "pretraining"}, "ce": {"cross entropy"}, "kl": {"kullback leibler"},
}
# Words that may be left out of initials ("AUC": area under the curve).
INITIALS_SKIP = frozenset({"the", "a", "an", "and"})
# Words left out when reading initials ("RLHF" for "reinforcement learning from human feedback").
INITIALS_STOP = frozenset({"the", "a", "an", "and", "of", "to", "in", "for", "from", "with",
                           "on", "by", "at", "as", "or"})
CONJUNCTIONS = frozenset({"and", "versus"})
# Word endings that change a word's form, not its meaning ("increase" / "increased").
FORM_SUFFIXES = ("d", "ed", "s", "es", "ing", "al", "ly", "ally")

_SINGLE_LETTER_JOIN = re.compile(
    r"(?<![^\W_])([A-Za-z])(?:\s*[/&-]\s*|\s+and\s+)([A-Za-z])(?![^\W_])")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_TOKEN = re.compile(r"[^\W_]*\d+(?:\.\d+)+[^\W_]*|[^\W_]+")
_PAREN = re.compile(r"\(([^()]*)\)")
_PAIR_SPLIT = re.compile(r"\s*(?:,|;|&|\s/\s|\band\b|\bvs\b\.?|\bversus\b|\bv\b\.?)\s*", re.I)

# Longest answer, in words, compared word by word; a longer one must match letter for letter.
MAX_TOKENS = 40
# Short forms also written in capitals ("vector DB").
_CAPS_ALIASES = frozenset({"db", "dbs", "ux", "ui", "batchnorm", "layernorm"})


@dataclass(frozen=True)
class Tok:
    """One word of an answer: its canonical form, its folded surface form and what kind it is."""

    text: str
    surface: str
    acronym: bool = False
    digit: bool = False
    skip: bool = False
    generic: bool = False  # may be left off the end of an expected answer
    tail: bool = False  # may be added at the end of a typed answer


def is_acronym(raw: str) -> bool:
    """True for "ETL", "LoRA", "LLMs", "GenAI": short words written mostly in capitals."""
    letters = [c for c in raw if c.isalpha()]
    if not 2 <= len(letters) <= 7:
        return False
    if raw.endswith("s") and len(raw) > 2 and raw[:-1].isupper():
        return True
    uppers = sum(1 for c in letters if c.isupper())
    return uppers >= 2 and uppers * 2 >= len(letters)


def canonical(word: str, prev: str = "") -> str:
    """The form a folded word is compared in: numbers as digits, short forms, American, singular."""
    if word in ROMAN and prev in ROMAN_CONTEXT:
        return ROMAN[word]
    if word in NUMBER_WORDS:
        return str(NUMBER_WORDS[word])
    word = ALIASES.get(word, word)
    if any(c.isdigit() for c in word):
        return word
    return singular(british_to_american(word))


def tokenize(text: str) -> list[Tok]:
    """Split cleaned text into comparable words (at most MAX_TOKENS + 1 of them: one more than
    that many means "too long to compare word by word")."""
    text = strip_accents(text).replace("'", "").replace("’", "")
    text = _SINGLE_LETTER_JOIN.sub(r"\1\2", text)
    text = _SINGLE_LETTER_JOIN.sub(r"\1\2", text)
    text = _THOUSANDS.sub("", text).replace("&", " and ").replace(" + ", " and ")
    text = text.replace("@", " at ")
    toks: list[Tok] = []
    prev = ""
    for raw in _TOKEN.findall(text)[: MAX_TOKENS + 1]:
        surface = fold(raw)
        if surface in ROMAN and prev in ROMAN_CONTEXT:
            acronym, text_form = False, ROMAN[surface]
        else:
            acronym = is_acronym(raw)
            if acronym and raw.endswith("s") and raw[:-1].isupper():
                surface = surface[:-1]
            if acronym and raw.isupper() or acronym and surface in _CAPS_ALIASES:
                text_form = ALIASES.get(surface, surface) if surface in _CAPS_ALIASES else surface
            else:
                text_form = canonical(surface, prev)
        for part in text_form.split(" "):  # an alias may stand for two words ("ux")
            digit = any(c.isdigit() for c in part)
            toks.append(Tok(part, surface if part == text_form else part, acronym, digit,
                            part in SKIP_WORDS or part in CONJUNCTIONS, part in GENERIC_TAIL,
                            part in TYPED_TAIL))
        prev = text_form
    return toks


def content(toks: Sequence[Tok]) -> list[Tok]:
    """The tokens that carry meaning (not articles or "and")."""
    return [t for t in toks if not t.skip]


def unskip(toks: Sequence[Tok]) -> list[Tok]:
    """`toks` as they are, or, when they are all articles and "and", all made meaningful."""
    if content(toks) or not toks:
        return list(toks)
    return [Tok(t.text, t.surface, t.acronym, t.digit, False, t.generic, t.tail) for t in toks]


def initials(toks: Sequence[Tok]) -> set[str]:
    """The acronyms a run of words may be written as ("human in the loop" -> "hitl").

    Two-letter initials count only where conventional (TWO_LETTER): "LR" for learning rate.
    """
    if len(toks) < 2 or any(t.digit or t.acronym for t in toks):
        return set()
    out = {"".join(t.surface[0] for t in toks if t.surface)}
    out.add("".join(t.surface[0] for t in toks if t.surface and t.text not in INITIALS_SKIP))
    out.add("".join(t.surface[0] for t in toks if t.surface and t.text not in INITIALS_STOP))
    phrase = " ".join(t.text for t in toks)
    return {s for s in out if len(s) >= 3 or (len(s) == 2 and phrase in TWO_LETTER.get(s, ()))}


@dataclass
class Context:
    """What the matcher knows beyond the two texts: real terms, and acronyms spelt out already."""

    known: frozenset[str] = frozenset()
    no_expand: frozenset[str] = frozenset()
    multiword: bool = False


@dataclass(frozen=True)
class Cost:
    """How far an alignment strayed: typo edits, word-form changes, initials used."""

    edits: int = 0
    forms: int = 0
    initials: int = 0

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.edits + other.edits, self.forms + other.forms,
                    self.initials + other.initials)

    def key(self) -> tuple[int, int, int]:
        return (self.edits, self.forms, self.initials)


ZERO = Cost()


@dataclass
class Alignment:
    """A successful match of typed words to expected words, with what it forgave."""

    cost: Cost
    typos: list[tuple[str, str]] = field(default_factory=list)
    forms: list[tuple[str, str]] = field(default_factory=list)


def _budget(n: int) -> int:
    if n <= 2:
        return 0
    if n == 3:
        return 1
    if n <= 9:
        return 1
    if n <= 15:
        return 2
    return 3


def _is_swap_or_double(t: str, e: str) -> bool:
    """A transposed pair or a doubled/undoubled letter: the only typos allowed in short words."""
    if len(t) == len(e):
        diff = [i for i in range(len(t)) if t[i] != e[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and t[diff[0]] == e[diff[1]] \
            and t[diff[1]] == e[diff[0]]
    longer, shorter = (t, e) if len(t) > len(e) else (e, t)
    if len(longer) != len(shorter) + 1:
        return False
    return any(longer[:i] + longer[i + 1:] == shorter and longer[i] == longer[i - 1]
               for i in range(1, len(longer)))


def _single_indel_or_swap(t: str, e: str) -> bool:
    if len(t) == len(e):
        return _is_swap_or_double(t, e)
    return abs(len(t) - len(e)) == 1 and OSA.distance(t, e) == 1


def _form_variant(t: str, e: str) -> bool:
    longer, shorter = (t, e) if len(t) > len(e) else (e, t)
    return len(shorter) >= 4 and any(longer == shorter + s for s in FORM_SUFFIXES)


def typo_edits(e_toks: Sequence[Tok], t_toks: Sequence[Tok], ctx: Context) -> int | None:
    """Edits needed to read the typed words as a typo of the expected ones, or None if not a typo."""
    if any(t.digit for t in e_toks) or any(t.digit for t in t_toks):
        return None
    if any(t.acronym or len(t.text) == 1 for t in e_toks):
        return None  # no typos in acronyms or one-letter names ("top-k" is not "topt")
    e = "".join(t.text for t in e_toks)
    t = "".join(t.text for t in t_toks)
    if len(e) < 3 or not t:
        return None
    if e[0] != t[0]:
        # The first letter is where words differ ("retention" / "detention"); the one slip
        # forgiven there is dropping it, and only into a non-word ("ontrol" for "control").
        if not (len(e) >= 5 and t == e[1:] and len(t_toks) == 1
                and t not in ctx.known and t not in english_words()):
            return None
    budget = _budget(len(e))
    if len(e_toks) > 1 or len(t_toks) > 1:
        # Words written together or apart get one typo between them, not one each: a merge
        # must not pool budgets ("product marketing" is not "product market fit").
        budget = min(budget, 1)
    e_forms = {e, "".join(x.surface for x in e_toks)}
    if len(e_toks) == 1:
        e_forms |= british_variants(e)
    t_forms = {t, "".join(x.surface for x in t_toks)}
    d = min(OSA.distance(a, b, score_cutoff=budget + 1) for a in t_forms for b in e_forms)
    if d == 0:
        return 0
    if d > budget:
        return None
    if len(e) == 3 and not any(_is_swap_or_double(a, b) for a in t_forms for b in e_forms):
        return None
    # A different real word is not a typo: a known term never, an English word only when it is
    # a one-letter slip inside a longer phrase ("gradient decent") or the same word's other form.
    typed_words = t_forms if len(t_toks) == 1 else {t}
    if any(_form_variant(a, b) for a in t_forms for b in e_forms):
        return d  # the same word in another form ("convolution" / "convolutional")
    if typed_words & ctx.known:
        return None
    if typed_words & english_words():
        if not (ctx.multiword and any(_single_indel_or_swap(a, b)
                                      for a in t_forms for b in e_forms)):
            return None
    return d


def _digits_merge(toks: Sequence[Tok]) -> bool:
    """Two numbers side by side never join into one ("3 0" is not "30")."""
    return any(a.text[-1:].isdigit() and b.text[:1].isdigit() for a, b in zip(toks, toks[1:], strict=False))


def _chunk_cost(e_toks: Sequence[Tok], t_toks: Sequence[Tok], ctx: Context,
                typos: list, forms: list) -> Cost | None:
    if _digits_merge(e_toks) or _digits_merge(t_toks):
        return None
    e = "".join(t.text for t in e_toks)
    t = "".join(t.text for t in t_toks)
    if e == t:
        return ZERO
    if (len(e_toks) > 1 or len(t_toks) > 1) and "".join(x.surface for x in e_toks) == "".join(
            x.surface for x in t_toks):
        return ZERO  # "one-hot" / "onehot": the same letters, spaced differently
    if len(e_toks) == 1 and len(t_toks) == 1:
        et, tt = e_toks[0], t_toks[0]
        if et.surface == tt.surface:
            return ZERO
        if (ctx.multiword and not et.acronym and not et.digit and not tt.digit
                and len(et.text) >= 4 and ing_stem(et.text) == ing_stem(tt.text)
                and et.text[0] == tt.text[0]):
            forms.append((tt.surface, et.surface))
            return Cost(forms=1)
    d = typo_edits(e_toks, t_toks, ctx)
    if d is None:
        return None
    if d:
        typos.append((" ".join(x.surface for x in t_toks), " ".join(x.surface for x in e_toks)))
    return Cost(edits=d)


def align(exp: Sequence[Tok], typ: Sequence[Tok], ctx: Context) -> Alignment | None:
    """Best alignment of typed words to expected words, or None when they do not match.

    Words may merge or split ("coldstart" / "cold start"), articles and "and" may come or go,
    an acronym may stand for a run of words and back, and each word may carry a typo within
    its budget. Costs are compared as (typo edits, word-form changes, initials used).
    """
    n, m = len(exp), len(typ)
    if not content(exp) or not content(typ) or m > 4 * n + 8:
        return None
    best: list[list[tuple[Cost, list, list] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = (ZERO, [], [])

    def relax(i: int, j: int, cost: Cost, typos: list, forms: list) -> None:
        cur = best[i][j]
        if cur is None or cost.key() < cur[0].key():
            best[i][j] = (cost, typos, forms)

    exp_tail_generic = [all(t.generic or t.skip for t in exp[i:]) for i in range(n + 1)]
    typ_tail_generic = [all(t.tail or t.skip for t in typ[j:]) for j in range(m + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            cell = best[i][j]
            if cell is None:
                continue
            cost, typos, forms = cell
            if i < n and (exp[i].skip or (exp[i].generic and exp_tail_generic[i] and i > 0)):
                relax(i + 1, j, cost, typos, forms)
            if j < m and (typ[j].skip or (typ[j].tail and typ_tail_generic[j] and j > 0)):
                relax(i, j + 1, cost, typos, forms)
            for a in range(1, 4):
                if i + a > n:
                    break
                for b in range(1, 4):
                    if j + b > m:
                        break
                    if a == b and a > 1:
                        continue
                    new_typos: list = []
                    new_forms: list = []
                    step = _chunk_cost(exp[i:i + a], typ[j:j + b], ctx, new_typos, new_forms)
                    if step is not None:
                        relax(i + a, j + b, cost + step, typos + new_typos, forms + new_forms)
            if j < m:
                tt = typ[j]
                if (2 <= len(tt.text) <= 7 and tt.text.isalpha()
                        and (tt.acronym or tt.text not in english_words())):
                    for a in range(2, min(8, n - i + 1)):
                        if tt.text in initials(exp[i:i + a]):
                            relax(i + a, j + 1, cost + Cost(initials=1), typos, forms)
            if i < n and exp[i].acronym and exp[i].text not in ctx.no_expand:
                for b in range(2, min(8, m - j + 1)):
                    if exp[i].text in initials(typ[j:j + b]):
                        relax(i + 1, j + b, cost + Cost(initials=1), typos, forms)
    end = best[n][m]
    if end is None:
        return None
    return Alignment(end[0], end[1], end[2])


# ----------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """One way an expected answer may be written, ready to match against."""

    tokens: tuple[Tok, ...]
    display: str
    source: str
    pair: tuple[tuple[tuple[Tok, ...], str], tuple[tuple[Tok, ...], str]] | None = None
    part: bool = False  # a parenthesised part or the text around it, not the whole answer


def _pair_of(display: str, toks: Sequence[Tok]) -> tuple | None:
    conj = [k for k, t in enumerate(toks) if t.text in CONJUNCTIONS]
    if len(conj) != 1:
        return None
    parts = [p for p in re.split(r"\s*(?:&|\band\b|\bvs\b\.?|\bversus\b)\s*", display, flags=re.I)
             if p.strip()]
    left, right = toks[: conj[0]], toks[conj[0] + 1:]
    if not content(left) or not content(right) or len(parts) != 2:
        return None
    return ((tuple(left), parts[0]), (tuple(right), parts[1]))


def targets_for(expected: str) -> tuple[list[Target], set[str]]:
    """All the written forms of one expected answer, and the acronyms it spells out itself.

    "Daily Active Users (DAU)" gives the whole, "Daily Active Users" and "DAU"; an "X and Y"
    answer also gives its two halves for either order.
    """
    text = clean(expected).replace("\n", " ")
    out: list[Target] = []
    spelled: set[str] = set()
    forms: list[tuple[str, bool]] = [(_PAREN.sub(r" \1 ", text), False)]
    inner = [g.strip() for g in _PAREN.findall(text) if g.strip()]
    base = re.sub(r"\s+", " ", _PAREN.sub(" ", text)).strip()
    if inner and base:
        forms.append((base, True))
        forms.extend((g, True) for g in inner)
        for piece in [base, *inner]:
            piece_toks = tokenize(piece)
            if len(piece_toks) == 1 and piece_toks[0].acronym:
                spelled.add(piece_toks[0].text)
    seen: set[tuple[str, ...]] = set()
    for display, part in forms:
        display = re.sub(r"\s+", " ", display.replace("(", " ").replace(")", " ")).strip()
        toks = tuple(unskip(tokenize(display)))
        key = tuple(t.text for t in toks)
        if not content(toks) or key in seen or len(toks) > MAX_TOKENS:
            continue
        seen.add(key)
        out.append(Target(toks, display, expected, _pair_of(display, toks), part))
    return out, spelled


@dataclass
class TextMatch:
    """The best way an answer matched one of the targets."""

    target: Target
    cost: Cost
    typos: list[tuple[str, str]]
    forms: list[tuple[str, str]]
    reordered: bool = False
    display: str = ""

    def key(self) -> tuple[int, int, int, int]:
        return (*self.cost.key(), int(self.reordered))


def _ctx(target_toks: Sequence[Tok], known: frozenset[str], no_expand: set[str]) -> Context:
    return Context(known, frozenset(no_expand), len(content(target_toks)) >= 2)


def match_targets(answer: str, targets: Iterable[Target], known: frozenset[str],
                  no_expand: set[str]) -> TextMatch | None:
    """The best match of `answer` against any target, or None if it matches none."""
    typed = tokenize(answer)
    if len(typed) > MAX_TOKENS:
        return None
    if not content(typed):
        if not any(not content(t.tokens) or all(x.text in SKIP_WORDS for x in t.tokens)
                   for t in targets):
            return None
        typed = unskip(typed)
    best: TextMatch | None = None
    halves: list[list[Tok]] | None = None
    for target in targets:
        ctx = _ctx(target.tokens, known, no_expand)
        found = align(target.tokens, typed, ctx)
        if found is not None:
            cand = TextMatch(target, found.cost, found.typos, found.forms, False, target.display)
            if best is None or cand.key() < best.key():
                best = cand
        if target.pair is None:
            continue
        if halves is None:
            parts = [p for p in _PAIR_SPLIT.split(answer) if p and p.strip()]
            halves = [tokenize(p) for p in parts] if len(parts) == 2 else []
        if len(halves) != 2:
            continue
        (lt, ld), (rt, rd) = target.pair
        for order, (a, b), shown in ((False, (lt, rt), f"{ld} and {rd}"),
                                     (True, (rt, lt), f"{rd} and {ld}")):
            first = align(a, halves[0], _ctx(a, known, no_expand))
            second = align(b, halves[1], _ctx(b, known, no_expand)) if first else None
            if first and second:
                cand = TextMatch(target, first.cost + second.cost, first.typos + second.typos,
                                 first.forms + second.forms, order, shown)
                if best is None or cand.key() < best.key():
                    best = cand
    return best


def match_half(answer: str, targets: Iterable[Target], known: frozenset[str],
               no_expand: set[str]) -> tuple[Target, str, str] | None:
    """For an "X and Y" answer given only in part: (target, the half given, the half missing)."""
    typed = tokenize(answer)
    if not content(typed):
        return None
    for target in targets:
        if target.pair is None:
            continue
        (lt, ld), (rt, rd) = target.pair
        if align(lt, typed, _ctx(lt, known, no_expand)):
            return target, ld, rd
        if align(rt, typed, _ctx(rt, known, no_expand)):
            return target, rd, ld
    return None
