"""Pilot test: a recall card's rubric is shown as a checklist after reveal, as literal text."""

from __future__ import annotations

from debrief.cards import Card, Deck
from support.tui import make_app, open_workspace, screen_text, start_review

POINTS = ("Names the user and the pain point", "Says [bold]how[/] it is measured")


def rubric_deck() -> Deck:
    card = Card(id="rub-001", deck="rub", kind="recall", prompt="Pitch an AI feature for a bank.",
                answer="A pitch that starts from the user.", explanation="Lead with the outcome.",
                tags=("practice",), rubric=POINTS)
    return Deck(name="rub", title="Rubric", cards=(card,))


async def test_recall_rubric_is_a_checklist_after_reveal(template_db, isolated_home, timer):
    ws = open_workspace(template_db, isolated_home, rubric_deck())
    try:
        app = make_app(ws, timer)
        async with app.run_test(size=(100, 30)) as pilot:
            await start_review(pilot)
            assert "A strong answer covers" not in screen_text(app)
            await pilot.press("space")
            await pilot.pause()
            text = screen_text(app)
            assert "A strong answer covers:" in text
            assert "☐ Names the user and the pain point" in text
            # Card text is data: the markup is shown, not applied.
            assert "☐ Says [bold]how[/] it is measured" in text
    finally:
        ws.close()
