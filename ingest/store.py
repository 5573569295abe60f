"""The persistent index: chunks with embeddings in Chroma, a document
registry, and the BM25 indexes and fitted LSA model beside them.

Layout of a ``--db`` folder::

    DB/chroma/        Chroma PersistentClient data (unless a server is used)
    DB/lsa/           the fitted LSA embedding (when the model is "lsa")
    DB/bm25-words/    BM25 over jieba words     } rebuilt from Chroma whenever
    DB/bm25-bigrams/  BM25 over CJK bigrams     } their fingerprint is stale

Chroma collections: ``planqa_chunks`` (one record per chunk, written through
llama-index's ``ChromaVectorStore``; metadata below) and
``planqa_documents`` (one record per document: title, hash, counts).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .bm25 import BM25Builder, BM25Index, fingerprint
from .config import chroma_server, offline_env
from .models import Chunk

CHUNKS = "planqa_chunks"
DOCUMENTS = "planqa_documents"
SECTION_SEP = " > "
VIEWS = ("words", "bigrams")
# Records per call when only ids are read: such a read binds no variable per
# record (measured: 175,093 ids in one call, 0.9 s, where 32 pages of the
# client's batch size took 3.9 s); pages keep it bounded all the same.
ID_PAGE_SIZE = 100_000


class StoreError(RuntimeError):
    """The index cannot be opened or does not fit the request (one line)."""


@dataclass
class DocumentRecord:
    """A document in the registry.

    Attributes: doc_id, title, source_path, content_hash (SHA-256 hex of the
    file), pages, chunks, tables (number of table chunks), ingested_at (UTC
    ISO-8601), agency and period (``""`` when unknown), reader (the
    :data:`ingest.pipeline.READER_VERSION` that read it; ``""`` before
    versions were recorded).
    """

    doc_id: str
    title: str
    source_path: str
    content_hash: str
    pages: int
    chunks: int
    tables: int
    ingested_at: str
    agency: str = ""
    period: str = ""
    reader: str = ""


def _record(meta: dict[str, Any]) -> DocumentRecord:
    """A registry record from its Chroma metadata (unknown keys ignored)."""
    return DocumentRecord(**{k: meta[k] for k in DocumentRecord.__dataclass_fields__ if k in meta})


def storable(text: str) -> str:
    """``text`` as Chroma can store it: the undecodable bytes of a file name
    that is not UTF-8 (Python's surrogate escapes, 「plan-\\udcff.pdf」)
    become U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def chunk_metadata(chunk: Chunk, title: str, words: list[str]) -> dict[str, Any]:
    """The flat Chroma metadata of a chunk (scalars only, as Chroma requires)."""
    return {
        "doc_id": chunk.doc_id, "title": storable(title), "page": chunk.page, "page_end": chunk.page_end,
        "section": SECTION_SEP.join(chunk.section_path), "chunk_type": chunk.chunk_type,
        "position": chunk.position, "table_title": chunk.table_title, "table_unit": chunk.table_unit,
        "table_header": chunk.table_header, "rows_json": chunk.rows_json, "words": " ".join(words),
        "ocr": chunk.ocr, "prev_id": chunk.prev_id or "", "next_id": chunk.next_id or "",
    }


def chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    """Rebuild a :class:`Chunk` from a Chroma record."""
    section = meta.get("section") or ""
    return Chunk(
        chunk_id=chunk_id, doc_id=meta["doc_id"], text=text or "", chunk_type=meta.get("chunk_type", "text"),
        section_path=section.split(SECTION_SEP) if section else [], page=int(meta.get("page", 1)),
        page_end=int(meta.get("page_end", meta.get("page", 1))), position=int(meta.get("position", 0)),
        table_title=meta.get("table_title", ""), table_unit=meta.get("table_unit", ""),
        table_header=meta.get("table_header", ""), rows_json=meta.get("rows_json", ""),
        ocr=bool(meta.get("ocr", False)), prev_id=meta.get("prev_id"), next_id=meta.get("next_id"),
    )


class PlanIndex:
    """Open (or create) the index.

    Example:
        >>> idx = PlanIndex(Path(".planqa"))            # embedded Chroma
        >>> idx = PlanIndex(Path(".planqa"), host="127.0.0.1", port=8000)  # doctest: +SKIP

    Args:
        db_dir: folder for the embedded Chroma data (unless ``host`` is
            given), the LSA model and the BM25 indexes.
        host, port: a Chroma server (``chroma run --host H --port P``) to use
            instead of the embedded ``PersistentClient`` (default:
            ``$PLANQA_CHROMA_HOST`` / ``$PLANQA_CHROMA_PORT``, see
            :func:`ingest.config.chroma_server`).
        fresh: open the embedded store anew, not through the client this
            process already holds (after another process wrote it).

    Raises:
        StoreError: the Chroma server cannot be reached or the folder
            cannot be opened.
    """

    def __init__(self, db_dir: Path, host: str | None = None, port: int | None = None, *, fresh: bool = False):
        offline_env()
        import chromadb
        from chromadb.config import Settings

        self.db_dir = Path(db_dir)
        host, port = chroma_server(host, port)
        settings = Settings(anonymized_telemetry=False, allow_reset=False)
        try:
            if host:
                self.client = chromadb.HttpClient(host=host, port=port, settings=settings)
                self.client.heartbeat()
                self.location = f"chroma://{host}:{port}"
            else:
                self.db_dir.mkdir(parents=True, exist_ok=True)
                if fresh:
                    _forget_cached_system(str(self.db_dir / "chroma"))
                self.client = chromadb.PersistentClient(path=str(self.db_dir / "chroma"), settings=settings)
                self.location = str(self.db_dir / "chroma")
        except Exception as exc:  # noqa: BLE001 - chromadb raises many types
            where = f"{host}:{port}" if host else str(self.db_dir)
            raise StoreError(f"cannot open Chroma at {where}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
        self.chunks = self.client.get_or_create_collection(CHUNKS, metadata={"hnsw:space": "cosine"}, embedding_function=None)
        self.documents = self.client.get_or_create_collection(DOCUMENTS, metadata={"hnsw:space": "l2"}, embedding_function=None)
        self._bm25: dict[str, BM25Index] = {}
        #: records per ``get`` / write call: the client's maximum batch size
        self.page_size = int(self.client.get_max_batch_size())

    # -- settings -----------------------------------------------------------
    def embed_model(self) -> str | None:
        """The embedding model the chunks were embedded with (``None`` for a
        new, empty index)."""
        got = self.documents.get(ids=["__settings__"], include=["metadatas"])
        return got["metadatas"][0].get("embed_model") if got["ids"] else None

    def set_embed_model(self, spec: str) -> None:
        """Record the embedding model (the registry's ``__settings__`` record)."""
        self.documents.upsert(ids=["__settings__"], embeddings=[[1.0]], documents=["settings"], metadatas=[{"embed_model": spec}])

    # -- documents ----------------------------------------------------------
    def list_documents(self) -> list[DocumentRecord]:
        """All registered documents, sorted by doc_id."""
        recs = [_record(m)
                for got in self.pages(self.documents, None, ("metadatas",))
                for i, m in zip(got["ids"], got["metadatas"]) if i != "__settings__"]
        return sorted(recs, key=lambda r: r.doc_id)

    def get_document(self, doc_id: str) -> DocumentRecord | None:
        """The registry record of ``doc_id``, or ``None``."""
        got = self.documents.get(ids=[doc_id], include=["metadatas"])
        if not got["ids"] or doc_id == "__settings__":
            return None
        return _record(got["metadatas"][0])

    def register(self, rec: DocumentRecord) -> None:
        """Write (or overwrite) a registry record."""
        meta = {k: storable(v) if isinstance(v, str) else v
                for k in DocumentRecord.__dataclass_fields__ for v in [getattr(rec, k)]}
        self.documents.upsert(ids=[rec.doc_id], embeddings=[[1.0]], documents=[meta["title"]], metadatas=[meta])

    # -- chunks -------------------------------------------------------------
    def pages(self, collection, where: dict | None = None, include: tuple[str, ...] = (),
              page_size: int | None = None) -> Iterator[dict]:
        """``collection.get(where=…, include=…)`` one page at a time, each
        of at most :attr:`page_size` records, so that no read assumes the
        whole corpus fits in one call (SQLite's limit on bound variables
        made one ``get`` of ~35,000 chunks fail with 「too many SQL
        variables」)."""
        size = page_size or self.page_size
        offset = 0
        while True:
            got = collection.get(where=where, include=list(include), limit=size, offset=offset)
            if got["ids"]:
                yield got
            if len(got["ids"]) < size:
                return
            offset += size

    def chunk_count(self) -> int:
        """Number of chunks in the index."""
        return self.chunks.count()

    def chunk_ids(self, doc_id: str | None = None) -> list[str]:
        """Ids of all chunks (of one document when ``doc_id`` is given)."""
        where = {"doc_id": doc_id} if doc_id else None
        return [i for got in self.pages(self.chunks, where, page_size=ID_PAGE_SIZE) for i in got["ids"]]

    def get_chunks(self, ids: list[str]) -> dict[str, Chunk]:
        """The chunks with these ids (absent ids are left out), fetched in
        pages of :attr:`page_size`."""
        out: dict[str, Chunk] = {}
        for i in range(0, len(ids), self.page_size):
            got = self.chunks.get(ids=ids[i:i + self.page_size], include=["documents", "metadatas"])
            out.update((c.chunk_id, c) for c, _ in _chunks_of(got))
        return out

    def chunk_at(self, doc_id: str, position: int) -> Chunk | None:
        """The chunk at ``position`` in document ``doc_id``, or ``None``."""
        got = self.chunks.get(where={"$and": [{"doc_id": doc_id}, {"position": position}]},
                              include=["documents", "metadatas"])
        return next((c for c, _ in _chunks_of(got)), None)

    def add_chunks(self, chunks: list[Chunk], titles: str | list[str], words: list[list[str]], embeddings) -> None:
        """Add chunks with their jieba words and embeddings (ids not already
        present only; Chroma keeps the first record of an id); ``titles``:
        their documents' title, one for all or one per chunk (several
        documents' chunks are added at once)."""
        from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
        from llama_index.vector_stores.chroma import ChromaVectorStore

        if isinstance(titles, str):
            titles = [titles] * len(chunks)
        nodes = []
        for chunk, title, w, emb in zip(chunks, titles, words, embeddings):
            node = TextNode(id_=chunk.chunk_id, text=chunk.text, metadata=chunk_metadata(chunk, title, w),
                            embedding=[float(x) for x in emb])
            node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=chunk.doc_id)
            nodes.append(node)
        store = ChromaVectorStore(chroma_collection=self.chunks)
        for i in range(0, len(nodes), self.page_size):  # Chroma caps one add at its max batch size
            store.add(nodes[i:i + self.page_size])

    def update_chunk_metadata(self, chunks: list[Chunk], title: str, words: list[list[str]]) -> None:
        """Rewrite the metadata of chunks already stored (a document's
        update keeps the chunks whose content did not change, but their
        page, position and neighbours may have)."""
        for i in range(0, len(chunks), self.page_size):
            part = chunks[i:i + self.page_size]
            self.chunks.update(ids=[c.chunk_id for c in part],
                               metadatas=[chunk_metadata(c, title, w) for c, w in zip(part, words[i:i + self.page_size])])

    def delete_chunks(self, ids: list[str]) -> None:
        """Delete chunks by id."""
        for i in range(0, len(ids), self.page_size):
            self.chunks.delete(ids=ids[i:i + self.page_size])

    def update_embeddings(self, ids: list[str], embeddings) -> None:
        """Replace the embeddings of existing chunks."""
        for i in range(0, len(ids), self.page_size):
            self.chunks.update(ids=ids[i:i + self.page_size],
                               embeddings=[[float(x) for x in e] for e in embeddings[i:i + self.page_size]])

    def iter_chunks(self, doc_ids: list[str] | None = None) -> Iterator[tuple[Chunk, dict[str, Any]]]:
        """Every chunk with its raw metadata, read page by page
        (:meth:`pages`).  With ``doc_ids``: those documents' chunks, one
        document at a time in (doc_id, position) order; without: every chunk
        of the collection (registered or not) in Chroma's order."""
        if not doc_ids:
            for got in self.pages(self.chunks, None, ("documents", "metadatas")):
                yield from _chunks_of(got)
            return
        for doc_id in sorted(doc_ids):
            pairs = [pair for got in self.pages(self.chunks, {"doc_id": doc_id}, ("documents", "metadatas"))
                     for pair in _chunks_of(got)]
            yield from sorted(pairs, key=lambda p: p[0].position)

    def all_chunks(self, doc_ids: list[str] | None = None) -> list[tuple[Chunk, dict[str, Any]]]:
        """:meth:`iter_chunks` as a list in (doc_id, position) order (for
        one document or a small index: it holds every chunk in memory)."""
        return sorted(self.iter_chunks(doc_ids), key=lambda p: (p[0].doc_id, p[0].position))

    def remove_document(self, doc_id: str) -> int:
        """Delete a document's chunks and registry record; returns the number
        of chunks removed (0 when the document was not indexed)."""
        ids = self.chunk_ids(doc_id)
        self.delete_chunks(ids)
        self.documents.delete(ids=[doc_id])
        return len(ids)

    # -- BM25 ---------------------------------------------------------------
    def bm25(self, view: str, fp: str | None = None) -> BM25Index:
        """The BM25 index of one view (``"words"`` or ``"bigrams"``), loaded
        from disk when its fingerprint matches Chroma's chunks, else rebuilt
        from Chroma and saved.

        ``fp``: the :func:`~ingest.bm25.fingerprint` of Chroma's chunk ids
        when the caller has it (it reads every id).

        Raises:
            ValueError: an unknown view (lists the valid ones).
        """
        _check_view(view)
        fp = fp or fingerprint(self.chunk_ids())
        cached = self._bm25.get(view)
        if cached is not None and fingerprint(cached.ids) == fp:
            return cached
        folder = self.db_dir / f"bm25-{view}"
        idx = BM25Index.load(folder, fp)
        if idx is None:
            idx = self.rebuild_bm25((view,))[view]
        self._bm25[view] = idx
        return idx

    def rebuild_bm25(self, views: tuple[str, ...] = VIEWS) -> dict[str, BM25Index]:
        """Rebuild BM25 views (default both) from Chroma's current chunks in
        one paged pass, and save them; view -> index.  (Two passes, one per
        view, read every chunk's text and metadata twice: 190 s of a 100×
        ingest.)

        Raises:
            ValueError: an unknown view (lists the valid ones).
        """
        for view in views:
            _check_view(view)
        ids: list[str] = []
        docs: list[str] = []
        builders = {view: BM25Builder() for view in views}
        for chunk, meta in self.iter_chunks():
            ids.append(chunk.chunk_id)
            docs.append(chunk.doc_id)
            words = meta.get("words", "").split()
            for view, builder in builders.items():
                builder.add(view_tokens(view, chunk, words))
        fp = fingerprint(ids)
        out = {}
        for view, builder in builders.items():
            idx = out[view] = builder.index(ids, docs)
            idx.save(self.db_dir / f"bm25-{view}", fp)
            self._bm25[view] = idx
        return out

    def update_bm25(self, removed: set[str], added: list[tuple[Chunk, list[str]]]) -> None:
        """Bring both BM25 views up to date after a write that removed the
        chunks ``removed`` and added ``added`` (each chunk with its jieba
        words): the saved views are updated in place when they held exactly
        the chunks before the write, else rebuilt from Chroma."""
        fp = fingerprint(self.chunk_ids())
        for view in VIEWS:
            folder = self.db_dir / f"bm25-{view}"
            old = self._bm25.get(view) or BM25Index.load(folder, None)
            idx = old and old.updated(remove=removed, ids=[c.chunk_id for c, _ in added],
                                      docs=[c.doc_id for c, _ in added],
                                      token_lists=[view_tokens(view, c, w) for c, w in added])
            if idx is None or fingerprint(idx.ids) != fp:
                self.rebuild_bm25((view,))
                continue
            idx.save(folder, fp)
            self._bm25[view] = idx


def _check_view(view: str) -> None:
    """Raise ValueError (listing the valid views) unless ``view`` is one of :data:`VIEWS`."""
    if view not in VIEWS:
        raise ValueError(f"unknown BM25 view {view!r}; valid: {', '.join(VIEWS)}")


def view_tokens(view: str, chunk: Chunk, words: list[str]) -> list[str]:
    """The tokens of ``chunk`` in one BM25 view: its jieba ``words``, or
    the CJK bigrams of its index text."""
    from .tokenize import PlanTokenizer

    return words if view == "words" else PlanTokenizer.bigrams(chunk.index_text)


def _forget_cached_system(path: str) -> None:
    """Make the next client of ``path`` open it anew.  Chroma keeps one
    client system per folder and process, with the vector index in memory;
    after another process wrote the folder that copy is stale (a query then
    fails with 「Error finding id」).  The old system is left to the clients
    still holding it (a reader answering from the previous version)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(path, None)
    SharedSystemClient._identifier_to_refcount.pop(path, None)


def now_iso() -> str:
    """The current UTC time, ISO-8601 to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _chunks_of(got: dict) -> Iterator[tuple[Chunk, dict[str, Any]]]:
    """The ``(chunk, raw metadata)`` pairs of a Chroma ``get`` result read
    with documents and metadatas."""
    for i, d, m in zip(got["ids"], got["documents"], got["metadatas"]):
        yield chunk_from_record(i, d, m), m


def rows_of(chunk: Chunk) -> list[list[str]]:
    """The table rows (header rows first) stored with a table chunk."""
    return json.loads(chunk.rows_json) if chunk.rows_json else []
