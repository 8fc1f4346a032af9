"""What an export reads from the store: the decks with their cards (answers you marked right
travel as accepted answers) and, for Anki, every card's study progress. The command line and
the app's export both read through here, so the two files they write are the same."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from debrief.cards import Card, Deck

if TYPE_CHECKING:
    from debrief.export.anki import StudyProgress
    from debrief.workspace import Workspace


def export_decks(ws: Workspace, names: Sequence[str] = ()) -> list[Deck]:
    """The decks named (every deck when none), each with its live cards, in the store's order."""
    records = ws.store.decks.cards(ws.store.decks.deck_ids(list(names) or None))
    titles = dict(ws.store.decks.decks())
    descriptions = ws.store.decks.deck_descriptions()
    mine = ws.store.decks.user_answers_of([r.pk for r in records])
    grouped: dict[str, list[Card]] = {}
    for record in records:
        card = record.card
        if record.pk in mine:  # answers marked right ("I was right") travel as accepted answers
            extra = [a for a in mine[record.pk] if a not in card.accept]
            card = replace(card, accept=(*card.accept, *extra))
        grouped.setdefault(card.deck, []).append(card)
    return [Deck(name=name, title=titles.get(name, name), description=descriptions.get(name, ""),
                 cards=tuple(cards)) for name, cards in grouped.items()]


def export_progress(ws: Workspace, names: Sequence[str] = ()) -> StudyProgress:
    """Every card's schedule, flags and rated answers, and the scheduling settings (for Anki)."""
    from debrief.export.anki import study_progress

    records = ws.store.decks.cards(ws.store.decks.deck_ids(list(names) or None))
    pks = [record.pk for record in records]
    return study_progress(records, ws.store.decks.card_flags(pks), ws.store.log.rated_reviews(pks),
                          ws.settings)
