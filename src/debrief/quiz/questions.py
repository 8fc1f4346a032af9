"""Quiz questions made from cards: typed, multiple choice, "AI PM or ML PM?" and figure rounds."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from debrief.cards import Card, CardKind, clean_text
from debrief.errors import DebriefError
from debrief.records import CardRecord

if TYPE_CHECKING:
    from debrief.grading import Grader, Verdict

# The question kinds a quiz mixes. A card's kind decides which of them it can be asked as.
QUESTION_KINDS = ("typed", "choice", "role", "figure")
KIND_TITLES = {
    "typed": "Type the answer",
    "choice": "Multiple choice",
    "role": "AI PM or ML PM?",
    "figure": "Give the figure",
}
KIND_ALIASES = {"text": "typed", "list": "typed", "mc": "choice", "multiple-choice": "choice",
                "number": "figure", "numbers": "figure", "figures": "figure", "roles": "role"}
ROLE_OPTIONS = ("AI PM", "ML PM")
MAX_DISTRACTORS = 3
MIN_DISTRACTORS = 2


class QuizError(DebriefError):
    """A quiz that cannot be made or an action that does not fit the quiz's state."""


def normalise(text: str) -> str:
    """Lower case, inner whitespace collapsed, outer punctuation dropped: how options are compared."""
    return " ".join(re.sub(r"^[\W_]+|[\W_]+$", "", text.casefold()).split())


def parse_kinds(values: Iterable[str]) -> tuple[str, ...]:
    """Turn `--kinds typed,choice` (repeatable, aliases allowed) into question kinds, in order."""
    kinds: list[str] = []
    for value in values:
        for part in str(value).split(","):
            name = part.strip().lower()
            if not name:
                continue
            name = KIND_ALIASES.get(name, name)
            if name not in QUESTION_KINDS:
                raise QuizError(f"unknown question kind {part.strip()!r} "
                                f"(kinds: {', '.join(QUESTION_KINDS)})")
            if name not in kinds:
                kinds.append(name)
    return tuple(kinds)


@dataclass(frozen=True)
class Question:
    """One question of a quiz: a card asked as `kind`, with its options when it has them."""

    number: int
    record: CardRecord
    kind: str
    right: str
    options: tuple[str, ...] = ()

    @property
    def card(self) -> Card:
        return self.record.card

    @property
    def shortest_right_answer(self) -> str:
        """The shortest thing to type that is right: the option's number, or the answer."""
        return str(self.options.index(self.right) + 1) if self.options else self.right

    @property
    def prompt(self) -> str:
        return clean_text(self.card.prompt)

    @property
    def deck(self) -> str:
        return self.card.deck

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]

    @property
    def right_label(self) -> str:
        """The right answer as shown after a miss: `2) ML PM` for a choice, else the answer."""
        if self.options:
            return f"{self.options.index(self.right) + 1}) {clean_text(self.right)}"
        return clean_text(self.right)

    def spec(self) -> dict[str, Any]:
        """What the grader compares free text with: the card's spec, or the right option."""
        spec = self.card.grading_spec()
        if spec is None or self.options:
            spec = {"expected": self.right, "kind": "text", "accept": list(self.card.accept)}
        return spec

    def plan(self) -> dict[str, Any]:
        """The question as the quiz's settings record it (enough for the history)."""
        return {"card": self.card.id, "pk": self.record.pk, "deck": self.deck, "kind": self.kind}


def is_role_card(card: Card) -> bool:
    """A choice card whose options are exactly "AI PM" and "ML PM": an "AI PM or ML PM?" round."""
    return card.kind is CardKind.CHOICE and sorted(normalise(o) for o in card.options) == ["ai pm", "ml pm"]


Judge = Callable[[dict[str, Any], str], str]  # (spec, answer) -> verdict name


def distractors(card: Card, pool: Sequence[Card], rng: random.Random, judge: Judge,
                limit: int = MAX_DISTRACTORS) -> list[str]:
    """Wrong options for `card`: answers of other cards of the same kind in the same deck.

    Never equal to the right answer or to an accepted variant, never something the grader would
    count as right or partly right, no two alike; the most plausible first (similar length, shared
    tags), with some randomness so repeated quizzes vary.
    """
    right = card.answer_text
    taken = {normalise(right), *(normalise(a) for a in card.accept)}
    spec = card.grading_spec() or {"expected": right, "kind": "text", "accept": list(card.accept)}
    if spec.get("kind") == "list":
        spec = {"expected": right, "kind": "text", "accept": list(card.accept)}
    scored: list[tuple[float, str]] = []
    for other in pool:
        if other.id == card.id or other.deck != card.deck or other.kind != card.kind:
            continue
        text = clean_text(other.answer_text).strip()
        key = normalise(text)
        if not key or key in taken:
            continue
        taken.add(key)
        scored.append((_distance(card, other, text) + rng.random() * 0.4, text))
    scored.sort(key=lambda pair: pair[0])
    # The grader is the costly part: ask it in order of plausibility and stop at `limit` (the
    # same options as judging every candidate first, at a few calls per card instead of all).
    chosen: list[str] = []
    for _score, text in scored:
        if len(chosen) == limit:
            break
        if judge(spec, text) == "wrong":
            chosen.append(text)
    return chosen


_WORDS = re.compile(r"[a-z0-9]+")
_COMMON = {"the", "a", "an", "of", "in", "to", "and", "or", "for", "is", "what", "which", "who",
           "whose", "does", "do", "per", "article", "by", "on", "with", "as", "be", "ai", "ml", "pm"}


def _distance(card: Card, other: Card, text: str) -> float:
    """How implausible `text` (the answer of `other`) is as a wrong option for `card`: lower is
    better. Similar length and word count, the same capitalisation style, shared tags (the same
    role, the same story) and prompts on the same subject make a distractor plausible."""
    right = card.answer_text
    length = abs(math.log((len(text) + 4) / (len(right) + 4)))
    words = abs(len(text.split()) - len(right.split())) * 0.15
    style = 0.0 if (text[:1].isupper() == right[:1].isupper()) else 0.3
    shared = len(set(card.tags) & set(other.tags)) * 0.2
    mine = set(_WORDS.findall(card.prompt.lower())) - _COMMON
    theirs = set(_WORDS.findall(other.prompt.lower())) - _COMMON
    overlap = len(mine & theirs) / len(mine | theirs) if mine | theirs else 0.0
    return length + words + style - shared - overlap


def candidates(records: Sequence[CardRecord], pool: Sequence[Card], rng: random.Random,
               judge: Judge) -> dict[str, list[Question]]:
    """Every way each card can be asked, by question kind (numbers are filled in later)."""
    by_kind: dict[str, list[Question]] = {kind: [] for kind in QUESTION_KINDS}
    for record in records:
        card = record.card
        if card.kind is CardKind.CHOICE:
            if is_role_card(card):
                by_kind["role"].append(Question(0, record, "role", _role_answer(card), ROLE_OPTIONS))
            elif len(card.options) >= 2:
                right = [o for o in card.options if normalise(o) == normalise(card.answer_text)]
                if right:
                    options = list(card.options)
                    rng.shuffle(options)
                    by_kind["choice"].append(Question(0, record, "choice", right[0], tuple(options)))
            continue
        if card.kind is CardKind.NUMBER:
            by_kind["figure"].append(Question(0, record, "figure", card.answer_text))
            continue
        if card.kind in (CardKind.TEXT, CardKind.LIST):
            by_kind["typed"].append(Question(0, record, "typed", card.answer_text))
        if card.kind in (CardKind.TEXT, CardKind.RECALL):
            wrong = distractors(card, pool, rng, judge)
            if len(wrong) >= MIN_DISTRACTORS:
                options = [card.answer_text, *wrong]
                rng.shuffle(options)
                by_kind["choice"].append(Question(0, record, "choice", card.answer_text, tuple(options)))
    return by_kind


def _role_answer(card: Card) -> str:
    return ROLE_OPTIONS[0] if normalise(card.answer_text) == "ai pm" else ROLE_OPTIONS[1]


def pick(by_kind: dict[str, list[Question]], count: int, rng: random.Random,
         kinds: Sequence[str] = ()) -> list[Question]:
    """`count` questions, one card at most once, taking the kinds in turn so each quiz mixes them."""
    wanted = [k for k in QUESTION_KINDS if (not kinds or k in kinds)]
    queues = {k: list(by_kind.get(k, ())) for k in wanted}
    for queue in queues.values():
        rng.shuffle(queue)
    order = list(wanted)
    rng.shuffle(order)
    chosen: list[Question] = []
    used: set[int] = set()
    while len(chosen) < count and any(queues.values()):
        for kind in order:
            queue = queues[kind]
            while queue and queue[0].record.pk in used:
                queue.pop(0)
            if not queue or len(chosen) >= count:
                continue
            question = queue.pop(0)
            used.add(question.record.pk)
            chosen.append(question)
    rng.shuffle(chosen)
    return [Question(i, q.record, q.kind, q.right, q.options) for i, q in enumerate(chosen, start=1)]


def make_questions(records: Sequence[CardRecord], pool: Sequence[Card], count: int, seed: int,
                   judge: Judge, kinds: Sequence[str] = ()) -> list[Question]:
    """The quiz's questions: the same cards, pool and seed always give the same questions."""
    rng = random.Random(seed)
    by_kind = candidates(records, pool, rng, judge)
    return pick(by_kind, count, rng, kinds)


_ROLE_WORDS = {"a": "AI PM", "ai": "AI PM", "aipm": "AI PM", "m": "ML PM", "ml": "ML PM",
               "mlpm": "ML PM"}


def chosen_option(question: Question, text: str) -> str | None:
    """The option an answer picks: its number, its text, or for a role round `ai`/`ml`."""
    if not question.options:
        return None
    typed = text.strip()
    if typed.isdigit() and 1 <= int(typed) <= len(question.options):
        return question.options[int(typed) - 1]
    key = normalise(typed)
    if question.kind == "role" and key.replace(" ", "") in _ROLE_WORDS:
        return _ROLE_WORDS[key.replace(" ", "")]
    for option in question.options:
        if key and normalise(option) == key:
            return option
    return None


def grade(question: Question, text: str, grader: Grader,
          others: tuple[str, ...] = ()) -> tuple[str, Verdict]:
    """Grade an answer line: an option by number or text, else the grader on the free text
    (with `others`, the other cards' answers in the deck, that it must not also name).

    Returns the answer as it should be logged (the chosen option's text) and the verdict.
    """
    from debrief.grading import Verdict

    chosen = chosen_option(question, text)
    if chosen is not None:
        if chosen == question.right:
            return chosen, Verdict("correct", 1.0, "Correct.", matched=question.right)
        return chosen, Verdict("wrong", 0.0, f"Wrong: the answer is {question.right_label}.",
                               matched=question.right)
    spec = question.spec()
    if others and not question.options:
        spec["others"] = list(others)
    return text, grader.grade(spec, text)
