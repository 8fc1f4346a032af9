"""A large synthetic collection for benchmarks: 100,000 cards and 1,000,000 review-log rows.

Usage (from the repo root, with the project's venv):

    .venv/bin/python benchmarks/collection.py sqlite:////tmp/debrief-big.db
    .venv/bin/python benchmarks/collection.py postgresql+psycopg://user@/dbname --cards 100000

From another benchmark:

    from collection import build, cached_sqlite   # benchmarks/ is on sys.path when run as a script
    info = cached_sqlite("/tmp/debrief-big.db")    # builds once, reuses the file afterwards
    store = open_store(info.url); clock = lambda: info.now

The rows go in through the store's own engine and models (migrated schema, SQLAlchemy Core
executemany in chunks), so the same code fills SQLite and PostgreSQL. The data is seeded and
deterministic for a given `now`: decks `bench00`..`bench19`, cards in every scheduling state (some
suspended, some with many lapses), review-log rows spread over the last `days` days (mostly review
mode with `schedule_before` filled in as the session writes it, some quiz answers with their quiz
rows). `now` is recorded in the `meta` table (key `bench_collection`) so later runs can reuse it.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import func, insert, select  # noqa: E402

from debrief.store import open_store  # noqa: E402
from debrief.store.models import (  # noqa: E402
    CardRow,
    DeckRow,
    MetaRow,
    QuizRow,
    ReviewRow,
    ScheduleRow,
)

META_KEY = "bench_collection"
CHUNK = 20_000
DECKS = 20
QUIZ_SHARE = 0.03  # share of log rows that are quiz answers
QUIZ_SIZE = 20


@dataclass(frozen=True)
class CollectionInfo:
    """What was built: where, how big, and the instant the data is relative to."""

    url: str
    cards: int
    reviews: int
    days: int
    seed: int
    now: datetime
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["now"] = self.now.isoformat()
        return data


def _chunks(rows: Iterator[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _state(rng: random.Random) -> str:
    x = rng.random()
    if x < 0.15:
        return "new"
    if x < 0.18:
        return "learning"
    if x < 0.20:
        return "relearning"
    return "review"


def _lapses(rng: random.Random) -> int:
    # Most cards never lapse; a long tail lapses a lot (leeches).
    return min(20, int(rng.expovariate(1.2)))


def build(url: str, cards: int = 100_000, reviews: int = 1_000_000, days: int = 365,
          seed: int = 1, now: datetime | None = None, quiet: bool = False) -> CollectionInfo:
    """Fill the database at `url` (created and migrated if needed) with a large collection.

    Adds to whatever is there (bench decks are named bench00..); returns what it built.
    """
    started = time.perf_counter()
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    rng = random.Random(seed)
    store = open_store(url)
    engine = store.db.engine

    def say(msg: str) -> None:
        if not quiet:
            print(f"[{time.perf_counter() - started:6.1f}s] {msg}", file=sys.stderr)

    try:
        with engine.begin() as conn:
            conn.execute(insert(DeckRow), [
                {"name": f"bench{i:02d}", "title": f"Benchmark deck {i}", "description": "",
                 "source": "benchmark", "content_hash": "", "created_at": now, "updated_at": now}
                for i in range(DECKS)])
            deck_ids = [i for (i,) in conn.execute(
                select(DeckRow.id).where(DeckRow.name.like("bench%")).order_by(DeckRow.name))]
        say(f"{len(deck_ids)} decks")

        created = now - timedelta(days=days + 1)

        def card_rows() -> Iterator[dict]:
            for i in range(cards):
                yield {"key": f"bench-{seed}-{i:07d}", "deck_id": deck_ids[i % len(deck_ids)],
                       "kind": "text", "prompt": f"Benchmark prompt number {i}: what is it?",
                       "answer": f"answer {i}", "accept": [], "options": [], "min_items": None,
                       "explanation": "", "tags": [], "position": i // len(deck_ids),
                       "retired": False, "created_at": created, "updated_at": created}

        with engine.begin() as conn:
            for batch in _chunks(card_rows()):
                conn.execute(insert(CardRow), batch)
            card_ids = [i for (i,) in conn.execute(
                select(CardRow.id).where(CardRow.key.like(f"bench-{seed}-%")).order_by(CardRow.id))]
        say(f"{len(card_ids)} cards")

        studied: list[int] = []

        def schedule_rows() -> Iterator[dict]:
            for position, card_id in enumerate(card_ids):
                state = _state(rng)
                row = {"card_id": card_id, "state": state, "step": None, "stability": None,
                       "difficulty": None, "due": None, "last_review": None, "reps": 0,
                       "lapses": 0, "new_position": position, "suspended": rng.random() < 0.01,
                       "buried_until": None}
                if state != "new":
                    studied.append(card_id)
                    if state == "review":
                        stability = math.exp(rng.gauss(2.5, 1.2))  # median ~12 days
                        interval = timedelta(days=max(1, round(min(stability, 3650))))
                    else:
                        stability = rng.uniform(0.1, 3)
                        interval = timedelta(minutes=rng.choice((1, 10)))
                    # When it was last reviewed: somewhere within its interval, a little overdue at most.
                    last = now - timedelta(seconds=rng.uniform(0, 1.1) * interval.total_seconds())
                    lapses = _lapses(rng)
                    row.update(step=0 if state != "review" else None, stability=stability,
                               difficulty=rng.uniform(1, 10), due=last + interval, last_review=last,
                               reps=lapses + 1 + int(rng.expovariate(0.2)), lapses=lapses)
                yield row

        with engine.begin() as conn:
            for batch in _chunks(schedule_rows()):
                conn.execute(insert(ScheduleRow), batch)
        say(f"{len(card_ids)} schedules ({len(studied)} studied)")

        quiz_answers = int(reviews * QUIZ_SHARE)
        quizzes = max(1, quiz_answers // QUIZ_SIZE) if quiz_answers else 0
        quiz_ids: list[int] = []
        if quizzes:
            with engine.begin() as conn:
                before = conn.scalar(select(func.max(QuizRow.id))) or 0
                rows = []
                for q in range(quizzes):
                    start = now - timedelta(days=days) + timedelta(days=days * (q + 0.5) / quizzes)
                    total = QUIZ_SIZE
                    rows.append({"started_at": start, "finished_at": start + timedelta(minutes=5),
                                 "settings": {"benchmark": True}, "score": rng.randint(total // 3, total),
                                 "total": total, "seconds": rng.uniform(120, 600)})
                for batch in _chunks(iter(rows)):
                    conn.execute(insert(QuizRow), batch)
                quiz_ids = [i for (i,) in conn.execute(
                    select(QuizRow.id).where(QuizRow.id > before).order_by(QuizRow.id))]

        pool = studied or card_ids
        span = days * 86400

        def review_rows() -> Iterator[dict]:
            # Chronological, as a real log grows; more reviews in recent months than long ago.
            offsets = sorted((span * (1 - rng.random() ** 0.8) for _ in range(reviews)), reverse=True)
            for n, ago in enumerate(offsets):
                at = now - timedelta(seconds=ago)
                card_id = pool[rng.randrange(len(pool))]
                is_quiz = quiz_ids and n % round(1 / QUIZ_SHARE) == 0
                if is_quiz:
                    yield {"card_id": card_id, "reviewed_at": at, "mode": "quiz", "rating": None,
                           "answer": "answer", "verdict": rng.choice(("correct", "correct", "close", "wrong")),
                           "score": None, "duration_ms": rng.randint(2000, 40000),
                           "state_before": "review", "schedule_before": None, "interval_before": None,
                           "quiz_id": quiz_ids[min(len(quiz_ids) - 1, int((1 - ago / span) * len(quiz_ids)))]}
                    continue
                x = rng.random()
                state = "review" if x < 0.75 else "new" if x < 0.85 else "learning" if x < 0.95 else "relearning"
                interval_days = max(1, round(math.exp(rng.gauss(2.3, 1.3)))) if state == "review" else 0
                last = at - timedelta(days=interval_days * rng.uniform(0.9, 1.2), minutes=10)
                before = {"state": state, "step": None if state == "review" else 0,
                          "stability": float(interval_days) if state == "review" else 1.0,
                          "difficulty": 5.0,
                          "due": None if state == "new" else (last + timedelta(days=interval_days, minutes=10)).isoformat(),
                          "last_review": None if state == "new" else last.isoformat(),
                          "reps": 3, "lapses": 0}
                rating = 1 if rng.random() < (0.08 if interval_days >= 21 else 0.15) else rng.choice((2, 3, 3, 3, 3, 4))
                yield {"card_id": card_id, "reviewed_at": at, "mode": "review", "rating": rating,
                       "answer": "answer", "verdict": None, "score": None,
                       "duration_ms": rng.randint(1500, 45000), "state_before": state,
                       "schedule_before": before, "quiz_id": None,
                       "interval_before": (interval_days + 10 / 1440 if state != "new" else None)}

        done = 0
        for batch in _chunks(review_rows(), 50_000):
            with engine.begin() as conn:
                conn.execute(insert(ReviewRow), batch)
            done += len(batch)
            say(f"{done} review-log rows")

        info = CollectionInfo(url=url, cards=cards, reviews=reviews, days=days, seed=seed, now=now,
                              seconds=round(time.perf_counter() - started, 1))
        with engine.begin() as conn:
            conn.execute(insert(MetaRow), [{"key": META_KEY, "value": json.dumps(info.to_json())}])
        if store.db.is_sqlite:
            with engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
        else:
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        say("done")
        return info
    finally:
        store.close()


def recorded(url: str) -> CollectionInfo | None:
    """The collection recorded in the database at `url` by an earlier build, if any."""
    store = open_store(url)
    try:
        raw = store.meta.get_meta(META_KEY)
    finally:
        store.close()
    if raw is None:
        return None
    data = json.loads(raw)
    data["now"] = datetime.fromisoformat(data["now"])
    data["url"] = url
    return CollectionInfo(**data)


def cached_sqlite(path: str | Path, cards: int = 100_000, reviews: int = 1_000_000,
                  days: int = 365, seed: int = 1, quiet: bool = False) -> CollectionInfo:
    """A SQLite file holding the collection: reused when it was built with the same sizes."""
    path = Path(path)
    url = f"sqlite:///{path}"
    if path.exists():
        info = recorded(url)
        if info and (info.cards, info.reviews, info.days, info.seed) == (cards, reviews, days, seed):
            return info
        path.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return build(url, cards=cards, reviews=reviews, days=days, seed=seed, quiet=quiet)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="database URL (created and migrated if needed)")
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365, help="history length in days")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", help="ISO instant the data is relative to (default: now)")
    args = parser.parse_args(argv)
    now = datetime.fromisoformat(args.now).astimezone(UTC) if args.now else None
    info = build(args.url, cards=args.cards, reviews=args.reviews, days=args.days,
                 seed=args.seed, now=now)
    print(json.dumps(info.to_json(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def cpu() -> str:
    """The machine's CPU model, for the benchmarks' headers."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
