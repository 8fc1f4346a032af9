"""Reading cards from CSV/TSV files: the three formats, stable ids, and every bad row reported."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from debrief.cards import Card
from debrief.csvdeck import parse_csv
from debrief.deckfile import DeckFileError


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def problems(path: Path, deck_name: str | None = None) -> list[str]:
    with pytest.raises(DeckFileError) as caught:
        parse_csv(path, deck_name)
    return [str(problem) for problem in caught.value.problems]


def hashed(deck: str, prompt: str) -> str:
    return f"{deck}-{hashlib.sha256(prompt.encode()).hexdigest()[:10]}"


# --- plain front,back files -----------------------------------------------------------------

def test_two_columns_are_text_cards_with_ids_from_the_front(tmp_path: Path) -> None:
    path = write(tmp_path, "My Cards.csv", 'What is MAE?,Mean absolute error\n"A, B?","C ""D"""\n')
    deck = parse_csv(path)
    assert deck.name == "my-cards"
    assert deck.cards == (
        Card(id=hashed("my-cards", "What is MAE?"), deck="my-cards", kind="text",
             prompt="What is MAE?", answer="Mean absolute error", line=1),
        Card(id=hashed("my-cards", "A, B?"), deck="my-cards", kind="text",
             prompt="A, B?", answer='C "D"', line=2),
    )


def test_ids_stay_the_same_when_rows_move_or_answers_change(tmp_path: Path) -> None:
    first = parse_csv(write(tmp_path, "a.csv", "one,1\ntwo,2\n"), "d")
    second = parse_csv(write(tmp_path, "b.csv", "\ntwo,TWO\none,1\n"), "d")
    assert {c.prompt: c.id for c in first.cards} == {c.prompt: c.id for c in second.cards}


def test_a_front_back_header_row_is_skipped(tmp_path: Path) -> None:
    deck = parse_csv(write(tmp_path, "d.csv", "Front,Back\nq,a\n"))
    assert [(c.prompt, c.answer, c.line) for c in deck.cards] == [("q", "a", 2)]


@pytest.mark.parametrize(("name", "text"), [
    ("d.tsv", "q, with comma\ta; b\n"),
    ("d.csv", "q, with comma\ta; b\n"),
    ("d.csv", 'q with, comma;"a; b; c"\n'),  # more ; than , on the first line
])
def test_the_separator_is_detected(tmp_path: Path, name: str, text: str) -> None:
    (card,) = parse_csv(write(tmp_path, name, text)).cards
    assert card.prompt in ("q, with comma", "q with, comma")


def test_a_byte_order_mark_and_crlf_are_fine(tmp_path: Path) -> None:
    deck = parse_csv(write(tmp_path, "d.csv", "\ufeffq1,a1\r\nq2,\"a\r\nb\"\r\nq3,a3\r\n"))
    assert [(c.prompt, c.line) for c in deck.cards] == [("q1", 1), ("q2", 2), ("q3", 4)]


# --- spreadsheets with a header row ---------------------------------------------------------

def test_a_spreadsheet_with_a_header_row(tmp_path: Path) -> None:
    text = (
        "ID,Kind,Prompt,Answer,Accept,Options,Min_items,Explanation,Tags\n"
        "s-1,list,Name two,F1 | Perplexity | MAE,,,2,Model metrics.,metrics ml-pm\n"
        "s-2,number,Gap?,$20K+,$20k; 20k,,,,\"compensation,money\"\n"
        's-3,choice,Which?,P(A|B),,"P(A|B)\nP(B|A)",,,\n'
        "s-4,recall,Say it,Anything,,,,,\n"
        "s-5,,Default kind,text,,,,,\n"
    )
    cards = parse_csv(write(tmp_path, "sheet.csv", text), "sheet").cards
    assert [(c.id, c.kind, c.line) for c in cards] == [
        ("s-1", "list", 2), ("s-2", "number", 3), ("s-3", "choice", 4), ("s-4", "recall", 6),
        ("s-5", "text", 7)]
    assert cards[0].answer == ("F1", "Perplexity", "MAE") and cards[0].min_items == 2
    assert cards[0].tags == ("metrics", "ml-pm")
    assert cards[1].accept == ("$20k", "20k") and cards[1].tags == ("compensation", "money")
    assert cards[2].options == ("P(A|B)", "P(B|A)")


def test_columns_in_any_order_and_ids_hashed_without_an_id_column(tmp_path: Path) -> None:
    (card,) = parse_csv(write(tmp_path, "d.csv", "answer;prompt;tags\nyes;Ready?;a|b\n"), "d").cards
    assert (card.id, card.prompt, card.answer, card.tags) == (
        hashed("d", "Ready?"), "Ready?", "yes", ("a", "b"))


# --- Anki's text-import format --------------------------------------------------------------

def test_an_anki_export_with_html_and_foreign_guids(tmp_path: Path) -> None:
    text = (
        "#separator:tab\n#html:true\n#tags:imported\n#guid column:1\n#notetype column:2\n"
        "#deck column:3\n#tags column:6\n"
        "f%9W@1Ee\tBasic\tDefault\tA &amp; B &lt; C<br>line two\t<b>bold</b>&nbsp;answer\tleech\n"
        "debrief:roles-001\tDebrief: recall\tDebrief::Roles\tWhich?\tAI PM\tdebrief::roles\n"
    )
    first, second = parse_csv(write(tmp_path, "anki.txt", text), "anki").cards
    assert first.id == hashed("anki", "f%9W@1Ee")
    assert (first.kind, first.prompt, first.answer) == ("text", "A & B < C\nline two", "bold answer")
    assert first.tags == ("leech", "imported")
    assert (second.id, second.kind, second.tags) == ("roles-001", "recall", ("imported",))


def test_a_card_kind_comes_from_the_note_type_when_there_is_no_kind_column(tmp_path: Path) -> None:
    text = "#separator:Comma\n#notetype column:1\nDebrief: recall,Say it,Anything\n"
    (card,) = parse_csv(write(tmp_path, "d.csv", text), "d").cards
    assert (card.kind, card.id) == ("recall", hashed("d", "Say it"))


def test_headers_padded_by_a_spreadsheet_are_read(tmp_path: Path) -> None:
    # LibreOffice pads every line of a re-saved file to the widest row with empty cells.
    text = ("#separator:Comma,,,\n#html:false,,,\n#columns:GUID,Prompt,Answer,Tags\n"
            "#guid column:1,,,\n#tags column:4,,,\ndebrief:x-1,Q?,A,t1 debrief::x\n")
    (card,) = parse_csv(write(tmp_path, "x.csv", text)).cards
    assert (card.id, card.prompt, card.answer, card.tags, card.line) == ("x-1", "Q?", "A", ("t1",), 6)


# --- problems: every one, with file:line ----------------------------------------------------

def test_every_bad_row_is_reported_at_its_line(tmp_path: Path) -> None:
    text = (
        "id,kind,prompt,answer,options,min_items\n"  # 1
        "ok-1,text,Fine,yes,,\n"                       # 2
        "bad-kind,essay,Prompt,answer,,\n"             # 3
        'multi,text,"two\nlines",,,\n'                 # 4-5: no answer
        "bad-choice,choice,Pick,C,A|B,\n"              # 6
        ",text,No id,x,,\n"                            # 7
        "ok-1,text,Again,yes,,\n"                      # 8
        "bad-min,list,List,a;b,,three\n"               # 9
        "bad id!,text,P,A,,\n"                         # 10
    )
    path = write(tmp_path, "deck.csv", text)
    assert problems(path) == [
        f"{path}:3: unknown kind 'essay' (one of: text, list, number, choice, recall)",
        f"{path}:4: card has no answer",
        f"{path}:6: answer 'C' is not among the options",
        f"{path}:7: card has no id",
        f"{path}:8: duplicate id 'ok-1' (first at line 2)",
        f"{path}:9: min_items must be a positive whole number",
        f"{path}:10: id 'bad id!' must be 1-64 letters, digits, '.', ':', '_' or '-'",
    ]


def test_the_same_front_twice_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "q,a\nother,b\nq,c\n")
    assert problems(path) == [
        f"{path}:3: same prompt as line 1 (a card without an id gets one from its prompt)"]


@pytest.mark.parametrize(("text", "expected"), [
    ("q,a\nq2,a2,extra\n", "2: row has 3 cells; expected 2 (front, back; add a header row to "
                           "name more columns)"),
    ('q,a\nq2,"never closed\nmore\n', '2: a quoted cell is not closed (a " is missing)'),
    ("id,prompt,answr\nx,y,z\n", "1: unknown column 'answr' (known: id, kind, prompt, answer, "
                                 "accept, options, min_items, explanation, tags, group, "
                                     "keywords, rubric)"),
    ("#separator:Bogus\nq,a\n", "1: unknown separator 'Bogus' (one of: Comma, Semicolon, Tab, "
                                "Space, Pipe, Colon)"),
    ("#separator:Comma\n#guid column:first\nq,a\n",
     "2: #guid column must be a column number (1, 2, ...), not 'first'"),
    ("#separator:Comma\n#columns:Front,Back,Mystery\nq,a,b\n",
     "2: unknown column 'Mystery' (known: Prompt, Answer, Explanation, Options, Accepted, Kind, "
     "Min items, Tags, GUID, Group, Keywords, Rubric)"),
    (b"q,a\nq2,caf\xe9\n", "2: not valid UTF-8 (byte 0xe9)"),
])
def test_malformed_files_are_reported_with_file_and_line(tmp_path: Path, text: str | bytes,
                                                         expected: str) -> None:
    path = write(tmp_path, "d.csv", text)
    assert f"{path}:{expected}" in problems(path)


@pytest.mark.parametrize(("name", "text", "deck_name", "expected"), [
    ("empty.csv", "", None, "no cards in the file"),
    ("blank.csv", "\n,\n\n", None, "no cards in the file"),
    ("!!!.csv", "q,a\n", None, "deck name '' must be 1-40 lowercase letters, digits, - or _ "
                               "(made from the file name; give a deck name)"),
    ("d.csv", "q,a\n", "Bad Name", "deck name 'Bad Name' must be 1-40 lowercase letters, "
                                   "digits, - or _"),
])
def test_file_level_problems(tmp_path: Path, name: str, text: str, deck_name: str | None,
                             expected: str) -> None:
    path = write(tmp_path, name, text)
    assert problems(path, deck_name) == [f"{path}: {expected}"]


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    assert problems(tmp_path / "nope.csv") == [f"{tmp_path / 'nope.csv'}: no such file"]


def test_control_characters_are_stripped(tmp_path: Path) -> None:
    (card,) = parse_csv(write(tmp_path, "d.tsv", "q\x1b[2J\ta\x1b]52;c;aGk=\x07\n"), "d").cards
    assert (card.prompt, card.answer) == ("q", "a")
