"""`debrief review`: today's review, in the app or in line mode."""

from __future__ import annotations

import sys
from typing import TextIO, cast

import click

from debrief.cli.common import db_url, deck_option, open_workspace, plain_flag, run_app
from debrief.workspace import Workspace


@click.command()
@deck_option
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N cards this session.")
@click.option("--new", "new_limit", type=click.IntRange(min=0), metavar="N",
              help="Today's new-card limit for this session (as Anki's custom study).")
@click.option("--plain", is_flag=True, help="Line mode: answer line, then rating line, per card.")
@click.pass_context
def review(ctx: click.Context, decks: tuple[str, ...], limit: int | None, new_limit: int | None,
           plain: bool) -> None:
    """Review today's due cards, then new ones."""
    if not plain_flag(ctx, plain):
        run_app(db_url(ctx), screen="review", decks=decks, limit=limit, new_limit=new_limit)
        return
    from debrief.cli.plain_review import run_plain_review
    from debrief.cli.terminal import CleanWriter
    from debrief.session import ReviewSession

    ws = open_workspace(db_url(ctx))
    try:
        session = ReviewSession(ws, decks or None, limit=limit, new_limit=new_limit)
        _warm_grader(ws)
        status = run_plain_review(session, sys.stdin, cast(TextIO, CleanWriter(sys.stdout)))
    finally:
        ws.close()
    ctx.exit(status)


def _warm_grader(ws: Workspace) -> None:
    """Build the grader's vocabulary (every word of every card: seconds on 100,000 cards) in a
    thread while the first card is read, as the app does; the first answer waits only for what
    is left of it. A failure here is left for the first answer to report."""
    import threading

    def build() -> None:
        try:
            ws.grader  # noqa: B018 - a cached property: computed once, under its lock
        except Exception:  # noqa: BLE001, S110 - the first answer builds it again and says why
            pass

    threading.Thread(target=build, name="debrief-grader", daemon=True).start()
