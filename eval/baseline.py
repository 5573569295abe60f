"""The plain baseline the shipped pipeline is measured against.

Fixed 500-character chunks of each document's cleaned text (no structure,
no table handling), BM25 over jieba words, top-5, and as the answer the
sentence of the top chunk that shares the most words with the question. It
never abstains and cites the top chunk.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

from ingest.bm25 import BM25Index
from ingest.clean import clean_pages
from ingest.loaders import load_document
from ingest.tokenize import PlanTokenizer

CHUNK_CHARS = 500
TOP_K = 5


class BaselineSystem:
    """Answers with the plain baseline (see the module docstring).

    Args:
        files: the documents' files (PDF or text).
    """

    name = "baseline"

    def __init__(self, files: list[Path]):
        self._tok = PlanTokenizer()
        self.chunks: list[dict] = []
        for f in files:
            doc = load_document(Path(f))
            lines = clean_pages([(p.page, p.text) for p in doc.pages])
            buf, page = "", None
            for ln in lines:
                if page is None:
                    page = ln.page
                buf += ln.text.replace("\t", " ") + "\n"
                while len(buf) >= CHUNK_CHARS:
                    self.chunks.append({"doc_id": doc.doc_id, "page": page, "text": buf[:CHUNK_CHARS]})
                    buf, page = buf[CHUNK_CHARS:], ln.page
            if buf.strip():
                self.chunks.append({"doc_id": doc.doc_id, "page": page or 1, "text": buf})
        for i, c in enumerate(self.chunks):
            c["chunk_id"] = f"baseline-{i}"
        self.bm25 = BM25Index.build([c["chunk_id"] for c in self.chunks], [c["doc_id"] for c in self.chunks],
                                    [self._tok.words(c["text"]) for c in self.chunks])

    def answer(self, question: str, doc_ids: list[str] | None = None) -> dict:
        """One question → the result record of ``eval run``."""
        t = time.perf_counter()
        scores = self.bm25.scores(self._tok.words(question))
        order = [i for i in scores.argsort()[::-1] if not doc_ids or self.chunks[i]["doc_id"] in doc_ids][:TOP_K]
        contexts = [{"rank": r, "doc_id": self.chunks[i]["doc_id"], "page": self.chunks[i]["page"],
                     "chunk_id": self.chunks[i]["chunk_id"], "score": float(scores[i]), "text": self.chunks[i]["text"]}
                    for r, i in enumerate(order, start=1)]
        answer, citations = "", []
        if contexts:
            q = set(self._tok.words(question))
            sents = [s for s in re.split(r"(?<=[。!?;\n])", contexts[0]["text"]) if s.strip()]
            best = max(sents, key=lambda s: len(q & set(self._tok.words(s))))
            answer = best.strip() + "[1]"
            citations = [{"marker": 1, **{k: contexts[0][k] for k in ("doc_id", "page", "chunk_id", "text")}}]
        return {"answer": answer, "abstained": False, "citations": citations, "contexts": contexts,
                "latency_ms": (time.perf_counter() - t) * 1000}
