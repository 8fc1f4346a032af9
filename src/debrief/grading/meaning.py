"""Meaning-level matching: an answer inside carrier words, in any word order, with synonyms.

The letter-level matcher (text.py) reads an answer as a whole. This module reads it as a bag of
content words: each expected word must be found in the answer (as itself, another form of it, a
synonym that keeps its meaning, an expansion of an abbreviation, or with a small typo), and every
other word of the answer must be a carrier: function words, hedges ("I think it's"), a generic
head noun, or a word the card's own prompt or answer already uses. A negation, a second candidate
("X or Y") or a rival answer (a wrong option, another card's answer) makes it no match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from debrief.grading.lexicon import base_forms, lexicon, word_keys
from debrief.grading.normalize import clean
from debrief.grading.terms import domain_words, english_words
from debrief.grading.text import tokenize

FUNCTION_WORDS = frozenset("""
a an the of to in on at by for from with as and or but nor is are was were be been being it its
this that these those there their they them he she his her we our you your i me my do does did
so than then very into onto over under via per which what who whom whose when where how why
will would can could should shall may might must has have had having just also too both each
whether
""".split())
QUESTION_WORDS = frozenset("what who whom whose when where how why which whether".split())
# Words that wrap an answer without adding to it ("I think it's called ...").
HEDGES = frozenset("""
think believe guess maybe probably perhaps possibly likely called known named call answer
basically essentially pretty sure id im ive say something like kind sort um uh hmm simply
really actually mostly mainly usually generally typically roughly approximately about around
well yeah yes ok okay thats whats its refer referred mean means meant answer
""".split())
# Generic head nouns a learner may add after a term ("RICE framework", "the F1 score").
GENERIC_ADD = frozenset("""
problem issue process method technique approach concept idea thing term framework phenomenon
principle metric score strategy kind design setting flow experience package question code
size output outputs
""".split())
# Modifiers a learner may put before a term ("the model is overfitting", "high precision", "a
# dense numeric vector"): degree and size, and the thing the term is said of. Only before it:
# after it they would make another term ("model" in "reward model").
MODIFIERS = frozenset("""
high higher big bigger large small dense numeric numerical overall total main core whole model
models company sampling
""".split())
# Not "model", "set", "step" or "type": "reward model", "training set", "training step" and
# "data type" are other terms than "reward", "training" and "data".
# Generic head nouns a card's answer may lose ("ROC" for "ROC curve").
GENERIC_DROP = frozenset("""
problem issue process method technique approach concept framework phenomenon curve principle
score
""".split())
NEGATIONS = frozenset("""
not no never without isnt arent wasnt werent dont doesnt didnt cannot cant wont neither nor
non none nothing lack lacks lacking
""".split())
# Where an answer lists alternatives: "X or Y", "X / Y", "X, Y".
_ALTERNATIVES = re.compile(r"\s*(?:,|;|/|\bor\b|\band\b|\bvs\b\.?|\bversus\b)\s*", re.I)
_LETTER_PAIR = re.compile(r"(?<![^\W_])([A-Za-z])\s*/\s*([A-Za-z])(?![^\W_])")
MAX_VARIANTS = 8
MAX_UNITS = 30
MAX_STEPS = 2000


@dataclass(frozen=True)
class Unit:
    """One word of an answer (or one synonym-group phrase) and the keys it matches by."""

    text: str
    keys: frozenset[str]
    filler: bool  # a function word or hedge


@lru_cache(maxsize=16384)  # the same words come back for every rival and every answer
def _unit(word: str) -> Unit:
    return Unit(word, word_keys(word), word in FUNCTION_WORDS or word in HEDGES)


def _group_units(words: Sequence[str], widest: int = 0) -> list[Unit]:
    """Words as units, with every phrase of a synonym group (of at most `widest` words, if
    given) made one unit of that group."""
    lex = lexicon()
    out: list[Unit] = []
    k = 0
    while k < len(words):
        for width in range(min(widest or lex.longest_phrase, len(words) - k), 0, -1):
            group = lex.phrases.get(tuple(words[k:k + width]))
            if group is not None:
                out.append(Unit(" ".join(words[k:k + width]), frozenset({f"g{group}"}), False))
                k += width
                break
        else:
            out.append(_unit(words[k]))
            k += 1
    return out


@lru_cache(maxsize=8192)
def variants(text: str) -> tuple[tuple[Unit, ...], ...]:
    """The ways to read `text` as units: as typed, and with each abbreviation expanded; each
    with its synonym-group phrases as one unit, and (where that changed it) word by word."""
    toks = tokenize(clean(text).replace("\n", " "))
    if len(toks) > MAX_UNITS:
        return ()
    lex = lexicon()
    readings: list[list[str]] = [[]]
    for tok in toks:
        options: list[tuple[str, ...]] = [(tok.text,)]
        for form in {tok.text, tok.surface}:
            options.extend(lex.abbreviations.get(form, ()))
        readings = [r + list(o) for r in readings for o in dict.fromkeys(options)][:MAX_VARIANTS]
    out: list[tuple[Unit, ...]] = []
    for r in readings:
        grouped = tuple(_group_units(r))
        out.append(grouped)
        if len(grouped) != len(r):  # a phrase became one synonym unit: keep its words too
            # (each still in its own one-word group: "data drifts" keeps "drift")
            out.append(tuple(_group_units(r, widest=1)))
    return tuple(out[:MAX_VARIANTS])


def _typo(a: str, b: str) -> bool:
    """A small slip between two long words that are not both real words ("convergance")."""
    if a[:1] != b[:1] or min(len(a), len(b)) < 5 or not (a.isalpha() and b.isalpha()):
        return False
    if a in english_words() or a in domain_words():
        return False
    return OSA.distance(a, b, score_cutoff=2) <= (2 if min(len(a), len(b)) >= 9 else 1)


def _meets(want: Unit, have: Unit) -> bool:
    return bool(want.keys & have.keys) or (not want.text.isdigit() and _typo(have.text, want.text))


def _joined(units: Sequence[Unit]) -> Unit | None:
    text = "".join(u.text for u in units)
    if not text.isalpha():
        return None
    return _unit(text)


def cover(required: Sequence[Unit], pool: Sequence[Unit],
          ordered: bool = False) -> frozenset[int] | None:
    """Indices of `pool` that together match every unit of `required` (one pool unit, or two
    written apart, for each; two required units may also be written as one word), or None.
    `ordered`: the pool units must come in the order of the required ones. The search gives
    up (None: the safe answer) after MAX_STEPS steps, so repeated words cannot make it slow."""
    if any(u.text.isdigit() and not any(_meets(u, p) for p in pool) for u in required):
        return None  # a figure is never joined or split: it must be there itself
    steps = [0]
    pairs = [(j, _joined(pool[j:j + 2])) for j in range(len(pool) - 1)]  # built once

    def go(i: int, used: frozenset[int], after: int) -> frozenset[int] | None:
        if i == len(required):
            return used
        steps[0] += 1
        if steps[0] > MAX_STEPS:
            return None
        want = required[i]
        start = after + 1 if ordered else 0
        # the same word first, then another form of it ("squared" before "square")
        order = sorted(range(start, len(pool)), key=lambda j: pool[j].text != want.text)
        for j in order:
            if j not in used and _meets(want, pool[j]):
                found = go(i + 1, used | {j}, j)
                if found is not None:
                    return found
        for j, joined in pairs[start:]:  # "fine tuning" typed for "finetuning"
            if j in used or j + 1 in used:
                continue
            if joined is not None and want.keys & joined.keys:
                found = go(i + 1, used | {j, j + 1}, j + 1)
                if found is not None:
                    return found
        if i + 1 < len(required):  # "finetune" typed for "fine tuning"
            joined = _joined(required[i:i + 2])
            if joined is not None:
                for j in range(start, len(pool)):
                    if j not in used and joined.keys & pool[j].keys:
                        found = go(i + 2, used | {j}, j)
                        if found is not None:
                            return found
        return None

    return go(0, frozenset(), -1)


def _needed(units: Sequence[Unit]) -> list[Unit]:
    """The content units of an expected answer: not fillers, and not a generic head noun at
    the end that the words before it already pin down ("ROC curve"; not "concept drift")."""
    core = [u for u in units if not u.filler]
    if not core:
        return list(units)  # an answer of function words only ("How")
    if len(core) >= 2 and core[-1].text in GENERIC_DROP:
        return core[:-1]
    return core


@dataclass(frozen=True)
class Context:
    """What the card says beyond its answer: words that may carry an answer, and rivals."""

    allowed: frozenset[str] = frozenset()  # the prompt's and the card's own answer words
    rivals: tuple[str, ...] = ()  # wrong options and other cards' answers
    prompt_keys: frozenset[str] = frozenset()  # keys of the prompt's content words


def words_of(texts: Iterable[str]) -> frozenset[str]:
    """The canonical words of some texts, as `Context.allowed` takes them."""
    out: set[str] = set()
    for text in texts:
        for reading in variants(text):
            for u in reading:
                out.add(u.text)
                out.update(base_forms(u.text))
    return frozenset(out)


# Prepositions that change a term ("human on the loop" is not "human in the loop").
PREPOSITIONS = frozenset("in on at to into onto over under via per from by with".split())
# Words that link a term's parts: one may stand for another ("cost of replacement" for
# "cost to replace"), but none may go missing.
LINKS = (PREPOSITIONS - {"with"}) | {"of", "for", "be"}
_RESTRUCTURED = re.compile(r"\b(?:of|for)\b", re.I)
FIXED_ORDER = re.compile(r"\w[-,/]\s*\w")


_NEGATED = re.compile(r"\b(?:not|no|never|without|isn'?t|aren'?t|wasn'?t|weren'?t|don'?t|"
                      r"doesn'?t|didn'?t|cannot|can'?t|won'?t|neither|nor|non|lacks?|lacking)"
                      r"\b([^,;.:!?()]*)", re.I)


def _negated_units(answer: str) -> list[Unit]:
    """The words a negation in `answer` denies: from it to the end of its clause ("but")."""
    out: list[Unit] = []
    for m in _NEGATED.finditer(clean(answer)):
        # a new clause ends the denial: "no history so the recommender can't ..."
        span = re.split(r"\b(?:but|so|because|since|therefore|whereas|while)\b", m.group(1),
                        maxsplit=1, flags=re.I)[0]
        for reading in variants(span):
            out.extend(reading)
    return out


def prompt_keys(prompt: str) -> frozenset[str]:
    """The keys of a prompt's content words (their forms and synonyms may carry an answer)."""
    readings = variants(prompt) if prompt else ()
    keys: set[str] = set()
    for u in (readings[0] if readings else ()):
        if not u.filler:
            keys |= {k for k in u.keys if not k.startswith("~")}
    return frozenset(keys)


def _known_compound(first: str, second: str) -> bool:
    """True when two words make a term of the lexicon ("user experience", "test set")."""
    lex = lexicon()
    pair = (first, second)
    return pair in lex.phrases or any(
        pair == tuple(words[i:i + 2]) for expansions in lex.abbreviations.values()
        for words in expansions for i in range(len(words) - 1))


def _carrier(j: int, unit: Unit, last: int, ctx: Context, own: set[str],
             before: str = "", first: int = -1) -> bool:
    """Whether the unit at `j` may stand beside the answer (`first` and `last` are the first
    and last words used)."""
    if unit.text in own:
        return False  # the answer's own word again ("perplexity perplexity")
    if unit.text in PREPOSITIONS:
        return False  # handled by the caller: only the target's own prepositions may come
    if unit.filler:
        return True
    if unit.text in MODIFIERS and j < first:
        return True
    if unit.text in GENERIC_ADD and j > last:
        # ... unless the answer's last word and it make a known term ("user experience")
        return not _known_compound(before, unit.text)
    if unit.text in ctx.allowed or base_forms(unit.text) & ctx.allowed:
        return True
    return bool(unit.keys & ctx.prompt_keys)  # the prompt's "danger" as "risk"


def contains(answer: str, target: str, ctx: Context, fixed: bool = False) -> bool:
    """True when `answer` says `target`: every content word of it, in any order, with only
    carrier words around it, no negation of it, no second candidate and no rival answer.
    `fixed`: the term's word order is fixed (another form of it is written so)."""
    # A compound written with hyphens, commas or slashes fixes its order: "extract, load,
    # transform" is another pipeline, "generation-augmented retrieval" no term at all.
    fixed = fixed or bool(FIXED_ORDER.search(target)) or len(target.split()) == 1  # acronyms
    restructured = bool(_RESTRUCTURED.search(answer))
    for want in variants(target):
        needed = _needed(want)
        if not needed:
            continue
        want_texts = {u.text for u in want}
        # Three or more words keep their order ("extract load transform" is another
        # pipeline) unless the answer rephrases them ("rate of task completion").
        ordered = fixed or want_has_prep(want) or (len(needed) >= 3 and not restructured)
        preps = [u.text for u in want if u.text in LINKS]
        for have in variants(answer):
            # Word order is free within a term, but not across a preposition: "seconds per
            # token" is not "tokens per second".
            used = cover(needed, have, ordered=ordered)
            if used is None:
                continue
            negated_words: frozenset[str] = frozenset()
            if any(u.text in NEGATIONS and u.text not in want_texts for u in have):
                # "engineering, not product" says the answer; "not engineering" denies it
                scope = _negated_units(answer)
                if any(u.keys & n.keys for u in scope for n in needed):
                    return False
                negated_words = frozenset(u.text for u in scope) | NEGATIONS
            if len([u for u in have if u.text in LINKS]) < len(preps):
                continue  # "jobs done" has lost the "to be" of "jobs to be done"
            own = {u.text for u in needed}
            last = max(used)
            ok = True
            for j, u in enumerate(have):
                if j in used:
                    continue
                if u.text in PREPOSITIONS:
                    # a preposition the term does not have changes it, unless it joins
                    # the wrapping words around the term rather than the term's own words
                    if want_has_prep(want) and u.text not in want_texts:
                        ok = False
                        break
                    continue
                if u.text in negated_words:
                    continue
                if u.text in QUESTION_WORDS and all(n.filler for n in needed):
                    ok = False  # "how and why" for "How": a second candidate
                    break
                if not _carrier(j, u, last, ctx, own, have[j - 1].text if j else "",
                                min(used)):
                    ok = False
                    break
            if not ok:
                continue
            if _shotgun(answer, needed) or _rival(have, needed, ctx):
                return False
            return True
    return False


def want_has_prep(want: Sequence[Unit]) -> bool:
    """True when a target's words include a preposition ("human in the loop")."""
    return any(u.text in PREPOSITIONS for u in want)


def _shotgun(answer: str, needed: Sequence[Unit]) -> bool:
    """Several candidates side by side ("precision or recall"): some part names none of it."""
    joined = _LETTER_PAIR.sub(r"\1\2", answer)  # "A/B" is one word, not two candidates
    parts = [p for p in _ALTERNATIVES.split(joined) if p and p.strip()]
    if len(parts) < 2:
        return False
    keys = frozenset().union(*(u.keys for u in needed))
    for part in parts:
        if _NEGATED.match(part.strip()):
            continue  # "X, not Y" names one candidate
        readings = variants(part)
        if not readings:
            continue
        content = [u for u in readings[0] if not u.filler and u.text not in GENERIC_ADD]
        if content and not any(u.keys & keys for r in readings for u in r):
            return True
    return False


def _rival(have: Sequence[Unit], needed: Sequence[Unit], ctx: Context) -> bool:
    """The answer also names a rival whose words are not all part of the right answer (nor
    all the prompt's own words, which the answer may repeat)."""
    keys = frozenset().union(*(u.keys for u in needed))
    for rival in ctx.rivals:
        for reading in variants(rival):
            theirs = _needed(reading)
            if not theirs or all(u.keys & keys for u in theirs):
                continue
            if all(u.keys & ctx.prompt_keys for u in theirs):
                continue
            if len(theirs) > LONG_RIVAL and not all(any(_meets(u, h) for h in have)
                                                    for u in theirs):
                continue  # another card's definition is named word for word or not at all
            if cover(theirs, have) is not None:
                return True
    return False


# A rival of more words than this (another card's definition) is checked word by word first:
# the full search, which also joins and splits words, is too slow for hundreds of them.
LONG_RIVAL = 4


def mentions(answer: str, phrase: str) -> bool:
    """True when every content word of `phrase` is somewhere in `answer` (forms, synonyms)."""
    for want in variants(phrase):
        needed = _needed(want)
        if not needed:
            continue
        for have in variants(answer):
            if cover(needed, have) is not None:
                return True
    return False


def negated(answer: str, phrase: str = "") -> bool:
    """True when `answer` holds a negation that `phrase` does not."""
    mine = {u.text for r in variants(phrase) for u in r} if phrase else set()
    return any(u.text in NEGATIONS and u.text not in mine for r in variants(answer)[:1] for u in r)


def subset_of(piece: str, item: str) -> bool:
    """True when every content word of `piece` is a word of `item` (its head word, say)."""
    for mine in variants(piece):
        needed = [u for u in mine if not u.filler and u.text not in GENERIC_ADD] or [
            u for u in mine if not u.filler]  # "concept" for Concept drift
        if not needed:
            continue
        for theirs in variants(item):
            if cover(needed, theirs) is not None:
                return True
    return False


def content_words(text: str) -> list[str]:
    """The content words of `text` as first read (no fillers)."""
    readings = variants(text)
    # a synonym-group phrase counts as its words ("data drift": "data", "drift")
    words = [w for u in readings[0] for w in u.text.split()] if readings else []
    return [w for w in words if w not in FUNCTION_WORDS and w not in HEDGES]


# Words that say "I choose" around an option ("I'd pick the stock options one").
# "1": tokenize reads "the one who ..." as a figure; "set": "the test set" names "test".
_CHOOSING = frozenset("pick picked choose chose select selected go option one 1 package role"
                      " set split".split())


def _swapped(a: str, b: str) -> bool:
    """Two letters transposed ("mp" for "pm")."""
    return len(a) == len(b) >= 2 and sorted(a) == sorted(b) and sum(
        x != y for x, y in zip(a, b, strict=True)) == 2


def pick_option(answer: str, options: Sequence[str], prompt: str = "") -> int | None:
    """The one option whose distinctive words (words no other option has) the answer names,
    every other word of it being a shared option word, a filler, a transposed option word or a
    word of the prompt; a clause after a comma may add a reason ("yes, with effort"). None when
    it names none, the distinctive words of two, or negates."""
    # each option's words, and those of its abbreviations spelled out ("RAG": "retrieval")
    opts = [list(dict.fromkeys(u for r in (variants(o) or ((),)) for u in r)) for o in options]
    opts = [[u for u in units if not u.filler] or units for units in opts]  # "Yes" / "No"
    every = [u for units in opts for u in units]
    option_words = {u.text for u in every}
    # A remark in brackets reads as one after a comma: "rmse (squares them)".
    answer = re.sub(r"\s*\(([^()]*)\)", r", \1", answer)
    # ... and so does one after a spaced dash or a colon: "recall - can't miss real cases"
    answer = re.sub(r"\s+[-\u2013\u2014]+\s+|\s*:\s+", ", ", answer)
    led = _leading_option(answer, options, opts)
    if led is not None:
        return led
    head, _sep, tail = answer.partition(",")
    if any(w in NEGATIONS and w not in option_words for w in all_words(head)):
        return None
    picked = _pick(head, opts, every, all_words(prompt) if prompt else [])
    if picked is None or not tail.strip():
        return picked
    # The reason after the comma may deny another option ("validation set, never test") or
    # something else ("rag, no retraining needed"), but never the one picked, and it names no
    # other option outside a denial.
    mine = [u for u in opts[picked] if not any(u.keys & o.keys for i, units in enumerate(opts)
                                               if i != picked for o in units)]
    denied = _negated_units(tail)
    if any(_meets(o, u) for u in denied for o in mine):
        return None
    denied_texts = {u.text for u in denied}
    others = [u for i, units in enumerate(opts) if i != picked for u in units
              if not any(u.keys & o.keys for o in opts[picked])]
    for reading in variants(tail):
        if any(_meets(o, u) for u in reading if u.text not in denied_texts for o in others):
            return None
    return picked


def _leading_option(answer: str, options: Sequence[str], opts: list[list[Unit]]) -> int | None:
    """The one option a sentence starts with ("ML PM needs the textbook", "ai pm's job"),
    the rest naming no other option's distinctive words and denying nothing."""
    typed = all_words(answer)

    def leads(words: list[str]) -> bool:  # "pm's" (read "pms") may end the option "AI PM"
        return bool(words) and len(typed) > len(words) and all(
            t in (w, w + "s") or w in base_forms(t) for t, w in zip(typed, words, strict=False))

    starts = [i for i, o in enumerate(options) if leads(all_words(o))]
    if len(starts) != 1:
        return None
    i = starts[0]
    rest = " ".join(typed[len(all_words(options[i])):])
    if any(w in NEGATIONS for w in rest.split()):
        return None
    others = [u for k, units in enumerate(opts) if k != i for u in units
              if not any(u.keys & o.keys for o in opts[i])]
    if any(_meets(o, u) for reading in variants(rest) for u in reading for o in others):
        return None
    return i


def _pick(answer: str, opts: list[list[Unit]], every: list[Unit],
          prompt: list[str]) -> int | None:
    for reading in variants(answer):  # as typed, then with abbreviations expanded ("HC")
        picked = _pick_reading(reading, opts, every, prompt)
        if picked is not None:
            return picked
    return None


def _pick_reading(reading: Sequence[Unit], opts: list[list[Unit]], every: list[Unit],
                  prompt: list[str]) -> int | None:
    readings = (reading,)
    words = {u.text for u in every}
    typed = [u for u in readings[0] if (u.text in words or not u.filler)
             and u.text not in GENERIC_ADD and u.text not in _CHOOSING]
    if not typed:
        return None
    hit: set[int] = set()
    for unit in typed:
        mine = {i for i, units in enumerate(opts) if any(_meets(o, unit) for o in units)}
        if len(mine) == 1:
            hit |= mine
        elif not mine and unit.text not in prompt and not any(
                _swapped(unit.text, o.text) for o in every):
            return None  # a word no option has: not a way of naming one
    return hit.pop() if len(hit) == 1 else None


def all_words(text: str) -> list[str]:
    """Every word of `text` as first read (fillers too)."""
    readings = variants(text)
    return [u.text for u in readings[0]] if readings else []
