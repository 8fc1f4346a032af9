"""`debrief export anki|csv`: write the decks for Anki (.apkg) or other apps (CSV)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from debrief.cli.common import db_url, deck_option, open_workspace
from debrief.cli.terminal import printable

if TYPE_CHECKING:
    from debrief.cards import Deck
    from debrief.export.anki import StudyProgress


def _decks_from_store(ctx: click.Context, names: tuple[str, ...]) -> list[Deck]:
    from debrief.export.source import export_decks

    ws = open_workspace(db_url(ctx))
    try:
        return export_decks(ws, names)
    finally:
        ws.close()


def _check_writable(output: Path) -> None:
    """Refuse an output path that cannot be written before any work (or progress bar) starts."""
    from debrief.export import ExportError

    parent = output.parent if str(output.parent) else Path(".")
    if output.is_dir():
        raise ExportError(f"cannot write {output}: it is a directory")
    if not parent.is_dir():
        raise ExportError(f"cannot write {output}: {parent} does not exist")


def _run(ctx: click.Context, names: tuple[str, ...], output: Path, writer, what: str) -> None:
    _check_writable(output)
    decks = _decks_from_store(ctx, names)
    total = sum(len(d.cards) for d in decks)
    with click.progressbar(length=total, label=f"Exporting {what}",
                           file=sys.stderr) as bar:
        last = [0]

        def progress(done: int, _total: int) -> None:
            bar.update(done - last[0])
            last[0] = done

        written = writer(decks, output, progress=progress)
    noun = "deck" if len(decks) == 1 else "decks"
    click.echo(f"wrote {written} cards from {len(decks)} {noun} to {printable(str(output))}")


@click.group()
def export() -> None:
    """Export cards to Anki or CSV."""


def _study_progress(ctx: click.Context, names: tuple[str, ...]) -> StudyProgress:
    """Every card's schedule, flags and rated answers, and the scheduling settings."""
    from debrief.export.source import export_progress

    ws = open_workspace(db_url(ctx))
    try:
        return export_progress(ws, names)
    finally:
        ws.close()


@export.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The .apkg file to write.")
@click.option("--with-progress/--without-progress", "with_progress", default=True,
              show_default=True,
              help="Carry schedules, memory states, suspensions, flags and the review history.")
@deck_option
@click.pass_context
def anki(ctx: click.Context, output: Path, with_progress: bool, decks: tuple[str, ...]) -> None:
    """Write an Anki package; re-importing a newer one updates the notes in place.

    With progress (the default), import it in Anki with "Import any learning progress" ticked
    to continue each card's schedule there.
    """
    from functools import partial

    from debrief.export.anki import export_apkg

    writer = export_apkg
    if with_progress:
        _check_writable(output)
        writer = partial(export_apkg, study=_study_progress(ctx, decks))
    _run(ctx, decks, output, writer, "to Anki")


@export.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The CSV file to write.")
@deck_option
@click.pass_context
def csv(ctx: click.Context, output: Path, decks: tuple[str, ...]) -> None:
    """Write Anki's text-import format (with a GUID column and tags)."""
    from debrief.export.csvfile import export_csv

    _run(ctx, decks, output, export_csv, "to CSV")
