"""Hostile files through the real `debrief import`: markup and escape sequences are data, bad files get
`file:line` errors, and a file with any problem imports nothing."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from support.database import seed_home

pytestmark = pytest.mark.e2e

NOW = "2026-03-02T09:00:00Z"


@pytest.fixture
def cli(debrief_bin, debrief_env, collection_db):
    env = {**debrief_env, "DEBRIEF_NOW": NOW}
    # An existing collection to import into: a copy of what `debrief decks` leaves on first run.
    seed_home(collection_db, Path(env["DEBRIEF_HOME"]))

    def run(*args: str, stdin: str = "", timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([debrief_bin, *args], input=stdin, capture_output=True, text=True,
                              env=env, timeout=timeout)

    run.home = Path(env["DEBRIEF_HOME"])  # type: ignore[attr-defined]
    return run


def deck_rows(home: Path, deck: str) -> list[tuple]:
    db = sqlite3.connect(home / "debrief.db")
    try:
        return db.execute("SELECT c.key, c.prompt, c.answer, c.explanation FROM cards c JOIN decks d"
                          " ON d.id = c.deck_id WHERE d.name = ? ORDER BY c.id", (deck,)).fetchall()
    finally:
        db.close()


def toml_card(card_id: str, prompt: str = "Question?", answer: str = "answer",
              extra: str = "") -> str:
    return f'\n[[cards]]\nid = "{card_id}"\nprompt = {json.dumps(prompt)}\nanswer = {json.dumps(answer)}\n{extra}'


def write_deck(path: Path, body: str, name: str = "hostile") -> Path:
    path.write_text(f'[deck]\nname = "{name}"\ntitle = "Hostile"\n{body}', encoding="utf-8")
    return path


def assert_refused(result: subprocess.CompletedProcess, path: Path, line: int | None,
                   message: str, home: Path, deck: str = "hostile") -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    where = re.escape(str(path)) + (f":{line}:" if line is not None else r"(:\d+)?:")
    assert re.search(where + r" .*" + re.escape(message), result.stderr), result.stderr[:2000]
    assert deck_rows(home, deck) == []


# -- deck files (TOML) -------------------------------------------------------------------------


MARKUP = ["[bold]bold?[/bold]", "[/]", "[@click=app.bell]click me[/]", "[link=file:///etc]x[/link]",
          "[red on black]", "\\[escaped]"]


def test_rich_markup_is_stored_and_listed_as_plain_text(cli, tmp_path):
    body = "".join(toml_card(f"m{i}", prompt=f"Prompt {text}", answer=f"A {text}",
                             extra=f"explanation = {json.dumps(text)}\n")
                   for i, text in enumerate(MARKUP))
    path = write_deck(tmp_path / "markup.toml", body)
    result = cli("import", str(path))
    assert result.returncode == 0, result.stderr
    rows = deck_rows(cli.home, "hostile")
    assert [r[1] for r in rows] == [f"Prompt {t}" for t in MARKUP]
    listed = json.loads(cli("cards", "--json", "--deck", "hostile").stdout)
    assert [c["prompt"] for c in listed] == [f"Prompt {t}" for t in MARKUP]


def test_escape_sequences_and_control_characters_are_stripped(cli, tmp_path):
    nasty = ("\\u001b]52;c;aGVsbG8=\\u0007"  # OSC 52: write the clipboard
             "\\u001b[2J\\u001b[H"            # clear the screen
             "\\u009b31m"                     # C1 CSI
             "\\u0007\\u0008\\u007f")         # bell, backspace, delete
    body = (f'\n[[cards]]\nid = "esc"\nprompt = "before{nasty}after"\nanswer = "ok{nasty}"\n'
            f'explanation = "line one\\nline\\ttwo{nasty}"\n')
    path = write_deck(tmp_path / "esc.toml", body)
    result = cli("import", str(path))
    assert result.returncode == 0, result.stderr
    ((key, prompt, answer, explanation),) = deck_rows(cli.home, "hostile")
    control = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
    for stored in (prompt, answer, explanation):
        assert not control.search(stored), repr(stored)
    # (The parameter bytes of a C1 CSI, "31m", stay behind as harmless text.)
    assert prompt.startswith("before") and prompt.endswith("after")
    assert explanation.startswith("line one\nline\ttwo")
    review = cli("review", "--plain", "--deck", "hostile", stdin="ok\n3\n")
    assert not control.search(review.stdout.replace("\n", "")), repr(review.stdout)
    assert "before" in review.stdout


def test_a_raw_control_character_in_a_deck_file_is_a_line_error(cli, tmp_path):
    path = tmp_path / "raw.toml"
    path.write_bytes(b'[deck]\nname = "hostile"\n\n[[cards]]\nid = "a"\nprompt = "ok"\nanswer = "a"\n'
                     b'\n[[cards]]\nid = "b"\nprompt = "bad \x1b[2J here"\nanswer = "b"\n')
    assert_refused(cli("import", str(path)), path, 11, "bad TOML", cli.home)


def test_a_one_megabyte_field_is_refused_with_its_line(cli, tmp_path):
    body = toml_card("ok") + toml_card("big", prompt="x" * 1_000_000) + toml_card("ok2")
    path = write_deck(tmp_path / "big.toml", body)
    assert_refused(cli("import", str(path)), path, 12, "prompt is longer than 10,000 characters",
                   cli.home)


def test_invalid_utf8_is_refused_with_its_line(cli, tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[deck]\nname = "hostile"\n\n[[cards]]\nid = "a"\nprompt = "caf\xe9?"\nanswer = "a"\n')
    assert_refused(cli("import", str(path)), path, 6, "not valid UTF-8", cli.home)


def test_duplicate_ids_are_refused_with_both_lines(cli, tmp_path):
    body = toml_card("same") + toml_card("other") + toml_card("same", prompt="Again?")
    path = write_deck(tmp_path / "dup.toml", body)
    assert_refused(cli("import", str(path)), path, 15, "duplicate id 'same' (first at line 5)",
                   cli.home)


def test_a_ten_megabyte_deck_with_one_bad_card_at_the_end_imports_nothing(cli, tmp_path):
    filler = "why " * 2000  # 8 KB explanations: ~1,250 cards make 10 MB
    body = "".join(toml_card(f"c{i}", extra=f'explanation = "{filler}"\n') for i in range(1250))
    body += toml_card("last", answer="")
    path = write_deck(tmp_path / "ten.toml", body)
    assert path.stat().st_size > 10_000_000
    lines = path.read_text(encoding="utf-8").count("\n")
    result = cli("import", str(path))
    assert_refused(result, path, None, "card has no answer", cli.home)
    assert re.search(rf":{lines}: ", result.stderr)  # the last line: `answer = ""`


def test_a_ten_megabyte_deck_imports_completely(cli, tmp_path):
    filler = "why " * 2000
    body = "".join(toml_card(f"c{i}", prompt=f"Question {i}?", extra=f'explanation = "{filler}"\n')
                   for i in range(1250))
    path = write_deck(tmp_path / "ten.toml", body)
    assert path.stat().st_size > 10_000_000
    result = cli("import", str(path))
    assert result.returncode == 0, result.stderr
    assert "1250 added" in result.stdout
    assert len(deck_rows(cli.home, "hostile")) == 1250
    assert list(cli.home.glob("backups/*-import.db"))  # backed up before importing


def test_an_oversized_file_is_refused_without_reading_it(cli, tmp_path):
    path = tmp_path / "huge.toml"
    with path.open("wb") as handle:
        handle.write(b'[deck]\nname = "hostile"\n')
        handle.seek(25_000_000)
        handle.write(b"\n")
    result = cli("import", str(path))
    assert_refused(result, path, None, "the limit is 20 MB", cli.home)


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"\x00" * 100,
                                     b"\xff\xfe[\x00d\x00e\x00c\x00k\x00]\x00"])
def test_binary_files_get_one_clear_line(cli, tmp_path, content):
    path = tmp_path / "thing.toml"
    path.write_bytes(content)
    result = cli("import", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"debrief: error: {path}")
    assert deck_rows(cli.home, "thing") == []


def test_a_directory_or_missing_file_is_a_clear_error(cli, tmp_path):
    for target in (tmp_path, tmp_path / "missing.toml"):
        result = cli("import", str(target))
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert str(target) in result.stderr


def test_a_deck_claiming_a_bundled_name_is_refused(cli, tmp_path):
    path = write_deck(tmp_path / "roles.toml", toml_card("mine-1"), name="roles")
    result = cli("import", str(path))
    assert result.returncode == 1 and "belongs to a bundled deck" in result.stderr


# -- CSV ---------------------------------------------------------------------------------------


@pytest.fixture
def csv_cli(cli):
    pytest.importorskip("debrief.csvdeck")
    return cli


def test_csv_markup_and_escapes_are_data(csv_cli, tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_text('id,prompt,answer\nh1,"[bold]x[/] \x1b]52;c;aGk=\x07 [/]",ok\n'
                    'h2,"clear \x1b[2J screen",fine\n', encoding="utf-8")
    result = csv_cli("import", str(path))
    assert result.returncode == 0, result.stderr
    prompts = [r[1] for r in deck_rows(csv_cli.home, "hostile")]
    assert prompts == ["[bold]x[/]  [/]", "clear  screen"]


def test_csv_invalid_utf8_is_a_line_error(csv_cli, tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_bytes(b"id,prompt,answer\nh1,ok,ok\nh2,caf\xe9,x\n")
    assert_refused(csv_cli("import", str(path)), path, 3, "not valid UTF-8", csv_cli.home)


def test_csv_duplicate_ids_are_line_errors(csv_cli, tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_text("id,prompt,answer\nh1,one,a\nh2,two,b\nh1,three,c\n", encoding="utf-8")
    result = csv_cli("import", str(path))
    assert_refused(result, path, None, "duplicate id 'h1'", csv_cli.home)
    assert re.search(rf"{re.escape(str(path))}:4:", result.stderr)


def test_csv_one_megabyte_cell_is_refused(csv_cli, tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_text(f"id,prompt,answer\nh1,ok,a\nh2,{'y' * 1_000_000},b\n", encoding="utf-8")
    result = csv_cli("import", str(path))
    assert_refused(result, path, 3, "", csv_cli.home)
    assert "longer than" in result.stderr or "larger than" in result.stderr


def test_csv_ten_megabytes_with_one_bad_row_at_the_end_imports_nothing(csv_cli, tmp_path):
    path = tmp_path / "hostile.csv"
    row = "because " * 1000
    rows = [f"r{i},Question {i}?,answer {i},{row}" for i in range(1300)]
    path.write_text("id,prompt,answer,explanation\n" + "\n".join(rows) + "\nbad,,no prompt,\n",
                    encoding="utf-8")
    assert path.stat().st_size > 10_000_000
    result = csv_cli("import", str(path))
    assert_refused(result, path, 1302, "", csv_cli.home)


def test_csv_an_unclosed_quote_is_a_line_error(csv_cli, tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_text('id,prompt,answer\nh1,ok,a\nh2,"never closed,b\nh3,fine,c\n', encoding="utf-8")
    result = csv_cli("import", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(rf"{re.escape(str(path))}:\d+: ", result.stderr), result.stderr
    assert deck_rows(csv_cli.home, "hostile") == []
