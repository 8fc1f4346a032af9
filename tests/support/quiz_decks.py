"""A quiz test deck: text, "AI PM or ML PM?" and figure cards, shared by the quiz tests."""

from __future__ import annotations

from debrief.cards import Card, Deck


def make_deck(name: str = "demo", n: int = 6) -> Deck:
    cards = [Card(id=f"{name}-t{i}", deck=name, kind="text", prompt=f"{name} text {i}?",
                  answer=f"answer {name} {i}", explanation=f"because {i}") for i in range(n)]
    cards += [Card(id=f"{name}-r{i}", deck=name, kind="choice", prompt=f"{name} role {i}?",
                   answer="AI PM" if i % 2 else "ML PM", options=("AI PM", "ML PM")) for i in range(n)]
    cards += [Card(id=f"{name}-n{i}", deck=name, kind="number", prompt=f"{name} figure {i}?",
                   answer=str(10 + i)) for i in range(n)]
    return Deck(name=name, title=name.title(), cards=tuple(cards))
