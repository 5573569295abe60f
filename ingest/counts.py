"""Term counts as sparse rows: the shared first step of the BM25 index
(:mod:`ingest.bm25`) and of embedding text with a fitted LSA model
(:mod:`ingest.lsa`).

Example:
    >>> import numpy as np
    >>> data, indices, indptr = count_rows([np.array([3, 1, 3]), np.array([], dtype=np.int32)])
    >>> data.tolist(), indices.tolist(), indptr.tolist()
    ([1.0, 2.0], [1, 3], [0, 2, 2])
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np


class RowCounter:
    """Builds the CSR parts of a count matrix one row at a time (see
    :func:`count_rows`), so that several matrices can be filled in one pass
    over the chunks (both BM25 views from one read of the collection)."""

    def __init__(self) -> None:
        self._cols: list[np.ndarray] = []
        self._counts: list[np.ndarray] = []
        self._indptr = [0]

    def add(self, ids: np.ndarray) -> None:
        """Append one row: the column ids of its entries (repeats counted)."""
        uniq, n = np.unique(ids, return_counts=True)
        self._cols.append(uniq.astype(np.int32))
        self._counts.append(n.astype(np.float32))
        self._indptr.append(self._indptr[-1] + len(uniq))

    def parts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(data, indices, indptr)`` of the rows added so far."""
        data = np.concatenate(self._counts) if self._counts else np.zeros(0, dtype=np.float32)
        indices = np.concatenate(self._cols) if self._cols else np.zeros(0, dtype=np.int32)
        return data, indices, np.asarray(self._indptr, dtype=np.int64)


def count_rows(columns: Iterable[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The CSR parts ``(data, indices, indptr)`` of a count matrix with one
    row per array of column ids (a column repeated in a row is counted):
    float32 counts, int32 columns sorted within each row, int64 row offsets.
    numpy arrays per row: Python lists of every entry would take ~1.5 GB at
    170,000 chunks."""
    counter = RowCounter()
    for ids in columns:
        counter.add(ids)
    return counter.parts()


__all__ = ["RowCounter", "count_rows"]
