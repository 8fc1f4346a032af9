"""The CSV export: Anki's text-import format, read back by parse_csv and by Anki itself."""

from __future__ import annotations

import csv
import html
import io
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from anki.collection import (
    Collection,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportCsvRequest,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debrief.cards import Card, Deck, clean_text
from debrief.csvdeck import parse_csv
from debrief.deckfile import load_deck, load_decks
from debrief.export import ExportError
from debrief.export.anki import export_apkg, note_fields
from debrief.export.csvfile import COLUMNS, export_csv
from debrief.export.notes import guid_for

REPO = Path(__file__).resolve().parents[2]

TRICKY_TOML = '''
[deck]
name = "tricky"

[[cards]]
id = "t-text"
prompt = "What does \\"latency < 300ms\\" promise, in one line?"
answer = "A & B"
explanation = "[bold]not markup[/]\\nsecond line, with a comma; and a semicolon"
tags = ["ai-pm", "metrics"]
group = "latency:pair"
keywords = ["latency", "=p95, \\"tail\\""]

[[cards]]
id = "t-number"
kind = "number"
prompt = "#1 gap? It's $20K+"
answer = "$20K+"
accept = ["$20k", "20k", "$20,000"]

[[cards]]
id = "t-list"
kind = "list"
prompt = "Name two"
answer = ["P(A|B)", "F1; macro", "tab\\there", "=SUM(A1)"]
min_items = 2

[[cards]]
id = "t-choice"
kind = "choice"
prompt = "Which is the posterior?"
answer = "P(A|B)"
options = ["P(A|B)", "P(B|A)", "'single' & \\"double\\""]

[[cards]]
id = "t-recall"
kind = "recall"
prompt = "Say it"
answer = "First line\\nSecond line"
group = "latency:pair"
rubric = ["names the metric; and why", "-gives a number", "'quoted' & \\"double\\""]
'''


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> Deck:
    path = tmp_path_factory.mktemp("decks") / "tricky.toml"
    path.write_text(TRICKY_TOML, encoding="utf-8")
    return load_deck(path)


@pytest.fixture(scope="module")
def bundled() -> list[Deck]:
    return load_decks(sorted((REPO / "decks").glob("*.toml")))


def comparable(cards: tuple[Card, ...], deck: str) -> list[Card]:
    """The cards as a CSV can give them back: every field, but read from another file."""
    return [replace(card, line=0, deck=deck) for card in cards]


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_round_trip_gives_back_equal_cards(tmp_path: Path, tricky: Deck, suffix: str) -> None:
    path = tmp_path / f"tricky{suffix}"
    assert export_csv([tricky], path) == len(tricky.cards)
    back = parse_csv(path)
    assert back.name == "tricky"
    assert comparable(back.cards, "tricky") == comparable(tricky.cards, "tricky")


def test_round_trip_survives_windows_line_endings(tmp_path: Path, tricky: Deck) -> None:
    path = tmp_path / "tricky.csv"
    export_csv([tricky], path)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert comparable(parse_csv(path).cards, "tricky") == comparable(tricky.cards, "tricky")


def test_round_trip_of_every_bundled_deck(tmp_path: Path, bundled: list[Deck]) -> None:
    for deck in bundled:
        path = tmp_path / f"{deck.name}.csv"
        export_csv([deck], path)
        assert comparable(parse_csv(path).cards, deck.name) == comparable(deck.cards, deck.name)


def test_several_decks_come_back_as_one(tmp_path: Path, bundled: list[Deck]) -> None:
    path = tmp_path / "all.csv"
    export_csv(bundled, path)
    back = parse_csv(path, deck_name="everything")
    assert comparable(back.cards, "everything") == comparable(
        tuple(card for deck in bundled for card in deck.cards), "everything")


def test_the_file_starts_with_anki_headers(tmp_path: Path, tricky: Deck) -> None:
    path = tmp_path / "tricky.csv"
    export_csv([tricky], path)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[:7] == [
        "#separator:Comma",
        "#html:false",
        "#columns:GUID,Note type,Deck,Prompt,Answer,Explanation,Options,Accepted,Instruction,"
        "Kind,Min items,Tags,Group,Keywords,Rubric",
        "#guid column:1",
        "#notetype column:2",
        "#deck column:3",
        "#tags column:12",
    ]
    rows = list(csv.reader(io.StringIO("".join(text.splitlines(keepends=True)[7:]))))
    first = dict(zip(COLUMNS, rows[0], strict=True))
    assert first["GUID"] == "debrief:t-text"
    assert first["Note type"] == "Debrief: typed answer"
    assert first["Deck"] == "Debrief::Tricky"
    assert first["Prompt"] == 'What does "latency < 300ms" promise, in one line?'
    assert first["Tags"] == "debrief::tricky ai-pm metrics"
    assert (first["Group"], first["Keywords"]) == ("latency:pair", 'latency\n=p95, "tail"')
    list_row = dict(zip(COLUMNS, rows[2], strict=True))
    assert list_row["Answer"] == "P(A|B)\nF1; macro\ntab\there\n=SUM(A1)"
    recall_row = dict(zip(COLUMNS, rows[4], strict=True))
    assert recall_row["Rubric"] == "names the metric; and why\n-gives a number\n'quoted' & \"double\""
    assert recall_row["Group"] == "latency:pair" and recall_row["Keywords"] == ""


def test_tsv_is_tab_separated(tmp_path: Path, tricky: Deck) -> None:
    path = tmp_path / "tricky.tsv"
    export_csv([tricky], path)
    assert path.read_text(encoding="utf-8").startswith("#separator:Tab\n#html:false\n#columns:GUID\t")


def test_anki_reads_the_headers(tmp_path: Path, tricky: Deck) -> None:
    path = tmp_path / "tricky.csv"
    export_csv([tricky], path)
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        metadata = col.get_csv_metadata(str(path), None)
    finally:
        col.close()
    assert (metadata.guid_column, metadata.notetype_column, metadata.deck_column,
            metadata.tags_column) == (1, 2, 3, 12)
    assert not metadata.is_html
    assert list(metadata.column_labels) == list(COLUMNS)


def test_anki_imports_the_csv_onto_the_notes_of_the_apkg(tmp_path: Path, tricky: Deck) -> None:
    # The note types come with the .apkg; the CSV then updates those notes by GUID and ends
    # with the same fields, except a list answer, which the CSV keeps one item per line.
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        apkg, table = tmp_path / "tricky.apkg", tmp_path / "tricky.csv"
        export_apkg([tricky], apkg, now=datetime(2025, 3, 1, tzinfo=UTC))
        col.import_anki_package(ImportAnkiPackageRequest(
            package_path=str(apkg), options=ImportAnkiPackageOptions()))
        export_csv([tricky], table)
        log = col.import_csv(ImportCsvRequest(
            path=str(table), metadata=col.get_csv_metadata(str(table), None))).log
        assert not log.new and not log.missing_notetype and not log.conflicting
        assert col.note_count() == len(tricky.cards)
        notes = {note.guid: note for note in map(col.get_note, col.find_notes(""))}
        for card in tricky.cards:
            note = notes[guid_for(card)]
            expected = note_fields(card)
            if card.kind == "list":
                expected[1] = "<br>".join(html.escape(item) for item in card.answer)
            assert note.fields == expected, card.id
            assert sorted(note.tags) == sorted(["debrief::tricky", *card.tags])
    finally:
        col.close()


def test_tags_with_spaces_become_underscores(tmp_path: Path, tricky: Deck) -> None:
    spaced = replace(tricky, cards=(replace(tricky.cards[0], tags=("product sense", "ai-pm")),))
    export_csv([spaced], tmp_path / "x.csv")
    assert parse_csv(tmp_path / "x.csv", "x").cards[0].tags == ("product_sense", "ai-pm")


def test_an_item_with_a_line_break_is_refused_and_nothing_written(tmp_path: Path,
                                                                  tricky: Deck) -> None:
    broken = replace(tricky, cards=(replace(tricky.cards[3], options=("a\nb", "c"), answer="c"),))
    with pytest.raises(ExportError, match="t-choice.*line break"):
        export_csv([broken], tmp_path / "x.csv")
    assert list(tmp_path.iterdir()) == []


def test_progress_counts_every_row(tmp_path: Path, tricky: Deck) -> None:
    calls: list[tuple[int, int]] = []
    export_csv([tricky], tmp_path / "x.csv", lambda done, total: calls.append((done, total)))
    total = len(tricky.cards)
    assert calls == [(done, total) for done in range(total + 1)]


@pytest.mark.parametrize("target", ["missing/x.csv", "."])
def test_a_path_that_cannot_be_written_is_a_clear_error(tmp_path: Path, tricky: Deck,
                                                       target: str) -> None:
    with pytest.raises(ExportError, match="cannot write"):
        export_csv([tricky], tmp_path / target)


# Text as the deck loader leaves it: no control characters, no surrounding whitespace.
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1,
                max_size=40).map(lambda t: clean_text(t).strip()).filter(bool)
_item = _text.filter(lambda t: "\n" not in t)
_tag = st.from_regex(r"[A-Za-z0-9_:+.-]{1,12}", fullmatch=True).filter(
    lambda t: not t.lower().startswith("debrief::"))
_group = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}", fullmatch=True)


@st.composite
def _cards(draw: st.DrawFn) -> list[Card]:
    cards = []
    for number in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["text", "number", "list", "choice", "recall"]))
        answer: str | tuple[str, ...] = draw(_text)
        options: tuple[str, ...] = ()
        min_items = None
        if kind == "list":
            answer = tuple(draw(st.lists(_item, min_size=1, max_size=4)))
            min_items = draw(st.none() | st.integers(1, len(answer)))
        if kind == "choice":
            options = tuple(draw(st.lists(_item, min_size=2, max_size=4, unique=True)))
            answer = draw(st.sampled_from(options))
        tags = draw(st.lists(_tag, max_size=3, unique_by=str.casefold))
        cards.append(Card(
            id=f"c-{number}", deck="prop", kind=kind, prompt=draw(_text), answer=answer,
            # The loader refuses accept on list and recall cards (nothing would read it).
            accept=() if kind in ("list", "recall") else tuple(draw(st.lists(_item, max_size=3))),
            options=options,
            min_items=min_items, explanation=draw(st.just("") | _text), tags=tuple(tags),
            group=draw(st.none() | _group),
            # The loader takes keywords on text cards only, a rubric on recall cards only.
            keywords=tuple(draw(st.lists(_item, max_size=3))) if kind == "text" else (),
            rubric=tuple(draw(st.lists(_item, max_size=4))) if kind == "recall" else ()))
    return cards


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cards=_cards(), suffix=st.sampled_from([".csv", ".tsv"]))
def test_round_trip_of_any_card_text(tmp_path: Path, cards: list[Card], suffix: str) -> None:
    path = tmp_path / f"prop{suffix}"
    export_csv([Deck(name="prop", title="prop", cards=tuple(cards))], path)
    assert comparable(parse_csv(path).cards, "prop") == comparable(tuple(cards), "prop")
