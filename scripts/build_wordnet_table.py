"""Derive the grader's compact synonym and word-form tables from WordNet 3.0.

Run (needs Debian's `wordnet-base`, which installs /usr/share/wordnet):
    .venv/bin/python scripts/build_wordnet_table.py [/usr/share/wordnet]

Writes src/debrief/grading/data/wordnet.txt.gz, three kinds of line:
    s<TAB>w1 w2 ...   words sharing one synset, among the first SENSES senses of each word
    f<TAB>w1 w2 ...   a word family: derivationally related forms that share their first letters
    x<TAB>form base   an irregular inflection (WordNet's .exc lists)
Only common English words (the SCOWL list the grader already carries) and single words are kept,
so the table stays small and a rare sense cannot make two everyday words "synonyms".
"""

from __future__ import annotations

import gzip
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "debrief" / "grading" / "data"
POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
# A synonym counts only within each word's most frequent senses: WordNet orders a word's
# synsets by frequency, and the rare ones ("recall" as a product recall) are where swaps lie.
SENSES = 2
# Derivationally related forms join a family only when they share this many first letters
# ("replace"/"replacement", "minimal"/"minimum"), so a related meaning with a different root
# ("buy"/"purchase") is not a word form.
PREFIX = 5
# Agent nouns: a family never joins one to the verb or thing it comes from.
AGENT = ("er", "or", "ist", "ian", "eer", "ee")


def _common_words() -> set[str]:
    raw = gzip.decompress((DATA / "english-words.txt.gz").read_bytes()).decode("ascii", "replace")
    return set(raw.split())


def _index(wn: Path, pos: str) -> dict[str, list[str]]:
    """lemma -> synset offsets, most frequent sense first."""
    out: dict[str, list[str]] = {}
    for line in (wn / f"index.{pos}").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        f = line.split()
        lemma, n_synsets, n_ptrs = f[0], int(f[2]), int(f[3])
        offsets = f[4 + n_ptrs + 2:]
        out[lemma] = offsets[:n_synsets]
    return out


def _derivations(wn: Path) -> list[tuple[str, str]]:
    """(word, related word) for every "+" (derivationally related form) pointer."""
    pairs: list[tuple[str, str]] = []
    words_at: dict[str, list[str]] = {}
    ptrs: list[tuple[str, list[tuple[str, str, str]]]] = []
    for p in POS:
        for line in (wn / f"data.{p}").read_text(encoding="latin-1").splitlines():
            if line.startswith(" "):
                continue
            f = line.split(" | ")[0].split()
            offset, n_words = f[0], int(f[3], 16)
            words = [f[4 + 2 * k].lower() for k in range(n_words)]
            key = f"{POS[p]}{offset}"
            words_at[key] = words
            k = 4 + 2 * n_words
            n_ptr = int(f[k])
            mine = []
            for j in range(n_ptr):
                sym, target, tpos, st = f[k + 1 + 4 * j: k + 5 + 4 * j]
                if sym == "+":
                    mine.append((f"{tpos.replace('s', 'a')}{target}", st[:2], st[2:]))
            ptrs.append((key, mine))
    for key, mine in ptrs:
        for target, src, dst in mine:
            if target not in words_at:
                continue
            a = words_at[key][int(src, 16) - 1]
            b = words_at[target][int(dst, 16) - 1]
            pairs.append((a, b))
    return pairs


def build(wn: Path) -> list[str]:
    """The table's lines, sorted, for the WordNet directory `wn`."""
    common = _common_words()
    lines: set[str] = set()
    for pos, tag in POS.items():
        synset_words: dict[str, set[str]] = defaultdict(set)
        for lemma, offsets in _index(wn, pos).items():
            if lemma not in common or "_" in lemma:
                continue
            for offset in offsets[:SENSES]:
                synset_words[offset].add(lemma)
        for words in synset_words.values():
            if len(words) >= 2:
                lines.add(f"s\t{tag} " + " ".join(sorted(words)))
    # Word families by union-find over the derivation pointers of all parts of speech.
    parent: dict[str, str] = {}

    def find(w: str) -> str:
        while parent.setdefault(w, w) != w:
            parent[w] = parent[parent[w]]
            w = parent[w]
        return w

    for a, b in _derivations(wn):
        if a == b or a not in common or b not in common or "_" in a + b:
            continue
        if len(a) < PREFIX or len(b) < PREFIX or a[:PREFIX] != b[:PREFIX]:
            continue
        if a.endswith(AGENT) != b.endswith(AGENT):
            continue  # the one who does it is not the doing ("teacher" / "teach")
        parent[find(a)] = find(b)
    families: dict[str, set[str]] = defaultdict(set)
    for w in list(parent):
        families[find(w)].add(w)
    for words in families.values():
        if len(words) >= 2:
            lines.add("f\t" + " ".join(sorted(words)))
    for pos in POS:
        for line in (wn / f"{pos}.exc").read_text(encoding="latin-1").splitlines():
            f = line.split()
            if len(f) >= 2 and f[0] != f[1] and "_" not in line and f[1] in common:
                lines.add(f"x\t{f[0]} {f[1]}")
    return sorted(lines)


def main(argv: list[str]) -> int:
    """Build the table from the WordNet directory given (default /usr/share/wordnet)."""
    wn = Path(argv[1]) if len(argv) > 1 else Path("/usr/share/wordnet")
    if not (wn / "index.noun").exists():
        print(f"no WordNet database in {wn} (install the wordnet-base package)", file=sys.stderr)
        return 1
    lines = build(wn)
    out = DATA / "wordnet.txt.gz"
    # mtime=0: the same WordNet gives the same bytes, so a rebuild shows no spurious diff.
    out.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("ascii"), mtime=0))
    kinds = {k: sum(1 for x in lines if x.startswith(k)) for k in "sfx"}
    print(f"wrote {out.relative_to(ROOT)}: {kinds['s']} synsets, {kinds['f']} families, "
          f"{kinds['x']} irregular forms, {out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
