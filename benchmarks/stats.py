"""How long the stats screen's data takes on a large collection (100k cards, 1M log rows).

Usage (from the repo root):

    .venv/bin/python benchmarks/stats.py                       # SQLite, built once and cached
    .venv/bin/python benchmarks/stats.py --url postgresql+psycopg://user@host/db
    .venv/bin/python benchmarks/stats.py --runs 15 --db /tmp/other.db

It times `debrief.stats.stats_report` (everything the stats screen and `--json` show) over
several runs and prints medians, with a breakdown by query, because the machine is shared and
noisy: the median is the figure to quote, min and max show the spread. The collection comes
from benchmarks/collection.py; the clock is pinned to the instant it was built for.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from collection import build, cached_sqlite, cpu, recorded  # noqa: E402

TARGET_MS = 200.0


def ms(values: list[float]) -> str:
    med = statistics.median(values) * 1000
    return f"{med:8.1f} ms   (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})"


def timed(table: dict[str, list[float]], name: str, func: Callable) -> Callable:
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            table[name].append(time.perf_counter() - start)
    return wrapper


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL holding a benchmark collection (built if empty)")
    parser.add_argument("--db", default=os.path.join(tempfile.gettempdir(), "debrief-bench-1m.db"),
                        help="the cached SQLite file when no --url is given")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    args = parser.parse_args(argv)

    os.environ["DEBRIEF_HOME"] = tempfile.mkdtemp(prefix="debrief-bench-home-")  # no user config
    if args.url:
        info = recorded(args.url) or build(args.url, cards=args.cards, reviews=args.reviews)
    else:
        info = cached_sqlite(args.db, cards=args.cards, reviews=args.reviews)

    import sqlalchemy

    from debrief.config import Settings
    from debrief.stats import report as report_module
    from debrief.stats.plain import render
    from debrief.store import open_store
    from debrief.store import stats_queries as queries
    from debrief.workspace import Workspace

    parts: dict[str, list[float]] = defaultdict(list)
    for name in ("reviews_per_day", "due_per_day", "recent_answers", "deck_mastery",
                 "hardest_cards", "cards_total"):
        setattr(queries, name, timed(parts, name, getattr(queries, name)))
    report_module._today = timed(parts, "today (store queue counts)", report_module._today)
    report_module.quiz_trend = timed(parts, "quizzes (stats.report.quiz_trend)", report_module.quiz_trend)

    store = open_store(info.url)
    ws = Workspace(store=store, settings=Settings(), clock=lambda: info.now)
    runs: dict[str, list[float]] = defaultdict(list)
    cpu_runs: dict[str, list[float]] = defaultdict(list)

    def measure(name: str, func: Callable[[], object]) -> object:
        # Wall time, and this process's CPU time: on a busy shared machine the CPU time shows
        # the work itself (for SQLite, all of it happens in this process; not for PostgreSQL).
        start, start_cpu = time.perf_counter(), time.process_time()
        result = func()
        runs[name].append(time.perf_counter() - start)
        cpu_runs[name].append(time.process_time() - start_cpu)
        return result

    try:
        start = time.perf_counter()
        report = report_module.stats_report(ws)
        first = time.perf_counter() - start
        parts.clear()
        for _ in range(args.runs):
            report = measure("full", lambda: report_module.stats_report(ws))
        for _ in range(args.runs):
            measure("screen", lambda: report_module.stats_report(ws, quizzes=False))
            measure("render", lambda: render(report))
    finally:
        ws.close()

    backend = store.db.engine.dialect.name
    version = (f"SQLite {__import__('sqlite3').sqlite_version}" if backend == "sqlite"
               else f"{backend} {'.'.join(map(str, store.db.engine.dialect.server_version_info or ()))}")
    print(f"machine   {cpu()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"SQLAlchemy {sqlalchemy.__version__}, {version}")
    print(f"data      {info.cards:,} cards, {info.reviews:,} log rows over {info.days} days, "
          f"now {info.now.isoformat()} ({report['reviews_total']:,} reviews, "
          f"{len(report['quizzes']):,} quizzes)")
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(f"runs      {args.runs} (first run, not counted: {first * 1000:.1f} ms); "
          f"load average {load} (1 / 5 / 15 min)")
    print()
    print(f"stats_report, every figure (--json)        {ms(runs['full'])}   "
          f"target {TARGET_MS:.0f} ms")
    print(f"stats_report(quizzes=False), screen first  {ms(runs['screen'])}")
    print(f"text charts (--plain render)               {ms(runs['render'])}")
    print(f"CPU time of this process: every figure {statistics.median(cpu_runs['full']) * 1000:.1f} ms, "
          f"screen first {statistics.median(cpu_runs['screen']) * 1000:.1f} ms (medians)")
    print("breakdown, over all runs of both:")
    for name, values in sorted(parts.items(), key=lambda kv: -statistics.median(kv[1])):
        print(f"  {name:40s} {ms(values)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
