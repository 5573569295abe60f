"""The tree ranker's ensemble (assistant/trees.py): scikit-learn's fitted
trees, exported to JSON and evaluated with numpy, score exactly as the
classifier does; the selector reads them over relative inputs."""
from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from assistant.selector import FEATURES, SelectorModel, relative_inputs
from assistant.trees import TreeEnsemble


def _data(n: int = 2000, d: int = 6, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    X[rng.random(X.shape) < 0.05] = np.nan   # missing values take the learnt side
    y = ((np.nan_to_num(X[:, 0]) * np.nan_to_num(X[:, 1]) > 0) ^ (rng.random(n) < 0.1)).astype(int)
    return X, y


def test_exported_trees_score_as_the_classifier_does():
    X, y = _data()
    clf = HistGradientBoostingClassifier(max_iter=60, max_leaf_nodes=31, random_state=0).fit(X, y)
    trees = TreeEnsemble.from_sklearn(clf)
    assert len(trees.roots) == clf.n_iter_
    np.testing.assert_allclose(trees.decision_function(X), clf.decision_function(X), atol=1e-9)
    again = TreeEnsemble.from_dict(json.loads(json.dumps(trees.to_dict())))
    np.testing.assert_allclose(again.decision_function(X[:50]), clf.decision_function(X[:50]), atol=1e-9)
    assert again.decision_function(np.zeros((0, X.shape[1]))).shape == (0,)


def test_wrong_width_and_multiclass_are_refused():
    X, y = _data()
    trees = TreeEnsemble.from_sklearn(HistGradientBoostingClassifier(max_iter=5, random_state=0).fit(X, y))
    with pytest.raises(ValueError, match="6 input columns"):
        trees.decision_function(X[:, :5])
    three = HistGradientBoostingClassifier(max_iter=5, random_state=0).fit(X, np.arange(len(X)) % 3)
    with pytest.raises(ValueError, match="binary"):
        TreeEnsemble.from_sklearn(three)


def test_relative_inputs_read_each_feature_against_the_question_best_and_mean():
    x = np.array([[1.0, 0.0], [3.0, 2.0]])
    r = relative_inputs(x)
    assert r.tolist() == [[1.0, 0.0, -2.0, -2.0, -1.0, -1.0], [3.0, 2.0, 0.0, 0.0, 1.0, 1.0]]
    assert relative_inputs(np.zeros((0, len(FEATURES)))).shape == (0, 3 * len(FEATURES))


def test_a_selector_with_trees_ranks_by_them_and_survives_its_json(tmp_path):
    """A tree ranker that learnt "more word coverage than the question's
    best is right" orders one question's candidates by it, through the
    model file."""
    rng = np.random.default_rng(1)
    w = FEATURES.index("word_coverage")
    xs, ys = [], []
    for _ in range(300):
        x = rng.random((8, len(FEATURES)))
        y = (x[:, w] == x[:, w].max()).astype(int)
        xs.append(relative_inputs(x))
        ys.append(y)
    clf = HistGradientBoostingClassifier(max_iter=50, random_state=0).fit(np.vstack(xs), np.concatenate(ys))
    shipped = SelectorModel.load()
    model = SelectorModel(shipped.mean, shipped.scale, (), shipped.conf_coef, shipped.conf_intercept, 0.5, 2.0, {"split": "dev"},
                          None, TreeEnsemble.from_sklearn(clf))
    path = tmp_path / "selector.json"
    path.write_text(model.to_json(), encoding="utf-8")
    loaded = SelectorModel.load(path)
    x = rng.random((5, len(FEATURES)))
    assert int(np.argmax(loaded.scores(x))) == int(np.argmax(x[:, w]))
    np.testing.assert_allclose(loaded.scores(x), model.scores(x))
