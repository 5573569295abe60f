"""Fit the claim-verdict model (:mod:`assistant.figures.decision`) on the dev
split, with cross-validation; never reads the test split.

    python -m eval fit-verdict [--db DIR] [--out assistant/figures/data/verdict_model.json]

Steps:

1. Every dev claim is retrieved and its figures scored exactly as ``verify``
   does (:func:`assistant.figures.verify.verify_parsed` with ``trace``),
   giving one feature vector per claimed figure.
2. Labels: the figures of a supported claim are stated (1); the figure of a
   one-figure contradicted claim is not (0); multi-figure contradicted
   claims are left out (which figure is wrong is not recorded).
3. For each regularisation ``C`` in :data:`CS`, threshold in
   :data:`THRESHOLDS` and contradiction floor in :data:`MIN_CONTRADICTS`,
   5-fold cross-validation (folds by claim, stratified by verdict) scores
   the *claim* verdicts the model would give (a figure is supported when an
   equal fact exists and P ≥ threshold; contradicted when the best other
   stated fact scores ≥ the floor; a claim is contradicted when any figure
   is, supported when all are).  The objective is the number of right
   verdicts, a true claim called contradicted counting
   :data:`WORST_ERROR_COST` errors; ties go to fewer of those, then to the
   larger C and floor.
4. The winner is refitted on all dev figures and written with its
   cross-validated numbers in ``meta``.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .splits import SplitName, resolve
from .validate import read_jsonl

#: Inverse regularisation strengths tried.
CS = (0.1, 1.0, 10.0, 100.0)
#: P(stated) thresholds tried.
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
#: Subject scores from which a fact stating another value contradicts, tried.
MIN_CONTRADICTS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45)
#: A true claim called contradicted is the worst error a verifier makes
#: (issue 12): it costs this many errors in the selection objective.
WORST_ERROR_COST = 2
#: Cross-validation folds.
FOLDS = 5
SEED = 0


def claim_features(db: Path) -> list[dict]:
    """``{"id", "gold", "x": [feature vector per figure]}`` for every dev
    claim (the verdict model's features under the current index)."""
    from assistant import get_assistant
    from assistant.figures.claims import parse_claim
    from assistant.figures.verify import verify_parsed
    from assistant.query import analyze
    from assistant.verify import TOP_K

    assistant = get_assistant(db)
    out = []
    (dev,) = resolve(SplitName.DEV)
    items, _ = read_jsonl(dev.path)
    for item in items:
        if item["kind"] != "claim":
            continue
        parsed = parse_claim(item["claim"])
        trace: list = []
        if parsed.figures:
            hits = assistant.retriever.retrieve(analyze(item["claim"]), top_k=TOP_K)
            verify_parsed(parsed, [h.chunk for h in hits], assistant.facts, assistant.titles(), trace=trace)
        out.append({"id": item["id"], "gold": item["verdict"], "x": trace})
    return out


def _claim_verdict(model, xs: list[list[float]], threshold: float, min_contradict: float) -> str:
    """A claim's verdict under a fitted pipeline, the figures decided as
    :func:`assistant.figures.decision.call` decides them."""
    from assistant.figures.decision import call

    kinds = [call(model.predict_proba([x])[0, 1], x, threshold, min_contradict) for x in xs]
    if not kinds:
        return "not_found"
    if "contradicted" in kinds:
        return "contradicted"
    return "supported" if all(k == "supported" for k in kinds) else "not_found"


def _training(claims: list[dict], idx) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for i in idx:
        c = claims[i]
        if c["gold"] == "contradicted" and len(c["x"]) != 1:
            continue
        for x in c["x"]:
            xs.append(x)
            ys.append(c["gold"] == "supported")
    return np.array(xs, dtype=float), np.array(ys, dtype=int)


def _fit(X: np.ndarray, y: np.ndarray, C: float):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000)).fit(X, y)


def cross_validate(claims: list[dict]) -> list[dict]:
    """Claim-level CV results for every (C, threshold): ``{"C", "threshold",
    "accuracy", "supported_called_contradicted", "contradicted_called_supported"}``."""
    from sklearn.model_selection import StratifiedKFold

    gold = np.array([c["gold"] == "supported" for c in claims])
    folds = list(StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(np.zeros(len(claims)), gold))
    results = []
    for C in CS:
        models = [_fit(*_training(claims, tr), C) for tr, _ in folds]
        for t in THRESHOLDS:
            for mc in MIN_CONTRADICTS:
                right = s2c = c2s = 0
                for model, (_, te) in zip(models, folds):
                    for i in te:
                        v = _claim_verdict(model, claims[i]["x"], t, mc)
                        right += v == claims[i]["gold"]
                        s2c += claims[i]["gold"] == "supported" and v == "contradicted"
                        c2s += claims[i]["gold"] == "contradicted" and v == "supported"
                results.append({"C": C, "threshold": t, "min_contradict": mc, "accuracy": right / len(claims),
                                "supported_called_contradicted": s2c, "contradicted_called_supported": c2s,
                                "objective": right - (WORST_ERROR_COST - 1) * s2c})
    return results


def fit(db: Path, out: Path) -> dict:
    """Cross-validate, refit the best setting on all dev claims and write the
    model to ``out``; returns the model's ``meta``."""
    from assistant.figures.decision import VerdictModel

    claims = claim_features(db)
    results = cross_validate(claims)
    best = max(results, key=lambda r: (r["objective"], -r["supported_called_contradicted"], r["C"],
                                       r["min_contradict"]))
    X, y = _training(claims, range(len(claims)))
    pipe = _fit(X, y, best["C"])
    scaler, lr = pipe[0], pipe[-1]
    meta = {"split": "dev", "claims": len(claims), "figures": int(len(y)), "folds": FOLDS, "seed": SEED,
            "C": best["C"], "min_contradict": best["min_contradict"], "cv_accuracy": round(best["accuracy"], 4),
            "cv_supported_called_contradicted": best["supported_called_contradicted"],
            "cv_contradicted_called_supported": best["contradicted_called_supported"]}
    model = VerdictModel(tuple(float(v) for v in scaler.mean_), tuple(float(v) for v in scaler.scale_),
                         tuple(float(v) for v in lr.coef_[0]), float(lr.intercept_[0]), best["threshold"],
                         best["min_contradict"], meta)
    out.write_text(model.to_json() + "\n", encoding="utf-8")
    return {**meta, "grid": results}


__all__ = ["CS", "MIN_CONTRADICTS", "THRESHOLDS", "WORST_ERROR_COST", "claim_features", "cross_validate", "fit"]
