"""The meaning rules (containment, word order, lexicon, lists, choices, keywords): each rule that
accepts more, paired with the hard negatives it must keep wrong."""

from __future__ import annotations

import pytest

from debrief.grading import Grader
from debrief.grading.lexicon import base_forms, lexicon, word_keys
from debrief.grading.spec import SpecError, check_spec

GRADER = Grader()


def right(spec: dict, answer: str) -> bool:
    return GRADER.grade(spec, answer).is_right


# --------------------------------------------------------------------------- containment

CARRIERS = ["it's called the {}", "I think it's the {}", "{} I believe", "the {}", "probably {}"]
TERMS = ["cold start problem", "technical moat", "concept drift", "gradient descent",
         "product roadmap", "data leakage"]


@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize("carrier", CARRIERS)
def test_a_term_inside_carrier_words_is_right(term: str, carrier: str) -> None:
    assert right({"expected": term}, carrier.format(term))


@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize("wrapper", ["not the {}", "no {}", "{} or overfitting",
                                     "overfitting, {}", "{} and hallucination",
                                     "it isn't {}"])
def test_negations_and_shotgun_answers_stay_wrong(term: str, wrapper: str) -> None:
    assert not right({"expected": term}, wrapper.format(term))


@pytest.mark.parametrize(("expected", "near_miss"), [
    ("concept drift", "model drift"), ("human-in-the-loop", "human-on-the-loop"),
    ("tokens per second", "seconds per token"), ("tokens per second", "tokens per minute"),
    ("Extract, Transform, Load (ETL)", "extract, load, transform"),
    ("jobs to be done (JTBD)", "jobs done"), ("higher", "highest"), ("encoder", "encoding"),
    ("orchestration", "orchestra"), ("modeling", "model"), ("perplexity", "perplexity perplexity"),
    ("Retrieval-Augmented Generation (RAG)", "generation augmented retrieval"),
    ("Large Language Model (LLM)", "language model"),
    ("task completion rate", "task completion time"), ("cold start problem", "warm start problem"),
])
def test_near_misses_that_share_words_stay_wrong(expected: str, near_miss: str) -> None:
    assert not right({"expected": expected}, near_miss)


def test_another_cards_answer_named_beside_the_answer_is_wrong() -> None:
    spec = {"expected": "precision", "others": ["recall", "F1 score"]}
    assert right(spec, "it's precision")
    assert not right(spec, "precision and F1 score")
    assert not right({**spec, "prompt": "Precision or recall: which counts false alarms?"},
                     "precision or recall")


def test_the_prompts_own_words_are_not_an_answer_even_as_initials() -> None:
    spec = {"expected": "Reinforcement learning from human feedback",
            "prompt": "What does RLHF stand for?"}
    assert not right(spec, "RLHF")
    assert not right(spec, "what does RLHF stand for")
    assert right({"expected": spec["expected"]}, "RLHF")  # without the prompt: initials count
    assert right(spec, "reinforcement learning from human feedback")


def test_prompt_and_others_are_checked() -> None:
    with pytest.raises(SpecError):
        check_spec({"expected": "x", "prompt": 3})
    checked = check_spec({"expected": "x", "prompt": "p?", "others": ["a", "b"]})
    assert checked.prompt == "p?" and checked.others == ("a", "b")


# --------------------------------------------------------------------------- word order

@pytest.mark.parametrize(("expected", "reordered"), [
    ("sample size", "the size of the sample"), ("task completion rate",
                                                "completion rate of tasks"),
])
def test_word_order_is_free_within_a_plain_term(expected: str, reordered: str) -> None:
    assert right({"expected": expected}, reordered)


# --------------------------------------------------------------------------- lexicon

@pytest.mark.parametrize(("expected", "typed"), [
    ("cost to replace", "cost of replacement"), ("minimum detectable effect",
                                                 "minimal detectable effect"),
    ("fine-tuning", "finetune"), ("abandon", "abandons"), ("San Francisco", "SF"),
    ("convolutional neural network", "CNN"), ("temperature", "temp"),
    ("master's degree", "masters degree"), ("p99 latency", "99th percentile latency"),
    ("focus on outcomes", "focusing on outcomes"),
])
def test_synonyms_forms_and_abbreviations_are_right(expected: str, typed: str) -> None:
    assert right({"expected": expected}, typed)


@pytest.mark.parametrize(("expected", "typed"), [
    ("San Francisco", "Seattle"), ("convolutional neural network", "RNN"),
    ("minimum detectable effect", "maximum detectable effect"), ("abandon", "adopt"),
    ("accuracy", "truth"), ("variance", "discrepancy"), ("temperature", "top-p"),
    ("p99 latency", "p95 latency"), ("focus on outcomes", "focus on outputs"),
])
def test_the_lexicon_never_swaps_in_a_different_meaning(expected: str, typed: str) -> None:
    assert not right({"expected": expected}, typed)


def test_the_wordnet_table_is_shipped_with_its_notice() -> None:
    lex = lexicon()
    assert lex.synsets and lex.families and lex.irregular
    assert "abandon" in base_forms("abandons")
    # the field's terms keep their meaning: no WordNet synonym for them
    assert word_keys("accuracy") == frozenset({"accuracy"})
    from importlib import resources
    notice = resources.files("debrief.grading").joinpath("data/NOTICE.txt").read_text()
    assert "WordNet 3.0 Copyright 2006 by Princeton University" in notice


# --------------------------------------------------------------------------- lists

LISTS = [
    (["Training set", "Validation set", "Test set"], "train, validation, test",
     ["train, test", "training set", "train, validation, production"]),
    (["Supervised learning", "Unsupervised learning", "Reinforcement learning"],
     "supervised, unsupervised and reinforcement learning",
     ["supervised and unsupervised learning", "supervised, unsupervised, transfer learning"]),
    (["Situation", "Task", "Action", "Result"], "situation task action result",
     ["situation task action", "situation problem action result"]),
    (["Base salary", "Bonus", "Equity"], "base, bonus, equity",
     ["base, bonus", "salary, bonus, benefits"]),
    (["Mean Absolute Error (MAE)", "Mean Squared Error (MSE)"],
     "Mean Absolute Error (AE), MSE", ["MAE, RMSE", "mean error, squared error"]),
    (["San Francisco", "Seattle"], "SF / Seattle", ["SF, NYC", "New York, Seattle"]),
    (["Daily Active Users", "Task Completion Rate"], "daily active users and task completion",
     ["users, tasks", "MAU and task completion"]),
    (["False positive", "False negative"], "FP and FN", ["false, false", "false positive"]),
]


@pytest.mark.parametrize(("items", "good", "bads"), LISTS)
def test_list_items_reworded_are_right_and_near_misses_wrong(
        items: list[str], good: str, bads: list[str]) -> None:
    spec = {"kind": "list", "expected": items}
    assert right(spec, good)
    for bad in bads:
        assert not right(spec, bad), bad


# --------------------------------------------------------------------------- choices

@pytest.mark.parametrize(("options", "expected", "goods", "bads"), [
    (["AI PM", "ML PM"], "AI PM", ["AI MP", "the AI PM role"],
     ["ML MP", "AI PM or ML PM", "not AI PM"]),
    (["Base salary", "Stock options", "Signing bonus"], "Stock options",
     ["options", "I'd pick the stock options"], ["salary or options", "stock or salary"]),
    (["Product strategist", "Technical systems architect", "Research scientist"],
     "Technical systems architect", ["a technical architect of systems", "architect"],
     ["research architect", "product architect", "not a systems architect"]),
])
def test_a_choice_resolves_by_its_distinctive_words(options: list[str], expected: str,
                                                    goods: list[str], bads: list[str]) -> None:
    spec = {"kind": "choice", "expected": expected, "options": options}
    for good in goods:
        assert right(spec, good), good
    for bad in bads:
        assert not right(spec, bad), bad


# --------------------------------------------------------------------------- keywords

def test_keywords_accept_an_answer_that_shows_every_idea() -> None:
    spec = {"expected": "Because real-world data drifts away from the training data",
            "keywords": ["drift|shift", "training data"],
            "prompt": "Why does a deployed model get worse over time?"}
    assert right(spec, "the data drifts from the training data")
    assert right(spec, "live data shifts away from what the training data looked like")
    assert not right(spec, "the model overfits the training data")  # one idea missing
    assert not right(spec, "data does not drift from the training data")  # negated
    assert not right(spec, "why does a deployed model get worse over time")  # the prompt


# --------------------------------------------------------------------------- figures

def test_figures_inside_words_must_be_the_right_figures() -> None:
    spec = {"expected": "4 years with a 1-year cliff"}
    assert right(spec, "4 years with a 1 year cliff")
    assert right(spec, "four years, one-year cliff")
    for bad in ("3 years with a 1 year cliff", "4 years with a 6 month cliff",
                "4 years with no cliff", "4 years"):
        assert not right(spec, bad), bad


# --------------------------------------------------------------------------- negation scope

def test_a_negation_denies_only_the_words_after_it() -> None:
    spec = {"expected": "engineering decision", "accept": ["engineering"],
            "prompt": "Switching vector databases for speed is what kind of decision?"}
    assert right(spec, "engineering, not product")
    assert right(spec, "an engineering decision, not a product one")
    for bad in ("product, not engineering", "not an engineering decision",
                "engineering or product", "never engineering"):
        assert not right(spec, bad), bad


def test_the_prompts_words_and_their_synonyms_may_carry_the_answer() -> None:
    spec = {"expected": "being too generic",
            "prompt": "What is the main danger when answering a product-sense question?"}
    assert right(spec, "you risk being too generic")
    assert not right({"expected": "being too generic"}, "you risk being too generic")
    assert not right(spec, "you risk being too specific")


def test_a_figure_followed_by_a_separate_detail_is_graded_by_the_figure() -> None:
    spec = {"kind": "number", "expected": "4 years"}
    assert right(spec, "4 years with a 1 year cliff")
    assert right(spec, "4 years (1 year cliff)")
    for bad in ("3 years with a 1 year cliff", "4 or 5 years", "4 years, maybe 5",
                "4 years, maybe 5 years", "1 year cliff"):
        assert not right(spec, bad), bad


@pytest.mark.parametrize("prompt", ["For imbalanced data, which is better: F1 or accuracy?",
                                    "For imbalanced data, which metric beats accuracy?"])
def test_a_rival_named_in_the_prompt_does_not_carry_the_answer(prompt: str) -> None:
    spec = {"expected": "F1", "prompt": prompt}
    assert right(spec, "it's the F1 score")
    for bad in ("accuracy over F1", "accuracy beats F1", "F1 or accuracy"):
        assert not right(spec, bad), bad


def test_a_choice_named_in_a_sentence_resolves_but_never_with_the_other_option() -> None:
    spec = {"kind": "choice", "expected": "Yes", "options": ["Yes", "No"],
            "prompt": "Can an AI PM transition into an ML PM role?"}
    for good in ("yes they can", "yes, with effort", "yes, an AI PM can transition"):
        assert right(spec, good), good
    for bad in ("no", "no, never", "not really", "yes and no", "yes, but no", "maybe"):
        assert not right(spec, bad), bad


def test_hedges_around_a_labelled_answer_never_change_its_grade() -> None:
    """Every labelled text answer wrapped in hedges is graded as it was unwrapped: right stays
    right, and (the hard part) wrong stays wrong."""
    import tomllib
    from pathlib import Path

    data = Path(__file__).resolve().parent.parent / "data" / "grading_cases.toml"
    cases = tomllib.loads(data.read_text(encoding="utf-8"))["case"]
    changed = []
    for group in cases[::2]:  # every other group keeps the test quick
        spec = group["spec"]
        if spec.get("kind", "text") != "text":
            continue
        for answer in group.get("right", []) + group.get("wrong", []):
            if not answer.strip():
                continue
            before = right(spec, answer)
            for wrapper in ("I think it's {}", "it's called {}"):
                if right(spec, wrapper.format(answer)) != before:
                    changed.append((spec["expected"], wrapper.format(answer), before))
    assert not changed, changed[:10]


def test_keywords_given_as_guesses_between_ideas_are_not_shown() -> None:
    spec = {"expected": "Because real-world data drifts away from the training data",
            "keywords": ["drift|shift", "training data"]}
    assert right(spec, "the data drifts from the training data")
    assert not right(spec, "drift or overfitting of the training data")
    assert not right(spec, "drift from the training data?")


@pytest.mark.skipif(not __import__("pathlib").Path("/usr/share/wordnet/index.noun").exists(),
                    reason="WordNet (Debian's wordnet-base) is not installed")
def test_the_committed_wordnet_table_is_what_the_build_script_derives() -> None:
    import gzip
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("build_wordnet_table",
                                                  root / "scripts" / "build_wordnet_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(Path("/usr/share/wordnet"))
    table = root / "src" / "debrief" / "grading" / "data" / "wordnet.txt.gz"
    assert gzip.decompress(table.read_bytes()).decode("ascii").splitlines() == built


@pytest.mark.parametrize(("expected", "typed"), [
    ("user", "user experience"), ("reward", "reward model"), ("training", "training set"),
    ("data", "data type"), ("training", "training step"),
])
def test_a_head_noun_added_that_makes_another_term_is_wrong(expected: str, typed: str) -> None:
    assert not right({"expected": expected}, typed)
    assert right({"expected": expected}, f"the {expected}")
