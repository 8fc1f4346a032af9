"""`debrief decks`, `debrief cards` and `debrief import`."""

from __future__ import annotations

from pathlib import Path

import click

from debrief.cards import clean_text
from debrief.cli.common import db_url, deck_option, echo_json, open_workspace
from debrief.cli.terminal import printable


def print_decks(url: str | None) -> None:
    """Print the deck table: cards, new, learning and due today."""
    ws = open_workspace(url)
    try:
        _start, day_end = ws.day_bounds()
        rows = ws.store.deck_summaries(ws.now(), day_end)
    finally:
        ws.close()
    width = max([len(r.name) for r in rows] + [4])
    click.echo(f"{'deck':<{width}}  {'cards':>5}  {'new':>5}  {'learn':>5}  {'due':>5}  title")
    for r in rows:
        click.echo(clean_text(f"{r.name:<{width}}  {r.cards:>5}  {r.new:>5}  {r.learning:>5}  {r.due:>5}  {r.title}"))
    click.echo(f"{'total':<{width}}  {sum(r.cards for r in rows):>5}  {sum(r.new for r in rows):>5}  "
               f"{sum(r.learning for r in rows):>5}  {sum(r.due for r in rows):>5}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def decks(ctx: click.Context, as_json: bool) -> None:
    """List decks with their cards, new cards and cards due today."""
    if not as_json:
        print_decks(db_url(ctx))
        return
    ws = open_workspace(db_url(ctx))
    try:
        _start, day_end = ws.day_bounds()
        rows = ws.store.deck_summaries(ws.now(), day_end)
    finally:
        ws.close()
    echo_json([r.__dict__ for r in rows])


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
        records = ws.store.cards(ws.store.deck_ids(decks or None), include_retired=include_retired)
        mine = ws.store.user_answers_of([r.pk for r in records]) if as_json else {}
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


CSV_SUFFIXES = (".csv", ".tsv", ".txt")


def load_user_deck(path: Path, deck_name: str | None = None):  # -> Deck
    """Parse a user's deck file (TOML, or CSV/TSV) through the same validation as bundled decks."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        from debrief.csvdeck import parse_csv

        return parse_csv(path, deck_name)
    from debrief.deckfile import load_deck

    return load_deck(path)


@click.command(name="import")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--deck", "deck_name", metavar="NAME",
              help="Deck for a CSV/TSV file's cards (default: named after the file).")
@click.pass_context
def import_(ctx: click.Context, path: Path, deck_name: str | None) -> None:
    """Add or update a deck from a deck file (TOML) or a CSV/TSV file; all or nothing.

    An Anki package (.apkg, .colpkg) brings in the reviews made in Anki of cards exported from
    debrief, and its other notes as decks of your own.
    """
    from debrief.deckfile import DeckFileError, Problem, check_unique

    is_csv = path.suffix.lower() in CSV_SUFFIXES
    if deck_name is not None and not is_csv:
        raise click.UsageError("--deck applies to CSV/TSV files; a TOML deck file names its deck "
                               "in [deck] name, an Anki package its own decks")
    if path.suffix.lower() in (".apkg", ".colpkg"):
        from debrief.cli.import_anki import import_package

        import_package(db_url(ctx), path)
        return
    deck = load_user_deck(path, deck_name)
    ws = open_workspace(db_url(ctx))
    try:
        bundled = {name for name, _title in ws.store.decks()}
        if is_csv and deck_name is None and deck.name in bundled:
            # The name came from the file name: syncing would retire the cards of a deck that
            # merely shares it. Only the deck's own file, or an explicit --deck, may update it.
            source = ws.store.deck_sources().get(deck.name, "")
            if source != str(path.resolve()):
                raise DeckFileError([_problem(path, (
                    f"a deck named {deck.name!r} already exists (from {source or 'another file'}); "
                    f"importing would replace its cards: use --deck {deck.name} to replace them, "
                    "or --deck NAME for a new deck"))])
        from debrief import locations
        from debrief.deckfile import load_decks

        bundled_decks = load_decks(locations.bundled_deck_files())
        if deck.name in {d.name for d in bundled_decks}:
            raise DeckFileError([_problem(path, f"deck name {deck.name!r} belongs to a bundled deck; "
                                          "give your deck another [deck] name")])
        problems: list = []
        check_unique([*bundled_decks, deck], problems)
        owners = ws.store.card_owners([c.id for c in deck.cards])
        for card in deck.cards:
            owner = owners.get(card.id)
            if owner is not None and owner != deck.name:
                problems.append(Problem(str(path), card.line,
                                        f"id {card.id!r} already belongs to deck {owner!r}"))
        if problems:
            raise DeckFileError(problems)
        _backup_before_import()
        with click.progressbar(length=len(deck.cards), label=f"Importing {deck.name}",
                               file=click.get_text_stream("stderr")) as bar:
            last = [0]

            def progress(done: int, total: int) -> None:
                bar.update(done - last[0])
                last[0] = done

            report = ws.store.sync_decks([deck], ws.now(), source=str(path.resolve()),
                                         progress=progress)
        verb = "updated" if deck.name in bundled else "imported"
        click.echo(f"{verb} deck {deck.name!r} from {printable(str(path))}: {report}")
    finally:
        ws.close()


def _problem(path: Path, message: str):  # -> Problem
    from debrief.deckfile import Problem

    return Problem(str(path), 0, message)


def _backup_before_import() -> None:
    try:
        from debrief.backup import backup_before
    except ImportError:
        return
    backup_before("import")
