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
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

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
            "contexts": [{"text", …}], "latency_ms"}``.
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
            "latency_ms": result.get("latency_ms", 0.0)}


def _mean(values) -> float | None:
    values = list(values)
    return round(float(np.mean(values)), 4) if values else None


def aggregate(scores: list[dict]) -> dict:
    """Headline metrics over per-item question scores."""
    retrieval = [s for s in scores if s["has_evidence"]]
    answerable = [s for s in scores if not s["unanswerable"]]
    unanswerable = [s for s in scores if s["unanswerable"]]
    out = {"n": len(scores)}
    for k in KS:
        out[f"hit@{k}"] = _mean(s["rank"] is not None and s["rank"] <= k for s in retrieval)
    out["mrr"] = _mean((1.0 / s["rank"]) if s["rank"] else 0.0 for s in retrieval)
    out["accuracy"] = _mean(s["correct"] for s in scores)
    out["answer_accuracy"] = _mean(s["correct"] for s in answerable)
    out["grounded_accuracy"] = _mean(s["grounded"] for s in answerable)
    out["abstention_rate"] = _mean(s["abstained"] for s in unanswerable)
    out["false_abstention_rate"] = _mean(s["abstained"] for s in answerable)
    lat = [s["latency_ms"] for s in scores]
    out["latency_p50_ms"] = round(float(np.percentile(lat, 50)), 2) if lat else None
    out["latency_p95_ms"] = round(float(np.percentile(lat, 95)), 2) if lat else None
    return out


def score_claim(item: dict, result: dict) -> dict:
    """Per-item scores of a claim result (verdict accuracy)."""
    return {"correct": result["verdict"] == item["verdict"], "latency_ms": result.get("latency_ms", 0.0)}


def breakdown(items: list[dict], scores: list[dict], key: str) -> dict:
    """:func:`aggregate` per value of ``key`` (category, lang, difficulty)."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for item, s in zip(items, scores):
        groups[item.get(key, "?")].append(s)
    return {k: aggregate(v) for k, v in sorted(groups.items())}


def claim_metrics(scores: list[dict]) -> dict:
    """Claim-verdict accuracy and latency."""
    if not scores:
        return {"n": 0, "verdict_accuracy": None}
    lat = [s["latency_ms"] for s in scores]
    return {"n": len(scores), "verdict_accuracy": _mean(s["correct"] for s in scores),
            "latency_p50_ms": round(float(np.percentile(lat, 50)), 2),
            "latency_p95_ms": round(float(np.percentile(lat, 95)), 2)}
