"""`debrief decks`, `debrief cards` and `debrief import`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from debrief.cards import clean_text
from debrief.cli.common import db_url, deck_option, echo_json, open_workspace
from debrief.cli.terminal import printable

if TYPE_CHECKING:
    from debrief.allowance import Allowance, TodayCounts
    from debrief.records import DeckSummary


def _read(url: str | None) -> tuple[list[DeckSummary], list[DeckSummary], TodayCounts, Allowance]:
    """Each deck's counts within today's limits and before them, and the collection's today."""
    from debrief.allowance import deck_counts, today_allowance, today_counts

    ws = open_workspace(url)
    try:
        allowance = today_allowance(ws)
        _start, day_end = ws.day_bounds()
        available = ws.store.decks.deck_summaries(ws.now(), day_end)
        return deck_counts(ws, allowance), available, today_counts(ws, None, allowance), allowance
    finally:
        ws.close()

if TYPE_CHECKING:
    pass


def print_decks(url: str | None) -> None:
    """Print the deck table: cards, new, learning and due today (new and due within the
    collection's daily limits, as home shows them), then today's totals."""
    rows, _available, today, _allowance = _read(url)
    width = max([len(r.name) for r in rows] + [5])
    click.echo(f"{'deck':<{width}}  {'cards':>5}  {'new':>5}  {'learn':>5}  {'due':>5}  title")
    for r in rows:
        click.echo(clean_text(f"{r.name:<{width}}  {r.cards:>5}  {r.new:>5}  {r.learning:>5}  {r.due:>5}  {r.title}"))
    # The total is the collection's: the limits hold for all decks together, not per row.
    click.echo(f"{'total':<{width}}  {sum(r.cards for r in rows):>5}  {today.new:>5}  "
               f"{today.learning:>5}  {today.review:>5}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def decks(ctx: click.Context, as_json: bool) -> None:
    """List decks with their cards, new cards and cards due today."""
    if not as_json:
        print_decks(db_url(ctx))
        return
    rows, available, _today, _allowance = _read(db_url(ctx))
    echo_json([{**r.__dict__, "new_available": a.new, "due_available": a.due}
               for r, a in zip(rows, available, strict=True)])


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Every card as a JSON object.")
@click.option("--all", "include_retired", is_flag=True, help="Include retired cards.")
@deck_option
@click.pass_context
def cards(ctx: click.Context, as_json: bool, include_retired: bool, decks: tuple[str, ...]) -> None:
    """List cards (with --json: id, deck, kind, prompt, spec, options, tags, explanation, and
    the answers you marked right as user_answers)."""
    ws = open_workspace(db_url(ctx))
    try:
        records = ws.store.decks.cards(ws.store.decks.deck_ids(decks or None), include_retired=include_retired)
        mine = ws.store.decks.user_answers_of([r.pk for r in records]) if as_json else {}
    finally:
        ws.close()
    if as_json:
        echo_json([{**r.card.to_json(), "state": r.state.state, "suspended": r.suspended,
                    **({"retired": True} if r.retired else {}),
                    **({"user_answers": mine[r.pk]} if r.pk in mine else {})} for r in records])
        return
    for r in records:
        flag = " (suspended)" if r.suspended else ""
        click.echo(clean_text(f"{r.card.id:<12} {r.card.deck:<12} {r.card.kind:<7} {r.card.prompt}{flag}"))


@click.command(name="import")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--deck", "deck_name", metavar="NAME",
              help="Deck for a CSV/TSV file's cards (default: named after the file).")
@click.pass_context
def import_(ctx: click.Context, path: Path, deck_name: str | None) -> None:
    """Add or update a deck from a deck file (TOML) or a CSV/TSV file (checked whole first).

    An Anki package (.apkg, .colpkg) brings in the reviews made in Anki of cards exported from
    debrief, and its other notes as decks of your own.
    """
    from debrief.importing import check_import, is_csv, load_deck_file, write_import

    if deck_name is not None and not is_csv(path):
        raise click.UsageError("--deck applies to CSV/TSV files; a TOML deck file names its deck "
                               "in [deck] name, an Anki package its own decks")
    if path.suffix.lower() in (".apkg", ".colpkg"):
        from debrief.cli.import_anki import import_package

        import_package(db_url(ctx), path)
        return
    deck = load_deck_file(path, deck_name)  # a bad file is refused before the database opens
    ws = open_workspace(db_url(ctx))
    try:
        check_import(ws, path, deck, named=deck_name is not None)
        with click.progressbar(length=len(deck.cards), label=f"Importing {deck.name}",
                               file=sys.stderr) as bar:
            last = [0]

            def progress(done: int, total: int) -> None:
                bar.update(done - last[0])
                last[0] = done

            verb, report = write_import(ws, path, deck, progress)
        click.echo(f"{verb} deck {deck.name!r} from {printable(str(path))}: {report}")
    finally:
        ws.close()
