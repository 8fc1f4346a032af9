"""Pilot tests of the quiz and results screens: answering, both clocks, ending, misses to review."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Button, Input, Static

from debrief.quiz import QuizOptions
from debrief.tui.screens.confirm import ConfirmScreen
from debrief.tui.screens.quiz import QuizScreen
from debrief.tui.screens.quiz_results import QuizResultsScreen
from support.tui import HOSTILE, QuizApp, hostile_deck

SIZE = (100, 40)


def text(app: App, selector: str) -> str:
    """The text of a Static, or of every Static inside a container, one per line."""
    widget = app.screen.query_one(selector)
    statics = [widget] if isinstance(widget, Static) else list(widget.query(Static))
    return "\n".join(str(s.render()) for s in statics)


async def answer(pilot, value: str) -> None:
    box = pilot.app.screen.query_one(Input)
    box.value = value
    await pilot.press("enter")
    await pilot.pause()


async def test_answering_every_question_right_shows_full_marks(ws, timer):
    app = QuizApp(ws, timer, count=5, seed=4)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        session = screen.session
        assert "Question 1 of 5" in text(app, "#quiz-status")
        kinds = set()
        for question in list(session.questions):
            kinds.add(question.kind)
            assert question.prompt in text(app, "#quiz-prompt")
            timer.advance(2)
            await answer(pilot, question.shortest_right_answer)
        assert len(kinds) >= 3
        assert isinstance(app.screen, QuizResultsScreen)
        assert "Score 5/5 (100%)" in text(app, "#results-score")
        assert "Time 10.0s of 2m 30s" in text(app, "#results-score")
        assert "No misses" in text(app, "#results-misses")
        assert app.screen.query_one("#results-send", Button).disabled


async def test_feedback_after_a_wrong_answer_names_the_right_one(ws, timer):
    app = QuizApp(ws, timer, count=3, seed=4)
    async with app.run_test(size=SIZE) as pilot:
        first = app.screen.session.current
        await answer(pilot, "certainly wrong")
        feedback = text(app, "#quiz-feedback")
        assert "✗ Wrong" in feedback and first.right_label in feedback
        assert "Question 2 of 3" in text(app, "#quiz-status")


async def test_the_question_clock_counts_down_and_moves_on(ws, timer):
    app = QuizApp(ws, timer, count=3, seed=4, per_question=20, time_limit=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert not screen.query_one("#quiz-clock").display
        assert screen.query_one("#question-clock").display
        assert text(app, "#question-left") == "0:20 left"
        timer.advance(12.5)
        screen.tick()
        await pilot.pause()
        assert text(app, "#question-left") == "0:08 left"
        timer.advance(7.5)
        screen.tick()
        await pilot.pause()
        assert "⏱ Time's up (unanswered)" in text(app, "#quiz-feedback")
        assert "Question 2 of 3" in text(app, "#quiz-status")
        assert text(app, "#question-left") == "0:20 left"


async def test_the_quiz_ends_when_its_time_runs_out(ws, timer):
    app = QuizApp(ws, timer, count=5, seed=4, time_limit=60)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert text(app, "#quiz-left") == "1:00 left"
        await answer(pilot, screen.session.current.shortest_right_answer)
        timer.advance(60)
        screen.tick()
        await pilot.pause()
        assert isinstance(app.screen, QuizResultsScreen)
        score = text(app, "#results-score")
        assert "Score 1/5 (20%)" in score and "time ran out" in score
        misses = text(app, "#results-misses")
        assert "Misses (4)" in misses and "(no answer: the quiz ended)" in misses
        assert misses.count("(not reached)") == 3


async def test_escape_ends_the_quiz_early_and_closing_the_results_leaves(ws, timer):
    app = QuizApp(ws, timer, count=4, seed=4)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "nope")
        await pilot.press("escape")  # with an answer given, the quiz asks first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "3 questions left" in str(app.screen.query_one("#confirm-question", Static).render())
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen) and not app.screen.session.over
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, QuizResultsScreen)
        assert "ended early" in text(app, "#results-score")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuizResultsScreen | QuizScreen)


async def test_misses_go_to_review_from_the_results(ws, timer):
    app = QuizApp(ws, timer, count=3, seed=4)
    async with app.run_test(size=SIZE) as pilot:
        asked = [q.record.pk for q in app.screen.session.questions]
        for _ in asked:
            await answer(pilot, "wrong")
        button = app.screen.query_one("#results-send", Button)
        assert str(button.label) == "Send 3 misses to review (due today)"
        await pilot.click("#results-send")
        await pilot.pause()
        assert str(button.label) == "Sent 3 cards to today's review" and button.disabled
        now = ws.now()
        for pk in asked:
            assert ws.store.decks.card(pk).state.due <= now


async def test_send_misses_option_sends_them_at_once(ws, timer):
    app = QuizApp(ws, timer, count=2, seed=4, send_misses=True)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(2):
            await answer(pilot, "wrong")
        assert app.screen.sent == 2


async def test_n_starts_a_new_quiz_with_a_new_seed(ws, timer):
    app = QuizApp(ws, timer, count=2, seed=4)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(2):
            await answer(pilot, "x")
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen) and screen.session.seed != 4
        assert "Question 1 of 2" in text(app, "#quiz-status")
        assert not screen.query_one("#quiz-feedback").display


async def test_no_cards_is_explained_not_a_crash(ws, timer):
    app = QuizApp(ws, timer, missed=True)
    async with app.run_test(size=SIZE) as pilot:
        assert "No quiz: no cards missed in the last 14 days" in text(app, "#quiz-prompt")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuizScreen)


async def test_card_text_is_never_markup(ws, timer):
    ws.store.decks.sync_decks([hostile_deck()], ws.now())
    app = QuizApp(ws, timer, decks=("evil",), count=4, seed=1, kinds=("typed",))
    async with app.run_test(size=SIZE) as pilot:
        shown = []
        for _ in range(4):
            prompt = text(app, "#quiz-prompt")
            assert "\x1b" not in prompt
            shown.append(prompt)
            await answer(pilot, "x")
        assert app.is_running
        assert "Rich markup [/] must not raise" in shown
        assert "[bold]not bold[/bold] and [red]not red[/]" in shown
        assert "[@click=app.quit]clicking this must not quit[/]" in shown
        misses = text(app, "#results-misses")
        assert "[b]answer 1[/b]" in misses and "why: " + HOSTILE[1] in misses


async def test_the_app_opens_the_quiz_from_the_command_line_options(ws):
    from debrief.tui.app import DebriefApp
    from debrief.tui.screens.home import HomeScreen

    app = DebriefApp(workspace=ws, screen="quiz", options=QuizOptions(count=2, seed=3),
                     send_misses=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen) and app.screen.session.total == 2
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_escape_before_any_answer_ends_at_once(ws, timer):
    app = QuizApp(ws, timer, count=4, seed=4)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # nothing answered: nothing to lose, no question asked
        await pilot.pause()
        assert isinstance(app.screen, QuizResultsScreen)


async def test_ctrl_n_asks_then_starts_a_new_quiz(ws, timer):
    app = QuizApp(ws, timer, count=4, seed=4)
    async with app.run_test(size=SIZE) as pilot:
        first = app.screen.session
        await answer(pilot, "nope")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen) and app.screen.session is not first
        assert first.over and "Question 1 of 4" in text(app, "#quiz-status")


async def test_the_clocks_start_once_the_first_question_is_drawn(ws, timer):
    class SlowToDrawApp(App[None]):
        started_at_mount: float | None = -1.0

        async def on_mount(self) -> None:
            screen = QuizScreen(ws, timer=timer, count=4, seed=4, time_limit=60)
            await self.push_screen(screen)
            self.started_at_mount = screen.session.started
            timer.advance(7)  # seven seconds between mounting the screen and drawing it

    app = SlowToDrawApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.screen.session
        assert app.started_at_mount is None
        assert session.started == timer.now  # the drawing time is not the user's
        assert "1:00 left" in text(app, "#quiz-left")
        timer.advance(5)
        app.screen.tick()
        await pilot.pause()
        assert "0:55 left" in text(app, "#quiz-left")


async def test_the_typed_answer_hint_says_list_only_for_list_questions(demo_ws, timer):
    app = QuizApp(demo_ws, timer, count=5, seed=4, kinds=("typed",))
    async with app.run_test(size=SIZE) as pilot:
        seen = set()
        for question in list(app.screen.session.questions):
            hint = app.screen.query_one(Input).placeholder
            assert ("items separated by commas" in hint) == (question.card.kind == "list"), hint
            seen.add(question.card.kind)
            await answer(pilot, question.shortest_right_answer)
        assert "list" in seen and seen - {"list"}
