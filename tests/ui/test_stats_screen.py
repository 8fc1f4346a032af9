"""Pilot tests of the stats screen inside the real app: opening, refreshing, closing, card text."""

from __future__ import annotations

from datetime import timedelta

from debrief.scheduling import CardState, Rating
from debrief.tui.screens.home import HomeScreen
from debrief.tui.screens.stats import StatsScreen
from support.tui import FIXED_NOW, hostile_deck, make_app, screen_text


def review(ws, card_id: str, rating: Rating = Rating.GOOD, when=FIXED_NOW) -> None:  # type: ignore[no-untyped-def]
    pk = next(r.pk for r in ws.store.decks.cards() if r.card.id == card_id)
    ws.store.queue.record_review(pk, when, lambda s: ws.scheduler.review(s, rating, when), mode="review",
                                 rating=int(rating), answer="x", verdict=None, score=None,
                                 duration_ms=6000)


async def loaded(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_s_on_home_opens_the_stats_and_escape_goes_back(ws, timer):
    review(ws, "demo-001", when=FIXED_NOW - timedelta(days=1))
    review(ws, "demo-002")
    app = make_app(ws, timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await loaded(pilot)
        assert isinstance(app.screen, StatsScreen)
        text = screen_text(app)
        assert "Streak 2 days (longest 2)" in text
        assert "reviewed today 1" in text and "2 reviews, 13 cards" in text
        for title in ("Reviews per day", "True retention", "Due in the next 30 days",
                      "Quiz scores"):
            assert title in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_stats_command_opens_the_app_on_the_stats_screen(ws, timer):
    app = make_app(ws, timer, screen="stats")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await loaded(pilot)
        assert isinstance(app.screen, StatsScreen)
        assert "Streak 0 days (longest 0)" in screen_text(app)
        assert app.screen.report is not None and app.screen.report["cards_total"] == 13


async def test_r_reads_the_figures_again(ws, timer):
    app = make_app(ws, timer, screen="stats")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await loaded(pilot)
        assert "reviewed today 0" in screen_text(app)
        review(ws, "demo-003")
        await pilot.press("r")
        await loaded(pilot)
        assert "reviewed today 1" in screen_text(app)
        assert app.screen.report["heatmap"][FIXED_NOW.date().isoformat()] == 1


async def test_card_text_in_the_hardest_cards_is_shown_as_it_is(template_db, isolated_home, timer):
    from support.tui import open_workspace

    ws = open_workspace(template_db, isolated_home, hostile_deck())
    try:
        for n, record in enumerate(ws.store.decks.cards(), start=1):
            ws.store.queue.reschedule(record.pk, CardState(
                state="review", stability=30.0, difficulty=5.0, due=FIXED_NOW + timedelta(days=n),
                last_review=FIXED_NOW - timedelta(days=29), reps=9, lapses=n))
        app = make_app(ws, timer, screen="stats")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await loaded(pilot)
            assert isinstance(app.screen, StatsScreen)  # no MarkupError, no [@click] action run
            app.screen.query_one("#stats-body").scroll_end(animate=False)
            await pilot.pause()
            text = screen_text(app)
            assert "Rich markup [/] must not raise" in text
            assert "[bold]not bold[/bold]" in text
            assert "\x1b" not in text and "OSC 52 ]52;c;" not in text
            assert "OSC 52 clipboard write and screen clear red" in text
    finally:
        ws.close()


async def test_narrow_terminal_stacks_the_panels(ws, timer):
    review(ws, "demo-001")
    app = make_app(ws, timer, screen="stats")
    async with app.run_test(size=(56, 40)) as pilot:
        await pilot.pause()
        await loaded(pilot)
        heatmap = app.screen.query_one("#stats-heatmap")
        retention = app.screen.query_one("#stats-retention")
        assert retention.region.y > heatmap.region.y  # one under the other, not side by side
