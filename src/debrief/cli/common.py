"""Helpers shared by the commands: opening the workspace, deck options, JSON output."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from debrief.errors import DebriefError
from debrief.workspace import Workspace


def db_url(ctx: click.Context) -> str | None:
    return (ctx.find_root().obj or {}).get("db_url")


def plain_flag(ctx: click.Context, local: bool) -> bool:
    return local or bool((ctx.find_root().obj or {}).get("plain"))


def open_workspace(url: str | None, **kwargs: Any) -> Workspace:
    """Open the workspace, making a backup before a schema migration when one is possible."""
    from debrief import locations

    resolved = locations.database_url(url)

    def backup_before_upgrade(_revision: str | None) -> None:
        from debrief.store.backup import backup_before

        backup_before("migration", resolved)

    return Workspace.open(url, before_upgrade=backup_before_upgrade, **kwargs)


def deck_option(func: Callable) -> Callable:
    return click.option("--deck", "decks", multiple=True, metavar="NAME",
                        help="Only this deck (repeatable).")(func)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


class NotATerminalError(DebriefError):
    """The full-screen app was asked for where there is no terminal."""


def run_app(url: str | None, screen: str = "home", **options: Any) -> None:
    """Start the Textual app on `screen` (a clear error, not a hang, without a terminal)."""
    import sys

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        command = "debrief" if screen == "home" else f"debrief {screen}"
        raise NotATerminalError(f"the app needs a terminal; for line mode use `{command} --plain`")
    from debrief.tui.app import run

    run(url, screen=screen, **options)
