"""Personal FSRS parameters: fit them to the review log (fsrs-rs), save them, recompute card states.

The review log holds every rated answer (reviews, and quiz answers given with `--reschedule`).
Each card's answers, in order, with the study days between them (the `day_starts_at` rollover, as
the scheduler counts them) are one FSRS history. As Anki does, every prefix of a history that ends
on a later day than the card's previous answer is one training item; histories whose first logged
answer was not to a new card (imported or reset schedules) are left out, since their start is
unknown. fsrs-rs fits the 21 FSRS-6 weights without torch; they are clamped to the ranges py-fsrs
accepts before use.

The items go to fsrs-rs in the order they happened (by the time of their last answer), each with
its card, as Anki hands them over: fsrs-rs weighs items by their position in the list (from 0.25
for the first to 1.0 for the last, so recent answers count more), which means something only in
time order. Listed card by card instead, a card's weight followed its place in the table, not the
age of its answers. It also gets the number of relearning steps, which bounds the short-term
weights (w17, w18) when there are several.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from debrief.clock import study_day
from debrief.config import PARAMETER_COUNT, Settings, check_parameters
from debrief.errors import DebriefError
from debrief.records import CardRecord, ReviewRecord
from debrief.scheduling import CardState

if TYPE_CHECKING:
    from fsrs_rs_python import FSRSItem

    from debrief.workspace import Workspace

# Anki's optimizer refuses small logs too; below a few hundred answers on later days the fit
# follows noise more than the learner.
MIN_REVIEWS = 400
META_KEY = "fsrs_fit"
SUGGEST_EVERY = timedelta(days=30)
RETENTIONS = (0.80, 0.85, 0.90, 0.95)


class OptimizeError(DebriefError):
    """Too few reviews to fit, or parameters that cannot be saved."""


@dataclass(frozen=True)
class History:
    """One card's rated answers: (rating, study days since the previous answer) in order."""

    card_pk: int
    reviews: tuple[tuple[int, int], ...]
    complete: bool  # the first logged answer was to a new card
    times: tuple[datetime, ...] = ()  # when each answer was given (same length as `reviews`)

    @property
    def long_term(self) -> int:
        """Answers on a later study day than the card's previous answer."""
        return sum(1 for _rating, days in self.reviews[1:] if days > 0)


def histories(reviews: Iterable[ReviewRecord], rollover: int,
              cards: set[int] | None = None) -> dict[int, History]:
    """Each card's history from the log (oldest first; unrated answers left out)."""
    by_card: dict[int, list[ReviewRecord]] = defaultdict(list)
    for review in reviews:
        if review.rating is None or not 1 <= review.rating <= 4:
            continue
        if cards is not None and review.card_pk not in cards:
            continue
        by_card[review.card_pk].append(review)
    result = {}
    for pk, answers in by_card.items():
        answers.sort(key=lambda r: (r.reviewed_at, r.id))
        steps: list[tuple[int, int]] = []
        previous: datetime | None = None
        for answer in answers:
            days = 0 if previous is None else max(
                0, (study_day(answer.reviewed_at, rollover) - study_day(previous, rollover)).days)
            steps.append((int(answer.rating or 0), days))
            previous = answer.reviewed_at
        result[pk] = History(pk, tuple(steps), answers[0].state_before == "new",
                             tuple(a.reviewed_at for a in answers))
    return result


def _item(steps: Sequence[tuple[int, int]]) -> FSRSItem:
    from fsrs_rs_python import FSRSItem, FSRSReview

    return FSRSItem([FSRSReview(rating, days) for rating, days in steps])


def training_data(cards: Iterable[History]) -> tuple[list[FSRSItem], list[int]]:
    """Every prefix of every complete history that ends on a later day than the answer before,
    oldest first (by the time of its last answer), and each one's card.

    fsrs-rs weighs items by their place in the list (recent ones more), so the order is time's.
    A history without times (built by hand) counts its study days from its first answer."""
    keyed: list[tuple[tuple[float, int, int], FSRSItem, int]] = []
    for history in cards:
        if not history.complete:
            continue
        timed = len(history.times) == len(history.reviews)
        day = 0
        for end in range(2, len(history.reviews) + 1):
            day += history.reviews[end - 1][1]
            if history.reviews[end - 1][1] > 0:
                when = history.times[end - 1].timestamp() if timed else float(day * 86400)
                keyed.append(((when, history.card_pk, end), _item(history.reviews[:end]),
                              history.card_pk))
    keyed.sort(key=lambda entry: entry[0])
    return [item for _key, item, _card in keyed], [card for _key, _item, card in keyed]


def training_items(cards: Iterable[History]) -> list[FSRSItem]:
    """The training items of `training_data`, oldest first."""
    return training_data(cards)[0]


def evaluate(parameters: Sequence[float], items: Sequence[FSRSItem]) -> tuple[float, float]:
    """Log loss and RMSE (binned, as FSRS reports it) of `parameters` on `items`."""
    from fsrs_rs_python import FSRS

    result = FSRS(list(parameters)).evaluate(list(items))
    return float(result.log_loss), float(result.rmse_bins)


def clamp(parameters: Sequence[float]) -> tuple[float, ...]:
    """`parameters` within the ranges py-fsrs accepts (fsrs-rs's can fall just outside)."""
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    return tuple(round(min(max(float(p), low), high), 4) for p, low, high in
                 zip(parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True))


def fit(items: Sequence[FSRSItem], card_ids: Sequence[int] | None = None,
        relearning_steps: int = 1) -> tuple[float, ...]:
    """FSRS-6 parameters fitted to `items` (oldest first; fsrs-rs, starting from its defaults).

    `card_ids` names each item's card (as Anki passes them); `relearning_steps` is how many
    relearning steps the scheduler uses (it bounds the short-term weights when above 1)."""
    from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS

    fitted = FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(
        list(items), card_ids=list(card_ids) if card_ids is not None else None,
        num_relearning_steps=max(1, relearning_steps))
    return clamp(fitted)


# -- recomputing card states -----------------------------------------------------------------


def _interval_days(stability: float, retention: float, parameters: Sequence[float],
                   maximum: int) -> int:
    decay = -parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    days = stability / factor * (retention ** (1 / decay) - 1)
    return min(max(round(days), 1), maximum)


def recomputed_states(records: Iterable[CardRecord], cards: dict[int, History],
                      parameters: Sequence[float], settings: Settings,
                      reschedule: bool) -> dict[int, tuple[CardState, CardState]]:
    """(stored, recomputed) state per card whose stability/difficulty `parameters` change.

    A card's memory state is replayed from its whole history; its due date is kept unless
    `reschedule`, when a review card is due its new interval after its last review.
    """
    from fsrs_rs_python import FSRS

    model = FSRS(list(parameters))
    result = {}
    for record in records:
        history = cards.get(record.pk)
        state = record.state
        if history is None or not history.complete or state.is_new:
            continue
        memory = model.memory_state(_item(history.reviews))
        after = replace(state, stability=float(memory.stability),
                        difficulty=min(max(float(memory.difficulty), 1.0), 10.0))
        if reschedule and state.state == "review" and state.last_review is not None:
            days = _interval_days(after.stability or 0.0, settings.desired_retention, parameters,
                                  settings.maximum_interval)
            after = replace(after, due=state.last_review + timedelta(days=days))
        if after != state:
            result[record.pk] = (state, after)
    return result


# -- saving to config.toml --------------------------------------------------------------------

_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*(#.*)?$")
_PARAMETERS = re.compile(r"^\s*parameters\s*=")


def config_with_parameters(text: str, parameters: Sequence[float], note: str) -> str:
    """`text` (a config.toml) with `[scheduling] parameters` set, every other line kept as it was."""
    value = "[" + ", ".join(f"{p:g}" for p in parameters) + "]"
    line = f"parameters = {value}  # {note}\n"
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    section = None
    start = end = None  # the scheduling section's first line and the line after it
    for index, raw in enumerate(lines):
        match = _SECTION.match(raw)
        if match:
            if section == "scheduling" and end is None:
                end = index
            section = match.group(1).strip()
            if section == "scheduling" and start is None:
                start = index
    if start is not None and end is None:
        end = len(lines)
    if start is None:
        prefix = "" if not lines or lines[-1].strip() == "" else "\n"
        return "".join(lines) + f"{prefix}[scheduling]\n{line}"
    assert end is not None
    for index in range(start + 1, end):
        if _PARAMETERS.match(lines[index]):
            # The old value may span lines (a multi-line array): drop through its closing bracket.
            stop = index
            depth = lines[index].split("#")[0].count("[") - lines[index].split("#")[0].count("]")
            while depth > 0 and stop + 1 < end:
                stop += 1
                code = lines[stop].split("#")[0]
                depth += code.count("[") - code.count("]")
            return "".join(lines[:index] + [line] + lines[stop + 1:])
    # No parameters line yet: after the section's last setting, before trailing blank lines.
    insert = end
    while insert > start + 1 and lines[insert - 1].strip() == "":
        insert -= 1
    return "".join(lines[:insert] + [line] + lines[insert:])


def save_parameters(path: Path, parameters: Sequence[float], note: str) -> None:
    """Write `parameters` into config.toml at `path` (comments kept; atomic replace)."""
    import tomllib

    from debrief.settings_file import read_config, write_config

    updated = config_with_parameters(read_config(path), parameters, note)
    try:  # say plainly when the parameters cannot go into this file
        written = tomllib.loads(updated)["scheduling"]["parameters"]
        check_parameters(written)
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise OptimizeError(f"{path}: cannot add the parameters to this config ({exc}); "
                            "add them by hand under [scheduling]") from exc
    write_config(path, updated)


# -- the fit record (meta) and where the parameters in use come from ------------------------


@dataclass(frozen=True)
class FitRecord:
    """What `optimize` last saved: when, on how many reviews, and how well it fits."""

    fitted_at: datetime
    reviews: int
    parameters: tuple[float, ...]
    log_loss: float
    rmse: float
    log_size: int = 0  # review-mode answers in the log then (for "enough new reviews")

    def to_json(self) -> dict[str, Any]:
        return {"fitted_at": self.fitted_at.isoformat(), "reviews": self.reviews,
                "parameters": list(self.parameters), "log_loss": self.log_loss, "rmse": self.rmse,
                "log_size": self.log_size}


def last_fit(ws: Workspace) -> FitRecord | None:
    """The last fit `optimize` saved (None if never, or the record is damaged)."""
    store = ws.store
    stored = store.meta.get_meta(META_KEY)
    if not stored:
        return None
    try:
        data = json.loads(stored)
        return FitRecord(datetime.fromisoformat(data["fitted_at"]), int(data["reviews"]),
                         tuple(float(p) for p in data["parameters"]), float(data["log_loss"]),
                         float(data["rmse"]), int(data.get("log_size", 0)))
    except (ValueError, KeyError, TypeError):
        return None


def _same(a: Sequence[float], b: Sequence[float]) -> bool:
    return len(a) == len(b) and all(math.isclose(x, y, abs_tol=1e-4) for x, y in zip(a, b, strict=True))


@dataclass(frozen=True)
class ParameterSource:
    """Which parameters the scheduler uses: FSRS's defaults, fitted by `optimize`, or by hand."""

    kind: str  # "default", "fitted" or "manual"
    parameters: tuple[float, ...]
    fit: FitRecord | None = None

    def describe(self) -> str:
        """One phrase: where the predictions come from and how well they fit."""
        if self.kind == "fitted" and self.fit is not None:
            return (f"your fitted FSRS parameters ({self.fit.fitted_at.date().isoformat()}, "
                    f"{self.fit.reviews} reviews, RMSE {self.fit.rmse * 100:.1f}%)")
        if self.kind == "manual":
            return "FSRS parameters set by hand in config.toml"
        return "FSRS's default parameters (not fitted to you yet: `debrief optimize`)"

    def to_json(self) -> dict[str, Any]:
        return {"source": self.kind, "parameters": list(self.parameters),
                "fitted_at": self.fit.fitted_at.isoformat() if self.fit else None,
                "fitted_reviews": self.fit.reviews if self.fit else None,
                "log_loss": self.fit.log_loss if self.fit else None,
                "rmse": self.fit.rmse if self.fit else None}


def parameter_source(ws: Workspace) -> ParameterSource:
    """Where the parameters in use come from (a fit counts only while config still holds it)."""
    from fsrs.scheduler import DEFAULT_PARAMETERS

    configured = tuple(ws.settings.parameters)
    if not configured:
        return ParameterSource("default", tuple(DEFAULT_PARAMETERS))
    record = last_fit(ws)
    if record is not None and _same(record.parameters, configured):
        return ParameterSource("fitted", configured, record)
    return ParameterSource("manual", configured)


SUGGESTED_KEY = "optimize_suggested_at"


def suggestion(ws: Workspace) -> str | None:
    """A line suggesting `debrief optimize`, at most once a month: when no fit is a month old
    and at least `MIN_REVIEWS` review answers were logged since the last fit (or ever).
    Cheap (a few counts): the home screen asks it. `mark_suggested` records that it was shown."""
    store = ws.store
    now = ws.now()
    record = last_fit(ws)
    if record is not None and now - record.fitted_at < SUGGEST_EVERY:
        return None
    shown = store.meta.get_meta(SUGGESTED_KEY)
    try:
        if shown and now - datetime.fromisoformat(shown) < SUGGEST_EVERY:
            return None
    except ValueError:
        pass  # a damaged record: suggest again
    total = int(store.log.totals()["reviews"])
    fresh = total - (record.log_size if record is not None else 0)
    if fresh < MIN_REVIEWS:
        return None
    if record is None:
        return (f"{total} reviews logged: `debrief optimize` fits scheduling to your memory "
                "(personal FSRS parameters)")
    return f"{fresh} reviews since your last fit: `debrief optimize` refits scheduling to you"


def mark_suggested(ws: Workspace) -> None:
    """Remember that the suggestion was shown (it comes back in a month at the earliest)."""
    store = ws.store
    store.meta.set_meta(SUGGESTED_KEY, ws.now().isoformat())


# -- the command's core -----------------------------------------------------------------------


@dataclass(frozen=True)
class OptimizeResult:
    """What `debrief optimize` measured and did."""

    reviews: int
    parameters: tuple[float, ...]
    previous: tuple[float, ...]
    log_loss_before: float
    log_loss_after: float
    rmse_before: float
    rmse_after: float
    saved: bool
    recomputed: int = 0
    rescheduled: bool = False

    def to_json(self) -> dict[str, Any]:
        """`optimize --json`: exactly these keys."""
        return {"reviews": self.reviews, "parameters": list(self.parameters),
                "log_loss_before": round(self.log_loss_before, 6),
                "log_loss_after": round(self.log_loss_after, 6),
                "rmse_before": round(self.rmse_before, 6), "rmse_after": round(self.rmse_after, 6),
                "saved": self.saved}


def optimize(ws: Workspace, config: Path, decks: list[int] | None = None, *,
             dry_run: bool = False, reschedule: bool = False,
             minimum: int = MIN_REVIEWS) -> OptimizeResult:
    """Fit parameters to the log (of `decks`, or all); unless `dry_run`, save them to `config`,
    record the fit, and recompute every card's memory state (due dates kept unless `reschedule`)."""
    from fsrs.scheduler import DEFAULT_PARAMETERS

    store = ws.store
    rollover = ws.settings.day_starts_at
    cards = None if decks is None else {r.pk for r in store.decks.cards(decks)}
    log = histories(store.log.reviews_since(None), rollover, cards)
    usable = [h for h in log.values() if h.complete]
    count = sum(h.long_term for h in usable)
    if count < minimum:
        raise OptimizeError(
            f"not enough reviews to fit: {count} answers on a later day than the card's previous "
            f"one, at least {minimum} needed (keep reviewing; Anki's optimizer asks for a few "
            "hundred too)")
    items, card_ids = training_data(usable)
    previous = tuple(ws.settings.parameters) or tuple(DEFAULT_PARAMETERS)
    fitted = fit(items, card_ids, len(ws.settings.relearning_steps))
    loss_before, rmse_before = evaluate(previous, items)
    loss_after, rmse_after = evaluate(fitted, items)
    if dry_run:
        return OptimizeResult(count, fitted, previous, loss_before, loss_after, rmse_before,
                              rmse_after, saved=False)
    now = ws.now()
    save_parameters(config, fitted, f"fitted by `debrief optimize` on {count} reviews, "
                                    f"{study_day(now, rollover).isoformat()}")
    record = FitRecord(now, count, fitted, loss_after, rmse_after,
                       int(store.log.totals()["reviews"]))
    store.meta.set_meta(META_KEY, json.dumps(record.to_json()))
    everything = histories(store.log.reviews_since(None), rollover)
    updates = recomputed_states(store.decks.cards(), everything, fitted, ws.settings, reschedule)
    changed = store.queue.reschedule_many(updates)
    ws.settings = replace(ws.settings, parameters=fitted)
    ws.__dict__.pop("scheduler", None)
    ws.__dict__.pop("planner", None)
    return OptimizeResult(count, fitted, previous, loss_before, loss_after, rmse_before,
                          rmse_after, saved=True, recomputed=changed, rescheduled=reschedule)


# -- desired retention against workload ------------------------------------------------------


@dataclass(frozen=True)
class RetentionRow:
    """Expected figures over a year at one desired retention (an FSRS simulation)."""

    retention: float
    reviews_per_day: float
    minutes_per_day: float
    knowledge: float  # cards expected to be remembered at the end of the year

    def to_json(self) -> dict[str, Any]:
        return {"retention": self.retention, "reviews_per_day": round(self.reviews_per_day, 1),
                "minutes_per_day": round(self.minutes_per_day, 1),
                "knowledge": round(self.knowledge, 1)}


def retention_table(ws: Workspace, parameters: Sequence[float] | None = None,
                    days: int = 365, seed: int = 42) -> tuple[list[RetentionRow], float]:
    """Expected daily reviews and knowledge at desired retention 0.80-0.95 for this collection
    (its cards, daily limits and answer times), and the recommended retention: the one that
    costs the least review time per card remembered (Anki's "minimum recommended retention")."""
    from fsrs.scheduler import DEFAULT_PARAMETERS
    from fsrs_rs_python import default_simulator_config, simulate

    params = list(parameters or ws.settings.parameters or DEFAULT_PARAMETERS)
    if len(params) != PARAMETER_COUNT:
        raise OptimizeError(f"need {PARAMETER_COUNT} parameters, got {len(params)}")
    store = ws.store
    config = default_simulator_config()
    config.deck_size = max(1, len(store.decks.cards()))
    config.learn_span = days
    config.learn_limit = ws.settings.new_per_day
    config.review_limit = ws.settings.reviews_per_day
    config.max_ivl = float(ws.settings.maximum_interval)
    config.learning_step_count = len(ws.settings.learning_steps)
    config.relearning_step_count = len(ws.settings.relearning_steps)
    rows = []
    candidates = [round(0.80 + 0.01 * i, 2) for i in range(16)]
    cost_per_card = {}
    for retention in candidates:
        result = simulate(params, retention, config, seed)
        reviews = sum(result.review_cnt_per_day) / days
        minutes = sum(result.cost_per_day) / days / 60
        knowledge = float(result.memorized_cnt_per_day[-1])
        cost_per_card[retention] = sum(result.cost_per_day) / max(knowledge, 1e-9)
        if any(math.isclose(retention, r) for r in RETENTIONS):
            rows.append(RetentionRow(retention, reviews, minutes, knowledge))
    recommended = min(candidates, key=lambda r: (cost_per_card[r], r))
    return rows, recommended
