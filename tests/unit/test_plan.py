"""The interview-date plan: recall on the day, bringing reviews forward, the workload projection."""

from __future__ import annotations

import json
import os
import random
import re
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import fsrs
import pytest

from debrief.cards import Card, Deck
from debrief.clock import study_day
from debrief.config import Settings
from debrief.plan import (
    DEFAULT_MARGIN,
    FINAL_DAYS,
    MAX_AIM,
    MAX_MARGIN,
    NoInterviewDate,
    PlanError,
    Planner,
    build_plan,
    clear_interview_date,
    needed_new_per_day,
    parse_interview_date,
    plan_margin,
    project,
    set_interview_date,
    weakest_on_day,
)
from debrief.policy import schedule_answer
from debrief.scheduling import CardState, Rating, Scheduler
from debrief.session import ReviewSession
from debrief.workspace import Workspace

START = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)  # study day 2026-03-01 (TZ=UTC, 4 am rollover)
INTERVIEW = date(2026, 3, 31)
ON_THE_DAY = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)  # the interview day's start (4 am) + 8 h


@pytest.fixture(autouse=True)
def utc_zone():
    """Study days roll over at 4 am local time: pin the local zone so days are UTC days."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


class Clock:
    """A clock a test moves by hand."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def day(self, n: int, hour: int = 10) -> datetime:
        self.now = START.replace(hour=hour) + timedelta(days=n)
        return self.now


def recall_cards(deck: str, count: int, start: int = 0) -> tuple[Card, ...]:
    return tuple(Card(id=f"{deck}-{i}", deck=deck, kind="recall", prompt=f"{deck} question {i}",
                      answer=f"answer {i}", line=start + i) for i in range(count))


@pytest.fixture
def make_ws(store):
    """A workspace on the test store with two decks of recall cards and a hand-moved clock."""

    def make(per_deck: int = 10, **settings: object) -> tuple[Workspace, Clock]:
        clock = Clock()
        ws = Workspace(store=store, settings=Settings(**settings), clock=clock)  # type: ignore[arg-type]
        store.decks.sync_decks([Deck("alpha", "Alpha", cards=recall_cards("alpha", per_deck)),
                                Deck("beta", "Beta", cards=recall_cards("beta", per_deck))], clock())
        return ws, clock

    return make


def study_all(ws: Workspace, rating: Rating) -> list[tuple[CardState, CardState]]:
    """Answer everything due now with `rating`; (natural FSRS outcome, saved state) per answer."""
    session = ReviewSession(ws)
    results = []
    while session.current is not None:
        feedback = session.reveal()
        answered = session.rate(rating)
        results.append((feedback.natural_outcomes[rating].state, answered.state))
    return results


def by_hand(state: CardState, at: datetime) -> float:
    """FSRS retrievability computed with the fsrs package directly."""
    if state.is_new:
        return 0.0
    card = fsrs.Card(card_id=1, state=fsrs.State.Review, step=None, stability=state.stability,
                     difficulty=state.difficulty, due=state.due, last_review=state.last_review)
    return fsrs.Scheduler().get_card_retrievability(card, at)


def day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 4, tzinfo=UTC)


# -- input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-31", date(2026, 3, 31)),
    (" 2026-03-01 ", date(2026, 3, 1)),  # today is allowed: the plan is "today"
    ("2027-03-01", date(2027, 3, 1)),
])
def test_parse_interview_date_accepts(text, expected):
    assert parse_interview_date(text, date(2026, 3, 1)) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("2026-02-28", "in the past"),
    ("tomorrow", "not a date"),
    ("2026-02-30", "not a date"),
    ("31/03/2026", "not a date"),
    ("20260331", "not a date"),
    ("", "not a date"),
    ("2027-03-03", "more than a year away"),
])
def test_parse_interview_date_refuses(text, message):
    with pytest.raises(PlanError, match=message):
        parse_interview_date(text, date(2026, 3, 1))


@pytest.mark.parametrize(("new", "days_ahead", "expected"), [
    (0, 30, 0),
    (28, 30, 1),     # days 0..27 (the interview is day 30, the last learning day 27)
    (29, 30, 2),
    (191, 30, 7),
    (10, 3, 10),     # learn-by day is today: all of them today
    (10, 1, 10),     # too late for 3 days ahead: all of them today
    (10, 0, 10),
])
def test_needed_new_per_day(new, days_ahead, expected):
    today = date(2026, 3, 1)
    assert needed_new_per_day(new, today, today + timedelta(days=days_ahead)) == expected


# -- recall -----------------------------------------------------------------------------------


def test_recall_today_and_on_the_day_are_fsrs_retrievability(make_ws):
    ws, clock = make_ws(per_deck=6, enable_fuzzing=False)
    ratings = [Rating.GOOD, Rating.EASY, Rating.HARD, Rating.AGAIN]
    for day in range(3):
        clock.day(day * 3)
        session = ReviewSession(ws, new_limit=3)
        while session.current is not None:
            session.reveal()
            session.rate(ratings[(session.done + day) % len(ratings)])
    clock.day(12)
    set_interview_date(ws, INTERVIEW)
    plan = build_plan(ws)
    records = ws.store.decks.cards()
    assert 0 < sum(not r.state.is_new for r in records) < len(records)
    for deck in plan.decks:
        group = [r for r in records if r.card.deck == deck.name]
        assert deck.recall_today == pytest.approx(
            sum(by_hand(r.state, clock()) for r in group) / len(group), abs=1e-12)
        assert deck.recall_on_day == pytest.approx(
            sum(by_hand(r.state, ON_THE_DAY) for r in group) / len(group), abs=1e-12)
    assert plan.overall.recall_on_day == pytest.approx(
        sum(by_hand(r.state, ON_THE_DAY) for r in records) / len(records), abs=1e-12)
    for record in records:
        assert ws.planner.recall_on_day(record.state) == pytest.approx(by_hand(record.state, ON_THE_DAY))
    data = plan.to_json()
    assert data["days_left"] == 18 and data["interview_date"] == "2026-03-31"
    assert data["recall_on_day"] == round(plan.overall.recall_on_day, 4)
    assert set(data["decks"]) == {"alpha", "beta"}
    for key in ("recall_today", "recall_on_day", "new_per_day", "workload", "at_risk"):
        assert key in data


# -- scheduling toward the date ---------------------------------------------------------------


def run_easy_month(ws: Workspace, clock: Clock) -> tuple[list[tuple[CardState, CardState]], int]:
    """Study a month with Easy on every card, two new cards a day; returns the answers and
    at_risk the day before the interview (with the date set then, whatever it was before)."""
    answers = []
    for day in range(30):
        clock.day(day)
        answers += study_all(ws, Rating.EASY)
    if ws.planner.interview is None:
        ws.store.meta.set_meta("interview_date", INTERVIEW.isoformat())
        ws.reload_planner()
    return answers, build_plan(ws).at_risk


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_easy_answers_past_the_date_are_brought_forward_and_none_left_at_risk(make_ws, seed):
    random.seed(seed)  # FSRS fuzz: it is what carries some natural intervals past the date
    ws, clock = make_ws(per_deck=30, new_per_day=2)
    set_interview_date(ws, INTERVIEW)
    answers, at_risk = run_easy_month(ws, clock)
    assert at_risk == 0
    moved = [(natural, saved) for natural, saved in answers if saved.due < natural.due]
    assert moved, "some answers should have been brought forward"
    planner = ws.planner
    for natural, saved in moved:
        # The natural interval passed the date with recall on the day below the aim (target + margin) ...
        assert natural.due >= day_start(INTERVIEW)
        assert by_hand(natural, ON_THE_DAY) < planner.aim
        # ... so the card is due in the last days before the interview instead,
        assert (INTERVIEW - timedelta(days=FINAL_DAYS) <= study_day(saved.due)
                <= INTERVIEW - timedelta(days=1))
        # from where its current stability alone keeps recall on the day at the aim.
        assert by_hand(replace(saved, last_review=saved.due), ON_THE_DAY) >= planner.aim
    for natural, saved in answers:
        if saved.due == natural.due:  # left alone: due before the day or fine on it
            assert saved.due < day_start(INTERVIEW) or by_hand(saved, ON_THE_DAY) >= planner.aim
    for record in ws.store.decks.cards():
        assert (record.state.due < day_start(INTERVIEW)
                or by_hand(record.state, ON_THE_DAY) >= planner.target)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_without_a_date_the_same_month_leaves_cards_at_risk(make_ws, seed):
    random.seed(seed)
    ws, clock = make_ws(per_deck=30, new_per_day=2)
    answers, at_risk = run_easy_month(ws, clock)
    assert all(saved == natural for natural, saved in answers)
    assert at_risk > 0


@pytest.fixture
def top_fuzz(monkeypatch):
    """FSRS fuzz always at the top of its range (the longest interval it can give)."""
    monkeypatch.setattr("debrief.scheduling.fuzz_draw", lambda seed: 0.999)


def test_clearing_the_date_restores_normal_intervals(make_ws, top_fuzz):
    ws, clock = make_ws(per_deck=1)
    set_interview_date(ws, INTERVIEW)
    clock.day(21)  # nine days before: Easy on a new card gives 8 days, fuzzed to 10 at most
    session = ReviewSession(ws, new_limit=1)
    feedback = session.reveal()
    natural = feedback.natural_outcomes[Rating.EASY].state
    assert natural.due == clock() + timedelta(days=10)
    assert feedback.outcomes[Rating.EASY].state.due < natural.due  # the button shows what is saved
    brought = session.rate(Rating.EASY).state
    assert INTERVIEW - timedelta(days=FINAL_DAYS) <= study_day(brought.due) < INTERVIEW
    assert brought == replace(natural, due=brought.due)  # only the due date moved

    assert clear_interview_date(ws)
    assert ws.planner.interview is None
    session = ReviewSession(ws, new_limit=2)
    feedback = session.reveal()
    assert session.rate(Rating.EASY).state == feedback.outcomes[Rating.EASY].state
    assert not clear_interview_date(ws)


def test_after_the_date_scheduling_returns_to_normal(make_ws, top_fuzz):
    ws, clock = make_ws(per_deck=1)
    set_interview_date(ws, INTERVIEW)
    state = Scheduler(ws.settings).review(CardState(), Rating.EASY, clock.day(21))
    assert ws.planner.bring_forward(state, clock()) != state
    for day in (30, 31, 45):  # the interview day itself, and after it
        clock.day(day)
        later = Scheduler(ws.settings).review(CardState(), Rating.EASY, clock())
        assert ws.planner.bring_forward(later, clock()) is later
    plan = build_plan(ws)
    assert plan.passed and not plan.active and plan.to_json()["active"] is False
    assert plan.workload == () and plan.at_risk == 0


def test_setting_the_date_brings_forward_cards_already_scheduled_past_it(make_ws):
    ws, clock = make_ws(per_deck=3)
    now = clock()
    records = {r.card.id: r for r in ws.store.decks.cards()}
    # Reviewed yesterday; its (fuzzed) next review is 40 days out but stability is only 25 days.
    risky = CardState("review", None, 25.0, 5.0, now + timedelta(days=39), now - timedelta(days=1), 3, 0)
    safe = CardState("review", None, 400.0, 5.0, now + timedelta(days=300), now - timedelta(days=1), 5, 0)
    soon = CardState("review", None, 25.0, 5.0, now + timedelta(days=20), now - timedelta(days=5), 3, 0)
    for key, state in (("alpha-0", risky), ("alpha-1", safe), ("alpha-2", soon)):
        ws.store.queue.reschedule(records[key].pk, state)
    assert build_plan(ws).at_risk == 0  # no date, nothing is at risk
    ws.store.meta.set_meta("interview_date", INTERVIEW.isoformat())
    ws.reload_planner()
    assert build_plan(ws).at_risk_cards == ("alpha-0",)

    assert set_interview_date(ws, INTERVIEW) == 1
    after = {r.card.id: r.state for r in ws.store.decks.cards()}
    # 25 days of stability keep recall above 90% for 25 days: due on the first of the last three days.
    assert after["alpha-0"] == replace(risky, due=now + timedelta(
        days=(INTERVIEW - timedelta(days=FINAL_DAYS) - study_day(now)).days))
    assert after["alpha-1"] == safe and after["alpha-2"] == soon
    assert build_plan(ws).at_risk == 0


def test_a_weak_card_is_brought_to_the_latest_day_that_keeps_it_above_target(make_ws):
    ws, clock = make_ws(per_deck=1)
    set_interview_date(ws, INTERVIEW)
    clock.day(26)
    planner = ws.planner
    weak = CardState("review", None, 1.5, 7.0, clock() + timedelta(days=6), clock(), 2, 1)
    moved = planner.bring_forward(weak, clock())
    # From a review on day I-3, recall after 3 days with 1.5 days of stability is under 90%; from
    # I-1 (one day) it is above.
    assert by_hand(replace(weak, last_review=day_start(INTERVIEW - timedelta(days=3))), ON_THE_DAY) < 0.9
    assert study_day(moved.due) == INTERVIEW - timedelta(days=1)
    clock.day(29)  # the day before: there is no day left to move it to
    assert planner.bring_forward(weak, clock()) is weak


# -- the workload projection ------------------------------------------------------------------


def test_workload_counts_by_hand(make_ws):
    ws, clock = make_ws(per_deck=1, enable_fuzzing=False)
    now = clock()
    planner = Planner(now.date() + timedelta(days=3), ws.settings)
    state = CardState("review", None, 5.0, 5.0, now, now - timedelta(days=5), 3, 0)
    sim = Scheduler(ws.settings)
    r0 = by_hand(state, now)
    good = sim.review(state, Rating.GOOD, now)
    relearned = sim.review(sim.review(state, Rating.AGAIN, now), Rating.GOOD, now + timedelta(minutes=10))
    # The two branches of today's review: Good goes past the horizon, Again comes back tomorrow.
    assert good.due >= planner.day_begins() and planner.recall_on_day(good) >= planner.target
    assert relearned.due.date() == now.date() + timedelta(days=1)
    record = ws.store.decks.cards()[0]
    projection = project(planner, [replace(record, state=state)], [], 0, now, now.date())
    reviews = [w.reviews for w in projection.days]
    assert reviews[0] == pytest.approx(1.0)
    assert reviews[1] == pytest.approx(1.0 - r0)
    assert sum(reviews) >= 1.0 + (1.0 - r0) - 1e-9
    assert [w.day for w in projection.days] == [now.date() + timedelta(days=i) for i in range(3)]
    assert 0.9 < projection.recall_by_deck["alpha"] <= 1.0


def monte_carlo(planner: Planner, states: list[CardState], new_times: list[int], now: datetime,
                runs: int, rng: random.Random) -> tuple[list[float], float]:
    """The same model as `project`, sampled: each review is Good with probability R, else Again,
    scheduled by the answer policy the review itself uses (FSRS, then the planner's outcomes)."""
    sim = Scheduler(replace(planner.settings, enable_fuzzing=False))
    today = now.date()
    horizon = (planner.interview - today).days
    begins = day_start(planner.interview)
    counts = [0.0] * horizon
    recall = 0.0

    def study_at(index: int) -> datetime:
        return now if index == 0 else now + timedelta(days=index)

    for _ in range(runs):
        starts = [(s, None) for s in states]
        for index in new_times:
            first = sim.review(CardState(), Rating.GOOD, study_at(index))
            starts.append((first, index))
        for state, counted in starts:
            at = max(state.due, study_at(counted)) if counted is not None else None
            while True:
                if at is None:
                    if state.due >= begins or (state.due.date() - today).days >= horizon:
                        break
                    counted = max(0, (state.due.date() - today).days)
                    counts[counted] += 1
                    at = max(state.due, study_at(counted))
                rating = Rating.GOOD if rng.random() < sim.retrievability(state, at) else Rating.AGAIN
                state = schedule_answer(sim, planner, state, rating, at)
                end = day_start(today + timedelta(days=counted + 1))
                at = max(state.due, at) if state.due < end else None
            recall += sim.retrievability(state, ON_THE_DAY)
    return [c / runs for c in counts], recall / runs


_SAMPLED: dict[str, tuple[list[float], float]] = {}


def sampled_once(planner: Planner, states: list[CardState], new_times: list[int], now: datetime,
                 runs: int, seed: int) -> tuple[list[float], float]:
    """`monte_carlo` with `random.Random(seed)`, sampled once per test run for the same inputs:
    it never reads the store, so the SQLite and PostgreSQL runs of a test share the ~13 s it takes."""
    key = repr((planner.settings, planner.interview, states, new_times, now, runs, seed))
    if key not in _SAMPLED:
        _SAMPLED[key] = monte_carlo(planner, states, new_times, now, runs, random.Random(seed))
    return _SAMPLED[key]


def test_workload_projection_agrees_with_a_seeded_monte_carlo(make_ws):
    ws, clock = make_ws(per_deck=1, enable_fuzzing=False)
    now = clock()
    planner = Planner(INTERVIEW, ws.settings)
    base = ws.store.decks.cards()[0]
    states = [CardState("review", None, s, d, now + timedelta(days=due), now - timedelta(days=ago), 3, lapses)
              for s, d, due, ago, lapses in [
                  (1.2, 8.0, 0, 2, 2), (3.0, 6.0, 1, 3, 0), (6.0, 5.0, 3, 4, 0), (12.0, 4.0, 9, 4, 0),
                  (2.0, 9.0, -2, 4, 3), (30.0, 3.0, 25, 5, 0), (0.8, 9.5, 0, 1, 4)]]
    states.append(CardState("learning", 1, 2.3, 5.0, now + timedelta(minutes=5), now, 1, 0))
    new_days = [0, 0, 0, 1, 1, 1, 2, 2, 2, 5]
    new_cards = [replace(base, pk=100 + i, state=CardState()) for i in range(len(new_days))]
    projection = project(planner, [replace(base, state=s) for s in states], new_cards, 3, now,
                         now.date(), done_today=0)
    sampled, sampled_recall = sampled_once(planner, states, [0, 0, 0, 1, 1, 1, 2, 2, 2, 3], now,
                                           runs=600, seed=20260301)
    expected = [w.reviews for w in projection.days]
    assert [w.new for w in projection.days][:5] == [3, 3, 3, 1, 0]
    assert sum(expected) == pytest.approx(sum(sampled), rel=0.03)
    for day, (e, s) in enumerate(zip(expected, sampled, strict=True)):
        assert e == pytest.approx(s, abs=0.25), f"day {day}"
    total = len(states) + len(new_cards)
    assert projection.recall_by_deck["alpha"] / total == pytest.approx(sampled_recall / total, abs=0.01)


def test_plan_projects_new_cards_at_the_limit_or_the_needed_pace(make_ws):
    ws, clock = make_ws(per_deck=10, new_per_day=3, enable_fuzzing=False)
    set_interview_date(ws, INTERVIEW)
    plan = build_plan(ws)
    assert plan.new_per_day == 1 and plan.new_limit == 3
    new = [w.new for w in plan.workload]
    assert new[:8] == [3, 3, 3, 3, 3, 3, 2, 0] and sum(new) == 20
    # Learned with Good today, reviewed first in two days.
    assert plan.workload[0].reviews == 0 and plan.workload[2].reviews == pytest.approx(3.0)
    assert len(plan.workload) == 30 and plan.workload[-1].day == INTERVIEW - timedelta(days=1)
    assert plan.learn_by == INTERVIEW - timedelta(days=FINAL_DAYS)
    assert 0.9 < plan.overall.projected_recall_on_day < 1.0
    assert plan.overall.recall_on_day == 0.0  # nothing studied yet

    clock.day(28)  # two days before: too late to be three days ahead
    plan = build_plan(ws)
    assert plan.behind and plan.new_per_day == 20
    assert plan.workload[0].new == 20  # at the needed pace, above the limit of 3


def test_the_json_without_a_date(make_ws):
    ws, _clock = make_ws(per_deck=1)
    data = build_plan(ws).to_json()
    assert data["interview_date"] is None and data["days_left"] is None and not data["active"]


# -- the interview quiz -----------------------------------------------------------------------


def test_weakest_on_day_picks_the_lowest_predicted_recall(make_ws):
    ws, clock = make_ws(per_deck=4)
    with pytest.raises(NoInterviewDate, match="no interview date"):
        weakest_on_day(ws, 3)
    set_interview_date(ws, INTERVIEW)
    now = clock()
    records = {r.card.id: r for r in ws.store.decks.cards()}
    stabilities = {"alpha-0": 40.0, "alpha-1": 3.0, "beta-0": 10.0, "beta-1": 1.0}
    for key, stability in stabilities.items():
        ws.store.queue.reschedule(records[key].pk, CardState(
            "review", None, stability, 5.0, now + timedelta(days=1), now - timedelta(days=1), 2, 0))
    picked = [r.card.id for r in weakest_on_day(ws, 6)]
    assert picked == ["alpha-2", "alpha-3", "beta-2", "beta-3", "beta-1", "alpha-1"]
    studied = [r.card.id for r in weakest_on_day(ws, 3, include_new=False)]
    assert studied == ["beta-1", "alpha-1", "beta-0"]
    alpha = ws.store.decks.deck_ids(["alpha"])
    assert [r.card.id for r in weakest_on_day(ws, 10, alpha, include_new=False)] == ["alpha-1", "alpha-0"]
    clock.day(31)
    with pytest.raises(NoInterviewDate, match="has passed"):
        weakest_on_day(ws, 3)


def test_the_planner_is_core_code():
    import subprocess
    import sys

    code = "import sys, debrief.plan; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in out.stdout.split()}
    assert not loaded & {"textual", "click", "rich", "sqlalchemy"}


# -- from #14: the plan never breaks and never says "On track" when it cannot be --------------


def test_the_plan_survives_learning_cards_without_a_memory_state(make_ws):
    # What `quiz --send-misses` stores today for never-studied cards: learning, due now, no
    # stability or difficulty.
    ws, clock = make_ws(per_deck=5)
    set_interview_date(ws, INTERVIEW)
    records = ws.store.decks.cards()
    for record in records[:3]:
        ws.store.queue.reschedule(record.pk, CardState(state="learning", step=0, due=clock()))
    plan = build_plan(ws)
    assert plan.overall.studied == 3 and plan.at_risk == 0
    assert plan.workload[0].reviews >= 3  # they are learned today, counted as reviews
    assert plan.to_json()["workload"]
    from debrief.cli.plan import plan_lines

    assert any(line.startswith("Expected workload") for line in plan_lines(plan))
    # And answering one works (a fresh learning card).
    session = ReviewSession(ws)
    assert session.current is not None
    session.reveal()
    assert session.rate(Rating.GOOD).state.stability is not None


def test_never_on_track_when_the_new_cards_a_day_exceed_the_limit(make_ws):
    ws, clock = make_ws(per_deck=100, new_per_day=5)
    clock.day(20)  # 8 learning days left (03-21 to 03-28) for 200 new cards: 25 a day, over 5
    set_interview_date(ws, INTERVIEW)
    plan = build_plan(ws)
    assert plan.new_per_day == 25 and plan.over_limit and not plan.on_track
    from debrief.cli.plan import plan_lines
    from debrief.tui.widgets.plan import plan_text

    text = "\n".join(plan_lines(plan))
    assert "Your daily limit is 5" in text and "debrief review --new 25" in text
    panel = "\n".join(str(line) for line in plan_text(plan))
    assert "On track" not in panel
    assert "over your daily limit of 5" in panel and "--new 25" in panel
    # Within the limit, with nothing at risk, it is on track.
    ws2, clock2 = make_ws(per_deck=1, new_per_day=20)
    plan2 = build_plan(ws2)
    assert plan2.interview_date is not None and plan2.on_track
    assert "On track" in "\n".join(str(line) for line in plan_text(plan2))


def test_no_new_cards_after_the_learn_by_date_and_whole_reviews(make_ws):
    ws, clock = make_ws(per_deck=40, new_per_day=20)
    set_interview_date(ws, INTERVIEW)
    # Learn 7 new cards today first: the plan's pace must still leave none for the last days.
    session = ReviewSession(ws, new_limit=7)
    while session.current is not None:
        session.reveal()
        session.rate(Rating.GOOD)
    plan = build_plan(ws)
    assert plan.learn_by == INTERVIEW - timedelta(days=FINAL_DAYS)
    assert sum(w.new for w in plan.workload) == plan.overall.new
    assert all(w.new == 0 for w in plan.workload if w.day > plan.learn_by)
    from debrief.cli.plan import plan_lines

    for line in plan_lines(plan):
        if "reviews" in line and line.startswith("  "):
            assert not re.search(r"\d\.\d", line), line


def test_the_plan_names_its_parameters(make_ws):
    ws, _clock = make_ws(per_deck=2)
    set_interview_date(ws, INTERVIEW)
    plan = build_plan(ws)
    assert plan.parameters == "default" and "default parameters" in plan.parameters_note
    from debrief.cli.plan import plan_lines

    assert any("FSRS's default parameters" in line for line in plan_lines(plan))
    ws.settings = replace(ws.settings, parameters=tuple(fsrs.scheduler.DEFAULT_PARAMETERS[:20]) + (0.3,))
    ws.__dict__.pop("scheduler", None)
    ws.__dict__.pop("planner", None)
    plan = build_plan(ws)
    assert plan.parameters == "manual" and plan.to_json()["parameters"] == "manual"


def test_the_target_is_the_interview_retention(make_ws):
    ws, _clock = make_ws(per_deck=2, interview_retention=0.97)
    set_interview_date(ws, INTERVIEW)
    assert ws.planner.target == 0.97 and build_plan(ws).target == 0.97


# -- the margin: aiming above the target by how far the predictions may be off ---------------


@pytest.mark.parametrize(("rmse", "expected"), [
    (None, DEFAULT_MARGIN),  # default or hand-set parameters: no measured calibration
    (float("nan"), DEFAULT_MARGIN),
    (0.0, 0.0),  # a perfect fit needs no margin
    (0.012, 0.012),  # the fit's binned RMSE on the user's reviews
    (0.06, MAX_MARGIN),  # a poor fit: capped, so the last days stay a review, not a relearning
    (-0.5, 0.0),
])
def test_plan_margin(rmse, expected):
    assert plan_margin(rmse) == pytest.approx(expected)


@pytest.mark.parametrize(("target", "margin", "aim"), [
    (0.95, 0.02, 0.97),
    (0.95, 0.0, 0.95),
    (0.98, 0.02, MAX_AIM),  # never aims at certainty
    (0.90, -0.3, 0.90),  # a negative margin never aims under the target
])
def test_the_aim_is_the_target_plus_the_margin(target, margin, aim):
    planner = Planner(INTERVIEW, Settings(interview_retention=target), margin=margin)
    assert planner.aim == pytest.approx(aim)


def test_a_card_between_the_target_and_the_aim_is_brought_forward_but_not_at_risk(make_ws):
    ws, clock = make_ws(per_deck=1)
    set_interview_date(ws, INTERVIEW)
    now = clock.day(20)
    planner = ws.planner
    assert planner.margin == DEFAULT_MARGIN and planner.aim == pytest.approx(0.97)

    def last_seen_today(stability: float) -> CardState:
        return CardState("review", None, stability, 5.0, now + timedelta(days=40), now, 3, 0)

    # Stabilities whose recall on the day (10 days and 2 hours on) is just under and over the aim.
    between, above = last_seen_today(38.0), last_seen_today(120.0)
    assert planner.target <= by_hand(between, ON_THE_DAY) < planner.aim
    assert by_hand(above, ON_THE_DAY) >= planner.aim
    assert not planner.is_at_risk(between)  # the plan reports it fine on the day ...
    moved = planner.bring_forward(between, now)  # ... and still reviews it before the day
    assert INTERVIEW - timedelta(days=FINAL_DAYS) <= study_day(moved.due) < INTERVIEW
    assert planner.bring_forward(above, now) is above
    exact = replace(planner, margin=0.0)  # with no margin the same card is left alone
    assert exact.bring_forward(between, now) is between


def test_the_margin_comes_from_the_fit(make_ws):
    ws, _clock = make_ws(per_deck=1)
    from debrief.optimize import META_KEY as FIT_KEY
    from debrief.optimize import FitRecord

    parameters = tuple(fsrs.scheduler.DEFAULT_PARAMETERS[:20]) + (0.3,)
    fit = FitRecord(START, 900, parameters, 0.35, 0.011, 900)
    ws.store.meta.set_meta(FIT_KEY, json.dumps(fit.to_json()))
    ws.settings = replace(ws.settings, parameters=parameters)
    ws.__dict__.pop("scheduler", None)
    set_interview_date(ws, INTERVIEW)
    assert ws.reload_planner().margin == pytest.approx(0.011)
    data = build_plan(ws).to_json()  # `plan --json` says it too
    assert (data["target"], data["margin"], data["aim"]) == (0.95, 0.011, 0.961)
    ws.settings = replace(ws.settings, parameters=())  # back to the defaults: no fit in use
    ws.__dict__.pop("scheduler", None)
    assert ws.reload_planner().margin == DEFAULT_MARGIN
    data = build_plan(ws).to_json()
    assert (data["margin"], data["aim"]) == (DEFAULT_MARGIN, round(0.95 + DEFAULT_MARGIN, 4))


def test_strict_order_never_pushes_a_brought_forward_button_onto_the_day(make_ws, top_fuzz):
    ws, clock = make_ws(per_deck=1)
    set_interview_date(ws, INTERVIEW)
    now = clock.day(28)  # two days before: the only day left for a review is tomorrow
    planner = ws.planner
    state = CardState("review", None, 3.0, 8.0, now, now - timedelta(days=4), 4, 0)
    natural = Scheduler(ws.settings).outcomes(state, now)
    # The case: FSRS puts both Hard and Good past the date, both short of the aim on the day.
    for rating in (Rating.HARD, Rating.GOOD):
        assert natural[rating].state.due >= day_start(INTERVIEW)
        assert planner.recall_on_day(natural[rating].state) < planner.aim
    planned = planner.outcomes(natural, now)
    days = [study_day(planned[r].state.due) for r in (Rating.HARD, Rating.GOOD, Rating.EASY)]
    # Both reviewed the day before (sharing it); the order stays non-decreasing.
    assert days[0] == days[1] == INTERVIEW - timedelta(days=1)
    assert days == sorted(days)
    for rating in (Rating.HARD, Rating.GOOD):
        assert planned[rating].state == replace(natural[rating].state, due=planned[rating].state.due)
