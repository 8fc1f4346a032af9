"""The deck-file loader: valid decks load; every problem is reported at once as file:line."""

from __future__ import annotations

import pytest

from debrief.deckfile import DeckFileError, load_deck, load_decks
from debrief.locations import bundled_deck_files

GOOD = '''
[deck]
name = "demo"
title = "Demo"

[[cards]]
id = "d-1"
kind = "text"
prompt = "What does MAE stand for?"
answer = "Mean Absolute Error"
accept = ["MAE"]
explanation = "Average absolute difference."
tags = ["metrics"]

[[cards]]
id = "d-2"
kind = "list"
prompt = "Two model metrics?"
answer = ["F1 score", "Perplexity"]

[[cards]]
id = "d-3"
kind = "choice"
prompt = "Who owns the loss function?"
answer = "ML PM"
options = ["AI PM", "ML PM"]
'''


def write(tmp_path, text, name="demo.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_deck_loads_with_its_cards(tmp_path):
    deck = load_deck(write(tmp_path, GOOD))
    assert deck.name == "demo"
    assert [c.id for c in deck.cards] == ["d-1", "d-2", "d-3"]
    assert deck.cards[1].answer == ("F1 score", "Perplexity")
    assert deck.cards[0].grading_spec() == {"expected": "Mean Absolute Error", "kind": "text",
                                           "accept": ["MAE"]}
    assert deck.cards[2].grading_spec()["options"] == ["AI PM", "ML PM"]


def card(body: str) -> str:
    return f'[deck]\nname = "demo"\n\n[[cards]]\n{body}\n'


@pytest.mark.parametrize(("body", "line", "message"), [
    ('id = "a"\nkind = "essay"\nprompt = "p"\nanswer = "x"', 6, "unknown kind 'essay'"),
    ('id = "a"\nkind = "text"\nprompt = "p"', 4, "card has no answer"),
    ('id = "a"\nkind = "text"\nanswer = "x"', 4, "card has no prompt"),
    ('kind = "text"\nprompt = "p"\nanswer = "x"', 4, "card has no id"),
    ('id = "a"\nkind = "choice"\nprompt = "p"\nanswer = "C"\noptions = ["A", "B"]', 8,
     "answer 'C' is not among the options"),
    ('id = "a"\nkind = "choice"\nprompt = "p"\nanswer = "A"\noptions = ["A"]', 9,
     "a choice card needs at least two options"),
    ('id = "a"\nkind = "text"\nprompt = "p"\nanswer = "x"\nmin_items = 2', 9,
     "min_items applies only to list cards"),
    ('id = "a"\nkind = "list"\nprompt = "p"\nanswer = ["x", "y"]\nmin_items = 3', 9,
     "min_items 3 is more than the 2 items"),
    ('id = "a b"\nkind = "text"\nprompt = "p"\nanswer = "x"', 5, "id 'a b' must be"),
    ('id = "a"\nkind = "text"\nprompt = "p"\nanswer = "x"\ncolour = "red"', 9, "unknown card field 'colour'"),
    ('id = "a"\nkind = "text"\nprompt = "p"\nanswer = 42', 8, "answer must be a string or a list"),
    ('id = "a"\nkind = "list"\nprompt = "p"\nanswer = ["x", "y"]\naccept = ["z"]', 9,
     "accept does not apply to list cards"),
    ('id = "a"\nkind = "recall"\nprompt = "p"\nanswer = "x"\naccept = ["z"]', 9,
     "accept does not apply to recall cards"),
    ('id = "a"\nkind = "text"\nprompt = "p"\nanswer = "x"\ngroup = "a b"', 9, "group 'a b' must be"),
    ('id = "a"\nkind = "list"\nprompt = "p"\nanswer = ["x", "y"]\nkeywords = ["x"]', 9,
     "keywords apply only to text cards"),
    ('id = "a"\nkind = "text"\nprompt = "p"\nanswer = "x"\nrubric = ["x"]', 9,
     "rubric applies only to recall cards"),
])
def test_each_problem_is_reported_with_its_line(tmp_path, body, line, message):
    path = write(tmp_path, card(body))
    with pytest.raises(DeckFileError) as caught:
        load_deck(path)
    rendered = [str(p) for p in caught.value.problems]
    assert any(r.startswith(f"{path}:{line}: ") and message in r for r in rendered), rendered


def test_every_problem_is_reported_at_once(tmp_path):
    text = card('id = "a"\nkind = "essay"\nprompt = "p"\nanswer = "x"') + (
        '\n[[cards]]\nid = "b"\nkind = "text"\nprompt = "q"\n'
        '\n[[cards]]\nid = "a"\nkind = "text"\nprompt = "r"\nanswer = "y"\n')
    with pytest.raises(DeckFileError) as caught:
        load_deck(write(tmp_path, text))
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 2, messages
    assert "unknown kind 'essay'" in messages[0]
    assert messages[1] == "card has no answer"


def test_a_duplicate_id_names_the_first_line(tmp_path):
    text = card('id = "a"\nprompt = "p"\nanswer = "x"') + '\n[[cards]]\nid = "a"\nprompt = "q"\nanswer = "y"\n'
    with pytest.raises(DeckFileError) as caught:
        load_deck(write(tmp_path, text))
    assert [str(p).split(": ", 1)[1] for p in caught.value.problems] == ["duplicate id 'a' (first at line 4)"]


def test_bad_toml_gives_its_line(tmp_path):
    path = write(tmp_path, '[deck]\nname = "demo"\n\n[[cards]]\nid = "a\n')
    with pytest.raises(DeckFileError) as caught:
        load_deck(path)
    (problem,) = caught.value.problems
    assert problem.line == 5 and problem.message.startswith("bad TOML")


def test_invalid_utf8_gives_its_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_bytes(b'[deck]\nname = "demo"\nprompt = "caf\xe9"\n')
    with pytest.raises(DeckFileError) as caught:
        load_deck(path)
    assert str(caught.value) == f"{path}:3: not valid UTF-8 (byte 0xe9)"


def test_duplicate_ids_across_files_are_refused(tmp_path):
    one = write(tmp_path, '[deck]\nname = "one"\n[[cards]]\nid = "x"\nprompt = "p"\nanswer = "a"\n', "one.toml")
    two = write(tmp_path, '[deck]\nname = "two"\n[[cards]]\nid = "x"\nprompt = "q"\nanswer = "b"\n', "two.toml")
    with pytest.raises(DeckFileError) as caught:
        load_decks([one, two])
    assert str(caught.value) == f"{two}:3: duplicate id 'x' (also in {one})"


def test_control_characters_are_stripped_from_card_text(tmp_path):
    path = write(tmp_path, card('id = "a"\nprompt = "p\\u001b]52;c;aGk=\\u0007 [bold]x[/]\\u001b[2J"\nanswer = "x"'))
    deck = load_deck(path)
    assert deck.cards[0].prompt == "p [bold]x[/]"


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    with pytest.raises(DeckFileError) as caught:
        load_deck(tmp_path / "nope.toml")
    assert "no such file" in str(caught.value)


def test_the_bundled_decks_load():
    decks = load_decks(bundled_deck_files())
    assert decks and all(d.cards for d in decks)


def test_group_keywords_and_rubric_load_and_reach_the_store(tmp_path):
    from datetime import UTC, datetime

    from debrief.store import open_store

    path = write(tmp_path, card(
        'id = "a"\nprompt = "Why monitor models?"\nanswer = "they drift in production"\n'
        'keywords = ["drift"]\ngroup = "drift"')
        + '\n[[cards]]\nid = "b"\nkind = "recall"\nprompt = "Pitch it"\nanswer = "a rubric"\n'
          'rubric = ["names the user", "names the metric"]\ngroup = "drift"\n')
    deck = load_deck(path)
    assert deck.cards[0].group == deck.cards[1].group == "drift"
    assert deck.cards[0].grading_spec()["keywords"] == ["drift"]
    assert deck.cards[1].rubric == ("names the user", "names the metric")
    store = open_store(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        store.decks.sync_decks([deck], datetime(2026, 11, 30, tzinfo=UTC))
        stored = {r.card.id: r.card for r in store.decks.cards()}
    finally:
        store.close()
    from dataclasses import replace

    assert {k: replace(c, line=0) for k, c in stored.items()} == {
        c.id: replace(c, line=0) for c in deck.cards}
