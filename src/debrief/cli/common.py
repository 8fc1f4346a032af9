"""Helpers shared by the commands: opening the workspace, deck options, JSON output."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from debrief.workspace import Workspace


def db_url(ctx: click.Context) -> str | None:
    return (ctx.find_root().obj or {}).get("db_url")


def plain_flag(ctx: click.Context, local: bool) -> bool:
    return local or bool((ctx.find_root().obj or {}).get("plain"))


def open_workspace(url: str | None, **kwargs: Any) -> Workspace:
    """Open the workspace, making a backup before a schema migration when one is possible."""
    return Workspace.open(url, before_upgrade=_backup_before_upgrade, **kwargs)


def _backup_before_upgrade(revision: str | None) -> None:
    try:
        from debrief.backup import backup_before
    except ImportError:
        return
    backup_before("migration")


def deck_option(func: Callable) -> Callable:
    return click.option("--deck", "decks", multiple=True, metavar="NAME",
                        help="Only this deck (repeatable).")(func)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def run_app(url: str | None, screen: str = "home", **options: Any) -> None:
    """Start the Textual app on `screen`."""
    from debrief.tui.app import run

    run(url, screen=screen, **options)
