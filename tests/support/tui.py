"""Shared set-up for the Pilot and snapshot tests: an isolated data dir, a fixed clock, demo decks.

A pytest plugin (registered in tests/conftest.py). Its fixtures `utc_local_time` and
`isolated_home` are not autouse: tests/ui/conftest.py turns them on for the Pilot tests, and a
snapshot module asks for them with `pytest.mark.usefixtures`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App

from debrief.cards import Card, Deck
from debrief.workspace import Workspace
from support.clocks import FakeTimer
from support.database import fresh_db

FIXED_NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # a Monday afternoon
__all__ = ["FIXED_NOW", "FakeTimer", "open_workspace", "make_app", "screen_text"]


def demo_deck() -> Deck:
    """One card of each kind, with answers the tests know."""
    cards = (
        Card(id="demo-001", deck="demo", kind="text",
             prompt="For an ML PM, the primary risk lies in the mathematical ____ of the model.",
             answer="convergence",
             explanation="The AI PM's risk is in the user experience; the ML PM's is whether the "
                         "model converges.",
             tags=("roles", "ml-pm")),
        Card(id="demo-002", deck="demo", kind="choice",
             prompt="Which PM role focuses on the application layer and user value?",
             answer="AI PM", options=("AI PM", "ML PM"),
             explanation="The AI PM works at the application layer, where users meet the product.",
             tags=("roles", "ai-pm")),
        Card(id="demo-003", deck="demo", kind="number",
             prompt="Roughly what percentage premium do ML PMs earn over AI PMs (the low end)?",
             answer="15", explanation="Senior ML PMs earn about 15-20% more.", tags=("pay",)),
        Card(id="demo-004", deck="demo", kind="recall",
             prompt="In one sentence: what is the difference between an AI PM and an ML PM?",
             answer="The AI PM owns the application layer and user value; the ML PM owns the "
                    "infrastructure layer and model performance.",
             explanation="The split is where the risk lives.", tags=("roles",)),
        Card(id="demo-005", deck="demo", kind="list", prompt="Name the two PM roles compared.",
             answer=("AI PM", "ML PM"), explanation="Application layer vs infrastructure layer.",
             tags=("roles",)),
    )
    return Deck(name="demo", title="Demo deck: one card of each kind",
                description="Cards the UI tests answer.", cards=cards)


def metrics_deck() -> Deck:
    """A second deck of plain text cards, so deck choice and 'ten cards' flows have material."""
    facts = [
        ("North Star metric of an AI writing assistant?", "accepted suggestions"),
        ("Metric for a ranking model's top results?", "NDCG"),
        ("Share of relevant items found by a classifier?", "recall"),
        ("Share of predicted positives that are right?", "precision"),
        ("Harmonic mean of precision and recall?", "F1"),
        ("Metric of a language model's surprise?", "perplexity"),
        ("Error metric that is robust to outliers?", "MAE"),
        ("Area under the ROC curve, in short?", "AUC"),
    ]
    cards = tuple(Card(id=f"metrics-{n:03d}", deck="metrics", kind="text", prompt=prompt,
                       answer=answer, explanation=f"The answer is {answer}.", tags=("metrics",))
                  for n, (prompt, answer) in enumerate(facts, start=1))
    return Deck(name="metrics", title="Metrics for AI and ML PMs", cards=cards)


HOSTILE = [
    "Rich markup [/] must not raise",
    "[bold]not bold[/bold] and [red]not red[/]",
    "[@click=app.quit]clicking this must not quit[/]",
    "OSC 52 \x1b]52;c;aGVsbG8=\x07clipboard write and \x1b[2Jscreen clear\x1b[31m red",
]


def hostile_deck() -> Deck:
    """Cards whose text is markup and escape sequences, stored raw (as if a loader missed them)."""
    cards = tuple(
        Card(id=f"evil-{n:03d}", deck="evil", kind="text", prompt=text,
             answer=f"[b]answer {n}[/b]", explanation=f"why: {text}", tags=("[tag]",))
        for n, text in enumerate(HOSTILE, start=1))
    return Deck(name="evil", title="[@click=app.quit]Evil[/]", cards=cards)


def config_dir(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    # Fuzzing off: intervals (and so snapshots) are the same on every run.
    (home / "config.toml").write_text("[scheduling]\nenable_fuzzing = false\n", encoding="utf-8")


@pytest.fixture(scope="session")
def utc_local_time() -> Iterator[None]:
    """Study days and local times in UTC, whatever the machine's zone."""
    import os

    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private DEBRIEF_HOME and a fixed DEBRIEF_NOW for every test; no NO_COLOR leaking in."""
    home = tmp_path / "home"
    config_dir(home)
    monkeypatch.setenv("DEBRIEF_HOME", str(home))
    monkeypatch.setenv("DEBRIEF_NOW", FIXED_NOW.isoformat())
    for name in ("NO_COLOR", "DEBRIEF_DB", "TEXTUAL"):
        monkeypatch.delenv(name, raising=False)
    return home


def open_workspace(template: Path, folder: Path, *decks: Deck) -> Workspace:
    """A workspace on a fresh copy of the template database, holding `decks`, at FIXED_NOW."""
    ws = Workspace.open(fresh_db(template, folder / "debrief.db"), clock=lambda: FIXED_NOW, sync=False)
    if decks:
        ws.store.decks.sync_decks(list(decks), FIXED_NOW, source="test")
    return ws


def prepared_db(folder: Path, template: Path, *decks: Deck) -> Path:
    """A copy of the template database in `folder` with `decks` synced at FIXED_NOW: what
    `open_workspace(template, folder, *decks)` leaves, made once for the tests to copy (the
    sync is most of a workspace's set-up)."""
    from debrief.store import open_store

    path = folder / "debrief.db"
    store = open_store(fresh_db(template, path))
    try:
        store.decks.sync_decks(list(decks), FIXED_NOW, source="test")
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def demo_metrics_db(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Path:
    """The demo and metrics decks, synced once per test run (see `prepared_db`)."""
    return prepared_db(tmp_path_factory.mktemp("demo-metrics"), template_db, demo_deck(),
                       metrics_deck())


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Path:
    """The demo deck alone, synced once per test run (see `prepared_db`)."""
    return prepared_db(tmp_path_factory.mktemp("demo"), template_db, demo_deck())


@pytest.fixture
def ws(demo_metrics_db: Path, isolated_home: Path) -> Iterator[Workspace]:
    """A workspace with the demo and metrics decks."""
    workspace = open_workspace(demo_metrics_db, isolated_home)
    yield workspace
    workspace.close()


@pytest.fixture
def demo_ws(demo_db: Path, isolated_home: Path) -> Iterator[Workspace]:
    """A workspace with the demo deck only (one card of each kind, in file order)."""
    workspace = open_workspace(demo_db, isolated_home)
    yield workspace
    workspace.close()


@pytest.fixture
def timer() -> FakeTimer:
    return FakeTimer()


# -- driving the app ----------------------------------------------------------------------------


def make_app(workspace: Workspace, timer: FakeTimer | None = None, screen: str = "home",
             **options):  # -> DebriefApp
    """The real app on `workspace`, its session clock under the test's control."""
    from debrief.tui.app import DebriefApp

    return DebriefApp(workspace=workspace, screen=screen, timer=timer or FakeTimer(), **options)


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """What the terminal shows for the top screen, as plain text lines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type `text` key by key, as a user would (spaces included)."""
    keys = ["space" if ch == " " else ch for ch in text]
    await pilot.press(*keys)


async def answer(pilot, text: str, think: float = 10.0,  # type: ignore[no-untyped-def]
                 keys: bool = False) -> None:
    """Spend `think` seconds on the card, enter `text` in the answer box and press Enter.

    With `keys` the text is typed key by key; otherwise it is put in the box at once (faster).
    """
    from debrief.tui.widgets.answer import AnswerBox

    pilot.app.session_timer.advance(think)
    if keys:
        await type_text(pilot, text)
    else:
        pilot.app.screen.query_one(AnswerBox).value = text
    await pilot.press("enter")
    await pilot.pause()


async def start_review(pilot) -> None:  # type: ignore[no-untyped-def]
    """From home, start a review of all decks."""
    await pilot.pause()
    await pilot.press("r")
    await pilot.pause()


async def review_first_card(pilot) -> None:  # type: ignore[no-untyped-def]
    """From home, start a review, answer the first demo card right and take the suggested rating."""
    await start_review(pilot)
    await answer(pilot, "convergence")
    await pilot.press("enter")
    await pilot.pause()


class QuizApp(App[None]):
    """The quiz screen alone over a blank screen, with a fake timer."""

    def __init__(self, workspace: Workspace, timer: FakeTimer, **options: Any) -> None:
        super().__init__()
        self.workspace = workspace
        self.timer = timer
        self.options = options

    def on_mount(self) -> None:
        from debrief.tui.screens.quiz import QuizScreen

        self.push_screen(QuizScreen(self.workspace, timer=self.timer, **self.options))
