"""BM25 over pre-tokenized chunks, persisted next to the index and updated
in place when documents come and go.

llama-index's ``BM25Retriever`` cannot be used for Chinese: its tokenizer
turns a whole clause into one token (every score 0.0) and its
``tokenizer=`` argument is ignored.  bm25s precomputes every score, so one
added document means re-indexing the whole corpus (~30 s per view at
170,000 chunks).  This index keeps the raw term frequencies instead (a
scipy CSC matrix, term-major) and scores at query time with the Lucene
variant of BM25 -- the formula bm25s uses by default (``method="lucene"``;
Kamphuis et al., ECIR 2020) -- so adding or removing a document only adds
or drops rows (``tests/test_bm25.py`` checks the scores against bm25s).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from scipy import sparse

from .counts import RowCounter

# BM25 parameters: k1=1.5, b=0.75 are the usual Robertson/Okapi defaults
# (bm25s uses them too).
K1 = 1.5
B = 0.75


def fingerprint(ids: Iterable[str]) -> str:
    """SHA-256 over the sorted chunk ids: equal fingerprints mean the BM25
    index and Chroma hold the same chunks."""
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


class BM25Builder:
    """Term frequencies of one view, a chunk at a time: feed several
    builders from one pass over the chunks (both views from one read of
    the collection), then :meth:`index` each.

    Example:
        >>> b = BM25Builder()
        >>> b.add(["分項", "經費", "經費"]); b.add(["人才"])
        >>> b.index(["a", "b"], ["d1", "d1"]).ids
        ['a', 'b']

    Args:
        vocab: token -> column to grow (default a new one).
    """

    def __init__(self, vocab: dict[str, int] | None = None):
        self.vocab = {} if vocab is None else vocab
        self._rows = RowCounter()

    def add(self, tokens: list[str]) -> None:
        """Append one chunk's tokens (one row)."""
        vocab = self.vocab
        self._rows.add(np.fromiter((vocab.setdefault(t, len(vocab)) for t in tokens), dtype=np.int32,
                                   count=len(tokens)))

    def matrix(self):
        """The rows added so far: a CSR (rows × vocabulary) matrix."""
        data, indices, indptr = self._rows.parts()
        return sparse.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, max(len(self.vocab), 1)))

    def index(self, ids: list[str], docs: list[str]) -> "BM25Index":
        """The :class:`BM25Index` of the rows added (one per id, in order)."""
        return BM25Index(ids, docs, self.vocab, self.matrix())


class BM25Index:
    """A BM25 index over one lexical view of the chunks.

    Example:
        >>> idx = BM25Index.build(["a", "b"], ["d1", "d1"], [["分項", "經費"], ["人才", "培訓"]])
        >>> idx.scores(["經費"]).round(3).tolist()[1]
        0.0
        >>> idx = idx.updated(remove={"a"}, ids=["c"], docs=["d2"], token_lists=[["經費"]])
        >>> idx.ids
        ['b', 'c']

    Args:
        ids: chunk ids, one per row.
        docs: the doc_id of each row.
        vocab: token → column.
        tf: term frequencies, a (rows × vocabulary) ``scipy.sparse`` matrix.
    """

    def __init__(self, ids: list[str], docs: list[str], vocab: dict[str, int], tf):
        self.ids = list(ids)
        self.docs = list(docs)
        self._vocab = vocab
        # term-major only: a row-major copy would double the memory
        self._csc = sparse.csc_matrix(tf, dtype=np.float32)
        self._csc.resize((len(self.ids), max(len(vocab), 1)))
        self._csc.sort_indices()
        self._lengths = np.asarray(self._csc.sum(axis=1), dtype=np.float32).ravel()
        n = len(self.ids)
        self._norm = K1 * (1 - B + B * self._lengths / max(float(self._lengths.mean()) if n else 0.0, 1e-9))
        df = np.diff(self._csc.indptr).astype(np.float64)
        #: inverse document frequency of each column (Lucene: ln(1 + (N - df + 0.5) / (df + 0.5)))
        self.idf_by_column = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        #: the idf of a token no chunk holds (df = 0)
        self.unseen_idf = float(np.log1p((max(n, 1) + 0.5) / 0.5))
        self._doc_rows: dict[str, np.ndarray] | None = None

    @staticmethod
    def _encode(vocab: dict[str, int], token_lists: Iterable[list[str]]):
        """Term frequencies of ``token_lists`` as a CSR matrix, growing
        ``vocab`` (:class:`BM25Builder`)."""
        builder = BM25Builder(vocab)
        for toks in token_lists:
            builder.add(toks)
        return builder.matrix()

    @classmethod
    def build(cls, ids: list[str], docs: list[str], token_lists: Iterable[list[str]]) -> "BM25Index":
        """Index ``token_lists`` (one list of tokens per chunk id, any
        iterable: it is read once)."""
        vocab: dict[str, int] = {}
        return cls(ids, docs, vocab, cls._encode(vocab, token_lists))

    def updated(self, *, remove: set[str] = frozenset(), ids: list[str] = (), docs: list[str] = (),
                token_lists: Iterable[list[str]] = ()) -> "BM25Index":
        """A new index without the rows of ``remove`` and with the rows of
        ``ids`` (their ``docs`` and ``token_lists``) added; this one is
        unchanged."""
        keep = [i for i, cid in enumerate(self.ids) if cid not in remove]
        vocab = dict(self._vocab)
        added = self._encode(vocab, token_lists)
        old = self._csc.tocsr()[keep]
        width = max(len(vocab), 1)
        old.resize((old.shape[0], width))
        added.resize((added.shape[0], width))
        return BM25Index([self.ids[i] for i in keep] + list(ids), [self.docs[i] for i in keep] + list(docs),
                         vocab, sparse.vstack([old, added], format="csr"))

    def scores(self, query_tokens: list[str], rows: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every chunk (array aligned with :attr:`ids`; a
        token given twice counts twice, as in bm25s).  With ``rows``
        (indices into :attr:`ids`) only those rows are scored; the others
        stay 0."""
        out = np.zeros(len(self.ids), dtype=np.float32)
        for t in query_tokens:
            j = self._vocab.get(t)
            if j is None:
                continue
            lo, hi = self._csc.indptr[j], self._csc.indptr[j + 1]
            r, tf = self._csc.indices[lo:hi], self._csc.data[lo:hi]
            if rows is not None:
                hit = np.isin(r, rows, assume_unique=True)
                r, tf = r[hit], tf[hit]
            out[r] += self.idf_by_column[j] * tf / (tf + self._norm[r])
        return out

    def rows_of(self, doc_ids: Iterable[str]) -> np.ndarray:
        """The row indices of the chunks of ``doc_ids`` (sorted)."""
        if self._doc_rows is None:
            by_doc: dict[str, list[int]] = {}
            for i, d in enumerate(self.docs):
                by_doc.setdefault(d, []).append(i)
            self._doc_rows = {d: np.asarray(r, dtype=np.int64) for d, r in by_doc.items()}
        parts = [self._doc_rows[d] for d in doc_ids if d in self._doc_rows]
        return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def held_by(self, tokens: Iterable[str], doc_ids: Iterable[str]) -> frozenset[str]:
        """The tokens of ``tokens`` that some chunk of ``doc_ids`` holds.

        Example:
            >>> idx = BM25Index.build(["a", "b"], ["d1", "d2"], [["分項", "經費"], ["人才"]])
            >>> sorted(idx.held_by(["經費", "人才", "學費"], ["d1"]))
            ['經費']
        """
        rows = self.rows_of(doc_ids)
        out = []
        for t in tokens:
            j = self._vocab.get(t)
            if j is None:
                continue
            lo, hi = self._csc.indptr[j], self._csc.indptr[j + 1]
            if np.isin(self._csc.indices[lo:hi], rows, assume_unique=True).any():
                out.append(t)
        return frozenset(out)

    def idf(self) -> dict[str, float]:
        """token → inverse document frequency over the indexed chunks."""
        return {t: float(self.idf_by_column[j]) for t, j in self._vocab.items()}

    def save(self, folder: Path, fp: str) -> None:
        """Persist to ``folder`` with the fingerprint ``fp`` (the meta file
        is written last: a folder cut off mid-write has a stale or missing
        fingerprint and is rebuilt)."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "meta.json").unlink(missing_ok=True)
        sparse.save_npz(folder / "tf.npz", self._csc, compressed=False)
        tmp = folder / "meta.json.tmp"
        tmp.write_text(json.dumps({"fingerprint": fp, "ids": self.ids, "docs": self.docs, "vocab": self._vocab},
                                  ensure_ascii=False), encoding="utf-8")
        tmp.replace(folder / "meta.json")

    @classmethod
    def load(cls, folder: Path, fp: str | None) -> "BM25Index | None":
        """Load from ``folder`` if it was saved with fingerprint ``fp``
        (``None``: any); ``None`` when missing, stale or unreadable."""
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            if fp is not None and meta["fingerprint"] != fp:
                return None
            return cls(meta["ids"], meta["docs"], meta["vocab"], sparse.load_npz(folder / "tf.npz"))
        except (OSError, ValueError, KeyError):
            return None
