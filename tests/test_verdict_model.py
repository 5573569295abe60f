"""The claim-verdict model (assistant/figures/decision.py) and its fitter
(eval/fit_verdict.py): the decision rule, the shipped model's provenance,
and fitting with cross-validation on feature vectors."""
from __future__ import annotations

import json
import math
import random

import numpy as np
import pytest

from assistant.figures.decision import CONTRADICTION_GATES, FEATURES, MODEL_PATH, Logistic, Trees, VerdictModel, decide, features
from assistant.figures.extract import Fact
from assistant.figures.labels import Group
from assistant.figures.matching import Candidate
from assistant.figures.quantities import Quantity
from eval import fit_verdict


def _fact(value: float, key: int, source: str = "cell") -> Fact:
    q = Quantity(value, "money", "千元", text=f"{value / 1000:,.0f}")
    return Fact(q, f"{value / 1000:,.0f} 千元", "千元", None, "", {}, False, "", "", "", "doc", f"c{key}", 1,
                cell=(key, 1), source=source)


def _model(intercept: float, *, threshold: float = 0.5, floor: float = 0.4, below: float | None = None,
           contradiction: float = 50.0, above: float = 0.5, margin: float = 0.0,
           label_gate: bool = False) -> VerdictModel:
    """A model whose P(stated) is sigmoid(intercept) and P(contradiction)
    sigmoid(contradiction) for every figure."""
    n = len(FEATURES)
    def const(b: float) -> Logistic:
        return Logistic((0.0,) * n, (1.0,) * n, (0.0,) * n, b)
    return VerdictModel(const(intercept), const(contradiction), threshold,
                        threshold if below is None else below, above, floor, {}, margin, label_gate)


def test_the_decision_rule():
    equal = Candidate(_fact(350_000_000, 1), 0.8, "exact", "exact")
    other = Candidate(_fact(390_000_000, 2), 0.7, "exact", "")
    x = features([equal, other], english=False, kind="money", unit="千元")
    assert len(x) == len(FEATURES)
    assert decide([equal, other], x, _model(5.0)).verdict == "supported"
    # a fact stating the claimed value that fits at least as well: never contradicted
    assert decide([equal, other], x, _model(-5.0)).verdict == "not_found"
    weak = Candidate(_fact(350_000_000, 1), 0.6, "exact", "exact")
    x = features([other, weak], english=False, kind="money", unit="千元")
    d = decide([other, weak], x, _model(-5.0))
    assert d.verdict == "contradicted" and d.evidence is other
    assert decide([other, weak], x, _model(-5.0, floor=0.75)).verdict == "not_found"
    # ... unless the equal fact scores within the model's margin of the other
    assert decide([other, weak], x, _model(-5.0, margin=0.05)).verdict == "contradicted"
    assert decide([other, weak], x, _model(-5.0, margin=0.1)).verdict == "not_found"
    # with the label gate, only a fact carrying the labels the claim names contradicts
    named = {Group.COST: "人事費"}
    x_named = features([other], english=False, kind="money", unit="千元", value=350_000_000, labels=named)
    assert decide([other], x_named, _model(-5.0)).verdict == "contradicted"
    assert decide([other], x_named, _model(-5.0, label_gate=True)).verdict == "not_found"
    costed = Candidate(Fact(other.fact.quantity, other.fact.display, "千元", None, "", named, False, "", "", "",
                            "doc", "c5", 1, cell=(5, 1)), 0.7, "exact", "")
    x_costed = features([costed], english=False, kind="money", unit="千元", value=350_000_000, labels=named)
    assert decide([costed], x_costed, _model(-5.0, label_gate=True)).verdict == "contradicted"
    # a budget stage is an amount's: a share names none (「核定培訓經費之 5%」)
    share = Candidate(Fact(Quantity(5.0, "percent", "%", text="5%"), "5%", "%", None, "", {}, False, "", "", "",
                           "doc", "c7", 1, cell=(7, 1)), 0.7, "exact", "")
    x_share = features([share], english=False, kind="percent", unit="%", value=10.0, labels={Group.STAGE: "核定"})
    assert x_share[FEATURES.index("other_label_share")] == 1.0
    # ... or the figure next to a statement of the claim's other figure in one sentence
    anchored = Candidate(other.fact, 0.7, "exact", "", follows=True)
    x_anchored = features([anchored], english=False, kind="money", unit="千元", value=350_000_000, labels=named)
    assert x_anchored[FEATURES.index("other_label_share")] == 0.0
    assert decide([anchored], x_anchored, _model(-5.0, label_gate=True)).verdict == "contradicted"
    # a 分項's figure does not contradict a claim about the whole plan that names no part
    part = Candidate(Fact(other.fact.quantity, other.fact.display, "千元", None, "", {Group.PART: "2"}, False, "", "",
                          "", "doc", "c6", 1, cell=(6, 1)), 0.7, "exact", "")
    x_part = features([part], english=False, kind="money", unit="千元", value=350_000_000)
    assert decide([part], x_part, _model(-5.0)).verdict == "contradicted"
    x_whole = features([part], english=False, kind="money", unit="千元", value=350_000_000, whole_plan=True)
    assert x_whole[FEATURES.index("other_part_of_whole_plan")] == 1.0
    assert decide([part], x_whole, _model(-5.0)).verdict == "not_found"
    # between the two thresholds the verifier is unsure: not found, never contradicted
    x_other = features([other], english=False, kind="money", unit="千元", value=350_000_000)
    unsure = decide([other], x_other, _model(-0.5, threshold=0.5, below=0.2))  # P = 0.38
    assert unsure.verdict == "not_found" and "not surely" in unsure.note
    assert decide([other], x_other, _model(-2.0, threshold=0.5, below=0.2)).verdict == "contradicted"
    # another value that is not surely about the same thing: not found
    doubt = decide([other], x_other, _model(-2.0, threshold=0.5, below=0.2, contradiction=-1.0))
    assert doubt.verdict == "not_found" and "P(contradiction) = 0.27" in doubt.note
    # a derived total may support but never contradicts
    derived = Candidate(_fact(390_000_000, 3, source="derived"), 0.9, "exact", "")
    assert decide([derived], features([derived], english=False, kind="money", unit="千元"),
                  _model(-5.0)).verdict == "not_found"
    approx = Candidate(_fact(366_240_000, 4), 0.9, "exact", "approximate")
    assert decide([approx], features([approx], english=False, kind="money", unit="千元"),
                  _model(5.0)).verdict == "approximately"
    assert decide([], [0.0] * len(FEATURES), _model(5.0)).verdict == "not_found"


def test_the_shipped_model_was_fitted_on_dev_with_cross_validation():
    d = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert d["features"] == list(FEATURES)
    assert d["meta"]["split"] == "dev" and d["meta"]["folds"] >= 2
    assert 0.0 < d["meta"]["cv_accuracy"] <= 1.0
    m = VerdictModel.load()
    assert 0.0 <= m.probability([0.5] * len(FEATURES)) <= 1.0
    with pytest.raises(ValueError, match="expected"):
        m.probability([0.5])


def test_a_model_of_other_features_is_refused(tmp_path):
    d = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    d["features"] = d["features"][:-1]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(ValueError, match="fit-verdict"):
        VerdictModel.load(path)


def test_the_grid_decides_every_claim_as_the_decision_rule_does():
    """The cross-validation's array form of the verdict (_grid_verdicts)
    gives each claim the verdict decision.call gives its figures."""
    rnd = random.Random(1)
    claims = [[[rnd.choice((0.0, 1.0)) if f in ("has_equal", "other_label_share", "other_follows_anchor") else rnd.uniform(-0.6, 1.0)
                for f in FEATURES] for _ in range(rnd.randint(0, 3))] for _ in range(200)]
    p = [[rnd.random() for _ in c] for c in claims]
    q = [[rnd.random() for _ in c] for c in claims]
    # figures that follow from others of their claim (a share, a sum …)
    derived = [[[sorted(rnd.sample([j for j in range(len(c)) if j != i], rnd.randint(1, len(c) - 1)))]
                if len(c) > 1 and rnd.random() < 0.5 else [] for i in range(len(c))] for c in claims]
    X = np.array([x for c in claims for x in c]).reshape(-1, len(FEATURES))
    owner = np.array([i for i, c in enumerate(claims) for _ in c], dtype=int)
    flat = lambda v: np.array([a for c in v for a in c])
    paths = fit_verdict._derivation_arrays([{"x": c, "derived": d} for c, d in zip(claims, derived)])
    computed = [[rnd.random() < 0.3 for _ in c] for c in claims]
    assert len(paths[0]) > 20
    settings = list(fit_verdict._settings())
    # with claims partly supported (figures not found, P(contradiction) low)
    samples = [{**s, "partly_below": rnd.choice(fit_verdict.PARTLY_BELOWS)} for s in rnd.sample(settings, 300)]
    assert any(s["partly_below"] > 0 for s in samples)
    for s in samples:
        got = fit_verdict._grid_verdicts(flat(p), flat(q), X, owner, len(claims), s, paths,
                                         np.array(flat(computed), dtype=bool))
        want = [fit_verdict._claim_verdict(p[i], q[i], claims[i], s, derived[i], computed[i])
                for i in range(len(claims))]
        assert [("not_found", "supported", "contradicted")[v] for v in got] == want


def test_cross_validation_learns_a_separable_rule():
    # supported claims: an equal fact scoring high; contradicted: none, and a
    # high-scoring other fact with the claimed digits (a unit slip); not
    # stated: a high-scoring other fact of an unrelated value
    rnd = random.Random(0)
    i_eq, i_has, i_other = FEATURES.index("equal_score"), FEATURES.index("has_equal"), FEATURES.index("other_score")
    i_digits, i_ratio = FEATURES.index("other_same_digits"), FEATURES.index("other_log_ratio")
    i_margin = FEATURES.index("equal_minus_other")
    claims = []
    for k in range(90):
        x = [rnd.random() for _ in FEATURES]
        gold = ("supported", "contradicted", "not_found")[k % 3]
        x[i_has] = 1.0 if gold == "supported" or k % 4 == 0 else 0.0
        x[i_eq] = 0.8 + 0.1 * rnd.random() if gold == "supported" else 0.1 * rnd.random()
        x[i_other] = 0.2 if gold == "supported" else 0.6
        x[i_margin] = x[i_eq] - x[i_other]
        # the fact stating another value has the claim's own words around it
        x[FEATURES.index("own_words_margin")] = 0.5 if gold == "supported" else -0.5
        x[i_digits] = float(gold == "contradicted")
        x[i_ratio] = 0.25 if gold == "contradicted" else 0.9
        for gate in CONTRADICTION_GATES:   # none of what rules a contradiction out
            x[FEATURES.index(gate)] = 0.0
        x[FEATURES.index("other_label_share")] = 1.0  # the other fact carries the claim's labels
        claims.append({"id": str(k), "gold": gold, "x": [x]})
    # one logistic regression and one tree model (the whole MODELS grid
    # takes minutes): either probability may take either
    models = (fit_verdict.ModelSpec("logistic", C=1.0), fit_verdict.ModelSpec("trees", trees=0))
    results = fit_verdict.cross_validate(claims, models)
    assert {(r["stated_model"], r["contradiction_model"]) for r in results} == \
        {(a.name, b.name) for a in models for b in models}
    settings = sum(1 for t in fit_verdict.THRESHOLDS for b in fit_verdict.CONTRADICT_BELOWS if b <= t)
    assert len(results) == len(models) ** 2 * settings * len(fit_verdict.CONTRADICT_ABOVES) \
        * len(fit_verdict.MIN_CONTRADICTS) * len(fit_verdict.EQUAL_MARGINS) * len(fit_verdict.LABEL_GATES) \
        * len(fit_verdict.SUPPORT_MARGINS) + sum(1 for pb in fit_verdict.PARTLY_BELOWS if pb > 0)
    best = max(results, key=lambda r: r["objective"])
    assert best["accuracy"] >= 0.95 and best["supported_called_contradicted"] == 0
    assert best["not_stated_called_contradicted"] == 0 and best["contradict_above"] > 0


class _FoldSpec:
    """A probability model that scores each training fold differently: a
    feature scrambled by a number drawn from the fold's data, so the
    repeats of a cross-validation disagree."""

    def __init__(self, column: int, name: str):
        self.column, self.name, self.shift = column, name, 0.0

    def fit(self, X, y):
        fitted = _FoldSpec(self.column, self.name)
        fitted.shift = float(np.asarray(X).sum() % 1.0) - 0.5
        return fitted

    def predict_proba(self, X):
        p = (np.asarray(X)[:, self.column] * 7.13 + self.shift * 97.1) % 1.0
        return np.column_stack([1.0 - p, p])


def test_cross_validation_holds_out_whole_question_sets(monkeypatch):
    """Each fold holds out whole question sets (d39's claims are never split
    between training and scoring), every claim once per repeat; with fewer
    sets than folds, folds are stratified by verdict instead."""
    monkeypatch.setattr(fit_verdict, "REPEATS", 2)
    claims = [{"id": f"d{k % 9}-c{k:03d}", "gold": ("supported", "contradicted")[k % 2], "x": []} for k in range(90)]
    splits = fit_verdict.cv_splits(claims)
    assert len(splits) == 2 * fit_verdict.FOLDS
    for tr, te in splits:
        assert not {claims[i]["id"].split("-")[0] for i in tr} & {claims[i]["id"].split("-")[0] for i in te}
    for r in range(2):
        held = sorted(i for _, te in splits[r * fit_verdict.FOLDS:(r + 1) * fit_verdict.FOLDS] for i in te)
        assert held == list(range(90))
    few = [dict(c, id=f"d{k % 2}-c{k:03d}") for k, c in enumerate(claims)]
    assert all(len({few[i]["gold"] for i in te}) == 2 for _, te in fit_verdict.cv_splits(few))
    assert fit_verdict.question_set("d39-c001") == "d39" and fit_verdict.question_set("a-c003") == "a"


def test_repeated_cross_validation_scores_every_repeat(monkeypatch):
    """Repeated cross-validation stacks one copy of every claim per repeat
    (figures, derivation paths and computed marks shifted to that copy):
    on sampled grid points its objective and accuracy are those of
    decision.call's claim verdicts (_claim_verdict) summed over the
    repeats' folds, each figure scored by the model of its fold."""
    rnd = random.Random(3)
    claims = []
    for k in range(60):
        xs = [[rnd.choice((0.0, 1.0)) if f in ("has_equal", "other_label_share") else
               0.0 if f in CONTRADICTION_GATES and rnd.random() < 0.8 else rnd.uniform(-0.2, 1.0)
               for f in FEATURES] for _ in range(rnd.randint(0, 3))]
        derived = [[[j for j in range(len(xs)) if j != i]] if len(xs) > 1 and rnd.random() < 0.5 else []
                   for i in range(len(xs))]
        claims.append({"id": f"s{k % 7}-c{k}", "gold": ("supported", "contradicted", "not_found")[k % 3], "x": xs,
                       "derived": derived, "computed": [rnd.random() < 0.3 for _ in xs]})
    models = (_FoldSpec(FEATURES.index("equal_score"), "fold eq"),)
    monkeypatch.setattr(fit_verdict, "REPEATS", 2)
    # a smaller grid (the whole one takes minutes)
    for name, values in (("THRESHOLDS", (0.3, 0.5, 0.7)), ("CONTRADICT_BELOWS", (0.1, 0.3, 0.5)),
                         ("CONTRADICT_ABOVES", (0.0, 0.5)), ("MIN_CONTRADICTS", (0.2, 0.4)),
                         ("EQUAL_MARGINS", (0.0, 0.3)), ("SUPPORT_MARGINS", (math.inf, 0.2)),
                         ("LABEL_GATES", (False, True))):
        monkeypatch.setattr(fit_verdict, name, values)
    results = fit_verdict.cross_validate(claims, models)
    labels = [c["gold"] for c in claims]
    splits = fit_verdict.cv_splits(claims)
    assert len(splits) == 2 * fit_verdict.FOLDS
    scored = []   # per repeat: claim -> (p, q)
    for k, (tr, te) in enumerate(splits):
        if k % fit_verdict.FOLDS == 0:
            scored.append({})
        stated = models[0].fit(*fit_verdict._training(claims, tr))
        contradiction = models[0].fit(*fit_verdict._training(claims, tr, "contradiction"))
        for i in te:
            X = np.array(claims[i]["x"], dtype=float).reshape(-1, len(FEATURES))
            scored[-1][i] = (stated.predict_proba(X)[:, 1].tolist() if len(X) else [],
                             contradiction.predict_proba(X)[:, 1].tolist() if len(X) else [])
    verdicts = set()
    for r in rnd.sample(results, 150):
        right = wrong_worst = 0
        for rep in scored:
            for i, c in enumerate(claims):
                v = fit_verdict._claim_verdict(*rep[i], c["x"], r, c["derived"], c["computed"])
                verdicts.add(v)
                right += v == c["gold"]
                wrong_worst += c["gold"] == "supported" and v == "contradicted"
        assert r["objective"] == right - (fit_verdict.WORST_ERROR_COST - 1) * wrong_worst
        assert r["accuracy"] == pytest.approx(right / (2 * len(claims)))
    assert verdicts == {"supported", "contradicted", "not_found"}


def test_the_wrong_figure_of_a_multi_figure_false_claim_is_inferred():
    """A contradicted claim of two figures joins the stated model's
    training: the figure a model of the labelled figures finds less likely
    stated is the wrong one (0), the other is stated (1); the contradiction
    model leaves the claim out."""
    rnd = random.Random(2)
    i_eq = FEATURES.index("equal_score")

    def figure(stated: bool) -> list[float]:
        x = [rnd.random() for _ in FEATURES]
        x[i_eq] = 0.8 + 0.1 * rnd.random() if stated else 0.1 * rnd.random()
        return x

    claims = [{"gold": g, "x": [figure(g == "supported")]} for g in ("supported", "contradicted") * 20]
    claims.append({"gold": "contradicted", "x": [figure(True), figure(False)]})
    X, y = fit_verdict._training(claims, range(len(claims)))
    assert len(y) == 42
    assert X[-2:].tolist() == claims[-1]["x"] and y[-2:].tolist() == [1, 0]
    Xc, yc = fit_verdict._training(claims, range(len(claims)), "contradiction")
    assert len(yc) == 20 and yc.all()


def test_a_tree_model_is_stored_and_read_back_as_fitted(tmp_path):
    """A verdict model whose probabilities are gradient-boosted trees
    (fit_verdict.ModelSpec "trees") is written as JSON and read back giving
    the probabilities scikit-learn gives."""
    rnd = np.random.default_rng(3)
    X = rnd.uniform(-0.5, 1.0, size=(300, len(FEATURES)))
    y = ((X[:, FEATURES.index("equal_score")] > 0.3) & (X[:, FEATURES.index("own_words_margin")] > 0)).astype(int)
    spec = fit_verdict.ModelSpec("trees", trees=0)
    clf = spec.fit(X, y)
    trees = spec.export(clf, len(FEATURES))
    assert isinstance(trees, Trees)
    base = VerdictModel.load()
    model = VerdictModel(trees, trees, base.threshold, base.contradict_below, base.contradict_above,
                         base.min_contradict, {"split": "dev"})
    path = tmp_path / "model.json"
    path.write_text(model.to_json(), encoding="utf-8")
    back = VerdictModel.load(path)
    want = clf.predict_proba(X[:20])[:, 1]
    got = [back.probability(list(x)) for x in X[:20]]
    assert np.allclose(got, want)
    assert len({round(g, 6) for g in got}) > 1      # not a constant model
    with pytest.raises(ValueError, match="expected"):
        back.probability([0.5])
