"""Print the README's table of bundled decks (cards per deck and per kind), generated from decks/*.toml.

Run `python scripts/deck_table.py` and paste the output between the deck-table markers in
README.md; tests/unit/test_deck_quality.py fails when the README and the files disagree.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from debrief.cards import KINDS
from debrief.deckfile import load_decks

DECK_DIR = Path(__file__).resolve().parents[1] / "decks"


def deck_table(deck_dir: Path = DECK_DIR) -> str:
    """The Markdown table: one row per deck (cards, cards of each kind, two-option choices)."""
    decks = load_decks(sorted(deck_dir.glob("*.toml")))
    header = ["deck", "cards", *KINDS, "two-option", "general", "source-claim"]
    rows = [header, ["---"] * len(header)]
    total: Counter[str] = Counter()
    for deck in sorted(decks, key=lambda d: d.name):
        counts: Counter[str] = Counter(card.kind for card in deck.cards)
        counts["cards"] = len(deck.cards)
        counts["two-option"] = sum(1 for c in deck.cards if c.kind == "choice" and len(c.options) == 2)
        counts["general"] = sum(1 for c in deck.cards if "general" in c.tags)
        counts["source-claim"] = sum(1 for c in deck.cards if "source-claim" in c.tags)
        total.update(counts)
        rows.append([f"`{deck.name}`", *(str(counts[key]) for key in header[1:])])
    rows.append(["**all**", *(f"**{total[key]}**" for key in header[1:])])
    return "\n".join("| " + " | ".join(row) + " |" for row in rows) + "\n"


if __name__ == "__main__":
    sys.stdout.write(deck_table())
