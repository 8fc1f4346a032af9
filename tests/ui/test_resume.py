"""A session left and opened again goes on where it stood: a review keeps its count and its
clock (the time away not counted), a quiz keeps its questions, answers and time left, also
when the app was closed in the middle of it."""

from __future__ import annotations

import json

from textual.widgets import Input

from debrief.tui.screens.home import HomeScreen
from debrief.tui.screens.quiz import LEFT_QUIZ_KEY, QuizScreen
from debrief.tui.screens.review import ReviewScreen
from debrief.tui.screens.stats import StatsScreen
from support.tui import FakeTimer, make_app, review_first_card, screen_text


async def test_a_review_left_and_resumed_keeps_its_count_and_time(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await review_first_card(pilot)  # 10 s on the first card, rated
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        session = screen.session
        assert session.done == 1
        timer.advance(5)  # on the second card
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        timer.advance(3600)  # an hour away
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session is session
        assert session.done == 1
        assert session.elapsed == 15  # the hour away is not review time
        text = screen_text(app)
        assert "done 1" in text and "time 0:15" in text
        timer.advance(4)
        assert session.elapsed == 19  # the clock runs again


async def test_a_review_of_other_decks_is_a_new_session(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await review_first_card(pilot)
        first = app.screen.session
        await pilot.press("escape")
        await pilot.pause()
        app.action_review("metrics")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session is not first and app.screen.session.done == 0


async def answer(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")
    await pilot.pause()


async def start_quiz_and_answer_one(app, pilot, timer: FakeTimer) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("q")
    await pilot.pause()
    assert isinstance(app.screen, QuizScreen)
    session = app.screen.session
    assert session is not None and session.started is not None
    timer.advance(20)
    await answer(pilot, session.current.shortest_right_answer)
    timer.advance(7)  # on question 2
    assert session.number == 2 and session.score == 1


async def test_a_quiz_left_for_another_screen_resumes_with_its_time_left(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_quiz_and_answer_one(app, pilot, timer)
        session = app.screen.session
        left = session.time_left()
        assert left == session.time_limit - 27
        app.action_stats()  # from the palette: the quiz screen closes
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        timer.advance(600)  # ten minutes away: the quiz's time would have run out
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        assert app.screen.session is session and not session.over
        assert session.time_left() == left
        assert session.question_time_left() == left
        assert f"Question 2 of {session.total} · score 1" in screen_text(app)


async def test_a_quiz_open_when_the_app_closed_resumes_in_the_next_run(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_quiz_and_answer_one(app, pilot, timer)
        first = app.screen.session
        plan = [q.plan() for q in first.questions]
        quiz_id, limit = first.quiz_id, first.time_limit
    # The app closed with the quiz on screen: it was saved, paused, for the next run.
    saved = json.loads(ws.store.meta.get_meta(LEFT_QUIZ_KEY) or "{}")
    assert saved["quiz_id"] == quiz_id and saved["elapsed"] == 27

    later = FakeTimer(start=50_000.0)  # another run: another monotonic clock
    app = make_app(ws, later)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        session = app.screen.session
        assert session is not None and session.quiz_id == quiz_id
        assert [q.plan() for q in session.questions] == plan
        assert session.number == 2 and session.score == 1
        assert session.time_left() == limit - 27
        assert any(str(n.message).startswith(f"Resumed your quiz at question 2 of {session.total}")
                   for n in app._notifications)
        assert ws.store.meta.get_meta(LEFT_QUIZ_KEY) is None  # taken up
        # Finish it: the first answer, given in the last run, counts in the score.
        for question in session.questions[1:]:
            later.advance(1)
            await answer(pilot, question.shortest_right_answer)
        assert session.over
    [finished] = [q for q in ws.store.quizzes.quizzes() if q.id == quiz_id]
    assert finished.score == session.total and finished.total == session.total
    assert finished.seconds == 27 + session.total - 1  # 27 s in the first run, 1 s an answer after


async def test_a_left_quiz_whose_cards_changed_starts_afresh_and_says_so(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_quiz_and_answer_one(app, pilot, timer)
    saved = json.loads(ws.store.meta.get_meta(LEFT_QUIZ_KEY) or "{}")
    saved["plan"][0]["card"] = "no-such-card"
    ws.store.meta.set_meta(LEFT_QUIZ_KEY, json.dumps(saved))
    app = make_app(ws, FakeTimer())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        assert app.screen.session is not None and app.screen.session.number == 1
        assert any("cannot be resumed" in str(n.message) for n in app._notifications)
        assert ws.store.meta.get_meta(LEFT_QUIZ_KEY) is None  # dropped, not offered again
