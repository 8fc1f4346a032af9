"""The grader's lexicon: the field's abbreviations and synonyms, WordNet synonyms and word forms."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from debrief.grading.normalize import fold, ing_stem
from debrief.grading.terms import domain_words, english_words

# WordNet's rules for reading an inflected form back to its base (morphy), plus the adverb
# "-ly"; a base counts only when it is a known word.
_DETACH = (("ies", "y"), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"),
           ("shes", "sh"), ("men", "man"), ("es", "e"), ("es", ""), ("s", ""), ("ed", "e"),
           ("ed", ""), ("ing", "e"), ("ing", ""), ("ly", ""), ("ally", ""), ("ily", "y"),
           # a quality named after its adjective: "helpfulness", "honesty", "scarcity"
           ("ness", ""), ("iness", "y"), ("esty", "est"), ("ity", ""), ("ity", "e"),
           ("ility", "le"))
# Words whose WordNet synonyms are other measures or times ("second, minute, moment").
NO_SYNONYMS = frozenset("""
second seconds minute minutes hour hours day days week weeks month months year years moment
instant time first last high low higher lower top bottom left right up down
degree degrees level levels grade grades
""".split())
# Not "-er"/"-est": "higher" and "highest" are different answers to "which is higher?".
# Nor degree/level/grade: WordNet's first sense makes them one synset (a point on a scale), but
# in interviews and pay a degree is a diploma and a level a seniority band (L5): "a master's
# degree" is not "a Master's level understanding".


@dataclass(frozen=True)
class Lexicon:
    """Every table the meaning matcher reads, loaded once."""

    abbreviations: dict[str, tuple[tuple[str, ...], ...]]  # word -> expansions (as words)
    phrases: dict[tuple[str, ...], int]  # a synonym group member (as words) -> group number
    longest_phrase: int
    synsets: dict[str, frozenset[int]]  # word -> WordNet synset lines it shares
    families: dict[str, int]  # word -> WordNet word family
    irregular: dict[str, str]  # inflected form -> base ("went" -> "go")
    words: frozenset[str]  # WordNet's words (with the English word list: known base words)


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[^\W_]+", fold(text).replace("'", "")))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The loaded lexicon (a broken install gives an empty one rather than breaking grading)."""
    import gzip  # here, not at module level: importing the grader stays cheap
    from importlib import resources

    base = resources.files("debrief.grading").joinpath("data")
    abbreviations: dict[str, tuple[tuple[str, ...], ...]] = {}
    phrases: dict[tuple[str, ...], int] = {}
    try:
        field = tomllib.loads(base.joinpath("lexicon.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        field = {}
    for short, longs in field.get("abbreviations", {}).items():
        abbreviations[fold(short)] = tuple(_words(x) for x in longs)
    for n, group in enumerate(field.get("synonyms", {}).get("groups", [])):
        for member in group:
            phrases.setdefault(_words(member), n)
    synsets: dict[str, set[int]] = {}
    families: dict[str, int] = {}
    irregular: dict[str, str] = {}
    words: set[str] = set()
    try:
        raw = gzip.decompress(base.joinpath("wordnet.txt.gz").read_bytes()).decode("ascii")
    except (OSError, ValueError):
        raw = ""
    for n, line in enumerate(raw.splitlines()):
        kind, _tab, rest = line.partition("\t")
        parts = rest.split()
        if kind == "s":
            for w in parts[1:]:  # parts[0] is the part of speech
                synsets.setdefault(w, set()).add(n)
                words.add(w)
        elif kind == "f":
            for w in parts:
                families[w] = n
                words.add(w)
        elif kind == "x" and len(parts) == 2:
            irregular[parts[0]] = parts[1]
    return Lexicon(abbreviations, phrases, max((len(p) for p in phrases), default=1),
                   {w: frozenset(s) for w, s in synsets.items()}, families, irregular,
                   frozenset(words))


@lru_cache(maxsize=65536)
def base_forms(word: str) -> frozenset[str]:
    """The word and the base forms it may be an inflection of ("abandons" -> "abandon")."""
    lex = lexicon()
    english = english_words()
    out = {word}
    if word in lex.irregular:
        out.add(lex.irregular[word])
    if len(word) >= 4 and word.isalpha():
        for suffix, repl in _DETACH:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                stem = word[: -len(suffix)] + repl
                if len(stem) < 3:
                    continue
                if stem in lex.words or stem in english:
                    out.add(stem)
                # a doubled last consonant ("stopped" -> "stop")
                if suffix in ("ed", "ing") and len(stem) >= 4 \
                        and stem[-1] == stem[-2] and (stem[:-1] in lex.words
                                                      or stem[:-1] in english):
                    out.add(stem[:-1])
    return frozenset(out)


def _inflected(word: str, base: str) -> bool:
    """True when `word` is `base` with a plural, third-person or past ending."""
    return any(word == base + end or word == base[:-1] + end for end in ("s", "es", "ed", "d"))\
        and not word.endswith("ing")


@lru_cache(maxsize=65536)
def word_keys(word: str) -> frozenset[str]:
    """What a word may be matched by: its base forms, its word family, a rough stem, and
    (for words that are not terms of the trade) its WordNet synonyms. Two words match when
    their keys meet."""
    lex = lexicon()
    domain = domain_words()
    if word in domain or any(form in domain for form in base_forms(word)):
        # Terms of the trade keep their exact meaning: "modeling" is not "model", "encoding"
        # not "encoder"; their own forms are spelled out in the field's lexicon instead. Only
        # the inflections that keep the word's meaning meet: "-s" and "-ed" ("trusts",
        # "trusted" for "trust"), never "-ing" or "-er".
        return frozenset({word} | {form for form in base_forms(word) if form != word
                                   and _inflected(word, form)})
    out: set[str] = set()
    for form in base_forms(word):
        out.add(form)
        if form in lex.families:
            out.add(f"f{lex.families[form]}")
        if form not in NO_SYNONYMS and word not in NO_SYNONYMS:
            out.update(f"s{n}" for n in lex.synsets.get(form, ()))
    stem = ing_stem(word)
    if len(stem) >= 4 and word.isalpha():
        out.add(f"~{stem}")  # "finetune" / "finetuning", "train" / "training"
    return frozenset(out)
