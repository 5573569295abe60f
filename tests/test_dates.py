"""Dates, ages and durations as figures (assistant.figures.dates,
assistant.figures.sentences): read in both calendars and in English, and
compared at the coarser precision of the two."""
from __future__ import annotations

from hypothesis import given, strategies as st

from assistant.figures.claims import parse_claim
from assistant.figures.compare import same_quantity
from assistant.figures.dates import dates_in, same_date
from assistant.figures.matching import comparable
from assistant.figures.quantities import extract_quantities
from assistant.figures.sentences import figures_in


def _one(text: str):
    found = dates_in(text)
    assert len(found) == 1, found
    return found[0]


def test_roc_and_western_dates_are_one_day():
    roc = _one("行政院 107 年 6 月 29 日院臺科會字第 1070172174 號函核定")
    assert roc.value == 20180629 and roc.text == "107 年 6 月 29 日"
    for western in ("2018年6月29日", "June 29, 2018", "29 June 2018", "2018/06/29"):
        assert same_date(_one(western), roc), western
    assert not same_date(_one("2017年6月29日"), roc)


def test_a_range_takes_the_start_year_for_an_end_without_one():
    full = _one("全程期間110年01月01日至114年08月31日")
    assert (full.value, full.upper) == (20210101, 20250831)
    same_year = _one("110年1月1日至12月31日")
    assert (same_year.value, same_year.upper) == (20210101, 20211231)
    english = _one("from January 1, 2023 to December 31, 2024")
    assert (english.value, english.upper) == (20230101, 20241231)
    since = _one("全程期間自 110 年 1 月 1 日起至 114 年 8 月 31 日止")   # 「自…起至…止」
    assert (since.value, since.upper) == (20210101, 20250831)


def test_days_of_one_month_are_one_range():
    srb = _one("行政院於 106 年 7 月 10 日至 12 日，假台北國際會議中心")
    assert (srb.value, srb.upper) == (20170710, 20170712)
    assert same_date(_one("2017年7月10日至12日"), srb)
    talks = dates_in("北中南說明會\t3月21 - 25日\t6月13日")
    assert [(d.value, d.upper) for d in talks] == [(321, 325), (613, None)]


def test_a_month_or_a_date_without_year_compares_at_its_precision():
    assert same_date(_one("2017 年 7 月"), _one("106 年 7 月 10 日至 12 日"))
    assert not same_date(_one("2018 年 10 月"), _one("107 年 6 月 29 日"))
    assert same_date(_one("January 2021 to August 2025"), _one("110年01月01日至114年08月31日"))
    assert same_date(_one("構想收件 5月31日"), _one("108 年 5 月 31 日"))
    assert not same_date(_one("5月30日"), _one("108 年 5 月 31 日"))


def test_words_that_are_not_dates():
    assert dates_in("It may 2018 be") == []
    assert dates_in("8 月") == [] and dates_in("6 個月") == []
    assert dates_in("實習訓練至少六個月以上") == []


@given(st.integers(1990, 2100), st.integers(1, 12), st.integers(1, 28))
def test_roc_western_and_slash_forms_agree(y, m, d):
    forms = [f"{y}年{m}月{d}日", f"民國 {y - 1911} 年 {m} 月 {d} 日", f"{y}/{m:02d}/{d:02d}"]
    values = {_one(f).value for f in forms}
    assert values == {y * 10000 + m * 100 + d}
    assert same_quantity(_one(forms[0]), _one(forms[1]))


def test_ages_durations_and_dates_are_claim_figures():
    kinds = lambda text: [(f.quantity.kind, f.quantity.unit, f.quantity.value) for f in parse_claim(text).figures]
    assert kinds("AIGO解題申請資格原則上為年滿18歲、具中華民國國籍之自然人。") == [("number", "歲", 18)]
    assert kinds("訓儲菁英赴合作廠商的實習訓練至少須達六個月。") == [("number", "個月", 6)]
    assert kinds("AIGO solvers must be ROC nationals aged 18 or over.") == [("number", "歲", 18)]
    assert kinds("LIFT recruits PhDs under 45 years of age.") == [("number", "歲", 45)]
    assert kinds("LIFT recruits overseas PhD holders who are 45 or younger.") == [("number", "歲", 45)]
    assert kinds("Trainees must spend at least three months at partner companies.") == [("number", "個月", 3)]
    assert kinds("臺灣AI行動計畫於2018年6月29日經行政院函核定。") == [("date", "日期", 20180629)]
    # a span of years is still no figure, and a date takes no year of the claim
    assert kinds("The plan runs four years.") == []
    dated = parse_claim("110年1月1日起補助36家企業").figures
    assert [(f.quantity.kind, str(f.years)) for f in dated] == [("date", "None"), ("count", "110 年")]


def test_a_single_month_is_when_a_figure_is_counted_not_a_figure():
    figs = figures_in("114 年度(至 114 年 8 月)推動數位人才認證培育 2,200 人次")
    assert [f.quantity.kind for f in figs] == ["count"]


def test_an_age_or_a_duration_is_stated_only_as_one():
    (age,) = [f.quantity for f in figures_in("學員年齡須在 35 歲以下")]
    (months,) = [f.quantity for f in figures_in("實習至少 6 個月")]
    bare = extract_quantities("二代接班人數位成長 50,240")[0]
    assert comparable(age, [f.quantity for f in figures_in("年滿 20 歲")][0])
    assert not comparable(age, bare) and not comparable(months, bare) and not comparable(age, months)
    # so is a multiple: 「縮小 5 倍」 is no count of 5 items
    (times,) = [f.quantity for f in figures_in("推論模型縮小 5 倍")]
    (items,) = [f.quantity for f in figures_in("完成 5 項")]
    assert not comparable(times, items) and comparable(times, [f.quantity for f in figures_in("提升 10 倍")][0])


def test_english_days_of_one_month_are_one_span():
    # the AIGO 作業時程: 「大型輪桌接洽會 5月2-3日」
    english, chinese = _one("the matchmaking session takes place on May 2-3."), _one("大型輪桌接洽會\t5月2-3日")
    assert (english.value, english.upper) == (502, 503) and same_date(english, chinese)
    assert (_one("June 19–20, 2019").value, _one("June 19–20, 2019").upper) == (20190619, 20190620)


def test_a_ten_day_part_of_a_month_is_a_range_of_days():
    (mid,) = dates_in("108-1場實證審查暨成果發表會於11月中旬舉行。")
    assert (mid.value, mid.upper, mid.text) == (1111.0, 1120.0, "11月中旬")
    held, late = dates_in("實證審查暨成果發表會 11月5 - 6日 11月下旬")
    assert not same_date(mid, held) and not same_date(mid, late)
    assert same_date(dates_in("於 11 月下旬舉行")[0], late)
