"""Named configurations for ``python -m eval run --config NAME``.

* ``shipped`` — the pipeline as shipped (:mod:`assistant`).
* ``baseline`` — the plain baseline (:mod:`eval.baseline`).
* ablations of the shipped pipeline's design choices, each changing one
  thing: ``bm25-words`` (BM25 over jieba words only), ``no-bigrams``,
  ``no-vector`` (BM25 views only), ``vector-only``, ``table-boost`` (table
  chunks ×1.5 for amount/target questions), ``year-boost`` (chunks naming the
  asked year ×1.3), ``no-expansion`` (no neighbours of fragment hits),
  ``no-abstention`` (no confidence threshold; the year and amount checks
  still abstain), ``lexical-selector`` (answer candidates ranked by word and
  bigram coverage of the question alone instead of the fitted ranker; the
  same confidence model and threshold), ``flat-weights`` (equal RRF weights
  for every question language: the fusion before the per-language weights),
  ``no-rerank`` (the sources listed in the fusion's order, without the
  fitted reranker of :mod:`assistant.rerank`; the answers are the same).

The embedding model belongs to the index, not to a configuration: ablate it
with ``--embed-model lsa|e5`` and a ``--db`` folder per model.
"""
from __future__ import annotations

import time
from dataclasses import asdict, replace
from pathlib import Path

from assistant.retrieve import RetrievalConfig, Retriever

W, B, V = Retriever.WORDS, Retriever.BIGRAMS, Retriever.VECTOR
_SHIPPED = RetrievalConfig()
RETRIEVAL_ABLATIONS = {
    "shipped": _SHIPPED,
    "bm25-words": replace(_SHIPPED, weights={W: 1.0}),
    "no-bigrams": replace(_SHIPPED, weights={W: 1.0, V: 1.0}),
    "no-vector": replace(_SHIPPED, weights={W: 1.0, B: 1.0}),
    "vector-only": replace(_SHIPPED, weights={V: 1.0}),
    # the sources in the fusion's order, without the fitted reranker (assistant.rerank)
    "no-rerank": replace(_SHIPPED, rerank=False),
    # boosts the shipped pipeline leaves off (1.0) because they measured worse
    "table-boost": replace(_SHIPPED, table_boost=1.5),
    "year-boost": replace(_SHIPPED, year_boost=1.3),
    "no-expansion": replace(_SHIPPED, expand_fragments=False),
    "no-abstention": _SHIPPED,
    "lexical-selector": _SHIPPED,
    "flat-weights": replace(_SHIPPED, weights={W: 1.0, B: 1.0, V: 1.0}),
}
CONFIG_NAMES = ["baseline", *RETRIEVAL_ABLATIONS]


def lexical_selector():
    """The shipped :class:`~assistant.selector.SelectorModel` with its ranker
    replaced by word + bigram coverage (weights 0.6 / 0.4 on the raw
    coverages, as the composer's hand-set score before issue 13)."""
    from dataclasses import replace as with_fields

    from assistant.selector import FEATURES, SelectorModel

    model = SelectorModel.load()
    n = 2 * len(FEATURES)   # the linear ranker's inputs (assistant.selector.ranker_inputs)
    coef = [0.0] * n
    coef[FEATURES.index("word_coverage")], coef[FEATURES.index("bigram_coverage")] = 0.6, 0.4
    return with_fields(model, mean=(0.0,) * n, scale=(1.0,) * n, coef=tuple(coef), trees=None)


class UnknownConfig(ValueError):
    """A configuration name that does not exist (lists the valid ones)."""

    def __init__(self, name: str):
        super().__init__(f"unknown config {name!r}; valid: {', '.join(CONFIG_NAMES)}")


class PipelineSystem:
    """The :mod:`assistant` pipeline under one retrieval configuration.

    Args:
        name: the configuration name.
        db_dir: the index folder.
        top_k: chunks retrieved per question (contexts for hit@10 need 10).
    """

    def __init__(self, name: str, db_dir: Path, top_k: int = 10):
        from assistant.answer import Assistant

        if name not in RETRIEVAL_ABLATIONS:
            raise UnknownConfig(name)
        self.name = name
        self.top_k = top_k
        self.assistant = Assistant(db_dir, config=RETRIEVAL_ABLATIONS[name],
                                   min_score=float("-inf") if name == "no-abstention" else None)
        if name == "lexical-selector":
            self.assistant.composer.model = lexical_selector()

    def answer(self, question: str, doc_ids: list[str] | None = None) -> dict:
        t = time.perf_counter()
        a = self.assistant.ask(question, doc_ids=doc_ids, top_k=self.top_k)
        latency = (time.perf_counter() - t) * 1000
        return {"answer": a.answer, "abstained": a.abstained, "conflict": a.conflict, "confidence": a.confidence,
                "citations": [{k: c[k] for k in ("marker", "doc_id", "page", "chunk_id", "text")} for c in map(asdict, a.citations)],
                "contexts": [{k: c[k] for k in ("rank", "doc_id", "page", "chunk_id", "score", "text")} for c in map(asdict, a.contexts)],
                "latency_ms": latency}

    def verify(self, claim: str, doc_ids: list[str] | None = None) -> dict | None:
        """The claim result (verified within ``doc_ids`` when given), or
        ``None`` when verification is not installed."""
        try:
            from assistant.verify import verify
        except ImportError:
            return None
        t = time.perf_counter()
        v = verify(claim, doc_ids=doc_ids, db_dir=self.assistant.index.db_dir)
        return {"verdict": v.verdict, "correct_value": v.correct_value,
                "evidence": [{"doc_id": e.doc_id, "page": e.page, "text": e.text} for e in v.evidence],
                "latency_ms": (time.perf_counter() - t) * 1000}


def make_system(name: str, db_dir: Path, top_k: int = 10):
    """Build the system for a configuration name.

    Raises:
        UnknownConfig: ``name`` is not in :data:`CONFIG_NAMES`.
    """
    if name == "baseline":
        from ingest.store import PlanIndex

        from .baseline import BaselineSystem

        files = [Path(d.source_path) for d in PlanIndex(db_dir).list_documents()]
        return BaselineSystem(files)
    return PipelineSystem(name, db_dir, top_k)
