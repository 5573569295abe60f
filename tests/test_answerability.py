"""The question-wording prior of the confidence model (assistant.answerability)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.answerability import QuestionPrior
from assistant.selector import SelectorModel

DEV = Path(__file__).resolve().parent.parent / "eval" / "benchmark.jsonl"


def _dev_questions() -> list[dict]:
    return [d for d in map(json.loads, DEV.read_text(encoding="utf-8").splitlines()) if d["kind"] == "question"]


# A question set with fewer unanswerable (or answerable) questions than this
# is held out together with the other such sets: the AUC of two
# unanswerable questions against eight is too coarse to judge (d48: 0.56,
# from 16 pairs).
MIN_PER_CLASS = 5


def test_the_prior_generalises_to_a_question_set_it_was_not_fitted_on():
    """Fitted on all dev question sets but one, it ranks the left-out set's
    unanswerable questions above its answerable ones (ROC AUC), for every set
    (the small sets, :data:`MIN_PER_CLASS`, held out as one)."""
    from sklearn.metrics import roc_auc_score

    items = _dev_questions()

    def name(d: dict) -> str:
        return d["id"].split("-")[0]

    sizes: dict[str, list[int]] = {}
    for d in items:
        sizes.setdefault(name(d), [0, 0])[d["category"] == "unanswerable"] += 1
    group = {k: k if min(n) >= MIN_PER_CLASS else "small sets" for k, n in sizes.items()}
    aucs = {}
    for held in sorted(set(group.values())):
        train = [d for d in items if group[name(d)] != held]
        test = [d for d in items if group[name(d)] == held]
        y = [d["category"] == "unanswerable" for d in test]
        if len(set(y)) < 2:
            continue
        prior = QuestionPrior.fit([d["question"] for d in train], [d["category"] == "unanswerable" for d in train])
        aucs[held] = roc_auc_score(y, [prior.logit(d["question"]) for d in test])
    assert len(aucs) >= 5
    assert min(aucs.values()) > 0.7, aucs


def test_the_shipped_selector_carries_the_prior_and_it_round_trips():
    model = SelectorModel.load()
    assert model.prior is not None and len(model.prior.ngrams) > 1000
    copy = QuestionPrior.from_dict(json.loads(json.dumps(model.prior.to_dict())))
    for q in ("經濟部產業發展署負責這個計畫的承辦人是誰？電話幾號？", "分項二 108 年度經費是多少？", "Who may apply?"):
        assert copy.logit(q) == pytest.approx(model.prior.logit(q))
        assert model.question_prior(q) == pytest.approx(model.prior.logit(q))
    # a contact person is something no plan states; a sub-project's budget is
    assert model.prior.probability("這個計畫的承辦人是誰？電話幾號？") > model.prior.probability("分項二 108 年度經費是多少？")


def test_fit_rejects_mismatched_or_one_class_labels():
    with pytest.raises(ValueError, match="labels"):
        QuestionPrior.fit(["a", "b"], [True])
    with pytest.raises(ValueError, match="answerable and unanswerable"):
        QuestionPrior.fit(["分項二經費", "分項一經費"], [False, False])


def test_a_model_without_prior_reads_zero():
    model = SelectorModel.load()
    bare = SelectorModel(model.mean, model.scale, model.coef, model.conf_coef, model.conf_intercept,
                         model.threshold, model.support_margin, model.meta)
    assert bare.question_prior("承辦人是誰？") == 0.0
    assert np.isfinite(model.question_prior(""))


def test_a_prior_fitted_on_the_dev_split_reads_questions_without_their_slot_values():
    """Dev's writers asked for per-person amounts the plans never give, years
    outside the plans and sub-projects that do not exist, so a prior reading
    「每人每月」, "monthly … each trainee", the year or the sub-project's number
    learns them as cues for unanswerable; the prior fitted with
    ``masks_slots`` (the default) scores a question the same whatever its rate
    words, year and component number, and the flag survives the round trip."""
    from assistant.answerability import without_slot_values

    items = _dev_questions()
    prior = QuestionPrior.fit([d["question"] for d in items], [d["category"] == "unanswerable" for d in items])
    assert prior.masks_slots
    for q in ("How much is the monthly training stipend for each PhD trainee?", "每位學員每月的培訓酬金是多少？",
              "What is the budget of sub-project 2 in 2019?"):
        assert without_slot_values(q) != q
        assert prior.logit(q) == pytest.approx(prior.logit(without_slot_values(q)))
    assert prior.logit("What is the budget of sub-project 2 in 2019?") == \
        pytest.approx(prior.logit("What is the budget of sub-project 5 in 2029?"))
    assert prior.logit("分項二 108 年度經費是多少？") == pytest.approx(prior.logit("分項三 110 年度經費是多少？"))
    # the calendar a year is named in is part of its value
    assert prior.logit("What is the budget of sub-project 2 in 2020 (ROC 109)?") == \
        pytest.approx(prior.logit("What is the budget of sub-project 2 in 2020?"))
    copy = QuestionPrior.from_dict(json.loads(json.dumps(prior.to_dict())))
    assert copy.masks_slots and copy.logit("每人每月多少錢？") == pytest.approx(prior.logit("每人每月多少錢？"))
    unmasked = QuestionPrior.fit([d["question"] for d in items], [d["category"] == "unanswerable" for d in items],
                                 masks_slots=False)
    q = "How much does each PhD trainee get per month?"
    assert unmasked.logit(q) != pytest.approx(unmasked.logit(without_slot_values(q)))
