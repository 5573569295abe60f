"""The verdict on one claimed figure from its scored candidates: two
probability models -- logistic regressions or gradient-boosted trees,
whichever cross-validates better -- fitted on the dev split's claims.

The candidates of a figure (:func:`assistant.figures.matching.candidates`)
are the facts that can state it -- comparable kind, fitting year, no
clashing label -- best subject score first.  :func:`features` turns them
into a fixed vector (:data:`FEATURES`); :class:`VerdictModel` gives
P(stated) -- the plan states the claimed value -- and P(contradiction) --
the plan states the same thing with another value, given that it does not
state the claimed one.  The figure is

* **supported** when P(stated) ≥ the model's ``threshold`` and an equal
  fact exists that scores no more than ``support_margin`` below the best
  fact stating another value (the best-scoring equal fact is the evidence;
  ``approximately`` when it agrees only approximately) -- 「降低 25% 成本」
  is not supported by a loosely related 「約 20%」 when the plan prints
  「降低 15% 成本」;
* **contradicted** when P(stated) ≤ ``contradict_below``, P(contradiction)
  ≥ ``contradict_above`` and the best *stated* fact with another value (not
  a derived total, not a fact without a year of its own) scores at least
  ``min_contradict`` (the evidence, with its value) -- never when a fact
  stating the claimed value scores at least as high (or within
  ``equal_margin``) or has more of the figure's own claim words around it,
  never by a fact whose wording lacks a rate the claim
  states the figure per (每月, 每人 …; :mod:`assistant.figures.rates`) when
  a fact stating the claimed value has it (:func:`rate_gated`), never
  by one lacking the 子項 the claim names, by the claimed value's
  neighbour in one sentence that no claim word tells apart, nor by a fact
  about a 分項 / 子項 when the claim names the whole plan and no part of it
  (:data:`CONTRADICTION_GATES`; issue 12 lists "a sub-item's total checked
  against the whole plan's total" among the true claims called
  contradicted), and, with ``label_gate``, only by a fact
  carrying every label the claim names;
* **not found** otherwise: the plan does not state the figure, or the
  verifier is not sure enough either way.

Calling a true figure contradicted is the worst error a verifier makes
(issue 12); a figure no plan states answered with some other cell as "the
plan states" misleads too.  The fitted models and the settings live in
``data/verdict_model.json``, written by ``python -m eval fit-verdict``
(:mod:`eval.fit_verdict`), which fits on the dev split only (supported,
contradicted and not-stated claims), chooses the settings by
cross-validation (a true claim called contradicted costing
:data:`eval.fit_verdict.WORST_ERROR_COST` errors) and
records the cross-validated numbers.

Example:
    >>> m = VerdictModel.load()
    >>> 0.0 <= m.probability([0.5] * len(FEATURES)) <= 1.0
    True
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..trees import TreeEnsemble
from .labels import ANNUAL, COMPONENT_GROUPS, Group
from .matching import APPROX_QUALIFIERS, Candidate, with_implied_door, written
from .rates import rate_share

MODEL_PATH = Path(__file__).parent / "data" / "verdict_model.json"

# Score given to "no such candidate" in the features.
_NONE = -0.5
# Candidates past this rank count as this rank.
_MAX_RANK = 60

#: Names of the feature vector, in order (see :func:`features`).
FEATURES = (
    "top_score",            # subject score of the best dated candidate
    "equal_score",          # best candidate stating the claimed value (or -0.5)
    "equal_minus_other",    # equal_score - best candidate stating another value
    "has_equal",            # some candidate states the claimed value
    "top_is_equal",         # the best candidate states it
    "equal_year_exact",     # the equal candidate's year is its own
    "top_year_exact",       # the best candidate's year is its own
    "equal_is_cell",        # the equal candidate is a table cell
    "top_is_cell",          # the best candidate is a table cell
    "english",              # the claim is in English
    "money",                # the claimed figure is money
    "bare_number",          # the claimed figure is a bare number
    "log_candidates",       # log(1 + number of candidates)
    "log_equal_rank",       # log(1 + rank of the equal candidate)
    "equal_approximate",    # the equal candidate agrees only approximately (or rounded)
    "other_score",          # best candidate stating another value (or -0.5)
    "equal_own_words",      # share of the figure's own claim words next to the equal fact
    "other_own_words",      # the same for the best fact stating another value
    "own_words_margin",     # equal_own_words - other_own_words
    "other_same_digits",    # the other fact's value has the claimed significant digits (a unit slip)
    "other_log_ratio",      # |log10(claimed / other value)|, capped at 4, over 4
    "several_figures",      # the claim states more than one figure
    "other_label_share",    # share of the figure's named labels (分項, 子項, 經常/資本 …) the other fact carries
    "other_narrower",       # the other fact names a 分項/子項 the figure does not (it is about a part of it)
    "other_yearly_unasked", # the figure names no year, the other fact is one year's figure
    "other_rate_missing",   # share of the rates the claim states the figure per (每月, 每人 …) the other fact's wording lacks
    "equal_rate_missing",   # the same for the equal fact
    "other_subitem_missing",  # the figure names a 子項 the other fact does not carry (it may be about another item)
    "other_sibling_unresolved",  # the other fact and an equal one are figures of one sentence, no claim word tells them apart
    "other_follows_anchor",  # the other fact is next to a statement of the claim's previous or next figure in its sentence
    "equal_other_same_chunk",  # the best facts stating the claimed value and another value are in one chunk (a table, a passage)
    "other_part_of_whole_plan",  # the claim names the whole plan and no 分項/子項, the other fact names one (it is about a part)
)
# Label groups whose naming in a claim the "other_label_share" feature counts.
_NAMED = (Group.PART, Group.SUBITEM, Group.DOOR, Group.COST, Group.KIND, Group.STAGE)
# Cap of |log10(claimed / stated)| in "other_log_ratio".
_MAX_LOG_RATIO = 4.0
_HAS_EQUAL = FEATURES.index("has_equal")
_OTHER_SCORE = FEATURES.index("other_score")
_EQUAL_MINUS_OTHER = FEATURES.index("equal_minus_other")
_LABEL_SHARE = FEATURES.index("other_label_share")
_OWN_MARGIN = FEATURES.index("own_words_margin")
FOLLOWS_ANCHOR = FEATURES.index("other_follows_anchor")
#: P(contradiction) enough for a contradiction by the plan's figure right
#: next to its statement of the claim's previous (or next) figure
#: (``other_follows_anchor``): where the claim's own figures locate it, less
#: certainty is needed (「每年 300 家…全程 600 家」 against 「每年200家…，全期程600家」).
#: On the 3,563 dev claims of 2026-12-06, 0.3 instead of the model's 0.5
#: contradicted 12 more figures, all of false claims, and no other.
ANCHORED_CONTRADICT_ABOVE = 0.3
#: Features whose positive value rules out a contradiction: the other fact
#: lacks the 子項 the claim names, or it is the claimed value's neighbour in
#: one list and nothing tells which of the two the claim means, or it is
#: about a part of the plan a claim about the whole plan does not name (on
#: the 1,943 dev claims of 2026-12-05 these and the rate gate
#: (:func:`rate_gated`) fired for 21 figures, 16 of them of true claims; CV
#: accuracy 0.774 -> 0.775 with them).
CONTRADICTION_GATES = ("other_subitem_missing", "other_sibling_unresolved", "other_part_of_whole_plan")
_GATES = tuple(FEATURES.index(f) for f in CONTRADICTION_GATES)
_OTHER_RATE = FEATURES.index("other_rate_missing")
_EQUAL_RATE = FEATURES.index("equal_rate_missing")


def rate_gated(X: np.ndarray) -> np.ndarray:
    """Per row of feature vectors ``X`` (n × len(:data:`FEATURES`)): whether
    the rate gate rules a contradiction out -- the best fact stating another
    value lacks a rate the claim states the figure per (每月, 每人 …;
    :mod:`assistant.figures.rates`) that a fact stating the claimed value
    has: 「每月 6 萬元」 is stated per month, 「每名 1 年期 105 萬元」 is
    another quantity.  When no fact states the claimed value per that rate
    the rate tells nothing apart (「每人每月 6.5 萬元」 against 「每人每月
    6 萬元」, "NT$1.5 million per trainee" against 「每名…105 萬元」): on the
    3,263 dev claims of 2026-12-06 gating those too kept 9 false claims from
    being contradicted and 2 unstated ones.  Shared by :func:`call` and the
    model's fitting."""
    X = np.asarray(X, dtype=float).reshape(-1, len(FEATURES))
    return (X[:, _OTHER_RATE] > 0) & (X[:, _HAS_EQUAL] > 0) & (X[:, _EQUAL_RATE] < X[:, _OTHER_RATE])


#: A claimed figure's own words, each as the term sets that may write it
#: (:func:`~assistant.figures.matching.group_terms`): a Chinese term writes
#: itself, an English word any of its glossary and CC-CEDICT words.
OwnWords = tuple[tuple[frozenset[str], ...], ...]


def _own_words(fact, words: OwnWords) -> float:
    """Share of ``words`` (the claimed figure's own words, e.g. 種子師資 in
    「…其中種子師資 350 人次」, or "total output" → 總產值 / 產值) written in
    the words right around a fact (its local context); 0.5 when the figure
    has none.  Tells apart two figures of one list (「種子師資 250 人次，…第二
    專長 AI 人才 350 人次」; 「總產值 6,667 億元，出口值 3,370 億元」)."""
    if not words:
        return 0.5
    return written(words, fact.terms("local")) / len(words)


def _digits(v: float) -> str:
    """The significant digits of a value (390,000 and 3.9 億 → "39")."""
    return f"{abs(v):.6e}".split("e")[0].replace(".", "").rstrip("0") or "0"


def _log_ratio(claimed: float, stated: float) -> float:
    """|log10(claimed / stated)| capped at :data:`_MAX_LOG_RATIO`, scaled to 0..1."""
    if claimed <= 0 or stated <= 0:
        return 1.0
    return min(abs(math.log10(claimed / stated)), _MAX_LOG_RATIO) / _MAX_LOG_RATIO


def _label_share(fact, labels: dict) -> float:
    """Share of the claim figure's named label groups (:data:`_NAMED`) that
    ``fact`` carries with the same value; 1.0 when it names none.  A
    sentence's (or a table's text cell's) count or share that names no
    分項 / 子項 carries the 分項 the claim names: a plan's list of targets
    under a 分項's heading seldom repeats its name (「(三) 每年錄取至少 10%
    人文社會博士參與培訓」 is 分項一's).  Not an amount: a year's budget naming
    no 分項 is the whole plan's.  A budget stage (核定 / 送審 / 執行) is an
    amount's: a share or a count need not carry it (「核定培訓經費之 5%」)."""
    named = [g for g in _NAMED if g in labels and (g is not Group.STAGE or fact.quantity.kind == "money")]
    if not named:
        return 1.0
    stated = with_implied_door(fact.labels)
    if fact.source in ("sentence", "text_cell") and fact.quantity.kind != "money" \
            and not any(g in stated for g in COMPONENT_GROUPS):
        stated = {**stated, Group.PART: labels.get(Group.PART)}
    return sum(stated.get(g) == labels[g] for g in named) / len(named)


def _narrower(fact, labels: dict) -> float:
    """1.0 when ``fact`` names a component (:data:`~assistant.figures.labels.COMPONENT_GROUPS`: 分項, 子項)
    that the claim figure's ``labels`` do not -- 子項 2.1's cell against a
    claim about 分項二 as a whole."""
    return float(any(g in fact.labels and g not in labels for g in COMPONENT_GROUPS))


def _subitem_missing(fact, labels: dict) -> float:
    """1.0 when the claim figure's ``labels`` name a 子項 that ``fact`` does
    not carry: a 子項 2.3 claim against a row that names no 子項 (a 分項
    named only by its title, 「開發 AI 技術及驗證｜合計」) -- the row may be
    about another item, so it cannot contradict the claim."""
    sub = labels.get(Group.SUBITEM)
    return float(sub is not None and fact.labels.get(Group.SUBITEM) != sub)


def _sibling_unresolved(other, cands: list, own_words: OwnWords) -> float:
    """1.0 when ``other`` (the best candidate stating another value) is a
    sentence figure whose sentence also states the claimed value, and the
    claim figure's own words (:func:`_own_words`) do not favour either: in
    「2 個月培育期(每人時數至少 250 小時)、3 個月培育期(…至少 380 小時)」
    a claim of 380 hours is not contradicted by 250 unless its words point
    at the 2-month track."""
    if other is None or other.fact.source != "sentence":
        return 0.0
    for c in cands:
        if c.equal and c.fact.source == "sentence" and c.fact.chunk_id == other.fact.chunk_id \
                and c.fact.text == other.fact.text \
                and _own_words(c.fact, own_words) == _own_words(other.fact, own_words):
            return 1.0
    return 0.0


def _yearly_unasked(fact, year_named: bool) -> float:
    """1.0 when the claim figure names no year and ``fact`` is the figure of
    one year of its own (a yearly cell against a claim about the whole)."""
    return float(not year_named and fact.years is not None and fact.years.single and fact.strong_year)


def _rate_missing(fact, rates: frozenset[str]) -> float:
    """Share of ``rates`` (:data:`assistant.figures.rates.RATES` keys the
    claim states the figure per) that ``fact``'s wording -- its own words,
    its row or sentence and table title -- does not state; 0 when the claim
    states none.  「每月 6 萬元」 is not the figure of 「每名 1 年期 105 萬元」."""
    return 1.0 - rate_share(rates, f"{fact.local} {fact.near} {fact.column}") if rates else 0.0


def features(cands: list, *, english: bool, kind: str, unit: str,
             own_words: OwnWords = (), value: float = 0.0, figures: int = 1,
             labels: dict | None = None, year_named: bool = True, rates: frozenset[str] = frozenset(),
             whole_plan: bool = False) -> list[float]:
    """The feature vector (:data:`FEATURES`) of one figure's candidates.

    Args:
        cands: :class:`~assistant.figures.matching.Candidate` list, best first.
        english: the claim is in English.
        kind, unit: the claimed quantity's kind and unit.
        own_words: the words right around the claimed figure
            (:attr:`~assistant.figures.claims.ClaimFigure.own_words`), as
            :data:`OwnWords`.
        value: the claimed value, normalised like the facts' (money in 元).
        figures: how many figures the claim states.
        labels: the figure's labels (group -> value), default none.
        year_named: the claim names a year or span for this figure.
        rates: what the claim states figures per
            (:func:`assistant.figures.rates.asked_rates` of its text).
        whole_plan: the claim names a whole plan
            (:func:`~assistant.figures.matching.names_plan`); when ``labels``
            name no 分項 / 子項 either, a fact about a part of the plan is not
            the figure's.
    """
    firm = [c for c in cands if c.year_fit != "mention"]
    top = firm[0] if firm else (cands[0] if cands else None)
    equal = next((c for c in cands if c.equal), None)
    labels = labels or {}
    other = contradicting(cands, labels, kind)
    es = equal.score if equal else _NONE
    os_ = other.score if other else _NONE
    rank = cands.index(equal) if equal else _MAX_RANK
    own_equal = _own_words(equal.fact, own_words) if equal else 0.0
    own_other = _own_words(other.fact, own_words) if other else 0.0
    narrower = _narrower(other.fact, labels) if other else 0.0
    # a whole-plan claim naming no part: a fact about a part is not its
    # figure -- unless the figure is a rate (「本計畫補助每名訓儲菁英至多 150
    # 萬元」: what each trainee gets is the plan's wherever it is stated)
    part_of_whole = narrower if whole_plan and not rates and not any(g in labels for g in COMPONENT_GROUPS) \
        else 0.0
    return [top.score if top else 0.0, es, es - os_, float(equal is not None),
            float(bool(cands) and cands[0].equal), float(equal is not None and equal.year_fit == "exact"),
            float(bool(firm) and firm[0].year_fit == "exact"),
            float(equal is not None and equal.fact.source == "cell"),
            float(bool(firm) and firm[0].fact.source == "cell"), float(english), float(kind == "money"),
            float(kind == "number" and not unit), math.log1p(len(cands)), math.log1p(min(rank, _MAX_RANK)),
            float(equal is not None and equal.match in ("approximate", "rounded")), os_, own_equal, own_other,
            own_equal - own_other,
            float(other is not None and _digits(other.fact.quantity.value) == _digits(value)),
            _log_ratio(value, other.fact.quantity.value) if other else 1.0, float(figures > 1),
            _label_share(other.fact, labels) if other else 0.0, narrower,
            _yearly_unasked(other.fact, year_named) if other else 0.0,
            _rate_missing(other.fact, rates) if other else 0.0, _rate_missing(equal.fact, rates) if equal else 0.0,
            _subitem_missing(other.fact, labels) if other else 0.0,
            _sibling_unresolved(other, cands, own_words), float(other is not None and other.follows),
            float(equal is not None and other is not None and equal.fact.chunk_id == other.fact.chunk_id),
            part_of_whole]


def _sigmoid(z: float) -> float:
    """The probability of log-odds ``z`` (clamped to ±50 against overflow)."""
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@dataclass(frozen=True)
class Logistic:
    """A logistic regression over :data:`FEATURES`, standardised.

    Attributes:
        mean, scale: per-feature standardisation (``(x - mean) / scale``).
        coef, intercept: the regression on standardised features.
    """

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def probability(self, x: list[float]) -> float:
        """P(positive) for one feature vector.

        Raises:
            ValueError: ``x`` does not have one value per coefficient.
        """
        if len(x) != len(self.coef):
            raise ValueError(f"expected {len(self.coef)} features ({', '.join(FEATURES)}), got {len(x)}")
        z = self.intercept + sum(c * (v - m) / s for c, v, m, s in zip(self.coef, x, self.mean, self.scale))
        return _sigmoid(z)

    def to_dict(self) -> dict:
        return {"mean": list(self.mean), "scale": list(self.scale), "coef": list(self.coef),
                "intercept": self.intercept}

    @classmethod
    def from_dict(cls, d: dict) -> "Logistic":
        return cls(tuple(d["mean"]), tuple(d["scale"]), tuple(d["coef"]), float(d["intercept"]))


@dataclass(frozen=True)
class Trees:
    """Gradient-boosted trees over :data:`FEATURES` (scikit-learn's
    ``HistGradientBoostingClassifier``, exported as plain arrays:
    :class:`assistant.trees.TreeEnsemble`), the other kind of probability
    model :mod:`eval.fit_verdict` may choose: unlike a logistic regression
    they can weigh one feature by another (the own-words margin matters
    when two figures share a sentence).

    Attributes:
        ensemble: the fitted trees.
    """

    ensemble: TreeEnsemble

    def probability(self, x: list[float]) -> float:
        """P(positive) for one feature vector.

        Raises:
            ValueError: ``x`` does not have one value per feature.
        """
        if len(x) != self.ensemble.n_features:
            raise ValueError(f"expected {self.ensemble.n_features} features ({', '.join(FEATURES)}), got {len(x)}")
        return _sigmoid(float(self.ensemble.decision_function(np.array([x], dtype=float))[0]))

    def to_dict(self) -> dict:
        return {"kind": "trees", **self.ensemble.to_dict()}


def _probability_model(d: dict) -> "Logistic | Trees":
    """A :class:`Logistic` or :class:`Trees` from its JSON form."""
    return Trees(TreeEnsemble.from_dict(d)) if d.get("kind") == "trees" else Logistic.from_dict(d)


@dataclass(frozen=True)
class VerdictModel:
    """The fitted verdict model: two probability models (:class:`Logistic`
    or :class:`Trees`) and the thresholds of the decision rule (module
    docstring).

    Attributes:
        stated: P(the plan states the claimed value) (a :class:`Logistic`
            or :class:`Trees`, whichever cross-validated better), fitted on the figures of
            supported (1) and contradicted or not-stated (0) claims.
        contradiction: P(the plan states this thing with another value |
            it does not state the claimed one), fitted on the figures of
            contradicted (1) and not-stated (0) claims.
        threshold: P(stated) at or above which a figure with an equal fact
            is supported.
        contradict_below: P(stated) at or below which a figure may be
            contradicted (≤ ``threshold``; between the two it is not found).
        contradict_above: P(contradiction) at or above which it is.
        min_contradict: subject score (0..1) from which the best stated
            fact with another value may contradict the figure.
        meta: how it was fitted (split, n, C, cross-validated accuracy …).
        equal_margin: a fact stating the claimed value within this subject
            score of the best one stating another rules out a contradiction
            (:func:`call`).
        label_gate: only a fact carrying every label the claim names may
            contradict it (:func:`call`).
        support_margin: a fact stating the claimed value that scores more
            than this below the best fact stating another value does not
            support the figure (:func:`call`; ``inf``: no such limit).
        partly_below: a claim of several figures, some supported and none
            contradicted, is supported when each figure not found has
            P(contradiction) below this (:func:`partly_supported`; 0: never).
    """

    stated: Logistic | Trees
    contradiction: Logistic | Trees
    threshold: float
    contradict_below: float
    contradict_above: float
    min_contradict: float
    meta: dict
    equal_margin: float = 0.0
    label_gate: bool = False
    support_margin: float = math.inf
    partly_below: float = 0.0

    def probability(self, x: list[float]) -> float:
        """P(the plan states the claimed value) for one feature vector.

        Raises:
            ValueError: ``x`` does not have one value per :data:`FEATURES`.
        """
        return self.stated.probability(x)

    def to_json(self) -> str:
        """The model as JSON (the format of :data:`MODEL_PATH`)."""
        return json.dumps({"features": list(FEATURES), "stated": self.stated.to_dict(),
                           "contradiction": self.contradiction.to_dict(), "threshold": self.threshold,
                           "contradict_below": self.contradict_below, "contradict_above": self.contradict_above,
                           "min_contradict": self.min_contradict, "equal_margin": self.equal_margin,
                           "label_gate": self.label_gate,
                           "support_margin": None if math.isinf(self.support_margin) else self.support_margin,
                           "partly_below": self.partly_below, "meta": self.meta}, ensure_ascii=False, indent=1)

    @classmethod
    def provisional(cls) -> "VerdictModel":
        """A model with no fitted weights (P = 0.5 for every figure; a figure
        with an equal fact is supported, none is contradicted): what
        :mod:`eval.fit_verdict` decides with while it computes the features
        of a first fit after :data:`FEATURES` changed."""
        flat = Logistic((0.0,) * len(FEATURES), (1.0,) * len(FEATURES), (0.0,) * len(FEATURES), 0.0)
        return cls(flat, flat, threshold=0.5, contradict_below=0.0, contradict_above=1.0, min_contradict=1.0,
                   meta={"provisional": True})

    @classmethod
    def load(cls, path: str | Path = MODEL_PATH) -> "VerdictModel":
        """Read a model written by :meth:`to_json`.

        Raises:
            ValueError: the file's features are not :data:`FEATURES` (refit
                with ``python -m eval fit-verdict``).
        """
        return _load(str(path))


@lru_cache(maxsize=4)
def _load(path: str) -> VerdictModel:
    d = json.loads(Path(path).read_text(encoding="utf-8"))
    if tuple(d["features"]) != FEATURES or "contradiction" not in d:
        raise ValueError(f"{path}: fitted on other features; refit with `python -m eval fit-verdict`")
    return VerdictModel(_probability_model(d["stated"]), _probability_model(d["contradiction"]),
                        float(d["threshold"]), float(d["contradict_below"]), float(d["contradict_above"]),
                        float(d["min_contradict"]), d.get("meta", {}), float(d.get("equal_margin", 0.0)),
                        bool(d.get("label_gate", False)),
                        math.inf if d.get("support_margin") is None else float(d["support_margin"]),
                        float(d.get("partly_below", 0.0)))


@dataclass
class FigureDecision:
    """The decision for one claimed figure.

    Attributes:
        verdict: ``"supported"``, ``"approximately"`` (an approximate figure
            that agrees, :func:`~assistant.figures.matching.value_match`),
            ``"contradicted"``, ``"not_found"`` or ``"derived"`` (it follows
            by arithmetic from supported figures of the claim,
            :func:`assistant.figures.verify.with_derived`).
        evidence: the deciding candidate (None when not found).
        conflicts: other candidates stating another value for the same thing
            (filled by :func:`assistant.figures.verify.verify_parsed`).
        candidates: every scored candidate, best first.
        probability: the model's P(the plan states the claimed value).
        note: a short explanation.
        contradiction: the model's P(contradiction) (the plan states the
            same thing with another value, given it does not state this one).
    """

    verdict: str
    evidence: Candidate | None
    conflicts: list[Candidate] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    probability: float = 0.0
    note: str = ""
    contradiction: float = 0.0


def call(p: float, q: float, x: list[float], threshold: float, min_contradict: float,
         contradict_below: float, contradict_above: float, equal_margin: float = 0.0,
         label_gate: bool = False, support_margin: float = math.inf) -> str:
    """The verdict kind of one figure from P(stated) ``p``, P(contradiction)
    ``q`` and its :func:`features` (module docstring): ``"supported"``,
    ``"contradicted"`` or ``"not_found"``.  Shared by :func:`decide` and the
    model's fitting (:mod:`eval.fit_verdict`).

    ``equal_margin``: a fact stating the claimed value that scores within
    this much of the best fact stating another value rules out a
    contradiction.  ``label_gate``: a fact that does not carry every label
    the claim names (its 分項, 子項, cost class …; ``other_label_share`` < 1)
    may not contradict it -- it may be about another thing -- unless it is
    the figure next to a statement of the claim's previous (or next) figure
    in one sentence (``other_follows_anchor``: 「分項二全程扶植 40 家以上…，
    共帶動 5,000 個…」 against 「全程扶植 40 家以上…，共帶動 2,000 個…」
    under no 分項 label; on the 3,263 dev claims of 2026-12-06 this lifted
    the gate for 7 figures, all of false claims).  Nor may a fact
    whose wording lacks a rate the claim states the figure per
    (``other_rate_missing`` > 0: 「每名 1 年期 105 萬元」 against 「每月 6 萬元」)
    when a fact stating the claimed value has it: it is another quantity
    (:func:`rate_gated`).  Nor may a fact that does not carry the 子項 the
    claim names (``other_subitem_missing``), nor the claimed value's
    neighbour in one sentence when no claim word tells the two apart
    (``other_sibling_unresolved``): :data:`CONTRADICTION_GATES`.
    A fact next to the plan's statement of the claim's other figure
    contradicts at P(contradiction) :data:`ANCHORED_CONTRADICT_ABOVE` when
    that is below ``contradict_above``.
    ``support_margin``: a fact stating the claimed value that scores more
    than this below the best fact stating another value does not support
    it.  Whatever the margins, a fact stating the claimed value with more of
    the figure's own words around it than the best fact stating another
    (``own_words_margin`` > 0) rules out a contradiction."""
    if x[_HAS_EQUAL] and p >= threshold and x[_EQUAL_MINUS_OTHER] >= -support_margin:
        return "supported"
    if x[_HAS_EQUAL] and (x[_EQUAL_MINUS_OTHER] >= -equal_margin or x[_OWN_MARGIN] > 0):
        # a fact stating the claimed value fits (about) as well as any
        # stating another, or sits among more of the figure's own words
        # (「22 個優等獎」 against 「5 個傑出獎」 of one sentence): the plan does
        # not contradict the claim
        return "not_found"
    if (label_gate and x[_LABEL_SHARE] < 1.0 and x[FOLLOWS_ANCHOR] <= 0) or any(x[i] > 0 for i in _GATES) \
            or rate_gated(x)[0]:
        return "not_found"
    above = min(contradict_above, ANCHORED_CONTRADICT_ABOVE) if x[FOLLOWS_ANCHOR] > 0 else contradict_above
    if p <= contradict_below and q >= above and x[_OTHER_SCORE] >= min_contradict:
        return "contradicted"
    return "not_found"


def partly_supported(kinds: list[str], q: list[float], partly_below: float,
                     computed: list[bool] | None = None, followed: list[bool] | None = None) -> bool:
    """Whether a claim of several figures counts as supported although some
    of its figures are not found: none is contradicted, at least one is
    supported (or approximately, or derived), and every figure not found has
    P(contradiction) ``q`` below ``partly_below`` -- nothing in the plan
    states another value for it (「…累計 4,500 人次，約 388 人年」 with the
    person-years stated nowhere) -- and none is one the claim computed from
    its others (``computed``: :func:`~assistant.figures.claimmath.presented_as_computed`;
    a share or a difference the arithmetic does not give is wrong), nor one
    whose best fact stating another value is the figure next to a statement
    of the claim's previous (or next) figure in the plan's sentence
    (``followed``: the ``other_follows_anchor`` feature, :class:`~assistant.figures.matching.Sentences`;
    「由 12.3% 提升至 60%」 against
    「由12.3%(2023 年)升至 50%」 -- on the 1,703 dev claims of 2026-12-05 this
    held for 12 false claims called supported and for no true one).
    ``kinds``: the figures' verdicts (:class:`FigureDecision`); shared by
    :func:`assistant.figures.verify.verify_parsed` and the model's fitting."""
    agree = ("supported", "approximately", "derived")
    if len(kinds) < 2 or "contradicted" in kinds or "not_found" not in kinds or not any(k in agree for k in kinds):
        return False
    computed = computed or [False] * len(kinds)
    followed = followed or [False] * len(kinds)
    return all(qi < partly_below and not c and not f
               for k, qi, c, f in zip(kinds, q, computed, followed) if k == "not_found")


def may_contradict(cand: Candidate, labels: dict, kind: str) -> bool:
    """Whether a candidate stating another value may be a claimed figure's
    contradicting evidence: a fact the plan states, or a total it derives
    (:mod:`assistant.figures.derive`) over exactly the claimed span of years
    when the claim totals a count or a share over them (「112 至 113 年…合計
    128 人次」 against 59 + 59 人次).  Not a derived amount: a claimed sum of
    money may take its parts from other rows than the derived total (on
    the 3,263 dev claims of 2026-12-06 letting every derived total
    contradict cost 2 true claims, the money among them).  ``labels``,
    ``kind``: the claimed figure's labels and quantity kind."""
    if not cand.fact.derived:
        return True
    return cand.year_fit in ("exact", "weak") and labels.get(Group.PERIOD) != ANNUAL and kind != "money"


#: How far below the best candidate stating another value one carrying
#: more of the claim figure's labels (:func:`_label_share`) may score and
#: still be the "other fact": 「細部計畫三…補助款 45,180 千元」 is checked on
#: 「…補助款 29,283 千元」 (分項 and 補助款, 0.53), not on the 細部計畫's
#: 53,290 千元 (分項 only, 0.54).  On the 3,563 dev claims of 2026-12-06:
#: 0.03 gained 3 claims and lost none; 0.05 and 0.08 gained 4 and lost 1
#: (an unstated figure called supported), 0.15 gained 5 and lost 2.
LABELLED_OTHER_MARGIN = 0.03


def contradicting(cands: list[Candidate], labels: dict, kind: str) -> Candidate | None:
    """The best candidate that may state another value for the claimed
    figure: not equal, not one whose chunk only mentions the year, and one
    that :func:`may_contradict` -- of those scoring within
    :data:`LABELLED_OTHER_MARGIN` of the best, one carrying more of the
    figure's labels; None when there is none.  The "other fact" of
    :func:`features` and a contradiction's evidence in :func:`decide`."""
    eligible = [c for c in cands if not c.equal and c.year_fit != "mention" and may_contradict(c, labels, kind)]
    if not eligible:
        return None
    first = eligible[0]
    close = [c for c in eligible if c.score >= first.score - LABELLED_OTHER_MARGIN]
    best = max(close, key=lambda c: _label_share(c.fact, labels))
    return best if _label_share(best.fact, labels) > _label_share(first.fact, labels) else first


def decide(cands: list[Candidate], x: list[float], model: VerdictModel | None = None, *,
           labels: dict | None = None, kind: str = "") -> FigureDecision:
    """The verdict for one figure (module docstring), with its evidence: the
    best equal fact when supported, the best stated fact with another value
    (not one without a year of its own, not a derived total) when
    contradicted.

    Args:
        cands: its scored candidates, best first.
        x: their :func:`features`.
        model: default :meth:`VerdictModel.load`.
        labels, kind: the claimed figure's labels and quantity kind, as
            given to :func:`features` (:func:`may_contradict`).
    """
    if not cands:
        return FigureDecision("not_found", None, candidates=cands, note="no fact of this kind and year")
    model = model or VerdictModel.load()
    p, q = model.probability(x), model.contradiction.probability(x)
    verdict = call(p, q, x, model.threshold, model.min_contradict, model.contradict_below, model.contradict_above,
                   model.equal_margin, model.label_gate, model.support_margin)
    if verdict == "supported":
        best = next(c for c in cands if c.equal)
        if best.match == "approximate" and best.fact.quantity.qualifier in APPROX_QUALIFIERS \
                and x[_EQUAL_MINUS_OTHER] < 0:
            # the plan's 「約 30%」 of another passage is no statement of a
            # claimed 35% when a fact stating another value fits the claim
            # better (on the 3,863 dev claims of 2026-12-06: 3 false claims
            # no longer called supported, no other verdict changed); a
            # claim's own 「約 360 億元」 for 366.24 億元 stays approximately
            return FigureDecision("not_found", None, candidates=cands, probability=p, contradiction=q,
                                  note=f"the plan states {best.fact.display} only approximately, and a fact "
                                       f"stating another value fits the claim better")
        if best.match == "approximate":
            return FigureDecision("approximately", best, [], cands, p,
                                  note=f"approximately: the plan states {best.fact.display}", contradiction=q)
        note = f"rounded: the plan states {best.fact.display}" if best.match == "rounded" else ""
        return FigureDecision("supported", best, [], cands, p, note=note, contradiction=q)
    if verdict == "contradicted":
        other = contradicting(cands, labels or {}, kind)
        return FigureDecision("contradicted", other, [], cands, p, contradiction=q)
    if x[_HAS_EQUAL]:
        note = f"an equal fact exists but P(stated) = {p:.2f} < {model.threshold:.2f}"
    elif x[_OTHER_SCORE] >= model.min_contradict:
        note = (f"a fact states another value, but not surely for the same thing: P(stated) = {p:.2f} "
                f"(contradicted at ≤ {model.contradict_below:.2f}), P(contradiction) = {q:.2f} "
                f"(at ≥ {model.contradict_above:.2f})")
    else:
        note = f"closest fact scores {max(x[_OTHER_SCORE], 0.0):.2f} (< {model.min_contradict:.2f})"
    return FigureDecision("not_found", None, candidates=cands, probability=p, note=note, contradiction=q)


__all__ = ["ANCHORED_CONTRADICT_ABOVE", "CONTRADICTION_GATES", "FEATURES", "FigureDecision", "LABELLED_OTHER_MARGIN", "Logistic", "MODEL_PATH", "Trees", "VerdictModel", "call", "decide", "features",
           "contradicting", "may_contradict", "rate_gated",
           "partly_supported"]
