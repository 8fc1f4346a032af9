"""The command palette provider: every key-bound action of the current screen, plus navigation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class Command:
    """One palette entry."""

    title: str
    help: str
    run: Callable[[], object]
    action: str = ""  # what it does (an action name): two commands that do the same are one


def binding_commands(screen) -> Iterator[Command]:
    """A command for each binding the footer shows on `screen` (so keys and palette agree)."""
    app = screen.app
    seen: set[tuple[int, str]] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not (binding.show and binding.description and active.enabled):
            continue
        if binding.action in ("command_palette", "app.command_palette", "quit", "app.quit"):
            # The palette has these already (the palette itself, and the system Quit).
            continue
        ident = (id(active.node), binding.action)
        if ident in seen:
            continue
        seen.add(ident)
        title = binding.description
        if binding.group is not None and binding.group.description:
            title = f"{binding.group.description}: {title}"
        key = app.get_key_display(binding)
        help_text = f"{binding.tooltip or binding.description} ({key})"
        yield Command(title, help_text, partial(active.node.run_action, binding.action),
                      binding.action.removeprefix("app."))


def navigation_commands(screen) -> Iterator[Command]:
    """Going places from anywhere: home, a review of all decks or of one deck, quiz, stats, browse."""
    app = screen.app
    if getattr(app, "workspace", None) is None:
        return
    yield Command("Home", "Back to the home screen", app.action_home, "home")
    yield Command("Review all decks", "Review every deck's due and new cards", app.action_review,
                  "review")
    overview = getattr(app.screen_stack[0], "overview", None)
    for deck in getattr(overview, "decks", ()):
        yield Command(f"Review deck: {deck.name}",
                      f"{deck.title} ({deck.due} due, {deck.new} new)",
                      partial(app.action_review, deck.name))
    yield Command("Quiz", "A timed quiz", app.action_quiz, "quiz")
    yield Command("Stats", "Review statistics", app.action_stats, "stats")
    yield Command("Browse cards", "Search cards; suspend and unsuspend", app.action_browse, "browse")
    yield Command("Interview plan", "What `debrief plan` shows: recall on the day, the pace",
                  app.action_plan, "plan")
    yield Command("Interview date", "Set, change or clear the interview date",
                  app.action_interview_date, "interview_date")
    yield Command("Export to Anki", "Write every deck to an Anki package (.apkg)",
                  partial(app.action_transfer, "anki"), "transfer('anki')")
    yield Command("Export to CSV", "Write every deck as CSV (Anki's text import format)",
                  partial(app.action_transfer, "csv"), "transfer('csv')")
    yield Command("Import a deck", "Add or update a deck (.toml, .csv, .tsv), or bring in an "
                  "Anki package (.apkg, .colpkg)",
                  partial(app.action_transfer, "import"), "transfer('import')")
    yield Command("Settings", "New cards and reviews a day, retention, steps, day start, theme",
                  app.action_settings, "settings")
    yield Command("Back up now", "Back up the database now (what `debrief backup` does)",
                  app.action_backup_now, "backup_now")
    yield Command("Backups and restore", "List the backups; restore one (the current data is "
                  "backed up first)", app.action_backups, "backups")
    yield Command("Check the database", "Integrity check and repair of invalid rows, after a "
                  "backup (what `debrief check` does)", app.action_check, "check")
    yield Command("Optimize scheduling", "Fit FSRS parameters to your reviews and save them "
                  "(what `debrief optimize` does)", app.action_optimize, "optimize")
    yield Command("Keys", "Every key of this screen (?)", app.action_help, "help")


def palette_commands(screen) -> list[Command]:
    """Every command for `screen`: its key bindings first, then navigation, without duplicates
    (the same title, or the same action under another name: "Review all" is "Review all decks")."""
    commands: list[Command] = []
    seen: set[str] = set()
    for command in [*binding_commands(screen), *navigation_commands(screen)]:
        keys = {f"title:{command.title.lower()}"} | ({command.action} if command.action else set())
        if keys & seen:
            continue
        seen |= keys
        commands.append(command)
    return commands


class DebriefCommands(Provider):
    """debrief's commands in the palette (ctrl+p)."""

    async def discover(self) -> Hits:
        for command in palette_commands(self.screen):
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in palette_commands(self.screen):
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, help=command.help)
