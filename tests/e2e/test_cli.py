"""The real `debrief` command in a subprocess: plain review, stats, decks, and clear errors."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

DEBRIEF = shutil.which("debrief", path=str(Path(sys.executable).parent)) or "debrief"


def run(home: Path, *args: str, stdin: str = "", env: dict | None = None, timeout: float = 60):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
    environ.update({"DEBRIEF_HOME": str(home), "DEBRIEF_NOW": "2026-03-02T09:00:00Z", "TZ": "UTC"})
    environ.update(env or {})
    return subprocess.run([DEBRIEF, *args], input=stdin, capture_output=True, text=True,
                          env=environ, timeout=timeout)


def test_version(tmp_path):
    result = run(tmp_path, "--version")
    assert result.returncode == 0 and result.stdout.startswith("debrief, version ")


def test_two_answers_in_plain_mode_are_counted_by_a_new_process(tmp_path):
    result = run(tmp_path, "review", "--plain", "--limit", "2", stdin="x\n\ny\n3\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Saved: ") == 2
    assert "Session over: 2 answered" in result.stdout
    stats = json.loads(run(tmp_path, "stats", "--json").stdout)
    assert stats["reviews_total"] == 2
    assert stats["cards_total"] >= 2 and {"due_today", "new_today"} <= stats.keys()


def test_plain_review_shows_verdict_answer_and_explanation(tmp_path):
    cards = json.loads(run(tmp_path, "cards", "--json").stdout)
    out = run(tmp_path, "review", "--plain", "--limit", "1", stdin="zzz\n1\n").stdout
    shown = next(c for c in cards if f"Q: {c['prompt']}" in out)
    answer = shown["answer"] if isinstance(shown["answer"], str) else ", ".join(shown["answer"])
    assert f"Answer: {answer}" in out or f"A: {answer}" in out
    assert "Saved: Again" in out


def test_an_unknown_rating_line_asks_again(tmp_path):
    result = run(tmp_path, "review", "--plain", "--limit", "1", stdin="x\n7\nmaybe\n2\n")
    assert result.returncode == 0
    assert result.stdout.count("Unknown rating") == 2
    assert "Saved: Hard" in result.stdout


def test_undo_in_plain_mode_removes_the_previous_answer(tmp_path):
    result = run(tmp_path, "review", "--plain", "--limit", "3", stdin="x\n3\ny\nu\n")
    assert "Undone:" in result.stdout
    assert json.loads(run(tmp_path, "stats", "--json").stdout)["reviews_total"] == 0


def test_end_of_input_ends_cleanly(tmp_path):
    result = run(tmp_path, "review", "--plain", stdin="")
    assert result.returncode == 0 and "Session over: 0 answered" in result.stdout


def test_decks_table_lists_the_bundled_decks(tmp_path):
    result = run(tmp_path, "decks")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].split()[:5] == ["deck", "cards", "new", "learn", "due"]
    assert result.stdout.splitlines()[-1].startswith("total")


def test_cards_json_carries_the_spec(tmp_path):
    cards = json.loads(run(tmp_path, "cards", "--json").stdout)
    assert {"id", "deck", "kind", "prompt", "spec", "options", "tags", "explanation"} <= cards[0].keys()
    for card in cards:
        if card["kind"] == "recall":
            assert card["spec"] is None
        else:
            assert card["spec"]["kind"] == card["kind"] and card["spec"]["expected"]


def one_line_error(result, *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_unknown_deck(tmp_path):
    one_line_error(run(tmp_path, "review", "--plain", "--deck", "nope"), "unknown deck 'nope'")


def test_bad_db_url(tmp_path):
    one_line_error(run(tmp_path, "--db", "nosuchdb://x", "decks"), "nosuchdb://x")


def test_unwritable_home(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a dir")
    one_line_error(run(blocker / "home", "decks"), "cannot create data directory")


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    assert run(tmp_path, "decks").returncode == 0
    with sqlite3.connect(tmp_path / "debrief.db") as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    one_line_error(run(tmp_path, "decks"), "newer version of debrief")


def test_a_file_that_is_not_a_database(tmp_path):
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "debrief.db").write_bytes(b"hello, this is not sqlite" * 100)
    one_line_error(run(tmp_path, "decks"), "debrief restore")


def test_malformed_deck_import_reports_every_problem_and_imports_nothing(tmp_path):
    deck = tmp_path / "mine.toml"
    deck.write_text('[deck]\nname = "mine"\n\n[[cards]]\nid = "m1"\nkind = "essay"\nprompt = "p"\n'
                    'answer = "a"\n\n[[cards]]\nid = "m2"\nprompt = "q"\n', encoding="utf-8")
    result = run(tmp_path, "import", str(deck))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{deck}:6: unknown kind 'essay'" in result.stderr
    assert f"{deck}:10: card has no answer" in result.stderr
    assert "mine" not in run(tmp_path, "decks").stdout


def test_import_adds_a_user_deck_and_reimport_updates_it(tmp_path):
    deck = tmp_path / "mine.toml"
    deck.write_text('[deck]\nname = "mine"\n\n[[cards]]\nid = "m1"\nprompt = "p?"\nanswer = "a"\n', encoding="utf-8")
    first = run(tmp_path, "import", str(deck))
    assert first.returncode == 0 and "1 added" in first.stdout
    deck.write_text('[deck]\nname = "mine"\n\n[[cards]]\nid = "m1"\nprompt = "p, edited?"\nanswer = "a"\n', encoding="utf-8")
    second = run(tmp_path, "import", str(deck))
    assert "0 added, 1 updated" in second.stdout
    cards = [c for c in json.loads(run(tmp_path, "cards", "--json", "--deck", "mine").stdout)]
    assert [c["prompt"] for c in cards] == ["p, edited?"]


def test_import_refuses_an_id_owned_by_another_deck(tmp_path):
    bundled_id = json.loads(run(tmp_path, "cards", "--json").stdout)[0]["id"]
    deck = tmp_path / "mine.toml"
    deck.write_text(f'[deck]\nname = "mine"\n\n[[cards]]\nid = "{bundled_id}"\nprompt = "p?"\nanswer = "a"\n', encoding="utf-8")
    result = run(tmp_path, "import", str(deck))
    assert result.returncode == 1 and f"duplicate id '{bundled_id}'" in result.stderr


def test_grade_command_grades_each_line_and_fails_on_a_bad_one(tmp_path):
    lines = ('{"expected": "Perplexity", "answer": "perplexty"}\n'
             "not json\n"
             '{"expected": "AI PM", "kind": "choice", "options": ["AI PM", "ML PM"], "answer": "[/]\\u001b[2J"}\n')
    result = run(tmp_path, "grade", stdin=lines)
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 1
    assert out[0]["verdict"] == "close" and out[0]["right"] is True
    assert "error" in out[1]
    assert out[2]["verdict"] == "wrong"
    good = run(tmp_path, "grade", stdin='{"expected": "MAE", "answer": "MSE"}\n')
    assert good.returncode == 0 and json.loads(good.stdout)["verdict"] == "wrong"


@pytest.mark.parametrize(("args", "fragment"), [
    (("review", "--plain", "--limit", "x"), "--limit"),
    (("quiz", "--plain", "--time", "abc"), "not a duration"),
    (("nosuch",), "No such command"),
    (("export", "anki", "-o", "/nonexistent-dir/x.apkg"), "does not exist"),
])
def test_usage_errors_are_one_line_too(tmp_path, args, fragment):
    one_line_error(run(tmp_path, *args), fragment)


@pytest.mark.parametrize(("args", "hint"), [((), "`debrief --plain`"),
                                            (("review",), "`debrief review --plain`")])
def test_the_app_without_a_terminal_says_to_use_plain(tmp_path, args, hint):
    one_line_error(run(tmp_path, *args, stdin="x\n", timeout=20), hint)


def test_an_answer_marked_right_shows_in_cards_json_and_the_csv_export(tmp_path):
    """'=' on the rating line keeps the answer; `cards --json` lists it and the CSV export
    carries it among the card's accepted answers."""
    # The metrics deck opens with a typed card (a recall card has nothing to mark right).
    out = run(tmp_path, "review", "--plain", "--deck", "metrics", "--limit", "1",
              stdin="my own wording zq\n=\n\n").stdout
    cards = json.loads(run(tmp_path, "cards", "--json").stdout)
    marked = [c for c in cards if c.get("user_answers")]
    assert [c["user_answers"] for c in marked] == [["my own wording zq"]], out
    assert f"Q: {marked[0]['prompt']}" in out
    csv_path = tmp_path / "out.csv"
    result = run(tmp_path, "export", "csv", "-o", str(csv_path), "--deck", marked[0]["deck"])
    assert result.returncode == 0, result.stderr
    import csv as csv_module

    lines = [line for line in csv_path.read_text(encoding="utf-8").splitlines(keepends=True)
             if not line.startswith("#")]
    rows = list(csv_module.reader(lines))
    columns = next(line for line in csv_path.read_text(encoding="utf-8").splitlines()
                   if line.startswith("#columns:"))[len("#columns:"):].split(",")
    accepted = [r[columns.index("Accepted")] for r in rows if r[columns.index("Prompt")]
                == marked[0]["prompt"]]
    assert accepted and "my own wording zq" in accepted[0].split("\n")
