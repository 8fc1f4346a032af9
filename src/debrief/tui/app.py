"""The Textual app: `DebriefApp` and `run()`, which `debrief`, `debrief review` and friends call."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from debrief.errors import DebriefError
from debrief.tui import watchdog
from debrief.tui.type_ahead import TypeAheadApp, TypeAheadScreen
from debrief.workspace import Workspace

if TYPE_CHECKING:
    from textual.command import Provider

    from debrief.quiz import QuizSession
    from debrief.session import ReviewSession
    from debrief.storage import Store
    from debrief.tui.screens.home import HomeScreen
    from debrief.tui.screens.quiz import QuizScreen

SCREENS = ("home", "review", "stats", "quiz")
# A safety valve, as type_ahead.HOLD_LIMIT: keys typed before the first card are held at most this
# long if opening fails in a way that shows no screen.
STARTUP_HOLD_LIMIT = 10.0


def _one_line(error: BaseException) -> str:
    """An error as one line (tui.format, imported when an error first needs saying: not on the
    way to the first card)."""
    from debrief.tui.format import one_line

    return one_line(error)
THEME_KEY = "tui.theme"  # the last theme chosen, kept in the store's meta table


def _commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (not at start-up)."""
    from debrief.tui.commands import DebriefCommands

    return DebriefCommands


def _home_screen() -> type[HomeScreen]:
    # Imported on first use: a review started from the command line shows its card without it.
    from debrief.tui.screens.home import HomeScreen

    return HomeScreen


class DebriefApp(TypeAheadApp[None]):
    """debrief's full-screen face. The workspace opens in a thread after the first frame."""

    TITLE = "debrief"
    # Home is the default screen, and Textual loads a default screen's CSS_PATH only when it is
    # pushed, so home.tcss is loaded here.
    CSS_PATH = ["app.tcss", "screens/home.tcss"]
    COMMANDS = App.COMMANDS | {_commands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-normal")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (18, "-medium"), (30, "-tall")]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="Quit (every answer is saved)"),
        # f1 too: while an answer box has the focus, `?` is typed into it.
        Binding("question_mark,f1", "help", "Keys", tooltip="Every key of this screen"),
    ]

    def __init__(self, opener: Callable[[], Workspace] | None = None, *,
                 workspace: Workspace | None = None, screen: str = "home",
                 timer: Callable[[], float] | None = None,
                 finish_opening: Callable[[], Store] | None = None, **options: Any) -> None:
        """`finish_opening`, with a `workspace` from `open_for_review`: opens its full store,
        called in a worker once the first screen with data is drawn."""
        super().__init__()
        if screen not in SCREENS:
            raise ValueError(f"unknown screen {screen!r} (one of {', '.join(SCREENS)})")
        if opener is None and workspace is None:
            raise ValueError("give a workspace or a function that opens one")
        self.opener = opener
        self.finish_opening = finish_opening
        # A workspace still opening is handed over in `_workspace_ready`, not before: home must
        # not read its figures (through the full store) before the first card is shown.
        self._given = workspace
        self.workspace: Workspace | None = workspace if finish_opening is None else None
        self._theme_read: str | None = None
        self.start_screen = screen
        self.start_options = options
        self.session_timer = timer
        self.error: BaseException | None = None
        self._signals: list[int] = []
        # Sessions left unfinished, resumed when the same review (or any quiz) is opened again
        # today: (scope, study day, session) for the review.
        self._left_review: tuple[tuple[Any, ...], date, ReviewSession] | None = None
        self._left_quiz: QuizSession | None = None

    def get_default_screen(self) -> Screen[Any]:
        # Opened straight into a review, home is built when the review ends (`_back_home`), not
        # beneath the first card: its table and panels are a tenth of the start-up.
        return _home_screen()() if self.start_screen != "review" else Screen()

    # -- start-up and shut-down --------------------------------------------------------------

    def on_mount(self) -> None:
        self._install_signal_handlers()
        if self.start_screen in ("review", "quiz"):
            # Keys typed while the app starts go to the first card (its screen lets them through).
            self.hold_keys(limit=STARTUP_HOLD_LIMIT)
        if self._given is not None:
            self.call_after_refresh(self._workspace_ready, self._given)
        else:
            # First paint the home screen, then pay for SQLAlchemy, the migration check and the
            # deck sync in a thread.
            self.call_after_refresh(self._open_workspace)

    def on_unmount(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        for sig in self._signals:
            loop.remove_signal_handler(sig)
        self._signals.clear()

    def _install_signal_handlers(self) -> None:
        # Textual does not restore the terminal on SIGTERM/SIGHUP by itself: exit through the app.
        # Every answer is committed when it is rated, so nothing more needs saving.
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(sig, self.exit, None, 128 + sig)
            except (ValueError, RuntimeError, NotImplementedError):  # not the main thread
                continue
            self._signals.append(sig)
        if signal.SIGHUP in self._signals:
            # A closed terminal can leave Textual's shutdown blocked forever: see watchdog.
            watchdog.install((signal.SIGHUP,))

    @work(thread=True, exclusive=True, exit_on_error=False, name="open-workspace")
    def _open_workspace(self) -> None:
        assert self.opener is not None
        workspace = self.opener()
        self.call_from_thread(self._workspace_ready, workspace)
        # Then, once the first screen with data has been drawn, warm what the first answer needs
        # (fsrs, rapidfuzz, the grader's vocabulary) off the UI thread, while the user reads.
        self.call_from_thread(self.call_after_refresh, self._warm_up, workspace)

    @work(thread=True, exclusive=True, exit_on_error=False, name="open-workspace")
    def _finish_opening(self, workspace: Workspace) -> None:
        # The first card is on screen: now SQLAlchemy, the migration check and the deck sync
        # (what `open_workspace` does first), then what the first answer needs.
        assert self.finish_opening is not None
        self.finish_opening()
        self.call_from_thread(self._warm_up, workspace)

    @work(thread=True, group="warm-up", exit_on_error=False, name="warm-up")
    def _warm_up(self, workspace: Workspace) -> None:
        workspace.scheduler  # noqa: B018
        workspace.grader  # noqa: B018

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name == "open-workspace" and event.state == WorkerState.ERROR:
            self.error = event.worker.error
            self.exit(return_code=1)

    def _workspace_ready(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._restore_theme()
        home = self.screen_stack[0]
        # Opening straight into a review (or quiz, stats) skips home's figures: they are read
        # when home comes back, and the first card appears sooner.
        if self.start_screen == "home" and isinstance(home, _home_screen()):
            home.refresh_data()
        if self.start_screen == "review":
            decks = tuple(self.start_options.get("decks") or ())
            self.action_review(*decks, limit=self.start_options.get("limit"),
                               new_limit=self.start_options.get("new_limit"), from_command_line=True)
        elif self.start_screen == "stats":
            self.action_stats()
        elif self.start_screen == "quiz":
            self.action_quiz(**self.start_options)
        if self.finish_opening is not None:
            self._after_first_layout(self.screen, lambda: self._finish_opening(workspace))

    def _after_first_layout(self, screen: Screen[Any], callback: Callable[[], object]) -> None:
        """Run `callback` once `screen` has been laid out and drawn: the worker that opens the
        full store (and then builds the grader's vocabulary) must not compete with the first
        card for the one Python thread that runs at a time."""
        started = False

        def laid_out(_screen: Screen[Any]) -> None:
            nonlocal started
            if not started:
                started = True
                self.call_after_refresh(callback)

        screen.screen_layout_refresh_signal.subscribe(self, laid_out)

    def _restore_theme(self) -> None:
        if self.workspace is None:
            return
        try:
            theme = self.workspace.store.meta.get_meta(THEME_KEY)
        except DebriefError:
            return
        if theme and theme in self.available_themes:
            self._theme_read = theme
            self.theme = theme

    def watch_theme(self, theme: str) -> None:
        # The theme just read back is not written again: a write waits for the full store.
        if self.workspace is None or theme == self._theme_read:
            return
        self._theme_read = None
        try:
            self.workspace.store.meta.set_meta(THEME_KEY, theme)
        except DebriefError:
            pass

    # -- navigation (bound on the screens, and in the command palette) ------------------------

    def _require_workspace(self) -> Workspace | None:
        if self.workspace is None:
            self.notify("Still opening your decks…", severity="warning")
        return self.workspace

    @contextmanager
    def _opening_session(self) -> Iterator[None]:
        """Keys held by the key that asked for a review or quiz (see `HomeScreen.CHANGES`) wait
        for the new screen to say it is ready; when none opens (an error, nothing to open),
        they are let through at once."""
        before = self.screen
        try:
            yield
        finally:
            if self.screen is before or not isinstance(self.screen, TypeAheadScreen):
                self.release_keys()

    def action_review(self, *decks: str, limit: int | None = None, new_limit: int | None = None,
                      from_command_line: bool = False) -> None:
        """Start a review of `decks` (all decks when none)."""
        with self._opening_session():
            self._start_review(decks, limit, new_limit, from_command_line)

    def _start_review(self, decks: Sequence[str], limit: int | None, new_limit: int | None,
                      from_command_line: bool) -> None:
        workspace = self._require_workspace()
        if workspace is None:
            return
        from debrief.session import ReviewSession
        from debrief.tui.screens.review import ReviewScreen

        names: Sequence[str] | None = [d for d in decks if d] or None
        scope_key = (tuple(names or ()), limit, new_limit)
        left = self._left_review
        if (not from_command_line and left is not None and left[0] == scope_key
                and left[1] == workspace.today() and not left[2].over):
            if isinstance(self.screen, ReviewScreen) and self.screen.session is left[2]:
                return  # that review is the one on screen
            scope = ", ".join(names) if names else "all decks"
            self._open(ReviewScreen(left[2], scope))  # it resumes on mount: count and time go on
            return
        try:
            kwargs: dict[str, Any] = {"limit": limit, "new_limit": new_limit}
            if self.session_timer is not None:
                kwargs["timer"] = self.session_timer
            session = ReviewSession(workspace, names, **kwargs)
        except DebriefError as exc:
            if from_command_line:
                self.error = exc
                self.exit(return_code=1)
            else:
                self.notify(str(exc), severity="error", markup=False)
            return
        scope = ", ".join(names) if names else "all decks"
        self._left_review = (scope_key, workspace.today(), session)
        self._open(ReviewScreen(session, scope))

    def _open(self, screen: Screen[Any]) -> None:
        """Show `screen` over home: the screens are siblings, so going from one to another (by
        the palette) closes the first (its answers are saved already)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen, callback=self._back_home)

    def _back_home(self, _result: object = None) -> None:
        home_screen = _home_screen()
        if len(self.screen_stack) == 1 and not isinstance(self.screen_stack[0], home_screen):
            # Started on a review: home is made now, over the blank default screen (which
            # Textual does not let go), and made again whenever a screen opened from it closes.
            self.push_screen(home_screen())
            return
        home = self.screen_stack[0]
        if self.screen is home and isinstance(home, home_screen):
            home.refresh_data()

    def _open_screen(self, make: Callable[[Workspace], Screen[Any]]) -> None:
        """Open the screen `make` builds over the workspace; a DebriefError from building it (no
        cards to quiz on, say) is one notification, or the exit status when started for it."""
        workspace = self._require_workspace()
        if workspace is None:
            return
        try:
            screen = make(workspace)
        except DebriefError as exc:
            if self.start_screen != "home" and len(self.screen_stack) == 1:
                self.error = exc  # started for this screen from the command line: say why, exit
                self.exit(return_code=1)
            else:
                self.notify(str(exc), severity="error", markup=False)
            return
        self._open(screen)

    def action_quiz(self, **options: Any) -> None:
        """Open the quiz screen; without options (home's key, the palette), a quiz left
        unfinished (in this run, or when the app was closed) is resumed with its time left."""
        with self._opening_session():
            self._start_quiz(**options)

    def _start_quiz(self, **options: Any) -> None:
        from debrief.tui.screens.quiz import QuizScreen

        if self.session_timer is not None:
            options.setdefault("timer", self.session_timer)
        if set(options) <= {"timer"}:
            left = self._left_quiz_session()
            if left is not None:
                if isinstance(self.screen, QuizScreen) and self.screen.session is left:
                    return
                self._left_quiz = None
                self._open_screen(lambda workspace: QuizScreen(workspace, session=left,
                                                               **options))
                return
        self._left_quiz = None
        self._open_screen(lambda workspace: QuizScreen(workspace, **options))

    def on_quiz_screen_left(self, message: QuizScreen.Left) -> None:
        """A quiz screen was left with its quiz unfinished: keep it to resume."""
        self._left_quiz = message.session

    def _left_quiz_session(self) -> QuizSession | None:
        """The quiz to resume: the one left in this run, else one saved when the app closed."""
        import json

        from debrief.quiz import QuizSession
        from debrief.tui.screens.quiz import LEFT_QUIZ_KEY, countdown

        if self._left_quiz is not None and not self._left_quiz.over:
            return self._left_quiz
        workspace = self.workspace
        if workspace is None:
            return None
        try:
            saved = workspace.store.meta.get_meta(LEFT_QUIZ_KEY)
            if not saved:
                return None
            kwargs: dict[str, Any] = {}
            if self.session_timer is not None:
                kwargs["timer"] = self.session_timer
            session = QuizSession.resumed(workspace, json.loads(saved), **kwargs)
        except (DebriefError, ValueError) as exc:
            self.notify(f"The quiz left unfinished cannot be resumed: {exc}", title="Quiz",
                        severity="warning", markup=False)
            try:
                workspace.store.meta.set_meta(LEFT_QUIZ_KEY, None)
            except DebriefError:
                pass
            return None
        session.pause()  # the screen resumes it once it is on screen
        left = session.time_left()
        self.notify(f"Resumed your quiz at question {session.number} of {session.total}"
                    + (f", {countdown(left)} left" if left is not None else "")
                    + ".", title="Quiz", markup=False)
        return session

    def action_stats(self) -> None:
        """Open the statistics screen."""
        from debrief.tui.screens.stats import StatsScreen

        self._open_screen(StatsScreen)

    def action_browse(self) -> None:
        """Open the card browser."""
        workspace = self._require_workspace()
        if workspace is None:
            return
        from debrief.tui.screens.browse import BrowseScreen

        self._open(BrowseScreen(workspace))

    def action_help(self) -> None:
        """Show the keys of the current screen in an overlay (`?`)."""
        from debrief.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_transfer(self, kind: str) -> None:
        """Export (`anki`, `csv`) or import (`import`) through a path dialog; the result is a toast."""
        workspace = self._require_workspace()
        if workspace is None:
            return
        from debrief.tui.screens.transfer import TransferScreen

        def done(message: str | None) -> None:
            if message:
                self.notify(message, title="Import" if kind == "import" else "Export",
                            markup=False)
                self._back_home()

        self.push_screen(TransferScreen(workspace, kind), callback=done)

    def action_settings(self) -> None:
        """Open the settings screen (config.toml and the theme)."""
        workspace = self._require_workspace()
        if workspace is None:
            return
        from debrief.tui.screens.settings import SettingsScreen

        self._open(SettingsScreen(workspace))

    def action_plan(self) -> None:
        """Open the interview plan screen (what `debrief plan` prints)."""
        workspace = self._require_workspace()
        if workspace is None:
            return
        from debrief.tui.screens.plan import PlanScreen

        self._open(PlanScreen(workspace))

    def action_interview_date(self) -> None:
        """Ask for the interview date (set, change or clear it), then save it as the CLI does."""
        workspace = self._require_workspace()
        if workspace is None:
            return
        from debrief.plan import interview_date, parse_interview_date
        from debrief.tui.screens.interview import InterviewDateScreen

        today = workspace.today()
        try:
            current = interview_date(workspace)
        except DebriefError:
            current = None
        self.push_screen(InterviewDateScreen(current, today,
                                             lambda text: parse_interview_date(text, today)),
                         callback=self._interview_date_chosen)

    def _interview_date_chosen(self, value: str | None) -> None:
        from debrief.plan import set_interview_date

        if value is None:
            return
        if value == "":
            self.clear_interview_date()
            return
        workspace = self.workspace
        assert workspace is not None
        try:
            moved = set_interview_date(workspace, value)
        except DebriefError as exc:
            self.notify(str(exc), title="Interview date", severity="error", markup=False)
            return
        when = workspace.planner.interview
        message = f"Interview date set: {when:%a %d %b %Y}." if when else "Interview date set."
        if moved:
            message += f" Brought {moved} card{'s' if moved != 1 else ''} forward."
        self.notify(message, title="Interview date", markup=False)
        self._refresh_after_plan_change()

    def clear_interview_date(self) -> None:
        """Remove the interview date (scheduling goes back to plain FSRS) and say so."""
        from debrief.plan import clear_interview_date

        workspace = self._require_workspace()
        if workspace is None:
            return
        try:
            had = clear_interview_date(workspace)
        except DebriefError as exc:
            self.notify(str(exc), title="Interview date", severity="error", markup=False)
            return
        self.notify("Interview date removed: scheduling is back to normal." if had
                    else "No interview date was set.", title="Interview date", markup=False)
        self._refresh_after_plan_change()

    def _refresh_after_plan_change(self) -> None:
        from debrief.tui.screens.plan import PlanScreen

        screen = self.screen
        if isinstance(screen, _home_screen()):
            screen.refresh_data()
        elif isinstance(screen, PlanScreen):
            screen.load()

    # -- keeping the data safe: backups, restore, check; fitting the scheduler -----------------

    def action_backups(self) -> None:
        """Open the backups screen over the current one (back up now, or restore)."""
        workspace = self._require_workspace()
        if workspace is None:
            return
        from debrief.tui.screens.backups import BackupsScreen

        if not isinstance(self.screen, BackupsScreen):
            self.push_screen(BackupsScreen(workspace))

    def action_backup_now(self) -> None:
        """Back up the database now, as `debrief backup` does; the toast says where."""
        workspace = self._require_workspace()
        if workspace is None:
            return
        from debrief.humanize import size_text
        from debrief.store import backup as backups
        from debrief.tui.screens.backups import BackupsScreen

        try:
            made = backups.make_backup(workspace.store.url, reason="manual")
        except (DebriefError, OSError) as exc:
            self.notify(_one_line(exc), title="Backup", severity="error", markup=False)
            return
        self.notify(f"Backed up to {made.path} ({size_text(made.size)}).", title="Backup",
                    markup=False)
        if isinstance(self.screen, BackupsScreen):
            self.screen.load()

    def restore_refusal(self) -> str | None:
        """Why a restore cannot run now (a review or quiz is open in this app), or None."""
        from debrief.tui.screens.quiz import QuizScreen
        from debrief.tui.screens.review import ReviewScreen

        for screen in self.screen_stack:
            if isinstance(screen, ReviewScreen | QuizScreen):
                what = "review" if isinstance(screen, ReviewScreen) else "quiz"
                return (f"A {what} is open in this app: leave it first (Esc), then restore. "
                        f"Restoring under an open {what} would mix two histories.")
        return None

    def reload_workspace(self, message: str = "") -> None:
        """After a restore replaced the database: open the workspace afresh on it, drop what
        was read from the old data, and go home, so every screen shows the restored data."""
        old = self.workspace
        if old is None:
            return
        try:
            fresh = self._reopen(old)
        except DebriefError as exc:
            self.notify(f"{message} Reopening failed: {exc}".strip(), severity="error",
                        markup=False)
            return
        old.store.close()
        self.workspace = fresh
        self.forget_sessions()
        self._restore_theme()
        if message:
            self.notify(message, title="Restore", markup=False, timeout=10)
        self.action_home()

    def _reopen(self, old: Workspace) -> Workspace:
        if self.opener is not None:
            return self.opener()  # as at start-up: migration (with its backup) and deck sync
        from debrief.store import backup_before, open_store

        url = old.store.url
        store = open_store(url, before_upgrade=lambda _revision: backup_before("migration", url))
        return Workspace(store=store, settings=old.settings, clock=old.clock, home=old.home)

    def forget_sessions(self) -> None:
        """Drop the sessions kept for resuming (their data was replaced)."""
        self._left_review = None
        self._left_quiz = None

    def action_check(self) -> None:
        """Check the database and repair invalid rows (what `debrief check` does), in a thread;
        the result is a toast."""
        workspace = self._require_workspace()
        if workspace is None:
            return
        self.notify("Checking the database…", title="Check", markup=False)
        self._check(workspace.store.url)

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def _check(self, url: str) -> None:
        from debrief.store import backup as backups

        try:
            report = backups.check(url)
        except (DebriefError, OSError) as exc:
            self.call_from_thread(self.notify, _one_line(exc), title="Check",
                                  severity="error", markup=False)
            return
        parts = ["Integrity ok" if backups.database_file(url) else "Checked"]
        if report.repairs:
            parts.append("repaired " + ", ".join(f"{count} {what}"
                                                  for what, count in report.repairs.items()))
        else:
            parts.append("nothing to repair")
        if report.foreign_key_problems:
            parts.append(f"still {report.foreign_key_problems} rows with broken links: restore "
                         "a backup (ctrl+p, Backups)")
        parts.append(f"{report.cards} cards, {report.reviews} logged answers")
        if report.backup:
            parts.append(f"backup made first: {report.backup.name}")
        self.call_from_thread(self.notify, "; ".join(parts) + ".", title="Check",
                              severity="information" if report.ok else "error", markup=False,
                              timeout=10)
        self.call_from_thread(self._back_home)

    def action_optimize(self) -> None:
        """Fit FSRS parameters to the review log and save them (what `debrief optimize` does),
        in a thread; the result is a toast."""
        workspace = self._require_workspace()
        if workspace is None:
            return
        self.notify("Fitting scheduling to your reviews…", title="Optimize", markup=False)
        self._optimize(workspace)

    @work(thread=True, exclusive=True, group="optimize", exit_on_error=False)
    def _optimize(self, workspace: Workspace) -> None:
        from debrief import locations
        from debrief.optimize import optimize

        try:
            result = optimize(workspace, locations.config_path())
        except (DebriefError, OSError) as exc:
            self.call_from_thread(self.notify, _one_line(exc), title="Optimize",
                                  severity="error", markup=False)
            return
        self.call_from_thread(
            self.notify,
            f"Fitted FSRS parameters on {result.reviews} reviews: log loss "
            f"{result.log_loss_before:.4f} -> {result.log_loss_after:.4f}, RMSE "
            f"{result.rmse_before:.2%} -> {result.rmse_after:.2%} (lower is better). Saved to "
            f"{locations.config_path()}; recomputed the memory state of {result.recomputed} "
            f"card{'s' if result.recomputed != 1 else ''} (due dates kept).",
            title="Optimize", markup=False, timeout=15)

    def action_home(self) -> None:
        """Close every screen above home."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._back_home()


def _preimport() -> None:
    import debrief.store  # noqa: F401


def run(url: str | None = None, screen: str = "home", **options: Any) -> None:
    """Run the app on `screen` against the database at `url` (None: the default database)."""
    import threading

    from debrief.workspace import open_for_review, open_workspace

    # A review on a SQLite database opened before at this schema: its first card is read with
    # sqlite3 and SQLAlchemy is loaded once the card is shown (see debrief.store.first_card).
    fast = open_for_review(url) if screen == "review" else None
    if fast is not None:
        workspace, finish = fast
        app = DebriefApp(workspace=workspace, finish_opening=finish, screen=screen, **options)
    else:
        # Import the database layer (about 0.2 s, mostly SQLAlchemy) while Textual sets up the
        # terminal and draws the first frame; the workspace worker then finds it already loaded.
        threading.Thread(target=_preimport, name="debrief-preimport", daemon=True).start()
        app = DebriefApp(lambda: open_workspace(url), screen=screen, **options)
    try:
        app.run()
    finally:
        watchdog.finished()
        if app.workspace is not None:
            app.workspace.close()
        elif fast is not None:
            fast[0].store.close()  # quit before the review opened: nothing to back up
    if app.error is not None:
        raise app.error
    if app.return_code:
        raise SystemExit(app.return_code)
