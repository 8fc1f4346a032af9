"""`debrief grade`: grade JSON lines from stdin or a file; starts fast (no Textual, no SQLAlchemy)."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.option("--input", "input_path", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Read JSON lines from FILE instead of stdin.")
@click.pass_context
def grade(ctx: click.Context, input_path: Path | None) -> None:
    """Grade answers: each input line is a spec plus an "answer"; one verdict line out per line."""
    from debrief.grading.jsonl import grade_lines

    # Lines are read as bytes and decoded one by one, so a line that is not UTF-8 is reported as
    # that line's error and the lines after it are still graded.
    if input_path is None:
        status = grade_lines(sys.stdin.buffer, sys.stdout)
    else:
        with input_path.open("rb") as stream:
            status = grade_lines(stream, sys.stdout)
    ctx.exit(status)
