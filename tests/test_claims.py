"""Reading claims and plan text into figures, years, labels and subject words
(assistant.figures.claims, .sentences, .labels).  No index needed."""
from __future__ import annotations

import pytest

from assistant.figures.claims import parse_claim, terms_of
from assistant.figures.sentences import YearSpan, figures_in
from assistant.figures.labels import ANNUAL, MONTHLY, TOTAL, Group, find_labels, label_map


def roc(y: int) -> YearSpan:
    return YearSpan(y + 1911, y + 1911)


# ------------------------------------------------------------------ claims
def test_budget_claim_parts():
    c = parse_claim("分項二 108 年度經費為 350,000 千元。")
    assert c.lang == "zh-TW"
    (f,) = c.figures
    assert f.quantity.kind == "money" and f.quantity.value == 350_000_000
    assert f.years == roc(108)
    assert c.labels[Group.PART] == "2"
    assert {"分項", "項二", "經費"} <= set(c.terms)
    assert not any("年" in t for t in c.terms)  # years are not subject words


def test_cost_category_and_class_labels():
    c = parse_claim("本計畫 112 年度人事費為 69,386 千元，屬經常支出。")
    assert c.labels[Group.COST] == "人事費" and c.labels[Group.DOOR] == "經常"
    assert c.category_error is None
    wrong = parse_claim("分項二 108 年度人事費 116,000 千元編列於資本支出。")
    assert wrong.category_error == ("人事費", "資本")
    # a cost class with a figure of its own is another subject, not the class
    # of the cost item before it
    own = parse_claim("112 年度人事费 6,938.6 万元、材料费 160 万元，资本门为 0。")
    assert own.category_error is None
    assert own.figures[2].labels[Group.DOOR] == "資本" and Group.COST not in own.figures[2].labels


def test_simplified_claim_is_converted_and_traditional_is_left_alone():
    s = parse_claim("本计划补助每名训储菁英一年 150 万元培训经费。")
    assert s.lang == "zh-CN"
    assert "訓儲" in s.terms and "培訓" in s.terms
    assert s.figures[0].quantity.value == 1_500_000  # 150 萬元; 一年 is a duration, not a figure
    assert len(s.figures) == 1
    # OpenCC's Taiwan phrases would turn 導入 into 匯入: Traditional input is kept
    t = parse_claim("製造業導入 AI 應用普及率目標由 12.3%(2023 年)提升至 60%。")
    assert t.lang == "zh-TW" and "導入" in t.norm


def test_each_figure_gets_its_own_year():
    c = parse_claim("數位經濟產業 AI 應用普及率目標由 32.5%(2023 年)提升至 50%(2028 年)。")
    assert [f.years for f in c.figures] == [YearSpan(2023, 2023), YearSpan(2028, 2028)]
    # a year in parentheses belongs to its figure only
    c = parse_claim("製造業導入 AI 應用普及率目標由 12.3%(2023 年)提升至 60%。")
    assert [f.years for f in c.figures] == [YearSpan(2023, 2023), None]


def test_a_total_does_not_take_the_year_of_another_figure():
    c = parse_claim("經濟部的經常門經費四年合計7.970億元，其中114年度為1.970億元。")
    total, year = c.figures
    assert total.years is None and total.labels[Group.PERIOD] == TOTAL
    # 四年合計 before the first figure does not make 114's figure a total
    assert year.years == roc(114) and Group.PERIOD not in year.labels
    e = parse_claim('Sub-project 3 is budgeted at NT$1.13 billion over four years, including NT$230 million in 2025.')
    total, year = e.figures
    assert (total.years, total.labels[Group.PERIOD]) == (None, TOTAL)
    assert year.years == roc(114) and Group.PERIOD not in year.labels
    # a whole-term figure does not take the year of a figure the parser
    # cannot read (a number word), in claims and in plan sentences
    w = parse_claim("Over its full term the plan will produce 10 industry-specific application models, "
                    "three of them in 2025.")
    (models,) = w.figures
    assert models.years is None and models.quantity.classifier == "個"
    # (the plan sentence's side: tests/test_fact_store.py)
    # an English label after the first figure is its clause's own
    k = parse_claim("The track is budgeted at NT$11.765 billion, of which NT$8.055 billion is existing budget.")
    assert Group.KIND not in k.figures[0].labels and k.figures[1].labels[Group.KIND] == "既有"


def test_years_listed_before_a_count_of_years_are_years():
    # 「112、113 兩年…合計」: both numbers are years, and the total is theirs
    c = parse_claim("中小企業數位領導計畫 112、113 兩年經費合計 130,520 千元。")
    (f,) = c.figures
    assert f.quantity.value == 130_520_000 and f.years == YearSpan(2023, 2024)
    c = parse_claim("细部计画二 112 与 113 两年合计 312,900 千元。")
    assert [f.years for f in c.figures] == [YearSpan(2023, 2024)]
    # small numbers before 兩年 are no years
    assert [f.quantity.value for f in parse_claim("培訓 3、5 兩年").figures] == [3, 5]


def test_a_figure_for_each_year_of_a_span_is_one_figure_per_year():
    # 每年 over a span, and 「各」 after listed years: every year's figure
    c = parse_claim("该计划115至117年每年的经费都是9.5亿元。")
    assert [f.years for f in c.figures] == [roc(115), roc(116), roc(117)]
    assert {f.quantity.value for f in c.figures} == {950_000_000}
    assert all(Group.PERIOD not in f.labels for f in c.figures)
    # English: "a year in 2019 and 2020" is each of those years'
    c = parse_claim("Sub-project 2 is budgeted at NT$350 million a year in 2019 and 2020.")
    assert [f.years for f in c.figures] == [roc(108), roc(109)]
    # 每年總經費 is each year's total, not the whole period's
    c = parse_claim("2026 至 2028 年每年總經費均為 9.5 億元。")
    assert [f.years for f in c.figures] == [roc(115), roc(116), roc(117)]
    c = parse_claim("數位與特殊技術人才發展計畫 112、113 年各核定 2.75 億元。")
    assert [f.years for f in c.figures] == [roc(112), roc(113)]
    assert all(f.labels[Group.STAGE] == "核定" for f in c.figures)  # 核定 as a verb names the 核定數
    # 執行 / 保留 right before an amount name the 執行數 / 保留數 (法定數 / 執行數 / 保留數 triples)
    c = parse_claim("106 年度法定預算 1,000 萬元，實際執行約 969.9 萬元、保留 30.1 萬元，執行率約 97%。")
    assert [f.labels.get(Group.STAGE) for f in c.figures][:3] == ["法定", "執行", "保留"]
    # 各 per year, then a total; and two lists, each dating its own figures
    c = parse_claim("分项二 2019 年和 2020 年各编列 3.5 亿元，两年合计 7 亿元。")
    assert [(f.quantity.value, f.years) for f in c.figures] == [
        (3.5e8, roc(108)), (3.5e8, roc(109)), (7e8, YearSpan(2019, 2020))]
    c = parse_claim("全程經費合計 15.33 億元：110、111 年各 3.985 億元，112、113 年各 2.75 億元，114 年 1.86 億元。")
    assert [f.years for f in c.figures][1:] == [roc(110), roc(111), roc(112), roc(113), roc(114)]
    # 每年 after a list of years, and 均 (each equal) even after a year's 合計 of its parts
    c = parse_claim("该计划110年与111年每年经费均为3.985亿元。")
    assert [f.years for f in c.figures] == [roc(110), roc(111)]
    c = parse_claim("108、109 年度各額度經費合計均為 740,000 千元。")
    assert [f.years for f in c.figures] == [roc(108), roc(109)]
    c = parse_claim("112 與 113 年每年培訓 2,400 人次，合計 4,800 人次。")
    assert [f.years for f in c.figures] == [roc(112), roc(113), YearSpan(2023, 2024)]
    # an average (平均) is not each year's figure
    assert len(parse_claim("112 與 113 年平均 3,270 人次。").figures) == 1
    # 每年 with no span, and a span's total, stay one figure
    (f,) = parse_claim("每年培育 500 人").figures
    assert f.labels[Group.PERIOD] == ANNUAL and f.years is None
    (f,) = parse_claim("107 至 110 年合計培育 1,850 人").figures
    assert f.years == YearSpan(2018, 2021)


def test_an_enumeration_shares_its_unit():
    c = parse_claim("新增預算108、109、110年分別為2.80、3.10、3.00億元，四年合計8.90億元。")
    assert [(f.quantity.value, f.years) for f in c.figures] == [
        (2.8e8, roc(108)), (3.1e8, roc(109)), (3e8, roc(110)), (8.9e8, None)]
    assert [(f.quantity.kind, f.years) for f in figures_in("2018、2019 年分別為 10%、20%")] == [
        ("percent", YearSpan(2018, 2018)), ("percent", YearSpan(2019, 2019))]
    # numbers joined by a space are a flattened table's cells, not a list
    assert [f.quantity.unit for f in figures_in("培訓 30 40 人次")] == ["", "人次"]


def test_english_claim_matches_the_plans_words_it_quotes():
    c = parse_claim("The contest (AI+新銳選拔賽) is budgeted at NT$7.5 million in 2025.")
    assert ("新銳",) in c.term_groups and ("選拔",) in c.term_groups


def test_multi_figure_claim_keeps_the_words_next_to_each_figure():
    c = parse_claim("分項二全程培訓 AI 人才 4,800 人次，其中種子師資 350 人次。")
    first, second = c.figures
    assert second.quantity.value == 350 and second.quantity.classifier == "人次"
    assert {"種子", "師資"} <= set(second.local_terms)
    assert "種子" not in first.local_terms
    # the component and the period named before the first figure apply to both
    assert first.labels[Group.PART] == second.labels[Group.PART] == "2"
    assert second.labels[Group.PERIOD] == TOTAL


def test_label_words_are_known_as_such():
    c = parse_claim("場域與法規開放 110 年既有預算為 7.00 億元。")
    assert c.labels[Group.KIND] == "既有"
    assert c.label_terms[Group.KIND] == {"既有", "有預", "預算"}  # matched by a 既有 column's label
    assert {"場域", "法規", "開放"} <= set(c.terms)
    a = parse_claim("海外人才歸國橋接方案每年橋接 10 位 AI 人才返國。")
    assert a.labels[Group.PERIOD] == ANNUAL
    t = parse_claim("全期程培訓 1,000 名博士級產業訓儲菁英")
    assert t.labels[Group.PERIOD] == TOTAL


def test_english_claim():
    c = parse_claim("The programme's 2025 (ROC 114) budget is 275,000 thousand NTD.")
    assert c.lang == "en"
    (f,) = c.figures  # neither 2025 nor 114 is a claimed figure
    assert f.quantity.kind == "money" and f.quantity.value == 275_000_000
    assert f.years == roc(114)
    assert any("經費" in g for g in c.term_groups)
    s = parse_claim("Subproject 2 aims to support at least 40 AI startups over the whole period.")
    assert [x.quantity.value for x in s.figures] == [40]
    assert s.labels[Group.PART] == "2" and s.labels[Group.PERIOD] == TOTAL
    k = parse_claim("The plan aims to train at least 1,000 AI application talents (人次) per year.")
    assert k.figures[0].quantity.kind == "count" and k.figures[0].quantity.classifier == "人次"
    assert k.labels[Group.PERIOD] == ANNUAL


def test_an_english_bare_number_after_a_count_counts_the_same():
    c = parse_claim("Sub-project 1 aims to train 330 PhD-level trainees a year and 1,200 over the whole programme.")
    assert [(f.quantity.kind, f.quantity.classifier) for f in c.figures] == [("count", "人"), ("count", "人")]
    # a number with a noun of its own counts that
    d = parse_claim("The first (2018) round had 33 solving teams and 64 shortlisted AI ideas.")
    assert d.figures[1].quantity.classifier != "隊"


def test_english_glossary_words_side_by_side_make_no_label():
    # "sub-project" gives 分項 and "three" 三: no 分項三
    c = parse_claim("Sub-project 1 plans to train 1,000 PhD-level trainees in three cohorts, 330 in 2018.")
    assert c.labels[Group.PART] == "1"


def test_an_english_multiple_is_a_multiple_and_a_frequency_is_not():
    # 「是美國家庭用電的 1.7 萬倍」 restated: "1,700 times a US household"
    (m,) = parse_claim("ChatGPT uses 1,700 times the electricity of a US household.").figures
    assert (m.quantity.unit, m.quantity.value) == ("倍", 1700)
    (f,) = parse_claim("AI reading brought a 10-fold efficiency gain.").figures
    assert (f.quantity.unit, f.quantity.value) == ("倍", 10)
    (n,) = parse_claim("The committee meets 3 times a year.").figures
    assert n.quantity.unit != "倍"


def test_an_english_change_dates_only_its_starting_value():
    # "from 12.3% in 2023 to 60%": the year is the 12.3%'s, as 「由 12.3%(2023
    # 年)提升至 60%」 dates only the 12.3%
    c = parse_claim("The plan aims to raise manufacturing AI adoption from 12.3% in 2023 to 60%.")
    assert [f.years for f in c.figures] == [YearSpan(2023, 2023), None]
    c = parse_claim("AI adoption should rise from 32.5% (2023) to 60% by 2028.")
    assert [f.years for f in c.figures] == [YearSpan(2023, 2023), YearSpan(2028, 2028)]
    # a year that dates the whole clause still dates every figure
    c = parse_claim("In 2023 the plan trains 500 people, up from 300.")
    assert [f.years for f in c.figures] == [YearSpan(2023, 2023)] * 2


def test_each_english_figure_is_the_component_named_before_it():
    c = parse_claim("In 2019, Subproject 1 (PhD training) gets NT$350 million and Subproject 2 (AI) gets NT$390 million.")
    assert [f.labels[Group.PART] for f in c.figures] == ["1", "2"]
    (f,) = parse_claim("Sub-project 2 gets NT$350 million in 2019.").figures
    assert f.labels[Group.PART] == "2"


def test_claim_errors():
    with pytest.raises(ValueError, match="empty"):
        parse_claim("  ")
    with pytest.raises(TypeError):
        parse_claim(None)  # type: ignore[arg-type]


def test_variant_characters_are_one_term():
    # Simplified 「平台」 becomes 「平臺」; the plans print 「平台」 (and both 臺灣 and 台灣)
    assert terms_of("人才培育交流平臺") == terms_of("人才培育交流平台")
    assert terms_of("臺灣") == terms_of("台灣")


def test_terms_of_letter_spaced_words():
    assert terms_of("核 定 經 費") == ["核定", "定經", "經費"]
    assert terms_of("經費 預算") == ["經費", "預算"]  # two words, not one
    assert "ai" in terms_of("AI 應用")


# ------------------------------------------------------------------ labels
def test_labels():
    m = label_map(find_labels("其他經常支出"))
    assert m == {Group.DOOR: "經常", Group.COST: "其他費用"}
    assert label_map(find_labels("細部計畫 2名稱數位與特殊技術人才養成計畫"))[Group.PART] == "2"
    assert Group.PART not in label_map(find_labels("各行動子計畫四年經費"))  # 四年 is a period
    assert label_map(find_labels("科技會報辦公室核 定 經 費"))[Group.STAGE] == "核定"
    # 核定 as a verb names the 核定數 of an amount, not of a count
    assert [lb.value for lb in find_labels("送審經費 275,000 千元，核定為 280,000 千元")
            if lb.group == Group.STAGE] == ["送審", "核定"]
    assert Group.STAGE not in label_map(find_labels("工業技術研究院獲核定 40 名培訓員額"))
    assert label_map(find_labels("培訓酬金每人每月"))[Group.PERIOD] == MONTHLY
    assert label_map(find_labels("第一年目標", header=True))[Group.PERIOD] == "第一年"  # not 期末目標
    # bare 新增/既有 and 合計 are labels only in table headers
    assert Group.KIND not in label_map(find_labels("新增 300 名以上研發人員"))
    assert label_map(find_labels("109 新增", header=True))[Group.KIND] == "新增"
    assert label_map(find_labels("合計", header=True))[Group.PERIOD] == TOTAL
    # 「分項三、開發 AI 技術及驗證」 names 分項三; 「分項一、二」 enumerates two
    assert label_map(find_labels("分項三、 開發AI 技術及驗 證(11.300)"))[Group.PART] == "3"
    assert Group.PART not in label_map(find_labels("分項一、二之經費"))


def test_a_sub_item_clashes_with_another_part():
    from assistant.figures.matching import label_clash

    assert label_clash({Group.SUBITEM: "2.3"}, {Group.PART: "3"}) == [Group.PART]
    assert label_clash({Group.SUBITEM: "2.3"}, {Group.PART: "2"}) == []
    assert label_clash({Group.PART: "2"}, {Group.SUBITEM: "3.1"}) == [Group.PART]


def test_english_spans_of_years():
    from assistant.figures.quantities import western_years

    assert western_years("full term (Jan 2021–Aug 2025)", english=True) == [2021, 2022, 2023, 2024, 2025]
    assert western_years("from 2019 to 2022", english=True) == [2019, 2020, 2021, 2022]
    assert western_years("between 2019 and 2021", english=True) == [2019, 2020, 2021]
    assert western_years("in ROC 110-112", english=True) == [2021, 2022, 2023]
    assert western_years("in 2019 and 2022", english=True) == [2019, 2022]   # two years, not a span
    assert western_years("for 2021 through August 2025", english=True) == [2021, 2022, 2023, 2024, 2025]
    assert western_years("from 12.3% in 2023 to 50% in 2028", english=True) == [2023, 2028]
    # "in each of" a span: each year's figure
    figs = parse_claim("NT$144 million in 2025 and NT$160 million in each of 2026-2028.").figures
    assert [str(f.years) for f in figs] == ["114 年", "115 年", "116 年", "117 年"]
    # a number read as a count or an amount after in / of is no ROC year
    assert western_years("validated in 80 companies across 8 industries", english=True) == []
    assert western_years("funding of 100 million in 112", english=True) == [2023]
    assert western_years("In 110 the programme trained 3,796 person-times", english=True) == [2021]
    # a whole-term figure of a span is the sum over it -- also when only the
    # span says so (no "total", "combined")
    # (the span of months is a date range, a figure of its own)
    span, f = parse_claim("The programme's full term (Jan 2021–Aug 2025) carries about NT$1.533 billion.").figures
    assert (span.quantity.kind, span.quantity.value, span.quantity.upper) == ("date", 20210100, 20250800)
    assert f.years == YearSpan(2021, 2025)
    (f,) = parse_claim("The plan lists resources of NT$1.533 billion for 2021 through August 2025.").figures
    assert f.years == YearSpan(2021, 2025)
    # "and" between two years joins them; "a total of … for 2019" is that year's total
    (f,) = parse_claim("Sub-project 2 is budgeted NT$700 million across 2019 and 2020.").figures
    assert f.years == YearSpan(2019, 2020)
    (f,) = parse_claim("The plan budgets a total of NT$10.477 billion for 2019.").figures
    assert f.years == YearSpan(2019, 2019) and Group.PERIOD not in f.labels
    a, b = parse_claim("The budget was NT$350 million in 2019 and NT$390 million in 2020.").figures
    assert (a.years, b.years) == (YearSpan(2019, 2019), YearSpan(2020, 2020))


def test_a_wrapped_line_opening_with_a_parenthesis_continues_its_sentence():
    text = "規劃執行 2 個月培育期(每人時數至少 250 小時)或 3 個月培育期\n(每人時數至少 380 小時)\n(1) 另案 5 人"
    figs = {f.quantity.value: f for f in figures_in(text)}
    assert "3 個月培育期" in figs[380].sentence       # one wrapped sentence
    assert "380" not in figs[5].sentence              # 「(1)」 opens a new one


# ----------------------------------------------------------------- figures
@pytest.mark.parametrize("text, value, unit, qualifier", [
    ("實際研發經驗 3 年以上的人才", 3, "年間", "以上"),               # EY plan: 智慧科技菁英
    ("中途退出時,培訓單位須在七日內通知計畫辦公室", 7, "天", None),   # MOST 作業要點
    ("someone with at least three years of hands-on R&D experience", 3, "年間", "至少"),
    ("must notify the office within 3 days", 3, "天", None),
])
def test_spans_of_years_and_days_are_figures(text, value, unit, qualifier):
    (f,) = figures_in(text)
    assert (f.quantity.value, f.quantity.unit, f.quantity.qualifier) == (value, unit, qualifier)


@pytest.mark.parametrize("text, value", [
    ("行政院於 2017 年 10 月核定「數位國家‧創新經濟發展方案」", 20171000),   # EY plan
    ("The SRB meeting was held in July 2017.", 20170700),
])
def test_the_month_of_an_event_is_a_figure(text, value):
    (f,) = figures_in(text)
    assert (f.quantity.kind, f.quantity.value) == ("date", value)


@pytest.mark.parametrize("text", ["本計畫114年度（執行至8月）的經費", "as of August 2025", "自 114 年 1 月起實施",
                                  "至 114 年 8 月止"])
def test_the_month_a_count_or_period_runs_to_is_no_figure(text):
    assert figures_in(text) == []


@pytest.mark.parametrize("text", ["shrink the inference models tenfold", "by a factor of ten",
                                  "shrink the model by a factor of 10", "made diagnosis ten times more efficient"])
def test_english_multiples_written_out_are_times(text):
    (f,) = figures_in(text)
    assert (f.quantity.value, f.quantity.unit) == (10, "倍")   # as 「縮小 5 倍」 in the MODA plan


@pytest.mark.parametrize(("claim", "figures"), [
    ("A problem-setting organisation may submit no more than three problems.", [(3, "題")]),
    ("每個產業預計出題 20 題。", [(20, "題")]),
    # a count of one spelled out names what an amount is per: no figure
    ("AIGO解題競賽每隊全程一題最高獎金可達 70 萬元。", [(700_000, None)]),
    ("Each AIGO team can win at most NT$700,000 for one problem.", [(700_000, None)]),
    ("Each participant may join only one team.", [(1, "隊")]),
])
def test_problems_are_counted_and_one_problem_is_a_rate(claim, figures):
    assert [(f.quantity.value, f.quantity.classifier) for f in parse_claim(claim).figures] == figures


@pytest.mark.parametrize("text", ["計畫期程 4 年", "一年內獲得加薪", "over four years", "within two years",
                                  "meets two times a year",
                                  "每月 10 日前繳交"])
def test_a_period_or_a_date_is_no_span_figure(text):
    assert figures_in(text) == []


@pytest.mark.parametrize("claim", [
    "For 2019 (ROC year 108) the plan's total funding is NT$10.477 billion, of which NT$3.0 billion is new budget.",
    "108 年度計畫總經費為 104.77 億元，其中新增預算 30 億元。",
])
def test_a_part_of_a_years_total_is_that_years(claim):
    # EY plan 表 8: 108 合計 104.77 億元, 新增 30.00 億元
    total, new = parse_claim(claim).figures
    assert total.years == new.years == roc(108)
    assert new.labels.get(Group.PERIOD) != TOTAL


def test_a_part_of_a_whole_period_total_stays_whole_period():
    total, part = parse_claim("全程經費 36.765 億元，其中分項一 6.24 億元").figures
    assert total.labels[Group.PERIOD] == part.labels[Group.PERIOD] == TOTAL and part.years is None


@pytest.mark.parametrize("claim", ["108-2 場次的構想收件截止日為 5 月 31 日。",
                                   "For AIGO's second 2019 round (108-2), ideas are due on May 31."])
def test_a_numbered_round_is_a_label_not_figures(claim):
    # the AIGO 作業時程 table's columns are 「108-1場時程」「108-2場時程」
    assert [lb.value for lb in find_labels("作業程序\t108-1場時程\t108-2場時程", header=True)
            if lb.group is Group.ROUND] == ["108-1", "108-2"]
    parsed = parse_claim(claim)
    assert [f.quantity.kind for f in parsed.figures] == ["date"]      # not 108 and 2 場次
    assert parsed.figures[0].labels[Group.ROUND] == "108-2"


def test_a_share_of_the_total_keeps_the_label_before_it():
    # MOST plan 補助作業要點: the percent is a share *of* the 補助總額, still the 管理費's figure
    (fee,) = figures_in("(4) 管理費:培訓單位可依需求編列管理費,其額度不得高於補助總額 5%")
    assert fee.labels.get(Group.COST) == "管理費"
    # a figure between the label and the total word: the share is the total's, not 人事費's
    *_, share = figures_in("人事費 100 千元，合計 500 千元，占總經費 20%")
    assert Group.COST not in share.labels


def test_respectively_lists_pair_years_and_figures():
    figs = figures_in("107 年、108 年、109 年各編列 3.9 億元、3.9 億元、4億元,其中補助每名 1 年 105 萬元")
    assert [(f.quantity.value, f.years) for f in figs] == [
        (3.9e8, roc(107)), (3.9e8, roc(108)), (4e8, roc(109)), (1.05e6, None)]


def test_year_value_runs_of_flattened_tables():
    figs = figures_in("資源投入 年度 經費(千元)110 398,500 111 398,500 112 275,000 合計 1,072,000",
                      default_money_unit="千元")
    assert [(f.quantity.value, f.years) for f in figs] == [
        (398_500_000, roc(110)), (398_500_000, roc(111)), (275_000_000, roc(112)),
        (1_072_000_000, YearSpan(2021, 2023))]
    assert figs[-1].aggregate and "經費" in figs[0].before


def test_each_figure_of_a_joined_list_keeps_its_own_noun():
    # moeaidb-2019-aigo-intro: the noun after a figure, up to the list's joiner, is that figure's
    figs = figures_in("第一階段共選出具有創意的5個傑出獎、22個優等獎及19個佳作獎，第二階段選出3個傑出獎")
    assert [(f.quantity.value, f.after) for f in figs] == [
        (5, "傑出獎"), (22, "優等獎"), (19, "佳作獎"), (3, "傑出獎")]
    # the list's head words, not the previous figure's noun, come before each
    assert all(f.before.endswith("共選出具有創意的") for f in figs[:3])
    # a figure leading into the next (「由 17.4% 提升至 50%」) and a bare list keep their words
    figs = figures_in("比率由 17.4% 提升至 50%，補助 3、5、7 家")
    assert [f.after for f in figs[:2]] == ["", ""] and "提升至" in figs[1].before


def test_flattened_header_years_and_labels_are_ambiguous():
    figs = figures_in("112 年度 113 年度 114 年度 小計經常支出資本支出分項一 : 中小企業數位領導計畫 65,260 65,260 0")
    assert all(f.years is None for f in figs)
    assert all(Group.DOOR not in f.labels and f.labels[Group.PART] == "1" for f in figs)


def test_labels_of_figures():
    figs = figures_in("經常門小計 275,000 資本門小計 0經費小計(千元) 275,000")
    assert [f.labels.get(Group.DOOR) for f in figs] == ["經常", "資本", None]  # 經費小計 spans both
    (f,) = figures_in("分項二 108 年度人事費 116,000 千元編列於資本支出")
    assert f.labels[Group.DOOR] == "資本" and f.labels[Group.COST] == "人事費"  # a label after the figure
    stage = figures_in("送審數112 年:280,000 千元113 年:280,000 千元核定數112 年:275,000 千元")
    assert [f.labels[Group.STAGE] for f in stage] == ["送審", "送審", "核定"]
    assert [f.years for f in stage] == [roc(112), roc(113), roc(112)]


def test_table_and_component_numbers_are_not_figures():
    assert [f.quantity.value for f in figures_in("表 8 各行動子計畫四年經費合計為 366.24 億元")] == [366.24e8]
    assert figures_in("子項 1.1、百工百業") == []


def test_a_year_before_whole_plan_names_that_years_figure():
    # 「108 年度全計畫」: the whole plan in 108, not its whole period
    c = parse_claim("108 年度全計畫人事費 116,000 千元，其他經常支出 624,000 千元。")
    assert [f.years for f in c.figures] == [roc(108), roc(108)]
    assert all(Group.PERIOD not in f.labels for f in c.figures)
    (t,) = parse_claim("全計畫經費 18.8 億元。").figures
    assert t.labels[Group.PERIOD] == TOTAL and t.years is None


def test_a_plan_edition_is_not_a_figure():
    # the shipped MODA plan: 「臺灣 AI 行動計畫 2.0(2023-2026)」 names an edition
    assert figures_in("再核定《臺灣 AI 行動方案 2.0(2023-2026)》") == []
    assert figures_in("Taiwan AI Action Plan 2.0 was approved") == []
    # a flattened table's amounts after a plan's name stay figures
    assert [f.quantity.value for f in figures_in("AI 人才計畫 3.0\t4.0")] == [3.0, 4.0]


@pytest.mark.parametrize("claim, want", [
    # a share of 4,800 and 4,200; and 4,200 the part 87.5% gives of 4,800
    ("全程 4,800 人次，其中產業在職員工 4,200 人次，占比約 87.5%", [[], [{0, 2}], [{0, 1}]]),
    ("108 年 104.77 億元，比 107 年的 92.59 億元多出 12.18 億元", [[{1, 2}], [{0, 2}], [{0, 1}]]),
    ("112 至 113 年合計 6,540 人次，即每年 3,270 人次", [[{1}], [{0}]]),              # years named by a span
    ("每年編列 1.7 億元，四年合計 68,000 萬元", [[{1}], [{0}]]),                      # units differ
    ("培訓酬金每月 6 萬元，一年 72 萬元", [[{1}], [{0}]]),                              # twelve months
    ("全程 4,800 人次，其中 4,200 人", [[], []]),                                       # classifiers differ
    ("108 年 104.77 億元，107 年 92.59 億元，相差 13 億元", [[], [], []]),             # off by more than rounding
    ("每年 1.7 億元，合計 6.8 億元", [[], []]),                                         # no number of years named
    # the part a claimed share gives
    ("help at least two-thirds of its 1,000 PhD trainees, roughly 667 people", [[], [], [{0, 1}]]),
    ("協助至少 2/3 的 1,000 名學員就業，約 800 人", [[], [], []]),                      # not two-thirds
])
def test_derivations(claim, want):
    from assistant.figures.claimmath import derivations

    got = derivations([f.quantity for f in parse_claim(claim).figures], claim)
    assert [[set(p) for p in paths] for paths in got] == want


def test_a_plan_is_named_by_its_title_or_a_part_of_it_and_its_owner():
    from assistant.figures.matching import names_plan, title_names, title_words
    title = "晶片驅動臺灣產業創新-AI產業應用與普及發展計畫"
    assert title_names(title) == [title.replace(" ", ""), "晶片驅動臺灣產業創新", "AI產業應用與普及發展計畫"]
    assert title_names("臺灣 AI 行動計畫") == ["臺灣AI行動計畫"]
    claim = "數位發展部「AI 產業應用與普及發展計畫」四年總經費 36.765 億元"
    assert names_plan(claim, title)
    words = title_words(claim, [title])
    # the subtitle's words and its owner's say which plan; 總經費 is the subject
    assert {"應用", "數位", "展部"} <= words and "經費" not in words
    # an organ named elsewhere in the claim is a subject, not the plan's owner
    assert "展部" not in title_words("「AI 產業應用與普及發展計畫」中數位發展部經常門 21.395 億元", [title])
    assert not title_words("分項一經費 6.24 億元", [title])


# ------------------------------------------------------------ period claims
@pytest.mark.parametrize(("claim", "span", "years"), [
    ("本計畫期程為 2025 年至 2028 年，共 4 年。", (2025, 2028), 4),
    ("该计划执行期间为 114 至 117 年。", (2025, 2028), None),
    ("MODA's plan runs for four years, from 2025 to 2028 (ROC years 114–117).", (2025, 2028), 4),
])
def test_a_period_claim_names_a_span_and_its_length(claim, span, years):
    from assistant.figures.periodclaims import parse_period_claim

    p = parse_period_claim(parse_claim(claim))
    assert (p.span.lo, p.span.hi, p.years) == (*span, years)


@pytest.mark.parametrize("claim", ["分項二 108 至 109 年經費為 7 億元。",       # a figure
                                   "分項二執行期間為 108 至 109 年。",           # a component's period
                                   "前期計畫期程為 110 至 111 年。",             # another phase
                                   "本計畫於 2025 年至 2028 年推動 AI 應用。"])   # no period word
def test_not_period_claims(claim):
    from assistant.figures.periodclaims import parse_period_claim

    assert parse_period_claim(parse_claim(claim)) is None


@pytest.mark.parametrize(("text", "rank"), [("臺灣在全球 AI 經濟發展受益國家僅排行第 14 名", 14), ("中排名第4。", 4),
                                          ("Taiwan ranked 4th globally", 4), ("ranked Taiwan 14th", 14),
                                          ("finished in 3rd place", 3), ("臺灣在全球AI經濟發展受益國家中僅排第14名", 14)])
def test_an_ordinal_after_a_ranking_word_is_a_rank(text, rank):
    from assistant.figures.sentences import RANK_UNIT

    (f,) = figures_in(text)
    assert (f.quantity.kind, f.quantity.value, f.quantity.unit) == ("number", rank, RANK_UNIT)


def test_other_ordinals_are_no_figures():
    assert figures_in("第 3 名獎金") == [] and figures_in("列為第 2 期") == []
    assert figures_in("安排第 2 場說明會") == []  # 安排 arranges, it ranks nothing


def test_building_as_a_verb_names_no_cost_category():
    # the glossary's 土地建築 entry is for "(land and) buildings", not for
    # "Building an International AI Innovation Hub" (a pillar's name)
    (f,) = parse_claim("The \"Building an International AI Innovation Hub\" pillar receives "
                       "NT$280 million of new budget in 2020.").figures
    assert Group.COST not in f.labels
    (f,) = parse_claim("Land and buildings cost NT$5 million in 2020.").figures
    assert f.labels[Group.COST] == "土地建築"


@pytest.mark.parametrize(("claim", "kind"), [
    # 「無既有預算」: the claim says there is none of 既有 -- the 8.90 is 新增's
    ("「建構國際AI創新樞紐」主軸全數為新增預算，四年合計8.90億元，無既有預算。", "新增"),
    ("該主軸四年合計8.90億元，沒有既有預算。", None),
])
def test_a_negated_label_labels_no_figure(claim, kind):
    (f,) = parse_claim(claim).figures
    assert f.labels.get(Group.KIND) == kind


@pytest.mark.parametrize(("text", "total"), [
    ("分項二每年推動解題團隊40組，三年合計160組。", True),
    ("兩年共計 6,540 人次", True),
    ("3 年合計 120 組", True),
    ("第三年合計 40 組", False),      # the third year's
    ("113 年合計 3,270 人次", False),  # a year, not a count of years
])
def test_a_count_of_years_before_a_sum_word_is_the_whole_span(text, total):
    f = parse_claim(text).figures[-1]
    assert (f.labels.get(Group.PERIOD) == TOTAL) is total


def test_each_after_another_figure_dates_its_own_figure_by_every_listed_year():
    c = parse_claim("本計畫 112 年與 113 年核定經費各為 275,000 千元，比送審數各 280,000 千元少了 5,000 千元。")
    got = [(f.quantity.value, f.years) for f in c.figures if f.labels.get(Group.STAGE) == "送審"]
    assert (280_000_000, roc(112)) in got and (280_000_000, roc(113)) in got
    # without 各 of its own, a later figure is not each year's
    c = parse_claim("112、113年各2.75億元，合計5.5億元")
    assert c.figures[-1].years == YearSpan(2023, 2024)


@pytest.mark.parametrize(("claim", "stage"), [
    ("The MOEA digital talent plan's approved budget for 2024 is NT$2.75 billion.", "核定"),
    ("The budget approved for the programme for 2023 was NT$275 million.", "核定"),
    ("In 2024 the plan was approved NT$275 million.", "核定"),
    # what else is approved names no 核定數
    ("AIGO participants can be reimbursed up to NT$30,000 per person per year for approved AI training courses.", None),
])
def test_approved_names_the_approved_amount_only(claim, stage):
    assert parse_claim(claim).figures[-1].labels.get(Group.STAGE) == stage


def _intended(claim: str) -> list:
    from assistant.figures.claimmath import intended_totals
    figs = parse_claim(claim).figures
    got = intended_totals([f.quantity for f in figs], claim, [f.labels.get(Group.PERIOD) == ANNUAL for f in figs])
    return [None if g is None else float(g[0]) for g in got]


@pytest.mark.parametrize(("claim", "want"), [
    # a per-year figure times the years named
    ("子項 2.2「製造業 AI 轉型推動」每年 1.7 億元，四年共 6.3 億元。", [None, 680_000_000]),
    ("The programme trains 120 students a year, 600 in total over the four years.", [None, 480]),
    # the sum of every figure before the total
    ("文化與新興科技人才培育 48,440 千元加上產學共育智慧製造尖兵 43,590 千元，合計 93,030 千元。",
     [None, None, 92_030_000]),
    # a first year apart and 其後每年: no structure the rule reads
    ("子項 3.2 114 年 0.9 億元、其後每年 1 億元，四年合計 4.9 億元。", [None, None, None]),
    # no sum word before or after the second figure
    ("分項二每年 40 組，另有 160 組待審。", [None, None]),
])
def test_a_claims_own_arithmetic_gives_its_intended_total(claim, want):
    assert _intended(claim) == want


def test_a_comma_between_english_years_lists_them():
    (f,) = parse_claim("Sub-plan 1 is funded with about NT$174.66 million in total across 2023, 2024 and 2025.").figures
    assert f.years == YearSpan(2023, 2025) and f.labels.get(Group.PERIOD) == TOTAL
    # a comma before other words still parts the clauses
    c = parse_claim("The plan budgets NT$275 million in 2023, and NT$1.5 billion in 2025.")
    assert [f.years for f in c.figures] == [roc(112), roc(114)]


@pytest.mark.parametrize(("text", "value"), [
    ("108-1場時程", "108-1"),
    ("108 年第 2 場構想收件截止", "108-2"),
    ("108年度第二梯", "108-2"),
])
def test_a_years_numbered_round_is_a_round_label(text, value):
    assert label_map(find_labels(text))[Group.ROUND] == value


def test_a_round_named_by_its_number_alone_takes_the_year_of_the_round_before():
    text = "108 年第 1 場構想收件截止日為 5 月 31 日，第 2 場為 7 月 15 日。"
    assert [lb.value for lb in find_labels(text) if lb.group is Group.ROUND] == ["108-1", "108-2"]
    assert not [lb for lb in find_labels("第 2 場") if lb.group is Group.ROUND]  # no year before it


def test_a_bare_zero_in_a_claim_about_money_is_an_amount():
    (f,) = parse_claim("本计划各执行单位的资本门经费每年都是 0，经费全部属于经常门。").figures
    assert (f.quantity.kind, f.quantity.value) == ("money", 0)
    (f,) = parse_claim("本計畫共有 0 個海外據點。").figures  # no money word: a count stays one
    assert f.quantity.kind != "money"


def test_a_total_sums_the_figures_since_the_claims_previous_total():
    claim = ("In the first edition, stage one gave 5 outstanding, 22 excellent and 19 merit awards (46 in all), "
             "and stage two gave 3, 9 and 9 (21 in all).")
    got = _intended(claim)
    assert got[3] == 46 and got[-1] == 21


def test_each_after_a_sum_word_is_each_years_sum_of_parts():
    c = parse_claim("「重點產業高階人才培訓與就業計畫」108、109 年度兩分項合計經費各為 7.4 億元。")
    assert [(f.quantity.value, f.years) for f in c.figures] == [(740_000_000, roc(108)), (740_000_000, roc(109))]


def test_but_parts_english_clauses():
    c = parse_claim("The plan requested NT$280 million a year for 2023 and 2024 but was approved NT$275 million a year.")
    assert [f.labels.get(Group.STAGE) for f in c.figures] == ["送審", "送審", "核定"]


def test_a_count_of_years_is_no_years_last_digit():
    from assistant.figures.claimmath import multipliers
    from assistant.figures.labels import years_counted
    assert years_counted("兩年合計") == [2] and years_counted("over four years") == [4]
    assert years_counted("113 年") == [] and years_counted("第三年") == []
    # 「112 至 113 年」 is a span of 2 years, not also a count of 3
    assert multipliers("112 至 113 年每年 3,270 人次") == {2}
