"""Pilot tests of your own cards: browse `a` adds and `e` edits a card in the card form, whose
deck file (DEBRIEF_HOME/decks/NAME.toml) loads with the deck loader and imports unchanged; the
grader's preview; bundled cards read-only with your own accepted answers instead."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from textual.widgets import DataTable, Input, Select

from debrief.deckfile import load_deck
from debrief.owndeck import CardDraft, save_card
from debrief.scheduling import Rating
from debrief.session import DeckAnswers, ReviewSession, user_spec
from debrief.tui.format import verdict_text
from debrief.tui.screens.browse import BrowseScreen
from debrief.tui.screens.card_form import CardFormScreen, MyAnswersScreen
from debrief.tui.screens.home import HomeScreen
from support.tui import FIXED_NOW, make_app, screen_text, type_text

DEBRIEF = shutil.which("debrief", path=str(Path(sys.executable).parent)) or "debrief"


def own_file(home: Path, deck: str = "own") -> Path:
    return home / "decks" / f"{deck}.toml"


def detail_text(app) -> str:
    """The browse detail pane's card text, unwrapped."""
    return str(app.screen.query_one("#detail-card").render())


async def open_browse(pilot) -> None:
    await pilot.pause()
    await pilot.press("b")
    await pilot.pause()
    assert isinstance(pilot.app.screen, BrowseScreen)


async def open_form(pilot, key: str = "a") -> CardFormScreen:
    await pilot.press("enter")  # from the search box to the list, where a and e work
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, CardFormScreen)
    return pilot.app.screen


def fill(screen: CardFormScreen, **fields: str) -> None:
    for key, value in fields.items():
        screen.query_one(f"#field-{key}", Input).value = value


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_add_a_text_card_from_browse(ws, timer, isolated_home):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browse(pilot)
        before = len(app.screen.records)
        form = await open_form(pilot, "a")
        assert isinstance(app.focused, Input) and app.focused.id == "field-prompt"
        await type_text(pilot, "What does RAG stand for?")  # typed as a user would
        fill(form, answer="retrieval-augmented generation", accept="RAG; retrieval augmented generation",
             explanation='Retrieval first, then generation: "[bold]" stays literal.', tags="#llm, ai")
        await save(pilot)
        assert isinstance(app.screen, BrowseScreen)
        # The list shows it at once, highlighted, with its detail.
        assert len(app.screen.records) == before + 1
        assert app.screen.highlighted.card.id == "own:what-does-rag-stand-for"
        assert isinstance(app.focused, DataTable)
        assert f"{before + 1} of {before + 1} cards" in screen_text(app)
        detail = detail_text(app)
        assert "Answer  retrieval-augmented generation" in detail
        assert '"[bold]" stays literal' in detail
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any(d.name == "own" and d.new == 1 for d in app.screen.overview.decks)
    deck = load_deck(own_file(isolated_home))
    [card] = deck.cards
    assert (card.id, card.kind, card.answer) == ("own:what-does-rag-stand-for", "text",
                                                 "retrieval-augmented generation")
    assert card.accept == ("RAG", "retrieval augmented generation") and card.tags == ("llm", "ai")
    stored = next(r for r in ws.store.decks.cards() if r.card.id == card.id)
    assert stored.card == replace(card, line=0) and stored.state.state == "new"


async def test_add_a_list_card_and_the_preview_grades_it(ws, timer, isolated_home):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browse(pilot)
        form = await open_form(pilot, "a")
        form.query_one("#field-kind", Select).value = "list"
        await pilot.pause()
        # A list card has items and "at least", no accepted alternatives or options.
        assert form.query_one("#row-min_items").display and not form.query_one("#row-accept").display
        assert not form.query_one("#row-options").display
        fill(form, prompt="Name the three classification metrics.",
             answer="precision; recall; F1", min_items="2")
        fill(form, **{"try": "recall, precision"})
        await pilot.pause()
        assert "✓ Correct" in screen_text(app)  # two of three is enough with min_items 2
        await save(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert app.screen.highlighted.card.answer == ("precision", "recall", "F1")
    [card] = load_deck(own_file(isolated_home)).cards
    assert card.kind == "list" and card.min_items == 2


async def test_the_preview_is_the_review_graders_verdict(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browse(pilot)
        form = await open_form(pilot, "a")
        fill(form, prompt="Metric of a ranking model's top results, in short?", answer="NDCG")
        for typed, shown in [("NDCG", "✓ Correct"), ("nDCG", "✓ Correct"),
                             ("MRR", "✗ Wrong"), ("AUC", "✗ Wrong")]:
            fill(form, **{"try": typed})
            await pilot.pause()
            card = form.draft()
            assert shown in screen_text(app), typed
            # The same grader and spec the review session uses say the same.
            from debrief.owndeck import check_draft
            from debrief.records import CardRecord
            from debrief.scheduling import CardState

            built, _problems = check_draft(card)
            record = CardRecord(pk=0, card=built, state=CardState())
            verdict = ws.grader.grade(user_spec(record, ws.store.decks), typed)
            assert verdict_text(str(verdict.verdict)) == shown
        # An invalid card gets no verdict: the first problem instead.
        fill(form, answer="")
        await pilot.pause()
        assert "Fix the card first: card has no answer." in screen_text(app)


async def test_invalid_input_gets_one_line_per_problem_and_nothing_is_written(ws, timer,
                                                                             isolated_home):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browse(pilot)
        form = await open_form(pilot, "a")
        form.query_one("#field-kind", Select).value = "choice"
        await pilot.pause()
        fill(form, prompt="Which layer does the AI PM own?", options="application; infrastructure",
             answer="model")
        await save(pilot)
        assert app.screen is form
        problems = str(form.query_one("#form-problems").render()).splitlines()
        assert problems == ["✗ Answer 'model' is not among the options."]
        fill(form, prompt="", answer="", deck="Not A Name")
        await save(pilot)
        problems = str(form.query_one("#form-problems").render()).splitlines()
        assert problems == ["✗ Deck name 'Not A Name' must be 1-40 lowercase letters, digits, - or _.",
                            "✗ Card has no prompt.", "✗ Card has no answer."]
        # A bundled deck, or one imported from elsewhere, is not yours to write to.
        fill(form, prompt="p", answer="application", deck="metrics")
        await save(pilot)
        problems = str(form.query_one("#form-problems").render()).splitlines()
        assert problems == ["✗ Deck 'metrics' is not one of yours (imported from test); choose one "
                            "of your decks or a new name."]
    assert not (isolated_home / "decks").exists()
    assert not any(r.card.deck == "own" for r in ws.store.decks.cards())


async def test_edit_keeps_the_id_the_schedule_and_the_history(ws, timer, isolated_home):
    saved = save_card(ws, CardDraft(deck="own", kind="text", prompt="Harmonic mean of P and R?",
                                    answer="F1"))
    session = ReviewSession(ws, ["own"])
    assert session.current is not None and session.current.card.id == saved.card_id
    session.submit("F1")
    session.rate(Rating.GOOD)
    pk = next(r.pk for r in ws.store.decks.cards() if r.card.id == saved.card_id)
    state = ws.store.decks.card(pk).state
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browse(pilot)
        app.screen.query_one("#search", Input).value = "deck:own"
        await pilot.pause()
        form = await open_form(pilot, "e")
        assert form.query_one("#field-deck", Input).disabled  # a card stays in its deck
        assert form.query_one("#field-answer", Input).value == "F1"
        fill(form, answer="F1 score", accept="F1; F-measure", explanation="2PR / (P + R)")
        await save(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert "Also    F1 | F-measure" in detail_text(app)
        assert "Reviews    1 (0 lapses)" in screen_text(app)
    record = ws.store.decks.card(pk)
    assert record.card.id == saved.card_id and record.card.answer == "F1 score"
    assert record.state == state
    assert [h.answer for h in ws.store.log.history(pk)] == ["F1"]
    [card] = load_deck(own_file(isolated_home)).cards
    assert card.id == saved.card_id and card.accept == ("F1", "F-measure")


async def test_a_bundled_card_is_read_only_but_takes_your_own_answers(ws, timer, isolated_home):
    ws.sync_bundled()
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browse(pilot)
        bundled = next(r for r in ws.store.decks.cards()
                       if ws.store.decks.deck_sources()[r.card.deck] == "bundled" and r.card.kind == "text")
        app.screen.query_one("#search", Input).value = bundled.card.id
        await pilot.pause()
        assert app.screen.highlighted.card.id == bundled.card.id
        await pilot.press("enter", "e")
        await pilot.pause()
        assert isinstance(app.screen, MyAnswersScreen)
        assert "it is a bundled card (read-only)" in screen_text(app)
        await type_text(pilot, "my own wording")
        await pilot.pause()
        assert "✗ Wrong" in screen_text(app)  # what the grader says before it is accepted
        await pilot.press("enter")
        await pilot.pause()
        assert "Yours   my own wording" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        assert "Yours   my own wording" in detail_text(app)
        # The answer passes now, through the session's own spec.
        others = DeckAnswers(ws.store.decks.text_answers(ws.store.decks.deck_ids([bundled.card.deck]))).others(bundled)
        assert ws.grader.grade(user_spec(bundled, ws.store.decks, others), "my own wording").is_right
        await pilot.press("x")  # and browse's x removes it, as for "I was right"
        await pilot.pause()
    assert ws.store.decks.user_answers(bundled.pk) == []
    assert ws.store.decks.card(bundled.pk).card == bundled.card
    assert not (isolated_home / "decks").exists()


async def test_escape_with_changes_asks_first(ws, timer):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browse(pilot)
        form = await open_form(pilot, "a")
        fill(form, prompt="half typed")
        await pilot.press("escape")
        await pilot.pause()
        assert "Close the form? What you typed is not saved." in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)


async def test_add_card_is_in_the_footer_and_the_palette(ws, timer):
    from debrief.tui.commands import palette_commands

    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browse(pilot)  # the search box has the focus: ctrl+n and f2
        titles = {c.title for c in palette_commands(app.screen)}
        assert {"Add card", "Edit card"} <= titles
        assert "^n Add card" in screen_text(app)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, CardFormScreen)


async def test_the_own_deck_file_round_trips_through_debrief_import(ws, timer, isolated_home):
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browse(pilot)
        for kind, fields in [
            ("text", {"prompt": 'Quote "this" \\ and a tab\there', "answer": "yes",
                      "explanation": "[/] is literal"}),
            ("number", {"prompt": "Premium of ML PMs, low end, in %?", "answer": "15"}),
            ("choice", {"prompt": "Which layer?", "options": "app; infra", "answer": "app"}),
            ("recall", {"prompt": "Explain drift.", "answer": "Inputs change over time."}),
        ]:
            form = await open_form(pilot, "a") if isinstance(app.screen, BrowseScreen) else None
            assert form is not None
            form.query_one("#field-kind", Select).value = kind
            await pilot.pause()
            fill(form, **fields)
            await save(pilot)
            assert isinstance(app.screen, BrowseScreen), screen_text(app)
    path = own_file(isolated_home)
    deck = load_deck(path)
    assert [c.kind for c in deck.cards] == ["text", "number", "choice", "recall"]
    assert deck.cards[0].prompt == 'Quote "this" \\ and a tab\there'
    stored = {r.card.id: r.card for r in ws.store.decks.cards() if r.card.deck == "own"}
    assert stored == {c.id: replace(c, line=0) for c in deck.cards}
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
    environ.update({"DEBRIEF_HOME": str(isolated_home), "DEBRIEF_NOW": FIXED_NOW.isoformat(),
                    "TZ": "UTC"})
    result = subprocess.run([DEBRIEF, "import", str(path)], capture_output=True, text=True,
                            env=environ, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "0 added, 0 updated, 0 retired, 4 unchanged" in result.stdout
    assert {r.card.id: r.card for r in ws.store.decks.cards() if r.card.deck == "own"} == stored
