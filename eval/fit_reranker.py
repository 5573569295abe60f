"""Fit the retrieval reranker (:mod:`assistant.rerank`) on the dev split.

1. The candidates: every answerable dev question with evidence is analysed
   and fused by the shipped retriever in its own document
   (:meth:`~assistant.retrieve.HybridRetriever.fusion`, every view ranked);
   its first :data:`~assistant.rerank.RERANK_DEPTH` chunks are the rows,
   labelled 1 when the chunk holds one of the question's evidence spans
   (the harness's own matching, :func:`eval.metrics.first_hit_rank`).
2. Cross-validation by writer: the questions of one writer's set (the id
   prefix before ``-``) are reranked by a model fitted on the other sets;
   hit@5 and MRR of the first evidence chunk before and after, over the
   question sets, are written to ``meta``.
3. The model fitted on every question is written to ``out``.

The ensemble's settings are fixed, not searched (:data:`PARAMS`).

Usage::

    python -m eval fit-reranker [--db DB] [--out assistant/data/reranker.json]
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .metrics import QUESTION_METRICS, first_hit_rank
from .splits import SplitName, question_set, resolve
from .validate import read_jsonl

#: The gradient-boosting settings (scikit-learn's HistGradientBoostingClassifier):
#: small trees, a slow rate and large leaves against over-fitting a few
#: thousand questions; fixed before the first fit, not searched.
PARAMS = {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15, "min_samples_leaf": 40, "random_state": 0}


def candidates(retriever, item: dict) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` of one question: the :data:`~assistant.rerank.FEATURES`
    rows of its fused candidates (fused order) and their evidence labels."""
    from assistant.query import analyze
    from assistant.rerank import RERANK_DEPTH, features

    query = analyze(item["question"])
    hits, every = retriever.fusion(query, doc_ids=[item["doc"]] if item.get("doc") else None, depth=RERANK_DEPTH,
                                   every_view=True)
    X = features(query, hits, every)
    y = np.array([first_hit_rank([h.chunk.text], item["evidence"]) is not None for h in hits], dtype=int)
    return X, y


def _first_rank(scores: np.ndarray, y: np.ndarray) -> int | None:
    order = np.argsort(-scores, kind="stable")
    return next((i + 1 for i, j in enumerate(order) if y[j]), None)


def fit(db: Path, out: Path) -> dict:
    """Cross-validate by writer, fit on all answerable dev questions and
    write the reranker to ``out``; returns its ``meta``."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from assistant import get_assistant
    from assistant.rerank import Reranker
    from assistant.trees import TreeEnsemble

    retriever = get_assistant(db).retriever
    (dev,) = resolve(SplitName.DEV)
    items, _ = read_jsonl(dev.path)
    items = [q for q in items if q["kind"] == "question" and q["category"] != "unanswerable" and q.get("evidence")]
    rows = [candidates(retriever, q) for q in items]
    sets = [question_set(q["id"]) for q in items]
    before, after = [], []
    for name in sorted(set(sets)):
        train = [r for r, s in zip(rows, sets) if s != name and len(r[1])]
        model = HistGradientBoostingClassifier(**PARAMS).fit(np.vstack([x for x, _ in train]),
                                                             np.concatenate([y for _, y in train]))
        for (x, y), s in zip(rows, sets):
            if s == name:
                before.append(_first_rank(-np.arange(len(y), dtype=float), y))
                after.append(_first_rank(model.decision_function(x) if len(y) else np.zeros(0), y))

    def mean(metric: str, ranks: list[int | None]) -> float:
        score = QUESTION_METRICS[metric]
        return round(sum(score({"rank": r, "has_evidence": True})[0] for r in ranks) / len(ranks), 4) if ranks else 0.0

    meta = {"split": "dev", "questions": len(items), "cv": "leave one question set (writer) out", "params": PARAMS,
            "cv_hit@5_fused": mean("hit@5", before), "cv_hit@5_reranked": mean("hit@5", after),
            "cv_mrr_fused": mean("mrr", before), "cv_mrr_reranked": mean("mrr", after)}
    full = [r for r in rows if len(r[1])]
    model = HistGradientBoostingClassifier(**PARAMS).fit(np.vstack([x for x, _ in full]),
                                                         np.concatenate([y for _, y in full]))
    embed_model = retriever.index.embed_model() or "lsa"
    Reranker(TreeEnsemble.from_sklearn(model), embed_model, meta).save(out)
    return meta


__all__ = ["PARAMS", "candidates", "fit"]
