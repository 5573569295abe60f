"""Check that the parts of an index agree, and repair them when they do not.

An index is five things that must agree (:mod:`ingest.store`): the chunks in
Chroma, the document registry, the BM25 views, the fitted embedding (LSA)
and the fact store.  :func:`check` reads them and lists every disagreement;
:func:`repair` (``python -m ingest --repair``) takes the write lock, rolls
back or completes a write that was cut off (:func:`ingest.pipeline.recover`,
:mod:`ingest.journal`) and fixes the rest.

Example::

    python -m ingest --check --db .planqa     # exit 0: consistent; 1: problems listed
    python -m ingest --repair --db .planqa    # fixes them; says what it did
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from . import journal
from .bm25 import BM25Index, fingerprint
from .lsa import LSA
from .store import VIEWS, PlanIndex
from .version import publish


@dataclass(frozen=True)
class Problem:
    """One disagreement between the parts of an index.

    Attributes:
        part: ``"journal"``, ``"chunks"``, ``"registry"``, ``"bm25"``,
            ``"facts"`` or ``"embedding"``.
        message: one line, naming the document where there is one.
    """

    part: str
    message: str

    def __str__(self) -> str:
        return f"{self.part}: {self.message}"


def _chunks_per_doc(index: PlanIndex) -> Counter:
    return Counter(m.get("doc_id", "") for got in index.pages(index.chunks, None, ("metadatas",))
                   for m in got["metadatas"])


def _stale_views(index: PlanIndex) -> list[str]:
    """The BM25 views whose saved index does not hold Chroma's chunks."""
    fp = fingerprint(index.chunk_ids())
    return [view for view in VIEWS if BM25Index.load(index.db_dir / f"bm25-{view}", fp) is None]


def _lsa_missing(index: PlanIndex, held: Counter) -> bool:
    """The index is embedded with LSA, holds chunks, and its model is gone."""
    return index.embed_model() == LSA and bool(held) and not (index.db_dir / "lsa").exists()


def check(index: PlanIndex) -> list[Problem]:
    """Every disagreement between the parts of ``index`` (empty: consistent).
    Reads only; never waits for a writer (a write in progress shows as a
    pending journal entry)."""
    out: list[Problem] = []
    entry = journal.pending(index.db_dir)
    if entry is not None:
        what = entry.doc_id or "the embedding"
        out.append(Problem("journal", f"a {entry.action} of {what} was cut off (--repair, or the next ingest, "
                                      "rolls it back or completes it)"))
    records = {r.doc_id: r for r in index.list_documents()}
    held = _chunks_per_doc(index)
    for doc_id in sorted(set(held) - set(records)):
        out.append(Problem("chunks", f"{held[doc_id]} chunks of {doc_id or '(no document)'}, "
                                     "which the registry does not list"))
    for doc_id, rec in sorted(records.items()):
        if held.get(doc_id, 0) != rec.chunks:
            out.append(Problem("registry", f"{doc_id}: the registry says {rec.chunks} chunks, "
                                           f"Chroma holds {held.get(doc_id, 0)}"))
    out += [Problem("bm25", f"the {view} view does not hold Chroma's chunks (rebuilt when the index is next opened)")
            for view in _stale_views(index)]
    from .pipeline import fact_store

    todo, gone = fact_store(index).stale(records)
    out += [Problem("facts", f"{d}: facts missing or from another version of the document") for d in todo]
    out += [Problem("facts", f"{d}: facts of a document the registry does not list") for d in gone]
    if _lsa_missing(index, held):
        out.append(Problem("embedding", "the index is embedded with LSA but its fitted model is missing"))
    return out


def repair(index: PlanIndex, *, wait: bool = True) -> list[str]:
    """Fix what :func:`check` finds, holding the write lock.

    Returns:
        What was done, one line each (empty when the index was consistent).

    Raises:
        ingest.lock.IndexBusyError: ``wait`` is False and another process
            is writing the index.
    """
    from .lock import WriteLock
    from .pipeline import fact_store, recover, refit_lsa

    with WriteLock(index.db_dir, wait=wait):
        done = recover(index)
        records = {r.doc_id: r for r in index.list_documents()}
        held = _chunks_per_doc(index)
        for doc_id in sorted(set(held) - set(records)):
            index.chunks.delete(where={"doc_id": doc_id})
            done.append(f"deleted {held[doc_id]} chunks of {doc_id or '(no document)'}, which no document lists")
        for doc_id, rec in sorted(records.items()):
            if held.get(doc_id, 0) != rec.chunks:
                # the chunks are what answers read: the record follows them
                chunks = [c for c, _ in index.all_chunks([doc_id])]
                rec.chunks, rec.tables = len(chunks), sum(c.chunk_type == "table" for c in chunks)
                index.register(rec)
                done.append(f"{doc_id}: registry count set to the {rec.chunks} chunks Chroma holds "
                            "(re-ingest its file to be sure it is whole)")
        written = fact_store(index).sync(index)
        done += [f"{d}: facts re-extracted" for d in written]
        if _lsa_missing(index, held):
            refit_lsa(index)
            done.append("refitted the LSA model")
        stale = tuple(_stale_views(index))
        if stale:
            index.rebuild_bm25(stale)
            done += [f"rebuilt the {view} BM25 view" for view in stale]
        if done:
            publish(index.db_dir)
    return done


__all__ = ["Problem", "check", "repair"]
