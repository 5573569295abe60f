"""Fit the answer selector (:mod:`assistant.selector`) on the dev split, with
cross-validation grouped by question; never reads the test split.

    python -m eval fit-selector [--db DIR] [--out assistant/data/selector_model.json]

Steps:

1. Every dev question is retrieved as ``ask`` retrieves it (its document
   only, :data:`assistant.answer.DEFAULT_TOP_K` chunks) and every candidate
   unit of the hits gets its feature row
   (:meth:`assistant.compose.Composer.candidates`).
2. Labels: a unit that contains an accepted alternative of every
   ``must_include`` group is right (1); when no unit does, the units
   containing the most groups are; units of unanswerable questions are not.
3. For each ranker of :data:`RANKERS` -- the pairwise linear ranker at each
   regularisation ``C`` in :data:`CS` (:func:`fit_ranker`), the tree ranker
   (:func:`fit_trees`, :data:`TREE_SETTINGS`) -- 5-fold cross-validation
   (folds of questions) fits it on the other folds' questions and composes
   each held-out question's answer with it, for each support margin in
   :data:`SUPPORT_MARGINS` (:meth:`~assistant.compose.Composer.compose`, no
   threshold): the answer is right when it includes every ``must_include``
   group.
4. The confidence model is fitted on those answers (P(right) from the
   lead's :data:`~assistant.selector.CONFIDENCE_FEATURES`, among them the
   question-wording prior :func:`fit_prior` fitted on the other folds'
   questions, so that it is out of fold like the ranker), and the
   answerability model on the same answers (P(the question is answerable),
   same features), once as a logistic regression and once as trees
   (:func:`fit_answerable_trees`).  For each gate of :data:`GATES` -- the
   threshold on P(right), or on either P(answerable) -- the gate model's own cross-validated
   probabilities choose the abstention threshold: among those abstaining
   on at most :data:`MAX_FALSE_ABSTENTION` of the answerable questions, the
   one with the most right outcomes (a right answer, or an abstention on an
   unanswerable question); ties go to the lower threshold.
5. The best (ranker, margin, gate, threshold) is kept; the ranker is
   refitted on all dev questions and written with the confidence (and
   answerability) model and the cross-validated numbers (accuracy,
   coverage, precision per threshold) in ``meta``.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .metrics import includes_all
from .splits import SplitName, resolve
from .validate import read_jsonl

if TYPE_CHECKING:  # pragma: no cover
    from assistant.trees import TreeEnsemble

#: Inverse regularisation strengths tried (linear ranker).
CS = (0.01, 0.1, 1.0)
#: The tree ranker's settings (scikit-learn's HistGradientBoostingClassifier;
#: early stopping on a held-out tenth, on by default past 10,000 rows).
#: Chosen on the dev split's 1,217 questions (5-fold cross-validation by
#: question, e5 index, 2026-12-03) by the share of answerable questions
#: whose best-scored candidate is right: 0.662 against 0.600 for the
#: pairwise linear ranker (English 0.583 against 0.515); 31 leaves gave
#: 0.657, the raw features without :func:`assistant.selector.relative_inputs` 0.636.
TREE_SETTINGS = {"learning_rate": 0.05, "max_iter": 400, "max_leaf_nodes": 63, "min_samples_leaf": 40,
                 "l2_regularization": 1.0}
#: Rankers tried: ("linear", C) for each C; ("trees", None), fitted on
#: every question's candidates, and ("trees-answerable", None), fitted on
#: the candidates of questions with a right one only (:func:`fit_trees`).
RANKERS = tuple(("linear", C) for C in CS) + (("trees", None), ("trees-answerable", None))
#: Abstention thresholds tried (on the gate's probability, :data:`GATES`).
THRESHOLDS = tuple(round(t, 3) for t in np.arange(0.0, 0.81, 0.025))
#: Score margins (ranker units) within which runners-up are quoted, tried.
SUPPORT_MARGINS = (1.0, 2.0, 4.0, 8.0)
#: Pairs per question for the ranker: right units × sampled wrong units.
MAX_POSITIVES = 5
MAX_NEGATIVES = 40
#: The most answerable questions a threshold may abstain on (cross-validated
#: share): issue 13's target for false abstention.  Below it, the threshold
#: with the best accuracy wins.
MAX_FALSE_ABSTENTION = 0.08
#: What the abstention threshold is on: P(the answer is right) or P(the
#: question is answerable) (:meth:`assistant.selector.SelectorModel.gate`).
#: On the dev split's 1,357 questions of 2026-12-03 (answerable-only tree
#: ranker, margin 8, 5-fold cross-validation) the answerable gate abstained
#: on 0.643 of the unanswerable questions against 0.537, both under the
#: false-abstention cap, answers or abstentions right 0.643 against 0.620
#: (and with every ranker it won): under the cap, the abstentions are
#: best spent on questions without an answer, not on answerable ones
#: answered wrongly (either way wrong, one of them a false abstention).
GATES = ("right", "answerable", "answerable-trees")
#: The tree answerability model's settings (``"answerable-trees"`` gate;
#: scikit-learn's HistGradientBoostingClassifier over the lead's
#: :data:`~assistant.selector.CONFIDENCE_FEATURES`): shallow and slow,
#: set before any measurement for about 2,000 questions -- the logistic
#: gate adds a wording prior and the evidence's signals, so a question
#: worded like unanswerable ones ("What is the budget of … in 2019?") is
#: abstained on even when the evidence names everything it asks; trees can
#: weigh the one by the other.  On the 2,057 dev questions of 2026-12-04
#: (5-fold CV) they tied with the logistic gate: 0.7175 against 0.718,
#: false abstention 0.064 against 0.075.
GATE_TREE_SETTINGS = {"learning_rate": 0.05, "max_iter": 200, "max_leaf_nodes": 8, "min_samples_leaf": 30,
                      "l2_regularization": 1.0}
#: Cross-validation folds.
FOLDS = 5
SEED = 0


def question_data(db: Path) -> list[dict]:
    """One record per dev question: ``{"item", "query", "hits", "x", "y"}``
    (``x``: the candidates' feature rows, ``y``: their labels)."""
    from assistant import get_assistant
    from assistant.answer import DEFAULT_TOP_K
    from assistant.query import analyze
    from assistant.retrieve import answering_order

    assistant = get_assistant(db)
    # the semantic features are fitted on this index's model, whatever the shipped selector's
    assistant.composer.similarity = assistant.retriever.similarity
    (dev,) = resolve(SplitName.DEV)
    items, _ = read_jsonl(dev.path)
    out = []
    for item in items:
        if item["kind"] != "question":
            continue
        query = analyze(item["question"])
        hits = answering_order(assistant.retriever.retrieve(query, top_k=DEFAULT_TOP_K,
                                                             doc_ids=[item["doc"]] if item.get("doc") else None))
        units, x = assistant.composer.candidates(query, hits)
        out.append({"item": item, "query": query, "hits": hits, "x": x, "y": unit_labels(item, [u.text for u in units])})
    return out


def unit_labels(item: dict, texts: list[str]) -> np.ndarray:
    """1 for the units that answer ``item`` (see step 2 of the module
    docstring), else 0."""
    groups = item.get("must_include") or []
    if item["category"] == "unanswerable" or not groups or not texts:
        return np.zeros(len(texts), dtype=int)
    counts = np.array([sum(includes_all(t, [g]) for g in groups) for t in texts])
    best = counts.max()
    return (counts == best).astype(int) if best > 0 else np.zeros(len(texts), dtype=int)


def _pairs(data: list[dict], idx, mean: np.ndarray, scale: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise training rows: standardised (right − wrong) and (wrong −
    right) differences within each question, labelled 1 and 0; at most
    :data:`MAX_POSITIVES` × :data:`MAX_NEGATIVES` pairs per question (the
    negatives drawn with a fixed seed)."""
    from assistant.selector import ranker_inputs

    rng = np.random.default_rng(SEED)
    xs = []
    for i in idx:
        x, y = data[i]["x"], data[i]["y"]
        if not len(x) or y.all() or not y.any():
            continue
        z = (ranker_inputs(x) - mean) / scale
        pos, neg = np.flatnonzero(y)[:MAX_POSITIVES], np.flatnonzero(y == 0)
        if len(neg) > MAX_NEGATIVES:
            neg = rng.choice(neg, MAX_NEGATIVES, replace=False)
        xs.append((z[pos][:, None, :] - z[neg][None, :, :]).reshape(-1, z.shape[1]))
    d = np.vstack(xs)
    return np.vstack([d, -d]), np.concatenate([np.ones(len(d), dtype=int), np.zeros(len(d), dtype=int)])


def fit_ranker(data: list[dict], idx, C: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(mean, scale, coef)`` of the pairwise ranker fitted on the questions
    ``idx`` (see :class:`assistant.selector.SelectorModel`)."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = _input_stats(data, idx)
    X, y = _pairs(data, idx, mean, scale)
    lr = LogisticRegression(C=C, fit_intercept=False, max_iter=3000).fit(X, y)
    return mean, scale, lr.coef_[0]


def fit_trees(data: list[dict], idx, *, answerable_only: bool = False) -> tuple[np.ndarray, np.ndarray, "TreeEnsemble"]:
    """``(mean, scale, trees)``: the tree ranker (:class:`assistant.trees.TreeEnsemble`) fitted on the
    questions ``idx``: every candidate, labelled right or wrong, over
    :func:`assistant.selector.relative_inputs` -- those of unanswerable
    questions (and of questions whose retrieval found no right one) too, all
    wrong, so that a lead's score also says whether anything answers (on
    the dev split's 1,217 questions of 2026-12-03, 5-fold cross-validation
    by question, the lead's score told answerable from unanswerable
    questions with an ROC AUC of 0.774, against 0.659 trained on questions
    with a right candidate only; the share of best-scored candidates right
    was 0.663 and 0.662).  ``answerable_only``: only the candidates of
    questions with a right one (the ranker then only orders candidates)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from assistant.selector import relative_inputs
    from assistant.trees import TreeEnsemble

    used = [i for i in idx if len(data[i]["x"]) and (data[i]["y"].any() or not answerable_only)]
    X = np.vstack([relative_inputs(data[i]["x"]) for i in used])
    y = np.concatenate([data[i]["y"] for i in used])
    clf = HistGradientBoostingClassifier(random_state=SEED, **TREE_SETTINGS).fit(X, y)
    mean, scale = _input_stats(data, idx)
    return mean, scale, TreeEnsemble.from_sklearn(clf)


def _input_stats(data: list[dict], idx) -> tuple[np.ndarray, np.ndarray]:
    """Mean and spread (1 where constant) of :func:`assistant.selector.ranker_inputs`
    over the candidates of the questions ``idx``."""
    from assistant.selector import ranker_inputs

    units = ranker_inputs(np.vstack([data[i]["x"] for i in idx if len(data[i]["x"])]))
    mean, scale = units.mean(axis=0), units.std(axis=0)
    return mean, np.where(scale > 0, scale, 1.0)


def fit_any(data: list[dict], idx, ranker: tuple[str, float | None]):
    """The ranker ``ranker`` (an entry of :data:`RANKERS`) fitted on the questions ``idx``."""
    kind, C = ranker
    if kind == "linear":
        return fit_ranker(data, idx, C)
    return fit_trees(data, idx, answerable_only=kind == "trees-answerable")


def _model(ranker, support_margin: float, conf=None, threshold: float = float("-inf"), meta: dict | None = None,
           prior=None, answerable=None, gate_trees=None):
    from assistant.selector import CONFIDENCE_FEATURES, SelectorModel
    from assistant.trees import TreeEnsemble

    mean, scale, last = ranker
    trees, coef = (last, ()) if isinstance(last, TreeEnsemble) else (None, last)
    conf_coef, conf_intercept = conf if conf is not None else ((0.0,) * len(CONFIDENCE_FEATURES), 0.0)
    ans_coef, ans_intercept = answerable if answerable is not None else ((), 0.0)
    return SelectorModel(tuple(map(float, mean)), tuple(map(float, scale)), tuple(map(float, coef)),
                         tuple(map(float, conf_coef)), float(conf_intercept), threshold, support_margin, meta or {},
                         prior, trees, tuple(map(float, ans_coef)), float(ans_intercept), gate_trees)


def fit_prior(data: list[dict], idx):
    """The question-wording prior (:class:`assistant.answerability.QuestionPrior`)
    fitted on the questions ``idx`` of ``data``."""
    from assistant.answerability import QuestionPrior

    items = [data[i]["item"] for i in idx]
    return QuestionPrior.fit([it["question"] for it in items], [it["category"] == "unanswerable" for it in items])


def outcomes(data: list[dict], composer, ranker: tuple[str, float | None], folds) -> dict[float, list[dict]]:
    """Cross-validated answers with the ranker ``ranker`` (an entry of
    :data:`RANKERS`) for each of :data:`SUPPORT_MARGINS`: ``{"answerable",
    "abstained" (by a rule), "right" (includes every group), "signals" (the
    lead's confidence features)}`` per question."""
    rankers = [fit_any(data, train, ranker) for train, _ in folds]
    priors = [fit_prior(data, train) for train, _ in folds]
    out = {}
    for margin in SUPPORT_MARGINS:
        rows: list[dict | None] = [None] * len(data)
        for ranker, prior, (_, test) in zip(rankers, priors, folds):
            model = _model(ranker, margin, prior=prior)
            for i in test:
                d = data[i]
                comp = composer.compose(d["query"], d["hits"], model=model, min_score=float("-inf"))
                text = "".join(t for t, _ in comp.sentences)
                answerable = d["item"]["category"] != "unanswerable"
                rows[i] = {"answerable": answerable, "abstained": comp.abstained, "signals": comp.signals,
                           "right": answerable and not comp.abstained
                           and includes_all(text, d["item"]["must_include"])}
        out[margin] = rows
    return out


def _fit_on_answered(rows: list[dict], target: str, estimator):
    """``estimator`` (a scikit-learn classifier) fitted on the answered rows'
    ``signals`` to their ``target``, and each row's cross-validated
    P(``target``) (0 for rule abstentions)."""
    from sklearn.model_selection import cross_val_predict

    answered = [i for i, r in enumerate(rows) if not r["abstained"]]
    X = np.array([rows[i]["signals"] for i in answered], dtype=float)
    y = np.array([rows[i][target] for i in answered], dtype=int)
    p = np.zeros(len(rows))
    p[answered] = cross_val_predict(estimator, X, y, cv=FOLDS, method="predict_proba")[:, 1]
    return estimator.fit(X, y), p


def fit_confidence(rows: list[dict], C: float = 1.0, target: str = "right") -> tuple[tuple[float, ...], float, np.ndarray]:
    """The confidence model (coefficients, intercept) fitted on the answered
    rows, and each row's cross-validated P(right) (0 for rule abstentions);
    ``target="answerable"``: the answerability model and P(answerable)."""
    from sklearn.linear_model import LogisticRegression

    lr, p = _fit_on_answered(rows, target, LogisticRegression(C=C, max_iter=3000))
    return tuple(float(v) for v in lr.coef_[0]), float(lr.intercept_[0]), p


def fit_answerable_trees(rows: list[dict]) -> tuple["TreeEnsemble", np.ndarray]:
    """The tree answerability model (:data:`GATE_TREE_SETTINGS`) fitted on
    the answered rows, and each row's cross-validated P(answerable) (0 for
    rule abstentions)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from assistant.trees import TreeEnsemble

    clf, p = _fit_on_answered(rows, "answerable", HistGradientBoostingClassifier(random_state=SEED, **GATE_TREE_SETTINGS))
    return TreeEnsemble.from_sklearn(clf), p


def threshold_table(results: list[dict], confidence: np.ndarray) -> list[dict]:
    """Accuracy, coverage (share answered) and precision (share of answers
    that are right) of the answers at each of :data:`THRESHOLDS`, a result
    answered when no rule abstained and its ``confidence`` reaches it."""
    rows = []
    for t in THRESHOLDS:
        kept = [not r["abstained"] and c >= t for r, c in zip(results, confidence)]
        answered = [r for r, k in zip(results, kept) if k]
        right = sum(r["right"] for r in answered)
        abstained_ok = sum(1 for r, k in zip(results, kept) if not r["answerable"] and not k)
        n_ans = sum(r["answerable"] for r in results)
        false_abst = sum(1 for r, k in zip(results, kept) if r["answerable"] and not k)
        rows.append({"threshold": t, "accuracy": round((right + abstained_ok) / len(results), 4),
                     "coverage": round(len(answered) / len(results), 4),
                     "precision": round(right / len(answered), 4) if answered else 1.0,
                     "false_abstention": round(false_abst / max(1, n_ans), 4),
                     "abstention": round(abstained_ok / max(1, len(results) - n_ans), 4)})
    return rows


def fit(db: Path, out: Path) -> dict:
    """Cross-validate, refit the best setting on all dev questions and write
    the model to ``out``; returns the model's ``meta``."""
    from sklearn.model_selection import KFold

    from assistant import get_assistant
    from ingest.lsa import LSA

    data = question_data(db)
    assistant = get_assistant(db)
    composer = assistant.composer
    folds = list(KFold(FOLDS, shuffle=True, random_state=SEED).split(np.zeros(len(data))))
    grid = []
    for kind, C in RANKERS:
        for margin, rows in outcomes(data, composer, (kind, C), folds).items():
            conf_coef, conf_intercept, p = fit_confidence(rows)
            for gate in GATES:
                ans = fit_confidence(rows, target="answerable") if gate == "answerable" else None
                gate_trees, p_trees = fit_answerable_trees(rows) if gate == "answerable-trees" else (None, None)
                table = threshold_table(rows, p if gate == "right" else ans[2] if ans else p_trees)
                allowed = [r for r in table if r["false_abstention"] <= MAX_FALSE_ABSTENTION] or table[:1]
                best = max(allowed, key=lambda r: (r["accuracy"], -r["threshold"]))
                grid.append({"ranker": kind, "C": C, "support_margin": margin, "gate": gate, **best, "table": table,
                             "conf": (conf_coef, conf_intercept), "answerable": ans[:2] if ans else None,
                             "gate_trees": gate_trees})
    # ties go to the linear ranker, the smaller C, the smaller margin, the P(right) gate and the
    # logistic answerability gate before the trees (the order of GATES)
    win = max(grid, key=lambda g: (g["accuracy"], g["ranker"] == "linear", -(g["C"] or 0.0), -g["support_margin"],
                                   g["gate"] == "right"))
    n_units = sum(len(d["y"]) for d in data)
    meta = {"split": "dev", "embed_model": assistant.index.embed_model() or LSA, "questions": len(data), "units": n_units,
            "right_units": int(sum(int(d["y"].sum()) for d in data)), "folds": FOLDS, "seed": SEED,
            "ranker": win["ranker"], "C": win["C"], "support_margin": win["support_margin"], "gate": win["gate"],
            "cv_accuracy": win["accuracy"],
            "cv_coverage": win["coverage"], "cv_precision": win["precision"],
            "cv_false_abstention": win["false_abstention"], "cv_abstention": win["abstention"],
            "cv_precision_coverage": [{k: r[k] for k in ("threshold", "coverage", "precision", "accuracy")}
                                      for r in win["table"]]}
    model = _model(fit_any(data, range(len(data)), (win["ranker"], win["C"])), win["support_margin"], win["conf"],
                   win["threshold"], meta, fit_prior(data, range(len(data))), win["answerable"], win["gate_trees"])
    out.write_text(model.to_json() + "\n", encoding="utf-8")
    return {**meta, "threshold": win["threshold"],
            "grid": [{k: v for k, v in g.items() if k not in ("table", "conf", "answerable", "gate_trees")} for g in grid]}


__all__ = ["CS", "GATES", "GATE_TREE_SETTINGS", "MAX_FALSE_ABSTENTION", "RANKERS", "SUPPORT_MARGINS", "THRESHOLDS", "TREE_SETTINGS", "fit", "fit_any",
           "fit_answerable_trees", "fit_confidence", "fit_prior", "fit_ranker", "fit_trees", "outcomes", "question_data",
           "threshold_table", "unit_labels"]
