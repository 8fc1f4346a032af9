"""CSV columns for a card's sibling group, keywords and rubric: exported, read back (Anki's format
and a spreadsheet's), refused where the deck format refuses them, and older files without the
columns still import as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from debrief.cards import Card, Deck
from debrief.csvdeck import parse_csv
from debrief.deckfile import DeckFileError
from debrief.export.csvfile import export_csv

CARDS = (
    Card(id="g-text", deck="g", kind="text", prompt="Tail latency metric?", answer="p99",
         keywords=("p99", "tail latency"), group="latency"),
    Card(id="g-recall", deck="g", kind="recall", prompt="Explain tail latency.",
         answer="The slowest requests.", group="latency",
         rubric=("=names a percentile", "why the tail matters; users feel it", "an example")),
    Card(id="g-list", deck="g", kind="list", prompt="Two percentiles?", answer=("p50", "p99")),
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_group_keywords_and_rubric_round_trip(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"g{suffix}"
    export_csv([Deck(name="g", title="g", cards=CARDS)], path)
    back = parse_csv(path).cards
    assert [(c.id, c.group, c.keywords, c.rubric) for c in back] == [
        (c.id, c.group, c.keywords, c.rubric) for c in CARDS]


def test_a_csv_exported_before_the_new_columns_still_imports(tmp_path: Path) -> None:
    # Exactly what `debrief export csv` wrote before these columns existed.
    old = (
        "#separator:Comma\n#html:false\n"
        "#columns:GUID,Note type,Deck,Prompt,Answer,Explanation,Options,Accepted,Instruction,"
        "Kind,Min items,Tags\n"
        "#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:12\n"
        "debrief:o-1,Debrief: typed answer,Debrief::Old,Q one?,one,Why.,,uno,Type it,text,,"
        "debrief::old t1\n"
        'debrief:o-2,Debrief: compare,Debrief::Old,Two?,"a\nb",,,,List them,list,2,debrief::old\n'
    )
    first, second = parse_csv(write(tmp_path, "old.csv", old)).cards
    assert (first.id, first.answer, first.accept, first.tags) == ("o-1", "one", ("uno",), ("t1",))
    assert (second.id, second.answer, second.min_items) == ("o-2", ("a", "b"), 2)
    assert all(c.group is None and not c.keywords and not c.rubric for c in (first, second))


def test_an_anki_file_without_a_columns_header_reads_the_new_columns_by_position(
        tmp_path: Path) -> None:
    text = ("#separator:Tab\n#guid column:1\n#tags column:10\n"
            "debrief:p-1\tQ?\tA\t\t\t\t\ttext\t\tt1\tgrp\tkw one\n")
    (card,) = parse_csv(write(tmp_path, "pos.tsv", text)).cards
    assert (card.id, card.group, card.keywords, card.tags) == ("p-1", "grp", ("kw one",), ("t1",))


def test_a_spreadsheet_names_group_keywords_and_rubric_columns(tmp_path: Path) -> None:
    text = ("id,kind,prompt,answer,group,keywords,rubric\n"
            "s-1,text,Metric?,recall,metrics,recall | sensitivity,\n"
            "s-2,recall,Explain it.,Anything,metrics,,one point; another point\n")
    first, second = parse_csv(write(tmp_path, "sheet.csv", text), "sheet").cards
    assert (first.group, first.keywords, first.rubric) == ("metrics", ("recall", "sensitivity"), ())
    assert (second.group, second.rubric) == ("metrics", ("one point", "another point"))


def test_the_deck_formats_rules_hold_for_the_new_columns(tmp_path: Path) -> None:
    text = ("id,kind,prompt,answer,group,keywords,rubric\n"
            "b-1,recall,Explain.,Anything,,a keyword,\n"
            "b-2,text,Q?,A,,,a rubric point\n"
            "b-3,text,Q?,A,bad group!,,\n")
    with pytest.raises(DeckFileError) as caught:
        parse_csv(write(tmp_path, "bad.csv", text), "bad")
    messages = [str(p) for p in caught.value.problems]
    assert any(":2:" in m and "keywords apply only to text cards" in m for m in messages)
    assert any(":3:" in m and "rubric applies only to recall cards" in m for m in messages)
    assert any(":4:" in m and "group 'bad group!'" in m for m in messages)
