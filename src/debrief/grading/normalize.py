"""Text normalisation for grading: cleaning hostile input, folding case and accents, word forms."""

from __future__ import annotations

import html
import re
import unicodedata

# Longest answer the grader looks at; anything past it cannot make a short answer right.
MAX_CHARS = 2000

# A whole ANSI escape sequence (CSI, OSC, or a two-byte escape), removed before the lone bytes.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
# C0 and C1 control characters except tab and newline; also DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,200}>|<!--.*?-->", re.S)
_BR = re.compile(r"<\s*(?:br|/p|/div|/li)\s*/?\s*>", re.I)
_SPACES = re.compile(r"[^\S\n]+")

# Answers that say "I don't know" rather than answer.
NON_ANSWERS = frozenset({
    "idk", "i dont know", "i do not know", "dont know", "dunno", "no idea", "not sure", "no clue",
    "pass", "skip", "na", "n a", "none", "nothing", "unknown", "i have no idea",
    "?", "??", "???", "-", "--", "...", "…",
})


def clean(text: object) -> str:
    """Make any input safe text: decode HTML, drop tags, escapes, control and invisible characters.

    Keeps newlines (a list answer may be one item a line); collapses other runs of spaces; caps
    the length at MAX_CHARS. Never raises.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text[: MAX_CHARS * 4]
    text = _ANSI.sub("", text)
    if "<" in text:
        text = _BR.sub("\n", text)
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    # Format characters (zero-width spaces and joiners, bidi overrides, soft hyphens) and lone
    # surrogates, which cannot even be written out as UTF-8.
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cs"))
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()[:MAX_CHARS]


_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-",
                         "−": "-", "‘": "'", "’": "'", "ʼ": "'", "“": '"', "”": '"',
                         "×": "x", "⁄": "/", "∕": "/", "＆": "&"})


def strip_accents(text: str) -> str:
    """`text` with diacritics removed (naïve -> naive) and compatibility forms unfolded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Case- and accent-insensitive form of cleaned text, with dashes and quotes made plain."""
    return strip_accents(text.translate(_DASHES)).casefold()


def is_non_answer(text: str) -> bool:
    """True for an empty answer or one that says "I don't know" ("idk", "?", "pass" ...)."""
    folded = fold(clean(text))
    if not re.search(r"[^\W_]", folded):
        return True
    key = " ".join(re.findall(r"[^\W_]+", folded.replace("'", "")))
    return key in NON_ANSWERS or folded.strip() in NON_ANSWERS


# ----------------------------------------------------------------------------- word forms

# British spellings that no suffix rule catches.
_BRITISH = {
    "behaviour": "behavior", "behaviours": "behaviors", "behavioural": "behavioral",
    "colour": "color", "colours": "colors", "favour": "favor", "favourite": "favorite",
    "flavour": "flavor", "honour": "honor", "labour": "labor", "neighbour": "neighbor",
    "rumour": "rumor", "humour": "humor", "vapour": "vapor", "harbour": "harbor",
    "endeavour": "endeavor", "centre": "center", "centres": "centers", "metre": "meter",
    "litre": "liter", "fibre": "fiber", "theatre": "theater", "judgement": "judgment",
    "judgements": "judgments", "acknowledgement": "acknowledgment", "catalogue": "catalog",
    "dialogue": "dialog", "analogue": "analog", "programme": "program", "programmes": "programs",
    "licence": "license", "defence": "defense", "offence": "offense", "grey": "gray",
    "tonne": "ton", "cheque": "check", "enrol": "enroll", "enrolment": "enrollment",
    "fulfil": "fulfill", "fulfilment": "fulfillment", "skilful": "skillful", "ageing": "aging",
    "percent": "percent", "modeller": "modeler", "travelled": "traveled", "cancelled": "canceled",
    "aluminium": "aluminum", "artefact": "artifact", "artefacts": "artifacts",
}
_BRITISH_SUFFIX = [
    (re.compile(r"^(.{3,})is(e|es|ed|ing|er|ers|ation|ations|ational|able)$"), r"\1iz\2"),
    (re.compile(r"^(.{2,})ys(e|es|ed|ing|er|ers)$"), r"\1yz\2"),
    (re.compile(r"^(.{2,}[^l])ell(ing|ed|er|ers)$"), r"\1el\2"),
]
# Words ending in -ise that are spelt that way in American English too.
_ISE_WORDS = frozenset({
    "exercise", "advise", "otherwise", "wise", "rise", "noise", "expertise", "promise", "premise",
    "enterprise", "compromise", "surprise", "franchise", "concise", "precise", "paradise",
    "merchandise", "advertise", "supervise", "televise", "improvise", "revise", "devise",
    "comprise", "disguise", "despise", "raise", "praise", "cruise", "bruise", "arise",
    "treatise", "demise", "incise", "excise", "chastise", "clockwise", "likewise", "reprise",
    "circumcise", "franchising", "merchandising", "advertising", "supervised", "supervising",
    "unsupervised", "supervisor", "supervision", "advised", "advising", "revised", "revising",
    "devised", "raised", "raising", "praised", "promised", "surprised", "surprising",
    "exercised", "exercising", "compromised", "comprised", "improvised", "noisy", "precisely",
    "advertiser", "advertisers", "adviser", "advisers", "supervisors", "premises", "promises",
    "exercises", "enterprises", "surprises", "franchises", "compromises", "rises", "raises",
    "cruises", "analysis", "paralysis", "catalysis", "dialysis", "hydrolysis", "electrolysis",
})

# Irregular plurals and the singular they stand for.
_IRREGULAR = {
    "matrices": "matrix", "indices": "index", "vertices": "vertex", "criteria": "criterion",
    "phenomena": "phenomenon", "analyses": "analysis", "hypotheses": "hypothesis",
    "axes": "axis", "people": "person", "children": "child", "theses": "thesis",
    "appendices": "appendix", "bases": "basis", "crises": "crisis", "diagnoses": "diagnosis",
    "mice": "mouse", "feet": "foot", "teeth": "tooth", "men": "man", "women": "woman",
    "series": "series", "species": "species", "news": "news", "gas": "gas", "bus": "bus",
    "data": "data", "this": "this", "his": "his", "has": "has", "was": "was", "does": "does",
    "is": "is", "its": "its", "us": "us", "yes": "yes", "lens": "lens", "plus": "plus",
    "minus": "minus", "bonus": "bonus", "status": "status", "focus": "focus", "corpus": "corpus",
    "virus": "virus", "campus": "campus", "consensus": "consensus", "alias": "alias",
    "atlas": "atlas", "canvas": "canvas", "always": "always", "perhaps": "perhaps",
    "whereas": "whereas", "across": "across", "versus": "versus", "chaos": "chaos",
    "thus": "thus", "less": "less", "unless": "unless", "bias": "bias", "ethos": "ethos",
}


def british_to_american(word: str) -> str:
    """American spelling of a folded word ("tokenisation" -> "tokenization"), else the word."""
    if word in _BRITISH:
        return _BRITISH[word]
    if len(word) < 6 or word in _ISE_WORDS:
        return word
    for pattern, repl in _BRITISH_SUFFIX:
        new = pattern.sub(repl, word)
        if new != word:
            return new
    return word


_AMERICAN = {v: k for k, v in _BRITISH.items() if k != v}
_AMERICAN_SUFFIX = [
    (re.compile(r"^(.{3,})iz(e|es|ed|ing|er|ers|ation|ations|ational|able)$"), r"\1is\2"),
    (re.compile(r"^(.{2,})yz(e|es|ed|ing|er|ers)$"), r"\1ys\2"),
    (re.compile(r"^(.{2,}[^l])el(ing|ed|er|ers)$"), r"\1ell\2"),
]


def british_variants(word: str) -> set[str]:
    """British spellings of an American word ("behavior" -> {"behaviour"}), for typo checks."""
    out = set()
    if word in _AMERICAN:
        out.add(_AMERICAN[word])
    for pattern, repl in _AMERICAN_SUFFIX:
        new = pattern.sub(repl, word)
        if new != word:
            out.add(new)
    return out


def singular(word: str) -> str:
    """Singular of a folded English word, by rule; unchanged when unsure ("bias" stays)."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) < 4 or not word.isalpha() or not word.endswith("s"):
        return word
    if word.endswith(("ss", "us", "is", "ous", "ias")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if word.endswith("ses") and word[:-2].endswith(("ias", "us", "ss")):
        return word[:-2]
    return word[:-1]


def ing_stem(word: str) -> str:
    """A rough stem for word-form comparison: "testing" -> "test", "tuning"/"tune" -> "tun"."""
    w = word
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if len(w) >= 3 and w[-1] == w[-2] and w[-1] not in "aeiousl":
                w = w[:-1]
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


# Number words, read inside text answers ("type one error", "tier one").
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6"}
# Words after which a lone roman numeral is a number ("type II", "phase III").
ROMAN_CONTEXT = frozenset({"type", "phase", "tier", "level", "stage", "class", "step", "part",
                           "gen", "generation", "series", "world", "war", "grade", "category"})

# Short forms people type for whole words; both sides of a comparison are mapped.
ALIASES = {
    "db": "database", "dbs": "database", "comp": "compensation", "eng": "engineering",
    "infra": "infrastructure", "app": "application", "apps": "application",
    "sec": "second", "secs": "second", "hr": "hour", "hrs": "hour", "repo": "repository",
    "config": "configuration", "prod": "production", "env": "environment",
    "eval": "evaluation", "evals": "evaluation", "perf": "performance", "info": "information",
    "stats": "statistics", "algo": "algorithm", "algos": "algorithm", "param": "parameter",
    "params": "parameter", "hyperparam": "hyperparameter", "hyperparams": "hyperparameter",
    "fn": "function", "func": "function", "net": "network", "nets": "network",
    "avg": "average", "max": "maximum", "approx": "approximately", "vs": "versus",
    "v": "versus", "w": "with", "pct": "percent", "mgmt": "management", "mgr": "manager",
    "dept": "department", "govt": "government", "req": "request", "reqs": "request",
    "msg": "message", "msgs": "message", "doc": "document", "docs": "document",
    # ML and product jargon (an alias of two words stands for both)
    "backprop": "backpropagation", "norm": "normalization", "batchnorm": "batch normalization",
    "layernorm": "layer normalization", "ux": "user experience", "ui": "user interface",
    "tech": "technical", "math": "mathematical", "maths": "mathematical",
}
