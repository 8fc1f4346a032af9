"""Scheduling against a simulated learner whose memory is unlike FSRS's defaults.

Usage (from the repo root, with the project's venv):

    .venv/bin/python benchmarks/scheduling.py [--days 90] [--cards 300] [--seeds 1 2 3]
    .venv/bin/python benchmarks/scheduling.py --through-cli [--jobs 3] ...   # the real command
    .venv/bin/python benchmarks/scheduling.py --learner strong ...   # another hidden learner

The learner: every card has a hidden FSRS-6 memory (stability, difficulty) that evolves under
*true* parameters unlike the defaults (`--learner weak`, the default: weaker first memories,
smaller gains, a steeper forgetting curve; `strong` and `defaults` for checks, see LEARNERS). When a card is shown, the learner remembers it with the hidden memory's retrievability
after the study days since it was last answered (Bernoulli), and presses Again when not; when
remembered, Hard 10%, Good 80%, Easy 10%. A new card's first answer is Again 20%, Hard 5%, Good
65%, Easy 10%. The learner studies once a day at a random hour between 07:00 and 22:00 (so a
card is often answered next day at an earlier clock hour), everything the queue serves.

Two ways to drive it:
- `--through-cli` (the figures in the README): only the real `debrief` command, in subprocesses
  with DEBRIEF_HOME and DEBRIEF_NOW. The deck (300 type-the-answer cards, one made-up word each)
  goes in with `debrief import`; each study day is one `debrief review --plain --deck sim`: the
  learner reads each prompt from its stdout, types the card's word when it remembers and a wrong
  word when not, and at the rating prompt presses Enter when the suggestion is its own choice
  (Again after a wrong answer) or types 1-4. `debrief optimize --reschedule` runs at day 30 and
  `debrief plan --interview` at day 60. Between days the benchmark only reads the database
  (read-only) to score the scheduler's predictions; nothing is written except by the command.
  About 3-5 s a study day on the shared 2-core machine.
- in-process (default; about 50 s an arm against 4-8 minutes through the command): debrief's
  session core (`ReviewSession.reveal` / `rate`, the object `review --plain` drives), the
  `optimize` core and the plan core, on a real SQLite file, with the clock set as DEBRIEF_NOW
  would set it.

Three arms per seed, 90 days each (a fourth on request):
- default: FSRS's default parameters throughout;
- optimized: `optimize --reschedule` at day 30 (parameters saved to config.toml, memory states
  recomputed, review cards moved to their new intervals);
- interview: as optimized, and on day 60 an interview date is set for day 90;
- refit (`--arms refit`): as optimized, and `optimize --reschedule` again at day 60, when the
  home screen suggests it (a month since the last fit, 400+ new reviews);
- oracle (`--arms oracle`): the learner's true parameters in config.toml from day 0, no
  optimize: how close the scheduler itself comes to the desired retention when its parameters
  are right (no fitting error).

Printed per arm and seed, and the median over seeds: realised retention on review cards (the
share of review-card answers remembered) for days 0-29 and 30-89; for days 30-89 also the mean
recall the scheduler predicted at those answers (how close to the desired 0.90 it schedules) and
the hidden learner's mean recall probability at them (retention without the coin-flip noise; its
gap to the predicted one is the parameters' error); calibration error (binned |predicted -
actual|, 10 bins, weighted); answers per day; 1-day repeats (a Good answer to a 1-day review
card on a later study day that was given 1 day again: right for a card whose stability is still
under about 1.5 days) and, of them, 1-day loops (the clock-hour bug: the saved stability is not
the one FSRS gives for the study days elapsed, fsrs-rs computing it as the reference, but
the same-day one); neither counted in the interview plan's last 3 days, where
the plan reviews a card on each of them on purpose; on day 90 the share of studied cards whose true recall
is at the interview target (0.95) and their mean recall, with answers a day from the date's
setting on (days 60-89) and the cards under the target counted by when they were last answered
(the last 3 days, 4-20 days before, earlier: see `finish`); through the CLI, answers the grader
judged otherwise than the learner meant (should be 0).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

os.environ["TZ"] = "UTC"
time.tzset()

from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, MemoryState  # noqa: E402

from debrief.cards import Card, CardKind, Deck, ScheduleState  # noqa: E402
from debrief.clock import study_day  # noqa: E402
from debrief.config import Settings, load_settings  # noqa: E402
from debrief.optimize import optimize  # noqa: E402
from debrief.plan import REVIEW_DAYS, set_interview_date  # noqa: E402
from debrief.scheduling import CardState, Rating, Scheduler  # noqa: E402
from debrief.session import ReviewSession  # noqa: E402
from debrief.workspace import Workspace  # noqa: E402

START = datetime(2026, 1, 5, tzinfo=UTC)
KEYS = ("again", "hard", "good", "easy")
# The hidden learners (`--learner`). weak (the default, the one the README's figures and the
# method were worked out on): weaker first memories (w0-w3), smaller recall gains (w8), a steeper
# curve (w20). strong (held out: never used to choose a method): stronger first memories, larger
# gains, a flatter curve. defaults: FSRS's default parameters (scheduling should not get worse).
LEARNERS: dict[str, dict[int, float]] = {
    "weak": {0: 0.1, 1: 0.6, 2: 1.2, 3: 4.0, 8: 1.4, 20: 0.3},
    "strong": {0: 0.4, 1: 2.0, 2: 4.0, 3: 12.0, 8: 2.2, 20: 0.12},
    "defaults": {},
}
TRUE = [*DEFAULT_PARAMETERS]


def set_learner(name: str) -> None:
    """Make `name` the hidden learner (TRUE is changed in place: every reader sees it)."""
    TRUE[:] = DEFAULT_PARAMETERS
    for index, value in LEARNERS[name].items():
        TRUE[index] = value


set_learner("weak")
OPTIMIZE_DAY = 30
REFIT_DAY = 60  # the "refit" arm optimizes again here, as the home screen's monthly suggestion asks


def optimize_days(arm: str) -> tuple[int, ...]:
    """The study days on which an arm runs `optimize --reschedule`."""
    if arm in ("default", "oracle"):
        return ()
    return (OPTIMIZE_DAY, REFIT_DAY) if arm == "refit" else (OPTIMIZE_DAY,)
INTERVIEW_SET_DAY = 60
INTERVIEW_TARGET = 0.95
RESCHEDULE = True  # `optimize --reschedule`: due dates set under the old parameters move too


def final_review(arm: str, day: int, days: int) -> bool:
    """True on the interview plan's last days, where a 1-day interval is the plan's intent (a card
    brought to the day before the last reviewed again on it), not the clock-hour loop."""
    return arm == "interview" and day >= days - REVIEW_DAYS


def elapsed_miscounted(parameters: tuple[float, ...], state: CardState, elapsed: int,
                       saved_stability: float | None) -> bool:
    """True when a Good answer `elapsed` (> 0) study days after the last one saved another
    stability than FSRS gives for those days (fsrs-rs as the reference): the review was counted as
    a same-day one, the clock-hour loop."""
    if state.stability is None or state.difficulty is None or saved_stability is None:
        return False
    reference = FSRS(list(parameters)).next_states(
        MemoryState(state.stability, state.difficulty), 0.9, elapsed).good.memory.stability
    return abs(saved_stability - reference) > 1e-3 * reference


def true_recall(days: int, stability: float, decay: float | None = None) -> float:
    decay = TRUE[20] if decay is None else decay
    factor = 0.9 ** (-1 / decay) - 1
    return (1 + factor * days / stability) ** (-decay)


@dataclass
class Answer:
    day: int
    state_before: str
    predicted: float
    remembered: bool
    loop: bool  # a 1-day repeat whose saved stability is not FSRS's for the study days elapsed
    recall: float = float("nan")  # the hidden memory's recall probability (less noisy than 0/1)
    repeat: bool = False  # a Good answer to a 1-day review card given 1 day again


@dataclass
class Arm:
    name: str
    answers: list[Answer] = field(default_factory=list)
    per_day: list[int] = field(default_factory=list)
    at_target: float | None = None
    mean_recall_on_day: float | None = None
    misses: tuple[int, int, int] = (0, 0, 0)  # under target on the day, by last answer: see finish
    misgraded: int = 0  # through the CLI: answers the grader judged unlike the learner meant


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def run_arm(name: str, seed: int, days: int, cards: int, workdir: Path) -> Arm:
    home = workdir / f"{name}-{seed}"
    home.mkdir(parents=True)
    os.environ["DEBRIEF_HOME"] = str(home)
    rng = random.Random(seed)
    clock = Clock(START)
    ws = Workspace.open(f"sqlite:///{home}/debrief.db", clock=clock, sync=False)
    ws.settings = Settings(parameters=tuple(TRUE)) if name == "oracle" else Settings()
    deck = Deck("sim", "Simulated", "", tuple(Card(id=f"c{i:04d}", deck="sim",
                                                   kind=CardKind.RECALL, prompt=f"question {i}",
                                                   answer=f"answer {i}", line=i + 1)
                                              for i in range(cards)))
    ws.store.decks.sync_decks([deck], clock())
    memory_model = FSRS(TRUE)
    memory: dict[int, MemoryState] = {}
    last_seen: dict[int, datetime] = {}
    arm = Arm(name)
    interview: date | None = None
    for day in range(days):
        clock.now = START + timedelta(days=day, hours=rng.uniform(7, 22))
        if day in optimize_days(name):
            optimize(ws, home / "config.toml", minimum=100, reschedule=RESCHEDULE)
            ws.settings = replace(load_settings(home / "config.toml"))
            ws.__dict__.pop("scheduler", None)
            ws.__dict__.pop("planner", None)
        if name == "interview" and day == INTERVIEW_SET_DAY:
            interview = study_day(START + timedelta(days=days, hours=12))
            set_interview_date(ws, interview)
        session = ReviewSession(ws)
        answered = 0
        while session.current is not None:
            record = session.current
            pk, state = record.pk, record.state
            predicted = ws.scheduler.retrievability(state, clock())
            if pk in memory:
                elapsed = (study_day(clock()) - study_day(last_seen[pk])).days
                recall = true_recall(elapsed, memory[pk].stability)
                remembered = rng.random() < recall
                rating = (rng.choices([Rating.HARD, Rating.GOOD, Rating.EASY], [0.1, 0.8, 0.1])[0]
                          if remembered else Rating.AGAIN)
            else:
                elapsed, remembered, recall = 0, False, float("nan")
                rating = rng.choices(list(Rating), [0.2, 0.05, 0.65, 0.1])[0]
            session.reveal()
            saved = session.rate(rating).state
            before_days = ((state.due - state.last_review).days
                           if state.due and state.last_review else None)
            repeat = (state.state == "review" and elapsed >= 1 and rating == Rating.GOOD
                      and before_days == 1 and saved.due is not None
                      and (study_day(saved.due) - study_day(clock())).days <= 1
                      and not final_review(name, day, days))
            loop = repeat and elapsed_miscounted(ws.scheduler.parameters, state, elapsed,
                                                 saved.stability)
            if pk in memory:
                arm.answers.append(Answer(day, state.state, predicted, remembered, loop, recall,
                                          repeat))
            nxt = memory_model.next_states(memory.get(pk), 0.9, elapsed)
            memory[pk] = getattr(nxt, KEYS[int(rating) - 1]).memory
            last_seen[pk] = clock()
            answered += 1
            clock.now += timedelta(seconds=8)
        arm.per_day.append(answered)
    finish(arm, memory, last_seen, days)
    ws.close()
    return arm


def finish(arm: Arm, memory: dict[int, MemoryState], last_seen: dict[int, datetime],
           days: int) -> None:
    """Recall on the interview day (noon) of every studied card, by the hidden memory, and the
    cards under the target counted by when they were last answered: in the last 3 days (a lapse
    with no day left to recover), 4-20 days before (the plan let them go: predictions too high),
    or longer ago (suspended as leeches, out of the plan's reach)."""
    if memory:
        on_day = START + timedelta(days=days, hours=12)
        ages = {pk: (study_day(on_day) - study_day(last_seen[pk])).days for pk in memory}
        recalls = {pk: true_recall(ages[pk], m.stability) for pk, m in memory.items()}
        arm.at_target = sum(r >= INTERVIEW_TARGET for r in recalls.values()) / len(recalls)
        arm.mean_recall_on_day = statistics.fmean(recalls.values())
        missed = [ages[pk] for pk, r in recalls.items() if r < INTERVIEW_TARGET]
        arm.misses = (sum(a <= 3 for a in missed), sum(3 < a <= 20 for a in missed),
                      sum(a > 20 for a in missed))


# -- driving the real command --------------------------------------------------------------------

DEBRIEF = shutil.which("debrief", path=str(Path(sys.executable).parent)) or "debrief"
_SYLLABLES = ("ka", "lo", "mi", "re", "tu", "sa", "vo", "ne", "pi", "da", "gu", "fe", "zo", "bi")
PROMPT = re.compile(r"^Q: Sim card (\d{4}):", re.M)
RATE_LINE = re.compile(r"^Rate: (.*?)\s+\(Enter = (\w+)", re.M)
BUTTON = re.compile(r"(\d) (Again|Hard|Good|Easy) (\S+?)(\*?)(?=\s\s|$)")
VERDICT = re.compile(r"^\S+ (\w[\w ]*)\. Answer: ", re.M)


def word(index: int) -> str:
    """Card `index`'s answer: a made-up word no other card's answer is close to."""
    rng = random.Random(f"word-{index}")
    return "".join(rng.choice(_SYLLABLES) for _ in range(4)) + f"{index:04d}"


def deck_file(path: Path, cards: int) -> None:
    lines = ['[deck]', 'name = "sim"', 'title = "Simulated"', '']
    for i in range(cards):
        lines += ['[[cards]]', f'id = "s{i:04d}"', 'kind = "text"',
                  f'prompt = "Sim card {i:04d}: which word?"', f'answer = "{word(i)}"', '']
    path.write_text("\n".join(lines), encoding="utf-8")


def debrief(home: Path, now: datetime, *args: str) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
    environ.update({"DEBRIEF_HOME": str(home), "DEBRIEF_NOW": now.isoformat(), "TZ": "UTC"})
    done = subprocess.run([DEBRIEF, *args], capture_output=True, text=True, env=environ,
                          timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"debrief {' '.join(args)}: exit {done.returncode}: {done.stderr}")
    return done.stdout


class Plain:
    """One `debrief review --plain` process, read up to each prompt."""

    def __init__(self, home: Path, now: datetime) -> None:
        environ = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
        environ.update({"DEBRIEF_HOME": str(home), "DEBRIEF_NOW": now.isoformat(), "TZ": "UTC"})
        self.proc = subprocess.Popen([DEBRIEF, "review", "--plain", "--deck", "sim"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=environ)
        self.buffer = b""

    def until_prompt(self) -> tuple[str, str | None]:
        """The output up to the next `answer> ` or `rating> ` prompt, and which (None at the end)."""
        assert self.proc.stdout is not None
        while True:
            for prompt in (b"answer> ", b"rating> "):
                at = self.buffer.find(prompt)
                if at >= 0:
                    text = self.buffer[:at].decode()
                    self.buffer = self.buffer[at + len(prompt):]
                    return text, prompt.decode().rstrip("> ")
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                text, self.buffer = self.buffer.decode(), b""
                return text, None
            self.buffer += chunk

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def close(self) -> None:
        assert self.proc.stdin is not None and self.proc.stderr is not None
        self.proc.stdin.close()
        code = self.proc.wait(timeout=600)
        error = self.proc.stderr.read().decode()
        if code != 0:
            raise RuntimeError(f"review --plain: exit {code}: {error}")


def stored_states(home: Path) -> dict[int, CardState]:
    """Each simulated card's stored schedule, read-only (the command owns the database)."""
    uri = f"file:{home / 'debrief.db'}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        rows = db.execute(
            "SELECT c.key, s.state, s.step, s.stability, s.difficulty, s.due, s.last_review, "
            "s.reps, s.lapses FROM schedules s JOIN cards c ON c.id = s.card_id "
            "JOIN decks d ON d.id = c.deck_id WHERE d.name = 'sim'").fetchall()

    def when(text: str | None) -> datetime | None:
        return datetime.fromisoformat(text).replace(tzinfo=UTC) if text else None

    return {int(key[1:]): CardState(state=ScheduleState(state), step=step, stability=stability,
                                    difficulty=difficulty, due=when(due), last_review=when(last),
                                    reps=reps, lapses=lapses)
            for key, state, step, stability, difficulty, due, last, reps, lapses in rows}


def interval_days(text: str) -> float | None:
    """A button's interval as shown (`3d`, `2.1mo`, `1.5y`) in days; None for minutes/hours."""
    for suffix, factor in (("d", 1.0), ("mo", 30.0), ("y", 365.0)):
        if text.endswith(suffix) and text[: -len(suffix)].replace(".", "").isdigit():
            return float(text[: -len(suffix)]) * factor
    return None


def run_arm_cli(name: str, seed: int, days: int, cards: int, workdir: Path) -> Arm:
    """One arm, the learner driven only through the real command (see the module docstring)."""
    home = workdir / f"cli-{name}-{seed}"
    home.mkdir(parents=True)
    rng = random.Random(seed)
    deck = workdir / f"sim-{name}-{seed}.toml"
    deck_file(deck, cards)
    if name == "oracle":
        (home / "config.toml").write_text(
            "[scheduling]\nparameters = [" + ", ".join(map(str, TRUE)) + "]\n", encoding="utf-8")
    debrief(home, START, "import", str(deck))
    memory_model = FSRS(TRUE)
    memory: dict[int, MemoryState] = {}
    last_seen: dict[int, datetime] = {}
    arm = Arm(name)
    for day in range(days):
        now = START + timedelta(days=day, hours=rng.uniform(7, 22))
        if day in optimize_days(name):
            debrief(home, now, "optimize", "--reschedule")
        if name == "interview" and day == INTERVIEW_SET_DAY:
            interview = study_day(START + timedelta(days=days, hours=12))
            debrief(home, now, "plan", "--interview", interview.isoformat())
        scheduler = Scheduler(load_settings(home / "config.toml"))
        before = stored_states(home)
        seen_today: set[int] = set()
        repeats: list[tuple[Answer, int, CardState, int]] = []
        plain = Plain(home, now)
        answered = 0
        try:
            while True:
                text, prompt = plain.until_prompt()
                if prompt is None:
                    break
                if prompt != "answer":
                    raise RuntimeError(f"expected an answer prompt, got: {text[-300:]!r}")
                found = PROMPT.findall(text)
                if not found:
                    raise RuntimeError(f"no card prompt in: {text[-300:]!r}")
                pk = int(found[-1])
                first_today = pk not in seen_today
                seen_today.add(pk)
                state = before[pk] if first_today else CardState(ScheduleState.LEARNING)
                predicted = scheduler.retrievability(before[pk], now) if first_today else 1.0
                if pk in memory:
                    elapsed = (study_day(now) - study_day(last_seen[pk])).days
                    recall = true_recall(elapsed, memory[pk].stability)
                    remembered = rng.random() < recall
                    rating = (rng.choices([Rating.HARD, Rating.GOOD, Rating.EASY], [0.1, 0.8, 0.1])[0]
                              if remembered else Rating.AGAIN)
                else:
                    elapsed, recall = 0, float("nan")
                    rating = rng.choices(list(Rating), [0.2, 0.05, 0.65, 0.1])[0]
                    remembered = rating != Rating.AGAIN
                plain.send(word(pk) if remembered else "no idea")
                text, prompt = plain.until_prompt()
                rate = RATE_LINE.search(text)
                verdict = VERDICT.search(text)
                if prompt != "rating" or rate is None or verdict is None:
                    raise RuntimeError(f"expected feedback and a rating prompt, got: {text[-300:]!r}")
                if (verdict.group(1) == "Correct") != remembered:
                    arm.misgraded += 1
                buttons = {label: (digit, when, star == "*")
                           for digit, label, when, star in BUTTON.findall(rate.group(1))}
                suggested = Rating[rate.group(2).upper()]
                plain.send("" if suggested == rating else str(int(rating)))
                good_days = interval_days(buttons["Good"][1])
                repeat = (state.state == "review" and elapsed >= 1 and rating == Rating.GOOD
                          and state.due is not None and state.last_review is not None
                          and (study_day(state.due) - study_day(state.last_review)).days == 1
                          and good_days is not None and good_days <= 1
                          and not final_review(name, day, days))
                if pk in memory:
                    arm.answers.append(Answer(day, str(state.state), predicted, remembered, False,
                                              recall, repeat))
                    if repeat:  # the saved stability is read once the session has ended
                        repeats.append((arm.answers[-1], pk, state, elapsed))
                nxt = memory_model.next_states(memory.get(pk), 0.9, elapsed)
                memory[pk] = getattr(nxt, KEYS[int(rating) - 1]).memory
                last_seen[pk] = now
                answered += 1
        finally:
            plain.close()
        if repeats:
            after = stored_states(home)
            for answer, pk, state, elapsed in repeats:
                answer.loop = elapsed_miscounted(scheduler.parameters, state, elapsed,
                                                 after[pk].stability)
        arm.per_day.append(answered)
    finish(arm, memory, last_seen, days)
    return arm


def retention(answers: list[Answer]) -> float:
    return sum(a.remembered for a in answers) / len(answers) if answers else float("nan")


def calibration(answers: list[Answer], bins: int = 10) -> float:
    """Weighted mean over predicted-recall bins of |mean predicted - share remembered|."""
    groups: dict[int, list[Answer]] = {}
    for a in answers:
        groups.setdefault(min(int(a.predicted * bins), bins - 1), []).append(a)
    total = sum(len(g) for g in groups.values())
    return sum(len(g) * abs(statistics.fmean(a.predicted for a in g) - retention(g))
               for g in groups.values()) / total if total else float("nan")


def run(job: tuple[str, int, int, int, Path, bool, str]) -> Arm:
    name, seed, days, cards, workdir, through_cli, learner = job
    set_learner(learner)
    return (run_arm_cli if through_cli else run_arm)(name, seed, days, cards, workdir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--cards", type=int, default=300)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--arms", nargs="+", default=["default", "optimized", "interview"])
    parser.add_argument("--through-cli", action="store_true",
                        help="drive the real `debrief` command (review --plain, optimize, plan)")
    parser.add_argument("--jobs", type=int, default=1, help="arms run at the same time")
    parser.add_argument("--learner", choices=sorted(LEARNERS), default="weak",
                        help="the hidden learner's true parameters (see LEARNERS)")
    args = parser.parse_args()
    from collection import cpu

    workdir = Path(tempfile.mkdtemp(prefix="debrief-sched-"))
    started = time.perf_counter()
    jobs = [(name, seed, args.days, args.cards, workdir, args.through_cli, args.learner)
            for seed in args.seeds for name in args.arms]
    results: dict[str, list[Arm]] = {name: [] for name in args.arms}
    try:
        with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for (name, *_rest), arm in zip(jobs, pool.map(run, jobs), strict=True):
                results[name].append(arm)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.perf_counter() - started
    how = "through the real command" if args.through_cli else "in-process"
    print(f"# {how}: {args.learner} learner, seeds {' '.join(map(str, args.seeds))} x "
          f"{args.days} days, {args.cards} "
          f"cards, 20 new a day; {cpu()}; {elapsed:.0f} s")
    print("| arm | seed | retention d0-29 | retention d30-89 | predicted d30-89 "
          "| learner's recall d30-89 "
          "| calibration d0-29 | calibration d30-89 | answers/day d0-29 | answers/day d30-89 "
          "| 1-day repeats | 1-day loops | studied at 0.95 on day 90 | mean recall day 90 | misgraded "
          "| answers/day d60-89 | under 0.95: last answered d87-89 / d70-86 / earlier |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")

    def figures(arm: Arm) -> list[float]:
        early = [a for a in arm.answers if a.day < OPTIMIZE_DAY and a.state_before == "review"]
        late = [a for a in arm.answers if a.day >= OPTIMIZE_DAY and a.state_before == "review"]
        return [retention(early), retention(late),
                statistics.fmean([a.predicted for a in late]) if late else float("nan"),
                statistics.fmean([a.recall for a in late]) if late else float("nan"),
                calibration(early), calibration(late),
                statistics.fmean(arm.per_day[:OPTIMIZE_DAY]),
                statistics.fmean(arm.per_day[OPTIMIZE_DAY:] or [float("nan")]),
                sum(a.repeat for a in arm.answers), sum(a.loop for a in arm.answers),
                arm.at_target if arm.at_target is not None else float("nan"),
                arm.mean_recall_on_day if arm.mean_recall_on_day is not None else float("nan"),
                arm.misgraded,
                statistics.fmean(arm.per_day[INTERVIEW_SET_DAY:] or [float("nan")])]

    formats = ("{:.3f}", "{:.3f}", "{:.3f}", "{:.3f}", "{:.3f}", "{:.3f}", "{:.1f}", "{:.1f}", "{:.0f}",
               "{:.0f}", "{:.2f}", "{:.3f}", "{:.0f}", "{:.1f}")
    for name, arms in results.items():
        rows = [figures(arm) for arm in arms]
        for seed, row in zip(args.seeds, rows, strict=True):
            misses = "/".join(map(str, arms[args.seeds.index(seed)].misses))
            print(f"| {name} | {seed} | " + " | ".join(f.format(v) for f, v in zip(formats, row,
                                                                                   strict=True))
                  + f" | {misses} |")
        medians = [statistics.median(column) for column in zip(*rows, strict=True)]
        print(f"| {name} | median | " + " | ".join(f.format(v) for f, v in zip(formats, medians,
                                                                                strict=True))
              + " | |")


if __name__ == "__main__":
    main()
