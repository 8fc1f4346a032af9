"""`debrief stats`: review statistics."""

from __future__ import annotations

import click

from debrief.cli.common import db_url, echo_json, open_workspace, plain_flag, run_app


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Every figure as JSON.")
@click.option("--plain", is_flag=True, help="Text output instead of the app.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool, plain: bool) -> None:
    """Show review statistics."""
    if not as_json and not plain_flag(ctx, plain):
        run_app(db_url(ctx), screen="stats")
        return
    from debrief.stats import basic_stats

    ws = open_workspace(db_url(ctx))
    try:
        data = basic_stats(ws)
    finally:
        ws.close()
    if as_json:
        echo_json(data)
    else:
        for key, value in data.items():
            click.echo(f"{key.replace('_', ' ')}: {value}")
