"""Verifying budget and KPI claims against the shipped corpus: supported
claims with their exact cell, claims with a changed year, figure, unit, 分項
or cost category (contradicted, with the plan's value), things the plans do
not state (not found), conflicting statements, the JSON form and the CLI."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.figures.claims import parse_claim
from assistant.figures.decision import FEATURES
from assistant.figures.extract import FactBase, chunk_facts
from assistant.figures.matching import Sentences
from assistant.figures.verify import Verdict, VerdictKind
from assistant.figures.labels import Group
from assistant.verify import verify
from ingest.models import Chunk

REPO = Path(__file__).resolve().parent.parent
MOST = "most-2018-phd-talent-training"
MOEA = "moea-2023-digital-talent"
MODA = "moda-2025-ai-industry-adoption"
EY = "ey-2018-taiwan-ai-action-plan"
AIGO = "moeaidb-2019-aigo-intro"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def check(corpus_index):
    def run(claim: str, **kw) -> Verdict:
        return verify(claim, db_dir=corpus_index.db, **kw)
    return run


# --------------------------------------------------------------- supported
def test_budget_cell_supports_the_claim_with_its_headers(check):
    v = check("分項二 108 年度經費為 350,000 千元。")
    assert v.verdict == "supported" and v.verdict is VerdictKind.SUPPORTED
    assert v.correct_value == "350,000 千元" and v.unit == "千元"
    e = v.evidence[0]
    assert (e.doc_id, e.page) == (MOST, 13)
    assert e.row.startswith("分項二") and "108" in e.column and "小計" in e.column
    assert e.title == "重點產業高階人才培訓與就業計畫"
    # the row is named as answers name it: not its 計畫策略 / 計畫性質 cells
    assert e.row == "分項二:AI 智慧應用暨新世代人才培育推動"
    assert e.text.startswith("分項二:AI 智慧應用暨新世代人才培育推動｜108 年度") and "培育數位經濟跨域人才" not in e.text


def test_a_two_year_total_of_a_yearly_target_is_checked_on_the_derived_sum(check):
    # 「鼓勵企業提供優質數位轉型實習職缺 303 個」 under 112 and under 113: 606 over both
    v = check("112至113年鼓勵企業提供優質數位轉型實習職缺共660個。", doc_ids=[MOEA])
    assert v.verdict == "contradicted" and v.correct_value == "606 個", v.note
    assert check("112至113年鼓勵企業提供優質數位轉型實習職缺共606個。", doc_ids=[MOEA]).verdict == "supported"
    # each year's target is no two-year total
    v = check("In each of 2023 and 2024 the plan targets 303 quality digital-transformation internships.",
              doc_ids=[MOEA])
    assert v.verdict != "contradicted", v.note


@pytest.mark.parametrize(("claim", "doc", "note"), [
    # the part stated in the claim: 19.225 / 36.765 億元
    ("分項二「建構多元產業應用」全程經費 19.225 億元，約占總經費的 52%。", MODA, "19.225 億元 ÷ 36.765 億元"),
    # the part named: 分項三's 合計 over the plan's 總計
    ("開發 AI 技術及驗證分項占全程總經費約 30.7%。", MODA, "11.300 億元 ÷ 36.765 億元"),
    # one year's: 分項二's 108 budget over the plan's 108 subtotal
    ("The AI sub-project (分項二) accounts for about 47% of the programme's 2019 budget.", MOST,
     "350,000 千元 ÷ 740,000 千元"),
])
def test_a_share_the_plan_does_not_print_is_computed_from_its_amounts(check, claim, doc, note):
    v = check(claim, doc_ids=[doc])
    assert v.verdict is VerdictKind.SUPPORTED and note in v.note, v.note
    # another share is not supported (nor contradicted by the arithmetic)
    wrong = check(claim.replace("52%", "62%").replace("30.7%", "40.7%").replace("47%", "57%"), doc_ids=[doc])
    assert wrong.verdict is not VerdictKind.SUPPORTED, wrong.note


def test_a_budget_kind_the_claim_says_there_is_none_of_is_not_its_figures(check):
    # 表 8: 建構國際 AI 創新樞紐 合計 既有 0.00, 新增 8.90, 預算總額 8.90 億元
    v = check("「建構國際AI創新樞紐」主軸全數為新增預算，四年合計8.90億元，無既有預算。", doc_ids=[EY])
    assert v.verdict is VerdictKind.SUPPORTED, v.note


def test_online_training_is_the_plans_online_academy(check):
    # 「DIGI+Academy 數位網路學院線上培訓 AI 相關人才累計達 4,500 人次」 (終點目標)
    v = check("DIGI+Academy online AI training is planned to reach a cumulative 4,500 person-times over 2018–2021.",
              doc_ids=[EY])
    assert v.verdict is VerdictKind.SUPPORTED, v.note


@pytest.mark.parametrize(("claim", "doc", "right"), [
    # 表 4: 子項 2.2 1.700 億元 each year
    ("子項 2.2「製造業 AI 轉型推動」每年 1.7 億元，四年共 6.3 億元。", MODA, "6.8 億元"),
    # Simplified: the sum word is read on the claim's Traditional form (合计 → 合計)
    ("子项 2.2「制造业 AI 转型推动」每年 1.7 亿元，四年合计 6.3 亿元。", MODA, "6.8 億元"),
    # 112 年度經費需求表: 48,440 and 43,590 千元
    ("文化與新興科技人才培育 48,440 千元加上產學共育智慧製造尖兵 43,590 千元，合計 93,030 千元。", MOEA, "92,030 千元"),
    # 「每年橋接 5 位 AI 人才返國」; 25 is only a contents page's 「頁次：25」
    ("科技部「海外人才歸國橋接方案」預計每年延攬 5 位 AI 人才歸國，四年共 25 人。", EY, "20 人"),
])
def test_a_total_the_claims_own_figures_give_otherwise_is_contradicted(check, claim, doc, right):
    v = check(claim, doc_ids=[doc])
    assert v.verdict is VerdictKind.CONTRADICTED and right in v.note, v.note
    # the right total stands
    fixed = claim.replace("6.3 億元", "6.8 億元").replace("6.3 亿元", "6.8 亿元").replace("93,030", "92,030").replace("25 人", "20 人")
    assert check(fixed, doc_ids=[doc]).verdict is not VerdictKind.CONTRADICTED


def test_the_fact_carrying_the_claims_labels_contradicts_it(check):
    # 「(三)細部計畫三…本細部計畫編列 53,290 千元」 and 「…補助款 29,283 千元」: the 補助款's
    v = check("细部计划三“人才培育交流平台与推动计划”的补助款为45,180千元。", doc_ids=[MOEA])
    assert v.verdict is VerdictKind.CONTRADICTED and "29,283" in v.correct_value, v.note


def test_no_capital_expenditure_is_the_tables_zero(check):
    # 表 5: 資本門 of every executing unit 0.000 億元 each year
    v = check("本计划各执行单位的资本门经费每年都是 0，经费全部属于经常门。", doc_ids=[MODA])
    assert v.verdict is VerdictKind.SUPPORTED, v.note


def test_a_plan_target_stated_in_its_component_supports_the_plans_claim(check):
    # 分項一: 「每年培育…至少 35 隊 AI 產業艦隊、全程培育至少 140 隊」
    v = check("本計畫全程至少要培育140隊AI產業艦隊。", doc_ids=[MODA])
    assert v.verdict is VerdictKind.SUPPORTED, v.note


def test_kilometres_are_never_contradicted_by_hours(check):
    # 「完成 6 萬公里資料蒐集及道路物件標記」 beside 「累積 2,000 小時影像資料」
    v = check("The Taiwan road street-view image database is to complete 60,000 km of data collection "
              "and object labelling in 2020.", doc_ids=[EY])
    assert v.verdict is not VerdictKind.CONTRADICTED, v.note


def test_a_rate_of_the_whole_plan_is_contradicted_by_its_statement_in_a_part(check):
    # 「本計畫補助每名訓儲菁英至多一年期新臺幣(以下同)一百零五萬元整」 (分項一's section)
    v = check("本計畫補助每名訓儲菁英至多一年期新臺幣 120 萬元。", doc_ids=[MOST])
    assert v.verdict is VerdictKind.CONTRADICTED and "105" in v.correct_value, v.note


def test_the_figure_next_to_the_claims_other_figure_contradicts_with_less_certainty(check):
    # 「每年200家合作廠商參與人才培訓，全期程600家合作廠商」: 600 locates the 200
    v = check("The PhD programme targets 300 partner companies per year and 600 over the full term.", doc_ids=[MOST])
    assert v.verdict is VerdictKind.CONTRADICTED and "200 家" in v.correct_value, v.note


def test_a_fact_stating_the_claims_next_figure_does_not_contradict_this_one(check):
    # 「原訂達成半導體人才培訓 980 人次，…挑戰目標訂為年度培訓半導體人才…達 1,000 人次」
    v = check("The semiconductor talent item targets 980 trainee person-times a year, with a stretch goal of 1,000.",
              doc_ids=[MOEA])
    assert v.verdict is VerdictKind.SUPPORTED, v.note


@pytest.mark.parametrize("claim", [
    "Average annual funding for 分項三 (AI technology development and validation) is about NT$282.5 million.",
    "「開發 AI 技術及驗證」分項平均每年經費約 2.825 億元。",
])
def test_a_yearly_average_is_checked_on_the_whole_period_amount(check, claim):
    # 分項三: 11.300 億元 over 114-117; its years' cells (2.300, 3.000) are not its average
    v = check(claim, doc_ids=[MODA])
    assert v.verdict in (VerdictKind.SUPPORTED, VerdictKind.APPROXIMATELY), v.note
    assert "11.300 億元 ÷ 4 年" in v.evidence[0].text
    # another average is not stated -- and no one year's figure contradicts it
    other = check(claim.replace("282.5", "350").replace("2.825", "3.000"), doc_ids=[MODA])
    assert other.verdict is VerdictKind.NOT_FOUND, other.note


def test_a_result_dated_only_by_its_section_lead(check):
    # 「補助 36 家企業」 is listed under 「本計畫前期 110 年之年度重要執行成果」
    v = check("110 年補助 36 家企業自主投入人才培育。", doc_ids=[MOEA])
    assert v.verdict == "supported", v.note
    assert v.evidence[0].page == 57
    # the section's year is not another year's: no 36 家 is stated for 112
    assert check("112 年補助 36 家企業自主投入人才培育及客製實作培育場域。", doc_ids=[MOEA]).verdict != "supported"
    # ... and it states that year's figure: another value for it is contradicted
    v = check("110 年補助 48 家企業自主投入人才培育。", doc_ids=[MOEA])
    assert v.verdict == "contradicted" and v.correct_value == "36 家", v.note


@pytest.mark.parametrize(("claim", "verdict"), [
    ("108-2 場次的構想收件截止日為 7 月 15 日。", "supported"),
    # 5 月 31 日 is the 108-1 round's idea deadline (and 108-2's problem posting)
    ("108-2 場次的構想收件截止日為 5 月 31 日。", "contradicted"),
    ("108-1 場的構想收件截止日為 5 月 31 日。", "supported"),
])
def test_a_round_is_checked_in_its_own_column(check, claim, verdict):
    v = check(claim, doc_ids=[AIGO])
    assert v.verdict == verdict, v.note
    if verdict == "contradicted":
        assert v.correct_value == "7月15日"   # as the table prints it


@pytest.mark.parametrize("claim", ["根據 2023 年 9 月 Bloomberg 報導，臺灣在全球 AI 經濟發展受益國家中排名第 4。",
                                   "Bloomberg ranked Taiwan 4th among countries benefiting from AI economic development."])
def test_a_rank_is_checked_against_the_plans_rank(check, claim):
    # the plan: 「臺灣在全球 AI 經濟發展受益國家僅排行第 14 名」; a rank is no count
    v = check(claim, doc_ids=[MODA])
    assert v.verdict == "contradicted", v.note
    # (the month of the report is a figure too, and the plan states it)
    assert v.correct_value in ("第 14 名", "2023 年 9 月；第 14 名") and v.evidence[0].page == 5
    assert check(claim.replace("第 4", "第 14").replace("4th", "14th"), doc_ids=[MODA]).verdict == "supported"


@pytest.mark.parametrize(("claim", "doc", "verdict"), [
    ("本計畫期程為 2025 年至 2028 年，共 4 年。", MODA, "supported"),
    ("這項計畫執行期間為 114 至 117 年，也就是 2025 到 2028 年，共四年。", MODA, "supported"),
    ("The programme runs from 2017 to 2020.", MOST, "supported"),
    ("本計畫執行期間為 112 至 113 年。", MOEA, "supported"),          # its 執行期間, not its 全程
    ("本計畫期程自 2025 年至 2028 年，共計 5 年。", MODA, "contradicted"),   # the length
    ("The MODA AI industry application plan runs from 2024 to 2027.", MODA, "contradicted"),
    ("该计划期程为 2025 年至 2029 年，共 5 年。", MODA, "contradicted"),
    ("前期計畫期程為 110 至 111 年。", MOEA, "not_found"),             # another phase: no period claim
])
def test_a_claim_about_the_plans_period(check, claim, doc, verdict):
    v = check(claim, doc_ids=[doc])
    assert v.verdict == verdict, v.note
    if verdict != "not_found":
        assert v.evidence[0].doc_id == doc and v.correct_value
    if doc == MODA and verdict != "not_found":
        assert v.correct_value == "114 年至 117 年" and v.evidence[0].page == 51


@pytest.mark.parametrize("claim", ["分項一 108 年度經費為 3.9 億元", "分項二 108 年度經費為 35,000 萬元",
                                   "分项二 108 年度经费 350,000 千元",
                                   "Subproject 2 budget for 2019 is NT$350 million."])
def test_units_scripts_and_languages(check, claim):
    v = check(claim)
    assert v.verdict == "supported", v.note
    assert v.evidence[0].doc_id == MOST and v.evidence[0].page == 13


def test_kpi_sentence_and_multi_level_table_cell(check):
    v = check("數位經濟產業 AI 應用普及率 2028 年目標 50%")
    assert v.verdict == "supported" and v.evidence[0].doc_id == MODA
    assert "2028" in v.evidence[0].text and v.evidence[0].table == ""
    v = check("分項二 108 年度人事費 116,000 千元")
    assert v.verdict == "supported"
    assert "經常支出" in v.evidence[0].column and "人事費" in v.evidence[0].column
    v = check("AI 領航推動 109 年新增預算為 12.00 億元。")
    assert v.verdict == "supported" and v.evidence[0].column == "109 新增" and v.evidence[0].row == "AI 領航推動"


def test_a_rounded_english_figure_of_a_merged_total_cell(check):
    # 表 8 合計 108 = 104.77 億元, printed across the 既有 and 新增 columns
    # "roughly NT$10.48 billion" is 104.77 億元 rounded half up at its last digit: supported, saying so
    v = check("In 2019 the action plan's combined existing and new funding comes to roughly NT$10.48 billion.")
    assert v.verdict == "supported", v.note
    assert v.correct_value == "104.77 億元" and v.evidence[0].column == "108"
    assert "rounded: the plan states 104.77 億元" in v.note
    # 約 370 億元 is 表 8's 366.24 億元 rounded at 10 億元; 約 360 億元 cuts it off: approximately
    v = check("臺灣 AI 行動計畫四年經費合計約 370 億元。")
    assert v.verdict == "supported" and v.correct_value == "366.24 億元", v.note
    v = check("臺灣 AI 行動計畫四年經費合計約 360 億元。")
    assert v.verdict == "approximately" and v.correct_value == "366.24 億元", v.note


def test_the_plan_is_not_contradicted_by_its_component_named_like_it(check):
    # 分項一 of 重點產業高階人才培訓與就業計畫 bears the plan's own name: its
    # 108 figure (390,000 千元) is not the plan's (740,000 千元 = 7.4 億元)
    v = check("重點產業高階人才培訓與就業計畫108年度的經費為7.4億元。")
    assert v.verdict != "contradicted", v.note
    v = check("分項一重點產業高階人才培訓與就業計畫108年度的經費為7.4億元。")
    assert v.verdict == "contradicted" and v.correct_value == "390,000 千元"


def test_an_english_sum_over_named_years(check):
    # 108 and 109 申請數 740,000 千元 each: "2019 and 2020 … add up to" is their sum
    v = check("The plan's budgets for 2019 and 2020 (ROC 108 and 109) add up to NT$1.48 billion.", doc_ids=[MOST])
    assert v.verdict == "supported", v.note
    assert v.correct_value == "1,480,000 千元"
    # a sum the two years' cells do not add up to is not supported (it was
    # once contradicted by 2020's cell alone, when "and" ended the clause)
    assert check("The plan's budgets for 2019 and 2020 add up to NT$1.6 billion.", doc_ids=[MOST]).verdict != "supported"


def test_an_english_sum_over_years_joined_by_and(check):
    # 分項二 350,000 千元 in 108 and in 109: "across 2019 and 2020" is their
    # sum -- "and" between two years joins them, it does not end a clause
    v = check("Sub-project 2 (AI smart application talent) is budgeted NT$700 million across 2019 and 2020.",
              doc_ids=[MOST])
    assert v.verdict == "supported", v.note
    # one year's 350,000 千元 does not contradict the two years' sum
    v = check("The program's approved budget for 2023 and 2024 combined is NT$550 million.", doc_ids=[MOEA])
    assert v.verdict != "contradicted", v.note


def test_an_agency_named_over_two_table_rows_is_one_agency(check):
    # moda 表 5 prints 「經常門 經濟部 … 7.400」 over 「資本門 產業技術司 …」
    v = check("經濟部產業技術司在本計畫4年合計經費為7.4億元。", doc_ids=[MODA])
    assert v.verdict == "supported", v.note
    v = check("經濟部產業發展署114年度經費為1.4億元。", doc_ids=[MODA])
    assert v.verdict == "contradicted" and v.correct_value == "1.970 億元", v.note


def test_a_cost_class_the_claim_says_there_is_none_of_labels_no_figure(check):
    # 人事費 69,386 千元 in 112 and 113; "has no capital expenditure" does
    # not put 人事費 under 資本
    v = check("In both 2023 and 2024 the talent plan spends NT$69.386 million a year on personnel "
              "and has no capital expenditure.", doc_ids=[MOEA])
    assert v.verdict == "supported", v.note


def test_an_english_span_is_the_whole_periods_figure(check):
    """"for 2021 through August 2025" is the plan's whole period (全程期間 110
    年 1 月至 114 年 8 月): the 112-113 row's 560,000 千元 is another span's
    figure and may not contradict it."""
    v = check("MOEA's Digital and Special Technology Talent Development Plan lists resources of "
              "NT$1.533 billion for 2021 through August 2025.", doc_ids=[MOEA])
    assert v.verdict == "supported", (v.correct_value, v.note)
    assert v.correct_value == "1,533,000 千元"


def test_a_chinese_sum_over_listed_years(check):
    # 「108 與 109 年」: 108 is a year, not a figure; 合計 sums the two (740,000 千元 each)
    v = check("本計畫108與109年經費合計148,000萬元", doc_ids=[MOST])
    assert v.verdict == "supported", v.note
    assert v.correct_value == "1,480,000 千元"
    assert check("本計畫108與109年經費合計150,000萬元", doc_ids=[MOST]).verdict != "supported"
    assert check("本計畫108年與109年經費合計1,480,000千元", doc_ids=[MOST]).verdict == "supported"


def test_a_sum_over_part_of_the_period_is_not_the_whole_periods_total(check):
    # 表 8 場域與法規開放 既有: 107-109 sum to 87.03 億元; its 合計 既有
    # 87.26 億元 covers 107-110 and must not contradict the three-year sum
    ey = "ey-2018-taiwan-ai-action-plan"
    v = check("「場域與法規開放」2018 至 2020 年三年的既有預算合計 87.03 億元。", doc_ids=[ey])
    assert v.verdict == "supported", v.note
    assert check("「場域與法規開放」2018 至 2020 年三年的既有預算合計 88.03 億元。", doc_ids=[ey]).verdict != "supported"


def test_a_list_neighbour_does_not_contradict_an_english_claim(check):
    # 「2 個月培育期(每人時數至少 250 小時)或 3 個月培育期\n(每人時數至少
    # 380 小時)或 4 個月…510 小時」: nothing in the English claim tells the
    # three figures of the one sentence apart, so none contradicts it
    v = check("Under the iPAS hands-on training subsidy, a three-month training track requires at least "
              "380 hours per student.", doc_ids=["moea-2023-digital-talent"])
    assert v.verdict != "contradicted", v.note


def test_a_list_neighbour_does_not_contradict_a_figure_named_by_its_own_words(check):
    # 「共選出具有創意的5個傑出獎、22個優等獎及19個佳作獎」: 22 sits next to
    # 優等獎, the claim's own word; 5 (傑出獎) scores higher on the rest of
    # the sentence but may not contradict it
    v = check("第一屆解題競賽第一階段共選出 22 個優等獎。", doc_ids=["moeaidb-2019-aigo-intro"])
    assert v.verdict != "contradicted", v.note


def test_the_plans_title_names_the_plan_not_a_subject(check):
    # 「本行動方案預期未來四年投入約 360 億元」: the words of the title do not
    # pull the claim towards a row that shares them (AI 領航推動計畫 100 億元)
    v = check("臺灣 AI 行動計畫四年投入約 360 億元")
    assert v.verdict == "supported", v.note
    assert v.evidence[0].page == 25 and v.correct_value == "約 360 億元"


def test_a_plan_named_by_its_owner_and_subtitle_is_the_whole_plan(check):
    # 「晶片驅動臺灣產業創新-AI產業應用與普及發展計畫」 is named by the part
    # after its dash, and 數位發展部 before it is the plan's owner -- not the
    # 「經常門 數位發展部」 row of its budget table (21.395 億元)
    v = check("數位發展部的「AI 產業應用與普及發展計畫」四年總經費為 36.765 億元", doc_ids=[MODA])
    assert v.verdict == "supported", v.note
    assert v.correct_value == "36.765 億元"


# ------------------------------------------------------------ contradicted
@pytest.mark.parametrize("claim, value", [
    ("分項二 108 年度經費為 360,000 千元", "350,000 千元"),          # figure
    ("分項二 109 年度經費為 350,000 萬元", "350,000 千元"),          # unit
    ("分項一 106 年度經費為 390,000 千元", "10,000 千元"),           # year the plan covers
    ("分項一 108 年度經費為 350,000 千元", "390,000 千元"),          # 分項
    ("分項二 108 年度材料費為 116,000 千元", "0 千元"),              # cost category
    ("分項二 108 年度資本支出 116,000 千元", "0 千元"),               # cost class
    ("場域與法規開放 110 年既有預算為 7.00 億元", "0.23 億元"),       # 既有 vs 新增
    ("111 年推動數位人才認證培育 2,400 人次", "3,700 人次"),          # KPI of another year
    ("數位經濟產業 AI 應用普及率 2028 年目標 60%", "50%"),
    # 核定數, not the 280,000 送審數 nor a component's figure
    ("The approved (核定) 2023 budget of the Digital and Special Technology Talent plan was NT$280 million.",
     "275,000 千元"),
])
def test_changed_claims_are_contradicted_with_the_plans_value(check, claim, value):
    v = check(claim)
    assert v.verdict == "contradicted", v.note
    assert v.correct_value == value


@pytest.mark.parametrize("claim, value, stated_for", [
    # milestones (p.22-23): 「(三) 促成國際人才循環交流 59 人次」 under 112 and
    # 113 年, 「… 20 人次」 under 114 年
    ("114年（至8月）國際人才循環交流目標為59人次。", "20 人次", "112 年"),
    ("114年度（8月）里程碑为促成国际人才循环交流59人次。", "20 人次", "112 年"),
    ("The August 2025 (ROC 114) milestone targets 2,400 person-times of digital talent certification training.",
     "2,200 人次", "112 年"),
])
def test_another_years_figure_is_contradicted_by_the_claimed_years(check, claim, value, stated_for):
    v = check(claim, doc_ids=[MOEA])
    assert v.verdict == "contradicted", v.note
    assert v.correct_value == value
    assert f"the plan's figure for {stated_for}" in v.note


def test_a_year_printed_bare_is_no_figure(check):
    # 「產出21個產業AI解決方案107解題競賽成果案例」: 107 is the year (2018)
    v = check("AIGO's first round in 2018 produced 21 industry AI solutions.", doc_ids=[AIGO])
    assert v.verdict == "supported", v.note


def test_a_year_another_figure_gives_is_no_year_swap(check):
    # 2 億元 takes 114 from 1.4 億元; the plan's 115 年 2.000 億元 is no swap
    v = check("經濟部產業技術司經常門四年合計 7.4 億元，114 年 1.4 億元，之後每年 2 億元。", doc_ids=[MODA])
    assert v.verdict != "contradicted", v.note


@pytest.mark.parametrize("claim, right, fixed", [
    # 「種子師資 250 人次、第二專長 AI 人才 350 人次」 (p.46)
    ("分項二目標培訓 AI 人才 4,800 人次，其中種子師資 350 人次、第二專長 AI 人才 250 人次。", {"250 人次", "350 人次"},
     "分項二目標培訓 AI 人才 4,800 人次，其中種子師資 250 人次、第二專長 AI 人才 350 人次。"),
    # 「學研單位招募 563 人、產業單位招募 547 人」
    ("依人力銀行資料，學研單位招募 547 人，產業單位招募 563 人。", {"563 人", "547 人"},
     "依人力銀行資料，學研單位招募 563 人，產業單位招募 547 人。"),
    # printed side by side, each for the other's thing: a classifier decides
    # (「淬鍊解題團隊33隊,共計入圍46案AI構想」), a column decides (場域與法規開放 108:
    # 既有 29.10, 新增 6.50 億元)
    ("107 年第一屆淬鍊解題團隊 46 隊，共計入圍 33 案 AI 構想。", {"33 隊", "46 案"},
     "107 年第一屆淬鍊解題團隊 33 隊，共計入圍 46 案 AI 構想。"),
    ("場域與法規開放 108 年既有預算 6.50 億元、新增預算 29.10 億元。", {"29.10 億元", "6.50 億元"},
     "場域與法規開放 108 年既有預算 29.10 億元、新增預算 6.50 億元。"),
    # one KPI table cell (row 「L.促成投資」): the row label both figures share tells neither apart
    ("分項二目標促成企業投資 AI 相關達 20 億元，AI 相關產值提升 10 億元。", {"10 億元", "20 億元"},
     "分項二目標促成企業投資 AI 相關達 10 億元，AI 相關產值提升 20 億元。"),
    # English: each figure's own words, through the glossary and CC-CEDICT
    # (「銀牌2隊…銅牌3隊」; 「獲獎團隊依照本國所得稅法代扣10%稅額」 / 「外籍人士需代扣20%稅額」)
    ("In the first AIGO round's startup awards, two teams won bronze and three teams won silver.",
     {"2 隊", "3 隊"},
     "In the first AIGO round's startup awards, three teams won bronze and two teams won silver."),
    ("Winning teams have 20% withheld under Taiwan's income tax law, while foreign nationals have 10% withheld.",
     {"10%", "20%"},
     "Winning teams have 10% withheld under Taiwan's income tax law, while foreign nationals have 20% withheld."),
])
def test_two_figures_swapped_are_contradicted(check, claim, right, fixed):
    v = check(claim)
    assert v.verdict == "contradicted", v.note
    assert "swapped" in v.note and right <= set(v.correct_value.split("；"))
    # in their right places they are supported
    assert check(fixed).verdict == "supported"


def test_a_yearly_and_a_whole_term_figure_are_not_swapped(check):
    # 「每年橋接 5 位 AI 人才返國」 (p.38) and 「吸引海外人才歸國共 20人」 (p.28):
    # each claimed figure's period (每年 / 全程) is its own fact's
    v = check("科技部透過海外人才歸國橋接方案，每年預計延攬 5 位 AI 人才，全程共 20 人。")
    assert v.verdict == "supported", v.note


def test_a_figure_paired_with_another_figures_partner_is_contradicted(check):
    # 「3 個月培育期(每人時數至少 380 小時)或 4 個月培育期(每人時數至少 510 小時)」:
    # either figure may be the one changed -- 4 個月 goes with 510 小時, and
    # 380 小時 with 3 個月 -- and the plan's value for it is given
    v = check("iPAS 實作培育若採 4 個月培育期，每人時數至少 380 小時。", doc_ids=[MOEA])
    assert v.verdict == "contradicted", v.note
    assert "510 小時" in v.correct_value or "3 個月" in v.correct_value.split("；"), v.correct_value
    assert check("iPAS 實作培育若採 3 個月培育期，每人時數至少 380 小時。", doc_ids=[MOEA]).verdict == "supported"


def test_a_changed_second_figure_of_a_stated_change_is_never_supported(check):
    # 表1 (p.12): 「製造業導入 AI 應用普及率由12.3%(2023 年)升至 50%」.  The
    # figure after the supported 12.3% in the plan's sentence states another
    # value: the claim does not stand on 12.3% alone
    claim = "計畫目標將製造業導入 AI 應用普及率由 12.3% 提升至 60%。"
    trace: list = []
    v = check(claim, doc_ids=[MODA], trace=trace)
    assert trace[1][FEATURES.index("other_follows_anchor")] == 1.0
    assert v.verdict != "supported", v.note
    assert check(claim.replace("60%", "50%"), doc_ids=[MODA]).verdict == "supported"


@pytest.mark.parametrize("claim, doc, verdict, value", [
    ("申請解題者原則上須年滿 20 歲並具中華民國國籍。", "moeaidb-2019-aigo-intro", "supported", "20 歲"),
    ("海外人才歸國橋接方案（LIFT）延攬的是40歲以下的優秀博士人才。", EY, "contradicted", "45 歲以下"),
    ("訓儲菁英赴合作廠商的實習訓練至少須達六個月。", MOST, "supported", "6 個月"),
    ("臺灣AI行動計畫於2018年6月29日經行政院函核定。", EY, "supported", "107 年 6 月 29 日"),
    ("The Taiwan AI Action Plan was approved by the Executive Yuan on 29 June 2017.", EY, "contradicted",
     "107 年 6 月 29 日"),
])
def test_ages_durations_and_dates_are_checked(check, claim, doc, verdict, value):
    v = check(claim, doc_ids=[doc])
    assert v.verdict == verdict, v.note
    assert value in v.correct_value, v.correct_value


def test_an_undated_goal_is_the_plans_for_its_own_period(check):
    """moea-2023 runs 112-113 (執行期間): its 關鍵成果 state no year, and are
    the figures of that period -- of no other span, and no undated amount
    (a rule's 「1 億元」) becomes a figure of the period."""
    v = check("112 至 113 年共推動產業人才數位技能培訓 6,540 人次。", doc_ids=[MOEA])
    assert v.verdict == "supported", v.note
    assert "6,540" in v.correct_value
    assert check("110 至 111 年共推動產業人才數位技能培訓 6,540 人次。", doc_ids=[MOEA]).verdict != "supported"


def test_cost_class_figures_of_a_form_are_money(check):
    """most-2018's A003 form: 人事費 116,000 and 其他經常支出 624,000 (千元
    printed once, on its subtotal row) -- swapped, they are contradicted,
    each row's value given (verify._crossed: each figure's best fact states
    the other's value)."""
    v = check("108 年度本計畫經費 740,000 千元中，人事費為 624,000 千元、其他經常支出為 116,000 千元。", doc_ids=[MOST])
    assert v.verdict == "contradicted", v.note
    assert "swapped" in v.note and {"116,000 千元", "624,000 千元"} <= set(v.correct_value.split("；"))
    # a year's figure and the two years' total are not a swap
    w = check("人才培育課程與認證機制每年規劃實務數位課程 30 門，兩年共 60 門。")
    assert w.verdict != "contradicted"
    # in order they are supported; 「108 年度全計畫」 is the plan's 108 (each
    # figure takes that year), not its whole period
    r = check("108 年度全計畫人事費 116,000 千元，其他經常支出 624,000 千元。", doc_ids=[MOST])
    assert r.verdict == "supported", r.note


def test_cost_category_in_the_wrong_class_is_never_supported(check):
    v = check("分項二 108 年度人事費 116,000 千元編列於資本支出。")
    assert v.verdict == "contradicted"
    assert v.correct_value == "116,000 千元" and "經常支出" in v.note
    assert "經常支出" in v.evidence[0].column


def test_approved_versus_submitted_budget(check):
    v = check("數位與特殊技術人才發展計畫 113 年度核定經費為 280,000 千元。")
    assert v.verdict == "contradicted" and v.correct_value == "275,000 千元"
    assert "280,000 千元" in {c.value for c in v.conflicts}  # the 送審數, reported as another value


@pytest.mark.parametrize("claim", [
    "博士級產業訓儲菁英的培訓酬金為每月新臺幣 6 萬元。",               # the plan: 每月 6 萬; 每名 1 年期 105 萬元
    "Each PhD-level trainee is paid NT$60,000 a month during training.",
])
def test_a_figure_per_month_is_never_contradicted_by_a_yearly_one(check, claim):
    """「每名 … 1 年期 105 萬元」 is another quantity than a monthly pay: it
    may not contradict it (the rate gate of decision.call)."""
    v = check(claim, doc_ids=[MOST])
    assert v.verdict is not VerdictKind.CONTRADICTED, (v.correct_value, v.note)


# --------------------------------------------------------------- not found
def test_an_approximate_figure_of_another_passage_supports_nothing(check):
    # the plan: 「2.培育內容(30%)」 (p.51) and, about its budget, 「減少約 30%」
    v = check("「數位人才招募式培育」專業審查中，「培育內容」一項占35%權重。", doc_ids=[MOEA])
    assert v.verdict not in (VerdictKind.SUPPORTED, VerdictKind.APPROXIMATELY), v.note


@pytest.mark.parametrize("claim", [
    "分項二 110 年度經費為 350,000 千元",     # the plan ends in 109
    "分項二 2030 年經費為 350,000 千元",
    "AI 領航推動 111 年新增預算為 12.00 億元",
    "本計畫 108 年度國外旅費為 2,000 千元",   # never stated
    "月球基地 2025 年預算 500 億元",
    "分項二的經費很充足",                      # no figure
])
def test_what_the_plans_do_not_state_is_not_found(check, claim):
    v = check(claim)
    assert v.verdict == "not_found", (v.correct_value, v.note)
    assert v.correct_value is None and v.evidence == []


@pytest.mark.parametrize("claim, parts", [
    ("AI 人才分項全程培訓 4,800 人次，其中產業在職員工 4,200 人次，占比約 87.5%。", "4,800 人次、4,200 人次"),   # a share
    ("行動方案 108 年總經費 104.77 億元，比 107 年的 92.59 億元多出 12.18 億元。", "104.77 億元、92.59 億元"),  # a difference
])
def test_a_figure_computed_from_supported_ones_is_supported(check, claim, parts):
    """The plans never print 87.5% or 12.18 億元: they follow from the
    claim's other figures, which the plans state."""
    v = check(claim)
    assert v.verdict is VerdictKind.SUPPORTED and f"follows from the claim's {parts}" in v.note


@pytest.mark.parametrize("claim", [
    "AI 人才分項全程培訓 4,800 人次，其中產業在職員工 4,200 人次，占比約 91%。",
    "行動方案 108 年總經費 104.77 億元，比 107 年的 92.59 億元多出 14.18 億元。",
    # a total after 預算總額 / 「四年共」: 60.49 + 0.60 is 61.09, 1.7 × 4 is 6.8
    "產業 AI 化既有 60.49 億元加新增 0.60 億元，四年預算總額 61.69 億元。",
    "子項 2.2「製造業 AI 轉型推動」每年 1.7 億元，四年共 6.3 億元。",
])
def test_a_miscomputed_figure_is_never_supported(check, claim):
    assert check(claim).verdict is not VerdictKind.SUPPORTED


def test_document_filter(check):
    assert check("分項二 108 年度經費為 350,000 千元", doc_ids=[MOST]).verdict == "supported"
    assert check("分項二 108 年度經費為 350,000 千元", doc_ids=[MODA]).verdict != "supported"


# --------------------------------------------------------------- conflicts
def test_narrative_4_yi_conflicts_with_the_table(check):
    v = check("分項一 109 年度經費為 390,000 千元")
    assert v.verdict == "supported"
    (c,) = v.conflicts
    assert c.value == "4 億元" and c.evidence.page == 11 and c.evidence.table == ""
    assert "4億元" in c.evidence.text


def test_one_count_stated_twice_conflicts(check):
    # 「每年 200 家合作廠商參與人才培訓」 against 「本計畫以每年 100 家廠商參與為計畫指標」:
    # the same count per year of the same thing (its words after 家)
    v = check("每年有 200 家合作廠商參與人才培訓。")
    assert v.verdict == "supported"
    assert "100 家" in {c.value for c in v.conflicts}


def test_submitted_versus_approved_conflict(check):
    # the plan states 275,000 (核定) and 280,000 (送審): a claim naming no
    # stage is never contradicted by either
    assert check("數位與特殊技術人才發展計畫 112 年度經費為 275,000 千元").verdict != "contradicted"
    assert check("數位與特殊技術人才發展計畫 112 年度核定經費為 275,000 千元").verdict == "supported"
    # a named stage is matched: the other stage's figure is the right value
    v = check("數位與特殊技術人才發展計畫 112 年度送審經費為 275,000 千元")
    assert v.verdict == "contradicted" and v.correct_value == "280,000 千元"


def test_text_total_conflicts_with_table_8(check):
    v = check("表 8 各行動子計畫四年經費合計為 366.24 億元。")
    assert v.verdict == "supported" and v.evidence[0].row == "合計"
    assert [c.value for c in v.conflicts] == ["約 360 億元"]


def test_a_claim_about_the_whole_plan_is_not_checked_against_a_part(check):
    """A claim that names the whole plan (本計畫) and no 分項/子項 is decided
    by the plan's own figure: a 分項's cell beside it may not contradict it
    (decision.CONTRADICTION_GATES, issue 12), and a wrong whole-plan figure
    is contradicted by the plan's total, not by a part's."""
    trace: list = []
    v = check("本计划114年度（执行至8月）的经费为1.86亿元。", doc_ids=[MOEA], trace=trace)
    assert v.verdict == "supported" and v.correct_value == "186,000 千元"
    assert trace[0][FEATURES.index("other_part_of_whole_plan")] == 1.0
    # never contradicted by a part's figure; the model of 2026-12-06 is not
    # sure enough of the plan's total here (P(contradiction) 0.36) to call it
    w = check("本计划114年度（执行至8月）的经费为2.86亿元。", doc_ids=[MOEA])
    assert w.verdict != "supported"
    assert w.verdict == "not_found" or w.correct_value == "186,000 千元", w.correct_value
    assert check("本計畫 4 年總經費為 36.765 億元。", doc_ids=[MODA]).verdict == "supported"
    assert check("本計畫 4 年總經費為 38.765 億元。", doc_ids=[MODA]).correct_value == "36.765 億元"
    # 表 6 names 分項三 by its name only (「開發 AI 技術及驗證 合計 11.300」):
    # still a part, so it does not contradict the whole plan's 36.765 億元
    v = check("The MODA AI adoption plan costs NT$3.6765 billion over four years.", doc_ids=[MODA])
    assert v.verdict == "supported" and v.correct_value == "36.765 億元", v.note


def test_a_component_named_without_its_number_is_that_component(check):
    # the MODA plan heads 「分項三、開發 AI 技術及驗證」; a claim naming the
    # 分項 by name is checked against 分項三's total, not its neighbours'
    v = check("「開發 AI 技術及驗證」分項全程預估經費為 19.225 億元。", doc_ids=[MODA])
    assert v.verdict == "contradicted" and v.correct_value.startswith("11.3"), v.note
    v = check("「開發 AI 技術及驗證」分項全程預估經費為 11.3 億元。", doc_ids=[MODA])
    assert v.verdict == "supported", v.note


def test_component_names_in_a_claim():
    from assistant.figures.matching import components_named_in

    names = {"a": {"開發AI技術及驗證": {Group.PART: "3"}, "重點產業計畫": {Group.PART: "1"}},
             "b": {"培育產業即戰人才": {Group.PART: "1"}}}
    titles = {"a": "重點產業計畫", "b": "另一計畫"}
    assert components_named_in("「開發 AI 技術及驗證」分項經費", names, titles) == {Group.PART: "3"}
    # a name that is its plan's title names the plan
    assert components_named_in("重點產業計畫 108 年經費", names, titles) == {}
    # two names that disagree name nothing surely
    assert components_named_in("開發AI技術及驗證與培育產業即戰人才", names, titles) == {}


def test_no_conflict_from_other_rows_or_figures_of_the_same_sentence(check):
    assert check("AI 領航推動 109 年新增預算為 12.00 億元。").conflicts == []
    assert check("AI 醫療影像診斷的目標是讓糖尿病眼底鏡檢查率由 17.4% 提升至 50%。").conflicts == []


# ----------------------------------------------------------- JSON and CLI
def test_to_dict_shape(check):
    d = check("分項二 108 年度經費為 350,000 千元").to_dict()
    json.dumps(d, ensure_ascii=False)
    assert {"claim", "verdict", "correct_value", "unit", "evidence", "conflicts"} <= set(d)
    assert d["verdict"] == "supported"
    assert set(d["evidence"][0]) == {"doc_id", "title", "page", "table", "row", "column", "text"}


def test_verdict_kind_parse_lists_valid_values():
    with pytest.raises(ValueError, match="supported, approximately, contradicted, not_found"):
        VerdictKind.parse("maybe")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300, env=os.environ.copy())


def test_cli_verify_exit_codes_and_json(corpus_index):
    db = str(corpus_index.db)
    p = _cli("verify", "分項二 108 年度經費為 350,000 萬元", "--db", db)
    assert p.returncode == 1, p.stderr
    assert "350,000 千元" in p.stdout and "108 年度 小計" in p.stdout
    p = _cli("verify", "月球基地 2025 年預算 500 億元", "--db", db, "--json")
    assert p.returncode == 3, p.stderr
    assert json.loads(p.stdout)["verdict"] == "not_found"
    p = _cli("verify", "", "--db", db)
    assert p.returncode == 2 and "empty" in p.stderr


def test_cli_audit_json(corpus_index):
    p = _cli("audit", "--doc", EY, "--db", str(corpus_index.db), "--json")
    assert p.returncode == 0, p.stderr
    findings = json.loads(p.stdout)
    assert any(f["kind"] == "inconsistent" and "360" in f["found"] for f in findings)


def test_a_figure_s_neighbour_beside_its_sibling_s_statement_follows_it():
    # the claim lists its figures in the plan's order: the figure next to a
    # statement of the claim's previous figure -- or before one of its next
    # -- is the plan's figure for it, wherever the sibling's evidence is
    text = "● 全程發展行業別應用於 8 個臺灣特色產業，產業應用驗證於 40 家企業，並推動 1,400 家廠商使用。"
    facts = chunk_facts(Chunk(chunk_id="c", doc_id="d", text=text, chunk_type="text", section_path=[], page=1,
                              page_end=1, position=0))
    by = {f.display: f for f in facts}
    sentences = Sentences(FactBase(facts))
    firms, industries = parse_claim("在 8 個產業、共 60 家企業進行產業應用驗證").figures[1], by["8 個"]
    assert sentences.followers(firms.quantity, [industries], []) == {by["40 家"].key}
    first = parse_claim("最高獎金達 100 萬元，總獎金 2,000 萬元").figures[0]
    prize = chunk_facts(Chunk(chunk_id="p", doc_id="d", text="每隊全程一題最高獎金達70萬，計畫全額總獎金高達2,000萬元",
                              chunk_type="text", section_path=[], page=1, page_end=1, position=0))
    total = next(f for f in prize if f.display.startswith("2,000"))
    got = Sentences(FactBase(prize)).followers(first.quantity, [], [total])
    assert got == {next(f for f in prize if f.display.startswith("70")).key}
    # a fact stating another figure of the claim is not this one's neighbour
    assert Sentences(FactBase(prize)).followers(first.quantity, [], [total], taken=got) == frozenset()
