"""Review speed on a large collection (100,000 cards, 1,000,000 log rows) beside a small one (1,000).

Usage (from the repo root):

    .venv/bin/python benchmarks/review.py                 # SQLite collections, built once and cached
    .venv/bin/python benchmarks/review.py --runs 9 --answers 500
    .venv/bin/python benchmarks/review.py --skip-app      # no terminal app runs (no pty needed)
    .venv/bin/python benchmarks/review.py --only plain    # per answer in `review --plain`, 1k vs 100k
    .venv/bin/python benchmarks/review.py --only app --baseline-src /tmp/old/src   # before/after

    (a baseline src/ folder: `git archive COMMIT src | tar -x -C /tmp/old`)

It prints, for each collection size:

- today's queue: `ReviewSession(...)` up to its first card, and `counts()` (targets: <= 10 ms);
- one answer recorded end to end: `rate()`, the store transaction with the FSRS step (p95 <= 5 ms);
- one answer to the next card: `submit` + `rate` + `current` (p95 < 16 ms, one frame at 60 Hz);

end to end, as subprocesses on the same machine in the same run:

- per answer in the real `debrief review --plain` (pipes, 150 answers on each collection): the
  median from one card's `answer> ` prompt to the next, and the ratio 100,000 / 1,000 cards
  (target: at most 1.5x); the first answer, which also waits for the grader's vocabulary, apart;

and, in a terminal:

- the time to the first card on screen: `debrief review` in a pseudo-terminal, beside a bare
  Textual app showing one line, both as subprocesses in the same run (target: at most 2x);
- the peak memory (max RSS) of a review session, line mode and app, each answering cards
  (target: under 200 MB);

The machine is shared and noisy: medians and p95s are the figures to quote. The collections come
from benchmarks/collection.py and are cached in the temp dir; each run works on a copy, so the
cache is never changed. The clock is pinned to the instant each collection was built for.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import platform
import re
import select
import shutil
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from collection import CollectionInfo, cached_sqlite, cpu  # noqa: E402

TARGETS = {"flat": 1.5, "queue": 10.0, "record": 5.0, "next": 16.0, "ratio": 2.0, "memory": 200.0}
PROMPT = re.compile(r"Benchmark prompt number \d+")
ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-B]|\x1b[=>78]")
BARE_APP = textwrap.dedent('''
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("Benchmark prompt number 0: what is it?")

    Bare().run()
''')


# -- reporting ---------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def row(name: str, values: list[float], target: float | None = None, use_p95: bool = False) -> str:
    med, high = statistics.median(values) * 1000, p95(values) * 1000
    verdict = ""
    if target is not None:
        figure = high if use_p95 else med
        verdict = f"   {'ok' if figure <= target else 'OVER'} (target {'p95' if use_p95 else 'median'}"\
                  f" <= {target:g} ms)"
    return f"  {name:<34} median {med:7.2f} ms   p95 {high:7.2f} ms   (n={len(values)}){verdict}"


def timed(func: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


# -- in-process measurements -------------------------------------------------------------------


def open_workspace(url: str, info: CollectionInfo):  # -> Workspace
    from debrief.config import Settings
    from debrief.workspace import Workspace

    ws = Workspace.open(url, clock=lambda: info.now)
    # High limits: the benchmark measures the mechanics, not when today's limits stop a session.
    ws.settings = Settings(new_per_day=9999, reviews_per_day=99999)
    return ws


def fsync_floor(folder: Path, count: int = 100) -> list[float]:
    """The time to write and fsync one 4 KB page here: the floor under every committed answer
    (SQLite with synchronous=FULL syncs the WAL at each commit)."""
    path = folder / "fsync.probe"
    times = []
    with path.open("wb") as handle:
        for _ in range(count):
            start = time.perf_counter()
            handle.write(b"x" * 4096)
            handle.flush()
            os.fsync(handle.fileno())
            times.append(time.perf_counter() - start)
    path.unlink()
    return times


def measure_session(label: str, url: str, info: CollectionInfo, runs: int, answers: int) -> None:
    from debrief.scheduling import Rating
    from debrief.session import ReviewSession

    ws = open_workspace(url, info)
    try:
        seconds, _ = timed(lambda: ws.grader)
        print(f"  {'grader vocabulary (once per start)':<34} {seconds * 1000:7.1f} ms")
        first: list[float] = []
        counts: list[float] = []
        for _ in range(runs * 3):
            t, session = timed(lambda: ReviewSession(ws))
            t2, _ = timed(lambda session=session: session.current)
            first.append(t + t2)
            t3, _ = timed(session.counts)
            counts.append(t3)
        print(row("queue: session to first card", first, TARGETS["queue"]))
        print(row("queue: counts() (shown per card)", counts, TARGETS["queue"]))

        session = ReviewSession(ws)
        record: list[float] = []
        step: list[float] = []
        assert session.current is not None
        for _ in range(answers):
            card = session.current
            if card is None:
                break
            start = time.perf_counter()
            session.submit("x")
            t_rate, _ = timed(lambda: session.rate(Rating.GOOD))
            session.current  # noqa: B018 - the next card, as a face asks for it
            step.append(time.perf_counter() - start)
            record.append(t_rate)
        print(row("one answer recorded (rate)", record, TARGETS["record"], use_p95=True))
        print(row("answer to next card", step, TARGETS["next"], use_p95=True))
    finally:
        ws.store.close()  # not ws.close(): no automatic backup of the benchmark copy


# -- subprocesses in a terminal ----------------------------------------------------------------


class Terminal:
    """A child process on a pseudo-terminal, as a terminal emulator runs it."""

    def __init__(self, argv: list[str], env: dict[str, str]):
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 32, 110, 0, 0))

        def leader() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.started = time.perf_counter()
        self.process = subprocess.Popen(argv, stdin=self.slave, stdout=self.slave,
                                        stderr=self.slave, env=env, preexec_fn=leader,
                                        close_fds=True)
        self.data = b""

    def wait_for(self, pattern: re.Pattern[str], timeout: float = 120) -> float:
        """Seconds from the start until `pattern` is on screen."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            ready, _, _ = select.select([self.master], [], [], 0.002)
            if ready:
                try:
                    self.data += os.read(self.master, 1 << 16)
                except OSError:
                    break
                if pattern.search(ANSI.sub(b"", self.data).decode("utf-8", "replace")):
                    return time.perf_counter() - self.started
            if self.process.poll() is not None:
                break
        tail = ANSI.sub(b"", self.data).decode("utf-8", "replace")[-400:]
        raise RuntimeError(f"{pattern.pattern!r} never appeared: {tail!r}")

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def drain(self, seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            ready, _, _ = select.select([self.master], [], [], 0.01)
            if ready:
                try:
                    self.data += os.read(self.master, 1 << 16)
                except OSError:
                    return

    def kill(self) -> float:
        """SIGKILL (no exit-time work is timed); returns the child's peak RSS in MB."""
        if self.process.returncode is not None:
            return 0.0
        self.process.send_signal(signal.SIGKILL)
        _pid, _status, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = -9
        os.close(self.master)
        os.close(self.slave)
        return usage.ru_maxrss / 1024

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()  # never leave a child behind, whatever happened


def count_reviews(path: Path) -> int:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("SELECT count(*) FROM reviews").fetchone()[0]
    finally:
        db.close()


def debrief_command() -> str:
    return shutil.which("debrief", path=str(Path(sys.executable).parent)) or "debrief"


def first_card_on_screen(env: dict[str, str], runs: int, timeout: float,
                         baseline: Path | None = None) -> bool:
    """Print the start-up figures; False when the app showed no card within `timeout`.

    With `baseline` (another checkout's src/ folder), its `debrief review` runs too, interleaved
    with this one's, so a before/after comparison shares one run window on a noisy machine.
    """
    bare_script = Path(env["DEBRIEF_HOME"]) / "bare_app.py"
    bare_script.write_text(BARE_APP, encoding="utf-8")
    commands = {"debrief review": ([debrief_command(), "review"], env)}
    if baseline is not None:
        commands["debrief review, baseline"] = (
            [debrief_command(), "review"], {**env, "PYTHONPATH": str(baseline.resolve())})
    commands["bare Textual app"] = ([sys.executable, str(bare_script)], env)
    slowest = 0.0
    for name, (argv, environ) in commands.items():  # warm-up: first sync of bundled decks, disk cache
        with Terminal(argv, environ) as terminal:
            try:
                slowest = max(slowest, terminal.wait_for(PROMPT, timeout))
            except RuntimeError as exc:
                mb = terminal.kill()
                print(f"  first card on screen: {name}: NOT SHOWN within {timeout:g} s "
                      f"(peak memory {mb:.0f} MB so far)\n    screen: {str(exc)[-160:]}")
                return False
    if slowest > 20:
        runs = min(runs, 2)  # minutes per run: two runs say enough
        print(f"  (the warm-up took {slowest:.0f} s: {runs} timed runs only)")
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, environ) in commands.items():
            with Terminal(argv, environ) as terminal:
                times[name].append(terminal.wait_for(PROMPT, timeout))
    for name in commands:
        print(row(f"first card on screen: {name}", times[name]))
    bare = statistics.median(times["bare Textual app"])
    for name in commands:
        if name == "bare Textual app":
            continue
        ratio = statistics.median(times[name]) / bare
        label = "ratio (median app / median bare)" if name == "debrief review" else "ratio, baseline"
        print(f"  {label:<34} {ratio:7.2f}x   "
              f"{'ok' if ratio <= TARGETS['ratio'] else 'OVER'} (target <= {TARGETS['ratio']:g}x)")
    return True


HOME_OVERVIEW = textwrap.dedent('''
    import sys, time
    from datetime import datetime
    from debrief.workspace import Workspace
    from debrief.overview import overview
    now = datetime.fromisoformat(sys.argv[2])
    ws = Workspace.open(sys.argv[1], clock=lambda: now)
    start = time.perf_counter()
    overview(ws)
    print(time.perf_counter() - start)
''')


def home_overview(env: dict[str, str], url: str, now: str, timeout: float) -> None:
    """What the app's home screen reads before the review starts (debrief.overview)."""
    process = subprocess.Popen([sys.executable, "-c", HOME_OVERVIEW, url, now], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        print(f"  {'home screen overview()':<34} more than {timeout:g} s")
        return
    if process.returncode:
        print(f"  {'home screen overview()':<34} failed: {err.decode()[-200:]!r}")
        return
    print(f"  {'home screen overview()':<34} {float(out) * 1000:7.0f} ms (in a subprocess)")


def plain_answers(env: dict[str, str], answers: int, timeout: float) -> list[float]:
    """Seconds per answer in the real `debrief review --plain`, as a user drives it: from the
    `answer> ` prompt, through typing an answer and a rating, to the next card's `answer> ` prompt.

    A subprocess on pipes, so everything the command does per card is inside (the queue reads,
    the counts line, grading, the FSRS step, the committed transaction, the output), and nothing
    it does once (imports, opening the database, the grader's vocabulary at the first answer)
    lands in the median.
    """
    process = subprocess.Popen([debrief_command(), "review", "--plain", "--limit", str(answers)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env, bufsize=0)
    assert process.stdin is not None and process.stdout is not None
    out_fd = process.stdout.fileno()
    buffer = b""

    def wait_for(prompt: bytes) -> bool:
        nonlocal buffer
        end = time.perf_counter() + timeout
        while prompt not in buffer:
            left = end - time.perf_counter()
            if left <= 0:
                return False
            ready, _, _ = select.select([out_fd], [], [], min(left, 1.0))
            if ready:
                chunk = os.read(out_fd, 1 << 16)
                if not chunk:
                    return False
                buffer += chunk
        buffer = buffer[buffer.index(prompt) + len(prompt):]
        return True

    times: list[float] = []
    try:
        if not wait_for(b"answer> "):
            raise RuntimeError("no first card")
        start = time.perf_counter()
        for _ in range(answers):
            process.stdin.write(b"x\n")
            if not wait_for(b"rating> "):
                break
            process.stdin.write(b"3\n")
            if not wait_for(b"answer> "):
                break  # the session is over (the limit, or the queue ran out)
            now = time.perf_counter()
            times.append(now - start)
            start = now
    finally:
        process.kill()
        process.communicate()
    return times


def plain_section(infos: list[CollectionInfo], work: Path, answers: int, timeout: float,
                  baseline: Path | None = None) -> None:
    """Per-answer cost of `review --plain` end to end on each collection, in one run, with ratios
    (and, with `baseline`, the same for another checkout's src/ folder right after each)."""
    if baseline is not None:
        plain_section(infos, work, answers, timeout)
        print("  baseline (--baseline-src):", end="")
        infos_env: dict[str, str] = {"PYTHONPATH": str(baseline.resolve())}
    else:
        infos_env = {}
    print(f"\nper answer, `debrief review --plain` end to end (subprocess on pipes, {answers} answers):")
    medians: dict[int, float] = {}
    for info in infos:
        db = copy_database(info.url.removeprefix("sqlite:///"), work / f"plain-{info.cards}.db")
        env = {**os.environ, "DEBRIEF_DB": f"sqlite:///{db}", "DEBRIEF_NOW": info.now.isoformat(),
               "TZ": "UTC", **infos_env}
        times = plain_answers(env, answers, timeout)
        if not times:
            print(f"  {info.cards:,} cards: no answer completed")
            continue
        medians[info.cards] = statistics.median(times)
        print(row(f"{info.cards:,} cards: answer to next card", times))
        # The first answer also waits for the grader's vocabulary (every word of every card).
        print(f"  {f'{info.cards:,} cards: the first answer':<34} {times[0] * 1000:7.0f} ms")
    if len(medians) > 1:
        low, high = min(medians), max(medians)
        ratio = medians[high] / medians[low]
        print(f"  {f'ratio ({high:,} / {low:,} cards)':<34} {ratio:7.2f}x   "
              f"{'ok' if ratio <= TARGETS['flat'] else 'OVER'} (target <= {TARGETS['flat']:g}x)")


def peak_memory(env: dict[str, str], db: Path, answers: int, app: bool) -> None:
    target = TARGETS["memory"]
    # Line mode: a full session of `answers` cards, read to the end.
    process = subprocess.Popen([debrief_command(), "review", "--plain", "--limit", str(answers)],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=env)
    process.stdin.write(b"x\n3\n" * answers)
    process.stdin.close()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    mb = usage.ru_maxrss / 1024
    print(f"  {'peak memory, line mode':<34} {mb:7.1f} MB   ({answers} answers)   "
          f"{'ok' if mb < target else 'OVER'} (target < {target:g} MB)")
    if not app:
        return
    # The app: answer cards by typing, as a user does.
    with Terminal([debrief_command(), "review"], env) as terminal:
        terminal.wait_for(PROMPT)
        done = count_reviews(db)
        given = 0
        for _ in range(answers):
            terminal.type(b"x\r")
            terminal.drain(0.15)
            terminal.type(b"3")
            end = time.perf_counter() + 10
            while count_reviews(db) <= done + given and time.perf_counter() < end:
                terminal.drain(0.02)
            if count_reviews(db) <= done + given:
                break
            given += 1
        mb = terminal.kill()
    print(f"  {'peak memory, app':<34} {mb:7.1f} MB   ({given} answers)   "
          f"{'ok' if mb < target else 'OVER'} (target < {target:g} MB)")


# -- main --------------------------------------------------------------------------------------


def copy_database(source: str, target: Path) -> Path:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.path.join(tempfile.gettempdir(), "debrief-bench-1m.db"),
                        help="cached large collection (built on first use)")
    parser.add_argument("--small-db", default=os.path.join(tempfile.gettempdir(), "debrief-bench-1k.db"))
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7, help="runs of each start-up measurement")
    parser.add_argument("--answers", type=int, default=300, help="answers per in-process session")
    parser.add_argument("--memory-answers", type=int, default=30)
    parser.add_argument("--skip-app", action="store_true", help="no terminal app measurements")
    parser.add_argument("--plain-answers", type=int, default=150,
                        help="answers per end-to-end `review --plain` run")
    parser.add_argument("--baseline-src", type=Path, metavar="DIR",
                        help="also time the app from this src/ folder (e.g. an older commit's, from "
                             "`git archive COMMIT src | tar -x -C DIR`), interleaved with this one")
    parser.add_argument("--only", choices=("plain", "app"),
                        help="only the end-to-end `review --plain` figures, or only the terminal app's")
    parser.add_argument("--app-timeout", type=float, default=90.0,
                        help="seconds to wait for the app's first card")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="debrief-bench-review-"))
    home = work / "home"
    home.mkdir()
    os.environ["DEBRIEF_HOME"] = str(home)  # no user config, no user data touched
    os.environ.pop("DEBRIEF_DB", None)
    try:
        big = cached_sqlite(args.db, cards=args.cards, reviews=args.reviews, quiet=False)
        small = cached_sqlite(args.small_db, cards=1_000, reviews=10_000, quiet=True)
        print(f"machine: {cpu()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; "
              f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
        print(row("disk: write + fsync of 4 KB", fsync_floor(work)))
        for label, info in (("1,000 cards, 10,000 log rows", small),
                            (f"{big.cards:,} cards, {big.reviews:,} log rows", big)):
            if args.only:
                break
            db = copy_database(info.url.removeprefix("sqlite:///"), work / f"{info.cards}.db")
            print(f"\n{label}:")
            measure_session(label, f"sqlite:///{db}", info, args.runs, args.answers)
        if args.only in (None, "plain"):
            plain_section([small, big], work, args.plain_answers, args.app_timeout, args.baseline_src)
        for info in ((small, big) if not args.skip_app and args.only in (None, "app") else ()):
            db = copy_database(info.url.removeprefix("sqlite:///"), work / f"app-{info.cards}.db")
            env = {**os.environ, "DEBRIEF_DB": f"sqlite:///{db}",
                   "DEBRIEF_NOW": info.now.isoformat(), "TERM": "xterm-256color", "TZ": "UTC"}
            print(f"\n{info.cards:,} cards in a terminal (subprocesses, medians of {args.runs}):")
            shown = first_card_on_screen(env, args.runs, args.app_timeout, args.baseline_src)
            home_overview(env, f"sqlite:///{db}", info.now.isoformat(), args.app_timeout)
            peak_memory(env, db, args.memory_answers, app=shown)
        print(f"\nmachine load after: {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
