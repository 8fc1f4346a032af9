"""Grade the blind sets' labelled answers: accuracy, false accepts, per kind and per category.

Usage: python benchmarks/grading_blind.py [-v] [--no-prompt] [--no-rivals] [--rival-words N] [--pool]
                                           FILE.toml [FILE.toml ...]
  e.g. python benchmarks/grading_blind.py tests/data/blind_round2/*.toml
Each file holds [[case]] tables with `prompt`, `spec` and `answers` ({text, right, category}); the
sets in tests/data/blind_round*/ were written by sessions that never saw the grader, before it
first ran on them (their READMEs give the first-run figures). The card's prompt goes in the spec,
as the review and quiz sessions grade (`--no-prompt` leaves it out), and so do the other cards'
text answers of the same file as rivals, chosen by the sessions' own rule (`debrief.session.
is_rival`; `--rival-words N` passes those of up to N words instead, `--no-rivals` none; `--pool` makes all
the files one large deck); `-v`
lists every misgrade. The median time per answer is printed too.
"""

from __future__ import annotations

import statistics
import sys
import time
import tomllib
from collections import defaultdict
from pathlib import Path

from debrief.grading import Grader
from debrief.session import MAX_RIVALS, is_rival


def text_answers(cases: list[dict]) -> list[str]:
    """The text cards' answers (what `DeckStore.text_answers` reads for a deck)."""
    return [c["spec"]["expected"] for c in cases
            if c["spec"].get("kind", "text") == "text" and isinstance(c["spec"]["expected"], str)]


def rivals_of(cases: list[dict], max_words: int | None,
              deck: list[str] | None = None) -> list[tuple[str, ...]]:
    """Each case's rivals as a session passes them: the other text cards' answers of the file
    (the file is one deck, or `deck` gives the deck's answers), not the card's own answer or
    accepted ones."""
    answers = deck if deck is not None else text_answers(cases)
    out = []
    for case in cases:
        spec = case["spec"]
        own = {a.casefold() for a in [spec["expected"], *spec.get("accept", [])]
               if isinstance(a, str)}
        chosen = [a for a in answers if a.casefold() not in own and is_rival(a, max_words)]
        out.append(tuple(dict.fromkeys(chosen))[:MAX_RIVALS])
    return out


def evaluate(path: Path, grader: Grader, with_prompt: bool, max_words: int | None,
             times: list[float], deck: list[str] | None = None,
             ) -> list[tuple[str, str, bool, bool, dict, str]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rows = []
    rivals = rivals_of(data["case"], max_words, deck) if max_words != 0 \
        else [()] * len(data["case"])
    for case, others in zip(data["case"], rivals, strict=True):
        spec = dict(case["spec"])
        if spec.get("kind") == "recall":  # self-rated in debrief: nothing for the grader to judge
            print(f"{path}: {case['card']} skipped (recall cards are self-rated)")
            continue
        if with_prompt:  # as the review and quiz sessions grade: with the card's prompt
            spec["prompt"] = case["prompt"]
        if others and spec.get("kind", "text") == "text":  # as the sessions pass them
            spec["others"] = list(others)
        for answer in case["answers"]:
            start = time.perf_counter()
            got = grader.grade(spec, answer["text"]).is_right
            times.append(time.perf_counter() - start)
            rows.append((answer["category"], spec.get("kind", "text"), answer["right"], got, spec,
                         answer["text"]))
    return rows


def main(argv: list[str]) -> int:
    grader = Grader()
    verbose = "-v" in argv
    with_prompt = "--no-prompt" not in argv
    max_words: int | None = 0 if "--no-rivals" in argv else None
    if "--rival-words" in argv:
        max_words = int(argv[argv.index("--rival-words") + 1])
    names = [a for i, a in enumerate(argv) if not a.startswith("-")
             and (i == 0 or argv[i - 1] != "--rival-words")]
    # --pool: every file's text cards in one large deck (rivals for every answer)
    deck = [a for name in names for a in text_answers(
        tomllib.loads(Path(name).read_text(encoding="utf-8"))["case"])] \
        if "--pool" in argv else None
    if deck is not None:
        print(f"one deck of {len(deck)} text answers "
              f"({sum(1 for a in deck if is_rival(a, max_words))} passed as rivals)")
    for name in names:
        times: list[float] = []
        rows = evaluate(Path(name), grader, with_prompt, max_words, times, deck)
        right = [r for r in rows if r[2]]
        wrong = [r for r in rows if not r[2]]
        ok = sum(1 for r in rows if r[2] == r[3])
        fa = sum(1 for r in wrong if r[3])
        fr = sum(1 for r in right if not r[3])
        print(f"{name}: {len(rows)} answers, accuracy {ok / len(rows):.1%}, "
              f"false accepts {fa}/{len(wrong)} ({fa / len(wrong):.1%} of wrong), "
              f"false rejects {fr}/{len(right)} ({fr / len(right):.1%} of right), "
              f"median {statistics.median(times) * 1e6:.0f} µs per answer")
        for label, key in (("kind", 1), ("category", 0)):
            groups: dict[str, list] = defaultdict(list)
            for r in rows:
                groups[str(r[key])].append(r)
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
