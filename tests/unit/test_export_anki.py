"""The .apkg export, imported with the official anki package into a real collection."""

from __future__ import annotations

import html
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from debrief.cards import Card, Deck
from debrief.deckfile import load_deck, load_decks
from debrief.export import ExportError
from debrief.export.anki import export_apkg, note_fields
from debrief.export.notes import (
    CHOICE,
    COMPARE,
    FIELDS,
    PARENT_DECK_ID,
    RECALL,
    TYPED,
    anki_deck_name,
    deck_id,
    guid_for,
)

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

TRICKY_TOML = '''
[deck]
name = "tricky"
title = "Tricky <text> & friends"
description = "Cards whose text would break a careless exporter."

[[cards]]
id = "t-text"
kind = "text"
prompt = "What does \\"latency < 300ms\\" promise?"
answer = "A & B"
explanation = "[bold]not markup[/]\\nsecond line with <script>alert(1)</script>"
tags = ["product sense", "ai-pm"]

[[cards]]
id = "t-number"
kind = "number"
prompt = "What's the negotiation gap? It's $20K+"
answer = "$20K+"
accept = ["$20k", "20k", "$20,000"]
tags = ["compensation"]

[[cards]]
id = "t-list"
kind = "list"
prompt = "Name two of these (any order)"
answer = ["P(A|B)", "F1; macro", "<b>bold</b>"]
min_items = 2

[[cards]]
id = "t-choice"
kind = "choice"
prompt = "Which is Bayes' posterior?"
answer = "P(A|B)"
options = ["P(A|B)", "P(B|A)", "'single' & \\"double\\""]
explanation = "Posterior: A given B."

[[cards]]
id = "t-recall"
kind = "recall"
prompt = "Say it in one sentence"
answer = "First line\\nSecond line [/]"
tags = ["roles", "ROLES"]
'''


def import_apkg(collection: Collection, path: Path, merge_notetypes: bool = False):
    """Import as Anki desktop does by default (no notetype merge, update notes if newer)."""
    request = ImportAnkiPackageRequest(
        package_path=str(path),
        options=ImportAnkiPackageOptions(merge_notetypes=merge_notetypes, with_scheduling=False),
    )
    return collection.import_anki_package(request).log


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> Deck:
    path = tmp_path_factory.mktemp("decks") / "tricky.toml"
    path.write_text(TRICKY_TOML, encoding="utf-8")
    return load_deck(path)


@pytest.fixture(scope="module")
def bundled() -> list[Deck]:
    return load_decks(sorted((REPO / "decks").glob("*.toml")))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, tricky: Deck,
             bundled: list[Deck]) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("export") / "debrief.apkg"
    return path, export_apkg([tricky, *bundled], path, now=NOW)


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory,
               exported: tuple[Path, int]) -> Iterator[tuple[Collection, object]]:
    col = Collection(str(tmp_path_factory.mktemp("anki") / "collection.anki2"))
    log = import_apkg(col, exported[0])
    yield col, log
    col.close()


def note_for(col: Collection, card: Card):
    """The one note in `col` with the card's GUID."""
    notes = [note for note in map(col.get_note, col.find_notes("")) if note.guid == guid_for(card)]
    assert len(notes) == 1, f"{card.id}: {len(notes)} notes"
    return notes[0]


def all_cards(tricky: Deck, bundled: list[Deck]) -> list[Card]:
    return [card for deck in (tricky, *bundled) for card in deck.cards]


# --- golden values: these must never change between releases ---------------------------------

def test_note_type_ids_and_names_never_change() -> None:
    assert (TYPED.id, TYPED.name) == (2048991860, "Debrief: typed answer")
    assert (CHOICE.id, CHOICE.name) == (2081252718, "Debrief: choice")
    assert (RECALL.id, RECALL.name) == (1495854804, "Debrief: recall")
    assert (COMPARE.id, COMPARE.name) == (1837046129, "Debrief: compare")


def test_fields_are_only_ever_appended() -> None:
    golden = ("Prompt", "Answer", "Explanation", "Options", "Accepted", "Instruction", "Kind",
              "Min items")
    assert FIELDS[: len(golden)] == golden


@pytest.mark.parametrize(("name", "expected"), [
    ("roles", 1472494332),
    ("duties", 1692755142),
    ("compensation", 1611440372),
    ("interviews", 1956254414),
    ("metrics", 1329218550),
    ("mistakes", 1625248046),
    ("prep", 1412660982),
    ("skills", 1808673137),
    ("my-own-deck", 2020091615),
])
def test_deck_ids_never_change(name: str, expected: int) -> None:
    assert deck_id(name) == expected
    assert 1 << 30 <= deck_id(name) < 1 << 31


def test_parent_deck_id_and_names_never_change() -> None:
    assert PARENT_DECK_ID == 1219716218
    assert anki_deck_name("duties") == "Debrief::Duties"
    assert anki_deck_name("system_design") == "Debrief::System Design"
    assert anki_deck_name("ml-metrics") == "Debrief::Ml-Metrics"


def test_guid_is_the_card_id() -> None:
    card = Card(id="roles-001", deck="roles", kind="recall", prompt="p", answer="a")
    assert guid_for(card) == "debrief:roles-001"


# --- importing into Anki --------------------------------------------------------------------

def test_every_card_arrives_as_one_new_note(collection, exported, tricky, bundled) -> None:
    col, log = collection
    cards = all_cards(tricky, bundled)
    assert exported[1] == len(cards)
    assert len(log.new) == len(cards)
    assert not log.duplicate and not log.conflicting
    assert col.note_count() == len(cards)
    assert sorted(col.get_note(nid).guid for nid in col.find_notes("")) == sorted(
        guid_for(card) for card in cards)


def test_every_field_equals_the_card_text(collection, tricky, bundled) -> None:
    col, _ = collection
    for card in all_cards(tricky, bundled):
        note = note_for(col, card)
        assert note.fields == note_fields(card)
        text = {name: html.unescape(value.replace("<br>", "\n"))
                for name, value in zip(FIELDS, note.fields, strict=True)}
        assert text["Prompt"] == card.prompt
        assert text["Answer"] == card.answer_text
        assert text["Explanation"] == card.explanation
        assert text["Options"].split("\n") == list(card.options) or not card.options
        assert text["Accepted"].split("\n") == list(card.accept) or not card.accept
        assert text["Kind"] == card.kind


@pytest.mark.parametrize(("card_id", "field", "stored"), [
    ("t-text", "Prompt", "What does &quot;latency &lt; 300ms&quot; promise?"),
    ("t-text", "Answer", "A &amp; B"),
    ("t-text", "Explanation",
     "[bold]not markup[/]<br>second line with &lt;script&gt;alert(1)&lt;/script&gt;"),
    ("t-number", "Prompt", "What&#x27;s the negotiation gap? It&#x27;s $20K+"),
    ("t-number", "Accepted", "$20k<br>20k<br>$20,000"),
    ("t-list", "Answer", "P(A|B), F1; macro, &lt;b&gt;bold&lt;/b&gt;"),
    ("t-list", "Instruction", "List at least 2 of the 3 items (any order)"),
    ("t-list", "Min items", "2"),
    ("t-choice", "Options", "P(A|B)<br>P(B|A)<br>&#x27;single&#x27; &amp; &quot;double&quot;"),
    ("t-recall", "Answer", "First line<br>Second line [/]"),
])
def test_fields_are_html_escaped(collection, tricky, card_id, field, stored) -> None:
    col, _ = collection
    card = next(card for card in tricky.cards if card.id == card_id)
    assert note_for(col, card)[field] == stored


def test_note_type_deck_and_tags(collection, tricky, bundled) -> None:
    col, _ = collection
    expected_type = {"text": TYPED, "number": COMPARE, "list": COMPARE, "choice": CHOICE,
                     "recall": RECALL}
    for card in all_cards(tricky, bundled):
        note = note_for(col, card)
        assert note.note_type()["name"] == expected_type[card.kind].name
        (anki_card,) = note.cards()
        assert col.decks.name(anki_card.did) == anki_deck_name(card.deck)
        assert f"debrief::{card.deck}" in note.tags
    assert note_for(col, tricky.cards[0]).tags == ["ai-pm", "debrief::tricky", "product_sense"]
    # Anki tags ignore case: "roles" and "ROLES" are one tag.
    assert note_for(col, tricky.cards[4]).tags == ["debrief::tricky", "roles"]
    assert "Debrief" in {deck.name for deck in col.decks.all_names_and_ids()}


def test_templates_render_the_card(collection, tricky, bundled) -> None:
    col, _ = collection
    for card in all_cards(tricky, bundled):
        note = note_for(col, card)
        (anki_card,) = note.cards()
        question, answer = anki_card.question(), anki_card.answer()
        assert note["Prompt"] in question and note["Prompt"] in answer
        if card.explanation:
            assert note["Explanation"] in answer
        if card.kind == "text":
            assert "[[type:Answer]]" in question and "[[type:Answer]]" in answer
            assert note["Instruction"] in question
            # What the user would see after typing the exact answer: all of it correct.
            comparison = col.compare_answer(note["Answer"], card.answer_text)
            assert "typeBad" not in comparison and "typeMissed" not in comparison
        elif card.kind in ("number", "list"):
            # Shown to compare against: a type-in would mark "20k" for "$20K+", or the items
            # in another order, wrong.
            assert "[[type:" not in question and "[[type:" not in answer
            assert note["Instruction"] in question
            shown = f'<div class="answer">{note["Answer"]}</div>'
            assert shown in answer and shown not in question
        else:
            assert note["Answer"] in answer and note["Answer"] not in question.replace(
                note["Options"], "")
        if card.kind == "choice":
            assert note["Options"] in question


def test_escaped_text_renders_as_text_not_markup(collection, tricky) -> None:
    col, _ = collection
    (anki_card,) = note_for(col, tricky.cards[0]).cards()
    answer = anki_card.answer()
    assert "<script>" not in answer and "&lt;script&gt;" in answer
    assert "[bold]not markup[/]" in answer
    comparison = col.compare_answer(note_for(col, tricky.cards[0])["Answer"], "A & B")
    assert "A &amp; B" in comparison and "typeBad" not in comparison


def test_reimporting_an_edited_export_updates_the_note_in_place(tmp_path: Path, tricky) -> None:
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        first = tmp_path / "first.apkg"
        export_apkg([tricky], first, now=NOW)
        import_apkg(col, first)
        edited_card = replace(tricky.cards[0], prompt="Edited: latency < 200ms?", answer="C & D")
        edited = replace(tricky, cards=(edited_card, *tricky.cards[1:]))
        second = tmp_path / "second.apkg"
        export_apkg([edited], second, now=NOW + timedelta(minutes=5))
        log = import_apkg(col, second)

        # Anki counts every note of the newer export as updated; none is added.
        assert not log.new and not log.conflicting and not log.duplicate
        assert len(log.updated) == len(tricky.cards)
        assert "Edited: latency < 200ms?" in [entry.fields[0] for entry in log.updated]
        assert col.note_count() == len(tricky.cards)
        note = note_for(col, edited_card)
        assert (note["Prompt"], note["Answer"]) == ("Edited: latency &lt; 200ms?", "C &amp; D")
    finally:
        col.close()


def test_reimporting_the_same_export_adds_nothing(tmp_path: Path, tricky) -> None:
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        path = tmp_path / "debrief.apkg"
        export_apkg([tricky], path, now=NOW)
        import_apkg(col, path)
        export_apkg([tricky], path, now=NOW + timedelta(days=1))
        log = import_apkg(col, path)
        assert not log.new
        assert col.note_count() == len(tricky.cards)
    finally:
        col.close()


# --- the file itself ------------------------------------------------------------------------

def test_progress_counts_every_note(tmp_path: Path, tricky) -> None:
    calls: list[tuple[int, int]] = []
    count = export_apkg([tricky], tmp_path / "x.apkg", lambda done, total: calls.append((done, total)))
    assert count == len(tricky.cards)
    assert calls[0] == (0, count) and calls[-1] == (count, count)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_package_holds_a_collection_and_no_media(tmp_path: Path, tricky) -> None:
    path = tmp_path / "x.apkg"
    export_apkg([tricky], path, now=NOW)
    with zipfile.ZipFile(path) as package:
        assert sorted(package.namelist()) == ["collection.anki2", "media"]
        assert package.read("media") == b"{}"


def test_the_file_gets_ordinary_permissions(tmp_path: Path, tricky) -> None:
    old = os.umask(0o022)
    try:
        export_apkg([tricky], tmp_path / "x.apkg")
    finally:
        os.umask(old)
    assert (tmp_path / "x.apkg").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(("target", "reason"), [
    ("missing/dir/x.apkg", "missing/dir does not exist"),
    ("a-file/x.apkg", "a-file is not a directory"),
    (".", "it is a directory"),
])
def test_a_path_that_cannot_be_written_is_a_clear_error(tmp_path: Path, tricky, target,
                                                        reason) -> None:
    (tmp_path / "a-file").write_text("")
    with pytest.raises(ExportError, match=f"^cannot write {re.escape(str(tmp_path / target))}: .*{reason}"):
        export_apkg([tricky], tmp_path / target)


def test_permission_denied_is_a_clear_error(tmp_path: Path, tricky, monkeypatch) -> None:
    # Root ignores directory permissions, so the refusal is injected where the file is opened.
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("debrief.export.atomic.os.open", refuse)
    with pytest.raises(ExportError, match="cannot write .*x.apkg: Permission denied"):
        export_apkg([tricky], tmp_path / "x.apkg")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_a_read_only_directory_is_a_clear_error(tmp_path: Path, tricky) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(ExportError, match="Permission denied"):
        export_apkg([tricky], locked / "x.apkg")


def test_a_failed_export_leaves_the_old_file_and_no_temporary(tmp_path: Path, tricky,
                                                              monkeypatch) -> None:
    path = tmp_path / "debrief.apkg"
    path.write_bytes(b"the previous export")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", fail)
    with pytest.raises(ExportError, match="No space left on device"):
        export_apkg([tricky], path)
    assert path.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["debrief.apkg"]


def test_a_card_id_used_twice_is_refused(tmp_path: Path, tricky) -> None:
    other = replace(tricky, name="other", cards=tricky.cards[:1])
    with pytest.raises(ExportError, match="t-text"):
        export_apkg([tricky, other], tmp_path / "x.apkg")
    assert not (tmp_path / "x.apkg").exists()


def test_a_naive_time_is_refused(tmp_path: Path, tricky) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        export_apkg([tricky], tmp_path / "x.apkg", now=datetime(2025, 1, 1))


def test_a_card_that_changes_kind_updates_when_note_types_are_merged(tmp_path: Path,
                                                                     tricky) -> None:
    # A kind change moves the note to another note type. Anki's default import reports that
    # as a conflict and keeps the old note; with "Merge note types" ticked it updates it.
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        export_apkg([tricky], tmp_path / "first.apkg", now=NOW)
        import_apkg(col, tmp_path / "first.apkg")
        recall = replace(tricky.cards[0], kind="recall")
        changed = replace(tricky, cards=(recall, *tricky.cards[1:]))
        export_apkg([changed], tmp_path / "second.apkg", now=NOW + timedelta(minutes=5))
        assert len(import_apkg(col, tmp_path / "second.apkg").conflicting) == 1
        log = import_apkg(col, tmp_path / "second.apkg", merge_notetypes=True)
        assert not log.new and not log.conflicting
        assert note_for(col, recall).note_type()["name"] == RECALL.name
        assert col.note_count() == len(tricky.cards)
    finally:
        col.close()
