"""FSRS scheduling: golden intervals with fuzzing off and a fixed clock, suggestions, formatting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from debrief.config import Settings
from debrief.scheduling import CardState, Rating, Scheduler, format_interval, suggest_rating

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def scheduler():
    return Scheduler(Settings(enable_fuzzing=False))


def intervals(scheduler, state, now):
    return {r: o.interval for r, o in scheduler.outcomes(state, now).items()}


def test_a_new_card_follows_the_learning_steps(scheduler):
    assert intervals(scheduler, CardState(), T0) == {
        Rating.AGAIN: timedelta(minutes=1),
        Rating.HARD: timedelta(minutes=5, seconds=30),  # halfway between the 1m and 10m steps
        Rating.GOOD: timedelta(minutes=10),
        Rating.EASY: timedelta(days=8),
    }


def test_golden_intervals_after_graduating(scheduler):
    state = scheduler.review(CardState(), Rating.GOOD, T0)
    assert (state.state, state.step, state.due) == ("learning", 1, T0 + timedelta(minutes=10))
    state = scheduler.review(state, Rating.GOOD, state.due)
    assert state.state == "review"
    assert state.due - state.last_review == timedelta(days=2)
    got = intervals(scheduler, state, state.due)
    assert got == {
        Rating.AGAIN: timedelta(minutes=10),
        Rating.HARD: timedelta(days=8),
        Rating.GOOD: timedelta(days=11),
        Rating.EASY: timedelta(days=19),
    }


def test_a_lapse_is_counted_and_relearns(scheduler):
    state = scheduler.review(CardState(), Rating.EASY, T0)
    lapsed = scheduler.review(state, Rating.AGAIN, state.due)
    assert (lapsed.state, lapsed.lapses, lapsed.reps) == ("relearning", 1, 2)


def test_naive_datetimes_are_rejected(scheduler):
    with pytest.raises(ValueError):
        scheduler.review(CardState(), Rating.GOOD, datetime(2026, 1, 1))


def test_retrievability_of_a_new_card_is_zero(scheduler):
    assert scheduler.retrievability(CardState(), T0) == 0.0


def test_desired_retention_changes_intervals():
    strict = Scheduler(Settings(enable_fuzzing=False, desired_retention=0.97))
    loose = Scheduler(Settings(enable_fuzzing=False))
    state = loose.review(CardState(), Rating.EASY, T0)
    assert strict.outcomes(state, state.due)[Rating.GOOD].interval < loose.outcomes(state, state.due)[Rating.GOOD].interval


@pytest.mark.parametrize(("verdict", "seconds", "chars", "expected"), [
    ("wrong", 2, 5, Rating.AGAIN),
    ("partial", 2, 5, Rating.AGAIN),
    ("close", 2, 5, Rating.HARD),
    ("correct", 3, 5, Rating.EASY),
    ("correct", 9, 20, Rating.EASY),
    ("correct", 10, 5, Rating.GOOD),
    ("correct", 40, 5, Rating.HARD),
    (None, 5, 0, Rating.GOOD),
])
def test_suggested_rating(verdict, seconds, chars, expected):
    assert suggest_rating(verdict, seconds, chars) == expected


@pytest.mark.parametrize(("delta", "text"), [
    (timedelta(seconds=30), "<1m"),
    (timedelta(minutes=10), "10m"),
    (timedelta(hours=5), "5h"),
    (timedelta(days=4), "4d"),
    (timedelta(days=75), "2.5mo"),
    (timedelta(days=730), "2.0y"),
])
def test_format_interval(delta, text):
    assert format_interval(delta) == text
