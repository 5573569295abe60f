"""Answer selection: question slots, the fitted selector model and its use
by the composer on the shipped corpus, the fitter's labels and the
precision/coverage metric."""
from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.answer import Assistant
from assistant.figures.labels import Group
from assistant.figures.quantities import extract_quantities
from assistant.query import analyze
from assistant.selector import (CONFIDENCE_FEATURES, FEATURES, MODEL_PATH, SEMANTIC_FEATURES, SelectorModel,
                                confidence_features, period_total_cell, relative_inputs, semantic_features)
from assistant.figures.cells import Cell
from assistant.figures.labels import named_components
from assistant.figures.rates import names_rate
from assistant.slots import agreement, asked_focus, question_slots, unmet, unnamed_component
from ingest.tokenize import PlanTokenizer
from eval.fit_selector import threshold_table, unit_labels
from eval.metrics import precision_coverage

MOST = "most-2018-phd-talent-training"
EY = "ey-2018-taiwan-ai-action-plan"
AIGO = "moeaidb-2019-aigo-intro"


@pytest.mark.parametrize("question, labels, classifiers", [
    ("分項二 109 年度資本支出是多少？", {Group.PART: "2", Group.DOOR: "資本"}, set()),
    ("分项一的核定数是多少？", {Group.PART: "1", Group.STAGE: "核定"}, set()),
    ("How many companies will sub-project 2 support?", {Group.PART: "2"}, {"家"}),
    ("For sub-item 3.2, what is the budget?", {Group.SUBITEM: "3.2"}, set()),
    ("每年要培訓多少名博士？幾家企業參與？", {}, {"人", "家"}),
    ("計畫為期幾個月？", {}, set()),
    ("AI種子師資培訓課程總共要上幾個小時？", {}, {"小時"}),    # 個 is the measure word of 小時
    ("每月6萬的培訓酬金會被扣多少所得稅？", {}, set()),        # 所得 is no 所 (schools)
    ("4 個 AI 創新研究中心規劃設在哪幾所學校？", {}, set()),    # 哪幾所 asks which, not how many
    # participations of companies are the plans' 家次, not 家
    ("How many company participations in international AI activities does the plan target?", {}, {"家次"}),
    ("AI 領航推動四年的新增預算有多少？", {Group.KIND: "新增"}, set()),
    # a group named with two values asks both: no slot for it
    ("AI 人才衝刺 108 年度的既有預算和新增預算各是多少？", {}, set()),
    ("分項一和分項二 108 年度的經常支出各是多少？", {Group.DOOR: "經常"}, set()),
])
def test_question_slots(question, labels, classifiers):
    s = question_slots(analyze(question))
    assert s.labels == labels
    assert s.classifiers == classifiers


@pytest.mark.parametrize("question, several", [
    ("AI 人才衝刺 108 年度的既有預算和新增預算各是多少？", {Group.KIND: {"既有", "新增"}}),
    # English budget kinds read through the glossary's 既有預算 / 新增預算
    ("What were the existing budget and the newly added budget in 2019?", {Group.KIND: {"既有", "新增"}}),
    ("How much new money does the plan add in 2019?", {}),
])
def test_a_group_named_with_several_values_asks_each(question, several):
    assert question_slots(analyze(question)).several == several


@pytest.mark.parametrize("question, rates", [
    ("每位學生最高可以補助多少錢？", {"person"}),
    ("訓儲菁英培訓期間有提供住宿補助嗎？每月多少？", {"month"}),
    ("How much does each team receive per month?", {"team", "month"}),
    ("每家企业最多能拿多少钱？", {"company"}),
    ("每年要培訓多少名博士？", set()),                       # a yearly figure is no rate
])
def test_asked_rates_and_the_texts_that_state_them(question, rates):
    assert question_slots(analyze(question)).rates == rates
    assert names_rate("person", "每人每月 3 萬元") and names_rate("month", "每人每月 3 萬元")
    assert not names_rate("team", "每人每月 3 萬元")


def test_a_cell_summing_over_an_asked_slot_is_unmet():
    # 表 8: 預算總額 beside 既有 / 新增 does not answer a 新增預算 question; a sentence is never unmet
    s = question_slots(analyze("AI 領航推動四年的新增預算有多少？"))
    table = [("t8", "AI 領航推動 合計 新增"), ("t8", "AI 領航推動 合計 既有"), ("t8", "AI 領航推動 預算總額 億元"),
             ("t9", "合計 經費"), None]
    assert unmet(s, table) == [False, False, True, False, False]
    # the 小計 beside 經常支出 / 資本支出 does not answer a 經常支出 question
    s = question_slots(analyze("分項二 108 年度經常支出是多少？"))
    assert unmet(s, [("b", "分項二 108 年度 小計"), ("b", "分項二 108 年度 經常支出"), ("b", "分項二 108 年度 資本支出")]) \
        == [True, False, False]
    # 執行率 beside 執行數 measures another thing (the key tells them apart): no sum over the stage
    s = question_slots(analyze("106 年度計畫的執行數是多少？執行率多少？"))
    assert unmet(s, [("b money:千元", "執行數 (千元)"), ("b money:千元", "法定數 (千元)"), ("b percent:%", "執行率 (%)")]) \
        == [False, False, False]
    # nothing asked of such a group: nothing unmet
    assert unmet(question_slots(analyze("分項二 108 年度經費是多少？")), [("b", "分項二 108 年度 小計")]) == [False]


def test_a_total_row_naming_a_span_of_years_is_a_whole_period_cell():
    # most-2018 資源投入: the 「合計(106~109 年)」 row is the four years' figure, not 109's
    total = Cell("1,880,000", "合計(106~109 年)", "經費(千元)", 4, 1, "千元", "")
    year = Cell("740,000", "109", "經費(千元)", 3, 1, "千元", "")
    column = Cell("117.65", "AI 領航推動", "預算總額 億元", 1, 11, "億元", "")
    assert period_total_cell(total) and period_total_cell(column) and not period_total_cell(year)


def test_agreement_counts_matches_and_contradictions():
    s = question_slots(analyze("分項二 109 年度資本支出是多少？"))
    assert agreement(s, "分項二:AI 智慧應用 109 年度 資本支出：0 千元", []) == (2, 0)
    assert agreement(s, "分項一 109 年度 資本支出：12,000 千元", []) == (1, 1)
    # a classifier slot: 人次 does not answer 幾家
    s = question_slots(analyze("每年輔導幾家企業？"))
    assert agreement(s, "每年培訓 500 人次", extract_quantities("每年培訓 500 人次")) == (0, 1)
    assert agreement(s, "每年輔導 10 家企業", extract_quantities("每年輔導 10 家企業")) == (1, 0)


def test_shipped_model_matches_the_features_and_was_fitted_on_dev():
    m = SelectorModel.load()
    if m.meta["ranker"].startswith("trees"):
        assert m.trees is not None and m.trees.n_features == 3 * len(FEATURES)
    else:
        assert m.trees is None and len(m.coef) == 2 * len(FEATURES)
    assert len(m.conf_coef) == len(CONFIDENCE_FEATURES)
    assert m.meta["split"] == "dev" and m.meta["questions"] > 0
    assert 0.0 <= m.threshold < 1.0
    with pytest.raises(ValueError, match="features"):
        m.scores(np.zeros((2, len(FEATURES) + 1)))
    assert 0.0 < m.confidence([0.0] * len(CONFIDENCE_FEATURES)) < 1.0


def test_the_threshold_applies_to_the_answerability_model_when_there_is_one(tmp_path):
    """:meth:`SelectorModel.gate` is P(answerable) from the answerability
    model when the fitter chose that gate, else P(right); both survive the
    model file, and a file with a short answerability model is refused (the
    composer's use of the gate: ``test_the_composer_abstains_by_the_gate``)."""
    from dataclasses import replace

    shipped = SelectorModel.load()
    n = len(CONFIDENCE_FEATURES)
    prior = CONFIDENCE_FEATURES.index("question_prior")
    # P(answerable) falls with the wording prior's log-odds of unanswerable
    ans = tuple(-4.0 if k == prior else 0.0 for k in range(n))
    model = replace(shipped, answerable_coef=ans, answerable_intercept=0.0, answerable_trees=None, threshold=0.5)
    signals = [0.0] * n
    signals[prior] = 2.0                      # the wording says unanswerable
    assert model.gate(signals) < 0.01
    assert model.confidence(signals) == shipped.confidence(signals)   # P(right) is still reported
    signals[prior] = -2.0
    assert model.gate(signals) > 0.99
    assert replace(model, answerable_coef=()).gate(signals) == model.confidence(signals)
    path = tmp_path / "selector.json"
    path.write_text(model.to_json(), encoding="utf-8")
    loaded = SelectorModel.load(path)
    assert loaded.answerable_coef == ans and loaded.gate(signals) == pytest.approx(model.gate(signals))
    broken = json.loads(model.to_json())
    broken["answerable_coef"] = broken["answerable_coef"][:-1]
    (tmp_path / "broken.json").write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ValueError, match="fit-selector"):
        SelectorModel.load(tmp_path / "broken.json")


def test_a_tree_answerability_model_weighs_the_wording_by_the_evidence(tmp_path):
    """The ``answerable-trees`` gate: trees over the confidence features can
    learn what a sum cannot -- a wording that says unanswerable counts only
    when the evidence misses something asked; they take precedence over the
    logistic gate and survive the model file."""
    from dataclasses import replace

    from sklearn.ensemble import HistGradientBoostingClassifier

    from assistant.trees import TreeEnsemble

    n = len(CONFIDENCE_FEATURES)
    prior, missing = CONFIDENCE_FEATURES.index("question_prior"), CONFIDENCE_FEATURES.index("focus_missing")
    rng = np.random.default_rng(0)
    X = np.zeros((400, n))
    X[:, prior] = rng.choice([-2.0, 2.0], 400)
    X[:, missing] = rng.choice([0.0, 1.0], 400)
    y = ~((X[:, prior] > 0) & (X[:, missing] > 0))           # unanswerable: both say so
    clf = HistGradientBoostingClassifier(max_iter=50, random_state=0).fit(X, y.astype(int))
    model = replace(SelectorModel.load(), answerable_trees=TreeEnsemble.from_sklearn(clf), threshold=0.5)
    worded, both = [0.0] * n, [0.0] * n
    worded[prior] = both[prior] = 2.0
    both[missing] = 1.0
    assert model.gate(worded) > 0.9 and model.gate(both) < 0.1
    path = tmp_path / "selector.json"
    path.write_text(model.to_json(), encoding="utf-8")
    assert SelectorModel.load(path).gate(both) == pytest.approx(model.gate(both))


def test_a_model_fitted_on_other_features_is_refused(tmp_path):
    d = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    d["features"] = d["features"][:-1]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(ValueError, match="fit-selector"):
        SelectorModel.load(path)


def test_unit_labels_prefer_units_with_every_group():
    item = {"category": "budget", "must_include": [["390,000", "3.9億"], ["109"]]}
    texts = ["分項一 108 年度：390,000 千元", "分項一 109 年度：390,000 千元", "其他"]
    assert unit_labels(item, texts).tolist() == [0, 1, 0]
    # no unit has both: those with the most groups are right
    assert unit_labels(item, ["390,000 千元", "其他"]).tolist() == [1, 0]
    assert unit_labels({"category": "unanswerable", "must_include": []}, texts).tolist() == [0, 0, 0]


def test_threshold_table_trades_coverage_for_abstention():
    results = [{"answerable": True, "abstained": False, "right": True},
               {"answerable": True, "abstained": False, "right": False},
               {"answerable": False, "abstained": False, "right": False}]
    rows = {r["threshold"]: r for r in threshold_table(results, np.array([0.9, 0.3, 0.1]))}
    assert rows[0.0]["coverage"] == 1.0 and rows[0.0]["accuracy"] == pytest.approx(1 / 3, abs=1e-3)
    assert rows[0.5]["coverage"] == pytest.approx(1 / 3, abs=1e-3)
    assert rows[0.5]["precision"] == 1.0 and rows[0.5]["accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert rows[0.5]["abstention"] == 1.0 and rows[0.5]["false_abstention"] == 0.5


def test_precision_coverage_curve():
    rows = [(True, True, 0.9), (True, False, 0.4), (False, False, 0.8), (True, True, 0.6)]
    curve = {c["threshold"]: c for c in precision_coverage(rows, thresholds=[0.0, 0.5, 0.95])}
    assert curve[0.0] == {"threshold": 0.0, "coverage": 0.75, "precision": pytest.approx(2 / 3)}
    assert curve[0.5]["coverage"] == 0.5 and curve[0.5]["precision"] == 1.0
    assert curve[0.95]["coverage"] == 0.0 and curve[0.95]["precision"] == 1.0


@pytest.mark.slow
class TestOnTheShippedCorpus:
    @pytest.fixture(scope="class")
    def assistant(self, corpus_index) -> Assistant:
        return Assistant(corpus_index.db)

    def test_the_composer_abstains_by_the_gate(self, assistant):
        """The same question and hits: answered under a gate that calls every
        lead answerable, abstained under one that calls none (P(right) alike)."""
        from dataclasses import replace

        query = analyze("分項二 108 年度的經費是多少？")
        hits = assistant.retriever.retrieve(query, top_k=8, doc_ids=[MOST])
        n = len(CONFIDENCE_FEATURES)
        yes = replace(assistant.composer.model, answerable_coef=(0.0,) * n, answerable_intercept=20.0,
                      answerable_trees=None, threshold=0.5)
        no = replace(yes, answerable_intercept=-20.0)
        answered = assistant.composer.compose(query, hits, model=yes, min_score=0.5)
        abstained = assistant.composer.compose(query, hits, model=no, min_score=0.5)
        assert not answered.abstained and "350,000" in "".join(t for t, _ in answered.sentences)
        assert abstained.abstained and abstained.confidence == pytest.approx(answered.confidence)

    def test_a_which_question_asks_no_count(self, assistant):
        # 「哪幾所」 asks which schools: the sentence naming them answers it
        a = assistant.ask("4 個 AI 創新研究中心規劃設在哪幾所學校？", doc_ids=[EY])
        assert not a.abstained and all(s in a.sentences[0].text for s in ("台大", "成大", "清大", "交大"))

    def test_each_named_budget_kind_gets_its_cell(self, assistant):
        # both kinds asked: the 新增 cell of the row leads or follows the 既有 one
        a = assistant.ask("場域與法規開放 2019 年的既有預算和新增預算各是多少？", doc_ids=[EY])
        assert not a.abstained and "29.10" in a.answer and "6.50" in a.answer, a.answer
        a = assistant.ask("What were the plan's existing budget and its newly added budget in 2019?", doc_ids=[EY])
        assert not a.abstained and "74.77" in a.answer and "30.00" in a.answer, a.answer

    def test_a_share_of_time_is_stated_as_a_percent(self, assistant):
        # "how much of … time" asks a share: the 50% sentence answers it, no amount is needed
        a = assistant.ask("How much of the AI Pilot program director's time must go to the project?", doc_ids=[EY])
        assert not a.abstained and "50%" in a.answer, a.answer

    def test_a_prose_cell_stating_a_figure_is_a_candidate(self, assistant):
        # 附件 2-1 分工表: the age limit is written inside a 辦理措施 cell, no figure cell reads it
        a = assistant.ask("Is there an age limit for PhDs brought back under the overseas talent bridging scheme (LIFT)?",
                          doc_ids=[EY])
        assert not a.abstained and "45 歲以下博士人才" in a.sentences[0].text

    def test_a_budget_kind_asked_is_met(self, assistant):
        # 表 8: the 新增 column answers a 新增預算 question, not 預算總額 beside it
        a = assistant.ask("「AI 領航推動」這條主軸 2018 到 2021 年的新增預算有多少？", doc_ids=[EY])
        assert "37.10" in a.sentences[0].text and "117.65" not in a.sentences[0].text
        # each part of a question meets its own slots: the total first, then its 新增 share
        a = assistant.ask("「AI 領航推動」這條主軸 2018 到 2021 年的預算總額是多少？其中新增預算有多少？", doc_ids=[EY])
        texts = [s.text for s in a.sentences]
        assert "117.65" in texts[0] and any("37.10" in t for t in texts[1:])
        # both kinds asked: both answered
        a = assistant.ask("AI 人才衝刺在 108 年度的既有預算和新增預算各是多少？", doc_ids=[EY])
        assert "6.86" in a.answer and "11.50" in a.answer

    def test_a_part_asked_of_the_first_answer_looks_in_its_row(self, assistant):
        # 「其中新增預算有多少？」 names no subject: the first answer's row is searched first
        question = "「AI 領航推動」這條主軸 2018 到 2021 年的預算總額是多少？其中新增預算有多少？"
        query = analyze(question)
        hits = assistant.retriever.retrieve(query, top_k=8, doc_ids=[EY])
        first = assistant.composer.compose(query, hits, slots_of=analyze(question.split("？")[0] + "？"))
        assert "117.65" in first.sentences[0][0] and first.lead_row[1] == "AI 領航推動"
        part = analyze("其中新增預算有多少？")
        chunk_id = first.lead_row[0]
        # the row is what decides: asked within another pillar's row, that row's 新增 cell leads
        other = assistant.composer.compose(query, hits, slots_of=part, within=(chunk_id, "產業 AI 化"))
        assert other.sentences[0][0].startswith("產業 AI 化") and "新增" in other.sentences[0][0]
        own = assistant.composer.compose(query, hits, slots_of=part, within=first.lead_row)
        assert "37.10" in own.sentences[0][0]
        # a row with no cell naming the asked value changes nothing
        none = assistant.composer.compose(query, hits, slots_of=part, within=(chunk_id, "no such row"))
        assert none.sentences[0][0] == assistant.composer.compose(query, hits, slots_of=part).sentences[0][0]

    def test_a_part_asked_of_a_total_looks_in_its_tables_row_of_what_is_asked(self, assistant):
        # 表 8's 合計 row has no 新增 cell: 「其中新增預算」 of 109's 合計 (108.09)
        # is the 新增預算 row's 109 cell (33.80), not a pillar's 新增 cell
        a = assistant.ask("台湾AI行动计划在2020年（民国109年）全部经费合计多少？其中新增预算占多少？", doc_ids=[EY])
        texts = [s.text for s in a.sentences]
        assert "108.09" in texts[0] and any("33.80" in t for t in texts[1:]), texts

    def test_a_candidate_of_another_sub_project_is_never_the_answer(self, assistant):
        a = assistant.ask("分項二 108 年度的經費是多少？", doc_ids=[MOST])
        assert not a.abstained
        assert a.sentences[0].text.startswith("分項二") and "350,000" in a.sentences[0].text
        assert not any("分項一" in s.text for s in a.sentences if s.verified)
        assert 0.0 < a.confidence <= 1.0

    def test_a_year_outside_the_plan_is_a_confidence_signal(self, assistant):
        # the plan runs 106/9-109/12 (2017-2020): its widest PERIOD fact
        assert assistant._period(MOST) == (2017, 2020)
        ctx = assistant.composer.context(analyze("分項一 110 年度經費是多少？"), [])
        hits = assistant.retriever.retrieve(analyze("分項一 109 年度經費是多少？"), top_k=3, doc_ids=[MOST])
        units, x = assistant.composer.candidates(ctx.query, hits, ctx)
        scores = assistant.composer.model.scores(x)
        signals = dict(zip(CONFIDENCE_FEATURES, confidence_features(scores, x, 0, units[0], ctx)))
        assert signals["year_after_plan"] == 1.0 and signals["year_before_plan"] == 0.0
        ctx = assistant.composer.context(analyze("分項一 109 年度經費是多少？"), hits)
        signals = dict(zip(CONFIDENCE_FEATURES, confidence_features(scores, x, 0, units[0], ctx)))
        assert signals["year_after_plan"] == signals["year_before_plan"] == 0.0

    def test_quoted_cells_do_not_repeat_their_row_labels(self, assistant):
        a = assistant.ask("分項二 108 年度的經費是多少？", doc_ids=[MOST])
        assert a.answer.count("分項二:AI 智慧應用暨新世代人才培育推動") == 1

    def test_supporting_cells_never_name_another_year(self, assistant):
        a = assistant.ask("分項一 109 年度經費是多少？", doc_ids=[MOST])
        cells = [s.text for s in a.sentences if "年度" in s.text]
        assert cells and all("109 年度" in t for t in cells)

    def test_question_words_no_chunk_of_the_document_holds_are_measured(self, assistant):
        """The confidence signal doc_missing: the idf-weighted share of the
        question's words that no chunk of the lead's document holds (台積電
        and 學費 are not in the plan)."""
        def signal(question: str) -> float:
            q = analyze(question)
            comp = assistant.composer.compose(q, assistant.retriever.retrieve(q, doc_ids=[MOST]), min_score=0.0)
            return comp.signals[CONFIDENCE_FEATURES.index("doc_missing")]

        assert signal("博士級產業訓儲菁英的培訓酬金是多少？") == 0.0
        assert 0.0 < signal("台積電錄取的博士級產業訓儲菁英要付多少學費？") < 1.0

    def test_an_asked_year_no_best_unit_names_is_a_signal_not_a_rule(self, assistant):
        """doc_year_unnamed: 1 when none of the best units of the lead's document
        names the asked year (the plan runs 2017-2020: 2023 is named nowhere),
        0 when one does; either way the composer still scores an answer and
        leaves abstaining to the gate."""
        def compose(question: str):
            q = analyze(question)
            return assistant.composer.compose(q, assistant.retriever.retrieve(q, doc_ids=[MOST]), min_score=0.0)

        outside = compose("分項一 2023 年的人事費是多少？")
        assert outside.signals[CONFIDENCE_FEATURES.index("doc_year_unnamed")] == 1.0 and not outside.abstained
        inside = compose("分項一 108 年度經費是多少？")
        assert inside.signals[CONFIDENCE_FEATURES.index("doc_year_unnamed")] == 0.0

    def test_the_focus_words_the_lead_does_not_name_are_measured(self, assistant):
        """The confidence signals focus_missing / focus_doc_missing: whether
        what the question asks for (住宿補助, 鐘點費) is named by the lead, by
        the plan."""
        def signals(question: str) -> tuple[float, float]:
            q = analyze(question)
            comp = assistant.composer.compose(q, assistant.retriever.retrieve(q, doc_ids=[MOST]), min_score=0.0)
            return tuple(comp.signals[CONFIDENCE_FEATURES.index(f)] for f in ("focus_missing", "focus_doc_missing"))

        assert signals("博士級產業訓儲菁英每月的培訓酬金是多少？") == (0.0, 0.0)
        lead, doc = signals("博士級產業訓儲菁英的住宿補助每月是多少？")    # 住宿 and 補助 are in the plan
        assert lead > 0.0 and doc == 0.0
        assert signals("博士級產業訓儲菁英上課的鐘點費是多少？") == (1.0, 1.0)

    def test_a_rate_the_lead_does_not_state_is_measured(self, assistant):
        """The confidence signal rate_missing: the question asks a figure per
        team / company and the lead's chunk states nothing per it."""
        def signal(question: str, doc: str) -> float:
            q = analyze(question)
            comp = assistant.composer.compose(q, assistant.retriever.retrieve(q, doc_ids=[doc]), min_score=0.0)
            return comp.signals[CONFIDENCE_FEATURES.index("rate_missing")]

        assert signal("AI GO 解題每隊最高可以拿到多少獎金？", AIGO) == 0.0   # 「每隊全程一題最高獎金達70萬」
        assert signal("博士級產業訓儲菁英的培訓經費是多少？", MOST) == 0.0    # no rate asked
        assert signal("每家合作廠商要繳多少保證金？", MOST) == 1.0

    def test_candidates_are_scored_on_their_meaning_too(self, assistant):
        """The index's encoder reads across languages: the cell that answers
        an English question is closer to it than an unrelated sentence."""
        sims = assistant.retriever.similarity("What is sub-project 2's budget in 2019?", [
            "分項二:AI 智慧應用暨新世代人才培育推動 108 年度 小計：350,000 千元",
            "本計畫提供 0800 諮詢服務與申訴專線暨業務信箱"])
        assert sims.shape == (2,) and sims[0] > sims[1]
        hits = assistant.retriever.retrieve(analyze("分項二 108 年度的經費是多少？"), top_k=3, doc_ids=[MOST])
        _, x = assistant.composer.candidates(analyze("分項二 108 年度的經費是多少？"), hits)
        sem = x[:, [FEATURES.index(f) for f in SEMANTIC_FEATURES]]
        assert sem[:, 0].max() > 0 and sem[:, 1].max() == 0.0 and sem[:, 2].max() == 1.0

    def test_a_low_confidence_answer_is_withheld(self, corpus_index):
        strict = Assistant(corpus_index.db, min_score=1.01)
        a = strict.ask("分項二 108 年度的經費是多少？", doc_ids=[MOST])
        assert a.abstained and a.confidence > 0.0


def test_candidates_outside_the_reference_move_no_one_elses_relative_features():
    sims = np.array([0.80, 0.90, 0.85])
    with_extra = semantic_features(np.append(sims, 0.95), 4, english=True, reference=np.array([1, 1, 1, 0], bool))
    assert np.allclose(with_extra[:3], semantic_features(sims, 3, english=True))
    assert with_extra[3, 2] == 1.0 and with_extra[3, 1] == pytest.approx(0.05)   # it would rank first
    x = np.array([[0.2, 1.0], [0.6, 0.0], [0.9, 1.0]])
    assert np.allclose(relative_inputs(x, np.array([1, 1, 0], bool))[:2], relative_inputs(x[:2]))


def test_semantic_features_from_cosines():
    x = semantic_features(np.array([0.80, 0.90, 0.85]), 3, english=True)
    assert x.shape == (3, len(SEMANTIC_FEATURES))
    assert list(x[:, 2]) == [1 / 3, 1.0, 0.5] and x[1, 1] == 0.0 and x[0, 1] == pytest.approx(-0.10)
    assert list(x[:, 3]) == list(x[:, 1])   # the English interaction
    assert not semantic_features(np.array([0.8, 0.9]), 2, english=False)[:, 3].any()
    assert not semantic_features(None, 4, english=True).any()   # no vector model: all zero


@pytest.mark.parametrize("question, focus", [
    ("AI 種子教師上課的鐘點費是多少？", ["鐘點費"]),
    ("第三届解题竞赛有多少家企业出题？", ["競賽", "解題", "企業", "出題"]),   # Simplified, a classifier skipped
    ("分項一 107 年的法定預算是多少?", ["預算", "法定"]),                  # 是 not glued to 預算
    ("數位部這本 AI 普及計畫的正式全名是什麼?", ["全名", "正式"]),
    ("How much prize money does a winning team get?", ["獎金"]),          # the glossary's terms
    ("分項二 109 年", []),                                                 # nothing asked
])
def test_asked_focus(question, focus):
    got = asked_focus(analyze(question), PlanTokenizer().words)
    assert all(w in got for w in focus) and (got == [] if not focus else True)
    if not analyze(question).lang == "en":
        assert got == focus


def test_components_a_question_names_must_exist_in_the_documents():
    named = named_components(["分項一：重點產業高階人才培訓", "子項 2.1 製造業 AI 轉型推動經費"])
    assert named == {(Group.PART, "1"), (Group.SUBITEM, "2.1")}
    assert unnamed_component(question_slots(analyze("分項一的經費是多少？")), named) is None
    assert unnamed_component(question_slots(analyze("分项四的经费是多少？")), named) == "分項 4"
    assert unnamed_component(question_slots(analyze("子項 3.3 在 114 年的經費？")), named) == "子項 3.3"
    assert unnamed_component(question_slots(analyze("計畫總經費是多少？")), named) is None


@pytest.mark.parametrize("question, text, missing", [
    ("训储菁英在培训期间一年有几天年假？", "補助每名訓儲菁英一百零五萬元整", 1.0),   # days asked, none stated
    ("一年有幾天年假？", "每年特休 14 天", 0.0),
    ("分項二 108 年度經費是多少？", "108 年度 小計:350,000 千元", 0.0),      # money: any 元 figure
    ("課程要上幾個小時？", "課程共 72 小時", 0.0),                          # 個 is the measure word
    ("第二屆有幾支解題團隊報名？", "42 家業者提出 74 題", 1.0),
    ("How many hours is the course?", "72 小時", 0.0),                      # Chinese questions only
])
def test_asked_unit_missing(question, text, missing):
    from assistant.selector import QuestionContext, _asked_unit_missing

    query = analyze(question)
    ctx = QuestionContext(query, {}, frozenset(), question_slots(query), 0.0)
    assert _asked_unit_missing(ctx, text) == missing
