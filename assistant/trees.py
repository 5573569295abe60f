"""A gradient-boosted tree ensemble evaluated with numpy, stored as JSON.

scikit-learn's :class:`~sklearn.ensemble.HistGradientBoostingClassifier`
fits the answer selector's ranker (:mod:`eval.fit_selector`); the package
ships the fitted trees as plain arrays (no pickle, no scikit-learn needed to
answer) and scores candidates with :meth:`TreeEnsemble.decision_function`,
which gives what the classifier's ``decision_function`` gives (the log-odds;
a test checks the two agree).

Every tree of the ensemble is walked for every row at once: the node index
of each (row, tree) pair not yet at a leaf steps down one level per
iteration (numpy, no Python loop over trees or rows).

Example:
    >>> import numpy as np
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> X = np.random.default_rng(0).normal(size=(200, 3)); y = (X[:, 0] > 0).astype(int)
    >>> clf = HistGradientBoostingClassifier(max_iter=10, random_state=0).fit(X, y)
    >>> t = TreeEnsemble.from_sklearn(clf)
    >>> bool(np.allclose(t.decision_function(X), clf.decision_function(X)))
    True
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TreeEnsemble:
    """The trees of a binary gradient-boosting classifier, concatenated.

    Attributes:
        baseline: the raw score every row starts from (log-odds of the
            training prior).
        roots: index of each tree's root node in the node arrays, shape ``(n_trees,)``.
        feature: per node, the input column it splits on (-1 at leaves).
        threshold: per node, go left when the input is ``<=`` this.
        missing_left: per node, whether a NaN input goes left.
        left, right: per node, absolute indices of its children (-1 at leaves).
        value: per node, the raw score a leaf adds (0 elsewhere).
        n_features: the number of input columns the trees were fitted on.
    """

    baseline: float
    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    missing_left: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    n_features: int

    @classmethod
    def from_sklearn(cls, clf) -> TreeEnsemble:
        """The ensemble of a fitted binary ``HistGradientBoostingClassifier``
        with numerical features only.

        Raises:
            ValueError: it has more than one tree per iteration (more than
                two classes) or categorical splits.
        """
        if any(len(trees) != 1 for trees in clf._predictors):
            raise ValueError("only binary classifiers (one tree per iteration) can be exported")
        roots, parts = [], []
        offset = 0
        for (tree,) in clf._predictors:
            nodes = tree.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits cannot be exported")
            leaf = nodes["is_leaf"].astype(bool)
            feature, left, right = (nodes[k].astype(np.int64) for k in ("feature_idx", "left", "right"))
            parts.append((np.where(leaf, -1, feature), nodes["num_threshold"],
                          nodes["missing_go_to_left"].astype(bool),
                          np.where(leaf, -1, left + offset), np.where(leaf, -1, right + offset),
                          np.where(leaf, nodes["value"], 0.0)))
            roots.append(offset)
            offset += len(nodes)
        cols = [np.concatenate([p[i] for p in parts]) for i in range(6)]
        return cls(float(np.ravel(clf._baseline_prediction)[0]), np.array(roots, dtype=np.int64),
                   cols[0].astype(np.int64), cols[1].astype(float), cols[2], cols[3].astype(np.int64),
                   cols[4].astype(np.int64), cols[5].astype(float), int(clf.n_features_in_))

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Raw scores (log-odds), shape ``(n,)``, of the rows of ``X``
        (shape ``(n, n_features)``).

        Raises:
            ValueError: ``X`` has another number of columns.
        """
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"expected {self.n_features} input columns, got shape {X.shape}")
        if not len(X) or not len(self.roots):
            return np.full(len(X), self.baseline)
        n, t = len(X), len(self.roots)
        node = np.tile(self.roots, n)                  # (row, tree) pairs, row-major
        row = np.repeat(np.arange(n), t)
        active = np.flatnonzero(self.left[node] >= 0)  # pairs not yet at a leaf
        while active.size:
            at = node[active]
            x = X[row[active], self.feature[at]]
            go_left = np.where(np.isnan(x), self.missing_left[at], x <= self.threshold[at])
            node[active] = np.where(go_left, self.left[at], self.right[at])
            active = active[self.left[node[active]] >= 0]
        return self.baseline + self.value[node].reshape(n, t).sum(axis=1)

    def to_dict(self) -> dict:
        """The ensemble as JSON-ready lists (read back by :meth:`from_dict`)."""
        return {"baseline": self.baseline, "n_features": self.n_features, "roots": self.roots.tolist(),
                "feature": self.feature.tolist(), "threshold": self.threshold.tolist(),
                "missing_left": self.missing_left.astype(int).tolist(), "left": self.left.tolist(),
                "right": self.right.tolist(), "value": self.value.tolist()}

    @classmethod
    def from_dict(cls, d: dict) -> TreeEnsemble:
        """Read :meth:`to_dict`'s output."""
        return cls(float(d["baseline"]), np.array(d["roots"], dtype=np.int64), np.array(d["feature"], dtype=np.int64),
                   np.array(d["threshold"], dtype=float), np.array(d["missing_left"], dtype=bool),
                   np.array(d["left"], dtype=np.int64), np.array(d["right"], dtype=np.int64),
                   np.array(d["value"], dtype=float), int(d["n_features"]))


__all__ = ["TreeEnsemble"]
