"""Tests for assistant.figures.quantities/units/compare: finding,
normalising, converting and comparing quantities.

Most inputs are verbatim sentences of corpus/sources/*.txt (the test
``test_corpus_sentences_are_verbatim`` checks that they still occur there);
the rest are the same sentences made full-width, Simplified or English.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.figures.compare import quantity_supported, same_quantity
from assistant.figures.quantities import COUNT_CLASSIFIERS, MONEY_UNITS, Quantity, declared_money_unit, extract_quantities
from assistant.figures.units import format_money, money_to_yuan
from assistant.language import ROC_OFFSET, roc_to_western, western_to_roc

REPO = Path(__file__).resolve().parent.parent
SOURCES = sorted((REPO / "corpus" / "sources").glob("*.txt"))


CORPUS: list[str] = []


def C(sentence: str) -> str:
    """Mark ``sentence`` as verbatim corpus text (checked by a test below)."""
    CORPUS.append(sentence)
    return sentence


def only(text: str, **kw) -> Quantity:
    """The single quantity in ``text`` (fails when there are 0 or several)."""
    found = extract_quantities(text, **kw)
    assert len(found) == 1, found
    return found[0]


def find(text: str, span: str, **kw) -> Quantity:
    """The quantity whose matched text is ``span``."""
    found = [q for q in extract_quantities(text, **kw) if q.text == span]
    assert len(found) == 1, extract_quantities(text, **kw)
    return found[0]


# --------------------------------------------------------------- money

MONEY_CASES = [
    # (sentence from the corpus, matched span, value in 元, unit)
    (C("本行動方案預期未來四年投入約 360 億元"), "約 360 億元", 36_000_000_000, "億元"),
    (C("本計畫全程所需經費總計新台幣 36.765 億元"), "新台幣 36.765 億元", 3_676_500_000, "億元"),
    (C("工業產值達 3 兆 1 千 5 百億元"), "3 兆 1 千 5 百億元", 3_150_000_000_000, "百億元"),
    (C("生產值逾 3.2 億元"), "逾 3.2 億元", 320_000_000, "億元"),
    (C("本細部計畫編列 65,260 千元，人事費 22,386 千元"), "65,260 千元", 65_260_000, "千元"),
    (C("本細部計畫編列 65,260 千元，人事費 22,386 千元"), "22,386 千元", 22_386_000, "千元"),
    (C("112 年：280,000 千元"), "280,000 千元", 280_000_000, "千元"),
    (C("至多一年期新臺幣(以下同)一百零五萬元整"), "一百零五萬元", 1_050_000, "萬元"),
    (C("計畫全額總獎金高達**2,000萬元**以上"), "2,000萬元", 20_000_000, "萬元"),
    (C("單一年度個人最高補助新臺幣3萬元整"), "新臺幣3萬元", 30_000, "萬元"),
    (C("帶動廠商投資 100 億元，創造商業化產值 120 億元"), "120 億元", 12_000_000_000, "億元"),
    (C("整體 AI 應用服務產值提升達 100 億元。"), "100 億元", 10_000_000_000, "億元"),
    ("整體 AI 應用服務產值提升達 100\n 億元。", "100\n 億元", 10_000_000_000, "億元"),
    (C("預計累積帶動超過新台幣 13.5 億的產業研發投資"), "超過新台幣 13.5 億", 1_350_000_000, "億元"),
    ("NT$1.2 billion", "NT$1.2 billion", 1_200_000_000, "十億元"),
    ("a budget of NT$ 500 million", "NT$ 500 million", 500_000_000, "百萬元"),
    ("補助 5,000 元", "5,000 元", 5_000, "元"),
]


@pytest.mark.parametrize(("text", "span", "value", "unit"), MONEY_CASES)
def test_money_forms(text, span, value, unit):
    q = find(text, span)
    assert q.kind == "money"
    assert q.value == value
    assert q.unit == unit


def test_money_offsets_point_into_the_original_text():
    text = "本計畫全程所需經費總計新台幣 36.765 億元，各項目"
    q = only(text)
    assert text[q.start:q.end] == q.text == "新台幣 36.765 億元"


@pytest.mark.parametrize("text", ["3.9 億元", "39,000 萬元", "390,000 千元",
                                  "390,000,000 元", "三億九千萬元", "0.39 十億元",
                                  "NT$390 million", "３．９億元", "3.9 亿元"])
def test_equivalent_money_forms_all_normalise_to_390_million(text):
    q = only(text)
    assert (q.kind, q.value) == ("money", 390_000_000)


def test_same_quantity_equates_3_9_yi_39000_wan_390000_qian():
    a, b, c = (only(t) for t in ("3.9 億元", "39,000 萬元", "390,000 千元"))
    assert same_quantity(a, b) and same_quantity(b, c) and same_quantity(a, c)
    assert not same_quantity(a, only("3.9 萬元"))


def test_foreign_currency_is_not_money_in_yuan():
    text = "2019 年可望達 486 億美元；投入 1 兆韓幣(約 8.8 億美元)"
    usd = find(text, "486 億美元")
    assert (usd.kind, usd.value, usd.unit) == ("number", 48_600_000_000, "億美元")
    assert not same_quantity(usd, only("486 億元"))
    assert find(text, "約 8.8 億美元").qualifier == "約"
    assert same_quantity(only("13 兆美元"), only("130,000 億美元"))
    assert only("2.9 萬億美元").value == 2_900_000_000_000


# -------------------------------------------------------------- percent

PERCENT_CASES = [
    (C("出口總額佔比合計約 65%，其中"), "約 65%", 65.0, None),
    (C("培訓就業率 50%以上"), "50%以上", 50.0, None),
    (C("糖尿病眼底鏡檢查率由 17.4% 提升至 50%"), "17.4%", 17.4, None),
    (C("約占全球勞動力 3 至 14% 的勞工"), "3 至 14%", 3.0, 14.0),
    (C("管理費，其額度不得高於補助總額百分之五。"), "百分之五", 5.0, None),
    (C("2. 職務訓練(權重百分之二十五)"), "百分之二十五", 25.0, None),
    (C("其中有六成出席者為各方產業代表"), "六成", 60.0, None),
    ("女性學員約占兩成二", "約占兩成二", 22.0, None),   # a tenth's digit after 成; 約 before 占
    ("三成五的企業", "三成五", 35.0, None),
    ("培訓就業率 ５０％ 以上", "５０％ 以上", 50.0, None),
    ("at least 30 percent of trainees", "at least 30 percent", 30.0, None),
    ("成長率 -5%", "-5%", -5.0, None),
]


@pytest.mark.parametrize(("text", "span", "value", "upper"), PERCENT_CASES)
def test_percent_forms(text, span, value, upper):
    q = find(text, span)
    assert q.kind == "percent"
    assert (q.value, q.upper) == (value, upper)


def test_percent_never_equals_money_or_count():
    pct = only("50%")
    assert not same_quantity(pct, only("50 元"))
    assert not same_quantity(pct, only("50 人"))
    assert same_quantity(pct, only("百分之五十"))
    assert same_quantity(pct, only("五成"))


# --------------------------------------------------------------- counts

COUNT_CASES = [
    (C("- (一) 培訓 AI 人才 4,800 人次:種子師資"), "4,800 人次", 4800, "人次"),
    (C("協助企業應用數位平台及驗證調整共 30 家次"), "30 家次", 30, "家次"),
    (C("3年期共計培訓326名訓儲菁"), "326名", 326, "名"),
    (C("研究員 67 人月"), "67 人月", 67, "人月"),
    (C("推動 AI 領域相關課程至少 15 門"), "至少 15 門", 15, "門"),
    (C("約 2.2 萬家、員工人數達 39.3 萬人"), "約 2.2 萬家", 22_000, "家"),
    (C("約 2.2 萬家、員工人數達 39.3 萬人"), "39.3 萬人", 393_000, "人"),
    (C("小型企業家數逾 138 萬家，占整體企業家數 98%"), "逾 138 萬家", 1_380_000, "家"),
    (C("其中 80 餘家臺"), "80 餘家", 80, "家"),
    (C("培育超過 3 萬名 AI 應用人才"), "超過 3 萬名", 30_000, "名"),
    (C("1.千人智慧科技菁英 2.萬人智慧應用先鋒"), "千人", 1_000, "人"),
    (C("1.千人智慧科技菁英 2.萬人智慧應用先鋒"), "萬人", 10_000, "人"),
    (C("扶植百家 AI 新創"), "百家", 100, "家"),
    (C("每次總額至少五名"), "至少五名", 5, "名"),
    (C("針對 1 個(含)以上優勢領域"), "1 個(含)以上", 1, "個"),
    (C("短期技能課程 (12-48小時，實體或網路"), "12-48小時", 12, "小時"),
    ("at least 1,000 people", "at least 1,000 people", 1_000, "人"),
    ("to draw 400,000 participant visits over the period", "400,000 participant visits", 400_000, "人次"),
    ("partner with at least 2 universities", "at least 2 universities", 2, "所"),
]


def test_a_count_noun_that_modifies_the_counted_one_is_no_classifier():
    q = find("to equip 5,500 university students with AI skills", "5,500")
    assert q.classifier != "所"


@pytest.mark.parametrize("text", ["細部計畫二人事費 38,890 千元", "子計畫一人力 45 人年", "分項三人文社會博士"])
def test_a_numbered_components_name_before_a_word_with_ren_is_no_count(text):
    # 「細部計畫二人事費」: 二 numbers the 細部計畫, 人事費 is a cost category -- not 2 people
    assert not [q for q in extract_quantities(text) if q.kind == "count" and q.classifier == "人"]


@pytest.mark.parametrize(("text", "span", "value", "classifier"), COUNT_CASES)
def test_count_forms(text, span, value, classifier):
    q = find(text, span)
    assert q.kind == "count"
    assert (q.value, q.classifier) == (value, classifier)


def test_count_classifiers_are_compared():
    assert same_quantity(only("330 名"), only("330 人"))  # 名 counts persons
    assert not same_quantity(only("5 家"), only("5 人"))
    assert not same_quantity(only("1,000 人次"), only("1,000 人"))
    assert COUNT_CLASSIFIERS.index("人次") < COUNT_CLASSIFIERS.index("人")
    # 「挑戰目標訂為促成培育400 位人次」 (moea p.60) counts person-times
    assert same_quantity(only("400 位人次"), only("400 人次"))
    assert not same_quantity(only("400 位人次"), only("400 位"))


def test_range_of_counts_inherits_the_scale_of_its_high_end():
    q = find("則預測至 2030 年將有 4 至 8 億個、約占全球 15 至 30% 的工作",
             "4 至 8 億個")
    assert (q.kind, q.value, q.upper, q.classifier) == ("count", 4e8, 8e8, "個")
    q = find("萬至 3.75 億名", "3.75 億名")  # the low end is cut off: no range
    assert q.upper is None
    q = only("2 千萬至 3.75 億名")
    assert (q.value, q.upper) == (2e7, 3.75e8)


# ---------------------------------------------------------------- years

YEAR_CASES = [
    (C("行政院 107 年 6 月 29 日院臺科會字第 1070172174 號函核定"), "107 年", 2018, None),
    ("民國108年", "民國108年", 2019, None),
    ("中華民國 108 年", "中華民國 108 年", 2019, None),
    ("民國一百零八年", "民國一百零八年", 2019, None),
    (C("民 114 年(8 月)"), "民 114 年", 2025, None),
    (C("108年度"), "108年度", 2019, None),
    ("2019年", "2019年", 2019, None),
    ("二〇一九年", "二〇一九年", 2019, None),
    (C("(一)前瞻基礎建設計畫(110-114 年)"), "110-114 年", 2021, 2025),
    (C("本計畫期程自 114 年至 117 年，共計 4 年。"), "114 年至 117 年", 2025, 2028),
    ("本計畫期程自 114 年起至 117 年", "114 年起至 117 年", 2025, 2028),
    (C("108~111 年共投資 AI 相關達 50 億元"), "108~111 年", 2019, 2022),
    (C("108-109 年度前瞻基礎建設計畫"), "108-109 年度", 2019, 2020),
    (C("(2018-2021 年)"), "2018-2021 年", 2018, 2021),
    (C("2018 - 2021"), "2018 - 2021", 2018, 2021),
    ("funded in 2019", "2019", 2019, None),
    ("１０８年度", "１０８年度", 2019, None),
]


@pytest.mark.parametrize(("text", "span", "value", "upper"), YEAR_CASES)
def test_year_forms(text, span, value, upper):
    q = find(text, span)
    assert q.kind == "year"
    assert (q.value, q.upper) == (value, upper)


DURATION_CASES = [
    (C("本計畫期程自 114 年至 117 年，共計 4 年。"), "4 年", 4, "年"),
    (C("國內 AI 人才需求三年來翻倍成長"), "三年", 3, "年"),
    (C("3年期共計培訓326名訓儲菁"), "3年期", 3, "年期"),
    (C("至多一年期新臺幣(以下同)一百零五萬元整"), "至多一年期", 1, "年期"),
    (C("3 年以內職場新人"), "3 年以內", 3, "年"),
    (C("規劃強化前兩年度模型的再訓練"), "兩年度", 2, "年度"),
]


@pytest.mark.parametrize(("text", "span", "value", "unit"), DURATION_CASES)
def test_durations_are_numbers_not_years(text, span, value, unit):
    q = find(text, span)
    assert (q.kind, q.value, q.unit) == ("number", value, unit)


def test_roc_and_western_year_are_the_same_quantity():
    assert same_quantity(only("108 年"), only("2019 年"))
    assert same_quantity(only("民國108年"), only("108年度"))
    assert not same_quantity(only("2019 年"), only("2019 人"))  # year != count
    assert not same_quantity(only("3 年"), only("3 個月"))


def test_month_and_day_are_numbers_not_counts():
    found = extract_quantities("行政院 107 年 6 月 29 日院臺科會字第 1070172174 號函核定")
    assert [(q.kind, q.value, q.unit) for q in found] == [
        ("year", 2018, "年"), ("number", 6, "月"), ("number", 29, "日"),
        ("number", 1070172174, "編號")]


@pytest.mark.parametrize(("roc", "western"), [(1, 1912), (60, 1971), (108, 2019),
                                              (114, 2025), (117, 2028)])
def test_roc_western_round_trip(roc, western):
    assert roc_to_western(roc) == western
    assert western_to_roc(western) == roc
    assert roc + ROC_OFFSET == western


@pytest.mark.parametrize(("func", "arg", "exc"), [
    (roc_to_western, 0, ValueError), (roc_to_western, -5, ValueError),
    (western_to_roc, 1911, ValueError), (western_to_roc, 1800, ValueError),
    (roc_to_western, 108.0, TypeError), (western_to_roc, True, TypeError),
    (roc_to_western, "108", TypeError),
])
def test_year_conversions_reject_nonsense(func, arg, exc):
    with pytest.raises(exc):
        func(arg)


# ---------------------------------------------------------------- ranges

RANGE_CASES = [
    ("1~3 億元", "money", 1e8, 3e8),
    ("5 萬至 10 萬元", "money", 5e4, 1e5),
    ("30-50%", "percent", 30, 50),
    (C("將有 4 至 8 億個、約占全球 15 至 30% 的工作"), "percent", 15, 30),
    (C("帶來 2.6 兆至 4.4 兆美元"), "number", 2.6e12, 4.4e12),
    (C("單一靜態物品模型需要 3~7 天才能完成"), "number", 3, 7),
    (C("115-117 年"), "year", 2026, 2028),
]


@pytest.mark.parametrize(("text", "kind", "low", "high"), RANGE_CASES)
def test_ranges(text, kind, low, high):
    q = [q for q in extract_quantities(text) if q.upper is not None][-1]
    assert (q.kind, q.value, q.upper) == (kind, low, high)


def test_range_needs_low_below_high_and_same_unit():
    assert all(q.upper is None for q in extract_quantities("100 億元至 2025 年"))
    assert all(q.upper is None for q in extract_quantities("附件 3-1"))


def test_same_quantity_compares_the_upper_end():
    assert same_quantity(only("1~3 億元"), only("1 億至 3 億元"))
    assert not same_quantity(only("1~3 億元"), only("1~4 億元"))
    assert not same_quantity(only("1~3 億元"), only("1 億元"))


# ------------------------------------------------------------ qualifiers

QUALIFIER_CASES = [
    (C("本行動方案預期未來四年投入約 360 億元"), "約 360 億元", "約"),
    (C("生產值逾 3.2 億元"), "逾 3.2 億元", "逾"),
    (C("培訓就業率 50%以上"), "50%以上", "以上"),
    (C("推動 AI 領域相關課程至少 15 門"), "至少 15 門", "至少"),
    (C("促成超過 15 家半導體或晶"), "超過 15 家", "超過"),
    (C("其中 80 餘家臺"), "80 餘家", "餘"),
    ("補助不超過 500 萬元", "不超過 500 萬元", "不超過"),
    (C("員工人數未滿 50 人的企業"), "未滿 50 人", "未滿"),
    (C("提升國產元件使用率從<10%提升至>70%"), "<10%", "<"),
    (C("提升國產元件使用率從<10%提升至>70%"), ">70%", ">"),
    ("針對 1 个(含)以上优势领域", "1 个(含)以上", "(含)以上"),
    (C("至少 1 週以上"), "至少 1 週以上", "至少"),  # the one before the number wins
    ("the plan trains more than 200 people", "more than 200 people", "超過"),
    ("a grant of up to NT$1.5 million", "up to NT$1.5 million", "最多"),
    ("the two years add up to NT$1.48 billion", "NT$1.48 billion", None),   # a sum, not a bound
    (C("AI 工業視覺：優於人類 3 倍以上的效率"), "3 倍以上", "以上"),
    (C("單位:新臺幣 億元"), None, None),
]


@pytest.mark.parametrize(("text", "span", "qualifier"), QUALIFIER_CASES)
def test_qualifiers(text, span, qualifier):
    if span is None:
        assert extract_quantities(text) == []
    else:
        assert find(text, span).qualifier == qualifier


def test_qualifier_is_part_of_the_span_but_not_of_equality():
    text = "本行動方案預期未來四年投入約 360 億元"
    q = extract_quantities(text)[-1]
    assert q.text == text[q.start:q.end] == "約 360 億元"
    assert same_quantity(q, only("360 億元"))


# ----------------------------------------------- full-width / Simplified

def test_full_width_digits_keep_original_offsets():
    text = "經費為 ３９，０００ 萬元，成長 １２．５％"
    money, pct = extract_quantities(text)
    assert (money.value, money.text) == (390_000_000, "３９，０００ 萬元")
    assert text[money.start:money.end] == money.text
    assert (pct.value, pct.text) == (12.5, "１２．５％")


def test_offsets_survive_characters_that_nfkc_expands():
    text = "目錄……… 3.9 億元（約）"  # … becomes "..." under NFKC
    q = extract_quantities(text)[0]
    assert text[q.start:q.end] == q.text == "3.9 億元"


def test_simplified_chinese():
    found = extract_quantities("新台币 3.9 亿元，超过 200 人，约 30 万人次，民国108年")
    assert [(q.kind, q.value, q.qualifier) for q in found] == [
        ("money", 390_000_000, None), ("count", 200, "超過"),
        ("count", 300_000, "約"), ("year", 2019, None)]


# -------------------------------------------- things that are not amounts

@pytest.mark.parametrize("text", [
    "審議編號：108-1901-06-20-01",
    "電話\t02-2737-7945\t電子郵件",
    "02-6631-6666轉6513",
    "(02)2737-7945",
])
def test_identifiers_are_not_money_or_counts(text):
    q = only(text)
    assert (q.kind, q.unit) == ("number", "編號")
    assert not any(q.kind in ("money", "count") for q in
                   extract_quantities(text, default_money_unit="千元"))


def test_identifier_equality_uses_all_digits():
    a = only("審議編號：108-1901-06-20-01")
    assert same_quantity(a, only("108-1901-06-20-01"))
    assert not same_quantity(a, only("108-1901-01-20-01"))
    assert quantity_supported(a, "審議編號\t108-1901-06-20-01\t")
    assert not quantity_supported(a, "審議編號：108-1901-01-20-01")


@pytest.mark.parametrize(("text", "spans"), [
    (C("(2) 營運知識協作"), []),
    (C("1.千人智慧科技菁英 2.萬人智慧應用先鋒"), ["千人", "萬人"]),
    (C("建立產業鏈計畫 12 件以上。 2. 帶動廠商投資"), ["12 件以上"]),
    (C("1-2 110-114 年(含)後結束之計畫"), ["110-114 年"]),
    (C("3-3 人口、婚姻、家庭領域"), []),
    (C("發展智慧型機器人核心零組件與應用"), []),
    (C("約數十萬至百萬元"), []),
    (C("(單位：新臺幣千元)"), []),
    (C("甄選方式(權重百分之五)"), ["百分之五"]),
    ("統一 一般 百工百業 萬一 兩岸", []),
    (C("(A007)"), []),
    ("5G COVID-19 H100 v1.2", []),
    ("① 推動 ㈠ 辦理", []),
])
def test_markers_labels_and_words_are_not_quantities(text, spans):
    found = extract_quantities(text, default_money_unit="千元")
    assert [q.text for q in found] == spans
    assert not any(q.kind == "money" for q in found)


@pytest.mark.parametrize(("text", "share", "qualifier"), [
    ("媒合至少三分之二成功就業", 200 / 3, "至少"),
    ("協助至少 2/3 就業或創業", 200 / 3, "至少"),
    ("任一性別不少於三分之一原則", 100 / 3, "不少於"),
    ("企業需負擔一半以上經費", 50, None),
    ("其中有六成出席者為各方代表", 60, None),
    ("其中 3 成為現金支出", 30, None),
    ("at least half of the trainees", 50, "至少"),
    ("two-thirds of the trainees", 200 / 3, None),
])
def test_fractions_and_cheng_are_percent_shares(text, share, qualifier):
    (q,) = extract_quantities(text)
    assert q.kind == "percent" and q.value == pytest.approx(share) and q.qualifier == qualifier


@pytest.mark.parametrize(("text", "value", "unit"), [("a 3-month training period", 3, "個月"),
                                                   ("a 12-month internship", 12, "個月"),
                                                   ("a 1-year subsidy", 1, "年")])
def test_an_english_hyphenated_span_is_a_duration(text, value, unit):
    # not a bare number 3 that any count could state
    (q,) = extract_quantities(text)
    assert (q.kind, q.value, q.unit) == ("number", value, unit)


@pytest.mark.parametrize("text", ["107/6/29", "截至 106/12/31", "a half-year course", "the first half of the plan",
                                  "a third round", "4/3"])
def test_dates_halves_of_time_and_ordinals_are_not_shares(text):
    assert not any(q.kind == "percent" for q in extract_quantities(text))


def test_labels_are_plain_numbers():
    q = find("如表 2 所示", "表 2")
    assert (q.kind, q.value, q.unit) == ("number", 2, "")
    q = find("表 8：各行動子計畫年度經費", "表 8")
    assert (q.kind, q.value) == ("number", 8)
    # 發表 / 代表 end in 表 but are not labels
    assert find("發表 5 篇論文", "5 篇").kind == "count"
    assert find("業者代表 20 人", "20 人").kind == "count"


# ---------------------------------------------- table units and defaults

@pytest.mark.parametrize(("text", "unit"), [
    (C("(單位：新臺幣千元)"), "千元"),
    (C("單位:新臺幣 億元"), "億元"),
    (C("經費小計(千元) 275,000"), "千元"),
    (C("工作項目\t項目說明\t成本(億元)"), "億元"),
    (C("本計畫全程所需經費總計"), None),
])
def test_declared_money_unit(text, unit):
    assert declared_money_unit(text) == unit


def test_bare_numbers_become_money_in_the_default_unit():
    text = "114 年 0.200 115-117 年 0.250/年"
    found = extract_quantities(text, default_money_unit="億元")
    assert [(q.kind, q.value) for q in found] == [
        ("year", 2025), ("money", 20_000_000), ("year", 2026), ("money", 25_000_000)]
    assert [q.kind for q in extract_quantities(text)] == ["year", "number", "year", "number"]


def test_unknown_default_unit_is_refused():
    with pytest.raises(ValueError, match="千元"):
        extract_quantities("1", default_money_unit="公斤")


# ------------------------------------------------ conversion and format

@pytest.mark.parametrize(("value", "unit", "yuan"), [
    (3.9, "億元", 390_000_000), (39_000, "萬元", 390_000_000),
    (390_000, "千元", 390_000_000), (275_000, "新臺幣千元", 275_000_000),
    (1, "亿元", 100_000_000), (2, "百萬元", 2_000_000), (1.2, "billion", 1.2e9),
    (3, "兆元", 3e12), (7, "元", 7),
])
def test_money_to_yuan(value, unit, yuan):
    assert money_to_yuan(value, unit) == pytest.approx(yuan, rel=1e-12)


def test_money_to_yuan_lists_valid_units_on_error():
    with pytest.raises(ValueError) as err:
        money_to_yuan(1, "億")
    assert all(u in str(err.value) for u in ("元", "千元", "萬元", "億元"))


@pytest.mark.parametrize(("yuan", "unit", "text"), [
    (390_000_000, "千元", "390,000 千元"),
    (390_000_000, "億元", "3.9 億元"),
    (390_000_000, "萬元", "39,000 萬元"),
    (3_676_500_000, "億元", "36.765 億元"),
    (275_000_000, "千元", "275,000 千元"),
    (1_234.5, "元", "1,234.5 元"),
    (-500_000_000, "億元", "-5 億元"),
])
def test_format_money(yuan, unit, text):
    assert format_money(yuan, unit) == text


def test_format_money_default_unit_and_decimals():
    assert format_money(390_000_000) == "390,000 千元"
    assert format_money(390_000_000, "億元", decimals=2) == "3.90 億元"
    with pytest.raises(ValueError):
        format_money(float("nan"))
    with pytest.raises(ValueError):
        format_money(1, "公斤")


@pytest.mark.parametrize("unit", list(MONEY_UNITS))
def test_format_money_round_trips_through_extract(unit):
    rng = random.Random(f"format-{unit}")
    for _ in range(40):
        yuan = rng.randrange(1, 10**13) * rng.choice([1, 1000, 10**4])
        q = only(format_money(yuan, unit))
        assert q.kind == "money"
        assert q.value == pytest.approx(yuan, rel=1e-9)
        assert q.unit == unit


# ------------------------------------------------------ evidence support

def test_quantity_supported_across_units_and_table_units():
    claim = only("3.9 億元")
    assert quantity_supported(claim, "經費為 390,000 千元")
    assert quantity_supported(claim, "單位：千元\n合計\t390,000")  # 單位 line
    assert quantity_supported(claim, "合計 390,000", default_money_unit="千元")
    assert not quantity_supported(claim, "合計 390,000")  # no unit known
    assert not quantity_supported(claim, "3.9%")


def test_quantity_supported_by_an_end_of_a_range():
    assert quantity_supported(only("117 年"), "本計畫期程自 114 年至 117 年")
    assert quantity_supported(only("2028 年"), "115-117 年")
    assert not quantity_supported(only("116 年"), "115-117 年")


@pytest.mark.parametrize(("claim", "evidence", "ok"), [
    (C("39"), "共 39 人", True),
    (C("39"), "390,000 千元", False),
    (C("39"), "0.39", False),
    (C("39"), "1939", False),
    (C("2,000"), "2000", True),
    (C("0.25"), "115-117 年 0.250/年", True),
])
def test_unitless_numbers_need_the_same_whole_number(claim, evidence, ok):
    assert quantity_supported(only(claim), evidence) is ok


def test_percent_claim_is_not_supported_by_money():
    assert not quantity_supported(only("50%"), "50 億元")
    assert quantity_supported(only("百分之五十"), "就業率 50%以上")


# ---------------------------------------------------------- the corpus

def test_corpus_sentences_are_verbatim():
    texts = [p.read_text(encoding="utf-8") for p in SOURCES]
    assert texts, "corpus/sources/*.txt missing"
    assert len(CORPUS) > 40
    missing = [s for s in CORPUS if not any(s in t for t in texts)]
    assert missing == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_whole_documents_parse_with_exact_spans(path):
    text = path.read_text(encoding="utf-8")
    found = extract_quantities(text)
    assert found
    assert all(text[q.start:q.end] == q.text for q in found)
    assert all(q.kind in ("money", "percent", "count", "year", "number") for q in found)
    # 審議編號 lines never yield money or counts
    for q in found:
        if q.unit == "編號":
            assert q.kind == "number"


def test_import_pulls_in_nothing_but_the_standard_library():
    code = ("import sys; before = set(sys.modules); import assistant.figures.quantities, assistant.figures.units, assistant.figures.compare; "
            "print('\\n'.join(sorted(set(sys.modules) - before)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True,
                         capture_output=True, text=True).stdout.split()
    foreign = [m for m in out if m.split(".")[0] not in sys.stdlib_module_names
               and m.split(".")[0] != "assistant"]
    assert foreign == []


def test_a_share_in_cheng_rounds_at_its_printed_step():
    from assistant.figures.matching import value_match

    stated = find("共培訓女性學員 2,274 人次(22.3%)", "22.3%")
    assert value_match(only("約占兩成二"), stated) == "rounded"
    assert value_match(only("約兩成"), stated) == "rounded"
    assert value_match(only("約三成"), stated) == ""
    assert only("約占兩成二").qualifier == "約"


@pytest.mark.parametrize(("text", "value"), [("等15家企業及19個新創團隊共襄盛舉", 19), ("推動解題團隊 40 組", 40),
                                             ("淬鍊解題團隊33隊", 33)])
def test_teams_are_counted_in_one_classifier(text, value):
    """「19 個新創團隊」, 「40 組」 and 「33 隊」 all count teams ("teams" in English)."""
    from assistant.figures.quantities import canonical_classifier

    (q,) = [q for q in extract_quantities(text) if q.value == value]
    assert canonical_classifier(q.classifier) == "隊"
    assert canonical_classifier(extract_quantities("3 個傑出獎")[0].classifier) == "個"
