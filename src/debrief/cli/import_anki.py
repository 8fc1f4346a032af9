"""`debrief import FILE.apkg|FILE.colpkg`: reviews made in Anki, and Anki decks, brought in."""

from __future__ import annotations

from pathlib import Path

import click

from debrief.cli.common import open_workspace


def import_package(url: str | None, path: Path) -> None:
    """Import an Anki package: answers to debrief's cards join the review log (each card's
    schedule recomputed from its history); other notes become decks of the user's own."""
    from debrief.importers.anki import read_package
    from debrief.importers.apply import apply_package

    # Read and check the whole package before anything is written: a bad one changes nothing.
    package = read_package(path)
    ws = open_workspace(url)
    try:
        for line in apply_package(ws, package, path):
            click.echo(line)
    finally:
        ws.close()
