"""The interview-date plan: readiness on the day, the pace it takes, and scheduling toward the date.

Rules (the README's "Interview date" section says the same in fewer words):

- The interview is a study day `I`; recall "on the day" is FSRS retrievability at `I`'s start plus
  `ON_THE_DAY` (noon with the default 4 am rollover). A card never studied counts as 0.
- Every card should be studied at least `FINAL_DAYS` (3) days before the date: the last three days
  are for reviewing, not learning. `new_per_day` is the new cards a day it takes from today to
  `I - FINAL_DAYS`, both included.
- The target is `interview_retention` (config, default 0.95), higher than the everyday desired
  retention: on the day, nearly everything should come back.
- Margin: predictions come from parameters that are off by some amount, so the plan aims at
  `aim = target + margin` (at most `MAX_AIM`): the margin is the fit's binned RMSE on the user's
  own reviews when `debrief optimize` fitted the parameters in use, `DEFAULT_MARGIN` otherwise,
  at most `MAX_MARGIN`. The at-risk count still uses the target itself.
- Bring-forward: while `today < I`, an answer whose next due date is on or after `I` and whose
  predicted recall on the day is below the aim is made due on day
  `d = max(today + 1, I - REVIEW_DAYS)`, or a later day up to `I - 1` when the card's new
  stability is too small to keep recall on the day at the aim from a review on `d` (elapsed
  time in study days, as the scheduler counts it). FSRS stability does not fall after a
  successful review, so that review leaves the card at the aim on the day. Answers due before
  the day, or at the aim on it, are left alone; the four buttons stay ordered in days
  (`Planner.outcomes`: strictly, as `order_day_outcomes` orders them, except that a
  brought-forward button is never pushed back onto or past the day to make room: two buttons
  may then share the last day before it); on and after the interview day scheduling is FSRS's
  alone. Setting the date applies the same rule at once to the cards already scheduled.
- Workload: an expected-value projection, not a sample. Each studied card's probability mass is
  carried day by day: at each due date the card is reviewed, Good with probability R (FSRS
  retrievability then) and Again with 1 - R, by FSRS with fuzz off and this planner's
  bring-forward applied. A day's figure is the expected number of cards reviewed (a card counts
  once a day, whatever its learning steps); new cards enter at the daily new-card limit, or at
  `new_per_day` when that is higher, learned with Good through their learning steps, and are
  counted under `new`. States alike to 5% in stability and 0.25 in difficulty, due on the same
  day, are merged (their mass kept per deck), and branches below 1e-5 of a card stop there, so
  the work grows with days, not with branches. A seeded Monte Carlo of the same model agrees
  (tests/unit/test_plan.py).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from debrief.clock import day_start, study_day
from debrief.config import Settings
from debrief.errors import DebriefError
from debrief.policy import schedule_answer
from debrief.records import CardRecord
from debrief.scheduling import (
    CardState,
    Outcome,
    Rating,
    Scheduler,
    order_day_outcomes,
    with_due,
)

if TYPE_CHECKING:
    from debrief.workspace import Workspace

META_KEY = "interview_date"
FINAL_DAYS = 3
REVIEW_DAYS = 3  # a brought-forward card is due in the last REVIEW_DAYS days before the date
ON_THE_DAY = timedelta(hours=8)
MAX_DAYS_AHEAD = 366
# The plan aims above the target by how far its predictions may be off (see the module
# docstring). Fitted parameters carry their measured calibration, the fit's binned RMSE; FSRS's
# defaults have none for this user. Capped at 0.02: on the simulated weak learner (README,
# in-process, seeds 1-3, with the order rule) a 0.02 margin raised the worst seed's share of
# cards at the target from 0.92 to 0.97 for 2-3 more answers a day in the last month; 0.04
# (the fits' RMSE was 0.05-0.06) cost 3-4 more answers a day than 0.02 and lowered the share:
# more cards reviewed in the last days lapsed with no day left to recover.
DEFAULT_MARGIN = 0.02
MAX_MARGIN = 0.02
MAX_AIM = 0.99
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class PlanError(DebriefError, ValueError):
    """A bad interview date (not a date, or in the past)."""


class NoInterviewDate(PlanError):
    """An action that needs an interview date when none is set (or it has passed)."""


def parse_interview_date(text: str, today: date) -> date:
    """Parse a `YYYY-MM-DD` interview date, refusing a past date or one more than a year away."""
    value = str(text).strip()
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        raise PlanError(f"not a date: {text!r} (expected YYYY-MM-DD, e.g. "
                        f"{(today + timedelta(days=30)).isoformat()})") from None
    if day < today:
        raise PlanError(f"the interview date {day.isoformat()} is in the past (today is "
                        f"{today.isoformat()})")
    if (day - today).days > MAX_DAYS_AHEAD:
        raise PlanError(f"the interview date {day.isoformat()} is more than a year away: "
                        "plan for it closer to the day")
    return day


@dataclass(frozen=True)
class Planner:
    """Scheduling toward an interview date; a no-op while no date is set or once it has passed."""

    interview: date | None
    settings: Settings = field(default_factory=Settings)
    scheduler: Scheduler | None = None
    margin: float = DEFAULT_MARGIN  # how far predictions may be off: the fit's RMSE when fitted

    @classmethod
    def for_workspace(cls, ws: Workspace) -> Planner:
        """The planner for the workspace's stored interview date (if any)."""
        stored = ws.store.meta.get_meta(META_KEY)
        interview = None
        if stored:
            try:
                interview = date.fromisoformat(stored)
            except ValueError:
                interview = None  # a damaged value must not stop reviews: plan as if unset
        from debrief.optimize import parameter_source

        source = parameter_source(ws)
        margin = source.fit.rmse if source.kind == "fitted" and source.fit is not None else None
        return cls(interview, ws.settings, ws.scheduler, plan_margin(margin))

    @property
    def target(self) -> float:
        """Recall to reach on the day: `interview_retention` (config; 0.95 by default)."""
        return self.settings.interview_retention

    @property
    def aim(self) -> float:
        """What the plan schedules for: the target plus the margin, so a card the parameters
        over-predict by up to the margin still reaches the target (at most `MAX_AIM`)."""
        return min(MAX_AIM, max(self.target, self.target + self.margin))

    @cached_property
    def _fsrs(self) -> Scheduler:
        return self.scheduler or Scheduler(self.settings)

    def day_begins(self) -> datetime:
        """The instant the interview's study day starts."""
        return self._instants[0]

    def interview_at(self) -> datetime:
        """The instant recall "on the day" is predicted for."""
        return self._instants[1]

    @cached_property
    def _instants(self) -> tuple[datetime, datetime]:
        assert self.interview is not None
        begins = day_start(self.interview, self.settings.day_starts_at)
        return begins, begins + ON_THE_DAY

    def active(self, now: datetime) -> bool:
        """True while a date is set and today is before it."""
        return self.interview is not None and study_day(now, self.settings.day_starts_at) < self.interview

    def recall_on_day(self, state: CardState) -> float:
        """Predicted recall on the interview day if the card is not reviewed again (0 if new)."""
        return self._fsrs.retrievability(state, self.interview_at())

    def is_at_risk(self, state: CardState) -> bool:
        """Studied, not due before the day, and predicted below the target on it."""
        if (self.interview is None or state.is_new or state.due is None
                or state.stability is None or state.difficulty is None):
            return False
        return state.due >= self.day_begins() and self.recall_on_day(state) < self.target

    def needs_review(self, state: CardState) -> bool:
        """Studied, not due before the day, and predicted below the aim (target + margin) on it:
        the cards the plan brings forward."""
        if (self.interview is None or state.is_new or state.due is None
                or state.stability is None or state.difficulty is None):
            return False
        return state.due >= self.day_begins() and self.recall_on_day(state) < self.aim

    def bring_forward(self, state: CardState, now: datetime) -> CardState:
        """`state`, due earlier when its due date would carry it past the interview while its
        recall on the day would be below target (the rule in the module docstring)."""
        if (self.interview is None or state.due is None or state.due < self.day_begins()
                or not self.active(now) or not self.needs_review(state)):
            return state
        assert self.interview is not None and state.stability is not None
        rollover = self.settings.day_starts_at
        first = max(study_day(now, rollover) + timedelta(days=1),
                    self.interview - timedelta(days=REVIEW_DAYS))
        last = self.interview - timedelta(days=1)
        if first > last:
            return state
        day = first
        while day < last:
            start = day_start(day, rollover)
            probe = replace(state, last_review=start, due=None)
            if self._fsrs.retrievability(probe, self.interview_at()) >= self.aim:
                break
            day += timedelta(days=1)
        return with_due(state, self._due_on(day, now))

    def _due_on(self, day: date, now: datetime) -> datetime:
        """Due at the time of day it is now, `day - today` days on: the card is in day `day`'s
        queue from that day's start either way, and the button shows a whole number of days."""
        rollover = self.settings.day_starts_at
        due = now + timedelta(days=(day - study_day(now, rollover)).days)
        if study_day(due, rollover) != day:  # a DST change moved the hour across the rollover
            due = day_start(day, rollover)
        return due

    def outcomes(self, natural: dict[Rating, Outcome], now: datetime) -> dict[Rating, Outcome]:
        """The four buttons' outcomes after the planner: each brought forward as `bring_forward`
        says, then kept ordered in days (Again < Hard < Good < Easy) the way
        `order_day_outcomes` does, so the planner never puts Easy before Good; a brought-forward
        button the strict order would push onto the interview day keeps its day instead."""
        if not self.active(now):
            return dict(natural)
        planned: dict[Rating, Outcome] = {}
        for rating, outcome in natural.items():
            state = self.bring_forward(outcome.state, now)
            if state is outcome.state:
                planned[rating] = outcome
            else:
                assert state.due is not None
                planned[rating] = Outcome(rating, state, state.due - now)
        ordered = order_day_outcomes(planned, now, self.settings.day_starts_at)
        # Strict order can push a brought-forward button back past the interview (Hard and
        # Good both brought to the last day before it: Good would move to the day itself). The
        # review before the day matters more than the order: such a button is due on the last
        # study day before the interview instead, sharing it with the one below (not its own
        # planned day, which can be earlier than a button below it: the order stays
        # non-decreasing, and ties happen only on that last day).
        assert self.interview is not None  # active(now)
        begins = self.day_begins()
        last_day = self.interview - timedelta(days=1)
        today = study_day(now, self.settings.day_starts_at)
        for rating, outcome in ordered.items():
            mine = planned[rating]
            if (mine is not natural[rating] and outcome.state.due is not None
                    and outcome.state.due >= begins and today < last_day):
                due = self._due_on(last_day, now)
                ordered[rating] = Outcome(rating, with_due(mine.state, due), due - now)
        return ordered

    def review(self, state: CardState, rating: Rating, now: datetime) -> CardState:
        """The state an answer saves: FSRS's outcome for `rating`, after the planner."""
        return self.outcomes(self._fsrs.outcomes(state, now), now)[rating].state


def plan_margin(rmse: float | None) -> float:
    """The margin the plan aims above the target: the fit's RMSE when the parameters were
    fitted (`rmse`), `DEFAULT_MARGIN` otherwise, never below 0 nor above `MAX_MARGIN`."""
    if rmse is None or not math.isfinite(rmse):
        return DEFAULT_MARGIN
    return min(MAX_MARGIN, max(0.0, rmse))


def interview_date(ws: Workspace) -> date | None:
    """The stored interview date, or None."""
    return ws.planner.interview


def set_interview_date(ws: Workspace, text: str | date) -> int:
    """Store the interview date (a `YYYY-MM-DD` string or a date) and bring forward the cards
    already scheduled past it with recall on the day below target. Returns how many moved."""
    today = ws.today()
    day = parse_interview_date(text.isoformat() if isinstance(text, date) else text, today)
    ws.store.meta.set_meta(META_KEY, day.isoformat())
    planner: Planner = ws.reload_planner()
    now = ws.now()
    moved = 0
    for record in ws.store.decks.cards():
        if record.suspended:
            continue
        later = planner.bring_forward(record.state, now)
        if later != record.state:
            ws.store.queue.reschedule(record.pk, later)
            moved += 1
    return moved


def clear_interview_date(ws: Workspace) -> bool:
    """Remove the interview date (scheduling returns to plain FSRS). True if one was set."""
    had = ws.store.meta.get_meta(META_KEY) is not None
    ws.store.meta.set_meta(META_KEY, None)
    ws.reload_planner()
    return had


def weakest_on_day(ws: Workspace, count: int, deck_ids: list[int] | None = None,
                   include_new: bool = True) -> list[CardRecord]:
    """The `count` cards with the lowest predicted recall on the interview day (never-studied
    cards count 0; `include_new=False` leaves them out), weakest first. Suspended cards are
    skipped. Raises NoInterviewDate when no date is set or it has passed."""
    planner: Planner = ws.planner
    if planner.interview is None:
        raise NoInterviewDate("no interview date set: run `debrief plan --interview YYYY-MM-DD`")
    if ws.today() > planner.interview:
        raise NoInterviewDate(f"the interview date {planner.interview.isoformat()} has passed: "
                              "set a new one with `debrief plan --interview YYYY-MM-DD`")
    records = [r for r in ws.store.decks.cards(deck_ids) if not r.suspended
               and (include_new or not r.state.is_new)]
    far = datetime.max.replace(tzinfo=planner.day_begins().tzinfo)

    def weakness(record: CardRecord) -> tuple[float, datetime, str, int, int]:
        return (planner.recall_on_day(record.state), record.state.due or far, record.card.deck,
                record.card.position, record.pk)

    return sorted(records, key=weakness)[:max(0, count)]


# -- the plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeckPlan:
    """One deck's (or all decks') readiness: recall now, on the day, and with the plan kept."""

    name: str
    cards: int
    studied: int
    new: int
    recall_today: float
    recall_on_day: float | None
    projected_recall_on_day: float | None

    def to_json(self) -> dict[str, Any]:
        def figure(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {"cards": self.cards, "studied": self.studied, "new": self.new,
                "recall_today": figure(self.recall_today),
                "recall_on_day": figure(self.recall_on_day),
                "projected_recall_on_day": figure(self.projected_recall_on_day)}


@dataclass(frozen=True)
class WorkDay:
    """One day of the projection: expected reviews and new cards to learn."""

    day: date
    reviews: float
    new: int


@dataclass(frozen=True)
class Plan:
    """Everything `debrief plan` and the home screen show."""

    interview_date: date | None
    today: date
    target: float
    overall: DeckPlan
    decks: tuple[DeckPlan, ...] = ()
    new_per_day: int = 0
    new_limit: int = 0
    learn_by: date | None = None
    workload: tuple[WorkDay, ...] = ()
    at_risk_cards: tuple[str, ...] = ()
    parameters: str = "default"  # where the predictions' FSRS parameters come from
    parameters_note: str = "FSRS's default parameters"  # the same in words, with how well it fits
    margin: float = 0.0  # how far above the target the plan aims (the fit's RMSE, see Planner)
    aim: float = 0.0  # the recall on the day it schedules for: Planner.aim

    @property
    def days_left(self) -> int | None:
        return None if self.interview_date is None else (self.interview_date - self.today).days

    @property
    def active(self) -> bool:
        return self.interview_date is not None and self.today < self.interview_date

    @property
    def passed(self) -> bool:
        return self.interview_date is not None and self.today > self.interview_date

    @property
    def at_risk(self) -> int:
        return len(self.at_risk_cards)

    @property
    def over_limit(self) -> bool:
        """True when the new cards a day the plan needs exceed the daily new-card limit."""
        return self.overall.new > 0 and self.new_per_day > self.new_limit

    @property
    def on_track(self) -> bool:
        """Nothing at risk, every new card learnable within the limit, and not behind."""
        return self.active and not self.at_risk and not self.over_limit and not self.behind

    @property
    def behind(self) -> bool:
        """True when the new cards cannot all be learned `FINAL_DAYS` ahead any more."""
        return self.learn_by is not None and self.learn_by < self.today and self.overall.new > 0

    def to_json(self) -> dict[str, Any]:
        """The plan as `debrief plan --json` prints it."""
        data: dict[str, Any] = {
            "interview_date": self.interview_date.isoformat() if self.interview_date else None,
            "today": self.today.isoformat(),
            "days_left": self.days_left,
            "active": self.active,
            "target": self.target,
            "margin": round(self.margin, 4),
            "aim": round(self.aim, 4),
            "parameters": self.parameters,
            "parameters_note": self.parameters_note,
        }
        if self.interview_date is None:
            return data
        overall = self.overall.to_json()
        data.update({
            "recall_today": overall["recall_today"],
            "recall_on_day": overall["recall_on_day"],
            "projected_recall_on_day": overall["projected_recall_on_day"],
            "cards": self.overall.cards,
            "studied": self.overall.studied,
            "new_cards": self.overall.new,
            "decks": {d.name: d.to_json() for d in self.decks},
            "new_per_day": self.new_per_day,
            "new_limit": self.new_limit,
            "lead_days": FINAL_DAYS,
            "learn_by": self.learn_by.isoformat() if self.learn_by else None,
            "workload": {w.day.isoformat(): round(w.reviews, 2) for w in self.workload},
            "new_by_day": {w.day.isoformat(): w.new for w in self.workload},
            "at_risk": self.at_risk,
            "at_risk_cards": list(self.at_risk_cards),
            "over_limit": self.over_limit,
            "on_track": self.on_track,
        })
        return data


def build_plan(ws: Workspace, deck_ids: list[int] | None = None) -> Plan:
    """The plan for the workspace's interview date over some decks (None: all)."""
    planner: Planner = ws.planner
    fsrs = ws.scheduler
    now, today = ws.now(), ws.today()
    records = [r for r in ws.store.decks.cards(deck_ids) if not r.suspended]
    interview = planner.interview
    on_day = interview is not None and today <= interview

    by_deck: dict[str, list[CardRecord]] = defaultdict(list)
    for record in records:
        by_deck[record.card.deck].append(record)
    recall_now = {r.pk: fsrs.retrievability(r.state, now) for r in records}
    recall_day = {r.pk: planner.recall_on_day(r.state) for r in records} if on_day else {}

    from debrief.allowance import today_allowance

    allowance = today_allowance(ws, now)  # the collection's limit, raised for today or not
    new_per_day, learn_by, projected = 0, None, None
    workload: tuple[WorkDay, ...] = ()
    if on_day:
        assert interview is not None
        new_cards = [r for r in records if r.state.is_new]
        learn_by = interview - timedelta(days=FINAL_DAYS)
        done_new = allowance.new_done
        # A day's figure counts today's new cards already learned, so the pace learns the rest
        # by `learn_by` and none is left for the last days.
        new_per_day = (needed_new_per_day(len(new_cards) + done_new, today, interview)
                       if new_cards else 0)
        pace = max(new_per_day, allowance.new_limit) if new_cards else 0
        projection = project(planner, [r for r in records if not r.state.is_new],
                             _new_card_order(new_cards), pace, now, today, done_today=done_new)
        workload, projected = projection.days, projection.recall_by_deck

    def summary(name: str, group: Sequence[CardRecord]) -> DeckPlan:
        size = len(group)

        def mean(values: dict[int, float]) -> float:
            return sum(values[r.pk] for r in group) / size if size else 0.0

        day_figure = mean(recall_day) if on_day else None
        proj = None
        if projected is not None:
            names = {name} if name != "overall" else set(by_deck)
            proj = sum(projected.get(n, 0.0) for n in names) / size if size else 0.0
        return DeckPlan(name, size, sum(1 for r in group if not r.state.is_new),
                        sum(1 for r in group if r.state.is_new), mean(recall_now), day_figure, proj)

    at_risk = tuple(r.card.id for r in records if on_day and planner.is_at_risk(r.state))
    from debrief.optimize import parameter_source

    source = parameter_source(ws)
    return Plan(
        interview_date=interview, today=today, target=planner.target,
        overall=summary("overall", records),
        decks=tuple(summary(name, group) for name, group in sorted(by_deck.items())),
        new_per_day=new_per_day, new_limit=allowance.new_limit, learn_by=learn_by,
        workload=workload, at_risk_cards=at_risk, parameters=source.kind,
        parameters_note=source.describe(), margin=planner.margin, aim=planner.aim,
    )


def needed_new_per_day(new_cards: int, today: date, interview: date) -> int:
    """New cards a day to learn `new_cards` from today to `FINAL_DAYS` before the interview
    (both days included); all of them today when that day has already come."""
    if new_cards <= 0:
        return 0
    days = (interview - timedelta(days=FINAL_DAYS) - today).days + 1
    return new_cards if days <= 0 else math.ceil(new_cards / days)


def _new_card_order(records: Sequence[CardRecord]) -> list[CardRecord]:
    # The review queue takes new cards by position in their file, interleaving decks.
    return sorted(records, key=lambda r: (r.card.position, r.card.deck, r.pk))


# -- the projection ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """Expected reviews per day and the expected recall on the day (summed per deck)."""

    days: tuple[WorkDay, ...]
    recall_by_deck: dict[str, float]


_BucketKey = tuple[str, int | None, int, int, int]
MERGE_STABILITY = 20  # buckets per e-fold of stability: states within 5% are merged
MERGE_DIFFICULTY = 4  # and within 0.25 of difficulty (FSRS difficulty runs from 1 to 10)
NEGLIGIBLE = 1e-5  # expected cards below which a branch is not followed further


def _bucket_key(state: CardState, due_index: int) -> _BucketKey:
    assert state.stability is not None and state.difficulty is not None
    return (state.state, state.step, due_index,
            round(math.log(max(state.stability, 1e-6)) * MERGE_STABILITY),
            round(state.difficulty * MERGE_DIFFICULTY))


def project(planner: Planner, studied: Sequence[CardRecord], new_cards: Sequence[CardRecord],
            pace: int, now: datetime, today: date, done_today: int = 0) -> Projection:
    """Expected-value projection from now to the interview (the rule in the module docstring).

    `studied` are cards with a schedule; `new_cards` are learned in order, `pace` a day (today:
    `pace - done_today`), each day at the time of day it is now. Probability mass is kept per
    deck inside each merged state, so decks share the work of simulating alike cards.
    """
    assert planner.interview is not None
    settings = planner.settings
    rollover = settings.day_starts_at
    sim = Scheduler(replace(settings, enable_fuzzing=False))
    horizon = max(0, (planner.interview - today).days)
    at_day = planner.interview_at()
    begins = planner.day_begins()
    offset = now - day_start(today, rollover)
    decks = sorted({r.card.deck for r in (*studied, *new_cards)})
    column = {name: i for i, name in enumerate(decks)}
    pending: list[dict[_BucketKey, tuple[list[float], CardState]]] = [{} for _ in range(horizon)]
    reviews = [0.0] * horizon
    learned = [0] * horizon
    recall = [0.0] * len(decks)

    def settle(state: CardState, mass: list[float]) -> None:
        # No more reviews before the interview: what the mass is worth on the day.
        r = sim.retrievability(state, at_day)
        for i, m in enumerate(mass):
            recall[i] += m * r

    def place(state: CardState, mass: list[float]) -> None:
        assert state.due is not None
        if state.due >= begins or sum(mass) < NEGLIGIBLE:
            settle(state, mass)
            return
        index = max(0, (study_day(state.due, rollover) - today).days)
        if index >= horizon:
            settle(state, mass)
            return
        key = _bucket_key(state, index)
        slot = pending[index].get(key)
        if slot is None:
            pending[index][key] = (list(mass), state)
        else:
            total = slot[0]
            for i, m in enumerate(mass):
                total[i] += m

    def answer(state: CardState, at: datetime, mass: list[float], day_end: datetime,
               depth: int = 0) -> None:
        # One answer at `at`, then the same day's learning steps, until the card leaves the day.
        r = sim.retrievability(state, at)
        for rating, p in ((Rating.GOOD, r), (Rating.AGAIN, 1.0 - r)):
            if p <= 1e-12:
                continue
            after = schedule_answer(sim, planner, state, rating, at)
            share = [m * p for m in mass] if p < 1.0 else mass
            assert after.due is not None
            if after.due < day_end and depth < 8:
                answer(after, max(after.due, at), share, day_end, depth + 1)
            else:
                place(after, share)

    def unit(deck: str, count: float = 1.0) -> list[float]:
        mass = [0.0] * len(decks)
        mass[column[deck]] = count
        return mass

    # Cards stored without a memory state (a learning card sent from a quiz) are learned afresh
    # on their due day, as the review queue will serve them; they count as reviews, not new.
    fresh: list[list[float]] = [[0.0] * len(decks) for _ in range(horizon)]
    for record in studied:
        state = record.state
        if state.stability is None or state.difficulty is None:
            index = 0 if state.due is None else max(0, (study_day(state.due, rollover) - today).days)
            if index < horizon:
                fresh[index][column[record.card.deck]] += 1.0
            continue
        place(state, unit(record.card.deck))
    queue = list(new_cards)
    for index in range(horizon):
        day = today + timedelta(days=index)
        start = day_start(day, rollover)
        end = day_start(day + timedelta(days=1), rollover)
        study_at = now if index == 0 else min(start + offset, end - timedelta(minutes=1))
        quota = max(0, pace - done_today) if index == 0 else pace
        batch, queue = queue[:quota], queue[quota:]
        learned[index] = len(batch)
        if batch or sum(fresh[index]):
            first = sim.review(CardState(), Rating.GOOD, study_at)
            assert first.due is not None
            mass = list(fresh[index])
            reviews[index] += sum(mass)
            for record in batch:
                mass[column[record.card.deck]] += 1.0
            answer(first, max(first.due, study_at), mass, end, 1)
        for mass, state in pending[index].values():
            reviews[index] += sum(mass)
            assert state.due is not None
            answer(state, max(state.due, study_at), mass, end)
        pending[index] = {}
    days = tuple(WorkDay(today + timedelta(days=i), reviews[i], learned[i]) for i in range(horizon))
    return Projection(days, dict(zip(decks, recall, strict=True)))
