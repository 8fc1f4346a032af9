"""Grade the blind sets' labelled answers: accuracy, false accepts, per kind and per category.

Usage: python benchmarks/grading_blind.py [-v] [--no-prompt] FILE.toml [FILE.toml ...]
  e.g. python benchmarks/grading_blind.py tests/data/blind_round2/*.toml
Each file holds [[case]] tables with `prompt`, `spec` and `answers` ({text, right, category}); the
sets in tests/data/blind_round*/ were written by sessions that never saw the grader, before it
first ran on them (their READMEs give the first-run figures). The card's prompt goes in the spec,
as the review and quiz sessions grade (`--no-prompt` leaves it out); `-v` lists every misgrade.
"""

from __future__ import annotations

import sys
import tomllib
from collections import defaultdict
from pathlib import Path

from debrief.grading import Grader


def evaluate(path: Path, grader: Grader,
             with_prompt: bool) -> list[tuple[str, str, bool, bool, dict, str]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rows = []
    for case in data["case"]:
        spec = dict(case["spec"])
        if spec.get("kind") == "recall":  # self-rated in debrief: nothing for the grader to judge
            print(f"{path}: {case['card']} skipped (recall cards are self-rated)")
            continue
        if with_prompt:  # as the review and quiz sessions grade: with the card's prompt
            spec["prompt"] = case["prompt"]
        for answer in case["answers"]:
            got = grader.grade(spec, answer["text"]).is_right
            rows.append((answer["category"], spec.get("kind", "text"), answer["right"], got, spec,
                         answer["text"]))
    return rows


def main(argv: list[str]) -> int:
    grader = Grader()
    verbose = "-v" in argv
    with_prompt = "--no-prompt" not in argv
    for name in [a for a in argv if not a.startswith("-")]:
        rows = evaluate(Path(name), grader, with_prompt)
        right = [r for r in rows if r[2]]
        wrong = [r for r in rows if not r[2]]
        ok = sum(1 for r in rows if r[2] == r[3])
        fa = sum(1 for r in wrong if r[3])
        fr = sum(1 for r in right if not r[3])
        print(f"{name}: {len(rows)} answers, accuracy {ok / len(rows):.1%}, "
              f"false accepts {fa}/{len(wrong)} ({fa / len(wrong):.1%} of wrong), "
              f"false rejects {fr}/{len(right)} ({fr / len(right):.1%} of right)")
        for label, key in (("kind", 1), ("category", 0)):
            groups: dict[str, list] = defaultdict(list)
            for r in rows:
                groups[r[key]].append(r)
            cells = ", ".join(f"{k} {sum(1 for r in g if r[2] == r[3]) / len(g):.0%} ({len(g)})"
                              for k, g in sorted(groups.items()))
            print(f"  by {label}: {cells}")
        para = [r for r in right if r[0] == "paraphrase"]
        if para:
            print(f"  paraphrases right: {sum(1 for r in para if r[3]) / len(para):.0%} of {len(para)}")
        if verbose:
            for cat, _kind, want, got, spec, text in rows:
                if want != got:
                    tag = "FALSE ACCEPT" if got else "false reject"
                    print(f"    {tag} [{cat}] {spec['expected']!r} <- {text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
