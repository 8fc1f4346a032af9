"""Pilot tests of "I was right" in the app: `=` on the review feedback, ctrl+r after a quiz answer.

The answer counts as right, and it is kept for that card, so the same answer passes the next time.
"""

from __future__ import annotations

from textual.widgets import Input

from debrief.quiz import QuizStatus
from debrief.session import ReviewSession
from debrief.tui.screens.quiz import QuizScreen
from support.tui import QuizApp, answer, make_app, screen_text, start_review

# The first card of the demo deck asks for "convergence"; this is what a careful examiner might
# accept in context but the grader does not know.
OWN_WORDS = "the loss settles at a minimum"


def card_pk(ws, card_id: str) -> int:
    return next(r.pk for r in ws.store.decks.cards() if r.card.id == card_id)


async def test_equals_on_a_rejected_answer_counts_it_and_it_passes_next_time(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        await answer(pilot, OWN_WORDS)
        assert "✗ Wrong" in screen_text(app)
        assert "1 Again ⏎" in screen_text(app)
        await pilot.press("equals_sign")
        await pilot.pause()
        text = screen_text(app)
        assert "accepted for this card from now on" in text
        assert "3 Good ⏎" in text  # the suggestion is Good now
        await pilot.press("enter")
        await pilot.pause()
        assert "Saved: Good" in screen_text(app)
    pk = card_pk(ws, "demo-001")
    assert ws.store.decks.user_answers(pk) == [OWN_WORDS]
    [logged] = ws.store.log.history(pk)
    assert logged.rating == 3 and logged.answer == OWN_WORDS
    # The next review of that card grades the same words right.
    session = ReviewSession(ws)
    while session.current is not None and session.current.card.id != "demo-001":
        session.bury()
    assert session.current is not None
    assert session.submit(OWN_WORDS).is_right


async def test_equals_is_not_offered_on_a_right_answer(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(pilot)
        await answer(pilot, "convergence")
        assert "✓ Correct" in screen_text(app)
        await pilot.press("equals_sign")
        await pilot.pause()
        assert "accepted for this card" not in screen_text(app)
    assert ws.store.decks.user_answers(card_pk(ws, "demo-001")) == []


async def test_ctrl_r_in_the_quiz_counts_the_last_answer_right(ws, timer):
    app = QuizApp(ws, timer, count=3, seed=4, kinds=("typed",))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        question = screen.session.current
        box = screen.query_one(Input)
        box.value = "something the grader rejects"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.session.outcomes[-1].status is QuizStatus.WRONG
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.session.outcomes[-1].status is QuizStatus.RIGHT
        assert screen.session.score == 1
        assert box.value == ""  # the key was not typed into the next answer
    assert ws.store.decks.user_answers(question.record.pk) == ["something the grader rejects"]


async def test_browse_shows_your_answers_and_x_removes_them(ws, timer):
    from datetime import UTC, datetime

    from debrief.tui.screens.browse import BrowseScreen

    pk = card_pk(ws, "demo-001")
    ws.store.decks.add_user_answer(pk, OWN_WORDS, datetime(2026, 3, 2, tzinfo=UTC))
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        screen.apply_search("demo-001")
        await pilot.pause()
        assert screen.highlighted is not None and screen.highlighted.pk == pk
        assert f"Yours   {OWN_WORDS}" in screen_text(app)
        screen.query_one("#cards").focus()
        await pilot.press("x")
        await pilot.pause()
        assert f"Yours   {OWN_WORDS}" not in screen_text(app)
    assert ws.store.decks.user_answers(pk) == []
