"""The real `debrief quiz --plain` in a subprocess: it ends by itself, scores piped answers, logs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

DEBRIEF = shutil.which("debrief", path=str(Path(sys.executable).parent)) or "debrief"
NOW = "2026-03-02T09:00:00Z"
QUIZ = ["quiz", "--plain", "--count", "5", "--time", "3s"]


def environ(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
    env.update({"DEBRIEF_HOME": str(home), "DEBRIEF_NOW": NOW, "TZ": "UTC", "NO_COLOR": "1"})
    return env


def run(home: Path, *args: str, stdin=subprocess.DEVNULL, input: str | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    kwargs = {"input": input} if input is not None else {"stdin": stdin}
    return subprocess.run([DEBRIEF, *args], capture_output=True, text=True, env=environ(home),
                          timeout=timeout, **kwargs)


def right_answers(home: Path, seed: int, count: int = 5) -> list[str]:
    """What to type to get every question right, from the core's own question generator."""
    code = f"""
import json, os
from debrief.quiz import QuizOptions, build_questions
from debrief.workspace import Workspace
ws = Workspace.open()
lines = []
for q in build_questions(ws, QuizOptions(count={count}, seed={seed}), {seed}):
    if q.options:
        lines.append(str(q.options.index(q.right) + 1))
        continue
    answer = q.card.answer
    forms = [q.right] + (["; ".join(answer), *answer] if isinstance(answer, tuple) else [])
    lines.append(next((f for f in forms if ws.grader.grade(q.spec(), f).is_right), q.right))
ws.close()
print(json.dumps(lines))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=environ(home), check=True, timeout=60)
    return json.loads(out.stdout)


def test_with_no_input_the_quiz_ends_by_itself_with_nothing_right(tmp_path):
    result = run(tmp_path, *QUIZ, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert "(input ended)" in result.stdout and "Time's up" not in result.stdout
    assert "Nothing was answered: this quiz is not recorded." in result.stdout
    assert json.loads(run(tmp_path, "stats", "--json").stdout)["quizzes"] == []


def test_an_idle_pipe_is_not_waited_for_past_the_quiz_time(tmp_path):
    run(tmp_path, "decks")  # create and sync the data dir first, so only the quiz is timed
    started = time.monotonic()
    process = subprocess.Popen([DEBRIEF, *QUIZ], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=environ(tmp_path))
    try:
        # communicate() would close stdin (that is EOF); an idle pipe stays open and silent, so
        # the quiz must end by its own timer: a hang fails here (the generous bound is for load).
        process.wait(timeout=120)
        took = time.monotonic() - started
        out, err = process.stdout.read(), process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
        process.stdin.close()
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == 0, err
    assert "Time's up: the quiz is over." in out and "Score: 0/5 (0%) in 3.0s of 3.0s" in out
    assert took >= 2.9  # it waited for the time limit, not for the pipe


def test_right_answers_from_a_pipe_score_full_marks_and_both_quizzes_are_in_stats(tmp_path):
    wrong = run(tmp_path, *QUIZ, "--seed", "7", input="x\n" * 5)
    assert "Score: 0/5" in wrong.stdout
    answers = right_answers(tmp_path, seed=7)
    result = run(tmp_path, *QUIZ, "--seed", "7", input="\n".join(answers) + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("✓ Right.") == 5 and "Score: 5/5 (100%)" in result.stdout
    stats = json.loads(run(tmp_path, "stats", "--json").stdout)
    assert stats["reviews_total"] == 0  # quiz answers are not reviews
    quizzes = stats["quizzes"]
    assert [(q["score"], q["total"]) for q in quizzes] == [(0, 5), (5, 5)]
    assert {"date", "score", "total", "seconds", "accuracy_per_deck"} <= set(quizzes[1])
    assert all(v == 1.0 for v in quizzes[1]["accuracy_per_deck"].values())


def test_the_seed_makes_the_same_quiz(tmp_path):
    first = run(tmp_path, "quiz", "--plain", "--count", "8", "--seed", "123", input="x\n" * 8)
    second = run(tmp_path, "quiz", "--plain", "--count", "8", "--seed", "123", input="x\n" * 8)
    misses = [r.stdout.split("Misses (8):")[1].split("Trend:")[0] for r in (first, second)]
    assert misses[0] == misses[1] and misses[0].count("\n      answer: ") == 8


def test_misses_can_be_sent_to_review(tmp_path):
    result = run(tmp_path, "quiz", "--plain", "--count", "3", "--kinds", "typed", "--seed", "1",
                 "--send-misses", input="x\ny\nz\n")
    assert "Score: 0/3" in result.stdout and "Sent 3 cards to review: due today." in result.stdout
    review = run(tmp_path, "review", "--plain", "--new", "0", input="")
    assert "(left: 0 new, 3 learning, 0 review)" in review.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--kinds", "essay"], "unknown question kind 'essay'"),
    (["--time", "soon"], "not a duration"),
    (["--count", "0"], "0 is not in the range"),
    (["--deck", "nope"], "unknown deck 'nope'"),
])
def test_bad_options_are_explained(tmp_path, args, message):
    result = run(tmp_path, "quiz", "--plain", *args)
    assert result.returncode != 0 and message in result.stderr
