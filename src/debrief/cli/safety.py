"""`debrief backup`, `debrief restore` and `debrief check`: keep the review history safe."""

from __future__ import annotations

import sys

import click

from debrief import locations
from debrief.cli.common import db_url
from debrief.humanize import local_minute, size_text
from debrief.store import backup as backups


def _url(ctx: click.Context) -> str:
    return locations.database_url(db_url(ctx))


def _describe(path) -> str:
    from debrief.store.maintenance import contents

    try:
        info = contents(path)
    except Exception:  # noqa: BLE001 - a listing must not fail on one unreadable file
        return "unreadable"
    return f"{info.cards} cards, {info.reviews} reviews, last review {local_minute(info.last_review_at)}"


def _print_list(url: str) -> None:
    folder, stem = backups.shelf(url)
    found = backups.list_backups(folder, stem)
    if not found:
        click.echo(f"No backups yet in {folder}.")
        return
    click.echo(f"Backups in {folder} (newest first; restore one with `debrief restore N`):")
    for number, item in enumerate(found, start=1):
        click.echo(f"  {number:>2}  {local_minute(item.made_at)}  {item.reason:<9} {size_text(item.size):>9}  "
                   f"{item.name}  ({_describe(item.path)})")


@click.command()
@click.option("--list", "list_only", is_flag=True, help="Only list the backups; make none.")
@click.pass_context
def backup(ctx: click.Context, list_only: bool) -> None:
    """Back up the database now (SQLite's backup API) and list the backups.

    Backups are also made automatically: on exit when the data changed (at most every few
    hours) and before every import, migration, check and restore. Old ones are pruned: all from
    the last day, then one a day for 7 days, one a week for 4 weeks, one a month for 6 months.
    """
    url = _url(ctx)
    if backups.database_file(url) is None:
        raise backups.BackupError(backups.NOT_SQLITE)
    if not list_only:
        made = backups.make_backup(url, reason="manual")
        click.echo(f"Backed up {backups.database_file(url)} to {made.path} ({size_text(made.size)}).")
    _print_list(url)


@click.command()
@click.argument("which", required=False, metavar="[BACKUP]")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation (for scripts).")
@click.pass_context
def restore(ctx: click.Context, which: str | None, yes: bool) -> None:
    """Replace the database with a backup (default: the newest).

    BACKUP is a number from `debrief backup --list` (1 = newest), a backup's file name, or a
    path. The current database is backed up first (or, if it is damaged, moved aside), so a
    restore can itself be undone.
    """
    from debrief.store.maintenance import integrity_problems

    url = _url(ctx)
    target = backups.database_file(url)
    if target is None:
        raise backups.BackupError(backups.NOT_SQLITE)
    backups.writable_target(target)
    chosen = backups.find_backup(which, url)
    backups.verify_backup(chosen)
    click.echo(f"Backup:  {chosen.path}\n         made {local_minute(chosen.made_at)} ({chosen.reason}); "
               f"{_describe(chosen.path)}")
    if target.exists():
        if integrity_problems(target):
            click.echo(f"Current: {target} is damaged; it will be moved aside, not deleted.")
        else:
            click.echo(f"Current: {target}\n         {_describe(target)}; it is backed up first.")
    else:
        click.echo(f"Current: no database at {target}.")
    if not yes and not click.confirm("Replace the current database with this backup?", default=False):
        click.echo("Nothing restored.")
        sys.exit(1)
    report = backups.restore(chosen, url)
    click.echo(f"Restored {chosen.name} into {report.database}.")
    if report.safety_backup:
        click.echo(f"The database it replaced is saved as {report.safety_backup} "
                   f"(undo with `debrief restore {report.safety_backup.name}`).")
    if report.moved_aside:
        click.echo(f"The damaged file was moved to {report.moved_aside}.")


@click.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Check the database and repair invalid rows, after backing it up.

    Runs SQLite's integrity check (a damaged file is reported with the restore command and
    never backed up), then repairs schedules with impossible values, cards without a schedule
    or a deck, and reviews of cards that no longer exist.
    """
    url = _url(ctx)
    path = backups.database_file(url)
    click.echo(f"Checking {path or backups.redact(url)} ...")
    report = backups.check(url)
    if path is not None:
        click.echo("Integrity: ok (PRAGMA integrity_check)")
    if report.backup:
        click.echo(f"Backup made first: {report.backup}")
    if report.repairs:
        click.echo("Repaired:")
        for what, count in report.repairs.items():
            click.echo(f"  {count:>6}  {what}")
    else:
        click.echo("Nothing to repair.")
    if report.foreign_key_problems:
        click.echo(f"Still {report.foreign_key_problems} rows with broken links; "
                   f"run `{backups.RESTORE_COMMAND}` to go back to a backup.")
    click.echo(f"Totals: {report.cards} cards, {report.reviews} logged answers.")
    if not report.ok:
        sys.exit(1)
