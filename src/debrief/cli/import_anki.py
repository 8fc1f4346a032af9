"""`debrief import FILE.apkg|FILE.colpkg`: reviews made in Anki, and Anki decks, brought in."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import click

from debrief.cli.common import open_workspace
from debrief.importers.anki import Skipped
from debrief.scheduling import CardState


def import_package(url: str | None, path: Path) -> None:
    """Import an Anki package: answers to debrief's cards join the review log (each card's
    schedule recomputed from its history); other notes become decks of the user's own."""
    from debrief.importers.anki import read_package

    # Read and check the whole package before anything is written: a bad one changes nothing.
    package = read_package(path)
    ws = open_workspace(url)
    try:
        skipped = list(package.skipped)
        owners = ws.store.decks.card_owners([*package.debrief_cards,
                                             *(c.id for d in package.decks for c in d.cards)])
        missing = {key for key in package.debrief_cards if key not in owners}
        reviews = [review for review in package.reviews if review.card_key not in missing]
        if missing:
            lost = sum(1 for review in package.reviews if review.card_key in missing)
            skipped.append(Skipped(
                f"{len(missing)} debrief card(s) ({', '.join(sorted(missing)[:3])}"
                f"{', ...' if len(missing) > 3 else ''}) and their {lost} review(s)",
                "not in this collection (a deck file that no longer has them?)"))
        decks = []
        for deck in package.decks:
            kept = []
            for card in deck.cards:
                owner = owners.get(card.id)
                if owner is not None and owner != deck.name and not owner.startswith("anki-"):
                    skipped.append(Skipped(f"card {card.id}", f"its id belongs to deck {owner!r}"))
                else:
                    kept.append(card)
            if kept:
                decks.append(replace(deck, cards=tuple(kept)))
        if decks or reviews:
            _backup_before_import()
        source = str(path.resolve())
        for deck in decks:
            report = ws.store.decks.sync_decks([deck], ws.now(), source=source)
            click.echo(f"deck {deck.name!r} (Anki deck {package.anki_names[deck.name]!r}): "
                       f"{report}")
        scheduler = ws.scheduler

        def replay(state: CardState, rating: int, at: datetime) -> CardState:
            from debrief.scheduling import Rating

            return scheduler.review(state, Rating(rating), at)

        result = ws.store.log.add_anki_reviews(reviews, replay)
        found = len(package.debrief_cards) - len(missing)
        if found:
            click.echo(f"reviews from Anki of {found} debrief card(s): {result.added} added"
                       + (f" (schedules of {result.cards} card(s) recomputed from their history)"
                          if result.cards else "")
                       + f", {result.already} already imported, {result.own} were debrief's own"
                       + (f"; {package.not_answers} manual reschedule(s) or cram answer(s) left out"
                          if package.not_answers else ""))
        elif not decks:
            click.echo(f"nothing to import from {path}")
        for (reason, count), example in _grouped(skipped):
            click.echo(f"skipped {count}: {example}{' and others' if count > 1 else ''}: {reason}")
        if package.media:
            names = ", ".join(package.media[:8]) + (", ..." if len(package.media) > 8 else "")
            click.echo(f"media not imported ({len(package.media)} file(s); debrief shows text "
                       f"only): {names}")
    finally:
        ws.close()


def _grouped(skipped: list[Skipped]) -> list[tuple[tuple[str, int], str]]:
    """(reason, how many) with the first thing skipped for it, in the order first met."""
    counts = Counter(item.reason for item in skipped)
    first: dict[str, str] = {}
    for item in skipped:
        first.setdefault(item.reason, item.what)
    return [((reason, count), first[reason]) for reason, count in counts.items()]


def _backup_before_import() -> None:
    try:
        from debrief.store.backup import backup_before
    except ImportError:
        return
    backup_before("import")
