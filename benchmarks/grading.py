"""Grading benchmark: the grader against two baselines on the labelled set, as a Markdown table.

Run: .venv/bin/python benchmarks/grading.py [--failures]

Accuracy is the share of labelled cases graded as a careful human labelled them (right means
"correct" or "close"); a false accept is a wrong answer graded right, a false reject a right
answer graded wrong (both as a share of all cases). The time is the median wall time of one
`Grader.grade` call over the set (after one warm-up pass).
"""

from __future__ import annotations

import statistics
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rapidfuzz import fuzz  # noqa: E402

from debrief.grading import Grader  # noqa: E402

CASES = ROOT / "tests" / "data" / "grading_cases.toml"
DEV2 = ROOT / "tests" / "data" / "grading_cases_dev2.toml"
ROUND1 = ROOT / "tests" / "data" / "blind_round1"  # the first blind set, now a dev set


def load_cases(path: Path = CASES, which: str | None = None) -> list[tuple[dict, str, bool]]:
    """(spec, answer, right) for every labelled case, or for one set ("dev" or "holdout")."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    cases = []
    for group in data["case"]:
        if which is not None and group.get("set", "dev") != which:
            continue
        for answer in group.get("right", []):
            cases.append((group["spec"], answer, True))
        for answer in group.get("wrong", []):
            cases.append((group["spec"], answer, False))
    return cases


def load_round1(path: Path) -> list[tuple[dict, str, bool]]:
    """(spec with the card's prompt, answer, right) for a blind_round1 file, graded as the
    review and quiz sessions grade (they pass the prompt)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [(dict(case["spec"], prompt=case["prompt"]), a["text"], a["right"])
            for case in data["case"] for a in case["answers"]]


def _accepted(spec: dict) -> list[str]:
    expected = spec["expected"]
    items = [", ".join(expected)] if isinstance(expected, list) else [expected]
    return items + list(spec.get("accept") or [])


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def exact_baseline(spec: dict, answer: str) -> bool:
    """Exact match after normalising case and spaces (Anki's type-in, made case-blind)."""
    return any(_norm(answer) == _norm(a) for a in _accepted(spec))


def ratio_baseline(spec: dict, answer: str) -> bool:
    """A plain fuzzy match: fuzz.ratio >= 80 against any accepted answer."""
    return any(fuzz.ratio(_norm(answer), _norm(a)) >= 80 for a in _accepted(spec))


def measure(cases: list[tuple[dict, str, bool]],
            judge: Callable[[dict, str], bool]) -> dict[str, float]:
    """Accuracy, false accepts, false rejects (shares of all cases) and median µs per answer."""
    for spec, answer, _right in cases:  # warm-up: caches, the word list
        judge(spec, answer)
    good = fa = fr = 0
    times = []
    for spec, answer, right in cases:
        start = time.perf_counter()
        said = judge(spec, answer)
        times.append(time.perf_counter() - start)
        if said == right:
            good += 1
        elif said:
            fa += 1
        else:
            fr += 1
    n = len(cases)
    return {"accuracy": good / n, "false_accepts": fa / n, "false_rejects": fr / n,
            "median_us": statistics.median(times) * 1e6, "fa": fa, "fr": fr, "n": n}


def table(title: str, cases: list[tuple[dict, str, bool]], grader: Grader) -> None:
    """Print one Markdown table: the grader and the two baselines on `cases`."""

    def debrief(spec: dict, answer: str) -> bool:
        return grader.grade(spec, answer).is_right

    rows = [("debrief grader", measure(cases, debrief)),
            ("exact (case and spaces normalised)", measure(cases, exact_baseline)),
            ("fuzz.ratio >= 80", measure(cases, ratio_baseline))]
    right = sum(1 for c in cases if c[2])
    print(f"**{title}**: {len(cases)} cases ({right} right, {len(cases) - right} wrong)\n")
    print("| grader | accuracy | false accepts | false rejects | median time / answer |")
    print("|---|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['accuracy']:.1%} | {r['false_accepts']:.2%} ({r['fa']}) | "
              f"{r['false_rejects']:.2%} ({r['fr']}) | {r['median_us']:.0f} µs |")
    print()


def main(argv: list[str]) -> int:
    grader = Grader()
    cases = load_cases()
    print(f"Labelled set: {CASES.relative_to(ROOT)}\n")
    table("All cases", cases, grader)
    table("Held-out cases (written blind, after the grader)", load_cases(which="holdout"),
          grader)
    table(f"Meaning-rule dev cases ({DEV2.relative_to(ROOT)}; tuned, not blind)",
          load_cases(DEV2), grader)
    for name in ("bundled", "own"):
        path = ROUND1 / f"{name}.toml"
        table(f"First blind set, now dev ({path.relative_to(ROOT)}; tuned on, not blind)",
              load_round1(path), grader)
    if "--failures" in argv:
        print()
        for spec, answer, right_label in cases:
            v = grader.grade(spec, answer)
            if v.is_right != right_label:
                kind = "FALSE ACCEPT" if v.is_right else "FALSE REJECT"
                print(f"{kind}: {spec.get('kind', 'text')} {spec['expected']!r} <- {answer!r}: "
                      f"{v.verdict} | {v.feedback}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
