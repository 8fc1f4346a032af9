"""The grader: one entry point per card kind, over the text, number, list and choice matchers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from debrief.grading.choice import resolve
from debrief.grading.confusion import same_ratio
from debrief.grading.definition import covers, is_definition, same_questions
from debrief.grading.diff import char_diff, describe
from debrief.grading.formula import same_formula
from debrief.grading.formula import tokens as formula_tokens
from debrief.grading.listing import MAX_PIECES, match_items, split_items
from debrief.grading.meaning import (
    FIXED_ORDER,
    FUNCTION_WORDS,
    GENERIC_ADD,
    HEDGES,
    QUESTION_WORDS,
    Context,
    _known_compound,
    _meets,
    all_words,
    contains,
    content_words,
    mentions,
    negated,
    prompt_keys,
    subset_of,
    variants,
    words_of,
)
from debrief.grading.normalize import clean, fold, is_non_answer
from debrief.grading.number import Quantity, compare, parse_quantity
from debrief.grading.spec import Spec, check_spec
from debrief.grading.terms import domain_words, vocabulary_words
from debrief.grading.text import (
    Target,
    TextMatch,
    initials,
    match_half,
    match_targets,
    targets_for,
)
from debrief.grading.verdict import Verdict

_RANK = {"correct": 2, "close": 1, "wrong": 0}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quote(text: str, limit: int = 80) -> str:
    text = _one_line(text)
    return f'"{text[:limit]}…"' if len(text) > limit else f'"{text}"'


def _key(text: str) -> str:
    """`text` compared letter for letter: cleaned, folded, single-spaced (never empty if the
    cleaned text is not: a lone accent or symbol stays itself)."""
    cleaned = clean(text)
    return " ".join(fold(cleaned).split()) or " ".join(cleaned.casefold().split())


class _Compiled:
    """Targets of a set of expected strings, built once per spec."""

    def __init__(self, strings: Iterable[str]) -> None:
        self.targets: list[Target] = []
        self.spelled: set[str] = set()
        self.quantities: list[tuple[str, Quantity]] = []
        self.folded: set[str] = set()
        self.exact: dict[str, str] = {}
        for s in strings:
            targets, spelled = targets_for(s)
            self.targets.extend(targets)
            self.spelled |= spelled
        # An acronym accepted beside its own spelled-out form ("human-in-the-loop", "HITL")
        # has a known expansion: a typed expansion must then match it, typos and all.
        for target in self.targets:
            if len(target.tokens) == 1 and target.tokens[0].acronym:
                acronym = target.tokens[0].text
                if any(acronym in initials(other.tokens) for other in self.targets
                       if other is not target):
                    self.spelled.add(acronym)
        for s in strings:
            q = parse_quantity(s, strict=True)
            if q is not None:
                self.quantities.append((s, q))
            self.folded.add(fold(clean(s)))
            self.exact.setdefault(_key(s), s)


@lru_cache(maxsize=4096)
def _compile(strings: tuple[str, ...]) -> _Compiled:
    return _Compiled(strings)


def _same(typed: str, compiled: _Compiled) -> str | None:
    """The accepted string `typed` is, letter for letter once case and spacing are folded."""
    key = _key(typed)
    return compiled.exact.get(key) if key else None


class Grader:
    """Grades typed answers against card specs.

    `vocabulary` is extra words that count as real terms (every word of every loaded card): a
    typed word found there, or in the built-in AI/ML vocabulary, is never read as a typo of a
    different expected word.
    """

    def __init__(self, vocabulary: Iterable[str] = ()) -> None:
        self._known = domain_words() | vocabulary_words(vocabulary)

    @property
    def known(self) -> frozenset[str]:
        """Every word this grader treats as a real term."""
        return self._known

    # ------------------------------------------------------------------------- entry point

    def grade(self, spec: dict[str, Any], answer: str) -> Verdict:
        """Grade `answer` against `spec`; any answer gets a verdict.

        Raises `SpecError` (a ValueError) only when the spec itself is malformed.
        """
        checked = check_spec(spec)
        typed = clean(answer)
        if checked.kind == "choice":
            return self._grade_choice(checked, typed)
        if checked.kind == "list":
            return self._grade_list(checked, typed)
        if checked.kind == "number":
            return self._grade_number(checked, typed)
        verdict = self._grade_text(checked, typed)
        if not verdict.is_right:
            inner = _blank_filled(typed, checked.prompt)
            if inner is not None:  # "the negative gradient" for "... of the ___ gradient"
                again = self._grade_text(checked, inner)
                if again.is_right:
                    return again
        return verdict

    # ------------------------------------------------------------------------- helpers

    def _no_answer(self, shown: str) -> Verdict:
        return Verdict("wrong", 0.0, f"No answer given. The answer is {_quote(shown)}.",
                       matched=None)

    def _text_match(self, typed: str, strings: tuple[str, ...]) -> TextMatch | None:
        compiled = _compile(strings)
        return match_targets(typed, compiled.targets, self._known, compiled.spelled)

    def _quality(self, typed: str, strings: tuple[str, ...],
                 ctx: Context | None = None) -> tuple[int, str] | None:
        """2 if `typed` names one of `strings` exactly, 1 with a typo or unit missing, else None.

        With a `ctx`, an answer that says one of `strings` inside carrier words counts too.
        """
        compiled = _compile(strings)
        if _same(typed, compiled):
            return (2, "")
        if compiled.quantities:
            given = parse_quantity(typed, strict=True)
            if given is not None:
                best = 0
                for _s, q in compiled.quantities:
                    best = max(best, _RANK[compare(q, given)[0]])
                return (best, "") if best else None
        m = self._text_match(typed, strings)
        if m is None:
            fixed = any(FIXED_ORDER.search(s) for s in strings)
            if ctx is not None and any(contains(typed, form, ctx, fixed) for s in strings
                                       for form in _paren_forms(s)):
                return (2, "")
            return None
        return (2 if m.cost.edits == 0 and m.cost.forms == 0 else 1, m.display)

    # ------------------------------------------------------------------------- text

    def _grade_text(self, spec: Spec, typed: str) -> Verdict:
        strings = spec.expected + spec.accept
        shown = spec.expected[0]
        exact = _same(typed, _compile(strings))
        if exact is not None:
            note = "Correct." if exact == shown else \
                f"Correct (an accepted answer; the card says {_quote(shown)})."
            return Verdict("correct", 1.0, note, matched=exact)
        if not _pasted(typed, spec.prompt):
            # a confusion-matrix ratio is read by its cells and their roles, however it is
            # said: "of all real positives, how many we caught" is TP / (TP + FN)
            same = [same_ratio(typed, s) for s in strings]
            if True in same:
                s = strings[same.index(True)]
                return Verdict("correct", 1.0, f"Correct: {_quote(s)}.", matched=s)
            if False in same:
                return self._wrong_text(typed, shown)
        formulas = [s for s in strings if formula_tokens(s) is not None]
        if formulas and formula_tokens(typed, typed=True) is not None:
            # a formula is read by its operators too, not as a bag of words or letters
            for s in formulas:
                if same_formula(typed, s):  # "TP over TP plus FP", "R*I*C/E"
                    return Verdict("correct", 1.0, f"Correct: {_quote(s)}.", matched=s)
            return self._wrong_text(typed, shown)
        m = self._text_match(typed, strings)
        core = _unwrap(typed)
        if m is None and core != typed:
            m = self._text_match(core, strings)  # "I think it's gradient decent"
        if m is not None and m.cost.initials and _pasted(typed, spec.prompt):
            m = None  # the prompt's own words read as initials are not an answer
        if m is not None:
            return self._text_verdict(typed, m, shown)
        if is_non_answer(typed):
            return self._no_answer(shown)
        if _pasted(typed, spec.prompt) and not all(_pasted(s, spec.prompt) for s in strings):
            return self._wrong_text(typed, shown)  # the prompt's words say nothing new
        ctx = _context(spec)
        fixed = any(FIXED_ORDER.search(s) for s in strings)
        for s in strings:
            definition = is_definition(s, ctx.prompt_keys)
            if definition and not same_questions(typed, s):
                continue  # "decides how to build it" is not "decides what to build"
            # a definition's words keep their order: its roles are in it
            if any(contains(typed, form, ctx, fixed or definition) for form in _paren_forms(s)):
                note = "Correct." if s == shown else \
                    f"Correct (an accepted answer; the card says {_quote(shown)})."
                return Verdict("correct", 1.0, note, matched=s)
        if spec.keywords and _shows_keywords(typed, spec):
            return Verdict("correct", 1.0, "Correct: it has every key idea. The card says "
                           f"{_quote(shown)}.", matched=shown)
        said = self._lead_term(typed, strings, ctx, fixed)
        if said is not None:
            return Verdict("correct", 1.0, f"Correct: {_quote(said)} (the rest is not graded).",
                           matched=said)
        for s in strings:
            if covers(typed, s, ctx, spec.prompt):
                return Verdict("correct", 1.0, "Correct: that is the definition, in other words. "
                               f"The card says {_quote(s)}.", matched=s)
        compiled = _compile(strings)
        half = match_half(typed, compiled.targets, self._known, compiled.spelled)
        if half is not None:
            target, given, missing = half
            return Verdict("partial", 0.5,
                           f"Half right: {_quote(given)}, but {_quote(missing)} is missing. "
                           f"The answer is {_quote(target.source)}.",
                           matched=target.source, missing=(missing,))
        return self._wrong_text(typed, shown)

    def _lead_term(self, typed: str, strings: tuple[str, ...], ctx: Context,
                   fixed: bool) -> str | None:
        """The accepted term an answer leads with before its reason ("large errors, because it
        squares them", "concept drift - the mapping from x to y moved"), or None. Only for
        terms: a definition's extra detail may be wrong ("..., where 0.5 is perfect")."""
        if any(is_definition(s, ctx.prompt_keys) for s in strings):
            return None
        named = _named_after(typed)
        if named is not None:  # "the input->label mapping changed, i.e. concept drift"
            gloss, term = named
            if not any(mentions(gloss, rival) for rival in ctx.rivals) and not \
                    _SECOND_GUESS.search(typed):
                for s in strings:
                    m = self._text_match(term, (s,))
                    if m is not None and m.cost.edits == 0 and not m.cost.initials:
                        return s
        split = _lead(typed)
        if split is None:
            return None
        head, reason = split
        if negated(reason, head) and mentions(reason, head):
            return None  # "data drift, or rather not drift at all"
        if any(mentions(reason, rival) for rival in ctx.rivals):
            return None  # a second candidate after the comma
        core = _unwrap(head)
        for s in strings:
            m = self._text_match(core, (s,))
            if m is not None and m.cost.edits == 0 and not m.cost.initials:
                return s
            if any(contains(head, form, ctx, fixed) for form in _paren_forms(s)):
                return s
        return None

    def _text_verdict(self, typed: str, m: TextMatch, shown: str) -> Verdict:
        source = m.target.source
        if m.cost.edits == 0 and m.cost.forms == 0:
            if m.cost.initials and not m.target.part:
                note = f"Correct: {_quote(source)}."
            elif m.target.part and _one_line(source) != _one_line(typed):
                note = f"Correct. In full: {_quote(source)}."
            elif source != shown:
                note = f"Correct (an accepted answer; the card says {_quote(shown)})."
            else:
                note = "Correct."
            return Verdict("correct", 1.0, note, matched=source)
        diff = char_diff(_one_line(typed), m.display)
        parts = []
        for got, want in m.typos:
            parts.append(f"{_quote(got)} for {_quote(want)}")
        for got, want in m.forms:
            parts.append(f"{_quote(got)} for {_quote(want)} (another form of the word)")
        detail = describe(diff) if diff and m.cost.edits else ""
        what = "a typo" if m.cost.edits else "a different word form"
        note = f"Close, {what}: " + "; ".join(parts)
        if detail:
            note += f" ({detail})"
        note += f". The answer is {_quote(m.display)}."
        score = max(0.6, 1.0 - 0.1 * m.cost.edits - 0.05 * m.cost.forms)
        return Verdict("close", round(score, 4), note, diff=diff, matched=source)

    def _wrong_text(self, typed: str, shown: str) -> Verdict:
        line = _one_line(typed)
        near = fuzz.ratio(fold(line), fold(shown)) >= 50 if line else False
        diff = char_diff(line, _one_line(clean(shown))) if near else ()
        note = f"Wrong. The answer is {_quote(shown)}."
        words = fold(line).split()
        if near and len(words) <= 3 and any(w in self._known for w in words):
            note = f"Wrong: {_quote(line)} is a different term. The answer is {_quote(shown)}."
        return Verdict("wrong", 0.0, note, diff=diff, matched=shown)

    # ------------------------------------------------------------------------- number

    def _grade_number(self, spec: Spec, typed: str) -> Verdict:
        strings = spec.expected + spec.accept
        shown = spec.expected[0]
        exact = _same(typed, _compile(strings))
        if exact is not None:
            return Verdict("correct", 1.0, "Correct.", matched=exact)
        quantities = [(s, q) for s in strings if (q := parse_quantity(s)) is not None]
        if not quantities:  # the expected answer is no figure: grade it as text
            return self._grade_text(spec, typed)
        if is_non_answer(typed):
            return self._no_answer(shown)
        given = parse_quantity(typed)
        if given is None:
            given = _leading_figure(typed)
        if given is None:
            return Verdict("wrong", 0.0,
                           f"No single figure or range found. The answer is {_quote(shown)}.",
                           matched=shown)
        best: tuple[int, str, str, str] | None = None
        for source, q in quantities:
            outcome, reason = compare(q, given)
            cand = (_RANK[outcome], outcome, reason, source)
            if best is None or cand[0] > best[0]:
                best = cand
        assert best is not None
        _rank, outcome, reason, source = best
        if outcome == "correct":
            note = "Correct." if source == shown else \
                f"Correct (an accepted answer; the card says {_quote(shown)})."
            return Verdict("correct", 1.0, note, matched=source)
        diff = char_diff(_one_line(typed), _one_line(clean(source)))
        if outcome == "close":
            return Verdict("close", 0.9, f"Right figure, but {reason}. The answer is "
                           f"{_quote(shown)}.", diff=diff, matched=source)
        return Verdict("wrong", 0.0, f"Wrong: {reason}. The answer is {_quote(shown)}.",
                       diff=diff, matched=shown)

    # ------------------------------------------------------------------------- choice

    def _grade_choice(self, spec: Spec, typed: str) -> Verdict:
        options = spec.options
        shown = spec.expected[0]
        folded = [fold(clean(o)).strip() for o in options]
        right = options.index(shown) if shown in options else folded.index(
            fold(clean(shown)).strip())
        key = fold(typed).strip()
        if spec.accept and key in _compile(spec.accept).folded:
            return Verdict("correct", 1.0, "Correct.", matched=shown)
        if is_non_answer(typed) and key not in folded:
            return self._no_answer(shown)

        def fits(answer: str, i: int) -> int | None:
            q = self._quality(answer, (options[i],))
            return q[0] if q else None

        res = resolve(typed, options, fits, spec.prompt)
        if res.index == right:
            if res.how == "typo":
                diff = char_diff(_one_line(typed), _one_line(clean(shown)))
                detail = describe(diff)
                note = f"Close, a typo of {_quote(shown)}" + (f" ({detail})." if detail else ".")
                return Verdict("close", 0.9, note, diff=diff, matched=shown)
            return Verdict("correct", 1.0, "Correct." if res.how in ("text", "typo") else
                           f"Correct: {_quote(shown)}.", matched=shown)
        if spec.accept and self._quality(typed, spec.accept):
            return Verdict("correct", 1.0, "Correct (an accepted answer).", matched=shown)
        if res.index is not None:
            return Verdict("wrong", 0.0, f"Wrong: that is {_quote(options[res.index])}. "
                           f"The answer is {_quote(shown)}.", matched=shown)
        if res.how == "ambiguous":
            names = ", ".join(_quote(options[i], 40) for i in res.candidates[:4])
            return Verdict("wrong", 0.0, f"Wrong: {_quote(typed, 40)} fits more than one option "
                           f"({names}). The answer is {_quote(shown)}.", matched=shown)
        if res.how == "out of range":
            return Verdict("wrong", 0.0, f"Wrong: there is no option {_quote(typed, 10)}. "
                           f"The answer is {_quote(shown)}.", matched=shown)
        return Verdict("wrong", 0.0, f"Wrong: not one of the options. The answer is "
                       f"{_quote(shown)}.", matched=shown)

    # ------------------------------------------------------------------------- list

    def _judge_item(self, piece: str, i: int, items: tuple[str, ...], ctx: Context,
                    tail: tuple[str, ...]) -> tuple[int, str] | None:
        """Whether a typed piece names item `i`: as the text grader reads it, without an
        optional parenthesised part, with the list's shared last word, or by a head word that
        fits this item alone ("base" for Base salary among Bonus and Equity)."""
        tries = [piece]
        bare = re.sub(r"\s+", " ", re.sub(r"\([^()]*\)", " ", piece)).strip()
        if bare and bare != piece:
            tries.append(bare)
        for end in tail:
            if not piece.casefold().endswith(end.casefold()):
                tries.append(f"{piece} {end}")
        for typed in tries:
            q = self._quality(typed, (items[i],), ctx)
            if q:
                return q
        if negated(piece):
            return None
        short = _shortening_of(piece, items)
        if short is not None:
            return (2, "") if short == i else None
        if not subset_of(bare or piece, items[i]):
            return (2, "") if _says_item(piece, i, items) else None
        # A head word is the word that leads the item ("base" for Base salary), or enough of
        # it: "users" alone does not name Daily Active Users.
        mine, theirs = content_words(bare or piece), content_words(items[i])
        if not theirs or not mine or (not subset_of(theirs[0], bare or piece)
                                      or 2 * len(mine) < len(theirs) and len(theirs) > 2):
            return None
        if any(subset_of(bare or piece, other) for k, other in enumerate(items) if k != i):
            return None
        return (2, "")


    def _grade_list(self, spec: Spec, typed: str) -> Verdict:
        items = spec.expected
        need = spec.min_items or len(items)
        shown = spec.answer
        one_line = typed.replace("\n", "; ")
        if _same(one_line, _compile(tuple(sep.join(items) for sep in (", ", "; ")))):
            return Verdict("correct", 1.0, f"Correct: all {len(items)} items.", matched=shown)
        if spec.accept and _same(one_line, _compile(spec.accept)):
            # a whole answer accepted for this card (one the user marked right)
            return Verdict("correct", 1.0, "Correct (an accepted answer).", matched=shown)
        if is_non_answer(typed):
            return self._no_answer(shown)
        pieces = _merge_pieces(split_items(typed), items, self._quality)
        if not pieces:
            return self._no_answer(shown)
        if len(pieces) > max(MAX_PIECES, 2 * len(items)):
            return Verdict("wrong", 0.0, f"Too many items: the list has {len(items)}. "
                           f"The answer is {_quote(shown)}.", matched=shown)

        # An item's words may come wrapped in the prompt's words, but not in another item's.
        prompt = _carrying_prompt(spec.prompt)
        ctx = Context(words_of((prompt,)), spec.others, prompt_keys(prompt))
        tail = _shared_tail(pieces)
        memo: dict[tuple[str, int], tuple[int, str] | None] = {}

        def judge(piece: str, i: int) -> tuple[int, str] | None:
            if (piece, i) not in memo:
                memo[piece, i] = self._judge_item(piece, i, items, ctx, tail)
            return memo[piece, i]

        pieces = _split_runs(pieces, len(items), judge)
        result = match_items(pieces, len(items), judge)
        found = len(result.matched)
        typos = [f"{_quote(pieces[m.piece], 40)} for {_quote(items[m.item], 40)}"
                 for m in result.matched if m.quality == 1]
        named = [items[m.item] for m in sorted(result.matched, key=lambda m: m.item)]
        missing = tuple(items[i] for i in result.missing) if found < need else ()
        lines = []
        if found >= need and not result.wrong:
            verdict = "close" if typos else "correct"
            head = "Correct" if not typos else "Close, with a typo (" + "; ".join(typos) + ")"
            if found == len(items):
                lines.append(f"{head}: all {len(items)} items.")
            else:
                lines.append(f"{head}: {found} of {len(items)} items ({need} needed).")
                rest = [items[i] for i in result.missing]
                if rest:
                    lines.append("Also on the list: " + ", ".join(rest) + ".")
            score = 1.0 if not typos else 0.9
        else:
            verdict = "partial" if found else "wrong"
            if found >= need:
                lines.append(f"The {need} needed are there (" + ", ".join(named)
                             + "), but a wrong item came with them.")
            elif found:
                lines.append(f"{found} of {need} needed: " + ", ".join(named) + ".")
            else:
                lines.append(f"None of the {len(items)} items. The answer is {_quote(shown)}.")
            if missing and found:
                lines.append("Missing: " + ", ".join(missing) + ".")
            if result.wrong:
                lines.append("Not on the list: " + ", ".join(_quote(w, 40) for w in
                                                             result.wrong[:5]) + ".")
            score = min(found, need) / (need + len(result.wrong))
        if result.repeated:
            lines.append("Repeated: " + ", ".join(_quote(r, 40) for r in result.repeated[:5])
                         + ".")
        return Verdict(verdict, round(score, 4), " ".join(lines), matched=shown,
                       missing=missing, extra=tuple(result.wrong))


# Longest list piece, in words, read as an item said in a phrase ("what goes into the training
# dataset" for Training dataset composition).
MAX_PHRASE_WORDS = 8


def _says_item(piece: str, i: int, items: tuple[str, ...]) -> bool:
    """True when a typed piece holds every content word of item `i` (or of one of its
    bracketed forms) inside a short phrase of its own ("being a thin API wrapper"), and holds
    every word of no other item."""
    if len(piece.split()) > MAX_PHRASE_WORDS or re.search(r"\bor\b|\?", piece, re.I):
        return False
    if len(all_words(piece)) < 2:
        return False  # one word or acronym is a term of its own ("RMSE" is not MSE)
    forms = [form for form in _paren_forms(items[i])
             if mentions(piece, form) and not _renamed(piece, form)]
    if not forms:
        return False
    return not any(mentions(piece, form) for k, other in enumerate(items) if k != i
                   for form in _paren_forms(other))


def _shortening_of(piece: str, items: tuple[str, ...]) -> int | None:
    """The one item whose first word a short typed piece begins ("acq, act, ret, ref, rev" for
    Acquisition, Activation, Retention, Referral, Revenue), or None: a piece of three to five
    letters, the start of one item's first word alone."""
    word = fold(piece).strip(" .")
    if not (3 <= len(word) <= 5 and word.isalpha()) or word in domain_words():
        return None  # "data" is a term of its own, not a shortening of "database"
    owners = [k for k, item in enumerate(items)
              if (first := re.findall(r"[^\W\d_]+", fold(item))[:1])
              and first[0].startswith(word) and len(first[0]) > len(word)]
    return owners[0] if len(owners) == 1 else None


def _renamed(piece: str, form: str) -> bool:
    """True when the words around an item's words in a phrase make it another thing: a term of
    the trade or a known compound just before it ("average precision", "root mean squared
    error"), or a new head noun after it ("vector database sharding", "base salary cut")."""
    have = [u for u in (variants(piece) or ((),))[0]]
    # the item's own words, articles aside ("mean" is a hedge elsewhere, a word here)
    want = [u for u in (variants(form) or ((),))[0] if u.text not in ("a", "an", "the")]
    if not want or not have:
        return False
    firsts = [j for j, u in enumerate(have) if _meets(want[0], u)]
    lasts = [j for j, u in enumerate(have) if _meets(want[-1], u)]
    if not firsts or not lasts:
        return False
    first, last = firsts[0], lasts[-1]
    if first > 0:
        before = have[first - 1]
        if not before.filler and not any(_meets(w, before) for w in want) and (
                before.text in domain_words() or _known_compound(before.text, have[first].text)):
            return True
    # after the head only function words or a generic head noun ("the prompt chaining
    # approach"), or a phrase opened by a function word ("interviews with users")
    after = [u for u in have[last + 1:] if u.text not in GENERIC_ADD]
    return bool(after) and not after[0].filler and any(not u.filler for u in after)


def _shared_tail(pieces: list[str]) -> tuple[str, ...]:
    """The last words of a list's last item that may belong to every item ("supervised,
    unsupervised and reinforcement learning"; "daily and monthly active users"), longest last."""
    if len(pieces) < 2:
        return ()
    words = pieces[-1].split()
    return tuple(" ".join(words[-k:]) for k in range(1, min(3, len(words) - 1) + 1)
                 if all(w.isalpha() for w in words[-k:]))


def _split_runs(pieces: list[str], n_items: int, judge) -> list[str]:
    """Pieces that name no item split into runs of words that each name one, when items were
    typed with only spaces between them ("situation task action result")."""
    if len(pieces) >= n_items:
        return pieces
    out: list[str] = []
    for piece in pieces:
        words = re.split(r"[\s-]+", piece)  # "bias-variance" names two items too
        if len(words) < 2 or len(words) > 24 or any(judge(piece, i) for i in range(n_items)):
            out.append(piece)
            continue
        # best[k]: the fewest runs covering words[:k], each run naming some item
        best: list[list[str] | None] = [[]] + [None] * len(words)
        for k in range(len(words)):
            covered = best[k]
            if covered is None:
                continue
            for width in range(1, min(4, len(words) - k) + 1):
                run = " ".join(words[k:k + width])
                cand = covered + [run]
                known = best[k + width]
                if any(judge(run, i) for i in range(n_items)) and (
                        known is None or len(cand) < len(known)):
                    best[k + width] = cand
        runs = best[len(words)]
        out.extend(runs if runs and len(runs) >= 2 else [piece])
    return out


def _merge_pieces(pieces: list[str], items: tuple[str, ...], quality) -> list[str]:
    """Join back typed pieces that an expected item itself spans ("autonomy and control")."""
    spans = {len(split_items(item)) for item in items} - {0, 1}
    if not spans:
        return pieces
    out: list[str] = []
    k = 0
    while k < len(pieces):
        for width in sorted(spans, reverse=True):
            if k + width <= len(pieces):
                joined = " and ".join(pieces[k:k + width])
                if any(quality(joined, (item,)) for item in items
                       if len(split_items(item)) == width):
                    out.append(joined)
                    k += width
                    break
        else:
            out.append(pieces[k])
            k += 1
    return out


# A prompt that offers alternatives ("F1 or accuracy?", "between A and B") names the wrong
# answer too: its words then cannot carry an answer.
_OFFERS = re.compile(r"\bor\b|\bvs\b|\bversus\b|\bbetween\b(?![^?]*\bwhich\b)[^?]*\band\b|/",
                     re.I)


def _carrying_prompt(prompt: str) -> str:
    """The prompt's words that may carry an answer: none when it offers alternatives, and
    never a term of the trade, which may be the rival ("accuracy beats F1")."""
    if _OFFERS.search(prompt):
        return ""
    terms = domain_words()
    return " ".join(w for w in re.findall(r"[^\W_]+(?:'[^\W_]+)?", prompt)
                    if not set(content_words(w)) & terms)


def _context(spec: Spec, rivals: tuple[str, ...] = ()) -> Context:
    """The words that may carry an answer to this card, and the answers it must not name."""
    prompt = _carrying_prompt(spec.prompt)
    return Context(words_of((prompt, *spec.expected, *spec.accept)),
                   tuple(rivals) + spec.others, prompt_keys(prompt))


# Where a figure's own words end and a second, separate detail begins ("4 years with a 1-year
# cliff"): the answer is the first figure; the detail after it is not graded.
_DETAIL = re.compile(r"\s*(?:,|;|\(|\bwith\b|\bplus\b|\bincluding\b|\bafter\b)\s*", re.I)


def _leading_figure(typed: str) -> Quantity | None:
    """The figure an answer gives before a separate detail, or None: never where the answer
    offers alternatives ("4 or 5 years")."""
    if re.search(r"\bor\b|/", typed, re.I):
        return None
    parts = _DETAIL.split(typed, maxsplit=1)
    if len(parts) < 2 or not parts[0].strip():
        return None
    # A figure in the detail must describe another thing ("a 1 year cliff": figure, unit and
    # noun); a bare second figure ("4 years, maybe 5") is a second guess.
    for m in re.finditer(r"\d[\d.,]*", parts[1]):
        after = re.split(r"[,;.]", parts[1][m.end():], maxsplit=1)[0]
        if len(re.findall(r"[^\W\d_]+", after)) < 2:
            return None
    return parse_quantity(parts[0])


# Words that wrap an answer at its start or end and say nothing about it.
_LEAD_WORDS = frozenset("""i think believe guess its it is thats that s the a an answer
would be say id im called known as maybe probably perhaps possibly pretty sure um uh hmm
well so basically essentially""".split())
_TAIL_WORDS = frozenset("i think believe guess maybe probably perhaps im sure".split())


def _unwrap(typed: str) -> str:
    """`typed` without the hedges around it ("I think it's X", "X I believe"), or as it is."""
    words = typed.split()

    def key(word: str) -> str:
        return re.sub(r"[^\w]", "", fold(word).replace("'", "").replace("’", ""))

    start, end = 0, len(words)
    while start < end and key(words[start]) in _LEAD_WORDS:
        start += 1
    while end > start and key(words[end - 1]) in _TAIL_WORDS:
        end -= 1
    if start == 0 and end == len(words) or start == end:
        return typed
    core = " ".join(words[start:end]).strip(" ,.;:?!")
    return core or typed


# Words that open a reason or a gloss after the answer ("X, because ...", "X, i.e. ...").
_REASON_OPENERS = frozenset("""because since as so which where meaning ie eg like aka i.e. e.g.
due given when it its they this these""".split())


# A reason that hedges towards another answer: "X, but maybe Y", "X, or Y", "X, could be Y".
_SECOND_GUESS = re.compile(r"\bor\b|\?|\beither\b|\bmaybe\b|\bperhaps\b|\bpossibly\b|"
                           r"\bmight\b|\bcould\b|\bunless\b|\balso\b", re.I)


def _lead(typed: str) -> tuple[str, str] | None:
    """An answer split into its leading term and the reason or gloss after it: after a comma, a
    dash, a colon or inside brackets, when that part is a gloss (in brackets, opened by
    "because", "i.e." ..., or a clause of three words or more) and no second guess ("or",
    "?"). None when the answer has no such shape."""
    m = re.match(r"^\s*([^,;:()\-\u2013\u2014]+?)\s*(?:\(([^()]+)\)\s*$|(?:,|;|:|\s[-\u2013\u2014]+\s)"
                 r"\s*(.+)$)", typed)
    if not m:
        return None
    head = m.group(1).strip()
    reason = (m.group(2) or m.group(3) or "").strip()
    if len(re.findall(r"[^\W\d_]", head)) < 2:
        return None  # "O (n log n)": a notation, not a term and its gloss
    if not reason or _SECOND_GUESS.search(reason):
        return None
    if re.search(r"[,;(]", reason):
        return None  # "loss function, data labeling, latency budget": a list, not a reason
    words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", reason)
    bracketed = m.group(2) is not None
    opener = words[0].casefold() if words else ""
    if not bracketed and opener not in _REASON_OPENERS and len(content_words(reason)) < 3:
        return None  # "data drift, concept drift": a second candidate, not a reason
    return head, reason


_NAMING = re.compile(r"^(.+?)[,;:]?\s+(?:i\.?\s?e\.?|aka|a\.k\.a\.?|that is|that's|"
                     r"thats|which is|known as|called|so it's|so its)\s+(?:called\s+)?(.+?)[.!]?$",
                     re.I)


def _named_after(typed: str) -> tuple[str, str] | None:
    """(gloss, term) of an answer that explains first and names the term last ("the mapping
    changed, i.e. concept drift"), or None."""
    m = _NAMING.match(typed.strip())
    if m is None or not m.group(1).strip() or not m.group(2).strip():
        return None
    return m.group(1), m.group(2)


_BLANK = re.compile(r"_{2,}|\.{3}|\u2026")
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")


def _blank_filled(typed: str, prompt: str) -> str | None:
    """The answer without the prompt's words around its blank that it repeats ("the negative
    gradient" for "steps in the direction of the ___ gradient" is "negative"), or None when it
    repeats none or nothing is left."""
    parts = _BLANK.split(prompt)
    if len(parts) != 2:
        return None
    before = [w.casefold() for w in _WORD.findall(parts[0])][-2:]
    after = [w.casefold() for w in _WORD.findall(parts[1])][:2]
    words = _WORD.findall(typed)
    lowered = [w.casefold() for w in words]
    start, end = 0, len(words)
    for n in (2, 1):  # the longest run of the prompt's words next to the blank
        if n <= len(before) and lowered[:n] == before[-n:]:
            start = n
            break
    for n in (2, 1):
        if n <= len(after) and lowered[end - n:] == after[:n] and end - n > start:
            end -= n
            break
    if (start, end) == (0, len(words)) or start >= end:
        return None
    return " ".join(words[start:end])


def _paren_forms(text: str) -> list[str]:
    """A text, and with a parenthesised part, the text without it and each part alone
    ("Minimum Detectable Effect (MDE)")."""
    inner = [g.strip() for g in re.findall(r"\(([^()]*)\)", text) if g.strip()]
    if not inner:
        return [text]
    base = re.sub(r"\s+", " ", re.sub(r"\([^()]*\)", " ", text)).strip()
    return [text, *([base] if base else []), *inner]


def _pasted(typed: str, prompt: str) -> bool:
    """True when every content word of `typed` is one of the prompt's own words."""
    if not prompt:
        return False
    # every word but fillers ("I think it's RLHF" is RLHF), except question words: "the how
    # question" says "how", which the prompt does not
    mine = [w for w in all_words(typed) if w in QUESTION_WORDS
            or w not in FUNCTION_WORDS and w not in HEDGES]
    theirs = set(all_words(prompt)) | {w.casefold() for w in prompt.split()}
    return bool(mine) and all(w in theirs for w in mine)


def _shows_keywords(typed: str, spec: Spec) -> bool:
    """True when `typed` holds every keyword (one of each "a|b"), none of them negated, and
    more than the prompt's own words."""
    if negated(typed, " ".join(spec.expected + spec.accept)) or _pasted(typed, spec.prompt):
        return False
    if re.search(r"\bor\b|\?", typed, re.I):
        return False  # guessing between ideas does not show one
    for keyword in spec.keywords:
        alternatives = [k.strip() for k in keyword.split("|") if k.strip()]
        if not any(mentions(typed, k) for k in alternatives):
            return False
    return True
