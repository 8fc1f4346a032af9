"""Figures: read "$420k", "15-20%", "three seconds", "2x"; compare values and units exactly."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from debrief.grading.normalize import NUMBER_WORDS, clean, fold, singular

_MAGNITUDES = {
    "k": Decimal(10) ** 3, "thousand": Decimal(10) ** 3, "grand": Decimal(10) ** 3,
    "m": Decimal(10) ** 6, "mm": Decimal(10) ** 6, "mn": Decimal(10) ** 6,
    "million": Decimal(10) ** 6, "b": Decimal(10) ** 9, "bn": Decimal(10) ** 9,
    "billion": Decimal(10) ** 9, "t": Decimal(10) ** 12, "tn": Decimal(10) ** 12,
    "trillion": Decimal(10) ** 12,
}
_HUNDRED = Decimal(100)
# Time units in seconds.
_TIME = {
    "ns": Decimal("1e-9"), "nanosecond": Decimal("1e-9"), "nanoseconds": Decimal("1e-9"),
    "us": Decimal("1e-6"), "µs": Decimal("1e-6"), "μs": Decimal("1e-6"),
    "microsecond": Decimal("1e-6"), "microseconds": Decimal("1e-6"),
    "ms": Decimal("0.001"), "msec": Decimal("0.001"), "msecs": Decimal("0.001"),
    "millisecond": Decimal("0.001"), "milliseconds": Decimal("0.001"),
    "s": Decimal(1), "sec": Decimal(1), "secs": Decimal(1), "second": Decimal(1),
    "seconds": Decimal(1), "min": Decimal(60), "mins": Decimal(60), "minute": Decimal(60),
    "minutes": Decimal(60), "h": Decimal(3600), "hr": Decimal(3600), "hrs": Decimal(3600),
    "hour": Decimal(3600), "hours": Decimal(3600), "d": Decimal(86400), "day": Decimal(86400),
    "days": Decimal(86400), "week": Decimal(604800), "weeks": Decimal(604800),
    "wk": Decimal(604800), "wks": Decimal(604800), "month": Decimal(2629800),
    "months": Decimal(2629800), "year": Decimal(31557600), "years": Decimal(31557600),
    "yr": Decimal(31557600), "yrs": Decimal(31557600),
}
_CURRENCY = {"$": "$", "usd": "$", "dollar": "$", "dollars": "$", "bucks": "$", "€": "€",
             "eur": "€", "euro": "€", "euros": "€", "£": "£", "gbp": "£", "pound": "£",
             "pounds": "£"}
_SYMBOLS = frozenset({"$", "€", "£"})
_PERCENT = {"%", "percent", "pct", "percentage", "percentages"}
_TIMES = {"x", "times", "fold"}
# Words after a figure that are not its unit.
_NOT_UNITS = frozenset({
    "to", "and", "or", "between", "from", "of", "in", "per", "a", "an", "the", "more", "less",
    "higher", "lower", "increase", "decrease", "increases", "decreases", "increased",
    "decreased", "up", "down", "over", "under", "above", "below", "than", "at", "least", "most",
    "about", "around", "roughly", "approximately", "approx", "plus", "is", "are", "was",
    "it", "that", "this", "on", "for", "by", "with", "better", "worse", "faster", "slower",
    "drop", "rise", "gain", "loss", "growth", "improvement", "reduction", "premium", "cut",
    "boost", "lift", "range", "total", "each", "every", "annually", "yearly", "overall",
    "approximate", "ish", "max", "min", "maximum", "minimum", "only", "just",
})
_LOWER_BOUND = re.compile(r"(?:\bover\b|\bmore than\b|\bat least\b|\babove\b|>=?|≥|"
                          r"\bupwards of\b|\bnorth of\b|\bexceeding\b|\bminimum of\b)")
_UPPER_BOUND = re.compile(r"(?:\bunder\b|\bless than\b|\bat most\b|\bbelow\b|<=?|≤|\bup to\b|"
                          r"\bmaximum of\b|\bno more than\b)")

_NUM = re.compile(
    r"(?P<neg>-\s*)?(?P<cur>[$€£])?\s?(?P<xpre>(?<![a-z])x\s?)?"
    r"(?P<num>\d{1,3}(?:(?:,|\s)\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:\s?/\s?(?P<den>\d{1,6})(?![\d.]))?"
    r"(?:\s?(?P<mag>thousand|grand|million|billion|trillion|mm|mn|bn|tn|[kmbt])(?![a-z]))?"
    r"(?:\s?(?P<unit>%|percent(?:age)?s?|per\s?cent|pct|x(?![a-z])|times\b|fold\b|"
    r"nanoseconds?|ns(?![a-z])|microseconds?|[uµμ]s(?![a-z])|milliseconds?|msecs?|ms(?![a-z])|seconds?|secs?|s(?![a-z])|minutes?|mins?|"
    r"hours?|hrs?|h(?![a-z])|days?|d(?![a-z])|weeks?|wks?|months?|years?|yrs?|"
    r"dollars?|usd|bucks|euros?|eur|pounds?|gbp|[$€£]))?"
    r"(?P<plus>\s?\+)?"
)
_WORD_AFTER = re.compile(r"\s*([a-z][a-z-]*)")
_RANGE_SEP = re.compile(r"^\s*(?:-|to|through|thru|and|or so to)\s*$")
_NUMBER_WORD = re.compile(
    r"\b(?:(?:a|one)\s+(?:half|quarter|third)|half|quarter|twice|double|triple|thrice|"
    r"quadruple|a\s+dozen|dozen|"
    r"(?:(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fourty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred|a hundred|thousand|million|billion)"
    r"(?:[\s-]+(?:and\s+)?(?=[a-z]))?)+)\b"
)
_SCALE_WORDS = {"thousand": 10**3, "million": 10**6, "billion": 10**9}


@dataclass(frozen=True)
class Quantity:
    """A figure as read: one value or a range, its unit and whether it is a bound ("20k+")."""

    low: Decimal
    high: Decimal
    unit: str | None = None  # "%", "$", "€", "£", "x", "s" (time, in seconds), or a noun
    bound: str | None = None  # "min" for "20k+", "over 20k"; "max" for "under 20k"
    written_low: Decimal | None = None  # the value in the unit written (300 for "300 ms")
    written_high: Decimal | None = None

    @property
    def is_range(self) -> bool:
        return self.low != self.high


def _word_value(words: str) -> Decimal | None:
    words = words.strip().replace("-", " ")
    special = {"half": "0.5", "one half": "0.5", "a half": "0.5", "dozen": "12", "a dozen": "12",
               "quarter": "0.25", "a quarter": "0.25", "one quarter": "0.25"}
    if words in special:
        return Decimal(special[words])
    total, current, seen = 0, 0, False
    for w in words.split():
        if w in ("and", "a"):
            if w == "a":
                current = max(current, 1)
            continue
        if w in NUMBER_WORDS:
            current += NUMBER_WORDS[w]
            seen = True
        elif w == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif w in _SCALE_WORDS:
            total += max(current, 1) * _SCALE_WORDS[w]
            current = 0
            seen = True
        else:
            return None
    return Decimal(total + current) if seen else None


_FOLD = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|hundred|thousand)fold\b")
_AND_A_HALF = re.compile(r"\b(\d+|[a-z]+)\s+and\s+a\s+half\b")
_ONE_UNIT = re.compile(r"\b(?:a|an|one)\s+(second|minute|hour|day|week|month|year|"
                       r"millisecond|thousand|million|billion)\b")


def _words_to_digits(text: str) -> str:
    text = _FOLD.sub(lambda m: f"{_word_value(m.group(1))}x", text)
    text = _ONE_UNIT.sub(lambda m: f"1 {m.group(1)}", text)

    def half(m: re.Match[str]) -> str:
        whole = m.group(1)
        value = Decimal(whole) if whole.isdigit() else _word_value(whole)
        return f"{value + Decimal('0.5')}" if value is not None else m.group(0)

    text = _AND_A_HALF.sub(half, text)

    def repl(m: re.Match[str]) -> str:
        word = m.group(0).strip()
        if word in ("twice", "double"):
            return "2x"
        if word in ("triple", "thrice"):
            return "3x"
        if word == "quadruple":
            return "4x"
        if word in ("thousand", "million", "billion"):
            return m.group(0)  # a magnitude after digits ("20 thousand")
        value = _word_value(word)
        if value is None:
            return m.group(0)
        tail = " " if m.group(0).endswith(" ") else ""
        return f"{value}{tail}"

    return _NUMBER_WORD.sub(repl, text)


def _to_decimal(num: str) -> Decimal | None:
    digits = re.sub(r"[,\s]", "", num)
    if len(digits) > 40:
        return None
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


@dataclass
class _Figure:
    value: Decimal
    start: int
    end: int
    neg: bool  # written with a leading "-": a minus sign, or a range's dash
    currency: str | None
    mag: Decimal | None
    unit: str | None
    factor: Decimal
    plus: bool
    noun: str | None


def _unit_of(unit: str | None, cur: str | None) -> tuple[str | None, Decimal]:
    if cur:
        return _CURRENCY[cur], Decimal(1)
    if unit is None:
        return None, Decimal(1)
    u = re.sub(r"\s", "", unit)
    if u in _PERCENT or u.startswith("percent") or u == "percent":
        return "%", Decimal(1)
    if u in _TIMES:
        return "x", Decimal(1)
    if u in _TIME:
        return "s", _TIME[u]
    if u in _CURRENCY:
        return _CURRENCY[u], Decimal(1)
    return None, Decimal(1)


def _figures(text: str) -> list[_Figure]:
    figures: list[_Figure] = []
    for m in _NUM.finditer(text):
        value = _to_decimal(m.group("num"))
        if value is None:
            continue
        if m.group("den"):
            den = Decimal(m.group("den"))
            if den == 0:
                continue
            value = value / den
        unit_word = m.group("unit")
        unit, factor = _unit_of(unit_word, m.group("cur"))
        if unit is None and m.group("xpre"):
            unit = "x"
        if unit_word in _CURRENCY and not m.group("cur"):
            unit = _CURRENCY[unit_word]
        mag = _MAGNITUDES.get(m.group("mag")) if m.group("mag") else None
        noun = None
        if unit is None:
            after = _WORD_AFTER.match(text, m.end())
            if after and after.group(1) not in _NOT_UNITS and len(after.group(1)) > 1:
                word = after.group(1)
                noun = singular(word) if word not in _CURRENCY else None
                if word in _CURRENCY:
                    unit = _CURRENCY[word]
        dash = bool(m.group("neg"))
        figures.append(_Figure(value, m.start(), m.end(), dash, unit if unit in _SYMBOLS else None,
                               mag, unit, factor, bool(m.group("plus")), noun))
    return figures


_QUALIFIERS = frozenset({"between", "over", "more", "than", "at", "least", "above", "under",
                         "less", "below", "most", "up", "to", "about", "around", "roughly",
                         "approximately", "approx", "circa", "nearly", "almost", "some", "ish",
                         "and", "upwards", "of", "north", "exceeding", "minimum", "maximum",
                         "no", "thru", "through", "per", "cent"})


def _only_figures(text: str, figures: list[_Figure]) -> bool:
    """True when nothing but figures, their units and qualifiers is written ("GPT-4o" is not)."""
    rest = text
    for f in reversed(figures):
        rest = rest[: f.start] + " " + rest[f.end:]
    nouns = {f.noun for f in figures if f.noun}
    for word in re.findall(r"[^\W\d_]+", rest):
        if word in _QUALIFIERS or word in _NOT_UNITS or singular(word) in nouns:
            continue
        return False
    return True


def parse_quantity(text: object, strict: bool = False) -> Quantity | None:
    """Read one figure or one range from `text`; None if there is none, or more than one.

    With `strict`, words other than units and qualifiers ("about", "over", "between") make it
    no figure: "GPT-4o" and "Claude 3.5" are names, not numbers.

    Understands currency ($, €, £, "dollars"), magnitudes (k, M, B, thousand, million),
    percents, multipliers (2x, twice), times (ms, s, minutes ... converted to seconds),
    ranges ("15-20%", "15 to 20 percent", "between 15 and 20%"), lower bounds ("$20K+",
    "over $20k") and number words ("ten percent").
    """
    t = fold(clean(text)).replace("\n", " ")
    if len(t) > 300:
        return None
    t = re.sub(r"\bper\s+cent\b", "percent", t)
    t = _words_to_digits(t)
    t = _DECIMAL_COMMA.sub(lambda m: m.group(1).replace(",", "."), t)
    figures = _figures(t)
    if not figures or len(figures) > 2:
        return None
    if strict and not _only_figures(t, figures):
        return None
    bound = None
    head = t[: figures[0].start]
    if _LOWER_BOUND.search(head) or figures[-1].plus:
        bound = "min"
    elif _UPPER_BOUND.search(head):
        bound = "max"
    if len(figures) == 2:
        sep = t[figures[0].end: figures[1].start]
        if not _RANGE_SEP.match(sep) and not (sep.strip() == "-" or sep.strip() == ""):
            return None
        if sep.strip() in ("and",) and "between" not in head:
            return None
        if sep.strip() == "" and not figures[1].neg:
            return None
        a, b = figures
        if sep.strip() == "" and b.neg:
            b.neg = False
        # Units and magnitudes written once apply to both ends ("420-650k", "15 to 20%").
        if a.unit is None and b.unit is not None:
            a.unit, a.factor, a.currency = b.unit, b.factor, b.currency
        if b.unit is None and a.unit is not None:
            b.unit, b.factor, b.currency = a.unit, a.factor, a.currency
        if a.mag is None and b.mag is not None:
            a.mag = b.mag
        if a.noun is None:
            a.noun = b.noun
        if b.noun is None:
            b.noun = a.noun
    if len(figures) == 1 and figures[0].neg and t[: figures[0].start].strip():
        figures[0].neg = False  # "top-5": a dash inside words, not a minus sign
    ends = []
    with localcontext() as ctx:
        ctx.prec = 60
        for f in figures:
            written = f.value * (f.mag or 1)
            if f.neg:
                written = -written
            ends.append((written * f.factor, written))
    unit = figures[0].unit or figures[-1].unit or figures[0].noun or figures[-1].noun
    if figures[0].unit and figures[-1].unit and figures[0].unit != figures[-1].unit:
        return None
    (low, wlow), (high, whigh) = ends[0], ends[-1]
    if low > high:
        (low, wlow), (high, whigh) = (high, whigh), (low, wlow)
    return Quantity(low, high, unit, bound, wlow, whigh)


UNIT_NAMES = {"%": "percent", "$": "dollars", "€": "euros", "£": "pounds", "x": "a multiple",
              "s": "a time"}


def unit_name(unit: str | None) -> str:
    """How a unit reads in feedback."""
    if unit is None:
        return "no unit"
    return UNIT_NAMES.get(unit, unit)


_KNOWN_UNITS = {"%", "$", "€", "£", "x", "s"}


# A comma between digits that is no thousands separator: a decimal comma ("1,96", "0,05").
# ("0,333" too: no thousands start with 0).
_DECIMAL_COMMA = re.compile(r"(?<![\d.,])(\d+,\d{1,2}|0,\d+)(?![\d]|[.,]\d)")


def _rounded(expected: Decimal, given: Decimal) -> bool:
    """True when `given` is `expected` rounded to fewer decimals, keeping two significant
    digits at least and within 1% ("0.67" for 0.667; not "1" for 0.667, nor "2.0" for 1.96)."""
    exp_exponent, exponent = expected.as_tuple().exponent, given.as_tuple().exponent
    if not isinstance(exp_exponent, int) or not isinstance(exponent, int):
        return False  # an infinity or NaN
    exp_places, places = -exp_exponent, -exponent
    if places < 0 or places >= exp_places:
        return False
    digits = given.as_tuple().digits
    significant = len(digits) - next((i for i, d in enumerate(digits) if d), len(digits))
    if significant < 2 or not expected or abs(expected - given) > abs(expected) / 100:
        return False  # and within 1%: "2.0" is not 1.96
    step = Decimal(1).scaleb(-places)
    return expected.quantize(step, rounding=ROUND_HALF_UP) == given


def compare(expected: Quantity, given: Quantity) -> tuple[str, str]:
    """("correct" | "close" | "wrong", reason) for a figure against the expected one."""
    if expected.is_range and not given.is_range:
        return "wrong", "a range must match at both ends"
    if given.is_range and not expected.is_range:
        return "wrong", "the answer is one figure, not a range"
    if expected.bound != given.bound and given.bound is not None:
        return "wrong", "the bound differs"
    eu, gu = expected.unit, given.unit
    unit_missing = False
    if gu is None and eu is not None:
        unit_missing = True
        low_ok = given.low == expected.written_low
        high_ok = given.high == expected.written_high
        if eu == "%" and not (low_ok and high_ok):  # "half", "0.5" for 50%
            low_ok = given.low * _HUNDRED == expected.low
            high_ok = given.high * _HUNDRED == expected.high
            if low_ok and high_ok:
                return "close", "written as a fraction, not a percent"
    elif eu is None and gu == "%":  # "90%" for 0.9
        if given.low == expected.low * _HUNDRED and given.high == expected.high * _HUNDRED:
            return "close", "written as a percent, not a fraction"
        return "wrong", "the unit differs (percent given, none expected)"
    elif eu is None and gu is not None:
        if gu in _KNOWN_UNITS:
            return "wrong", f"the unit differs ({unit_name(gu)} given, none expected)"
        low_ok, high_ok = given.low == expected.low, given.high == expected.high
    else:
        if eu != gu:
            return "wrong", f"the unit differs ({unit_name(gu)} given, {unit_name(eu)} expected)"
        low_ok, high_ok = given.low == expected.low, given.high == expected.high
    if not (low_ok and high_ok):
        if expected.is_range and (low_ok or high_ok):
            return "wrong", "one end of the range differs"
        if not expected.is_range and eu == gu and _rounded(expected.low, given.low):
            return "close", "rounded"
        return "wrong", "the value differs"
    if unit_missing and eu in _KNOWN_UNITS:
        return "close", f"the unit is missing ({unit_name(eu)})"
    return "correct", ""
