"""Second-round meaning rules (issue #13): each rule that accepts more, beside its hard negatives."""

from __future__ import annotations

import pytest

from debrief.grading import Grader

GRADER = Grader()


def right(spec: dict, answer: str) -> bool:
    return GRADER.grade(spec, answer).is_right


def text(expected: str, prompt: str = "", accept: tuple[str, ...] = ()) -> dict:
    return {"kind": "text", "expected": expected, "accept": list(accept), "prompt": prompt}


def choice(expected: str, options: list[str], prompt: str = "") -> dict:
    return {"kind": "choice", "expected": expected, "options": options, "prompt": prompt}


# (spec, answers that are right, answers that stay wrong)
TABLE = [
    # formulas said in words, initials, or after a name and "="
    (text("TP / (TP + FP)", "precision formula"),
     ["true positives / (true positives + false positives)", "TP over TP plus FP",
      "precision = tp / (tp + fp)", "tp divided by (tp + fp)"],
     ["TP / (TP + FN)", "TP / (TP + FP + FN)", "FP / (TP + FP)", "TP/(TP+FN) or TP/(TP+FP)",
      "true positives / (true positives + false negatives)", "TP times TP plus FP"]),
    (text("(reach x impact x confidence) / effort", "RICE score"),
     ["R*I*C/E", "reach times impact times confidence divided by effort",
      "score = (R × I × C) / E"],
     ["R*I/E", "E*I*C/R", "reach x impact x confidence x effort", "(R+I+C)/E"]),
    # a slash or hyphen inside words is no formula
    (text("A/B test", "compare two variants on live traffic"),
     ["A/B testing", "an A/B test", "split test"], ["A/A test", "multivariate test"]),
    (text("precision-recall curve", "what PR AUC is the area under"),
     ["precision recall curve", "the precision-recall curve"], ["ROC curve", "precision"]),
    # a term of the trade in its -s and -ed forms, never -ing or -er
    (text("trusts", "the user ____ the output enough to stop checking it", ("trust",)),
     ["trusted", "trust"], ["distrusts", "mistrusts", "verifies"]),
    (text("model", "what training produces"), ["models", "the model"],
     ["modeling", "modeler", "a model or a dataset"]),
    # the field's short forms
    (text("perplexity", "LM metric: exp of the average negative log-likelihood"),
     ["PPL", "ppl"], ["BLEU", "PP", "loss"]),
    (text("recommendation system", "what suggests items to users"),
     ["recsys", "a recsys"], ["search system", "ranking", "recs or search"]),
    (text("convolutional neural network", "the classic image model"),
     ["ConvNet", "a convnet"], ["RNN", "recurrent neural network", "transformer"]),
    (text("cosine similarity", "similarity of embeddings by angle"),
     ["cos sim"], ["dot product", "euclidean distance", "cos distance"]),
    (text("minimum detectable effect", "smallest lift a test is powered to see"),
     ["min detectable effect", "MDE"], ["max detectable effect", "detectable effect size"]),
    (text("statistically significant", "p below alpha means the result is"),
     ["stat sig", "significant", "statistically significant result"],
     ["not significant", "not stat sig", "practically significant"]),
    # the field's synonyms
    (text("overfitting", "great on train, poor on test"),
     ["high variance", "the model is overfitting", "overfit"],
     ["high bias", "underfitting", "low variance", "not overfitting"]),
    (text("underfitting", "poor on train and test"),
     ["high bias", "underfit"], ["high variance", "overfitting", "not underfitting"]),
    (text("data drift", "the inputs change after launch"),
     ["feature drift", "distribution shift", "covariate shift"],
     ["concept drift", "label drift", "not data drift", "model drift"]),
    (text("hallucinations", "what RAG reduces"),
     ["confabulations", "made-up answers"],
     ["latency", "made-up metrics or latency", "not hallucinations"]),
    (text("context window", "how much text the model sees at once"),
     ["context length", "the context window size"],
     ["batch size", "window size", "context switching"]),
    # modifiers before a term, generic words after it
    (text("precision", "which metric matters when false positives are costly"),
     ["high precision", "precision"], ["high recall", "recall", "precision or recall"]),
    (text("vector", "what an embedding is"),
     ["a dense numeric vector", "numerical vector"], ["a matrix", "a scalar", "a dense matrix"]),
    (text("PyTorch", "the framework the team uses"),
     ["PyTorch code"], ["TensorFlow code", "JAX", "PyTorch or TensorFlow"]),
]

CHOICES = [
    (choice("test", ["train", "validation", "test"],
            "final unbiased estimate of performance: which split"),
     ["test set", "the test set", "test split"],
     ["validation set", "train set", "test or validation set", "validation set, never test"]),
    (choice("validation", ["train", "validation", "test"], "tune hyperparameters on which split"),
     ["val set", "dev set", "validation set, never test", "validation (not the test set)"],
     ["test set", "validation, not validation", "val set, test set", "not validation"]),
    (choice("RAG", ["RAG", "fine-tuning"], "fresh facts daily: RAG or fine-tuning"),
     ["rag, no retraining needed", "RAG (retrieval)"],
     ["fine-tuning, no retrieval", "rag, or fine-tuning", "no rag", "rag, fine-tuning too"]),
    (choice("hiring committee", ["hiring manager", "hiring committee"], "who decides at Google"),
     ["HC", "the committee"], ["HM", "hiring manager", "not the HC"]),
    (choice("ML PM", ["AI PM", "ML PM"], "who needs the math textbook"),
     ["ML PM needs the textbook", "ml pm's job", "ML PMs do"],
     ["ML PM or AI PM", "ML PM is not it", "ML PM then AI PM", "AI PM needs the textbook",
      "AI PM's job"]),
    (choice("Yes", ["Yes", "No"], "can a PM learn ML on the job"),
     ["yes, but not through a course", "yes (with effort)"],
     ["no, but yes later", "no", "not yes"]),
]


@pytest.mark.parametrize(("spec", "rights", "wrongs"), TABLE + CHOICES,
                         ids=[c[0]["expected"] for c in TABLE + CHOICES])
def test_a_rule_that_accepts_more_keeps_its_hard_negatives_wrong(
        spec: dict, rights: list[str], wrongs: list[str]) -> None:
    assert [a for a in rights if not right(spec, a)] == []
    assert [a for a in wrongs if right(spec, a)] == []
