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


def count_rows(columns: Iterable[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The CSR parts ``(data, indices, indptr)`` of a count matrix with one
    row per array of column ids (a column repeated in a row is counted):
    float32 counts, int32 columns sorted within each row, int64 row offsets.
    numpy arrays per row: Python lists of every entry would take ~1.5 GB at
    170,000 chunks."""
    cols, counts, indptr = [], [], [0]
    for ids in columns:
        uniq, n = np.unique(ids, return_counts=True)
        cols.append(uniq.astype(np.int32))
        counts.append(n.astype(np.float32))
        indptr.append(indptr[-1] + len(uniq))
    data = np.concatenate(counts) if counts else np.zeros(0, dtype=np.float32)
    indices = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int32)
    return data, indices, np.asarray(indptr, dtype=np.int64)


__all__ = ["count_rows"]
