"""Property tests: accepted answers grade correct, any input gets a verdict, other options lose."""

from __future__ import annotations

import json
import os
import string

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from debrief.grading import Grader, SpecError, Verdict, grade
from debrief.grading.normalize import clean, fold

WORDS = ["precision", "recall", "F1", "score", "perplexity", "MAE", "MSE", "latency", "RAG",
         "hallucination", "DAU", "task", "completion", "rate", "fine-tuning", "RLHF", "ETL",
         "ELT", "overfitting", "underfitting", "cold", "start", "AI", "ML", "PM", "the", "and",
         "of", "vs", "a", "(MAE)", "(DAU)", "human-in-the-loop", "A/B", "GPT-4o", "3.5", "$420k",
         "15-20%", "naïve", "Bayes", "&amp;", "<b>bold</b>", "non-deterministic", "x", "k"]
phrases = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
free_text = st.text(min_size=1, max_size=40)
texts = st.one_of(phrases, free_text)
FIGURES = st.builds(
    lambda cur, n, mag, unit: f"{cur}{n}{mag}{unit}",
    st.sampled_from(["", "$"]), st.integers(0, 999_999).map(str) | st.sampled_from(
        ["0.5", "1.25", "3.0", "15-20", "420-650"]),
    st.sampled_from(["", "k", "M"]), st.sampled_from(["", "%", "x", "s", "ms", "+", " days"]))
answers = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=string.printable, max_size=60),
    st.text(alphabet=st.characters(blacklist_categories=()), max_size=30),
    phrases,
    st.sampled_from(["", " ", "idk", "?", "[/]", "[bold]x[/bold]", "\x1b[2J", "\u202eMP IA",
                     "🚀🚀", "a" * 10_000, "x" * 3000 + " and " * 500, "\x00\x01", "\ud800",
                     "1" * 500, "$" * 200, "-" * 300, "((((((", "a, " * 2000]),
)
# More examples on demand: DEBRIEF_HYPOTHESIS_EXAMPLES=5000 pytest tests/unit/test_grading_properties.py
EXAMPLES = int(os.environ.get("DEBRIEF_HYPOTHESIS_EXAMPLES", "300"))
FAST = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def _usable(s: str) -> bool:
    return bool(clean(s).strip())


@FAST
@given(expected=texts, accept=st.lists(texts, max_size=3))
def test_the_expected_answer_and_every_accept_grade_correct(expected: str, accept: list) -> None:
    assume(_usable(expected))
    spec = {"expected": expected, "accept": accept}
    assert grade(spec, expected).verdict == "correct"
    for other in accept:
        if _usable(other):
            assert grade(spec, other).verdict == "correct"


@FAST
@given(expected=st.one_of(FIGURES, texts), accept=st.lists(FIGURES, max_size=2))
def test_a_figure_and_its_accepts_grade_correct(expected: str, accept: list) -> None:
    assume(_usable(expected))
    spec = {"expected": expected, "kind": "number", "accept": accept}
    assert grade(spec, expected).verdict == "correct"
    for other in accept:
        assert grade(spec, other).verdict == "correct"


@FAST
@given(items=st.lists(phrases, min_size=1, max_size=5, unique_by=lambda s: fold(clean(s))),
       data=st.data())
def test_a_list_typed_in_full_grades_correct(items: list, data: st.DataObject) -> None:
    need = data.draw(st.one_of(st.none(), st.integers(1, len(items))))
    spec = {"expected": items, "kind": "list", "min_items": need}
    assert grade(spec, "; ".join(items)).is_right


@FAST
@given(options=st.lists(texts, min_size=2, max_size=6, unique_by=lambda s: fold(clean(s))),
       data=st.data())
def test_a_choice_card_s_other_options_always_grade_wrong(options: list, data) -> None:
    assume(all(_usable(o) for o in options))
    right = data.draw(st.integers(0, len(options) - 1))
    spec = {"expected": options[right], "kind": "choice", "options": options}
    assert grade(spec, options[right]).verdict == "correct"
    for i, option in enumerate(options):
        if i != right:
            assert not grade(spec, option).is_right, (option, options[right])


@FAST
@given(options=st.lists(phrases, min_size=2, max_size=6, unique_by=lambda s: fold(clean(s))),
       data=st.data())
def test_a_choice_letter_or_number_picks_that_option(options: list, data) -> None:
    right = data.draw(st.integers(0, len(options) - 1))
    spec = {"expected": options[right], "kind": "choice", "options": options}
    keys = [options[i] for i in range(len(options))]
    assume(not any(fold(k).strip() in ("a", "b", "c", "d", "e", "f", "1", "2", "3", "4", "5",
                                        "6") for k in keys))
    assert grade(spec, "abcdef"[right]).is_right
    assert grade(spec, str(right + 1)).is_right
    wrong = (right + 1) % len(options)
    assert not grade(spec, "abcdef"[wrong]).is_right


SPECS = st.one_of(
    st.builds(lambda e, a: {"expected": e, "accept": a}, texts, st.lists(texts, max_size=2)),
    st.builds(lambda e: {"expected": e, "kind": "number"}, st.one_of(FIGURES, texts)),
    st.builds(lambda e, n: {"expected": e, "kind": "list", "min_items": min(n, len(e))},
              st.lists(texts, min_size=1, max_size=4), st.integers(1, 4)),
    st.lists(texts, min_size=2, max_size=5).flatmap(
        lambda opts: st.sampled_from(opts).map(
            lambda e: {"expected": e, "kind": "choice", "options": opts})),
)


@settings(max_examples=2 * EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=SPECS, answer=answers)
def test_any_answer_gets_a_verdict_and_never_an_exception(spec: dict, answer: str) -> None:
    try:
        v = Grader(["overfitting", "decent"]).grade(spec, answer)
    except SpecError:
        return  # a generated spec can be malformed (an option that is only spaces ...)
    assert isinstance(v, Verdict)
    assert v.verdict in ("correct", "close", "partial", "wrong")
    assert 0.0 <= v.score <= 1.0
    assert isinstance(v.feedback, str) and v.feedback
    assert all(op in ("equal", "insert", "delete", "replace") for op, _t in v.diff)
    out = json.dumps(v.to_json(), ensure_ascii=False)
    out.encode("utf-8")  # writable as UTF-8: no lone surrogates
    assert v.is_right == (v.verdict in ("correct", "close"))
