"""Known words: the AI/ML/product vocabulary and an English word list, to tell typos from terms."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import cast

from debrief.grading.normalize import british_to_american, fold, singular

# Terms of the trade that people confuse with each other. A typed word found here is a real
# term: it is never taken for a typo of a different expected word ("underfitting" is not a typo
# of "overfitting", "decoder" is not a typo of "encoder").
DOMAIN_TERMS = """
accuracy precision recall specificity sensitivity prevalence prediction predictor
predictive inference training pretraining posttraining retraining
finetuning fine-tuning tuning tune tuned tuner overfitting underfitting overfit underfit fitting
regularization normalization standardization generalization quantization tokenization
tokenizer lemmatization stemming vectorization embedding encoding encoder decoder
autoencoder transformer transformers attention retention convolution convolutional
recurrent recursive regression classification clustering segmentation detection
recognition generation generative discriminative supervised unsupervised semisupervised
self-supervised reinforcement imitation distillation augmentation annotation aggregation
labeling labelling leakage drift decay latency latent throughput bandwidth memory compute
gradient gradients descent ascent backpropagation optimizer optimization loss cost objective
entropy perplexity complexity variance covariance invariance bias biases variant variants
median mean mode average error errors squared absolute residual residuals logarithmic
sigmoid softmax hardmax argmax relu gelu tanh elu swish dropout dropoff drop-off batchnorm
layernorm epoch epochs batch batches iteration iterations step steps warmup schedule scheduler
learning rate rates weight weights decay momentum adam adamw adagrad adadelta rmsprop nadam
lamb lion sgd parameter parameters hyperparameter
hyperparameters metaparameter hyperplane hyperplanes kernel kernels feature features label
labels sample samples sampling oversampling undersampling upsampling downsampling
resampling bootstrapping bagging boosting stacking ensemble ensembles forest tree trees
neural network networks perceptron layer layers neuron neurons activation activations
token tokens context contexts content window windows prompt prompts prompting chaining
chain chains agent agents agentic workflow workflows orchestration orchestrator pipeline
pipelines retrieval retriever reranker reranking ranking ranker recommender recommendation
recommendations search index indexing vector vectors database databases store stores cache
caching hallucination hallucinations grounding groundedness guardrail guardrails jailbreak
injection alignment preference preferences feedback reward rewards policy policies critic
evaluation evaluations benchmark benchmarks baseline baselines leaderboard metric metrics
north star guardrail vanity input output outputs conversion retention churn engagement
activation acquisition monetization revenue pricing margin margins funnel cohort cohorts
onboarding adoption satisfaction promoter promoters detractor detractors
daily weekly monthly active users user sessions session task completion success abandonment
click-through clickthrough impression impressions
experiment experiments experimentation hypothesis significance confidence interval intervals
power effect size sample test tests testing variant control treatment holdout validation
cross-validation crossvalidation split splits fold folds train dev
deployment deployments canary shadow rollout rollback release releases staging production
monitoring observability logging alerting incident incidents outage
application infrastructure platform interface api apis sdk endpoint endpoints serving
inference batch online offline streaming realtime real-time edge cloud gpu gpus tpu tpus
cpu cpus accelerator accelerators cluster clusters node nodes shard shards sharding
quantized pruning pruned sparse sparsity dense mixture experts expert routing router
foundation frontier model models multimodal modality modalities vision language speech
audio image images video text texts corpus corpora dataset datasets data synthetic
ground truth annotation annotator annotators crowdsourcing rater raters
temperature nucleus beam greedy decoding top-k top-p logits logit probability probabilities
likelihood posterior prior priors bayes bayesian naive markov monte carlo stochastic
deterministic nondeterministic non-deterministic random randomness seed seeds
convergence divergence converge diverge converged diverged curve curves roc auc
confusion matrix matrices correlation causation confounder confounders
imbalance imbalanced balance balanced skew skewed outlier outliers anomaly anomalies
false true positive positives negative negatives rate threshold thresholds calibration
cold warm hot start starts storage strategy strategist architect architecture architectures
product products manager managers management roadmap roadmaps vision mission okr kpi
stakeholder stakeholders customer customers persona personas segment segments market
marketplace fit sense intuition judgment judgement signal signals debrief debriefs interview
interviews hire hiring offer offers negotiation compensation salary salaries equity base
bonus premium moat moats replacement cost costs value valuation budget budgets
scientist scientists engineer engineers engineering research researcher researchers
analyst analysts designer designers operations ops mlops devops dataops llmops
loop loops human humans oversight autonomy automation control controls trust safety
red team teaming adversarial robustness fairness explainability interpretability privacy
security compliance governance regulation ethics transparency accountability
chatbot assistant copilot summarization translation extraction transform transformation
load loading extract elt etl lakehouse warehouse lake schema schemas migration query queries
sql nosql graph graphs knowledge ontology taxonomy entity entities relation relations
lora qlora peft adapter adapters rlhf rlaif dpo ppo sft cot tot rag llm llms slm vlm
gpt bert llama claude gemini mistral pytorch tensorflow jax keras numpy pandas
mae mse rmse mape msle smape ndcg mrr map bleu rouge meteor wer cer f1 f2 auc roc pr
dau wau mau arpu ltv cac nps csat ces arr mrr gmv roi tco cpc cpm ctr cvr aov
p50 p90 p95 p99 ttft tpot tps qps rps sla slo sli
""".split()


def _canon_word(word: str) -> str:
    return singular(british_to_american(word))


@lru_cache(maxsize=1)
def domain_words() -> frozenset[str]:
    """Folded, singular, American forms of the built-in domain vocabulary."""
    words: set[str] = set()
    for term in DOMAIN_TERMS:
        for word in re.findall(r"[^\W_]+", fold(term)):
            words.add(_canon_word(word))
        words.add(_canon_word(re.sub(r"[^\w]", "", fold(term))))
    return frozenset(words)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Common English words (SCOWL small list), loaded on first use."""
    import gzip  # here, not at module level: importing the grader stays cheap
    from importlib import resources

    try:
        ref = resources.files("debrief.grading").joinpath("data/english-words.txt.gz")
        data = gzip.decompress(ref.read_bytes()).decode("ascii", "replace")
    except (OSError, ValueError):  # a broken install must not break grading
        return frozenset()
    return frozenset(data.split())


def vocabulary_words(texts: object) -> frozenset[str]:
    """Folded, canonical words (3+ letters) of an iterable of strings (a deck's vocabulary)."""
    words: set[str] = set()
    if isinstance(texts, str):
        texts = [texts]
    try:
        items = list(cast("Iterable[object]", texts))
    except TypeError:
        return frozenset()
    for text in items:
        if not isinstance(text, str):
            continue
        for word in re.findall(r"[^\W\d_]+", fold(text[:10_000])):
            if len(word) >= 3:
                words.add(_canon_word(word))
    return frozenset(words)
