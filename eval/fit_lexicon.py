"""Fit the learned bilingual lexicon (:mod:`assistant.lexicon`) on the dev
split and measure what it does for English retrieval.

1. The pairs: every answerable English dev question with its gold evidence
   spans.
2. Cross-validation by writer: each dev question set (the id prefix before
   ``-``: one writer's questions) is retrieved with a lexicon fitted on the
   other sets, and without one; hit@5 and MRR of the first chunk holding an
   evidence span, the question restricted to its document, the English
   fusion weights of :data:`assistant.retrieve.WEIGHTS`.
3. The lexicon fitted on all pairs is written with those numbers in
   ``meta``.

Usage::

    python -m eval fit-lexicon [--db DB] [--out assistant/data/lexicon.json]
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from pathlib import Path

from .metrics import QUESTION_METRICS, first_hit_rank
from .splits import SplitName, question_set, resolve
from .validate import read_jsonl

#: Chunks retrieved per question (the answer path's DEFAULT_TOP_K is 8; hit@5 is read from them).
TOP_K = 8


def fit(db: Path, out: Path) -> dict:
    """Cross-validate by writer, fit on all English dev questions and write
    the lexicon to ``out``; returns its ``meta``."""
    from assistant import get_assistant
    from assistant.lexicon import Lexicon
    from assistant.query import analyze
    from ingest.tokenize import PlanTokenizer

    assistant = get_assistant(db)
    retriever = assistant.retriever
    tok = PlanTokenizer()
    chunks = retriever.chunks.fetch(list(retriever.chunks))
    df: Counter = Counter()
    for chunk in chunks.values():
        df.update(set(tok.words(chunk.text)))
    n = len(chunks)

    def idf(word: str) -> float:
        return math.log(n / (1 + df[word]))

    (dev,) = resolve(SplitName.DEV)
    items, _ = read_jsonl(dev.path)
    items = [q for q in items if q["kind"] == "question" and q["lang"] == "en" and q["category"] != "unanswerable"
             and q.get("evidence")]

    def rank(item: dict, lexicon: Lexicon) -> int | None:
        query = analyze(item["question"], lexicon=lexicon)
        hits = retriever.retrieve(query, top_k=TOP_K, doc_ids=[item["doc"]] if item.get("doc") else None)
        return first_hit_rank([h.chunk.text for h in hits], item["evidence"])

    def fitted(subset: list[dict]) -> Lexicon:
        return Lexicon.fit([(q["question"], q["evidence"]) for q in subset], words=tok.words, idf=idf)

    without, with_ = [], []
    for name in sorted({question_set(q["id"]) for q in items}):
        lexicon = fitted([q for q in items if question_set(q["id"]) != name])
        for q in items:
            if question_set(q["id"]) == name:
                without.append(rank(q, Lexicon({})))
                with_.append(rank(q, lexicon))

    def mean(metric: str, ranks: list[int | None]) -> float:
        # the harness's own definition of the metric (eval.metrics.QUESTION_METRICS)
        score = QUESTION_METRICS[metric]
        return round(sum(score({"rank": r, "has_evidence": True})[0] for r in ranks) / len(ranks), 4) if ranks else 0.0

    meta = {"split": "dev", "questions": len(items), "cv": "leave one question set (writer) out",
            "cv_hit@5_without": mean("hit@5", without), "cv_hit@5_with": mean("hit@5", with_),
            "cv_mrr_without": mean("mrr", without), "cv_mrr_with": mean("mrr", with_)}
    lexicon = fitted(items)
    lexicon = replace(lexicon, meta={**meta, "entries": len(lexicon.entries)})
    out.write_text(lexicon.to_json() + "\n", encoding="utf-8")
    return lexicon.meta


__all__ = ["TOP_K", "fit"]
