"""A persistent cache of text embeddings, shared by every index on the
machine: an unchanged chunk is never encoded twice, whichever ``--db``
folder it is ingested into.

One SQLite file, ``vectors.sqlite`` in :func:`ingest.config.cache_dir`
(``$PLANQA_CACHE``, else ``$XDG_CACHE_HOME/planqa``, else
``~/.cache/planqa``); one row per (model key, SHA-256 of the exact text
encoded, prefix included) holding the vector as float32 bytes. Deleting the
file is always safe (vectors are encoded again). Several processes may use
it at once: the database is in WAL mode (readers never block the writer) and
a writer waits up to :data:`BUSY_TIMEOUT_S` for another's transaction.

Example:
    >>> cache = VectorCache(Path("/tmp/planqa-doctest-cache"))  # doctest: +SKIP
    >>> cache.put("m", ["passage: 經費"], np.ones((1, 4), np.float32))  # doctest: +SKIP
    >>> cache.get("m", ["passage: 經費", "passage: 人才"])[1] is None  # doctest: +SKIP
    True
"""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np
from filelock import FileLock

from .config import cache_dir

CACHE_FILE = "vectors.sqlite"
# Seconds a writer waits for another process's transaction before SQLite
# raises "database is locked"; an ingest writes one short transaction per
# encoded batch, so 30 s is generous.
BUSY_TIMEOUT_S = 30.0
# Keys per SELECT … IN (…): below SQLite's default limit of 32,766 host
# parameters (SQLITE_MAX_VARIABLE_NUMBER since 3.32) with a wide margin.
_SELECT_BATCH = 500

_SCHEMA = """CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL, sha256 BLOB NOT NULL, vector BLOB NOT NULL,
    PRIMARY KEY (model, sha256)) WITHOUT ROWID"""


def text_key(text: str) -> bytes:
    """The cache key of a text: the 32-byte SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).digest()


class VectorCache:
    """The vector cache file (created on first use).

    Args:
        folder: where ``vectors.sqlite`` lives (default
            :func:`ingest.config.cache_dir`); created if missing.

    Raises:
        OSError, sqlite3.Error: the folder or file cannot be created or
            opened (callers may go on without a cache).
    """

    def __init__(self, folder: Path | None = None):
        self.path = Path(folder or cache_dir()) / CACHE_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # opened one process at a time: switching a new file to WAL while
        # another process does the same fails at once with 「database is
        # locked」 (SQLite does not wait on its busy timeout for it)
        with FileLock(str(self.path) + ".lock", timeout=BUSY_TIMEOUT_S):
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            with self._db:
                self._db.execute(_SCHEMA)

    def get(self, model: str, texts: list[str]) -> list[np.ndarray | None]:
        """The cached vector of each text (float32, shape (dim,)), ``None``
        where there is none, in the order of ``texts``."""
        keys = [text_key(t) for t in texts]
        found: dict[bytes, bytes] = {}
        for i in range(0, len(keys), _SELECT_BATCH):
            part = keys[i:i + _SELECT_BATCH]
            rows = self._db.execute(
                f"SELECT sha256, vector FROM vectors WHERE model = ? AND sha256 IN ({','.join('?' * len(part))})",
                [model, *part])
            found.update(rows)
        return [np.frombuffer(found[k], dtype=np.float32).copy() if k in found else None for k in keys]

    def put(self, model: str, texts: list[str], vectors: np.ndarray) -> None:
        """Store ``vectors`` (float32, shape (len(texts), dim)) in one
        transaction; rows already present are kept."""
        rows = [(model, text_key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors)]
        with self._db:
            self._db.executemany("INSERT OR IGNORE INTO vectors (model, sha256, vector) VALUES (?, ?, ?)", rows)
