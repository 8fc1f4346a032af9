"""Feedback text: word diffs for a different term, "Missing" said once, cuts marked with "…"."""

from __future__ import annotations

import pytest

from debrief.tui.format import sentence, shorten
from debrief.tui.widgets.feedback import word_diff
from support.tui import answer, make_app, screen_text


@pytest.mark.parametrize(("typed", "expected", "segments"), [
    ("divergence", "convergence", (("delete", "divergence"), ("equal", " "),
                                   ("insert", "convergence"))),
    ("user interface", "user experience", (("equal", "user"), ("equal", " "),
                                           ("delete", "interface"), ("equal", " "),
                                           ("insert", "experience"))),
    ("Product Strategist", "product strategist", (("equal", "Product Strategist"),)),
    ("", "anything", ()),
])
def test_word_diff(typed, expected, segments):
    assert word_diff(typed, expected) == segments


@pytest.mark.parametrize(("text", "width", "shown"), [
    ("Which PM role focuses on the application layer?", 20, "Which PM role…"),
    ("short", 20, "short"),
    ("Supercalifragilistic expialidocious", 10, "Supercali…"),
    ("Ends with a comma, then more words", 19, "Ends with a comma…"),
])
def test_shorten_cuts_between_words_and_says_so(text, width, shown):
    assert shorten(text, width) == shown
    assert len(shorten(text, width)) <= width


@pytest.mark.parametrize(("text", "shown"), [
    ("Suspended demo-001", "Suspended demo-001."),
    ("Undone: What is F1?", "Undone: What is F1?"),
    ("Saved.", "Saved."),
    ("Saved..", "Saved."),
    ("Cut here…", "Cut here…"),
])
def test_sentence_ends_with_one_mark(text, shown):
    assert sentence(text) == shown


async def test_a_different_term_is_diffed_word_by_word(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await answer(pilot, "divergence")
        shown = screen_text(app)
        assert "Yours   divergence convergence" in shown
        assert "diconvergence" not in shown  # no letters of one word struck inside another


async def test_a_typo_keeps_its_letter_diff(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await answer(pilot, "convergnce")
        assert "Yours   convergence" in screen_text(app)  # the missing "e" inserted in place


async def test_a_partial_list_says_missing_once(demo_ws, timer):
    app = make_app(demo_ws, timer)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        for text in ("convergence", "AI PM", "15"):
            await answer(pilot, text)
            await pilot.press("enter")
            await pilot.pause()
        await pilot.press("space", "3")  # the recall card
        await pilot.pause()
        await answer(pilot, "AI PM")  # the list card, one item of two
        shown = screen_text(app)
        assert shown.lower().count("missing") - shown.lower().count("missing from yours") == 1, shown
