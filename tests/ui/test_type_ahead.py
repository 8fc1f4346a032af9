"""Type-ahead: keys typed back to back, faster than the screen changes, land where they were meant.

`pilot.press` waits for the app to go idle after every key, which hides the problem; `burst`
posts a whole run of keys at once, as a terminal hands over a fast typist's bytes, and the test
only then waits for the app to settle. The answers and ratings stored must be exactly as typed.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from debrief.quiz import QuizSession
from debrief.tui.screens.quiz import QuizScreen
from debrief.tui.screens.quiz_results import QuizResultsScreen
from debrief.tui.screens.review import Phase, ReviewScreen
from debrief.tui.widgets.answer import AnswerBox
from debrief.workspace import Workspace
from support.tui import FakeTimer, demo_deck, make_app, metrics_deck, open_workspace, start_review

SIZE = (100, 30)
SETTLE_SECONDS = 60.0  # a generous deadline for a loaded machine; met in well under a second idle

# Spelled keys inside a burst: "⏎" Enter, "⌫" Backspace, "␣" space (a plain space works too),
# "↶" ctrl+z.
SPECIAL: dict[str, tuple[str, str | None]] = {
    "⏎": ("enter", "\r"), "⌫": ("backspace", "\x7f"), "␣": ("space", " "), " ": ("space", " "),
    "↶": ("ctrl+z", None)}


def burst(app: App[None], keys: str) -> None:
    """Post every key of `keys` to the app in one go, without waiting between them."""
    for ch in keys:
        key, character = SPECIAL.get(ch, (ch, ch))
        app.post_message(events.Key(key, character))


async def settle(pilot: Pilot[None], done: Callable[[], bool]) -> None:
    """Wait (polling, with a generous deadline) until `done()` holds and no key waits. On the
    deadline it returns all the same: the test's assertions then say what the app did instead."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        if done() and not getattr(pilot.app, "keys_held", False):
            await pilot.pause()
            return


def review_log(ws: Workspace) -> list[tuple[str, int | None, str | None]]:
    """Every review answer saved, oldest first: (card id, rating, answer as stored)."""
    ids = {r.pk: r.card.id for r in ws.store.decks.cards()}
    return [(ids[r.card_pk], r.rating, r.answer) for r in ws.store.log.reviews_since(mode="review")]


def text_deck_workspace(template: Path, home: Path) -> Workspace:
    return open_workspace(template, home, metrics_deck())


@asynccontextmanager
async def reviewing(ws: Workspace) -> AsyncIterator[tuple[App[None], Pilot[None], ReviewScreen]]:
    """The app on `ws` with its review open at the first card; `ws` is closed afterwards."""
    try:
        app = make_app(ws, FakeTimer())
        async with app.run_test(size=SIZE) as pilot:
            await start_review(pilot)
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            yield app, pilot, screen
    finally:
        ws.close()


async def test_review_answers_and_ratings_typed_without_a_pause_are_stored_as_typed(
        template_db: Path, isolated_home: Path) -> None:
    ws = text_deck_workspace(template_db, isolated_home)
    async with reviewing(ws) as (app, pilot, screen):
        # An answer, its rating, the next answer, ... with no pause: digits are ratings
        # after Enter and part of the answer before it; Backspace edits the typed answer; the
        # second Enter after "nope" accepts the suggestion (Again, the answer is wrong).
        burst(app, "ndcg⏎3precx⌫ision⏎1F1⏎4nope⏎⏎mean absolute⏎2part")
        box = screen.query_one(AnswerBox)
        await settle(pilot, lambda: len(review_log(ws)) == 5
                     and screen.phase is Phase.QUESTION and box.value == "part")
        log = review_log(ws)
        assert [(rating, answer) for _, rating, answer in log] == [
            (3, "ndcg"), (1, "precision"), (4, "F1"), (1, "nope"), (2, "mean absolute")]
        assert len({card for card, _, _ in log}) == 5  # each answer went to its own card
        # The keys after the last rating wait in the next card's answer box, not sent.
        assert app.focused is box and box.value == "part"
        assert screen.session.current is not None
        assert screen.session.current.card.id not in {card for card, _, _ in log}


async def test_review_burst_matches_the_same_keys_typed_one_at_a_time(
        template_db: Path, isolated_home: Path) -> None:
    """Over one card of each kind (a recall card is revealed with space, a choice answered with
    its option's number), a burst stores what the same keys store when typed slowly."""
    # demo-001 text, demo-002 choice, demo-003 number, demo-004 recall, demo-005 list.
    keys = "convergence⏎3" + "1⏎1" + "15⏎4" + "␣2" + "AI PM, ML PM⏎3"
    logs = []
    for run, paced in enumerate((True, False)):
        ws = open_workspace(template_db, isolated_home / f"run{run}", demo_deck())
        async with reviewing(ws) as (app, pilot, screen):
            if paced:
                for ch in keys:  # one key at a time, waiting for the app after each
                    key, _ = SPECIAL.get(ch, (ch, ch))
                    await pilot.press(key)
                    await settle(pilot, lambda: True)
            else:
                burst(app, keys)
            await settle(pilot, lambda ws=ws: len(review_log(ws)) >= 5)
            logs.append(review_log(ws))
    paced_log, burst_log = logs
    # The reference answered every demo card once, as the keys say.
    assert [(card, rating) for card, rating, _ in paced_log] == [
        ("demo-001", 3), ("demo-002", 1), ("demo-003", 4), ("demo-004", 2), ("demo-005", 3)]
    assert burst_log == paced_log


async def test_quiz_answers_typed_without_a_pause_go_to_their_own_questions(ws: Workspace,
                                                                          timer: FakeTimer) -> None:
    app = make_app(ws, timer, screen="quiz", count=4, seed=4)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, QuizScreen))
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        session = screen.session
        assert isinstance(session, QuizSession)
        questions = list(session.questions)
        box = screen.query_one("#quiz-answer", Input)
        burst(app, "alpha⏎2⏎beta gamma⏎del⌫lta")
        await settle(pilot, lambda: len(session.outcomes) == 3 and box.value == "delta")
        assert app.focused is box and box.value == "delta"
        burst(app, "⏎")
        await settle(pilot, lambda: isinstance(app.screen, QuizResultsScreen))
    answers = ws.store.quizzes.quiz_answers()
    assert [(a.card_pk, a.answer) for a in answers] == [
        (q.record.pk, typed) for q, typed in zip(questions, ["alpha", "2", "beta gamma", "delta"],
                                                  strict=True)]


async def test_keys_typed_right_after_starting_a_review_answer_its_first_card(
        template_db: Path, isolated_home: Path) -> None:
    """From home, `r` and the first answer typed at once; and the app started for a review
    with the answer typed before its first card is drawn."""
    ws = text_deck_workspace(template_db, isolated_home)
    try:
        app = make_app(ws, FakeTimer())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, lambda: app.workspace is not None)
            burst(app, "rndcg⏎3")
            await settle(pilot, lambda: len(review_log(ws)) == 1)
        assert [(rating, answer) for _, rating, answer in review_log(ws)] == [(3, "ndcg")]

        app = make_app(ws, FakeTimer(), screen="review")
        async with app.run_test(size=SIZE) as pilot:
            burst(app, "recall⏎2")  # at once: the first card may not be on screen yet
            await settle(pilot, lambda: len(review_log(ws)) == 2)
        assert [(rating, answer) for _, rating, answer in review_log(ws)][1:] == [(2, "recall")]
    finally:
        ws.close()


async def test_a_quiz_that_cannot_start_lets_the_keys_through(ws: Workspace, timer: FakeTimer) -> None:
    """Keys held while the app opens straight into a quiz are let go once the screen is up,
    even when it only says why there is no quiz."""
    app = make_app(ws, timer, screen="quiz", decks=("no-such-deck",))
    async with app.run_test(size=(100, 40)) as pilot:
        deadline = time.monotonic() + SETTLE_SECONDS
        while not (isinstance(app.screen, QuizScreen) and app.screen.is_mounted):
            assert time.monotonic() < deadline, "the quiz screen did not open"
            await pilot.pause(0.02)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen) and screen.session is None
        assert not app.keys_held


async def test_the_card_forms_boxes_keep_fast_edits_in_order(ws: Workspace, timer: FakeTimer) -> None:
    from debrief.tui.screens.card_form import CardFormScreen

    app = make_app(ws, timer)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.workspace is not None)
        await pilot.press("b")
        await settle(pilot, lambda: app.screen.query("#search"))
        await pilot.press("ctrl+n")  # the card form, from the search box
        await settle(pilot, lambda: isinstance(app.screen, CardFormScreen))
        box = app.screen.query_one("#field-prompt", Input)
        await settle(pilot, lambda: app.focused is box)
        burst(app, "What is precx⌫ision?")
        await settle(pilot, lambda: box.value.endswith("?"))
        assert box.value == "What is precision?"


async def test_an_undo_typed_in_the_burst_brings_the_card_back_for_the_keys_after_it(
        template_db: Path, isolated_home: Path) -> None:
    ws = text_deck_workspace(template_db, isolated_home)
    async with reviewing(ws) as (app, pilot, screen):
        first = screen.session.current
        assert first is not None
        # Answer, rate Again, undo from the next card's box (ctrl+z), answer it again.
        burst(app, "oops⏎1↶ndcg⏎3")
        await settle(pilot, lambda: any(rating == 3 for _, rating, _ in review_log(ws)))
        assert review_log(ws) == [(first.card.id, 3, "ndcg")]
