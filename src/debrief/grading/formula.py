"""Formulas read as operands and operators, so a formula said in words or initials matches."""

from __future__ import annotations

import re

from debrief.grading.normalize import fold

# Spoken operators ("TP over TP plus FP") and their symbols.
_SPOKEN = ((r"\bdivided\s+by\b", "/"), (r"\bover\b", "/"), (r"\bplus\b", "+"),
           (r"\bminus\b", "-"), (r"\bmultiplied\s+by\b", "*"), (r"\btimes\b", "*"),
           (r"\s[x×]\s", " * "), ("×", "*"), ("÷", "/"))
_OPERATORS = "+-*/"
_TOKEN = re.compile(r"[+\-*/]|[^\W_]+(?:\s+[^\W_]+)*")


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def tokens(text: str, typed: bool = False) -> list[str] | None:
    """The formula in `text` as operands and operators, or None when it is no formula (fewer
    than two operators between operands). `typed`: a name before "=" ("precision = ...") and a
    remark after a comma ("..., aka sensitivity") are not part of it."""
    s = fold(text)
    if typed:
        s = re.split(r"[,;]", s, maxsplit=1)[0]
        if s.count("=") == 1:
            s = s.split("=", 1)[1]
    elif "=" in s:
        return None
    s = re.sub(r"(?<=[^\W_])-(?=[^\W_])", " ", s)  # a hyphen inside a word is no minus
    if not re.search(r"[+*×÷]", s):  # "A/B test": one word, unless among other operators
        s = re.sub(r"(?<![^\W_])([^\W_])/([^\W_])(?![^\W_])", r"\1\2", s)
    for pattern, op in _SPOKEN:
        s = re.sub(pattern, op, s)
    s = s.replace("(", " ").replace(")", " ")  # grouping is read, not checked, when spoken
    out: list[str] = []
    for m in _TOKEN.finditer(s):
        tok = m.group(0)
        if tok in _OPERATORS:
            out.append(tok)
        else:
            out.append(" ".join(_singular(w) for w in tok.split()))
    # two operators at least: one is a ratio or range of words ("15-20%", "precision/recall")
    if sum(1 for t in out if t in _OPERATORS) < 2:
        return None
    # operands and operators alternate, the formula starting and ending with an operand
    for i, tok in enumerate(out):
        if (i % 2 == 1) != (tok in _OPERATORS):
            return None
    if len(out) % 2 == 0:
        return None
    return out


def _initials(operand: str) -> str:
    return "".join(w[0] for w in operand.split())


def _same_operand(typed: str, want: str) -> bool:
    """Equal, or one is the other's initials ("tp" / "true positive", "r" / "reach")."""
    if typed == want:
        return True
    a, b = typed.replace(" ", ""), want.replace(" ", "")
    if len(typed.split()) > 1 and _initials(typed) == b:
        return True
    if len(want.split()) > 1 and _initials(want) == a:
        return True
    # one letter for a one-word operand ("R" for reach), never for a figure
    return (len(a) == 1 and a.isalpha() and " " not in want and b[:1] == a
            or len(b) == 1 and b.isalpha() and " " not in typed and a[:1] == b)


def same_formula(typed: str, expected: str) -> bool:
    """True when `typed` writes the formula `expected` with the same operators and operands,
    in words or initials (grouping brackets are not checked: a spoken formula has none)."""
    want = tokens(expected)
    have = tokens(typed, typed=True)
    if want is None or have is None or len(want) != len(have):
        return False
    return all(h == w if w in _OPERATORS else _same_operand(h, w)
               for h, w in zip(have, want, strict=True))
