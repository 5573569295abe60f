"""Labels that say *which* budget line or target a figure belongs to.

A figure in a plan is about a component (分項二, 細部計畫一, 子項 1.1), a cost
class (經常支出 / 資本支出), a cost category (人事費, 材料費 …), a budget
stage (送審數 / 核定數 …), a budget kind (既有 / 新增預算) and a period
(每年 / 全程).  Within each :class:`Group` the values exclude each other: a
figure of 分項一 is not a figure of 分項二, a 核定數 is not a 送審數.  Claims
and the plans' cells and sentences are both read with :func:`find_labels`,
so that a claim about 資本支出 never matches a 經常支出 cell.

Rules and their sources:

* Cost classes and categories follow the budget forms of the Executive
  Yuan's government science and technology plans (政府科技發展計畫書,
  「經費需求表(B005)」 and 「基本資料表(A003)」 as printed in the shipped
  plans): 經常支出 = 人事費 + 材料費 + 其他費用, 資本支出 = 土地建築 +
  儀器設備 + 其他費用.  Hence 人事費 and 材料費 imply 經常支出, 土地建築 and
  儀器設備 imply 資本支出 (:data:`IMPLIED_DOOR`); 其他費用 exists in both.
* Stages are the columns those forms and their revision tables print
  (送審數/核定數 in 修正對照表(A009), 法定數/申請數 in 經費分攤表(B008),
  執行數/保留數 in 進度及預算執行情形).
* 新增 / 既有 are only labels in table headers and as 新增預算 / 既有預算
  in prose (「新增 300 名研發人員」 is not a budget kind).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from ingest.tables import TOTAL_WORDS


class Group(str, Enum):
    """A family of mutually exclusive labels."""

    PART = "part"            # 分項 / 細部計畫 / 子計畫 number: "1", "2" …
    SUBITEM = "subitem"      # 子項 number: "1.1", "2.3"
    DOOR = "door"            # 經常 (經常支出/經常門) or 資本 (資本支出/資本門)
    COST = "cost"            # 人事費, 材料費, 其他費用, 土地建築, 儀器設備, 業務費 …
    STAGE = "stage"          # 送審, 核定, 法定, 申請, 執行, 保留
    KIND = "kind"            # 既有 or 新增 (預算)
    PERIOD = "period"        # 每年 (annual), 每月 (monthly), 全程/期末 (whole period), 第一年 …
    ROUND = "round"          # a numbered round of a year: 108-1場, 108-2 場次, "round (108-2)" -> "108-2"


@dataclass(frozen=True)
class Label:
    """One label found in a text.

    Attributes:
        group: its :class:`Group`.
        value: the canonical value (``"2"`` for 分項二, ``"經常"`` for
            經常門, ``"核定"`` for 核定數, ``"annual"``/``"monthly"``/
            ``"total"``/``"第一年"`` for periods).
        start, end: offsets in the searched text.
    """

    group: Group
    value: str
    start: int
    end: int


ANNUAL = "annual"
MONTHLY = "monthly"
TOTAL = "total"
#: A claim's yearly average of an amount the plan states as a whole-period
#: total ("averages about NT$156 million per year"); facts carry it only as
#: such an average (:func:`assistant.figures.derive.yearly_average`).
AVERAGE = "average"

# Cost categories implying a cost class (see the module docstring).
IMPLIED_DOOR = {"人事費": "經常", "材料費": "經常", "土地建築": "資本", "儀器設備": "資本"}

#: Label groups under a coarser one: a 子項 lies within a 分項, a cost
#: category (人事費, 材料費 …) within a cost class (經常門 / 資本門).  A figure
#: with a coarser label of its own does not inherit a finer one stated for an
#: earlier figure (「材料費 160 萬元，資本門為 0」: the 0 is the 資本門's).
FINER_THAN = {Group.SUBITEM: Group.PART, Group.COST: Group.DOOR}

_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

# A count of years (「四年」, 「兩年合計」, "four years"): not 第 (「第三年」) nor
# a year's last digit (「113 年」).  Shared by claim parsing and the claim's
# own arithmetic (:mod:`assistant.figures.claimmath`).
_COUNT_OF_YEARS = re.compile(r"(?<![第\d])([2-6二兩两三四五六])\s*(?:個)?年(?!度)|\b(two|three|four|five|six)\s+years",
                             re.IGNORECASE)
_YEAR_COUNT_WORDS = {"二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                     "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def years_counted(text: str) -> list[int]:
    """The counts of years ``text`` names, in order: 「兩年合計」 → [2],
    "over four years" → [4]; 「113 年」 and 「第三年」 name none."""
    out = []
    for digit, word in _COUNT_OF_YEARS.findall(text):
        key = digit or word.lower()
        out.append(int(key) if key.isdigit() else _YEAR_COUNT_WORDS[key])
    return out


_BARE_ROUND = re.compile(r"(?<![\d年度\s])\s*第\s*(?P<n>[1-9一二三四五])\s*(?=場|梯|期|屆)")

_PATTERNS: tuple[tuple[Group, re.Pattern[str]], ...] = (
    (Group.PART, re.compile(r"(?:分項|細部計畫|子計畫)\s*[:：]?\s*(?P<n>[一二三四五六七八九十]|\d{1,2})(?![\d.年個項位家次月日期])(?!、\s*[一二三四五六七八九十\d])(?!人(?!才))(?!名(?!稱))"
                            r"|第(?P<m>[一二三四五六七八九十])(?:分項|細部計畫|子計畫)")),
    (Group.SUBITEM, re.compile(r"子項\s*(?P<n>\d{1,2}\.\d{1,2})")),
    (Group.DOOR, re.compile(r"(?P<v>經常|資本)(?:支出|門)")),
    (Group.COST, re.compile(r"(?P<v>人事費|材料費|其他費用|其他經常支出|其他資本支出|土地建築|儀器設備"
                            r"|業務費|旅運費|管理費|維護費|設備使用費|補助款)")),
    # 核定 as a verb right before an amount is the 核定數 too (「各核定 2.75 億元」,
    # 「核定為 280,000 千元」; not before a count: 「獲核定 40 名培訓員額」 is no
    # budget stage)
    (Group.STAGE, re.compile(r"(?P<v>送審|核定)(?:數|版|經費|(?=\s*(?:為|是)?\s*[\d０-９][\d０-９,.]*\s*(?:[千萬億]|百萬)?元))"
                             r"|(?P<w>法定|申請|執行|保留)數|(?P<x>法定)預算"
                             # 「實際執行 969.9 萬元、保留 30.1 萬元」: 執行 / 保留 right before
                             # an amount is the 執行數 / 保留數
                             r"|(?P<y>執行|保留)(?=\s*(?:約|了|共|為)?\s*[\d０-９][\d０-９,.]*\s*(?:[千萬億]|百萬)?元)")),
    # a round of a year (the AIGO 作業時程 table's 「108-1場時程」「108-2場時程」):
    # a ROC year, a dash and the round, before 場 / 梯 / 期 / 屆 or in
    # parentheses after an English "round (108-2)"
    # -- or a year's numbered round in words (「108 年第 1 場」, 「108年度第二梯」)
    (Group.ROUND, re.compile(r"(?<![\d.\-])(?P<v>1\d{2}\s*-\s*[1-9])(?![\d.])(?=\s*(?:場|梯|期|屆|\)|）|round|session))"
                             r"|(?<![\d.])(?P<ry>1\d{2})\s*年度?\s*第\s*(?P<rn>[1-9一二三四五])\s*(?=場|梯|期|屆)",
                             re.I)),
    # 全計畫 is the whole period, except right after a year: 「108 年度全計畫
    # 人事費」 is the whole plan's figure for that year; 總經費 right after
    # 每年 is each year's (「115 至 117 年每年總經費均為 9.5 億元」)
    # a count of years before a sum word is the whole span (「三年合計 160 組」,
    # 「兩年共計」), not a year: no 第 (「第三年」) nor a digit (「113 年合計」) before it
    (Group.PERIOD, re.compile(r"(?P<a>每年度?|每一年|年均|/年)|(?P<m>每月|每個月|月均|/月)"
                              r"|(?P<t>全程|全期程?|(?<!年)(?<!年度)(?<!年 )(?<!年度 )全計畫|四年|累計"
                              r"|(?<![第\d])(?:[兩二三五六]|[2-6]\s*)年(?=\s*(?:合計|共計|總計|累計|共))"
                              r"|(?<!每年)(?<!每年度)(?<!每年 )(?<!每年度 )總經費|預算總額|總預算|期末|終點)"
                              r"|(?P<n>第[一二三四五六]年)")),
)
_KIND_PROSE = re.compile(r"(?P<v>新增|既有)預算")
_KIND_HEADER = re.compile(r"(?P<v>新增|既有)")


def _norm(text: str) -> str:
    # NFKC keeps the length of CJK text (full-width forms map 1:1).
    return "".join(unicodedata.normalize("NFKC", ch) if len(unicodedata.normalize("NFKC", ch)) == 1 else ch
                    for ch in text)


# A space inside letter-spaced text: between two CJK characters, one of which
# stands alone (「核 定 經 費」, not 「經費 預算」).
_SPACED = re.compile(r"(?<=(?<![\u3400-\u9fff])[\u3400-\u9fff])[ \t\u3000](?=[\u3400-\u9fff])"
                     r"|(?<=[\u3400-\u9fff])[ \t\u3000](?=[\u3400-\u9fff](?![\u3400-\u9fff]))")


def _squeeze(text: str) -> tuple[str, list[int]]:
    """``text`` without single spaces between CJK characters (letter-spaced
    headings: 「核 定 經 費」) and, for each kept character, its offset in
    ``text``."""
    keep = [i for i in range(len(text)) if not _SPACED.match(text, i)]
    return "".join(text[i] for i in keep), keep + [len(text)]


def find_labels(text: str, *, header: bool = False) -> list[Label]:
    """Every label in ``text``, in order of position.

    Args:
        text: Traditional Chinese text (a claim, a sentence, a row label or a
            column header path).
        header: ``True`` for table headers and row labels, where a bare
            新增 / 既有 is a budget kind and 合計/小計/總計 a total.

    Letter-spaced words (「核 定 經 費」) are read as written together.

    Returns:
        :class:`Label` objects sorted by ``start``.  其他經常支出 gives both
        DOOR 經常 and COST 其他費用.  A text's labels are read once and
        kept (:data:`LABELS_CACHED` texts): the answer selector reads the
        labels of the same corpus sentences for every question.
    """
    return list(_labels_cached(text, header))


#: Texts whose labels :func:`find_labels` keeps (least recently used
#: dropped; a label is ~100 bytes, the shipped corpus has ~9,000 sentences
#: and cells).
LABELS_CACHED = 32768


@lru_cache(maxsize=LABELS_CACHED)
def _labels_cached(text: str, header: bool) -> tuple[Label, ...]:
    t, pos = _squeeze(_norm(text))
    out: list[Label] = []

    def add(group: Group, value: str, start: int, end: int) -> None:
        out.append(Label(group, value, pos[start], pos[end - 1] + 1))

    for group, pat in _PATTERNS:
        for m in pat.finditer(t):
            if group is Group.PART:
                raw = m.group("n") or m.group("m")
                value = str(_CN_NUM.get(raw, raw))
            elif group is Group.SUBITEM:
                value = m.group("n")
            elif group is Group.STAGE:
                value = m.group("v") or m.group("w") or m.group("x") or m.group("y")
            elif group is Group.ROUND:
                value = re.sub(r"\s+", "", m.group("v")) if m.group("v") \
                    else f"{m.group('ry')}-{_CN_NUM.get(m.group('rn'), m.group('rn'))}"
            elif group is Group.PERIOD:
                value = ANNUAL if m.group("a") else MONTHLY if m.group("m") else m.group("n") or TOTAL
            else:
                value = m.group("v")
            if group is Group.COST and value in ("其他經常支出", "其他資本支出"):
                add(Group.DOOR, value[2:4], m.start(), m.end())
                value = "其他費用"
            add(group, value, m.start(), m.end())
    # a later round named by its number alone (「108 年第 1 場…，第 2 場…」)
    # is of the year of the round named before it
    for m in _BARE_ROUND.finditer(t):
        prior = [lb for lb in out if lb.group is Group.ROUND and lb.end <= pos[m.start()]]
        if prior:
            year = prior[-1].value.split("-")[0]
            add(Group.ROUND, f"{year}-{_CN_NUM.get(m.group('n'), m.group('n'))}", m.start(), m.end())
    kind = _KIND_HEADER if header else _KIND_PROSE
    for m in kind.finditer(t):
        add(Group.KIND, m.group("v"), m.start(), m.end())
    if header:
        for m in TOTAL_WORDS.finditer(t):
            add(Group.PERIOD, TOTAL, m.start(), m.end())
    return tuple(sorted(out, key=lambda lb: (lb.start, lb.group.value)))


def label_map(labels: list[Label]) -> dict[Group, str]:
    """Group → value, the LAST label of each group winning (the label
    nearest to a figure that follows the text)."""
    out: dict[Group, str] = {}
    for lb in labels:
        out[lb.group] = lb.value
    return out


def part_name(value: str) -> str:
    """The name of a component label's value: 「分項一」 for ``"1"`` (the
    plans' numerals up to 十), 「分項 11」 beyond."""
    digits = "零一二三四五六七八九十"
    return f"分項{digits[int(value)]}" if value.isdigit() and int(value) <= 10 else f"分項 {value}"


def is_total_text(text: str) -> bool:
    """True when a row label or column header names a total (合計, 小計,
    總計, 總額, 共計)."""
    return bool(TOTAL_WORDS.search(text))


__all__ = ["years_counted", "ANNUAL", "AVERAGE", "COMPONENT_GROUPS", "MONTHLY", "Group", "IMPLIED_DOOR", "Label", "TOTAL", "TOTAL_WORDS",
           "find_labels", "part_name", "is_total_text", "label_map", "named_components"]


#: Label groups that name a part of a plan (分項 / 細部計畫, 子項): a
#: question naming one the document never names cannot be answered from it.
COMPONENT_GROUPS = (Group.PART, Group.SUBITEM)


def named_components(texts) -> frozenset:
    """``{(group, value)}`` of the components (:data:`COMPONENT_GROUPS`)
    that ``texts`` (an iterable of str, e.g. a document's chunks) name."""
    return frozenset((lb.group, lb.value) for t in texts for lb in find_labels(t) if lb.group in COMPONENT_GROUPS)
