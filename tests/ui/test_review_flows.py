"""Pilot tests of the review screen: each flow a user goes through, checked in the store too."""

from __future__ import annotations

from debrief.scheduling import Rating
from debrief.tui.screens.home import HomeScreen
from debrief.tui.screens.review import ReviewScreen
from debrief.tui.screens.summary import SummaryScreen
from debrief.tui.widgets.answer import AnswerBox
from debrief.tui.widgets.ratings import RatingBar
from support.tui import answer, make_app, review_first_card, screen_text, start_review


def card_pk(ws, card_id: str) -> int:
    return next(r.pk for r in ws.store.decks.cards() if r.card.id == card_id)


async def test_answer_box_has_focus_when_the_card_appears(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert isinstance(app.focused, AnswerBox)
        text = screen_text(app)
        assert "TEXT" in text and "Type the answer" in text  # the card's kind is visible
        assert "mathematical ____ of the model" in text
        assert "done 0 · left 13" in text and "time 0:00" in text


async def test_answer_right_then_accept_the_suggestion(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        await answer(pilot, "convergence", keys=True)
        text = screen_text(app)
        assert "✓ Correct" in text
        assert "Answer  convergence" in text
        assert "Why" in text and "model converges" in text
        for label in ("1 Again", "2 Hard", "3 Good", "4 Easy"):
            assert label in text
        assert "3 Good ⏎" in text  # the suggestion, marked without colour
        assert isinstance(app.focused, RatingBar)
        await pilot.press("enter")
        await pilot.pause()
        assert "Saved: Good" in screen_text(app)
        assert "done 1" in screen_text(app)
    history = ws.store.log.history(card_pk(ws, "demo-001"))
    assert [(h.rating, h.verdict, h.answer) for h in history] == [(3, "correct", "convergence")]


async def test_answer_wrong_suggests_again(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        await answer(pilot, "divergence")
        text = screen_text(app)
        assert "✗ Wrong" in text
        assert "Yours" in text and "divergence" in text
        assert "Answer  convergence" in text
        assert "1 Again ⏎" in text
        await pilot.press("enter")
        await pilot.pause()
    record = ws.store.decks.card(card_pk(ws, "demo-001"))
    assert record.state.state == "learning"
    assert ws.store.log.history(record.pk)[0].rating == int(Rating.AGAIN)


async def test_override_the_suggested_rating(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        await answer(pilot, "divergence")
        await pilot.press("4")  # Easy, although the suggestion is Again
        await pilot.pause()
        assert "Saved: Easy" in screen_text(app)
    history = ws.store.log.history(card_pk(ws, "demo-001"))
    assert history[0].rating == int(Rating.EASY)
    assert ws.store.decks.card(card_pk(ws, "demo-001")).state.state == "review"


async def test_undo_while_typing_and_after_feedback(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await review_first_card(pilot)
        assert "North Star" in screen_text(app)  # the next card
        await pilot.press("ctrl+z")  # the answer box has focus: u would be typed
        await pilot.pause()
        text = screen_text(app)
        assert "mathematical ____ of the model" in text
        assert "Undone" in text and "done 0" in text
        assert ws.store.log.history(card_pk(ws, "demo-001")) == []
        assert ws.store.decks.card(card_pk(ws, "demo-001")).state.state == "new"
        # answer again; in the feedback phase `u` undoes the previous saved answer
        await answer(pilot, "convergence")
        await pilot.press("3")
        await pilot.pause()
        await answer(pilot, "wrong")
        await pilot.press("u")
        await pilot.pause()
        assert "mathematical ____ of the model" in screen_text(app)
        assert ws.store.log.history(card_pk(ws, "demo-001")) == []


async def test_undo_with_nothing_to_undo_says_so(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert any("Nothing to undo" in str(n.message) for n in app._notifications)
        assert isinstance(app.screen, ReviewScreen)


async def test_suspend_the_card(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert "Suspended" in text and "North Star" in text
    assert ws.store.decks.card(card_pk(ws, "demo-001")).suspended


async def test_bury_the_card_until_tomorrow(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        await answer(pilot, "convergence")
        await pilot.press("b")  # in the feedback phase the single letters work
        await pilot.pause()
        text = screen_text(app)
        assert "Buried until tomorrow" in text
        assert "Saved: Good (the suggestion)" in text  # the graded answer is saved, and it says so
    record = ws.store.decks.card(card_pk(ws, "demo-001"))
    _start, day_end = ws.day_bounds()
    assert record.buried_until == day_end
    assert [r.rating for r in ws.store.log.history(record.pk)] == [3]


async def test_recall_card_reveal_then_rate(demo_ws, timer):
    app = make_app(demo_ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        for text in ("convergence", "AI PM", "15"):
            await answer(pilot, text)
            await pilot.press("enter")
            await pilot.pause()
        text = screen_text(app)
        assert "RECALL" in text and "press Enter or space to reveal" in text
        assert not app.screen.query_one(AnswerBox).display
        await pilot.press("space")
        await pilot.pause()
        text = screen_text(app)
        assert "Answer shown" in text and "infrastructure" in text
        await pilot.press("2")
        await pilot.pause()
    pk = card_pk(demo_ws, "demo-004")
    assert demo_ws.store.log.history(pk)[0].rating == int(Rating.HARD)


async def test_choice_card_shows_numbered_options(demo_ws, timer):
    app = make_app(demo_ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await review_first_card(pilot)
        text = screen_text(app)
        assert "CHOICE" in text and " 1  AI PM" in text and " 2  ML PM" in text
        assert "option's number" in text
        await answer(pilot, "AI PM")
        assert "✓ Correct" in screen_text(app)


async def test_empty_queue(template_db, isolated_home, timer):
    from support.tui import open_workspace

    workspace = open_workspace(template_db, isolated_home)
    try:
        app = make_app(workspace, timer)
        async with app.run_test(size=(100, 30)) as pilot:
            await start_review(pilot)
            assert "Nothing to review right now" in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
    finally:
        workspace.close()


async def test_end_of_session_summary_then_home(ws, timer):
    app = make_app(ws, timer, screen="review", decks=("metrics",), limit=2)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "Review · metrics" in screen_text(app)
        await answer(pilot, "accepted suggestions", think=20)
        await pilot.press("enter")
        await answer(pilot, "nope")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Session complete" in text
        flat = " ".join(text.split())
        assert "Answered 2" in flat and "Right 1 (50%)" in flat and "Time 30s" in flat
        assert "Ratings Again 1 · Good 1" in flat and "Next card in 1m" in flat
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "2 answered today" in screen_text(app)


async def test_escape_goes_home_and_answers_stay_saved(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        await answer(pilot, "convergence")
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "1 answered today" in screen_text(app)
    assert len(ws.store.log.reviews_since()) == 1


async def test_ten_cards_undo_one_quit_and_find_every_answer_saved(ws, timer):
    """The issue's 'done when': ten typed answers, one undone and redone, ctrl+q, start again."""
    answers = {"demo-001": "convergence", "metrics-001": "accepted suggestions",
               "demo-002": "AI PM", "metrics-002": "NDCG", "demo-003": "15",
               "metrics-003": "recall", "metrics-004": "precision", "demo-005": "AI PM, ML PM",
               "metrics-005": "F1", "metrics-006": "perplexity", "metrics-007": "MAE"}
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        given = 0
        undone = False
        while given < 10:
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            record = screen.session.current
            if record.card.kind == "recall":
                await pilot.press("enter", "3")
                continue
            await answer(pilot, answers[record.card.id])
            assert "Correct" in screen_text(app) and "Good ⏎" in screen_text(app)
            await pilot.press("enter")
            await pilot.pause()
            given += 1
            if given == 5 and not undone:
                await pilot.press("ctrl+z")  # undo the fifth answer: the card comes back
                await pilot.pause()
                assert record.card.prompt in screen_text(app)
                undone = True
                given -= 1
        assert "done 11" in screen_text(app)  # ten typed answers and one recall card
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    reviews = ws.store.log.reviews_since()
    assert len(reviews) == 11
    assert sum(1 for r in reviews if r.verdict == "correct") == 10
    again = make_app(ws, timer)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "11 answered today" in screen_text(again)
