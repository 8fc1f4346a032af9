"""Applying a read Anki package to the store: what `debrief import x.apkg` and the app's import
both do (one implementation, so the two never drift). Returns what it did as lines of text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from debrief.importers.anki import AnkiPackage, Skipped
from debrief.importers.history import AnkiReview, ReviewImport
from debrief.importers.marks import merge_marks

if TYPE_CHECKING:
    from debrief.scheduling import CardState
    from debrief.workspace import Workspace


def apply_package(ws: Workspace, package: AnkiPackage, path: Path,
                  progress: Callable[[int, int], None] | None = None) -> list[str]:
    """Bring `package` (read from `path` by `read_package`) into the workspace's store: other
    notes become decks of the user's own; answers given in Anki to debrief's cards and to those
    decks' cards join the review log (each card's schedule recomputed from its history); the
    cards' suspensions, flags and burials merge by `importers.marks`. A backup is made first
    when anything may be written. Returns one line per thing done or skipped."""
    lines: list[str] = []
    skipped = list(package.skipped)
    owners = ws.store.decks.card_owners([*package.debrief_cards,
                                   *(c.id for d in package.decks for c in d.cards)])
    missing = {key for key in package.debrief_cards if key not in owners}
    own_keys = set(package.debrief_cards) - missing
    reviews = [review for review in package.reviews if review.card_key in own_keys]
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
    # The answers given in Anki to each deck's cards (a package exported with scheduling).
    deck_reviews: dict[str, list[AnkiReview]] = {}
    deck_of = {card.id: deck.name for deck in decks for card in deck.cards}
    for review in package.reviews:
        if review.card_key in deck_of:
            deck_reviews.setdefault(deck_of[review.card_key], []).append(review)
    if decks or reviews or package.marks:
        from debrief.store import backup_before

        backup_before("import", ws.store.url)
    source = str(path.resolve())
    total = sum(len(deck.cards) for deck in decks) + len(reviews) + sum(
        map(len, deck_reviews.values()))
    done = 0
    scheduler = ws.scheduler

    def replay(state: CardState, rating: int, at: datetime) -> CardState:
        from debrief.scheduling import Rating

        return scheduler.review(state, Rating(rating), at)

    for deck in decks:
        def step(count: int, _of: int, base: int = done) -> None:
            if progress is not None:
                progress(base + count, total)

        report = ws.store.decks.sync_decks([deck], ws.now(), source=source, progress=step)
        done += len(deck.cards)
        lines.append(f"deck {deck.name!r} (Anki deck {package.anki_names[deck.name]!r}): {report}")
        arrived = deck_reviews.get(deck.name, [])
        if arrived or package.deck_not_answers.get(deck.name) or package.before_reset.get(
                deck.name):
            # The same path as debrief's own cards: keyed by revlog id, schedule replayed.
            result = ws.store.log.add_anki_reviews(arrived, replay)
            done += len(arrived)
            lines.append(f"reviews from Anki in deck {deck.name!r}: "
                         + _review_counts(result, package.deck_not_answers.get(deck.name, 0),
                                          package.before_reset.get(deck.name, 0)))

    result = ws.store.log.add_anki_reviews(reviews, replay)
    if progress is not None and total:
        progress(total, total)
    found = len(own_keys)
    if found:
        lines.append(f"reviews from Anki of {found} debrief card(s): "
                     + _review_counts(result, package.not_answers,
                                      package.before_reset.get(None, 0), own=True))
    elif not decks:
        lines.append(f"nothing to import from {path}")
    if package.marks:
        # After the decks are synced, so a deck made in Anki has its cards to mark.
        mine = own_keys | deck_of.keys()  # not a card of another deck that has the same id
        now = ws.now()
        marked = ws.store.decks.merge_anki_marks(
            [item for item in package.marks if item.card_key in mine],
            lambda ours, theirs: merge_marks(ours, theirs, ws.day_bounds(theirs.modified_at)[1],
                                             now))
        if str(marked):
            lines.append(f"suspensions, flags and burials from Anki: {marked}")
    for (reason, count), example in _grouped(skipped):
        lines.append(f"skipped {count}: {example}{' and others' if count > 1 else ''}: {reason}")
    if package.media:
        names = ", ".join(package.media[:8]) + (", ..." if len(package.media) > 8 else "")
        lines.append(f"media not imported ({len(package.media)} file(s); debrief shows text "
                     f"only): {names}")
    return lines


def _review_counts(result: ReviewImport, not_answers: int, before_reset: int,
                   own: bool = False) -> str:
    """What adding a group's Anki reviews did, as the end of a report line."""
    return (f"{result.added} added"
            + (f" (schedules of {result.cards} card(s) recomputed from their history)"
               if result.cards else "")
            + f", {result.already} already imported"
            + (f", {result.own} were debrief's own" if own else "")
            + (f"; {not_answers} manual reschedule(s) or cram answer(s) left out"
               if not_answers else "")
            + (f"; {before_reset} answer(s) from before a reset in Anki left out"
               if before_reset else ""))


def _grouped(skipped: list[Skipped]) -> list[tuple[tuple[str, int], str]]:
    """(reason, how many) with the first thing skipped for it, in the order first met."""
    counts = Counter(item.reason for item in skipped)
    first: dict[str, str] = {}
    for item in skipped:
        first.setdefault(item.reason, item.what)
    return [((reason, count), first[reason]) for reason, count in counts.items()]
