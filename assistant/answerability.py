"""P(the plans cannot answer a question), from the question's wording alone.

Plans state budgets, targets, rules and agencies; they never give a
contact person's name, a phone number, next year's deadline, actual results
after they were written, or another country's budget.  Questions that ask
for such things share their wording across plans and askers (「承辦人是誰」,
「實際」, "compare with Germany"), so a classifier over the question's
characters says how likely a question is to be unanswerable before any
passage is read.  It is one input of the selector's confidence model
(:data:`assistant.selector.CONFIDENCE_FEATURES`, ``question_prior``), fitted
with it on the dev split by ``python -m eval fit-selector`` -- out of fold,
so that the confidence model learns how far to trust it on unseen questions.

The classifier is scikit-learn's: TF-IDF over character 1–3-grams within
word boundaries (``char_wb``: Chinese needs no segmenter, English words keep
their stems) and an L2 logistic regression with balanced class weights.
Measured on the dev split, leaving out one question set at a time (sets
written by different helpers): ROC AUC 0.82 for unanswerable against
answerable, on a par with the confidence model's own 0.82 (in-sample,
before this feature).

Example:
    >>> p = QuestionPrior.fit(["分項二 108 年經費多少？", "承辦人是誰？電話幾號？"] * 3,
    ...                       [False, True] * 3)
    >>> p.probability("承辦人的電話？") > p.probability("分項二 109 年經費多少？")
    True
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

import numpy as np

from .figures.rates import without_rates

#: Character n-gram lengths (1–3: single characters carry Chinese words'
#: meaning, 2–3 the words themselves; leave-one-set-out AUC on dev: (1, 2)
#: 0.813, (1, 3) 0.815, (2, 4) 0.80 at C = 3).
NGRAM_RANGE = (1, 3)
#: An n-gram must occur in at least this many training questions.
MIN_DF = 2
#: Inverse regularisation strength (leave-one-set-out AUC on dev at (1, 3):
#: C = 1 0.799, 3 0.815, 10 0.822; the middle one, less fitted to the sets' wording).
C = 3.0


#: Whether a newly fitted prior reads questions without the words that ask
#: a figure per a rate (:func:`~assistant.figures.rates.without_rates`).
#: The dev split's writers were asked for per-person amounts the plans never
#: give, so "monthly … each trainee" became a cue for unanswerable, and the
#: plan's stated 「每人每月 6 萬元」 stipend was abstained on; whether the
#: asked rate is stated is the evidence's question (the confidence feature
#: ``rate_missing``), not the wording's.
MASK_RATES = True


def _masked(question: str) -> str:
    return without_rates(question).lower()


def _vectorizer(vocabulary: dict[str, int] | None = None, masks_rates: bool = False):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE, min_df=1 if vocabulary else MIN_DF,
                           sublinear_tf=True, lowercase=True, vocabulary=vocabulary,
                           preprocessor=_masked if masks_rates else None)


@dataclass(frozen=True)
class QuestionPrior:
    """A fitted wording classifier: P(unanswerable | question text).

    Attributes:
        ngrams: the vocabulary, in feature order.
        idf: each n-gram's inverse document frequency (as fitted).
        coef, intercept: the logistic regression over the TF-IDF vector.
        masks_rates: questions are read without their rate words
            (:data:`MASK_RATES`; ``False`` for priors fitted before it).
    """

    ngrams: tuple[str, ...]
    idf: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    masks_rates: bool = False

    @classmethod
    def fit(cls, questions: Sequence[str], unanswerable: Sequence[bool], c: float = C,
            masks_rates: bool = MASK_RATES) -> QuestionPrior:
        """Fit on questions and whether each is unanswerable (read without
        their rate words when ``masks_rates``).

        Raises:
            ValueError: the lengths differ, or only one class is present.
        """
        from sklearn.linear_model import LogisticRegression

        y = np.asarray(unanswerable, dtype=int)
        if len(questions) != len(y):
            raise ValueError(f"{len(questions)} questions but {len(y)} labels")
        if len(set(y.tolist())) < 2:
            raise ValueError("need answerable and unanswerable questions")
        vec = _vectorizer(masks_rates=masks_rates)
        x = vec.fit_transform(list(questions))
        lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)
        ngrams = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
        return cls(tuple(ngrams), tuple(map(float, vec.idf_)), tuple(map(float, lr.coef_[0])),
                   float(lr.intercept_[0]), masks_rates)

    @cached_property
    def _vec(self):
        vec = _vectorizer({g: i for i, g in enumerate(self.ngrams)}, self.masks_rates)
        vec.idf_ = np.asarray(self.idf)
        return vec

    def logit(self, question: str) -> float:
        """log-odds that ``question`` is unanswerable (0 for an empty one)."""
        if not question.strip():
            return 0.0
        x = self._vec.transform([question])
        return float(self.intercept + (x @ np.asarray(self.coef))[0])

    def probability(self, question: str) -> float:
        """P(``question`` is unanswerable), 0..1."""
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, self.logit(question)))))

    def to_dict(self) -> dict:
        """JSON-ready form (read back with :meth:`from_dict`)."""
        return {"ngram_range": list(NGRAM_RANGE), "ngrams": list(self.ngrams), "idf": list(self.idf),
                "coef": list(self.coef), "intercept": self.intercept, "masks_rates": self.masks_rates}

    @classmethod
    def from_dict(cls, d: dict) -> QuestionPrior:
        """Read :meth:`to_dict`'s form.

        Raises:
            ValueError: fitted with other n-gram lengths, or the arrays differ in length.
        """
        if tuple(d["ngram_range"]) != NGRAM_RANGE:
            raise ValueError(f"question prior fitted on {d['ngram_range']}-grams, not {NGRAM_RANGE}; refit")
        if not len(d["ngrams"]) == len(d["idf"]) == len(d["coef"]):
            raise ValueError("question prior: ngrams, idf and coef differ in length")
        return cls(tuple(d["ngrams"]), tuple(map(float, d["idf"])), tuple(map(float, d["coef"])),
                   float(d["intercept"]), bool(d.get("masks_rates", False)))


__all__ = ["C", "MASK_RATES", "MIN_DF", "NGRAM_RANGE", "QuestionPrior"]
