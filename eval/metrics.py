"""Benchmark metrics: retrieval hit@k and MRR, answer and grounded accuracy,
abstention rates, claim-verdict accuracy, latency percentiles.

Definitions (also in the README's evaluator section):

* a retrieved context **hits** when it contains one of the item's evidence
  spans (after :func:`eval.validate.normalize_for_match` on both sides);
  hit@k: a hit among the first k contexts; MRR: mean of 1/rank of the first
  hit (0 without one). Over answerable questions with evidence.
* an answer is **correct** when every ``must_include`` group has an
  alternative in it (same normalisation); for an unanswerable question,
  when the system abstained.
* **grounded**: correct, not abstained, and every ``must_include`` group has
  an alternative in the cited passages' texts.
* **abstention rate**: share of unanswerable questions abstained on;
  **false-abstention rate**: share of answerable questions abstained on.
* **inconsistency flagged**: share of questions tagged ``inconsistent`` (the
  document states the figure differently in two places) whose answer flags
  the conflict; **flagged untagged**: share of the answered questions not
  tagged so whose answer flags a conflict anyway -- mostly false alarms (a
  tag may be missing), the base rate the flagged share must be read
  against.
* claims: **verdict accuracy**, and the two errors separately: supported
  claims called contradicted (the worst error), contradicted claims called
  supported; ``not_found`` counts as wrong.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from .stats import bootstrap_interval, bootstrap_percentile_interval
from .validate import normalize_for_match

KS = (1, 3, 5, 10)


def first_hit_rank(contexts: list[str], evidence: list[str]) -> int | None:
    """1-based rank of the first context containing an evidence span."""
    spans = [normalize_for_match(s) for s in evidence if s.strip()]
    for rank, text in enumerate(contexts, start=1):
        norm = normalize_for_match(text)
        if any(s in norm for s in spans):
            return rank
    return None


def includes_all(text: str, must_include: list[list[str]]) -> bool:
    """Every group has at least one alternative in ``text``."""
    norm = normalize_for_match(text)
    return all(any(normalize_for_match(a) in norm for a in group) for group in must_include)


def score_question(item: dict, result: dict) -> dict:
    """Per-item scores of a question result (see the module docstring).

    Args:
        item: the benchmark item.
        result: ``{"answer", "abstained", "citations": [{"text", …}],
            "contexts": [{"text", …}], "latency_ms", "conflict"?}``.
    """
    unanswerable = item["category"] == "unanswerable"
    abstained = bool(result["abstained"])
    if unanswerable:
        correct = abstained
        grounded = abstained
    else:
        correct = not abstained and includes_all(result["answer"], item["must_include"])
        cited = " ".join(c["text"] for c in result.get("citations", []))
        grounded = correct and includes_all(cited, item["must_include"])
    rank = None
    if not unanswerable and item.get("evidence"):
        rank = first_hit_rank([c["text"] for c in result.get("contexts", [])], item["evidence"])
    return {"correct": correct, "grounded": grounded, "abstained": abstained, "unanswerable": unanswerable,
            "rank": rank, "has_evidence": bool(item.get("evidence")) and not unanswerable,
            "inconsistent": INCONSISTENT_TAG in item.get("tags", []),
            "flagged": not abstained and bool(result.get("conflict")),
            "latency_ms": result.get("latency_ms", 0.0)}


def precision_coverage(rows: list[tuple[bool, bool, float]], thresholds=None) -> list[dict]:
    """The precision/coverage trade-off of abstaining below a confidence.

    Args:
        rows: ``(answered, correct, confidence)`` per question (an
            abstention is not answered whatever its confidence; ``correct``
            of an answered question is whether the answer is right).
        thresholds: confidences to cut at (default 0, 0.05, … 0.95).

    Returns:
        ``{"threshold", "coverage" (share of questions answered at or above
        it), "precision" (share of those answered right; 1.0 when none)}``
        per threshold.
    """
    ts = np.round(np.arange(0.0, 1.0, 0.05), 2) if thresholds is None else thresholds
    out = []
    for t in ts:
        kept = [c for a, c, p in rows if a and p >= t]
        out.append({"threshold": float(t), "coverage": len(kept) / len(rows) if rows else 0.0,
                    "precision": sum(kept) / len(kept) if kept else 1.0})
    return out


#: Tag of questions about a figure the document states inconsistently
#: (:data:`eval.validate.TAGS`).
INCONSISTENT_TAG = "inconsistent"


def _hit(k: int):
    return lambda s: (float(s["rank"] is not None and s["rank"] <= k), s["has_evidence"])


#: Question metrics as ``name -> score -> (value, counts)``: each is the mean
#: of ``value`` over the items where ``counts`` is true, so one definition
#: serves the headline number, its bootstrap interval and paired comparisons.
QUESTION_METRICS = {
    **{f"hit@{k}": _hit(k) for k in KS},
    "mrr": lambda s: ((1.0 / s["rank"]) if s["rank"] else 0.0, s["has_evidence"]),
    "accuracy": lambda s: (float(s["correct"]), True),
    "answer_accuracy": lambda s: (float(s["correct"]), not s["unanswerable"]),
    "grounded_accuracy": lambda s: (float(s["grounded"]), not s["unanswerable"]),
    "abstention_rate": lambda s: (float(s["abstained"]), s["unanswerable"]),
    "false_abstention_rate": lambda s: (float(s["abstained"]), not s["unanswerable"]),
    "inconsistency_flagged": lambda s: (float(s.get("flagged", False)), s.get("inconsistent", False)),
    "flagged_untagged": lambda s: (float(s.get("flagged", False)),
                                   not s["unanswerable"] and not s["abstained"] and not s.get("inconsistent", False)),
}
#: Claim metrics, same shape as :data:`QUESTION_METRICS`. A supported claim
#: called contradicted is the worst error a verifier can make, so it has its
#: own rate (over supported claims).
CLAIM_METRICS = {
    "verdict_accuracy": lambda s: (float(s["correct"]), True),
    "supported_called_contradicted": lambda s: (float(s["predicted"] == "contradicted"), s["gold"] == "supported"),
    "contradicted_called_supported": lambda s: (float(s["predicted"] == "supported"), s["gold"] == "contradicted"),
    # a figure no plan states, answered with some cell as "the plan states"
    "not_stated_called_contradicted": lambda s: (float(s["predicted"] == "contradicted"), s["gold"] == "not_found"),
}
#: Metrics where lower is better (for the sign of a difference).
LOWER_IS_BETTER = {"false_abstention_rate", "flagged_untagged", "supported_called_contradicted", "contradicted_called_supported",
                   "not_stated_called_contradicted",
                   "latency_p50_ms", "latency_p95_ms"}


def metric_vectors(scores: list[dict], metrics: dict) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``name -> (values, counts)`` arrays of shape ``(len(scores),)``."""
    out = {}
    for name, fn in metrics.items():
        pairs = [fn(s) for s in scores]
        out[name] = (np.array([p[0] for p in pairs], float), np.array([bool(p[1]) for p in pairs], float))
    return out


def _summarise(scores: list[dict], metrics: dict, intervals: bool) -> dict:
    out: dict = {"n": len(scores)}
    ci: dict = {}
    for name, (values, counts) in metric_vectors(scores, metrics).items():
        out[name] = round(float((values * counts).sum() / counts.sum()), 4) if counts.sum() else None
        if intervals and counts.sum():
            ci[name] = [round(x, 4) for x in bootstrap_interval(values, counts)]
    lat = [s["latency_ms"] for s in scores]
    for q in (50, 95):
        out[f"latency_p{q}_ms"] = round(float(np.percentile(lat, q)), 2) if lat else None
        if intervals and lat:
            ci[f"latency_p{q}_ms"] = [round(x, 2) for x in bootstrap_percentile_interval(lat, q)]
    if intervals:
        out["ci95"] = ci
    return out


def aggregate(scores: list[dict], intervals: bool = False) -> dict:
    """Headline question metrics over per-item scores.

    Args:
        scores: :func:`score_question` records.
        intervals: add ``"ci95": {metric: [low, high]}``, the bootstrap 95%
            interval of each metric (:mod:`eval.stats`).

    Returns:
        ``{"n", metric: value or None (no item counts), …}``.
    """
    return _summarise(scores, QUESTION_METRICS, intervals)


#: Verdicts scored as another: an ``approximately`` verdict (an approximate
#: figure that agrees, :class:`assistant.figures.verify.VerdictKind`) agrees
#: with the claim, so it counts as ``supported``.
AGREEING = {"approximately": "supported"}


def score_claim(item: dict, result: dict) -> dict:
    """Per-item scores of a claim result: gold and predicted verdict."""
    predicted = AGREEING.get(result["verdict"], result["verdict"])
    return {"correct": predicted == item["verdict"], "gold": item["verdict"], "predicted": predicted,
            "latency_ms": result.get("latency_ms", 0.0)}


def breakdown(items: list[dict], scores: list[dict], key: str) -> dict:
    """:func:`aggregate` per value of ``key`` (category, lang, difficulty)."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for item, s in zip(items, scores):
        groups[item.get(key, "?")].append(s)
    return {k: aggregate(v) for k, v in sorted(groups.items())}


def claim_metrics(scores: list[dict], intervals: bool = False) -> dict:
    """Claim-verdict accuracy, error rates, the confusion matrix and latency.

    Returns:
        ``{"n", "verdict_accuracy", "supported_called_contradicted",
        "contradicted_called_supported", "confusion": {gold: {predicted:
        count}}, latency, "ci95"?}``; ``verdict_accuracy`` is None without claims.
    """
    if not scores:
        return {"n": 0, "verdict_accuracy": None}
    out = _summarise(scores, CLAIM_METRICS, intervals)
    confusion: dict[str, dict[str, int]] = {}
    for s in scores:
        row = confusion.setdefault(s["gold"], {})
        row[s["predicted"]] = row.get(s["predicted"], 0) + 1
    out["confusion"] = confusion
    return out
