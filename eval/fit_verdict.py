"""Fit the claim-verdict model (:mod:`assistant.figures.decision`) on the dev
split, with cross-validation; never reads the test split.

    python -m eval fit-verdict [--db DIR] [--out assistant/figures/data/verdict_model.json]

Steps:

1. Every dev claim is verified as ``eval run`` verifies it -- within its
   document (:func:`assistant.verify.verify` with ``trace``) -- giving one
   feature vector per claimed figure.
2. Labels: the figures of a supported claim are stated (1); the figure of a
   one-figure contradicted claim is not (0), nor is any figure of a
   ``not_found`` claim (a figure no plan states).  Which figure of a
   multi-figure contradicted claim is wrong is not recorded: it is inferred
   (multiple-instance labelling, :func:`_training`) -- a model fitted on the
   other figures picks the claim's least likely stated figure as the wrong
   one (0), the others are stated (1), as the writers contradict a claim
   "in one way each".
3. A second model, P(contradiction), is fitted on the figures of claims
   that are not supported: contradicted (1) against not stated (0).
4. For each probability model of either P (:data:`MODELS`: a logistic
   regression per ``C`` of :data:`CS`, gradient-boosted trees per
   :data:`TREE_SETTINGS`) and each setting of the decision rule (:data:`THRESHOLDS`,
   :data:`CONTRADICT_BELOWS`, :data:`CONTRADICT_ABOVES`,
   :data:`MIN_CONTRADICTS`, :data:`EQUAL_MARGINS`, :data:`LABEL_GATES`,
   :data:`SUPPORT_MARGINS`; then :data:`PARTLY_BELOWS` under the best of those;
   :func:`assistant.figures.decision.call`),
   5-fold cross-validation (folds by question set, :func:`cv_splits`),
   repeated :data:`REPEATS` times over other partitions, scores
   the *claim* verdicts the models would give (a claim is contradicted when
   any figure is, supported when all are -- or when the rest are not found
   and unlikely contradicted, :func:`assistant.figures.decision.partly_supported`
   -- else not found).  The objective
   is the number of right verdicts, a true claim called contradicted
   counting :data:`WORST_ERROR_COST` errors; ties go to fewer of those,
   then to fewer false claims called supported, then to the earlier model
   of :data:`MODELS` (a logistic regression, the larger C first) and the higher
   floor, the lower ``contradict_below``, the higher ``contradict_above``,
   the smaller margin, no label gate and the larger support margin.
5. The winner is refitted on all dev figures and written with its
   cross-validated numbers in ``meta``.  When the shipped model was fitted
   on other features, steps 1-5 run twice: first deciding with a
   provisional model, then with the one fitted.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import math

import numpy as np

from .splits import SplitName, resolve
from .validate import read_jsonl

#: Inverse regularisation strengths of the logistic regressions tried.
CS = (0.1, 1.0, 10.0, 100.0)
#: Settings of the gradient-boosted trees tried (scikit-learn's
#: ``HistGradientBoostingClassifier``): from shallow and heavily smoothed to
#: 31 leaves.  Added on 2026-12-05 (twenty-first session): on the 1,943 dev
#: claims of that day the best trees cross-validated at accuracy 0.761 with
#: one true claim called contradicted, the best logistic regressions at
#: 0.744 with none -- by :data:`WORST_ERROR_COST` the trees win.
TREE_SETTINGS = (
    {"max_iter": 100, "learning_rate": 0.05, "max_depth": 3, "min_samples_leaf": 40},
    {"max_iter": 200, "learning_rate": 0.05, "max_depth": 3, "min_samples_leaf": 20},
    {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15, "min_samples_leaf": 20},
    {"max_iter": 300, "learning_rate": 0.05, "max_leaf_nodes": 31, "min_samples_leaf": 10},
)


@dataclass(frozen=True)
class ModelSpec:
    """One probability model tried for P(stated) or P(contradiction): a
    logistic regression (standardised features) of inverse regularisation
    ``C``, or gradient-boosted trees of :data:`TREE_SETTINGS` index ``trees``.

    Attributes:
        kind: ``"logistic"`` or ``"trees"``.
        C: the logistic regression's C (None for trees).
        trees: the index into :data:`TREE_SETTINGS` (None for a logistic regression).
    """

    kind: str
    C: float | None = None
    trees: int | None = None

    @property
    def name(self) -> str:
        """Its name in the grid and the model's ``meta`` (``"logistic C=1"``, ``"trees 2"``)."""
        return f"logistic C={self.C:g}" if self.kind == "logistic" else f"trees {self.trees}"

    def fit(self, X: np.ndarray, y: np.ndarray):
        """The fitted scikit-learn model (or :class:`_Constant` when ``y`` has one class)."""
        if len(set(y.tolist())) < 2:
            return _Constant(float(y[0]) if len(y) else 1.0)
        if self.kind == "trees":
            from sklearn.ensemble import HistGradientBoostingClassifier

            return HistGradientBoostingClassifier(random_state=SEED, **TREE_SETTINGS[self.trees]).fit(X, y)
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        return make_pipeline(StandardScaler(), LogisticRegression(C=self.C, max_iter=2000)).fit(X, y)

    def export(self, model, n: int):
        """A model :meth:`fit` returned as :class:`~assistant.figures.decision.Logistic`
        or :class:`~assistant.figures.decision.Trees` over ``n`` features."""
        from assistant.figures.decision import Logistic, Trees
        from assistant.trees import TreeEnsemble

        if isinstance(model, _Constant):
            return Logistic((0.0,) * n, (1.0,) * n, (0.0,) * n, 50.0 if model.p >= 0.5 else -50.0)
        if self.kind == "trees":
            return Trees(TreeEnsemble.from_sklearn(model))
        scaler, lr = model[0], model[-1]
        return Logistic(tuple(float(v) for v in scaler.mean_), tuple(float(v) for v in scaler.scale_),
                        tuple(float(v) for v in lr.coef_[0]), float(lr.intercept_[0]))


#: Every probability model tried (either probability may take any of them),
#: in the order ties prefer: logistic regressions, the larger C first, then trees.
MODELS = tuple(ModelSpec("logistic", C=C) for C in sorted(CS, reverse=True)) + \
    tuple(ModelSpec("trees", trees=i) for i in range(len(TREE_SETTINGS)))
#: P(stated) thresholds tried.
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
#: P(stated) at or below which a figure may be contradicted, tried (those
#: above the support threshold are skipped).
CONTRADICT_BELOWS = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
#: P(contradiction) at or above which a figure may be contradicted, tried
#: (0: the contradiction model does not gate).
CONTRADICT_ABOVES = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
#: Subject scores from which a fact stating another value contradicts, tried.
MIN_CONTRADICTS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45)
#: Margins within which a fact stating the claimed value rules out a
#: contradiction (:func:`assistant.figures.decision.call`), tried.
EQUAL_MARGINS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0)
#: Whether only a fact carrying every label the claim names may contradict
#: it.  Tried both ways until 2026-12-06; kept on since: at cost 5 the
#: grid preferred it off (grouped CV 0.822 against 0.817), and a 分項's
#: claim was then contradicted by another plan's whole budget for the year
#: -- the sub-item-against-the-whole-plan error issue 12 names.
LABEL_GATES = (True,)
#: Margins by which a fact stating another value may outscore the one
#: stating the claimed value before the latter no longer supports it
#: (:func:`assistant.figures.decision.call`), tried (inf: no limit).
SUPPORT_MARGINS = (math.inf, 0.6, 0.4, 0.2)
#: P(contradiction) below which a claim's figures that are not found do not
#: keep it from being supported by its other figures
#: (:func:`assistant.figures.decision.partly_supported`), tried (0: they do).
PARTLY_BELOWS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)
#: A true claim called contradicted is the worst error a verifier makes
#: (issue 12): it costs this many errors in the selection objective.  At 2
#: until 2026-12-03; on the 783 dev claims of that day (with the
#: contradiction gates of :data:`assistant.figures.decision.CONTRADICTION_GATES`)
#: 5 chose settings with CV accuracy 0.778 and no true claim called
#: contradicted, against 0.782 and 2 at cost 2 -- and 4 of 65 fresh true
#: claims (d16) had been called contradicted, so the cheaper trade was
#: taken.  (At 5 on the 373 claims of 2026-12-01, with a false claim
#: called supported costing 2, accuracy had fallen 0.740 -> 0.702.)
#: Raised to 20 on 2026-12-04 with the multiple-instance labels of
#: :func:`_training`: on the 1,403 dev claims of that day, cost 5 chose
#: settings with CV accuracy 0.782 and 3 true claims called contradicted,
#: cost 20 settings with 0.771 and none (without those labels: 0.764 and
#: none at either cost) -- issue 12 asks for none.  With the 100 claims of
#: d26 (1,503, three of their true claims hard to tell from a neighbour's
#: figure) and the own-words rule of :func:`assistant.figures.decision.call`:
#: 0.747 and 1 (without the rule 0.756 and 2; without the labels 0.743 and 1).
#: Lowered to 5 on 2026-12-06 (twenty-fifth session), on fresh data: with
#: folds grouped by question set, the settings chosen at 20 (a logistic
#: P(stated)) and at 10 lost on every fresh set, those chosen at 5 won on
#: each, without more true claims called contradicted there -- d40 0.750 /
#: 0.783 / 0.808 at 20 / 10 / 5 (the model then shipped 0.792); d41 + d42
#: held out of a fit on the 2,403 claims before them 0.812 at 5 against
#: 0.785 for the shipped model (2 and 3 of their 90 true claims called
#: contradicted); d43, fresh, 0.800 against 0.767 (none of 55).  In CV, 5
#: calls 13.7 of the 2,663 dev claims' 1,255 true ones contradicted per
#: repeat (1.1%).
WORST_ERROR_COST = 5
#: The model that infers which figure of a multi-figure contradicted claim
#: is wrong (:func:`_training`).  A logistic regression (C = 1) until
#: 2026-12-05; on the 1,943 dev claims of that day, with the trees of
#: :data:`TREE_SETTINGS` among :data:`MODELS`, labels inferred by these
#: trees cross-validated at accuracy 0.761 against 0.748 (one true claim
#: called contradicted either way).
LABEL_MODEL = ModelSpec("trees", trees=1)
#: Cross-validation folds.
FOLDS = 5
#: Times the 5-fold cross-validation is repeated, each over another random
#: partition of the claims (:func:`cv_splits`; stratified by verdict until
#: the twenty-fourth session, grouped by question set since);
#: every grid point is scored on all repeats at once.  1 until 2026-12-05;
#: on the 2,163 dev claims of that day the best setting's CV accuracy
#: (two tree settings) moved 0.748–0.777 from one fold seed to the next --
#: more than the feature changes of three sessions -- so one partition
#: chose settings by noise; with three repeats it moved 0.759–0.764 over
#: seeds 0, 1, 2.  The price: 3x the model fits and a grid scored over
#: three times the figures (the whole fit about 50 minutes on 2 cores).
REPEATS = 3
SEED = 0


def question_set(item_id: str) -> str:
    """The question set a benchmark item belongs to: its id without the
    item number (``"d39-c001"`` -> ``"d39"``; ``"a-c003"`` -> ``"a"``)."""
    return item_id.rsplit("-", 1)[0]


def cv_splits(claims: list[dict]) -> list[tuple[np.ndarray, np.ndarray]]:
    """The (train, test) claim indexes of :data:`REPEATS` repeats of
    :data:`FOLDS`-fold cross-validation, repeat after repeat, grouped by
    question set (:func:`question_set`; scikit-learn's ``GroupKFold``,
    shuffled with seed ``SEED + repeat``): a set's claims are held out
    together, so a setting is scored on sets its models never saw -- as
    a user's questions are.  One set's writer restates the same facts in
    several claims (「由 12.3% 提升至 60%」 three times in one set);
    split among folds, such claims let a setting that memorises them look
    better than one that generalises.  Stratified by verdict instead
    (``RepeatedStratifiedKFold``) when there are fewer sets than folds.

    Grouped since 2026-12-05 (twenty-fourth session): the verdict model
    refitted on 2026-12-05 with stratified folds (CV 0.7625) lost 4 points
    on the next fresh set (d39)."""
    from sklearn.model_selection import GroupKFold, RepeatedStratifiedKFold

    n = len(claims)
    labels = np.array([c["gold"] for c in claims])
    groups = np.array([question_set(c["id"]) for c in claims])
    if len(set(groups.tolist())) < FOLDS:
        return list(RepeatedStratifiedKFold(n_splits=FOLDS, n_repeats=REPEATS, random_state=SEED)
                    .split(np.zeros(n), labels))
    return [split for r in range(REPEATS)
            for split in GroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED + r)
            .split(np.zeros(n), labels, groups)]


def claim_features(db: Path, *, doc_filter: bool = True, model=None) -> list[dict]:
    """``{"id", "gold", "x": [feature vector per figure], "derived": [the
    sets of other figures each follows from, :func:`~assistant.figures.claimmath.derivations`]}`` for every dev
    claim (the verdict model's features under the current index), each
    claim verified by :func:`assistant.verify.verify` as ``eval run``
    verifies it: restricted to the claim's ``doc`` unless ``doc_filter`` is
    false.  ``model``: the verdict model deciding each figure while the
    claim is verified (a decided figure's evidence anchors the next one);
    default the shipped one."""
    from assistant.figures.claimmath import derivations, presented_as_computed
    from assistant.figures.claims import parse_claim
    from assistant.verify import verify

    out = []
    (dev,) = resolve(SplitName.DEV)
    items, _ = read_jsonl(dev.path)
    for item in items:
        if item["kind"] != "claim":
            continue
        trace: list = []
        docs = [item["doc"]] if doc_filter and item.get("doc") else None
        verify(item["claim"], doc_ids=docs, db_dir=db, trace=trace, model=model)
        parsed = parse_claim(item["claim"])
        figures = [f.quantity for f in parsed.figures] if trace else []
        out.append({"id": item["id"], "gold": item["verdict"], "x": trace,
                    "derived": [[sorted(p) for p in paths] for paths in derivations(figures, item["claim"])],
                    "computed": presented_as_computed(figures, parsed.norm)})
    return out


def _claim_verdict(p: list[float], q: list[float], xs: list[list[float]], s: dict,
                   derived: list | None = None, computed: list[bool] | None = None) -> str:
    """A claim's verdict from its figures' P(stated) ``p`` and
    P(contradiction) ``q`` under the settings ``s``, the figures decided as
    :func:`assistant.figures.decision.call` decides them, a figure that
    follows from supported ones (``derived``: per figure, the index sets it
    follows from) as :func:`assistant.figures.verify.with_derived` decides it;
    ``computed``: per figure, whether the claim computed it
    (:func:`~assistant.figures.claimmath.presented_as_computed`)."""
    from assistant.figures.claimmath import supporting_parts
    from assistant.figures.decision import FOLLOWS_ANCHOR, call, partly_supported

    kinds = [call(pi, qi, x, s["threshold"], s["min_contradict"], s["contradict_below"], s["contradict_above"],
                  s["equal_margin"], s["label_gate"], s["support_margin"])
             for pi, qi, x in zip(p, q, xs)]
    for i, path in enumerate(supporting_parts([k == "supported" for k in kinds], derived or [])):
        if path is not None:
            kinds[i] = "supported"
    if not kinds:
        return "not_found"
    if partly_supported(kinds, q, s.get("partly_below", 0.0), computed, [x[FOLLOWS_ANCHOR] > 0 for x in xs]):
        kinds = [k for k in kinds if k != "not_found"]
    if "contradicted" in kinds:
        return "contradicted"
    return "supported" if all(k == "supported" for k in kinds) else "not_found"


def _training(claims: list[dict], idx, target: str = "stated") -> tuple[np.ndarray, np.ndarray]:
    """Figures and labels for the ``"stated"`` model (1 = a figure the plan
    states) or the ``"contradiction"`` model (figures of claims that are
    not supported: 1 = contradicted, 0 = not stated), from ``claims[i]``
    for ``i`` in ``idx``.

    The gold verdict labels every figure of a supported or ``not_found``
    claim and the one figure of a one-figure contradicted claim.  For the
    stated model, each multi-figure contradicted claim adds its figures too:
    a model (:data:`LABEL_MODEL`) fitted on those labelled ones scores them,
    the least likely stated is the wrong figure (0) and the others are
    stated (1).  The contradiction model leaves those claims out."""
    xs, ys, bags = [], [], []
    for i in idx:
        c = claims[i]
        if c["gold"] == "contradicted" and len(c["x"]) != 1:
            if c["x"]:
                bags.append(c["x"])
            continue
        if target == "contradiction" and c["gold"] == "supported":
            continue
        for x in c["x"]:
            xs.append(x)
            ys.append(c["gold"] == ("supported" if target == "stated" else "contradicted"))
    X, y = np.array(xs, dtype=float), np.array(ys, dtype=int)
    if target != "stated" or not bags or not len(X):
        return X, y
    first = LABEL_MODEL.fit(X, y)
    more_x, more_y = [X], [y]
    for bag in bags:
        b = np.array(bag, dtype=float)
        label = np.ones(len(b), dtype=int)
        label[int(np.argmin(first.predict_proba(b)[:, 1]))] = 0
        more_x.append(b)
        more_y.append(label)
    return np.vstack(more_x), np.concatenate(more_y)


class _Constant:
    """A model of one class (a training fold without the other)."""

    def __init__(self, p: float):
        self.p = p

    def predict_proba(self, X) -> np.ndarray:
        return np.tile([1.0 - self.p, self.p], (len(X), 1))


def _settings():
    for t in THRESHOLDS:
        for below in (b for b in CONTRADICT_BELOWS if b <= t):
            for above in CONTRADICT_ABOVES:
                for mc in MIN_CONTRADICTS:
                    for margin in EQUAL_MARGINS:
                        for gate in LABEL_GATES:
                            for sm in SUPPORT_MARGINS:
                                yield {"threshold": t, "contradict_below": below, "contradict_above": above,
                                       "min_contradict": mc, "equal_margin": margin, "label_gate": gate,
                                       "support_margin": sm, "partly_below": 0.0}


def _grid_verdicts(p: np.ndarray, q: np.ndarray, X: np.ndarray, owner: np.ndarray, n: int, s: dict,
                   paths: tuple[np.ndarray, np.ndarray] | None = None,
                   computed: np.ndarray | None = None) -> np.ndarray:
    """Every claim's verdict under the settings ``s`` at once: 0 not found,
    1 supported, 2 contradicted -- :func:`_claim_verdict` over arrays (the
    figures' ``p``, ``q`` and features ``X``, ``owner[i]`` the claim of
    figure i, ``n`` claims; ``paths``: :func:`_derivation_arrays`;
    ``computed``: per figure, whether its claim computed it); a test checks
    that the two agree."""
    from assistant.figures.decision import (ANCHORED_CONTRADICT_ABOVE, CONTRADICTION_GATES, FEATURES, FOLLOWS_ANCHOR,
                                            rate_gated)

    has = X[:, FEATURES.index("has_equal")] > 0
    margin = X[:, FEATURES.index("equal_minus_other")]
    sup = has & (p >= s["threshold"]) & (margin >= -s["support_margin"])
    own = X[:, FEATURES.index("own_words_margin")] > 0
    con = ~sup & ~(has & ((margin >= -s["equal_margin"]) | own)) & (p <= s["contradict_below"]) \
        & (q >= np.where(X[:, FOLLOWS_ANCHOR] > 0, min(s["contradict_above"], ANCHORED_CONTRADICT_ABOVE),
                         s["contradict_above"])) \
        & (X[:, FEATURES.index("other_score")] >= s["min_contradict"]) \
        & (X[:, [FEATURES.index(f) for f in CONTRADICTION_GATES]] <= 0).all(axis=1) & ~rate_gated(X)
    if s["label_gate"]:
        con &= (X[:, FEATURES.index("other_label_share")] >= 1.0) | (X[:, FOLLOWS_ANCHOR] > 0)
    if paths is not None and len(paths[0]):
        target, parts = paths
        ok = np.append(sup, True)[parts].all(axis=1)   # index -1 pads a path: always true
        derived = np.zeros(len(sup), dtype=bool)
        np.logical_or.at(derived, target, ok)
        derived &= ~sup
        sup, con = sup | derived, con & ~derived
    figures = np.bincount(owner, minlength=n)
    n_sup = np.bincount(owner, weights=sup, minlength=n)
    out = np.where((n_sup == figures) & (figures > 0), 1, 0)
    n_con = np.bincount(owner, weights=con, minlength=n)
    if s.get("partly_below", 0.0) > 0:
        # figures not found that keep a claim from being supported: those
        # with P(contradiction) at or above partly_below
        blocking = ~sup & ~con & ((q >= s["partly_below"]) | (computed if computed is not None else False)
                                  | (X[:, FOLLOWS_ANCHOR] > 0))
        partly = (figures >= 2) & (n_sup > 0) & (np.bincount(owner, weights=blocking, minlength=n) == 0)
        out = np.where(partly, 1, out)
    return np.where(n_con > 0, 2, out)


def _derivation_arrays(claims: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """The claims' derivations as arrays over all figures: ``(target,
    parts)``, one row per (figure, set of figures it follows from); ``parts``
    padded with -1 to :data:`assistant.figures.claimmath.MAX_PARTS` columns."""
    from assistant.figures.claimmath import MAX_PARTS

    target, parts, base = [], [], 0
    for c in claims:
        for i, paths in enumerate(c.get("derived") or []):
            for path in paths:
                target.append(base + i)
                parts.append([base + j for j in path] + [-1] * (MAX_PARTS - len(path)))
        base += len(c["x"])
    return np.array(target, dtype=int), np.array(parts, dtype=int).reshape(-1, MAX_PARTS)


def cross_validate(claims: list[dict], models: tuple[ModelSpec, ...] = MODELS) -> list[dict]:
    """Claim-level CV results for every pair of ``models`` (P(stated),
    P(contradiction)) and setting of :func:`_settings` (with
    ``partly_below`` 0), then for each of :data:`PARTLY_BELOWS` under the
    best of those: ``{"model", "model_contradiction"`` (indexes into
    ``models``), ``"stated_model", "contradiction_model"`` (their names), ``"threshold",
    "contradict_below", "contradict_above", "min_contradict", …,
    "partly_below", "accuracy", "supported_called_contradicted",
    "contradicted_called_supported", "not_stated_called_contradicted",
    "objective"}``: over :data:`REPEATS` repeats of :data:`FOLDS`-fold
    cross-validation, the accuracy and the error counts are means per
    repeat, the objective their sum."""
    from assistant.figures.decision import FEATURES

    n = len(claims)
    splits = cv_splits(claims)

    # each fold's training figures and labels, built once for every model
    # (the stated model's labels infer wrong figures with a fitted model)
    training = {target: [_training(claims, tr, target) for tr, _ in splits] for target in ("stated", "contradiction")}

    def held_out(target: str, spec: ModelSpec) -> np.ndarray:
        # each repeat's held-out claims' figures scored by the model of their
        # fold, the repeats one after the other (claim order within each)
        out: list[dict[int, list[float]]] = [{} for _ in range(REPEATS)]
        for k, (_, te) in enumerate(splits):
            model = spec.fit(*training[target][k])
            for i in te:
                xs = claims[i]["x"]
                out[k // FOLDS][i] = [float(v) for v in model.predict_proba(np.array(xs, dtype=float))[:, 1]] \
                    if xs else []
        return np.array([v for rep in out for i in range(n) for v in rep[i]])

    # the claims stacked once per repeat: figure arrays tiled, claim
    # indexes (owner, derivation paths) shifted by n per repeat
    X1 = np.array([x for c in claims for x in c["x"]], dtype=float).reshape(-1, len(FEATURES))
    X = np.tile(X1, (REPEATS, 1))
    owner1 = np.array([i for i, c in enumerate(claims) for _ in c["x"]], dtype=int)
    owner = np.concatenate([owner1 + r * n for r in range(REPEATS)])
    target1, parts1 = _derivation_arrays(claims)
    paths = (np.concatenate([target1 + r * len(X1) for r in range(REPEATS)]),
             np.vstack([np.where(parts1 < 0, -1, parts1 + r * len(X1)) for r in range(REPEATS)]))
    computed = np.tile(np.array([bool(v) for c in claims for v in (c.get("computed") or [False] * len(c["x"]))],
                                dtype=bool), REPEATS)
    gold = np.tile(np.array([("not_found", "supported", "contradicted").index(c["gold"]) for c in claims]),
                   REPEATS)

    def score(m: int, m2: int, p: np.ndarray, q: np.ndarray, s: dict) -> dict:
        v = _grid_verdicts(p, q, X, owner, n * REPEATS, s, paths, computed)
        right = int((v == gold).sum())
        s2c = int(((gold == 1) & (v == 2)).sum())
        return {"model": m, "model_contradiction": m2, "stated_model": models[m].name,
                "contradiction_model": models[m2].name, **s, "accuracy": right / len(gold),
                "supported_called_contradicted": round(s2c / REPEATS, 2),
                "contradicted_called_supported": round(int(((gold == 2) & (v == 1)).sum()) / REPEATS, 2),
                "not_stated_called_contradicted": round(int(((gold == 0) & (v == 2)).sum()) / REPEATS, 2),
                "objective": right - (WORST_ERROR_COST - 1) * s2c}

    ps = [held_out("stated", spec) for spec in models]
    qs = [held_out("contradiction", spec) for spec in models]
    results = [score(m, m2, ps[m], qs[m2], s) for m in range(len(models)) for m2 in range(len(models))
               for s in _settings()]
    # second stage: partly supported claims (PARTLY_BELOWS) under the best
    # figure-level setting, which they do not change
    best = max(results, key=_preference)
    fixed = {k: best[k] for k in _SETTING_KEYS}
    m, m2 = best["model"], best["model_contradiction"]
    results += [score(m, m2, ps[m], qs[m2], {**fixed, "partly_below": pb}) for pb in PARTLY_BELOWS if pb > 0]
    return results


# The decision rule's settings (one grid point of :func:`_settings`).
_SETTING_KEYS = ("threshold", "contradict_below", "contradict_above", "min_contradict", "equal_margin",
                 "label_gate", "support_margin")


def _preference(r: dict) -> tuple:
    """Sort key of a grid result (higher is preferred): the objective; ties
    go to fewer true claims called contradicted, then fewer false claims
    called supported (the next-worst error), then the earlier model of
    :data:`MODELS` (of P(stated), then of P(contradiction)), then the
    simpler setting."""
    return (r["objective"], -r["supported_called_contradicted"], -r["contradicted_called_supported"], -r["model"],
            -r["model_contradiction"],
            r["min_contradict"], -r["contradict_below"], r["contradict_above"], -r["equal_margin"],
            not r["label_gate"], r["support_margin"], -r["partly_below"])


def fit(db: Path, out: Path, *, doc_filter: bool = True) -> dict:
    """Cross-validate, refit the best setting on all dev claims and write the
    model to ``out``; returns the model's ``meta`` with the whole ``grid``.
    ``doc_filter``: verify each claim within its ``doc`` (as ``eval run``
    does by default).  When the shipped model was fitted on other features,
    the claims are first verified with :meth:`VerdictModel.provisional`, and
    once more with the model fitted on those."""
    from assistant.figures.decision import VerdictModel

    try:
        current, passes = VerdictModel.load(), 1
    except ValueError:
        current, passes = VerdictModel.provisional(), 2
    for _ in range(passes):
        claims = claim_features(db, doc_filter=doc_filter, model=current)
        results = cross_validate(claims)
        current = _best_model(claims, results, doc_filter)
    out.write_text(current.to_json() + "\n", encoding="utf-8")
    return {**current.meta, "grid": results}


def _best_model(claims: list[dict], results: list[dict], doc_filter: bool,
                models: tuple[ModelSpec, ...] = MODELS):
    """The best setting of the ``results`` grid (of ``models``) refitted on all ``claims``."""
    from assistant.figures.decision import FEATURES, VerdictModel

    best = max(results, key=_preference)
    spec, spec2 = models[best["model"]], models[best["model_contradiction"]]
    X, y = _training(claims, range(len(claims)))
    stated = spec.export(spec.fit(X, y), len(FEATURES))
    contradiction = spec2.export(spec2.fit(*_training(claims, range(len(claims)), "contradiction")), len(FEATURES))
    meta = {"split": "dev", "doc_filter": doc_filter, "claims": len(claims), "figures": int(len(y)), "folds": FOLDS,
            "repeats": REPEATS, "seed": SEED, "worst_error_cost": WORST_ERROR_COST,
            **{k: best[k] for k in ("stated_model", "contradiction_model", "threshold", "contradict_below",
                                    "contradict_above", "min_contradict", "equal_margin", "label_gate")},
            "support_margin": None if math.isinf(best["support_margin"]) else best["support_margin"],
            "partly_below": best["partly_below"], "cv_accuracy": round(best["accuracy"], 4),
            **{f"cv_{k}": best[k] for k in ("supported_called_contradicted", "contradicted_called_supported",
                                            "not_stated_called_contradicted")}}
    return VerdictModel(stated, contradiction, best["threshold"], best["contradict_below"],
                        best["contradict_above"], best["min_contradict"], meta, best["equal_margin"],
                        best["label_gate"], best["support_margin"], best["partly_below"])


__all__ = ["CONTRADICT_ABOVES", "CONTRADICT_BELOWS", "CS", "EQUAL_MARGINS", "LABEL_GATES", "LABEL_MODEL", "MIN_CONTRADICTS",
           "MODELS", "ModelSpec", "PARTLY_BELOWS", "REPEATS", "SUPPORT_MARGINS", "THRESHOLDS", "TREE_SETTINGS", "WORST_ERROR_COST", "claim_features", "cross_validate", "cv_splits", "fit", "question_set"]
