"""The bundled decks load cleanly, cover every section of the article, and grade themselves right."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from debrief.cards import Card
from debrief.deckfile import load_decks
from debrief.grading import grade

DECK_DIR = Path(__file__).resolve().parents[2] / "decks"

# One tag per section of the source article (ai-pm-vs-ml-pm).
SECTIONS = {
    "roles": "TL;DR: the one-line summary of each role",
    "audience": "Who this is for",
    "duties": "Job duties (and each role's failure mode)",
    "metrics": "How each role's success is measured",
    "skills": "Technical skills and tools",
    "compensation": "Salaries and compensation",
    "interviews": "Which role is harder to interview for",
    "checklist": "Preparation checklist",
    "mistakes": "Mistakes to avoid",
    "faq": "FAQ",
}
# The general decks, written from well-known definitions rather than the article.
GENERAL_SECTIONS = {
    "practice": "Interview practice in the article's four styles",
    "vocabulary": "Technical terms the article only names",
}
ROLE_TAGS = {"ai-pm", "ml-pm", "both"}

DECKS = load_decks(sorted(DECK_DIR.glob("*.toml")))
CARDS = [card for deck in DECKS for card in deck.cards]
GRADED = [card for card in CARDS if card.kind != "recall"]
CHOICES = [card for card in CARDS if card.kind == "choice"]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def test_bundled_decks_load_without_problems() -> None:
    # load_decks raises DeckFileError listing every problem; reloading proves it raises none.
    decks = load_decks(sorted(DECK_DIR.glob("*.toml")))
    assert {deck.name for deck in decks} == {path.stem for path in DECK_DIR.glob("*.toml")}


def test_there_are_at_least_150_cards_from_the_article() -> None:
    assert len([card for card in CARDS if card.deck not in GENERAL_SECTIONS]) >= 150


def test_card_ids_are_unique_across_decks() -> None:
    repeated = [i for i, n in Counter(card.id for card in CARDS).items() if n > 1]
    assert repeated == []


def test_no_two_cards_share_a_prompt() -> None:
    normalised = Counter(" ".join(card.prompt.lower().split()) for card in CARDS)
    assert [p for p, n in normalised.items() if n > 1] == []


def test_every_section_of_the_article_has_cards() -> None:
    counts = Counter(tag for card in CARDS for tag in card.tags if tag in SECTIONS)
    assert {section: counts[section] for section in SECTIONS if counts[section] < 3} == {}


@pytest.mark.parametrize("card", CARDS, ids=lambda c: c.id)
def test_card_has_one_section_tag_one_role_tag_and_an_explanation(card: Card) -> None:
    assert len([t for t in card.tags if t in SECTIONS or t in GENERAL_SECTIONS]) == 1
    assert len([t for t in card.tags if t in ROLE_TAGS]) == 1
    assert card.explanation
    # One or two sentences: the review screen shows it under the answer.
    assert len(re.findall(r"[.!?](?:\s|$)", card.explanation)) <= 2
    assert len(card.explanation) <= 250


@pytest.mark.parametrize("card", GRADED, ids=lambda c: c.id)
def test_expected_answer_grades_right(card: Card) -> None:
    verdict = grade(card.grading_spec(), card.answer_text)
    assert verdict.is_right, (card.answer_text, verdict)


@pytest.mark.parametrize(
    ("card", "accepted"),
    [(card, accepted) for card in GRADED for accepted in card.accept],
    ids=lambda v: v.id if isinstance(v, Card) else v,
)
def test_each_accepted_answer_grades_right(card: Card, accepted: str) -> None:
    verdict = grade(card.grading_spec(), accepted)
    assert verdict.is_right, (accepted, verdict)


@pytest.mark.parametrize(
    "card", [card for card in CARDS if card.kind == "list" and card.min_items], ids=lambda c: c.id
)
def test_list_answer_with_just_min_items_grades_right(card: Card) -> None:
    assert card.min_items is not None
    typed = ", ".join(card.answer[: card.min_items])
    verdict = grade(card.grading_spec(), typed)
    assert verdict.is_right, (typed, verdict)


@pytest.mark.parametrize(
    ("card", "option"),
    [(card, option) for card in CHOICES for option in card.options if option != card.answer],
    ids=lambda v: v.id if isinstance(v, Card) else v[:30],
)
def test_each_wrong_option_grades_wrong(card: Card, option: str) -> None:
    verdict = grade(card.grading_spec(), option)
    assert not verdict.is_right, (option, verdict)


# Figures a learner mixes up: another card's figure must not pass for this card's.
CONFUSABLE = [
    ("comp-009", "$420k-$650k"),  # the ML PM range for the AI PM's
    ("comp-010", "$350k-$550k"),  # and the other way round
    ("comp-003", "15%"),  # the low end alone for the 15-20% premium
    ("comp-003", "20%"),
    ("comp-003", "10%"),  # the illustrative 10% cost cut for the premium
    ("voc-008", "99%"),
    ("voc-058", "750"),  # the word count itself for the token count
    ("voc-059", "0.95"),  # the confidence level for the p-value threshold  # the mistakes deck's accuracy target for the do-nothing model's 98%
]


@pytest.mark.parametrize(("card_id", "typed"), CONFUSABLE, ids=[c for c, _ in CONFUSABLE])
def test_a_confusable_figure_grades_wrong(card_id: str, typed: str) -> None:
    card = next(card for card in CARDS if card.id == card_id)
    assert card.kind == "number"
    verdict = grade(card.grading_spec(), typed)
    assert not verdict.is_right, (typed, verdict)


@pytest.mark.parametrize("card", CHOICES, ids=lambda c: c.id)
def test_no_choice_option_is_a_subset_of_another(card: Card) -> None:
    # A typed option must resolve to exactly one option.
    words = [_words(option) for option in card.options]
    for i, a in enumerate(words):
        for j, b in enumerate(words):
            assert i == j or not a <= b, (card.options[i], card.options[j])
