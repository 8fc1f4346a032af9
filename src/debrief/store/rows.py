"""Turning stored rows into the core's records and back (shared by the store's roles)."""

from __future__ import annotations

import json

from debrief.cards import Card, CardKind, ScheduleState
from debrief.records import CardRecord, ReviewRecord
from debrief.scheduling import CardState
from debrief.store.models import CardRow, ReviewRow, ScheduleRow


def decode_json(stored: str | None) -> object:
    """A JSON column's stored text, decoded (with a shortcut for the common empty list)."""
    if stored is None or stored == "null":
        return None
    return [] if stored == "[]" else json.loads(stored)


def card_from_row(row: CardRow, deck_name: str) -> Card:
    """A stored card's content as the core's `Card`."""
    answer = row.answer
    return Card(
        id=row.key,
        deck=deck_name,
        kind=CardKind(row.kind),
        prompt=row.prompt,
        answer=tuple(answer) if isinstance(answer, list) else str(answer),
        accept=tuple(row.accept or ()),
        options=tuple(row.options or ()),
        min_items=row.min_items,
        explanation=row.explanation or "",
        tags=tuple(row.tags or ()),
        position=row.position,
        group=row.group_key,
        keywords=tuple(row.keywords or ()),
        rubric=tuple(row.rubric or ()),
    )


def state_from_row(row: ScheduleRow) -> CardState:
    """A stored schedule as the scheduler's `CardState`."""
    return CardState(
        state=ScheduleState(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=row.due,
        last_review=row.last_review,
        reps=row.reps,
        lapses=row.lapses,
    )


def apply_state(row: ScheduleRow, state: CardState) -> None:
    """Write `state` into a schedule row (the caller's transaction commits it)."""
    row.state = state.state
    row.step = state.step
    row.stability = state.stability
    row.difficulty = state.difficulty
    row.due = state.due
    row.last_review = state.last_review
    row.reps = state.reps
    row.lapses = state.lapses


def card_record(card: CardRow, schedule: ScheduleRow, deck_name: str) -> CardRecord:
    """A card with its schedule and flags, as the core reads it."""
    return CardRecord(
        pk=card.id,
        card=card_from_row(card, deck_name),
        state=state_from_row(schedule),
        suspended=schedule.suspended,
        buried_until=schedule.buried_until,
        retired=card.retired,
        leech=schedule.leech,
        flag=schedule.flag or 0,
    )


def review_record(row: ReviewRow) -> ReviewRecord:
    """One logged answer, as the core reads it."""
    return ReviewRecord(
        id=row.id, card_pk=row.card_id, reviewed_at=row.reviewed_at, mode=row.mode,
        rating=row.rating, answer=row.answer, verdict=row.verdict, score=row.score,
        duration_ms=row.duration_ms, state_before=row.state_before,
    )


def interval_days(state: CardState) -> float | None:
    """The interval the state was scheduled with, in days (None before its first review)."""
    if state.due is None or state.last_review is None:
        return None
    return (state.due - state.last_review).total_seconds() / 86400
