"""BM25 over pre-tokenized chunks (bm25s), persisted next to the index.

llama-index's ``BM25Retriever`` cannot be used for Chinese: its tokenizer
turns a whole clause into one token (every score 0.0) and its
``tokenizer=`` argument is ignored. This wraps bm25s directly over
:class:`ingest.tokenize.PlanTokenizer` tokens.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

# BM25 parameters: k1=1.5, b=0.75 are the usual Robertson/Okapi defaults
# (bm25s uses them too).
K1 = 1.5
B = 0.75


def fingerprint(ids: list[str]) -> str:
    """SHA-256 over the sorted chunk ids: equal fingerprints mean the BM25
    index and Chroma hold the same chunks."""
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


class BM25Index:
    """A BM25 index over one lexical view of the chunks.

    Example:
        >>> idx = BM25Index.build(["a", "b"], [["分項", "經費"], ["人才", "培訓"]])
        >>> idx.scores(["經費"]).round(3).tolist()[1]
        0.0

    Args:
        ids: chunk ids, in the order of the rows of the index.
        retriever: a fitted ``bm25s.BM25``.
    """

    def __init__(self, ids: list[str], retriever, vocab: dict[str, int]):
        self.ids = ids
        self._retriever = retriever
        self._vocab = vocab
        self._row = {cid: i for i, cid in enumerate(ids)}

    @classmethod
    def build(cls, ids: list[str], token_lists: list[list[str]]) -> "BM25Index":
        """Index ``token_lists`` (one list of tokens per chunk id)."""
        import bm25s

        vocab: dict[str, int] = {}
        encoded = [[vocab.setdefault(t, len(vocab)) for t in toks] for toks in token_lists]
        retriever = bm25s.BM25(k1=K1, b=B)
        # bm25s needs at least one token per document and a non-empty vocab.
        vocab.setdefault("\x00", len(vocab))
        encoded = [e or [vocab["\x00"]] for e in encoded]
        retriever.index(bm25s.tokenization.Tokenized(ids=encoded, vocab=vocab), show_progress=False)
        return cls(list(ids), retriever, vocab)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk (array aligned with :attr:`ids`)."""
        known = [self._vocab[t] for t in query_tokens if t in self._vocab]
        if not known or not self.ids:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._retriever.get_scores(known), dtype=np.float32)

    def save(self, folder: Path, fp: str) -> None:
        """Persist to ``folder`` with the fingerprint ``fp``."""
        folder.mkdir(parents=True, exist_ok=True)
        self._retriever.save(str(folder / "bm25s"))
        (folder / "meta.json").write_text(json.dumps({"fingerprint": fp, "ids": self.ids, "vocab": self._vocab}, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, fp: str) -> "BM25Index | None":
        """Load from ``folder`` if it was saved with fingerprint ``fp``;
        ``None`` when missing or stale."""
        import bm25s

        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            if meta["fingerprint"] != fp:
                return None
            return cls(meta["ids"], bm25s.BM25.load(str(folder / "bm25s")), meta["vocab"])
        except (OSError, ValueError, KeyError):
            return None
