"""Bad input through the real `debrief` command: one clear line and a non-zero exit, never an internal
error (exit 70), never a traceback, never a change to the collection; hostile text never reaches the
terminal."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from support.database import seed_home

pytestmark = pytest.mark.e2e

NOW = "2026-03-02T09:00:00Z"
# Bidirectional overrides and isolates, zero-width characters: they reorder or hide what is shown.
INVISIBLE = "\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c"


@pytest.fixture
def cli(debrief_bin, debrief_env, collection_db):
    env = {**debrief_env, "DEBRIEF_NOW": NOW}
    # An existing collection: a copy of what `debrief decks` leaves on first run (made once).
    seed_home(collection_db, Path(env["DEBRIEF_HOME"]))

    def run(*args: str, stdin: str | bytes = "", timeout: float = 300) -> subprocess.CompletedProcess:
        data = stdin.encode("utf-8", "surrogatepass") if isinstance(stdin, str) else stdin
        done = subprocess.run([debrief_bin, *args], input=data, capture_output=True, env=env,
                              timeout=timeout)
        done.out = done.stdout.decode("utf-8", "replace")  # type: ignore[attr-defined]
        done.err = done.stderr.decode("utf-8", "replace")  # type: ignore[attr-defined]
        return done

    run.home = Path(env["DEBRIEF_HOME"])  # type: ignore[attr-defined]
    return run


def one_clear_line(done: subprocess.CompletedProcess) -> str:
    """The single error line of a failed command (and proof there was no internal error)."""
    assert done.returncode not in (0, 70), (done.returncode, done.err)
    assert "Traceback" not in done.err and "internal error" not in done.err, done.err
    lines = [line for line in done.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("debrief: error:"), done.err
    return lines[0]


def snapshot(home: Path) -> list[tuple]:
    db = sqlite3.connect(home / "debrief.db")
    try:
        return db.execute("SELECT key, prompt, retired FROM cards ORDER BY id").fetchall()
    finally:
        db.close()


def deck_file(tmp_path: Path, body: str, name: str = "mine.toml", deck: str = "mine") -> Path:
    path = tmp_path / name
    path.write_text(f'[deck]\nname = "{deck}"\n\n{body}', encoding="utf-8")
    return path


def test_a_deeply_nested_toml_file_is_one_line(cli, tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    before = snapshot(cli.home)
    line = one_clear_line(cli("import", str(path)))
    assert "nested too deeply" in line
    assert snapshot(cli.home) == before


@pytest.mark.parametrize(("field", "body"), ids=["options", "list-items", "list-string"], argvalues=[
    ("options", 'kind = "choice"\nanswer = "o0"\noptions = [' + ", ".join(f'"o{i}"' for i in range(101)) + "]"),
    ("answer", 'kind = "list"\nanswer = [' + ", ".join(f'"i{i}"' for i in range(101)) + "]"),
    ("answer", 'kind = "list"\nanswer = "' + "; ".join(f"i{i}" for i in range(101)) + '"'),
])
def test_more_than_100_options_or_items_is_refused_at_import(cli, tmp_path, field, body):
    path = deck_file(tmp_path, f'[[cards]]\nid = "big"\nprompt = "p"\n{body}\n')
    before = snapshot(cli.home)
    done = cli("import", str(path))
    assert done.returncode == 1 and "Traceback" not in done.err
    assert f"{field} has 101 entries; the limit is 100" in done.err
    assert snapshot(cli.home) == before


def test_a_device_is_refused_without_reading_it(cli):
    before = snapshot(cli.home)
    line = one_clear_line(cli("import", "/dev/zero", timeout=60))
    assert "is a device" in line
    assert snapshot(cli.home) == before


def test_a_toml_file_with_a_byte_order_mark_loads(cli, tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes("\ufeff".encode() + b'[deck]\nname = "bom"\n\n[[cards]]\nid = "bom-1"\n'
                     b'prompt = "p"\nanswer = "a"\n')
    done = cli("import", str(path))
    assert done.returncode == 0, done.err
    assert ("bom-1", "p", 0) in snapshot(cli.home)


def test_grade_survives_a_lone_surrogate_and_grades_the_next_line(cli):
    lines = ('{"expected": "F1 \\ud800 score", "answer": "F1"}\n'
             '{"expected": "recall", "answer": "\\udc00"}\n'
             '{"expected": "recall", "answer": "recall"}\n')
    done = cli("grade", stdin=lines)
    assert done.returncode in (0, 1) and "Traceback" not in done.err, done.err
    out = [json.loads(line) for line in done.out.splitlines()]
    assert len(out) == 3
    assert out[2]["verdict"] == "correct"


def test_grade_reports_a_line_of_invalid_utf8_and_grades_the_rest(cli):
    done = cli("grade", stdin=b'{"expected": "recall", "answer": "r\xffcall"}\n'
                              b'{"expected": "recall", "answer": "recall"}\n')
    assert done.returncode == 1 and "Traceback" not in done.err, done.err
    out = [json.loads(line) for line in done.out.splitlines()]
    assert len(out) == 2
    assert "UTF-8" in out[0]["error"]
    assert out[1]["verdict"] == "correct"


def test_review_plain_takes_an_answer_line_of_invalid_utf8(cli):
    done = cli("review", "--plain", "--limit", "2", stdin=b"\xff\xfe bad\n1\nx\n1\n")
    assert done.returncode == 0, done.err
    assert "Traceback" not in done.err and "internal error" not in done.err
    assert done.out.count("Rate:") >= 1


def test_a_non_numeric_port_is_one_line(cli):
    line = one_clear_line(cli("--db", "postgresql://user:s3cret@localhost:abc/debrief", "stats", "--json"))
    assert "s3cret" not in line and "port" in line


def test_a_bad_driver_never_prints_the_password(cli):
    line = one_clear_line(cli("--db", "nosuchdriver://user:s3cret@localhost/debrief", "stats", "--json"))
    assert "s3cret" not in line


def test_bidi_overrides_and_zero_width_characters_never_reach_the_terminal(cli, tmp_path):
    prompt = f"Which {INVISIBLE}metric?"
    path = deck_file(tmp_path, f'[[cards]]\nid = "bidi"\nprompt = "{prompt}"\nanswer = "F1{INVISIBLE}"\n'
                               f'explanation = "x{INVISIBLE}y"\n', deck="bidi")
    assert cli("import", str(path)).returncode == 0
    cards = json.loads(cli("cards", "--json", "--deck", "bidi").out)
    assert cards[0]["prompt"] == "Which metric?" and cards[0]["answer"] == "F1"
    done = cli("review", "--plain", "--deck", "bidi", stdin="F1\n\n")
    assert done.returncode == 0, done.err
    assert "Which metric?" in done.out
    assert not set(INVISIBLE) & set(done.out)


def test_a_stored_card_with_bidi_controls_is_neutralised_on_display(cli, tmp_path):
    # Text stored by an older version (or written to the database by hand) is cleaned on display too.
    path = deck_file(tmp_path, '[[cards]]\nid = "old"\nprompt = "plain"\nanswer = "F1"\n', deck="old")
    assert cli("import", str(path)).returncode == 0
    db = sqlite3.connect(cli.home / "debrief.db")
    with db:
        db.execute("UPDATE cards SET prompt = ? WHERE key = 'old'", (f"evil\u202e{INVISIBLE}txt.exe",))
    db.close()
    done = cli("review", "--plain", "--deck", "old", stdin="F1\n\n")
    assert "eviltxt.exe" in done.out and not set(INVISIBLE) & set(done.out)
    listing = cli("cards", "--deck", "old")
    assert "eviltxt.exe" in listing.out and not set(INVISIBLE) & set(listing.out)


FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "'=quoted already"]


def test_csv_export_neutralises_formulas_and_round_trips(cli, tmp_path):
    body = "".join(f'[[cards]]\nid = "f{i}"\nprompt = {json.dumps(text)}\nanswer = {json.dumps(text)}\n'
                   f'explanation = {json.dumps(text)}\n\n' for i, text in enumerate(FORMULAS))
    path = deck_file(tmp_path, body, deck="formulas")
    assert cli("import", str(path)).returncode == 0
    out = tmp_path / "formulas.csv"
    assert cli("export", "csv", "-o", str(out), "--deck", "formulas").returncode == 0
    import csv

    rows = [row for row in csv.reader(line for line in out.read_text(encoding="utf-8").splitlines(True)
                                      if not line.startswith("#"))]
    cells = [cell for row in rows for cell in row if cell]
    assert cells and not any(cell[0] in "=+-@\t\r" for cell in cells), cells
    # Read back by the importer, every text is what it was.
    from debrief.csvdeck import parse_csv

    back = {c.id: (c.prompt, c.answer, c.explanation) for c in parse_csv(out, "formulas").cards}
    assert back == {f"f{i}": (text.strip(),) * 3 for i, text in enumerate(FORMULAS)}  # as loaded


def test_file_names_with_escape_sequences_are_not_echoed_raw(cli, tmp_path):
    bad = deck_file(tmp_path, "[[cards]]\nid = 'x'\n", name="evil\x1b]52;c;aGk=\x07\x1b[2J.toml", deck="evil")
    done = cli("import", str(bad))
    assert done.returncode == 1
    assert "\x1b" not in done.err and "\x07" not in done.err
    good = deck_file(tmp_path, '[[cards]]\nid = "g1"\nprompt = "p"\nanswer = "a"\n',
                     name="good\x1b[31m.toml", deck="good")
    done = cli("import", str(good))
    assert done.returncode == 0, done.err
    assert "\x1b" not in done.out and "\x1b" not in done.err


def test_a_csv_named_like_an_existing_deck_does_not_retire_its_cards(cli, tmp_path):
    mine = deck_file(tmp_path, '[[cards]]\nid = "m1"\nprompt = "p"\nanswer = "a"\n', deck="notes")
    assert cli("import", str(mine)).returncode == 0
    sheet = tmp_path / "notes.csv"
    sheet.write_text("front,back\nq,a\n", encoding="utf-8")
    before = snapshot(cli.home)
    line = one_clear_line(cli("import", str(sheet)))
    assert "--deck" in line and "notes" in line
    assert snapshot(cli.home) == before
    # Named explicitly, it goes where it is told.
    assert cli("import", str(sheet), "--deck", "sheet").returncode == 0
    assert ("m1", "p", 0) in snapshot(cli.home)
