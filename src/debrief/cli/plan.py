"""`debrief plan`: set the interview date and show how ready you will be on the day."""

from __future__ import annotations

import click

from debrief.cli.common import db_url, deck_option, echo_json, open_workspace

DAILY_ROWS = 7


def _percent(value: float | None) -> str:
    return "   -" if value is None else f"{value * 100:3.0f}%"


def _day(value) -> str:  # date -> "Tue 2026-03-10"
    return value.strftime("%a %Y-%m-%d")


def plan_lines(plan) -> list[str]:  # debrief.plan.Plan -> lines of text
    """The plan as plain text, as `debrief plan` prints it."""
    from debrief.plan import FINAL_DAYS

    if plan.interview_date is None:
        return ["No interview date set.",
                "Set one with `debrief plan --interview YYYY-MM-DD` to plan for the day."]
    when = _day(plan.interview_date)
    if plan.passed:
        return [f"The interview date {when} has passed: scheduling is back to normal.",
                "Set a new date with `debrief plan --interview YYYY-MM-DD`, or remove it with "
                "`debrief plan --clear`."]
    days = plan.days_left
    lines = [f"Interview: {when} - " + ("today" if days == 0 else
                                         "tomorrow" if days == 1 else f"{days} days left")]
    lines.append(f"Target recall on the day: {plan.target * 100:.0f}% (interview_retention)")
    lines.append(f"Predictions from {plan.parameters_note}.")
    lines.append("")
    width = max([len(d.name) for d in plan.decks] + [7])
    lines.append(f"{'recall':<{width}}  {'today':>5}  {'on the day':>10}  {'if you keep up':>14}")
    for deck in (*plan.decks, plan.overall):
        lines.append(f"{deck.name:<{width}}  {_percent(deck.recall_today):>5}  "
                     f"{_percent(deck.recall_on_day):>10}  {_percent(deck.projected_recall_on_day):>14}")
    lines.append("('on the day': if you stop reviewing now; 'if you keep up': doing each day's "
                 "reviews and new cards)")
    lines.append("")
    new = plan.overall.new
    if new == 0:
        lines.append("New cards: none left - every card has been studied.")
    elif plan.behind:
        lines.append(f"New cards: {new} left - too close to learn them {FINAL_DAYS} days ahead; "
                     "learn them all today.")
    else:
        lines.append(f"New cards: {new} left - {plan.new_per_day} a day to have studied every card "
                     f"by {_day(plan.learn_by)} ({FINAL_DAYS} days before).")
    if plan.over_limit:
        lines.append(f"  Your daily limit is {plan.new_limit}: use `debrief review --new "
                     f"{plan.new_per_day}` each day or raise new_per_day in config.toml "
                     "([scheduling]); at the limit, some cards stay unstudied on the day.")
    lines.append(f"Cards at risk on the day: {plan.at_risk}" + (
        " (studied, not due before the day, predicted below target; run "
        "`debrief plan --interview " + plan.interview_date.isoformat() + "` to bring them forward)"
        if plan.at_risk else ""))
    if plan.on_track:
        lines.append(f"On track: no studied card falls below target on the day and every new "
                     f"card fits the daily limit; the last {FINAL_DAYS} days are for review.")
    if plan.workload:
        lines.append("")
        lines.append("Expected workload (FSRS projection):")
        lines.extend(_workload_lines(plan.workload))
    return lines


def _workload_lines(workload) -> list[str]:  # tuple[WorkDay, ...] -> lines
    lines = []
    for work in workload[:DAILY_ROWS]:
        lines.append(f"  {work.day.strftime('%a %m-%d')}              {round(work.reviews):6d} reviews"
                     + (f"  + {work.new} new" if work.new else ""))
    rest = workload[DAILY_ROWS:]
    for start in range(0, len(rest), 7):
        week = rest[start:start + 7]
        first, last = week[0].day, week[-1].day
        reviews = sum(w.reviews for w in week)
        new = sum(w.new for w in week)
        span = f"{first.strftime('%a %m-%d')} - {last.strftime('%a %m-%d')}"
        lines.append(f"  {span:<19} {round(reviews / len(week)):6d} reviews a day"
                     + (f"  + {new} new" if new else ""))
    return lines


@click.command()
@click.option("--interview", "interview", metavar="YYYY-MM-DD",
              help="Set the interview date (the plan then schedules toward it).")
@click.option("--clear", is_flag=True, help="Remove the interview date (back to plain FSRS).")
@deck_option
@click.option("--json", "as_json", is_flag=True, help="The plan as JSON.")
@click.option("--plain", is_flag=True, help="Text output (the default for this command).")
@click.pass_context
def plan(ctx: click.Context, interview: str | None, clear: bool, decks: tuple[str, ...],
         as_json: bool, plain: bool) -> None:
    """Plan for an interview date: recall today and on the day, new cards a day, daily workload."""
    from debrief.plan import PlanError, build_plan, clear_interview_date, set_interview_date

    if interview is not None and clear:
        raise PlanError("use either --interview DATE or --clear, not both")
    ws = open_workspace(db_url(ctx))
    try:
        notes: list[str] = []
        if clear:
            had = clear_interview_date(ws)
            notes.append("Interview date removed: scheduling is back to normal." if had
                         else "No interview date was set.")
        elif interview is not None:
            moved = set_interview_date(ws, interview)
            notes.append(f"Interview date set: {_day(ws.planner.interview)}.")
            if moved:
                notes.append(f"Brought {moved} card{'s' if moved != 1 else ''} forward to be "
                             "reviewed before the day.")
        result = build_plan(ws, ws.store.decks.deck_ids(decks or None))
    finally:
        ws.close()
    if as_json:
        echo_json(result.to_json())
        return
    if clear:
        click.echo("\n".join(notes))
        return
    for line in notes + ([""] if notes else []) + plan_lines(result):
        click.echo(line)

