"""`debrief optimize`: fit FSRS parameters to your own reviews, and weigh retention against work."""

from __future__ import annotations

import click

from debrief.cli.common import db_url, echo_json, open_workspace


def _figure(value: float) -> str:
    return f"{value:.4f}"


@click.command()
@click.option("--deck", "decks", multiple=True, metavar="NAME",
              help="Fit on this deck's reviews only (repeatable); the parameters apply to all.")
@click.option("--dry-run", is_flag=True, help="Fit and report, save nothing.")
@click.option("--json", "as_json", is_flag=True, help="The result as JSON.")
@click.option("--reschedule", is_flag=True,
              help="Also move review cards' due dates to their new intervals (default: keep them).")
@click.option("--retention", is_flag=True,
              help="Only show expected daily reviews and knowledge at desired retention 0.80-0.95.")
@click.pass_context
def optimize(ctx: click.Context, decks: tuple[str, ...], dry_run: bool, as_json: bool,
             reschedule: bool, retention: bool) -> None:
    """Fit FSRS parameters to your review log (log loss and RMSE before/after), save them to
    config.toml and recompute every card's memory state from its history."""
    from debrief import locations
    from debrief.optimize import optimize as run_optimize
    from debrief.optimize import parameter_source, retention_table

    ws = open_workspace(db_url(ctx))
    try:
        if retention:
            rows, recommended = retention_table(ws)
            source = parameter_source(ws)
            if as_json:
                echo_json({"rows": [r.to_json() for r in rows], "recommended": recommended,
                           "current": ws.settings.desired_retention, "parameters": source.kind})
                return
            click.echo(f"A year of this collection ({ws.settings.new_per_day} new cards a day) "
                       f"simulated with {source.describe()}:")
            click.echo(f"  {'retention':>9}  {'reviews/day':>11}  {'minutes/day':>11}  "
                       f"{'cards known':>11}")
            for row in rows:
                mark = "  <- now" if abs(row.retention - ws.settings.desired_retention) < 1e-9 else ""
                click.echo(f"  {row.retention:>9.2f}  {row.reviews_per_day:>11.1f}  "
                           f"{row.minutes_per_day:>11.1f}  {row.knowledge:>11.0f}{mark}")
            click.echo(f"Recommended desired_retention: {recommended:.2f} (the least review time "
                       "per card remembered; higher buys more recall for more reviews). Set it "
                       "under [scheduling] in config.toml.")
            return
        deck_ids = ws.store.decks.deck_ids(decks) if decks else None
        result = run_optimize(ws, locations.config_path(), deck_ids, dry_run=dry_run,
                              reschedule=reschedule)
    finally:
        ws.close()
    if as_json:
        echo_json(result.to_json())
        return
    click.echo(f"Fitted FSRS parameters on {result.reviews} reviews.")
    click.echo(f"  {'':<8} {'log loss':>9} {'RMSE':>8}")
    click.echo(f"  {'before':<8} {_figure(result.log_loss_before):>9} {result.rmse_before:>8.2%}")
    click.echo(f"  {'after':<8} {_figure(result.log_loss_after):>9} {result.rmse_after:>8.2%}")
    click.echo("  (on your own reviews; lower is better)")
    click.echo("Parameters: " + ", ".join(f"{p:g}" for p in result.parameters))
    if not result.saved:
        click.echo("Dry run: nothing saved.")
        return
    click.echo(f"Saved to {locations.config_path()} ([scheduling] parameters).")
    moved = "new due dates" if result.rescheduled else "due dates kept"
    click.echo(f"Recomputed the memory state of {result.recomputed} "
               f"card{'s' if result.recomputed != 1 else ''} from their history ({moved}).")
