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
import re
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


#: Whether a newly fitted prior reads questions without the values of the
#: slots the evidence judges (:func:`without_slot_values`).  Dev's writers
#: asked for per-person amounts the plans never give, for years outside the
#: plans and for sub-projects that do not exist, so "monthly … each trainee",
#: "budget … in 2019" and "sub-project 2" became cues for unanswerable, and
#: the plan's stated 「每人每月 6 萬元」 stipend and "What is the budget of
#: sub-project 2 in 2019?" were abstained on.  Whether the asked rate is
#: stated, the asked year lies in the plan and the named 分項 exists is the
#: evidence's question (the confidence features ``rate_missing``,
#: ``year_after_plan``, ``doc_year_unnamed``, ``slots_missing``), not the
#: wording's.  Measured on the 2,057 dev questions of 2026-12-04 (tree
#: ranker, 5-fold CV): answer-or-abstention 0.709 reading rate words only
#: masked, 0.713 with slot values masked; the two English questions above
#: stay below the threshold either way (README, eleventh session).
MASK_SLOTS = True

# A component named with its number (分項二, 子項 3.2, sub-project 2): the
# word stays (it says what kind of thing is asked), the number goes.
_COMPONENT_NUMBER = re.compile(r"(分[項项]|子[項项]|細部計畫|细部计划|sub-?projects?|sub-?items?|components?)"
                               r"\s*(?:no\.?\s*)?[一二三四五六七八九十\d.]+", re.I)


# The ROC calendar named with a year: "(ROC 109)" after a Western year,
# "ROC" or 民國 before one.
_ROC_MARK = re.compile(r"\s*[(（]\s*(?:ROC|R\.O\.C\.|民國)\s*(?:years?\s*)?\d{2,3}(?:\s*[-–~]\s*\d{2,3})?\s*[)）]"
                       r"|\b(?:ROC|R\.O\.C\.)\s*(?:years?\s*)?(?=\d)|(?:中華)?民國\s*(?=\d)", re.I)


def without_slot_values(question: str) -> str:
    """``question`` without the values of its slots: the words asking a
    figure per a rate blanked out (:func:`~assistant.figures.rates.without_rates`),
    a component's number dropped and every digit run read as ``#``.

    Example:
        >>> without_slot_values("What is the budget of sub-project 2 in 2019?")
        'What is the budget of sub-project in #?'
        >>> without_slot_values("分項二 108 年度經費是多少？")
        '分項 # 年度經費是多少？'
        >>> without_slot_values("What is Sub-project 1's budget for 2020 (ROC 109)?")
        "What is Sub-project's budget for #?"
    """
    question = _COMPONENT_NUMBER.sub(lambda m: m.group(1), without_rates(question))
    # a year's calendar is part of its value: 「2020 (ROC 109)」, 「民國 109 年」 read as 「2020」, 「109 年」
    question = _ROC_MARK.sub("", question)
    return re.sub(r"\d+", "#", question)


def _masked(question: str) -> str:
    return without_slot_values(question).lower()


def _vectorizer(vocabulary: dict[str, int] | None = None, masks_slots: bool = False):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE, min_df=1 if vocabulary else MIN_DF,
                           sublinear_tf=True, lowercase=True, vocabulary=vocabulary,
                           preprocessor=_masked if masks_slots else None)


@dataclass(frozen=True)
class QuestionPrior:
    """A fitted wording classifier: P(unanswerable | question text).

    Attributes:
        ngrams: the vocabulary, in feature order.
        idf: each n-gram's inverse document frequency (as fitted).
        coef, intercept: the logistic regression over the TF-IDF vector.
        masks_slots: questions are read without their slot values
            (:func:`without_slot_values`, :data:`MASK_SLOTS`; ``False`` for
            priors fitted before it).
    """

    ngrams: tuple[str, ...]
    idf: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    masks_slots: bool = False

    @classmethod
    def fit(cls, questions: Sequence[str], unanswerable: Sequence[bool], c: float = C,
            masks_slots: bool = MASK_SLOTS) -> QuestionPrior:
        """Fit on questions and whether each is unanswerable (read without
        their slot values when ``masks_slots``).

        Raises:
            ValueError: the lengths differ, or only one class is present.
        """
        from sklearn.linear_model import LogisticRegression

        y = np.asarray(unanswerable, dtype=int)
        if len(questions) != len(y):
            raise ValueError(f"{len(questions)} questions but {len(y)} labels")
        if len(set(y.tolist())) < 2:
            raise ValueError("need answerable and unanswerable questions")
        vec = _vectorizer(masks_slots=masks_slots)
        x = vec.fit_transform(list(questions))
        lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)
        ngrams = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
        return cls(tuple(ngrams), tuple(map(float, vec.idf_)), tuple(map(float, lr.coef_[0])),
                   float(lr.intercept_[0]), masks_slots)

    @cached_property
    def _vec(self):
        vec = _vectorizer({g: i for i, g in enumerate(self.ngrams)}, self.masks_slots)
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
                "coef": list(self.coef), "intercept": self.intercept, "masks_slots": self.masks_slots}

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
                   float(d["intercept"]), bool(d.get("masks_slots", False)))


__all__ = ["C", "MASK_SLOTS", "MIN_DF", "NGRAM_RANGE", "QuestionPrior", "without_slot_values"]
