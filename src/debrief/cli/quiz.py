"""`debrief quiz`: a timed mock drill, in the app or in line mode."""

from __future__ import annotations

import sys
from typing import TextIO, cast

import click

from debrief.cli.common import db_url, deck_option, open_workspace, plain_flag, run_app


def _duration(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    from debrief.config import parse_duration

    text = value.strip().lower()
    if text in ("off", "none", "no"):
        return 0.0
    try:
        seconds = parse_duration(text).total_seconds()
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    if seconds < 0:
        raise click.BadParameter("must not be negative")
    return seconds


def _kinds(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    from debrief.quiz import QuizError, parse_kinds

    try:
        return parse_kinds(value)
    except QuizError as exc:
        raise click.BadParameter(str(exc)) from exc


@click.command()
@deck_option
@click.option("--count", type=click.IntRange(min=1), default=20, show_default=True, metavar="N",
              help="Number of questions.")
@click.option("--time", "time_limit", callback=_duration, metavar="DURATION",
              help="Time for the whole quiz, e.g. 10m or 90s (default: 30s, or --per-question, "
                   "times the questions; 0 or off: no limit).")
@click.option("--per-question", callback=_duration, metavar="DURATION",
              help="Time for each question; when it runs out the question counts as unanswered.")
@click.option("--kinds", multiple=True, callback=_kinds, metavar="KINDS",
              help="Only these question kinds: typed, choice, role, figure (comma-separated or repeated).")
@click.option("--missed", is_flag=True,
              help="Only cards whose latest answer in the last 14 days was wrong.")
@click.option("--seed", type=int, metavar="N", help="Make the same quiz again (the results show the seed).")
@click.option("--reschedule", is_flag=True,
              help="Let quiz answers move cards in the spaced-repetition schedule (off by default).")
@click.option("--send-misses/--keep-misses", default=None,
              help="Send the misses into today's review without asking (or never).")
@click.option("--interview", is_flag=True,
              help="Quiz the cards with the lowest predicted recall on your interview day.")
@click.option("--plain", is_flag=True, help="Line mode: one answer line per question.")
@click.pass_context
def quiz(ctx: click.Context, decks: tuple[str, ...], count: int, time_limit: float | None,
         per_question: float | None, kinds: tuple[str, ...], missed: bool, seed: int | None,
         reschedule: bool, send_misses: bool | None, interview: bool, plain: bool) -> None:
    """A timed quiz: typed, multiple-choice, "AI PM or ML PM?" and figure questions.

    Answers are logged as quiz answers and leave the review schedule alone unless --reschedule.
    """
    from debrief.quiz import QuizOptions

    options = QuizOptions(decks=decks, count=count, time_limit=time_limit,
                          per_question=per_question or None, kinds=kinds, missed=missed, seed=seed,
                          reschedule=reschedule, interview=interview)
    if not plain_flag(ctx, plain):
        run_app(db_url(ctx), screen="quiz", options=options, send_misses=send_misses)
        return
    from debrief.cli.plain_quiz import reader_for, run_plain_quiz
    from debrief.cli.terminal import CleanWriter
    from debrief.quiz import QuizSession

    ws = open_workspace(db_url(ctx))
    try:
        session = QuizSession(ws, options)
        status = run_plain_quiz(session, reader_for(sys.stdin), cast(TextIO, CleanWriter(sys.stdout)),
                                send_misses=send_misses)
    finally:
        ws.close()
    ctx.exit(status)
