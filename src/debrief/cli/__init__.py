"""The `debrief` command: a click group whose subcommands are imported only when run."""

from __future__ import annotations

import importlib
import os
import signal
import sys

import click

from debrief import __version__

# name -> "module:attribute"; a command's module is imported only when that command runs, so
# `debrief grade` never pays for Textual or SQLAlchemy.
COMMANDS = {
    "review": "debrief.cli.review:review",
    "decks": "debrief.cli.decks:decks",
    "cards": "debrief.cli.decks:cards",
    "import": "debrief.cli.decks:import_",
    "stats": "debrief.cli.stats:stats",
    "grade": "debrief.cli.grade:grade",
    "export": "debrief.cli.export:export",
    "quiz": "debrief.cli.quiz:quiz",
    "backup": "debrief.cli.safety:backup",
    "restore": "debrief.cli.safety:restore",
    "check": "debrief.cli.safety:check",
    "plan": "debrief.cli.plan:plan",
    "optimize": "debrief.cli.optimize:optimize",
}


class LazyGroup(click.Group):
    """A group that imports a subcommand's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)


@click.group(cls=LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="debrief")
@click.option("--db", "db_url", metavar="URL", envvar="DEBRIEF_DB",
              help="SQLAlchemy database URL (default: SQLite in the data dir; env DEBRIEF_DB).")
@click.option("--plain", is_flag=True, help="Line mode instead of the full-screen app.")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None, plain: bool) -> None:
    """debrief: flashcards and timed quizzes for AI PM and ML PM interviews.

    With no command, opens the app on its home screen. Data lives in the platform's user data
    dir; DEBRIEF_HOME=DIR moves all of it, DEBRIEF_NOW=ISO-8601 fixes the clock.
    """
    ctx.ensure_object(dict)
    ctx.obj["db_url"] = db_url
    ctx.obj["plain"] = plain
    if ctx.invoked_subcommand is None:
        if plain:
            from debrief.cli.decks import print_decks

            print_decks(db_url)
            return
        from debrief.cli.common import run_app

        run_app(db_url, screen="home")


def _install_signal_exit() -> None:
    # A closed terminal (SIGHUP) or `kill` (SIGTERM) in line mode: every answer is already
    # committed, so exit at once and quietly with the conventional status.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: os._exit(128 + signum))


def main() -> None:
    """Entry point: run the CLI, turning expected errors into one line and a non-zero exit."""
    from debrief.cli.terminal import printable
    from debrief.errors import DebriefError

    _install_signal_exit()
    # A line of input that is not UTF-8 is read with U+FFFD for the bad bytes (then graded as any
    # other text) instead of failing the whole command.
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")
    try:
        status = cli.main(prog_name="debrief", standalone_mode=False)
        # Without standalone mode, click returns a command's `ctx.exit(code)` instead of exiting.
        if isinstance(status, int) and status:
            sys.exit(status)
    except click.exceptions.Abort:
        click.echo("debrief: aborted", err=True)
        sys.exit(130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        # One line, like every other error; the command's --help says the rest.
        command = exc.ctx.command_path if exc.ctx is not None else "debrief"
        click.echo(printable(f"debrief: error: {exc.format_message()} (see `{command} --help`)"),
                   err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(printable(f"debrief: error: {exc.format_message()}"), err=True)
        sys.exit(exc.exit_code)
    except DebriefError as exc:
        message = str(exc).strip() or type(exc).__name__
        click.echo(printable(f"debrief: error: {message}"), err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("\ndebrief: interrupted (every answer given so far is saved)", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
    except OSError as exc:
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        click.echo(printable(f"debrief: error:{where} {exc.strerror or exc}"), err=True)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, never a traceback
        if os.environ.get("DEBRIEF_DEBUG"):
            raise
        log = _write_crash_log()
        click.echo(printable(f"debrief: internal error: {type(exc).__name__}: {exc}"
                             + (f" (details in {log})" if log else "")), err=True)
        sys.exit(70)


def _write_crash_log() -> str | None:
    import traceback

    try:
        from debrief.locations import data_dir

        path = data_dir() / "last-error.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(traceback.format_exc(), encoding="utf-8")
        return str(path)
    except OSError:
        return None
