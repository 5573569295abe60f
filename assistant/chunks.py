"""The index's chunks as the answering side reads them: by id, or by
position or neighbour in their document -- held in memory for a small index,
fetched from Chroma on demand (and kept in a bounded LRU cache) for a large
one, so that opening a 170,000-chunk index does not read every chunk.

Example:
    >>> from ingest.store import PlanIndex
    >>> chunks = ChunkLookup(PlanIndex(Path(".planqa")))   # doctest: +SKIP
    >>> chunks.get("321fd50c3c33895656a3").page              # doctest: +SKIP
    >>> chunks.at("most-2018-phd-talent-training", 12)       # doctest: +SKIP
    >>> chunks.beside(chunks.get("321fd50c3c33895656a3"), +1)  # doctest: +SKIP
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping

from ingest.models import Chunk
from ingest.store import PlanIndex

# An index of at most this many chunks is read whole when opened (a few
# seconds and ~100 MB at this size; the shipped corpus has ~1,700 chunks):
# every lookup is then a dict access. Above it, chunks are fetched on demand.
PRELOAD_CHUNKS = 20_000
# Chunks kept in memory for a large index (least recently used dropped
# first): about 20 questions' worth of hits, neighbours and documents.
CACHE_CHUNKS = 5_000
_ABSENT = object()


class ChunkLookup(Mapping):
    """chunk_id → :class:`Chunk` over an open index (a read-only
    ``Mapping``; ``len`` is the number of chunks when opened).

    Args:
        index: the open :class:`~ingest.store.PlanIndex`.
        preload: read every chunk now (default: when the index holds at
            most :data:`PRELOAD_CHUNKS`).
        capacity: chunks kept when not preloaded.
    """

    def __init__(self, index: PlanIndex, *, preload: bool | None = None, capacity: int = CACHE_CHUNKS):
        self.index = index
        self._count = index.chunk_count()
        self.complete = self._count <= PRELOAD_CHUNKS if preload is None else preload
        self._capacity = capacity
        self._by_id: OrderedDict[str, Chunk] = OrderedDict()
        self._by_pos: dict[tuple[str, int], object] = {}
        if self.complete:
            for chunk, _ in index.iter_chunks():
                self._keep(chunk)

    # -- Mapping --------------------------------------------------------------
    def __getitem__(self, chunk_id: str) -> Chunk:
        got = self.fetch([chunk_id]).get(chunk_id)
        if got is None:
            raise KeyError(chunk_id)
        return got

    def __contains__(self, chunk_id: object) -> bool:
        return isinstance(chunk_id, str) and self.get(chunk_id) is not None

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        if self.complete:
            return iter(list(self._by_id))
        return iter(self.index.chunk_ids())

    # -- lookups --------------------------------------------------------------
    def fetch(self, ids: Iterable[str]) -> dict[str, Chunk]:
        """The chunks of ``ids`` that exist, with one Chroma read for those
        not in memory."""
        ids = list(dict.fromkeys(ids))
        missing = [] if self.complete else [i for i in ids if i not in self._by_id]
        if missing:
            for chunk in self.index.get_chunks(missing).values():
                self._keep(chunk)
        out = {}
        for i in ids:
            chunk = self._by_id.get(i)
            if chunk is not None:
                out[i] = chunk
                if not self.complete:
                    self._by_id.move_to_end(i)
        return out

    def at(self, doc_id: str, position: int) -> Chunk | None:
        """The chunk at ``position`` in document ``doc_id``, or ``None``."""
        key = (doc_id, position)
        got = self._by_pos.get(key)
        if got is None and not self.complete:
            got = self.index.chunk_at(doc_id, position)
            if got is None:
                got = self._by_pos[key] = _ABSENT
            else:
                self._keep(got)
        return None if got is None or got is _ABSENT else got

    def beside(self, chunk: Chunk, step: int) -> Chunk | None:
        """The chunk just before (``step`` -1) or after (+1) ``chunk`` in
        its document, or ``None``: by the neighbour id stored with the chunk
        (a read by id), checked to be in place, else by position."""
        link = chunk.prev_id if step < 0 else chunk.next_id
        if link == "" or chunk.position + step < 0:
            return None
        got = self.get(link) if link else None
        if got is not None and got.doc_id == chunk.doc_id and got.position == chunk.position + step:
            return got
        return self.at(chunk.doc_id, chunk.position + step)

    def _keep(self, chunk: Chunk) -> None:
        self._by_id[chunk.chunk_id] = chunk
        self._by_pos[(chunk.doc_id, chunk.position)] = chunk
        if not self.complete:
            while len(self._by_id) > self._capacity:
                old = self._by_id.popitem(last=False)[1]
                self._by_pos.pop((old.doc_id, old.position), None)
