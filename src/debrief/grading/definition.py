"""Definitions in the user's own words: an answer that covers a definition's content words in order.

A card's answer that is a definition ("production input distribution shifts away from the
training data") is rarely typed word for word. An answer says it when it holds most of the
definition's content words (as themselves, another form, a synonym, an abbreviation's expansion
or with a small typo), leaving out those the prompt already gives, and holds them in the
definition's order, so a swapped role ("a big model learns from a small one") covers less. It
stays wrong when it negates what the definition does not (or the reverse), puts an opposite in
a word's place ("small errors" for "large errors"), swaps two opposites, brings a figure the
definition lacks, hedges between candidates, or also names a rival answer.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache

from debrief.grading.lexicon import base_forms
from debrief.grading.meaning import (
    FUNCTION_WORDS,
    NEGATIONS,
    Context,
    Unit,
    _meets,
    _negated_units,
    _rival,
    _unit,
    variants,
)
from debrief.grading.terms import domain_words, english_words

# The share of a definition's content words an answer must cover, in order.
COVERAGE = 0.5
# A definition has at least this many content words (beyond the prompt's); a shorter answer is a
# term, graded letter by letter and word by word, where one word changes the meaning.
MIN_WORDS = 5
# The fewest content words an answer must say of a definition.
MIN_SAID = 3
# Opposites in general English and in the field: one typed for the other changes the meaning.
OPPOSITES = (
    ("high", "low"), ("higher", "lower"), ("large", "small"), ("big", "small"),
    ("larger", "smaller"), ("bigger", "smaller"), ("more", "less"), ("more", "fewer"),
    ("most", "least"), ("increase", "decrease"), ("raise", "lower"), ("rise", "fall"),
    ("up", "down"), ("good", "bad"), ("good", "poor"), ("better", "worse"), ("best", "worst"),
    ("true", "false"), ("positive", "negative"), ("before", "after"), ("first", "last"),
    ("minimum", "maximum"), ("early", "late"), ("fast", "slow"), ("simple", "complex"),
    ("overfit", "underfit"), ("overfitting", "underfitting"), ("input", "output"), ("precision", "recall"), ("bias", "variance"),
    ("predicted", "actual"), ("student", "teacher"), ("include", "exclude"),
    ("add", "remove"), ("long", "short"), ("new", "old"), ("same", "different"),
    ("above", "below"), ("over", "under"), ("gain", "loss"), ("success", "failure"),
    ("accept", "reject"), ("internal", "external"), ("online", "offline"),
    ("supervised", "unsupervised"), ("start", "end"), ("with", "without"),
    ("cheap", "expensive"), ("strong", "weak"), ("many", "few"), ("always", "never"),
    ("all", "none"), ("inside", "outside"), ("upper", "lower"), ("increasing", "decreasing"),
    ("deterministic", "random"), ("static", "dynamic"), ("explicit", "implicit"),
    ("biggest", "smallest"), ("largest", "smallest"), ("highest", "lowest"),
    ("greatest", "least"), ("fastest", "slowest"), ("longest", "shortest"),
    ("earliest", "latest"), ("maximal", "minimal"), ("maximum", "minimal"),
    ("minimum", "maximal"), ("max", "min"), ("primary", "secondary"),
    ("increase", "reduce"), ("raise", "reduce"), ("grow", "shrink"), ("start", "stop"),
    ("win", "lose"), ("gain", "lose"), ("pass", "fail"), ("succeed", "fail"),
    ("enable", "disable"), ("open", "close"), ("join", "leave"), ("well", "poorly"),
    ("well", "badly"), ("rise", "drop"), ("on", "off"), ("buy", "sell"), ("keep", "stop"),
    ("continue", "stop"), ("fixed", "variable"), ("return", "leave"), ("come", "leave"),
    ("past", "future"),
    # the two sides of one relation: one said for the other swaps who does what
    ("buyer", "seller"), ("employer", "employee"), ("employer", "candidate"),
    ("interviewer", "candidate"), ("client", "server"), ("sender", "receiver"),
    ("producer", "consumer"), ("lender", "borrower"), ("parent", "child"),
    ("manager", "report"), ("customer", "vendor"),
    ("landlord", "tenant"), ("debtor", "creditor"),
)
# A prefix that turns a word into its opposite ("limited" / "unlimited", "stable" / "unstable"):
# both forms known words.
_NEGATING_PREFIXES = ("un", "in", "im", "il", "ir", "non", "dis")
# Units of time: one said for another is another span ("weekly" for "daily").
TIME_UNITS = frozenset("""
second minute hour day daily week weekly month monthly quarter quarterly year yearly annual
annually
""".split())
_OPPOSITE: dict[str, set[str]] = {}
for _a, _b in OPPOSITES:
    _OPPOSITE.setdefault(_a, set()).add(_b)
    _OPPOSITE.setdefault(_b, set()).add(_a)
# Adjectives of degree (their -er and -est forms are read as them when covering a definition).
_GRADABLE = frozenset(w for pair in OPPOSITES for w in pair if " " not in w) | frozenset(
    "easy hard cheap quick wide narrow deep shallow rare common".split())
_HEDGED = re.compile(r"\bor\b|\?|\bmaybe\b|\beither\b", re.I)
_ALTERNATIVE_IN_TARGET = re.compile(r"\bor\b|/", re.I)


@lru_cache(maxsize=8192)
def _plain(unit: Unit) -> Unit:
    """The unit without a comparative or superlative ending ("larger" -> "large", "biggest" ->
    "big"): a definition's "a larger teacher" is said by "a big teacher" too."""
    word = unit.text
    for end in ("est", "er"):
        if len(word) > len(end) + 2 and word.endswith(end):
            stem = word[: -len(end)]
            for base in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else "",
                         stem[:-1] + "y" if stem.endswith("i") else ""):
                if base in _GRADABLE:  # only adjectives of degree: "teacher" is no "teach"
                    return _unit(base)
    return unit


def _meet(want: Unit, have: Unit) -> bool:
    # "split" says "splitting" too, though "splitting" is a word of its own (a noun) to the keys
    return _meets(want, have) or _meets(_plain(want), _plain(have)) or \
        bool(base_forms(want.text) & base_forms(have.text))


def _forms(unit: Unit) -> set[str]:
    out = {unit.text, _plain(unit).text}
    for word in unit.text.split():
        out |= base_forms(word)
    return out


def _content(units: Sequence[Unit]) -> list[Unit]:
    # "over" of "over time" is a function word, even where the lexicon groups it with "versus"
    return [u for u in units if not u.filler and u.text not in FUNCTION_WORDS]


def _increasing(candidates: Sequence[Sequence[int]]) -> int:
    """How many of the words can be found in order: the longest strictly increasing run that
    takes at most one of each word's candidate positions (Hunt-Szymanski: each word's positions
    go in from the last, so two of them never both count)."""
    tails: list[int] = []
    for positions in candidates:
        for p in sorted(positions, reverse=True):
            i = bisect.bisect_left(tails, p)
            if i == len(tails):
                tails.append(p)
            else:
                tails[i] = p
    return len(tails)


def is_definition(target: str, prompt_keys: frozenset[str]) -> bool:
    """True when `target` reads as a definition: enough content words beyond the prompt's, not
    a name in capitals nor a list of single words ("reach, impact, confidence, effort")."""
    readings = variants(target)
    if not readings:
        return False
    needed = [u for u in _content(readings[0]) if not u.keys & prompt_keys]
    if len(needed) < MIN_WORDS:
        return False
    words = re.findall(r"[^\W\d_]+", re.sub(r"\([^()]*\)", " ", target))
    if words and sum(1 for w in words if w[:1].isupper()) * 2 > len(words):
        return False  # "Reinforcement Learning from Human Feedback": a name
    pieces = [p for p in re.split(r"[,;]", target) if p.strip()]
    return not (len(pieces) >= 3 and all(len(p.split()) <= 2 for p in pieces))


def _opposed(have: Sequence[Unit], want: Sequence[Unit]) -> bool:
    """An opposite of a definition's word in its place, or two opposites swapped."""
    want_forms = [_forms(u) for u in want]
    have_forms = [_forms(u) for u in have]
    every_want = set().union(*want_forms) if want_forms else set()
    for unit, forms in zip(have, have_forms, strict=True):
        if any(_meet(w, unit) for w in want):
            continue  # the definition's own word, or a synonym of it ("big" for "larger")
        if any(_OPPOSITE.get(word, set()) & every_want for word in forms):
            return True  # "small errors" for "large errors"
        if any(_prefixed(word, other) or _prefixed(other, word)
               for word in forms for other in every_want):
            return True  # "limited use" for "unlimited use"
        if forms & TIME_UNITS and every_want & TIME_UNITS and not forms & every_want:
            return True  # "in a given month" for "on a given day"

    def first(forms_list: list[set[str]], word: str) -> int:
        return next((i for i, f in enumerate(forms_list) if word in f), -1)

    for a, b in OPPOSITES:
        wa, wb = first(want_forms, a), first(want_forms, b)
        ha, hb = first(have_forms, a), first(have_forms, b)
        if min(wa, wb, ha, hb) >= 0 and (wa < wb) != (ha < hb):
            return True  # "lowers variance and raises bias" for "lowers bias, raises variance"
    return False


def _prefixed(word: str, base: str) -> bool:
    """True when `word` is `base` with a negating prefix ("unstable", "imbalanced"), both of
    them words."""
    return any(word == pre + base for pre in _NEGATING_PREFIXES) and len(base) > 3 and \
        word in english_words()


def _figures(text: str) -> set[str]:
    """The figures written in digits ("one" in "a larger one" is no figure)."""
    return set(re.findall(r"\d+(?:\.\d+)?", text))


# Where a definition's main clause ends and a condition, reason or detail begins.
_CLAUSE = re.compile(r"[:;,]|\b(?:if|when|whenever|while|because|unless|so|given|assuming|"
                     r"where)\b", re.I)


def _main_clause_said(target: str, have: Sequence[Unit], ctx: Context) -> bool:
    """True when the answer covers at least half the words of the definition's main clause,
    where it has several: "probability the null hypothesis is true" says only the condition of
    "probability of a result this extreme if the null hypothesis is true"."""
    clauses = []
    for text in _CLAUSE.split(re.sub(r"\([^()]*\)", " ", target)):
        readings = variants(text)
        words = [u for u in _content(readings[0])
                 if not u.keys & ctx.prompt_keys] if readings else []
        if words:
            clauses.append(words)
    while len(clauses) >= 2 and len(clauses[0]) < 2:
        clauses[0:2] = [clauses[0] + clauses[1]]  # "fluent, confident output ...": one clause
    if len(clauses) < 2:
        return True
    main = clauses[0]
    said = sum(1 for u in main if any(_meet(u, h) for h in have))
    return said >= max(1, len(main) // 2)


# Abbreviations that introduce an example or a gloss: not content words of a definition.
_GLOSS = re.compile(r"\b(?:e\.\s?g|i\.\s?e|etc|cf)\b\.?", re.I)


def _unique(units: Sequence[Unit]) -> list[Unit]:
    """Units without repeats ("data" twice in a definition is one word to cover)."""
    out: list[Unit] = []
    for u in units:
        if not any(u.text == o.text or u.keys & o.keys for o in out):
            out.append(u)
    return out


# Words that set two parts of a definition in roles that must not swap: a condition ("X if
# Y"), a comparison ("worse on X than on Y"), a preference ("X over Y", "X instead of Y").
_PIVOTS = (r"\b(?:if|when|whenever|given|assuming|provided|unless)\b",
           r"\b(?:than|instead of|rather than|versus|vs|against)\b")
_CONDITION = re.compile(_PIVOTS[0], re.I)
# A definition that opens with its head noun and "of" ("the probability of ...", "a table of
# ...", "a Master's level understanding of ...").
_HEAD_OF = re.compile(r"^\W*((?:[^\W_]+(?:'s)?\W+){1,4}?)of\b", re.I)


# Heads that make a definition a figure: the answer must say it is one (any of them: "the
# percentage of users who ..." says "the share of users who ...").
MEASURES = frozenset("""
share percentage percent % fraction proportion rate ratio portion probability chance chances
likelihood odds number count amount average mean median sum total frequency
""".split())
_MEASURE_PHRASES = re.compile(r"\bhow (?:many|much|often|likely|frequently)\b|\bper ?cent\b",
                              re.I)


def _measure_first(answer: str, rest: set[str]) -> bool:
    """True when a measure word comes before any of the definition's other words (`rest`)."""
    words = re.findall(r"[a-z%]+", _MEASURE_PHRASES.sub(" share ", answer.lower()))
    first = next((i for i, w in enumerate(words) if base_forms(w) & rest or w in rest),
                 len(words))
    return bool(set(words[:first]) & MEASURES)


def _head_said(target: str, answer: str, have: Sequence[Unit], ctx: Context) -> bool:
    """True unless the definition opens with a head of several words and "of", and the answer
    says none of them: "linear algebra, probability" does not say "a Master's level
    understanding of linear algebra and probability"."""
    m = _HEAD_OF.match(target)
    if m is None:
        return True
    if set(re.findall(r"[a-z]+", m.group(1).lower())) & MEASURES:
        # "share of customers who stop" is a figure; "customers who stop" are people
        # ... before the definition's other words: "users who come back a given number of
        # days later" counts days, not users
        rest = {k for u in _content(variants(target[m.end():])[0] if variants(target[m.end():])
                                    else []) for k in _forms(u)}
        fronted = _FRONTED.match(answer)  # "if the null is true, the probability of ..."
        if not _measure_first(fronted.group(3) if fronted else answer, rest):
            return False
    readings = variants(m.group(1))
    head = [u for u in _content(readings[0]) if not u.keys & ctx.prompt_keys] if readings else []
    # one head noun may be said another way ("a unit of text" for "a chunk of text"); a head of
    # several words qualifies the rest and must show
    return len(head) < 2 or any(_meet(u, h) for u in head for h in have)


def _split_condition(text: str, pivot: str = _PIVOTS[0]) -> tuple[str, str] | None:
    """(main clause, the part after the pivot) of "X if Y" or "if Y, X"; None without one."""
    m = re.search(pivot, text, re.I)
    if m is None:
        return None
    if not text[:m.start()].strip(" ,;:"):  # "if Y, X": the condition comes first
        cond, _sep, main = text[m.end():].partition(",")
        return main, cond
    return text[:m.start()], text[m.end():]


def _said_in(text: str, words: Sequence[Unit]) -> int:
    readings = variants(text)
    have = _content(readings[0]) if readings else []
    return sum(1 for w in words if any(_meet(w, h) for h in have))


def _condition_swapped(answer: str, target: str, ctx: Context) -> bool:
    """True when the answer puts the definition's condition in its main clause and the main
    clause in its condition ("the probability H0 is true given data this extreme" for "the
    probability of data this extreme if H0 is true"), or swaps the two sides of a comparison
    ("worse on training data than on new data")."""
    return any(_swapped_at(answer, target, ctx, pivot) for pivot in _PIVOTS)


def _swapped_at(answer: str, target: str, ctx: Context, pivot: str) -> bool:
    mine, theirs = _split_condition(answer, pivot), _split_condition(target, pivot)
    if mine is None or theirs is None:
        return False

    def words(text: str) -> list[Unit]:
        readings = variants(text)
        return [u for u in _content(readings[0]) if not u.keys & ctx.prompt_keys] \
            if readings else []

    def own_clause(text: str) -> str:  # the pivot's part ends where the next clause begins
        return _CLAUSE.split(text, maxsplit=1)[0]

    main, other = words(theirs[0]), words(own_clause(theirs[1]))
    main_only = [u for u in main if not any(_meet(u, o) for o in other)]
    other_only = [u for u in other if not any(_meet(u, m) for m in main)]
    after = own_clause(mine[1])
    return _said_in(after, main_only) > _said_in(after, other_only) \
        and _said_in(mine[0], other_only) > 0


_QUESTION = re.compile(r"\b(?:what|how|why)\b", re.I)  # not "who", "when": relative words


def same_questions(answer: str, target: str) -> bool:
    """False when both say question words and in another order or set: "decides how to build
    it ... what to build" for "decides what to build ... how to build it"."""
    theirs = [w.lower() for w in _QUESTION.findall(target)]
    mine = [w.lower() for w in _QUESTION.findall(answer)]
    return not theirs or not mine or _dedup(theirs) == _dedup(mine)


def _dedup(words: Sequence[str]) -> list[str]:
    """The words without one repeated right after itself ("how ... how")."""
    return [w for i, w in enumerate(words) if i == 0 or words[i - 1] != w]


def covers(answer: str, target: str, ctx: Context, prompt: str = "") -> bool:
    """True when `answer` states the definition `target` in other words (see the module's
    docstring); `ctx` gives the prompt's keys (words the answer need not repeat) and rivals,
    `prompt` the card's prompt, whose every word (terms of the trade too: "What is data
    drift?") the answer may use or leave out."""
    said = frozenset(k for reading in (variants(prompt) if prompt else ()) for u in reading
                     if not u.filler for k in u.keys if not k.startswith("~"))
    if _HEDGED.search(answer) and not _ALTERNATIVE_IN_TARGET.search(target):
        return False
    if not same_questions(answer, target):
        return False
    answer, target = _GLOSS.sub(" ", answer), _GLOSS.sub(" ", target)
    # the definition as written, and without its bracketed examples ("(e.g. int8)")
    bare = re.sub(r"\s+", " ", re.sub(r"\([^()]*\)", " ", target)).strip()
    return any(_covers(answer, form, ctx, said) for form in dict.fromkeys((target, bare))
               if form)


def _covers(answer: str, target: str, ctx: Context, said: frozenset[str]) -> bool:
    if not is_definition(target, ctx.prompt_keys):
        return False
    targets = variants(target)
    answers = variants(answer)
    if not targets or not answers:
        return False
    negates = any(u.text in NEGATIONS for u in answers[0])
    if negates != any(u.text in NEGATIONS for u in targets[0]):
        return False
    if negates and _negation_moved(answer, target):
        return False
    for want_all in targets:
        want = _unique([u for u in _content(want_all) if not u.keys & ctx.prompt_keys])
        if len(want) < MIN_WORDS - 1:  # a repeated word counts once ("price ... price")
            continue
        # half the distinct words, rounded up, and three at least
        need = max(MIN_SAID, -(-len(want) * int(COVERAGE * 100) // 100))
        for have_all in answers:
            have = _content(have_all)
            mine = [u for u in have if not u.keys & ctx.prompt_keys]
            if len(mine) < 2 or not _figures(answer) <= _figures(target) | {
                    u.text for u in want_all if u.text.isdigit()}:
                continue
            positions = [[j for j, h in enumerate(have) if _meet(u, h)] for u in want]
            if _increasing(positions) < need:
                continue
            if not _main_clause_said(target, have, ctx) or not _head_said(target, answer, have, ctx):
                continue
            if _condition_swapped(answer, target, ctx):
                return False
            if _substituted(want, have, positions, ctx.prompt_keys | said):
                return False
            if _excess_differs(answer, target):
                return False
            # the prompt's words are roles too ("the decoder compresses ... the encoder
            # expands"), but an answer may open with the prompt's own term ("time to first
            # token - how long until ..."): its words there trade no places
            roles = _unique(_content(want_all))
            start = _named_first(answer, ctx.prompt_keys | said)
            if all(_roles_swapped(roles, [[j for j, h in enumerate(turned) if j >= start and
                                           _meet(u, h)] for u in roles])
                   for turned in _clause_orders(answer, have)):
                return False
            # every word of the definition, "well" too (a hedge elsewhere: "well, ...")
            # "well" is a hedge at the front ("well, ...") and a word of degree elsewhere
            # ("does well on both" for "does poorly on both")
            degree = [u for j, u in enumerate(have_all) if not u.filler or
                      (u.text == "well" and j > 0)]
            if _opposed(degree, list(want_all)) or _modifiers_swapped(want_all, have):
                return False
            if _rival(have_all, want, ctx):
                return False
            # closer to another card's definition than to this one: that card's answer
            mine_share = _increasing(positions) / len(want)
            return not any(_share(answer, rival, ctx) > mine_share for rival in ctx.rivals)
    return False


def _path(candidates: Sequence[Sequence[int]]) -> dict[int, int]:
    """One longest in-order assignment: definition word index -> answer position."""
    best: dict[tuple[int, int], tuple[int, tuple[int, int] | None]] = {}
    top: tuple[int, tuple[int, int] | None] = (0, None)
    for i, positions in enumerate(candidates):
        for p in positions:
            length, back = 1, None
            for (k, q), (n, _b) in best.items():
                if k < i and q < p and n + 1 > length:
                    length, back = n + 1, (k, q)
            best[i, p] = (length, back)
            if length > top[0]:
                top = (length, (i, p))
    out: dict[int, int] = {}
    node = top[1]
    while node is not None:
        out[node[0]] = node[1]
        node = best[node][1]
    return out


_TOO = re.compile(r"\btoo\s+(?:much\s+|many\s+|little\s+|few\s+)?([^\W\d_]+)", re.I)


def _excess_differs(answer: str, target: str) -> bool:
    """True when both say "too" of something and not of the same thing: "too simple to learn"
    for "learns ... too well" is the other failure."""
    theirs = [_unit(w.lower()) for w in _TOO.findall(target)]
    mine = [_unit(w.lower()) for w in _TOO.findall(answer)]
    return bool(theirs and mine) and not any(_meet(t, m) for t in theirs for m in mine)


def _substituted(want: Sequence[Unit], have: Sequence[Unit],
                 candidates: Sequence[Sequence[int]], prompt_keys: frozenset[str]) -> bool:
    """True when a word of the answer stands where an unsaid word of the definition stood
    (between the same said words): "start using" for "stop using", "increase" for "reduce"."""
    path = _path(candidates)
    used = set(path.values())
    for i in range(len(want)):
        if i in path:
            continue
        before = max((path[k] for k in path if k < i), default=-1)
        after = min((path[k] for k in path if k > i), default=len(have))
        if before < 0 or after >= len(have):
            continue  # at an edge: paraphrases add and drop words there
        new = [have[j] for j in range(before + 1, after)
               if j not in used and not have[j].keys & prompt_keys
               and not any(_meet(w, have[j]) for w in want)]
        # an everyday word there is often a synonym the lexicon lacks ("drifts" for
        # "shifts"); a term of the trade there names another thing ("batch size")
        if any(w in domain_words() for h in new for w in h.text.split()):
            return True
        # and several words of the answer for as many or more of the definition's is another
        # phrase: "visitors who buy" for "customers who stop using" (more words than it
        # left out explain it: "signed up in the same period" for "share a start date")
        lost = sum(1 for k in range(len(want)) if k not in path and
                   max((path[q] for q in path if q < k), default=-1) == before)
        if SWAPPED_RUN <= len(new) <= lost:
            return True
    return False


# Words of a definition left out in a row, and as many others in their place: another phrase.
SWAPPED_RUN = 2


# How many said words stand between two words of a definition for them to be two roles: a word
# moved past one other is paraphrase ("an early metric" for "a metric that moves early",
# "scarcer skills" for "their skill set is scarcer"). A passive past a verb of two words ("investors
# get paid back" for "pays back investors") is read as a swap: the price of catching "fails on
# training data" for "learns the training data ... fails on new data".
ROLE_APART = 2


def _roles_swapped(want: Sequence[Unit], candidates: Sequence[Sequence[int]]) -> bool:
    """True when the answer fits the definition better with two of its words (with two said
    words between them) traded places: "fails on training data but does well on new data"
    for "learns the training data too well and fails on new data"."""
    base = _increasing(candidates)
    n = len(candidates)
    for i in range(n):
        for k in range(i + 2, n):
            between = sum(1 for c in candidates[i + 1:k] if c)
            if not candidates[i] and not candidates[k] or between == 0:
                continue
            if any(candidates[q] and _free(want[q]) for q in (i, k)):
                continue  # "it first retrieves the documents" for "retrieves them first"
            swapped = list(candidates)
            swapped[i], swapped[k] = candidates[k], candidates[i]
            # one word moved past one other is paraphrase; two words each in the other's
            # place are two roles traded ("the candidates screen the recruiter")
            if _increasing(swapped) - base >= (1 if between >= ROLE_APART else 2):
                return True
    return False


_FRONTED = re.compile(r"^\W*(if|when|whenever|given|because|since|once)\b([^,]+),(.+)$", re.I)
_SO = re.compile(r"^(.+?),?\s+(?:so|therefore|hence)\s+(.+)$", re.I)


def _clause_orders(answer: str, have: list[Unit]) -> list[list[Unit]]:
    """The answer's content words as written, and with a fronted condition or reason put after
    its main clause ("if the null is true, the probability of ..." as "the probability of ...
    if the null is true"; "it learned noise, so it fails" as "it fails because it learned
    noise"): clauses move in paraphrase, roles do not."""
    out = [have]
    m = _FRONTED.match(answer)
    turned = f"{m.group(3)} {m.group(1)} {m.group(2)}" if m else None
    if turned is None and (m := _SO.match(answer)):
        turned = f"{m.group(2)} because {m.group(1)}"
    if turned is not None:
        readings = variants(turned)
        if readings:
            out.append(_content(readings[0]))
    return out


_TERM_FIRST = re.compile(r"^(.{1,60}?)\s*(?:[-\u2013\u2014:=]|\bis\b|\bmeans\b)\s", re.I)


def _named_first(answer: str, named: frozenset[str]) -> int:
    """How many content words the answer's opening term takes when it opens with the prompt's
    own words and a dash, colon or "is" ("time to first token - how long until ..."), else 0."""
    m = _TERM_FIRST.match(answer)
    if m is None:
        return 0
    readings = variants(m.group(1))
    words = _content(readings[0]) if readings else []
    return len(words) if words and all(u.keys & named for u in words) else 0


# Adverbs that stand anywhere in a sentence without changing who does what.
FREE_ADVERBS = frozenset("""
first then later also often usually always never again now already still soon finally
sometimes eventually
""".split())


def _free(unit: Unit) -> bool:
    return unit.text in FREE_ADVERBS or (unit.text.endswith("ly") and len(unit.text) > 4)


def _modifiers_swapped(want: Sequence[Unit], have: Sequence[Unit]) -> bool:
    """True when two words that set one head noun apart in the definition ("training data" ...
    "new data") come in the other order in the answer, so each now goes with the other's
    words ("learns new data too well and fails on the training data")."""
    pairs = []
    for i in range(len(want) - 1):
        for k in range(i + 2, len(want) - 1):
            a, b = want[i], want[k]
            if (not a.filler and not b.filler and _meet(want[i + 1], want[k + 1])
                    and not _meet(a, b)):
                pairs.append((a, b))

    def first(u: Unit) -> int:
        return next((j for j, h in enumerate(have) if _meet(u, h)), -1)

    return any(0 <= first(b) < first(a) for a, b in pairs)


def _negation_moved(answer: str, target: str) -> bool:
    """True when the answer denies words the definition affirms: "users who did not see the
    change convert more than users who did" for "... more than users who did not"."""
    theirs = _content(_negated_units(target))
    mine = _content(_negated_units(answer))
    everything = _content(variants(target)[0]) if variants(target) else []
    for u in mine:
        if any(_meet(t, u) for t in theirs):
            continue
        if any(_meet(t, u) for t in everything):
            return True
    return False


def _share(answer: str, target: str, ctx: Context) -> float:
    """The share of a definition's content words `answer` says in order (0 for no
    definition)."""
    if not is_definition(target, ctx.prompt_keys):
        return 0.0
    targets, answers = variants(target), variants(answer)
    if not targets or not answers:
        return 0.0
    want = _unique([u for u in _content(targets[0]) if not u.keys & ctx.prompt_keys])
    have = _content(answers[0])
    return _increasing([[j for j, h in enumerate(have) if _meet(u, h)] for u in want]) \
        / max(1, len(want))
