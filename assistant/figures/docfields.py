"""Readers of the document-level fields of a plan: dates and periods, agency
names, titles, review numbers and the labels that introduce them.

Pure text functions over the NFKC-folded chunk text (full-width 「：」 has
become ``:``); :mod:`assistant.figures.docfacts` decides where to apply them.

Example:
    >>> read_period("106 年 9 月至 109 年 12 月107 年 8 月")
    Period(text='106 年 9 月至 109 年 12 月', start='2017-09', end='2020-12')
    >>> agency_prefix("經濟部工業局預定執行機關")
    '經濟部工業局'
    >>> [(m.label, m.value) for m in scan_labels("審議編號:112-1402-11-20-01計畫名稱:數位人才發展計畫")]
    [('審議編號', '112-1402-11-20-01'), ('計畫名稱', '數位人才發展計畫')]

Sources of the rules:

* Labels are the field names of the Executive Yuan's plan forms as printed
  in the shipped plans: 政府科技發展計畫「基本資料及概述表(A003)」(審議編號,
  計畫名稱, 申請機關, 預定執行機關, 執行期間, 全程期間, 資源投入), 修正對照表
  (A009), 中長程個案計畫性別影響評估檢視表 (主管機關, 主辦機關), plus the
  usual variants of 中長程個案計畫編審要點 (計畫期程, 全程經費, 總經費).
* Dates are written 民國 (``107 年 8 月``, below 1000: + 1911) or Western
  (``2018 年 6 月``); a period is two dates joined by 至/到/~/-
  (``108年1月1日至109年12月31日``, ``114 年至 117 年``) or two years before
  one 年 (``2018-2021 年``).
* Agency names: the central government organs (行政院組織法 and its
  predecessors: 經濟部, 科技部, 國家科學及技術委員會 …, and their short
  names 國科會 …) or a city/county government, optionally followed by one
  unit ending in 署/局/處/司/中心/辦公室 (``經濟部工業局``,
  ``數位發展部數位產業署``); a value read under an agency label may also be
  any list of names ending in such a suffix (``產學及園區業務司、經濟部工業局``).
* A review number is a 政府科技計畫 審議編號 (``108-1901-06-20-01``: digit
  groups joined by hyphens) or an official letter number (``院臺科會字第
  1070172174 號``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from ..language import as_western


class DocSlot(str, Enum):
    """A document-level fact a plan states once: its title, agency, period,
    cover date, review number and total budget."""

    TITLE = "title"
    AGENCY = "agency"
    PERIOD = "period"
    COVER_DATE = "cover_date"
    REVIEW_NUMBER = "review_number"
    TOTAL_BUDGET = "total_budget"


# -- dates and periods --------------------------------------------------------
_DATE = r"(?:中華民國|民國)?\s*(\d{2,4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?"
_DASH = r"(?:至|到|~|～|-|–|—|－)"
_RANGE = re.compile(rf"(?<!\d){_DATE}\s*起?\s*{_DASH}\s*{_DATE}(?:\s*止)?")
_YEAR_PAIR = re.compile(rf"(?<!\d)(\d{{2,4}})\s*{_DASH}\s*(\d{{2,4}})\s*年(?:度)?")
_ONE_YEAR = re.compile(r"(?<!\d)(\d{2,4})\s*年(?:度)?")
# A date with at least a month (a cover date: 「中華民國 107 年 8 月」).
DATE = re.compile(r"(?<!\d)(?:中華民國|民國)?\s*(\d{2,4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
# ROC years 1-200 (1912-2111) or Western years 1912-2111.
_ROC_MAX = 200


def iso_date(year: str, month: str | None = None, day: str | None = None) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (Western) of a printed date,
    or ``None`` when it is not a plausible date (民國 1–200, Western
    1912–2111, month 1–12, day 1–31).

    >>> iso_date("107", "8"), iso_date("2018"), iso_date("108", "13")
    ('2018-08', '2018', None)
    """
    y = int(year)
    if not (1 <= y <= _ROC_MAX or 1912 <= y <= 1911 + _ROC_MAX):
        return None
    out = f"{as_western(y):04d}"
    if month is None:
        return out
    if not 1 <= int(month) <= 12:
        return None
    out += f"-{int(month):02d}"
    if day is None:
        return out
    return out + f"-{int(day):02d}" if 1 <= int(day) <= 31 else None


@dataclass(frozen=True)
class Period:
    """A period as printed and its ends as ISO dates (``2017-09``).

    Attributes:
        text: the printed span (``106 年 9 月至 109 年 12 月``).
        start, end: ``YYYY[-MM[-DD]]``, Western; ``end >= start``.
    """

    text: str
    start: str
    end: str


def read_period(text: str, *, anywhere: bool = False, single: bool = False) -> Period | None:
    """The period at the start of ``text`` (after spaces), or the first one
    anywhere in it with ``anywhere``; ``single`` also accepts one year
    (``108 年度`` -> 2019–2019).  ``None`` when there is none."""
    text_at = text if anywhere else text.lstrip()
    skip = len(text) - len(text_at)
    for pattern in (_RANGE, _YEAR_PAIR) + ((_ONE_YEAR,) if single else ()):
        m = pattern.search(text_at) if anywhere else pattern.match(text_at)
        if m is None:
            continue
        g = m.groups()
        if pattern is _RANGE:
            start, end = iso_date(*g[:3]), iso_date(*g[3:])
        elif pattern is _YEAR_PAIR:
            start, end = iso_date(g[0]), iso_date(g[1])
        else:
            start = end = iso_date(g[0])
        if start and end and end[:4] >= start[:4]:
            return Period(text[skip + m.start():skip + m.end()].strip(), start, end)
    return None


# -- agencies -----------------------------------------------------------------
_ORGANS = ("行政院", "總統府", "立法院", "司法院", "考試院", "監察院", "內政部", "外交部", "國防部", "財政部", "教育部",
           "法務部", "經濟部", "交通部", "勞動部", "衛生福利部", "文化部", "數位發展部", "農業部", "環境部", "科技部",
           "國家科學及技術委員會", "國家發展委員會", "金融監督管理委員會", "海洋委員會", "僑務委員會", "原住民族委員會",
           "客家委員會", "大陸委員會", "國軍退除役官兵輔導委員會", "公共工程委員會", "農業委員會", "原子能委員會",
           "核能安全委員會", "國家通訊傳播委員會", "公平交易委員會", "中央選舉委員會", "中央銀行", "國立故宮博物院",
           "主計總處", "人事行政總處", "環境保護署", "衛生署", "國科會", "國發會", "金管會", "農委會", "工程會")
_UNIT = r"[\u4e00-\u9fff]{1,10}?(?:分署|署|局|處|司|中心|辦公室)"
_ORGAN = (r"(?:行政院)?(?:" + "|".join(sorted(_ORGANS, key=len, reverse=True))
          + r"|[\u4e00-\u9fff]{2}[市縣]政府)(?:" + _UNIT + r")?")
_SEP = r"\s*[、,，/]\s*"
_ORGAN_LIST = re.compile(rf"{_ORGAN}(?:{_SEP}{_ORGAN})*")
_NAME = r"[\u4e00-\u9fffA-Za-z()]{1,30}?(?:部|院|署|局|處|司|會|中心|辦公室|政府|所|館|小組|公司|大學)"
_NAME_LIST = re.compile(rf"{_NAME}(?:{_SEP}{_NAME})*")


# An approval statement on a cover: organ, date, letter number, 核定
# (「行政院 107 年 6 月 29 日院臺科會字第 1070172174 號函核定」).
APPROVAL = re.compile(rf"(?:(?P<org>{_ORGAN})\s*)?(?:(?:中華民國|民國)?\s*\d{{2,4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\s*)?"
                      r"(?P<no>[\u4e00-\u9fff]{1,10}字第\s*[A-Za-z0-9-]{3,20}\s*號)\s*(?:函|令)?\s*(?:修正)?"
                      r"(?:核定|核准|核備|同意|備查)")


def organ_names(text: str) -> list[re.Match]:
    """Every run of central or local government organ names in ``text``
    (``經濟部工業局``, ``科技部、經濟部``)."""
    return list(_ORGAN_LIST.finditer(text))


def agency_prefix(text: str, *, whole_cell: bool = False) -> str | None:
    """The agency names at the start of ``text`` (after spaces): organ
    names (``經濟部序號`` -> ``經濟部``); with ``whole_cell`` (the value cell
    of an agency label) the whole text when it is a list of names ending
    in an agency suffix (``產學及園區業務司、經濟部工業局``).  ``None`` when
    there is none."""
    t = text.strip()
    if whole_cell and _NAME_LIST.fullmatch(t):
        return t
    m = _ORGAN_LIST.match(t)
    return m.group() if m else None


# -- titles and numbers -------------------------------------------------------
_PLAN_WORD = re.compile(r"計畫|計劃|方案|行動|專案|綱要|Plan|Program", re.IGNORECASE)
# A title ends with its plan word, perhaps a parenthesis and 介紹/簡介
# (「人才培育計畫(AI GO)介紹」); not a form name (計畫書, …表).
_TITLE_END = re.compile(r"(?:計畫|計劃|方案|專案|綱要)(?:\s*\([^)]{1,20}\))?\s*(?:介紹|簡介)?$")
_NOT_TITLE = re.compile(r"表|計畫書|^\d+\s*年度?$")
_TITLE_START = re.compile(r"[\u4e00-\u9fffA-Za-z0-9「『\"(]")
_QUOTED = re.compile(r"「([^」]{2,80})」|『([^』]{2,80})』|“([^”]{2,80})”")
MAX_TITLE = 80


def title_value(text: str, *, labelled: bool) -> str | None:
    """``text`` as a plan title (quotes and spaces stripped), or ``None``:
    2–80 characters starting with a letter, digit or quote, no form name
    (計畫書, …表); a labelled value (after 計畫名稱) must name a plan word
    (計畫, 方案, 行動 …), an unlabelled one (a cover line) must end with one
    (``臺灣 AI 行動計畫``, ``…人才培育計畫(AI GO)介紹``)."""
    t = text.strip().strip("「」『』“”\"").strip()
    if not (2 <= len(t) <= MAX_TITLE) or not _TITLE_START.match(t) or _NOT_TITLE.search(t):
        return None
    ok = _PLAN_WORD.search(t) if labelled else _TITLE_END.search(t)
    return t if ok else None


def quoted(text: str) -> re.Match | None:
    """The first 「…」/『…』/“…” quote of ``text`` (group 1–3: its inside)."""
    return _QUOTED.search(text)


_REVIEW_NO = re.compile(r"[A-Za-z]{0,4}\d{2,4}(?:\s*-\s*[A-Za-z0-9]{1,6}){2,6}(?![\dA-Za-z-])")
_LETTER_NO = re.compile(r"[\u4e00-\u9fff]{1,10}字第\s*[A-Za-z0-9-]{3,20}\s*號")


def review_number(text: str) -> str | None:
    """The review number at the start of ``text`` (after spaces): a 審議編號
    (``108-1901-06-20-01``) or a letter number (``院臺科會字第 1070172174
    號``); ``None`` otherwise."""
    t = text.lstrip()
    m = _REVIEW_NO.match(t) or _LETTER_NO.match(t)
    return m.group().strip() if m else None


# -- labels -------------------------------------------------------------------
@dataclass(frozen=True)
class LabelRule:
    """A field label: its slot and its rank among the slot's labels (0 first;
    the agency roles 主管 > 主辦 > 申請 > 執行)."""

    slot: DocSlot
    rank: int


LABELS: dict[str, LabelRule] = {
    "計畫名稱": LabelRule(DocSlot.TITLE, 0), "計畫全名": LabelRule(DocSlot.TITLE, 0),
    "主管機關": LabelRule(DocSlot.AGENCY, 1), "主辦機關": LabelRule(DocSlot.AGENCY, 2),
    "申請機關": LabelRule(DocSlot.AGENCY, 3), "提案機關": LabelRule(DocSlot.AGENCY, 3),
    "執行機關": LabelRule(DocSlot.AGENCY, 4), "預定執行機關": LabelRule(DocSlot.AGENCY, 4),
    "計畫期程": LabelRule(DocSlot.PERIOD, 0), "計畫全程": LabelRule(DocSlot.PERIOD, 0),
    "計畫期間": LabelRule(DocSlot.PERIOD, 0), "實施期程": LabelRule(DocSlot.PERIOD, 0),
    "執行期程": LabelRule(DocSlot.PERIOD, 1), "執行期間": LabelRule(DocSlot.PERIOD, 1),
    "全程期間": LabelRule(DocSlot.PERIOD, 2),
    "審議編號": LabelRule(DocSlot.REVIEW_NUMBER, 0), "核定文號": LabelRule(DocSlot.REVIEW_NUMBER, 0),
    "計畫編號": LabelRule(DocSlot.REVIEW_NUMBER, 1),
    "全程經費": LabelRule(DocSlot.TOTAL_BUDGET, 0), "計畫總經費": LabelRule(DocSlot.TOTAL_BUDGET, 0),
    "總經費": LabelRule(DocSlot.TOTAL_BUDGET, 0), "經費總額": LabelRule(DocSlot.TOTAL_BUDGET, 0),
    "全程所需經費": LabelRule(DocSlot.TOTAL_BUDGET, 0), "總預算": LabelRule(DocSlot.TOTAL_BUDGET, 1),
}
# The other field names of the same forms: they end the value before them.
_STOP_LABELS = ("預定計畫主持人", "計畫主持人", "計畫摘要", "計畫類別", "計畫群組", "中英文關鍵詞", "政策依據", "資源投入",
                "前一年度預算", "計畫額度", "跨部會署計畫", "重點政策項目", "前瞻項目", "計畫目標", "序號")
# A label inside a longer word is another field (細部計畫名稱, 前期程計畫名稱,
# 資訊總經費): the character before it must not be one of these.
_LABEL_RE = re.compile(
    r"(?<![細部子項期程之分訊安])(?P<label>" + "|".join(sorted([*LABELS, *_STOP_LABELS], key=len, reverse=True)) + r")"
    r"(?P<note>(?:\s*\([^)]{0,24}\))*)\s*(?P<colon>:)?\s*")
_NUMBERING = re.compile(r"^\s*(?:[壹貳參肆伍陸柒捌玖拾]{1,3}|[一二三四五六七八九十]{1,3}|\d{1,2})\s*[、.]\s*|^\s*\([一二三四五六七八九十\d]{1,3}\)\s*")
_NOTE = re.compile(r"\s*\([^)]*\)\s*")
_MONEY_NOTE = re.compile(r"\(\s*(?:新[臺台]幣)?\s*(千萬元|百萬元|千元|萬元|億元|元)\s*\)")
# A value ends at a sentence end, a tab or a line end.
_VALUE_END = re.compile(r"[。;\t\n]")


def label_of_cell(cell: str) -> str | None:
    """The label a table cell is, numbering, notes and colon stripped
    (``貳、主管機關`` -> ``主管機關``, ``預定執行機關 (單位或機構)`` ->
    ``預定執行機關``), or ``None``."""
    t = _NOTE.sub("", _NUMBERING.sub("", cell)).strip().rstrip(":").strip()
    return t if t in LABELS or t in _STOP_LABELS else None


def money_note(text: str) -> str | None:
    """The money unit of a label's note (``全程經費(千元)`` -> ``千元``)."""
    m = _MONEY_NOTE.search(text)
    return m.group(1) if m else None


@dataclass(frozen=True)
class LabelMatch:
    """A label and the raw value text after it.

    Attributes:
        label: the label as listed in :data:`LABELS` (``申請機關``).
        rule: its :class:`LabelRule`.
        start: offset of the label in the scanned text.
        value_start: offset of the value (after notes, colon and spaces).
        value: the text up to the next label, sentence end or tab.
        note: the label's parenthesised notes (``(千元)``, ``(單位)``).
    """

    label: str
    rule: LabelRule
    start: int
    value_start: int
    value: str
    note: str


def scan_labels(text: str, *, colon: bool = False) -> list[LabelMatch]:
    """The field labels of :data:`LABELS` in ``text`` with the raw value
    after each (up to the next label of any form field, a sentence end or a
    tab); with ``colon`` only labels followed by a colon (``計畫名稱:…``: a
    labelled statement in running text)."""
    found = list(_LABEL_RE.finditer(text))
    out = []
    for k, m in enumerate(found):
        if m.group("label") not in LABELS or (colon and not m.group("colon")):
            continue
        stop = found[k + 1].start() if k + 1 < len(found) else len(text)
        end = _VALUE_END.search(text, m.end(), stop)
        value = text[m.end():end.start() if end else stop]
        out.append(LabelMatch(m.group("label"), LABELS[m.group("label")], m.start(), m.end(), value, m.group("note")))
    return out


__all__ = [
    "APPROVAL",
    "DATE",
    "LABELS",
    "MAX_TITLE",
    "DocSlot",
    "LabelMatch",
    "LabelRule",
    "Period",
    "agency_prefix",
    "iso_date",
    "label_of_cell",
    "money_note",
    "organ_names",
    "quoted",
    "read_period",
    "review_number",
    "scan_labels",
    "title_value",
]
