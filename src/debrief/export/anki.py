"""Export decks as an Anki package (.apkg) that imports cleanly and updates in place, with the
study progress (schedules, FSRS memory states, suspensions, flags, review history) if asked."""

from __future__ import annotations

import html
import itertools
import json
import sqlite3
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import genanki

from debrief.cards import Card, Deck
from debrief.clock import day_start, study_day
from debrief.config import Settings
from debrief.export import ExportError
from debrief.export.atomic import write_atomically
from debrief.export.notes import (
    CHOICE,
    COMPARE,
    DECK_CONFIG_ID,
    DECK_CONFIG_NAME,
    FIELDS,
    GUID_PREFIX,
    NOTE_TYPES,
    PARENT_DECK,
    PARENT_DECK_ID,
    RECALL,
    TYPED,
    NoteType,
    anki_deck_name,
    anki_tags,
    deck_id,
    guid_for,
    instruction,
    note_type_for,
)
from debrief.importers.history import CardProgress, LoggedReview
from debrief.importers.marks import MARKS_KEY, pack
from debrief.records import CardRecord
from debrief.scheduling import CardState

Progress = Callable[[int, int], None]

_PROMPT = '<div class="prompt">{{Prompt}}</div>'
_HINT = '{{#Instruction}}<div class="hint">{{Instruction}}</div>{{/Instruction}}'
_ACCEPTED = '{{#Accepted}}<div class="accepted">Also accepted:<br>{{Accepted}}</div>{{/Accepted}}'
_EXPLANATION = '{{#Explanation}}<div class="explanation">{{Explanation}}</div>{{/Explanation}}'
_BACK = "\n".join(["{{FrontSide}}", "<hr id=answer>", '<div class="answer">{{Answer}}</div>',
                   _EXPLANATION])
# (front, back) per note type. The typed answer is on both sides, as in Anki's own "Basic (type
# in the answer)": a box on the front, the typed answer compared with the answer on the back.
_TEMPLATES = {
    TYPED.id: (
        "\n".join([_PROMPT, _HINT, "{{type:Answer}}"]),
        "\n".join([_PROMPT, "<hr id=answer>", "{{type:Answer}}", _ACCEPTED, _EXPLANATION]),
    ),
    CHOICE.id: ("\n".join([_PROMPT, _HINT, '<div class="options">{{Options}}</div>']), _BACK),
    RECALL.id: (_PROMPT, _BACK),
    # The answer to compare against, no type-in box: Anki's exact character diff would mark a
    # list in another order, or a figure written another way, wrong.
    COMPARE.id: ("\n".join([_PROMPT, _HINT]),
                 "\n".join([_PROMPT, _HINT, "<hr id=answer>", '<div class="answer">{{Answer}}</div>',
                            _ACCEPTED, _EXPLANATION])),
}
# No colours: Anki's light and night themes (and AnkiDroid's) then apply as they are.
_CSS = """\
.card { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  font-size: 20px; line-height: 1.45; text-align: left; max-width: 38em; margin: 0 auto; }
.hint, .accepted { font-size: 0.85em; opacity: 0.7; margin-top: 0.6em; }
.options { margin-top: 0.8em; padding-left: 0.8em; border-left: 3px solid rgba(128, 128, 128, 0.5); }
.answer { font-weight: bold; }
.explanation { margin-top: 1em; }
#typeans { font-size: 0.95em; }
"""


def note_fields(card: Card) -> list[str]:
    """The card's Anki fields, in FIELDS order, HTML-escaped with line breaks as <br>."""
    values = {
        "Prompt": _html(card.prompt),
        "Answer": _html(card.answer_text),
        "Explanation": _html(card.explanation),
        "Options": "<br>".join(_html(option) for option in card.options),
        "Accepted": "<br>".join(_html(alternative) for alternative in card.accept),
        "Instruction": _html(instruction(card)),
        "Kind": card.kind,
        "Min items": str(card.min_items) if card.min_items is not None else "",
    }
    return [values[name] for name in FIELDS]


@dataclass(frozen=True)
class StudyProgress:
    """The study progress an export carries: each card's progress by card id, and the
    scheduling settings that become the decks' options in Anki."""

    cards: Mapping[str, CardProgress] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)


def study_progress(records: Sequence[CardRecord], flags: Mapping[int, int],
                   logs: Mapping[int, Sequence[LoggedReview]], settings: Settings) -> StudyProgress:
    """The progress to export for stored cards: `flags` and rated answers `logs` by card pk
    (as the store's `card_flags` and `rated_reviews` give them), and the scheduling settings."""
    return StudyProgress(cards={record.card.id: CardProgress(
        state=record.state, suspended=record.suspended, buried_until=record.buried_until,
        flag=flags.get(record.pk, 0), reviews=tuple(logs.get(record.pk, ())))
        for record in records}, settings=settings)


def export_apkg(decks: list[Deck], path: Path, progress: Progress | None = None, *,
                now: datetime | None = None, study: StudyProgress | None = None) -> int:
    """Write `decks` to the Anki package `path`, one Anki deck each under `Debrief::`.

    Returns the number of notes written. `progress(done, total)` is called as notes are
    written. `now` (timezone-aware; default the current time) stamps the notes: Anki
    updates a note on re-import only when the package's note is newer than its own.
    With `study`, each card carries its schedule, FSRS memory state, suspension, flag and
    review history (revlog rows), and the decks use a "Debrief" options preset with the
    desired retention and FSRS parameters; Anki applies them when the package is imported
    with scheduling ("Import any learning progress"). Cards missing from `study.cards` go
    as new. The file appears whole or not at all; raise ExportError if it can't be written.
    """
    timestamp = _timestamp(now)
    _check_unique(decks)
    total = sum(len(deck.cards) for deck in decks)
    done = 0

    def written() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    models = {note_type.id: _model(note_type) for note_type in NOTE_TYPES}
    parent = genanki.Deck(PARENT_DECK_ID, PARENT_DECK,
                          description="Interview prep cards exported from debrief.")
    anki_decks = [parent]
    for deck in decks:
        anki_deck = genanki.Deck(deck_id(deck.name), anki_deck_name(deck.name),
                                 description=_deck_description(deck))
        for position, card in enumerate(deck.cards):
            anki_deck.add_note(_Note(
                model=models[note_type_for(card.kind).id],
                fields=note_fields(card),
                tags=anki_tags(card),
                guid=guid_for(card),
                due=position,  # new cards come up in the deck file's order
                written=written,
            ))
        anki_decks.append(anki_deck)

    if progress is not None:
        progress(0, total)
    collection = _collection_bytes(genanki.Package(anki_decks), timestamp, study,
                                   now or datetime.fromtimestamp(timestamp, UTC))

    def write(file: BinaryIO) -> None:
        with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as package:
            package.writestr("collection.anki2", collection)
            package.writestr("media", "{}")

    write_atomically(path, write)
    return total


class _Note(genanki.Note):
    """A genanki note that reports when it has been written, for the progress bar."""

    def __init__(self, *, written: Callable[[], None], **kwargs: Any):
        super().__init__(**kwargs)
        self._written = written

    def write_to_db(self, *args: Any, **kwargs: Any) -> None:
        super().write_to_db(*args, **kwargs)
        self._written()


def _model(note_type: NoteType) -> genanki.Model:
    front, back = _TEMPLATES[note_type.id]
    return genanki.Model(
        note_type.id,
        note_type.name,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Card 1", "qfmt": front, "afmt": back}],
        css=_CSS,
        sort_field_index=0,
    )


def _collection_bytes(package: genanki.Package, timestamp: float, study: StudyProgress | None,
                      now: datetime) -> bytes:
    # genanki's own write_to_file builds the collection in a temporary file it never deletes;
    # an in-memory database serialised to bytes leaves nothing behind.
    connection = sqlite3.connect(":memory:")
    try:
        package.write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        if study is not None:
            _write_progress(connection, study, now)
        connection.commit()
        return connection.serialize()
    finally:
        connection.close()


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _deck_description(deck: Deck) -> str:
    parts = [_html(deck.title)] + ([_html(deck.description)] if deck.description else [])
    return "<br>".join(parts)


def _timestamp(now: datetime | None) -> float:
    if now is None:
        now = datetime.now(UTC)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    return now.timestamp()


def _check_unique(decks: Iterable[Deck]) -> None:
    """Refuse two decks of one name or two cards of one id: Anki would merge them silently."""
    names: set[str] = set()
    cards: dict[str, str] = {}
    clashes: list[str] = []
    for deck in decks:
        if deck.name in names:
            clashes.append(f"deck {deck.name!r} is given twice")
        names.add(deck.name)
        for card in deck.cards:
            if card.id in cards:
                clashes.append(f"card id {card.id!r} is used twice (decks {cards[card.id]!r} and {deck.name!r})")
            cards.setdefault(card.id, deck.name)
    if clashes:
        more = f" (and {len(clashes) - 3} more)" if len(clashes) > 3 else ""
        raise ExportError("cannot export: " + "; ".join(clashes[:3]) + more)


# --- study progress ---------------------------------------------------------------------------
# genanki writes every card as new. Anki's importer (rslib import_export/package/apkg/import)
# copies a card's type, queue, due, interval, counts, flags and `data` as they are when the
# user imports with scheduling; it shifts day-based due dates by the difference between the
# package's day count and the target collection's. So the package states its own day count:
# created at the rollover hour of day `origin`, with Anki's "new timezone" day handling (the
# same rollover hour as debrief's study days), and every day-based due is counted from there.

_NEW, _LEARNING, _REVIEW, _RELEARNING = 0, 1, 2, 3  # Anki card types
_QUEUE_LEARN, _QUEUE_REVIEW, _QUEUE_DAY_LEARN = 1, 2, 3
_QUEUE_SUSPENDED, _QUEUE_BURIED = -1, -3
_REVLOG_TYPE = {"new": 0, "learning": 0, "review": 1, "relearning": 2}
_ANSWER_TIME_CAP_MS = 60_000  # Anki's default cap on a logged answer's time
_DEFAULT_FACTOR = 2500  # SM-2 ease; FSRS ignores it, but Anki expects it on review cards


def _write_progress(db: sqlite3.Connection, study: StudyProgress, now: datetime) -> None:
    settings = study.settings
    rollover = settings.day_starts_at
    today = study_day(now, rollover)
    days = [today] + [study_day(when, rollover) for progress in study.cards.values()
                      for when in (progress.state.due, progress.state.last_review,
                                   *(r.reviewed_at for r in progress.reviews)) if when]
    # One day before anything the package mentions, so no day-based due is negative.
    origin = min(days) - timedelta(days=1)
    created = day_start(origin, rollover)
    offset = created.astimezone().utcoffset() or timedelta(0)
    conf = json.loads(db.execute("SELECT conf FROM col").fetchone()[0])
    conf.update({"schedVer": 2, "sched2021": True, "rollover": rollover,
                 "creationOffset": -int(offset.total_seconds() // 60)})
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    for deck in decks.values():
        if deck.get("name") != "Default":
            deck["conf"] = DECK_CONFIG_ID
    dconf = json.loads(db.execute("SELECT dconf FROM col").fetchone()[0])
    dconf[str(DECK_CONFIG_ID)] = _deck_options(dconf["1"], settings)
    db.execute("UPDATE col SET crt = ?, conf = ?, decks = ?, dconf = ?",
               (int(created.timestamp()), json.dumps(conf), json.dumps(decks), json.dumps(dconf)))

    next_day = day_start(today + timedelta(days=1), rollover)
    used_ids: set[int] = set()
    rows = db.execute("SELECT cards.id, notes.guid FROM cards JOIN notes ON notes.id = cards.nid")
    for card_id, guid in rows.fetchall():
        progress = study.cards.get(guid.removeprefix(GUID_PREFIX))
        if progress is None:
            continue
        values = _card_values(progress, settings, origin, next_day, now)
        if values is not None:
            db.execute("UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, "
                       "reps = ?, lapses = ?, left = ?, flags = ?, data = ? WHERE id = ?",
                       (*values, card_id))
        else:
            queue = _QUEUE_SUSPENDED if progress.suspended else 0
            db.execute("UPDATE cards SET queue = ?, flags = ?, data = ? WHERE id = ?",
                       (queue, progress.flag & 7, _card_data({}, progress), card_id))
        db.executemany("INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
                       _revlog_rows(card_id, progress, rollover, used_ids))


def _deck_options(default: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The "Debrief" deck options preset: debrief's steps, limits, desired retention and FSRS
    parameters (when fitted: 21 are FSRS-6's, 19 FSRS-5's, 17 FSRS-4's)."""
    options = json.loads(json.dumps(default))
    options.update({"id": DECK_CONFIG_ID, "name": DECK_CONFIG_NAME,
                    "desiredRetention": settings.desired_retention})
    options["new"].update({"delays": [_minutes(step) for step in settings.learning_steps],
                           "perDay": settings.new_per_day})
    options["lapse"]["delays"] = [_minutes(step) for step in settings.relearning_steps]
    options["rev"].update({"maxIvl": settings.maximum_interval, "perDay": settings.reviews_per_day})
    parameters = [float(value) for value in settings.parameters]
    key = {21: "fsrsParams6", 19: "fsrsParams5", 17: "fsrsWeights"}.get(len(parameters))
    if key is not None:
        options[key] = parameters
    return options


def _minutes(step: timedelta) -> float:
    return step.total_seconds() / 60


def _card_values(progress: CardProgress, settings: Settings, origin: date, next_day: datetime,
                 now: datetime) -> tuple[int, int, int, int, int, int, int, int, int, str] | None:
    """(type, queue, due, ivl, factor, reps, lapses, left, flags, data) of a studied card; None
    for a new one (genanki's new card stands, in the deck file's order)."""
    state = progress.state
    if state.is_new or state.due is None:
        return None
    rollover = settings.day_starts_at
    due_day = (study_day(state.due, rollover) - origin).days
    reviewed = state.last_review or state.due
    days = max(1, (study_day(state.due, rollover) - study_day(reviewed, rollover)).days)
    left = 0
    if state.state == "review":
        kind, queue, due, interval = _REVIEW, _QUEUE_REVIEW, due_day, days
    else:
        learning = state.state == "learning"
        kind = _LEARNING if learning else _RELEARNING
        steps = settings.learning_steps if learning else settings.relearning_steps
        remaining = max(1, len(steps) - (state.step or 0))
        left = remaining * 1000 + remaining  # Anki: steps left today * 1000 + steps left
        if state.due < next_day:
            queue, due = _QUEUE_LEARN, int(state.due.timestamp())
        else:
            queue, due = _QUEUE_DAY_LEARN, due_day
        interval = 0 if learning else 1
    if progress.suspended:
        queue = _QUEUE_SUSPENDED
    elif progress.buried_until is not None and progress.buried_until > now:
        queue = _QUEUE_BURIED
    data: dict[str, float | int] = {}
    if state.stability is not None and state.difficulty is not None:
        # Anki 23.10+ keeps the FSRS memory state in the card's `data` (rslib storage/card/data.rs),
        # rounded as Anki rounds it.
        data = {"s": round(state.stability, 4), "d": round(state.difficulty, 3),
                "dr": round(settings.desired_retention, 2)}
        if state.last_review is not None:
            data["lrt"] = int(state.last_review.timestamp())
    factor = _DEFAULT_FACTOR if kind in (_REVIEW, _RELEARNING) else 0
    return (kind, queue, due, interval, factor, state.reps, state.lapses, left,
            progress.flag & 7, _card_data(data, progress))


def _card_data(data: dict[str, float | int], progress: CardProgress) -> str:
    """A card's `data` JSON: `data` and, as custom data, the suspension and flag the card is
    given, so that `debrief import` can tell a change made in Anki from what it sent."""
    custom = json.dumps({MARKS_KEY: pack(progress.suspended, progress.flag)},
                        separators=(",", ":"))
    return json.dumps({**data, "cd": custom}, separators=(",", ":"))


def _revlog_rows(card_id: int, progress: CardProgress, rollover: int,
                 used_ids: set[int]) -> list[tuple[int, int, int, int, int, int, int, int]]:
    """The card's rated answers as revlog rows (id, cid, ease, ivl, lastIvl, factor, time, type).

    A row's id is the answer's time in milliseconds (moved on a millisecond when two answers
    share one, as Anki does); an answer that came from Anki keeps its original revlog id, so
    Anki recognises it and `debrief import` never counts it twice.
    """
    rows = []
    reviews = progress.reviews
    for index, review in enumerate(reviews):
        after = next((later.schedule_before for later in reviews[index + 1:]
                      if later.schedule_before is not None), progress.state)
        revlog_id = review.anki_revlog_id or int(review.reviewed_at.timestamp() * 1000)
        while revlog_id in used_ids:
            revlog_id += 1
        used_ids.add(revlog_id)
        before = review.schedule_before
        last = _revlog_interval(before, review.reviewed_at, rollover) if before else 0
        factor = _DEFAULT_FACTOR if review.state_before in ("review", "relearning") else 0
        rows.append((revlog_id, card_id, review.rating,
                     _revlog_interval(after, review.reviewed_at, rollover), last, factor,
                     min(max(0, review.duration_ms), _ANSWER_TIME_CAP_MS),
                     _REVLOG_TYPE.get(review.state_before, 0)))
    return rows


def _revlog_interval(state: CardState, at: datetime, rollover: int) -> int:
    """A revlog interval: days for a review card, negative seconds for a learning step."""
    if state.is_new or state.due is None:
        return 0
    if state.state == "review":
        start = state.last_review or at
        return max(1, (study_day(state.due, rollover) - study_day(start, rollover)).days)
    start = state.last_review or at
    return -max(1, int((state.due - start).total_seconds()))
