"""`debrief stats`: the review calendar, streaks, forecast, retention, decks and quiz trend."""

from __future__ import annotations

import shutil

import click

from debrief.cli.common import db_url, echo_json, open_workspace, plain_flag, run_app


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Every figure behind the charts, as JSON.")
@click.option("--plain", is_flag=True, help="Text charts instead of the app.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool, plain: bool) -> None:
    """Show review statistics: heatmap and streaks, due forecast, true retention, decks, quizzes."""
    if not as_json and not plain_flag(ctx, plain):
        run_app(db_url(ctx), screen="stats")
        return
    from debrief.stats import stats_report

    ws = open_workspace(db_url(ctx))
    try:
        data = stats_report(ws)
    finally:
        ws.close()
    if as_json:
        echo_json(data)
        return
    from debrief.stats.plain import render

    width = max(60, min(shutil.get_terminal_size((80, 24)).columns, 120))
    click.echo(render(data, width))
