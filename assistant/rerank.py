"""A learned reranker over the fused retrieval candidates.

Reciprocal rank fusion (:mod:`assistant.retrieve`) reads each view's rank
alone.  The reranker reads them together with what RRF cannot see -- whether
a chunk is a table, whether it names the year the question asks, how long it
is, the kind of question -- and orders the fused chunks by the probability
that a chunk holds the answer's evidence.

The model is a gradient-boosted tree ensemble (:class:`~assistant.trees.TreeEnsemble`)
fitted by ``python -m eval fit-reranker`` on the dev split's answerable
questions: each question's first :data:`RERANK_DEPTH` fused candidates,
labelled by whether the chunk holds one of the question's evidence spans,
with cross-validation over question writers reported beside the fit
(``assistant/data/reranker.json``, ``meta``).  It was fitted on an e5
index's rankings and is used only on an index of the same embedding model
(:attr:`Reranker.embed_model`), when
:attr:`~assistant.retrieve.RetrievalConfig.rerank` is on (as shipped).

The retriever lets it order the fusion's ``top_k`` chunks -- the sources as
listed -- and the answer is composed from the same chunks in the fusion's
order (:func:`~assistant.retrieve.answering_order`).  Deeper, it brought
chunks in that the answer selector, fitted on the fusion's order, answered
worse from (dev answers 0.858 → 0.855, inconsistent figures flagged 0.825 →
0.804, reordering 30 fused chunks), and the selector refitted on reranked
retrieval fell on test (README, nineteenth and twentieth sessions).

Example:
    >>> r = Reranker.load()
    >>> r.embed_model
    'e5'
    >>> len(FEATURES) == r.trees.n_features
    True
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .query import QueryAnalysis, QuestionType
from .trees import TreeEnsemble

if TYPE_CHECKING:   # the retriever imports this module
    from .retrieve import Hit

#: The shipped model.
MODEL_PATH = Path(__file__).resolve().parent / "data" / "reranker.json"
#: How many fused candidates :meth:`Reranker.order` reorders at most
#: (those below keep their fused order after them) and the fitter labels.
RERANK_DEPTH = 30
#: The rank given to a chunk missing from a view's ranking (that ranking is
#: :data:`~assistant.retrieve.CANDIDATES` = 50 deep).
UNRANKED = 100
#: Added to a rank before inverting it, so that ranks 1 and 2 differ less
#: than 1/1 and 1/2 do.
RANK_OFFSET = 5
#: The rankings the features read, in order (:class:`~assistant.retrieve.Retriever` values).
VIEWS = ("words", "bigrams", "vector")
_QTYPES = tuple(q.value for q in QuestionType)

#: The reranker's input columns, in order.
FEATURES = (
    *(f"{v}_{k}" for v in VIEWS for k in ("inv_rank", "top5")),
    "fused_inv_rank", "fused_score", "table", "english", "names_year", "asks_year", "log_length",
    *(f"qtype_{q}" for q in _QTYPES),
    *(f"table_x_qtype_{q}" for q in _QTYPES),
)


def features(query: QueryAnalysis, hits: list[Hit], ranks: dict[str, dict[str, int]]) -> np.ndarray:
    """The :data:`FEATURES` row of each hit.

    Args:
        query: the analysed question.
        hits: the fused hits, best first (their ``score`` the RRF score);
            one row each.
        ranks: chunk id → ``{view: 1-based rank}`` in each ranking that
            holds it (:meth:`~assistant.retrieve.HybridRetriever.fusion`).

    Returns:
        float array of shape ``(len(hits), len(FEATURES))``.
    """
    years = query.year_terms
    qtype = [float(query.qtype.value == q) for q in _QTYPES]
    rows = []
    for i, hit in enumerate(hits, start=1):
        chunk = hit.chunk
        row = []
        for view in VIEWS:
            r = ranks.get(chunk.chunk_id, {}).get(view, UNRANKED)
            row += [1.0 / (r + RANK_OFFSET), float(r <= 5)]
        table = float(chunk.chunk_type == "table")
        row += [1.0 / (i + RANK_OFFSET), hit.score * 100, table, float(query.lang == "en"),
                float(bool(years) and any(y in chunk.text for y in years)), float(bool(years)),
                math.log1p(len(chunk.text))]
        row += qtype + [table * q for q in qtype]
        rows.append(row)
    return np.asarray(rows, dtype=float).reshape(len(hits), len(FEATURES))


@dataclass(frozen=True)
class Reranker:
    """The fitted reranker.

    Attributes:
        trees: the fitted ensemble (log-odds that a chunk holds evidence).
        embed_model: the index embedding model whose rankings it was fitted on.
        meta: how it was fitted (questions, cross-validated hit@5 and MRR).
    """

    trees: TreeEnsemble
    embed_model: str
    meta: dict

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Reranker:
        """Read a model written by :meth:`save`.

        Raises:
            OSError: the file cannot be read.
            ValueError: it was fitted on other features than :data:`FEATURES`.
        """
        d = json.loads(Path(path).read_text(encoding="utf-8"))
        if d.get("features") != list(FEATURES):
            raise ValueError(f"{path}: fitted on other features; refit with python -m eval fit-reranker")
        return cls(TreeEnsemble.from_dict(d["trees"]), d["embed_model"], d.get("meta", {}))

    def save(self, path: Path = MODEL_PATH) -> None:
        """Write the model as JSON."""
        Path(path).write_text(json.dumps({"features": list(FEATURES), "embed_model": self.embed_model,
                                          "meta": self.meta, "trees": self.trees.to_dict()}),
                              encoding="utf-8")

    def order(self, query: QueryAnalysis, hits: list[Hit], ranks: dict[str, dict[str, int]]) -> list[Hit]:
        """``hits`` (fused order) with the first :data:`RERANK_DEPTH`
        reordered by the model's score (ties keep their fused order)."""
        head = hits[:RERANK_DEPTH]
        if len(head) < 2:
            return hits
        scores = self.trees.decision_function(features(query, head, ranks))
        return [head[i] for i in np.argsort(-scores, kind="stable")] + hits[RERANK_DEPTH:]


__all__ = ["FEATURES", "MODEL_PATH", "RERANK_DEPTH", "Reranker", "features"]
