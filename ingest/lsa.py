"""Latent semantic analysis over plan text: the default embedding, fitted on
the indexed chunks (no weights to download).

Plain numpy/scikit-learn; :class:`ingest.embeddings.LSAEmbedding` adapts it to
llama-index's ``BaseEmbedding``. Kept free of llama-index so that answering a
question does not pay llama-index's import time.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from .counts import count_rows
from .tokenize import PlanTokenizer

LSA = "lsa"
# LSA dimensionality: a few hundred components is the classic LSA range
# (Deerwester et al. 1990 used ~100–300); 256 keeps ~all of the variance
# that matters on a corpus of a few thousand chunks while staying cheap.
LSA_DIMENSIONS = 256
# An index of at most this many chunks refits the model on every write (the
# fit takes seconds at this size, and the space then matches the corpus
# exactly). A larger one folds new chunks into the fitted space -- their
# TF-IDF projected on the fitted components, terms the model does not know
# left out -- and refits only past LSA_MAX_UNKNOWN or on `--refit`.
LSA_REFIT_CHUNKS = 20_000
# Drift threshold: refit once more than this share of the term occurrences
# folded in since the fit are terms the model does not know. Measured on
# the shipped plans (a model fitted on four of them, the fifth folded in):
# 0.12–0.22 unknown (its own names and figures); a copy of a fitted plan
# with its figures changed (benchmarks/scale.py): 0.0024. 0.10, below every
# unlike plan: folding in one such plan already asks for a refit.
LSA_MAX_UNKNOWN = 0.10


class EmbeddingModelError(RuntimeError):
    """An embedding model that cannot be loaded (one-line message)."""


def lsa_terms(words: list[str], bigrams: list[str]) -> list[str]:
    """LSA terms from the two lexical views of a text."""
    return words + ["§" + b for b in bigrams]


class LSAModel:
    """Latent semantic analysis fitted on the indexed chunks.

    TF-IDF (sublinear tf, smoothed idf) over jieba words plus CJK character
    bigrams (:class:`ingest.tokenize.PlanTokenizer`), reduced by truncated
    SVD to at most :data:`LSA_DIMENSIONS` dimensions, L2-normalised.

    Example:
        >>> tok = PlanTokenizer()
        >>> texts = ["分項一經費 390,000 千元", "博士級產業訓儲菁英培訓", "AI 人才"]
        >>> model, vectors = LSAModel.fit([lsa_terms(tok.words(t), tok.bigrams(t)) for t in texts])
        >>> model.embed_many(["分項一經費"]).shape == (1, LSA_DIMENSIONS)
        True

    A fitted model is saved as three files in a folder (``save``/``load``):
    ``vocab.json``, ``idf.npy``, ``components.npy``.
    """

    def __init__(self, vocab: dict[str, int], idf: np.ndarray, components: np.ndarray, stats: dict | None = None):
        self._vocab, self._idf, self._components = vocab, idf.astype(np.float32), components.astype(np.float32)
        self._tok = PlanTokenizer()
        #: ``fitted`` (chunks the model was fitted on), ``folded`` (chunks
        #: folded in since), ``folded_terms`` and ``folded_unknown`` (their
        #: term occurrences, and those the model does not know)
        self.stats = {"fitted": 0, "folded": 0, "folded_terms": 0, "folded_unknown": 0, **(stats or {})}

    @property
    def dim(self) -> int:
        """Number of output dimensions (always :data:`LSA_DIMENSIONS`)."""
        return LSA_DIMENSIONS

    def tokens(self, text: str) -> list[str]:
        """The LSA terms of ``text``: jieba words and ``§``-prefixed CJK
        bigrams (the prefix keeps the two views apart in one vocabulary)."""
        return lsa_terms(self._tok.words(text), self._tok.bigrams(text))

    @classmethod
    def fit(cls, term_lists: Iterable[list[str]], dimensions: int = LSA_DIMENSIONS) -> tuple["LSAModel", np.ndarray]:
        """Fit on the chunks' terms (see :func:`lsa_terms`; any iterable,
        read once, so that a generator keeps only the sparse matrix in
        memory).

        Returns:
            ``(model, embeddings)`` — the embeddings of the fitting texts,
            float32 array of shape (n, dim), so they need no second pass.

        Raises:
            ValueError: fewer than 2 texts.
        """
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        vec = TfidfVectorizer(analyzer=lambda terms: terms, sublinear_tf=True, dtype=np.float32)
        x = vec.fit_transform(term_lists)
        if x.shape[0] < 2:
            raise ValueError("LSA needs at least 2 texts to fit")
        k = max(1, min(dimensions, x.shape[0] - 1, x.shape[1] - 1))
        svd = TruncatedSVD(n_components=k, random_state=0, algorithm="randomized", n_iter=5)
        svd.fit(x)
        vocab = {t: int(i) for t, i in vec.vocabulary_.items()}
        model = cls(vocab, vec.idf_, svd.components_, {"fitted": x.shape[0]})
        return model, model._project(x)

    def save(self, folder: Path) -> None:
        """Write the model to ``folder`` (created if missing)."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "vocab.json").write_text(json.dumps(self._vocab, ensure_ascii=False), encoding="utf-8")
        np.save(folder / "idf.npy", self._idf)
        np.save(folder / "components.npy", self._components)
        self.save_stats(folder)

    def save_stats(self, folder: Path) -> None:
        """Write :attr:`stats` alone (after a fold-in: the model is unchanged)."""
        (folder / "stats.json").write_text(json.dumps(self.stats), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "LSAModel":
        """Read a model saved by :meth:`save`.

        Raises:
            EmbeddingModelError: the folder holds no fitted model.
        """
        try:
            vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
            stats = json.loads((folder / "stats.json").read_text(encoding="utf-8")) if (folder / "stats.json").exists() else {}
            return cls(vocab, np.load(folder / "idf.npy"), np.load(folder / "components.npy"), stats)
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

    def lookup(self, term_lists: Iterable[list[str]]) -> tuple[list[np.ndarray], int, int]:
        """The vocabulary columns of each text's known terms, with the
        number of term occurrences and of those the model does not know:
        ``(columns per text, terms, unknown)`` -- one dictionary pass that
        serves both :meth:`drift` and :meth:`fold_in`."""
        get = self._vocab.get
        out, terms = [], 0
        for t in term_lists:
            terms += len(t)
            out.append(np.fromiter((j for j in map(get, t) if j is not None), dtype=np.int64))
        return out, terms, terms - sum(len(ids) for ids in out)

    def drift(self, terms: int = 0, unknown: int = 0) -> float:
        """The share of the term occurrences folded in since the fit (plus
        ``terms`` more, ``unknown`` of them unknown: :meth:`lookup`) that
        the model does not know (compare :data:`LSA_MAX_UNKNOWN`)."""
        total = self.stats["folded_terms"] + terms
        return (self.stats["folded_unknown"] + unknown) / total if total else 0.0

    def fold_in(self, looked_up: tuple[list[np.ndarray], int, int]) -> np.ndarray:
        """Embed new chunks in the fitted space (their :meth:`lookup`) and
        count them in :attr:`stats` (:meth:`save_stats` keeps the count)."""
        columns, terms, unknown = looked_up
        self.stats["folded"] += len(columns)
        self.stats["folded_terms"] += terms
        self.stats["folded_unknown"] += unknown
        return self._embed_columns(columns)

    def embed_terms(self, term_lists: list[list[str]]) -> np.ndarray:
        """Embeddings for pre-tokenized texts: float32 array (n, dim) --
        sublinear TF-IDF with the fitted idf, L2-normalised, projected on
        the fitted components (as :meth:`fit` embeds the fitting texts)."""
        return self._embed_columns(self.lookup(term_lists)[0])

    def _embed_columns(self, columns: list[np.ndarray]) -> np.ndarray:
        from scipy.sparse import csr_matrix

        counts, indices, indptr = count_rows(columns)
        data = (1.0 + np.log(counts)) * self._idf[indices]  # sublinear tf × idf
        x = csr_matrix((data.astype(np.float32), indices, indptr), shape=(len(columns), len(self._vocab)))
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        x = csr_matrix(x.multiply(1.0 / np.where(norms == 0, 1.0, norms)[:, None]))
        return self._project(x)

    def embed_many(self, texts: list[str]) -> np.ndarray:
        """Embeddings of ``texts`` as a float32 array of shape (n, dim)."""
        return self.embed_terms([self.tokens(t) for t in texts])

    def query_vector(self, text: str) -> list[float]:
        """The embedding of one query text as a list of floats."""
        return self.embed_many([text])[0].tolist()
