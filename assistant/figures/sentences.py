"""The figures of a text, each with the year it is stated for, its labels and
the words around it.

A claim (「分項二 108 年度經費為 350,000 千元」) and a plan sentence
(「107 年、108 年、109 年各編列 3.9 億元、3.9 億元、4 億元」) are read the
same way, so that the verifier compares like with like.

Rules (each tested in ``tests/test_claims.py``):

* A **figure** is a money amount, a percentage, a count, a multiple, a
  foreign-currency amount, an age or a duration in months, weeks or days
  (``20 歲``, ``6 個月``), a date (:mod:`assistant.figures.dates`; it takes
  no year, it has its own) or a bare/scaled number; not a year, a span of
  years (``3 年``), an ordinal, an identifier, a number right after
  子項/分項/表/圖/附件/第 (``子項 1.1``, ``表 8``), or a plan's edition
  (``臺灣 AI 行動計畫 2.0``).
* The **year** of a figure, first rule that applies:

  1. a year in parentheses right after it: ``32.5%(2023 年)``;
  2. *respectively* lists: a run of years followed by as many figures
     (``107 年、108 年、109 年各編列 3.9 億元、3.9 億元、4 億元``) pairs them
     in order;
  3. year–value runs of flattened tables (a bare 「112-113」 of ROC years is
     a year span too) (``年度 經費(千元)110 398,500 111
     398,500 112 275,000``): bare ROC/Western years each followed by a value;
     a ``合計`` value right after the run gets the whole span;
  4. the year(s) before it in the same clause with no other figure between:
     one year (or range ``107~110 年``) is its year; several different years
     in a row (a flattened header 「112 年度 113 年度 114 年度」) are
     ambiguous and give none.

  Anything else has no year here (the caller may fall back to the sentence or
  the heading, see :mod:`assistant.figures.extract`).
* An **enumeration** joined by 、 shares the unit written after its last
  member: 「108、109、110 年」 are three years and 「2.80、3.10、3.00 億元」
  three amounts in 億元 (so the respectively rule pairs them).
* **Labels** (:mod:`assistant.figures.labels`) of a figure: per group, the nearest
  label before it in the same sentence (period words 每年/全程 only since the
  previous figure) -- unless a total word (小計/合計)
  not attached to that label lies between them (「資本門小計 0 經費小計 275,000」:
  the 275,000 is not 資本門); when its clause has no later figure, labels
  after it in the clause count too (「116,000 千元屬經常支出」).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable

from .labels import FINER_THAN, Group, Label, TOTAL_WORDS, find_labels
from .dates import dates_in
from .quantities import EN_CLASSIFIERS, Quantity, extract_quantities
from .units import money_to_yuan

# Sentence and clause boundaries.  A line break ends a sentence (list items
# and flattened table rows are lines) unless the next line opens with a
# parenthesis that is not an enumerator -- 「…或 3 個月培育期\n(每人時數至少
# 380 小時)」 is one wrapped sentence, 「\n(1) …」 and 「\n（二）…」 start new ones.
_SENTENCE_END = re.compile(r"[。；;！？!?]|\n(?![(（](?![一二三四五六七八九十\d]{1,2}[)）]))")
# Where the local context of a figure stops.
_CLAUSE_CUT = re.compile(r"[，,：:；;。!?！？\n•●■◆▪]|(?<!\S)\d{1,2}[.、)](?!\d)")
_BEFORE_CUT = re.compile(r"[，,；;。!?！？\n•●■◆▪]")
# The gap between two figures of one list (「5個傑出獎、22個優等獎及19個佳作獎」):
# the words up to the joiner name the figure before it (its noun, 傑出獎),
# not the one after.  A gap holding no words (「3、5、7 家」) is no such list.
_JOINED = re.compile(r"\s*(?P<own>[^\d\s，,。；;：:]{1,10}?)\s*(?:以及|及|與|和|暨|、)\s*")
# What may separate the members of a list (years or figures).
_LIST_GAP = re.compile(r"^[\s、,，及和與以及]*$")
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
# Words saying that the figures after a span of years go one per year.
_RESPECTIVELY = re.compile(r"分別|依序|依次")
# Longest span of years read one figure per year (a plan's period is at most
# a few years; a longer span followed by a list is not read this way).
_MAX_RESPECTIVE = 10
# Words that make the number after them a label, not a figure.
_LABEL_BEFORE = re.compile(r"(?:子項|分項|細部計畫|子計畫|表|圖|附件|附錄|附表|第|編號|No\.?|ROC|Table|Figure"
                           r"|sub-?projects?|components?|sub-?items?|pillars?)\s*$", re.I)
# A version number after a name (「臺灣 AI 行動計畫 2.0」, 「工業 4.0」,
# "Web 3.0"): a bare 「N.0」 there names the plan's edition, not a figure
# (one followed by a tab or another number is a table's amount).
_VERSION_BEFORE = re.compile(r"(?:計畫|方案|工業|版本?|\b(?:Plan|Industry|Web|Version))\s*$", re.I)
_VERSION = re.compile(r"\d\.0")
_VERSION_AFTER = re.compile(r"\t|\s*\d")
# A quantity whose own text starts with a figure/table label (「表 8」).
_LABEL_TEXT = re.compile(r"(?:表|圖|附件|附錄|附表)")
# Units of kind "number" that are not figures: spans in years (「3 年」 reads
# as a year as often as a duration), the parts of a date (月, 日), ordinals
# and ids.  Ages (歲) and durations in months, weeks and days (個月, 週, 天)
# are figures: eligibility and training rules state them (「年滿 20 歲」,
# 「實習訓練至少六個月」).
_NOT_FIGURE_UNITS = {"年", "年期", "月", "日", "編號", "第", "年度"}
#: The unit of a span of years (kind "number"): 「研發經驗 2 年以上」, "at
#: least three years of experience" -- a bare 「3 年」 stays no figure (it
#: reads as a year as often as a duration, see above), and so does 「3 年內」
#: (the period of a figure).
YEARS_UNIT = "年間"
#: Units of an age or a duration that make a figure (kind "number").
SPAN_UNITS = ("歲", "個月", "週", "天", YEARS_UNIT)
# Qualifiers that make a number of 年 or 日 a duration (「2 年以上」,
# 「至少 3 日」); not 以前/前 (「10 日前」 is a date).
_DURATION_QUALIFIERS = frozenset({"以上", "以下", "至少", "不少於", "逾", "超過", "未滿", "滿", "至多", "最多"})
# 「三日內」: a span of days, not a date (「3 年內」 is the period of a
# figure, not a rule's span).
_WITHIN = re.compile(r"\s*(?:以|之)?內")

#: The unit of a rank (kind "number"): an ordinal after a ranking word
#: (「排行第 14 名」, "ranked 14th") is a figure, compared only with ranks.
RANK_UNIT = "名次"
# A ranking word right before an ordinal (Chinese, with at most a few
# characters between: 「全球排名第 4」「排行第 14 名」).
_RANK_BEFORE = re.compile(r"(?:排名|排行|名列|位居|居於?|(?<![安編並])排)[^\d，。；,;]{0,4}$")
# An English rank: "ranked 4th", "ranks 14th", "4th place".
_EN_RANK = re.compile(r"\b(?:rank(?:ed|s|ing)?|placed?)\s+(?:(?:No\.|number)\s*)?(\d{1,3})(?:st|nd|rd|th)?\b"
                      r"|\b(?:rank(?:ed|s|ing)?|placed?)\s+(?:[A-Za-z]+\s+){1,2}?(\d{1,3})(?:st|nd|rd|th)\b"
                      r"|\b(\d{1,3})(?:st|nd|rd|th)\s+(?:place|position)\b", re.I)
# Bare year numbers in flattened tables: ROC 80-150 or Western 1990-2100.
_ROC_RUN = (80, 150)
_WESTERN_RUN = (1990, 2100)
# Local context kept on each side of a figure (characters).
BEFORE_CHARS = 40
AFTER_CHARS = 30


#: The most years a plan's period spans in the corpus (six): the longest
#: span a 每年 claim is checked on year by year, and a whole-period amount
#: is averaged over.
MAX_PLAN_YEARS = 6


@dataclass(frozen=True)
class YearSpan:
    """A year or a span of years, in the Western calendar (inclusive)."""

    lo: int
    hi: int

    @classmethod
    def of(cls, q: Quantity) -> "YearSpan":
        """The span of a kind-"year" quantity (``107~110 年`` -> 2018..2021)."""
        return cls(int(q.value), int(q.upper if q.upper is not None else q.value))

    @property
    def single(self) -> bool:
        return self.lo == self.hi

    def __str__(self) -> str:
        def roc(y: int) -> str:
            return str(y - 1911) if y > 1911 else str(y)
        return f"{roc(self.lo)} 年" if self.single else f"{roc(self.lo)}~{roc(self.hi)} 年"


@dataclass(frozen=True)
class Figure:
    """A figure found in a text.

    Attributes:
        quantity: the figure (money in 元, percent, count, number).
        years: the year it is stated for, or None (see the module rules).
        year_rule: ``"paren"``, ``"respectively"``, ``"run"``, ``"before"``
            or ``""``.
        labels: group -> value of the labels that apply to it.
        before: up to :data:`BEFORE_CHARS` characters of its clause before
            it, back to the previous figure.
        after: up to :data:`AFTER_CHARS` characters after it, to the end of
            its clause; empty when another figure follows in the same clause
            (the words between lead in to that figure).
        sentence: the sentence (between 。；\\n) that contains it.
        aggregate: a 合計/小計/總計 word labels it (「合計 1,533,000」).
    """

    quantity: Quantity
    years: YearSpan | None
    year_rule: str
    labels: dict = field(hash=False, compare=False)
    before: str
    after: str
    sentence: str
    aggregate: bool = False

    @property
    def start(self) -> int:
        return self.quantity.start

    @property
    def end(self) -> int:
        return self.quantity.end


def is_figure_quantity(q: Quantity, text: str) -> bool:
    """True when ``q`` (found in ``text``) is a figure (see the module rules)."""
    if q.kind in ("money", "percent", "count"):
        return True
    if q.kind == "year" or q.unit in _NOT_FIGURE_UNITS or _LABEL_TEXT.match(q.text):
        return False
    before = text[max(0, q.start - 14):q.start]
    if (q.unit == "" and _VERSION.fullmatch(q.text.strip()) and _VERSION_BEFORE.search(before)
            and not _VERSION_AFTER.match(text, q.end)):
        return False
    return not _LABEL_BEFORE.search(before)


def _year_value(q: Quantity) -> int | None:
    """The Western year a bare integer in a flattened table stands for."""
    if q.kind != "number" or q.unit != "" or q.upper is not None or not float(q.value).is_integer():
        return None
    v = int(q.value)
    if _ROC_RUN[0] <= v <= _ROC_RUN[1]:
        return v + 1911
    if _WESTERN_RUN[0] <= v <= _WESTERN_RUN[1]:
        return v
    return None


# English numbers spelled out before a count noun or a span of months,
# weeks or days ("three months", "five trainees"); not before "years" (a
# span of years is not a figure, see above).
_EN_SPELLED = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_EN_SPELLED.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100})
_EN_SPAN_UNITS = {"month": "個月", "months": "個月", "week": "週", "weeks": "週", "day": "天", "days": "天"}
_EN_SPELLED_RE = re.compile(
    r"\b(?P<n>" + "|".join(_EN_SPELLED) + r")[ -](?P<noun>"
    + "|".join(sorted(list(EN_CLASSIFIERS) + list(_EN_SPAN_UNITS), key=len, reverse=True)) + r")\b", re.I)


def _ranks(qs: list[Quantity], text: str) -> list[Quantity]:
    """``qs`` with each ordinal after a ranking word (「排行第 14 名」) read
    as a rank (unit :data:`RANK_UNIT`), and English ranks ("ranked 4th")
    added."""
    out = [replace(q, unit=RANK_UNIT) if q.kind == "number" and q.unit == "第"
           and _RANK_BEFORE.search(text[max(0, q.start - 8):q.start]) else q for q in qs]
    if _ASCII_WORD.search(text):
        for m in _EN_RANK.finditer(text):
            g = next(i for i in (1, 2, 3) if m.group(i))
            start, end = m.span(g)
            # the rank replaces the bare number read there ("No. 1")
            out = [o for o in out if not (o.start < end and start < o.end and o.kind == "number" and o.unit == "")]
            if not any(o.start < end and start < o.end for o in out):
                out.append(Quantity(float(m.group(g)), "number", RANK_UNIT, start=start, end=m.end(), text=text[start:m.end()]))
        out.sort(key=lambda q: q.start)
    return out


def _en_number(word: str) -> float:
    """The value of a number written in digits or as an English word of
    :data:`_EN_SPELLED` ("3", "three")."""
    w = word.lower()
    return float(w) if w.isdigit() else float(_EN_SPELLED[w])


# English spans of years or days: a qualifier before, or "of (…)
# experience" / "or more" after ("at least three years", "three years of
# hands-on R&D experience"); "within" only before days ("within 3 days";
# "over / within four years" is the period of a figure).
_EN_SPAN = re.compile(
    r"\b(?:(?P<pre>at least|more than|a minimum of|minimum of|within)\s+)?"
    r"(?P<n>\d{1,2}|" + "|".join(_EN_SPELLED) + r")[ -](?P<noun>years?|days?)\b"
    r"(?P<post>\s+of\s+(?:[\w&-]+\s+){0,3}experience|\s+or\s+more)?", re.I)
_EN_SPAN_QUALIFIERS = {"at least": "至少", "more than": "超過", "a minimum of": "至少", "minimum of": "至少"}


# Words before a month that make it the point a figure is counted to or a
# period starts or ends at (「執行至 114 年 8 月」, "as of August 2025"), and
# after it (「114 年 8 月止」「底」「前」「起」).
_COUNTED_TO = re.compile(r"(?:至|截至|到|迄|自|從|from|to|until|till|through|as of|by|since|before|after)\s*$", re.I)
_MONTH_BOUND = re.compile(r"\s*(?:止|底|為止|前|以前|起|之前|以後|後)")


def _event_month(d: Quantity, text: str) -> bool:
    """True when ``d`` -- a date of a year and a month, no day -- is when
    something happened (「行政院於 2017 年 10 月核定」, "held in July 2017"),
    not the bound of a period or a count (:data:`_COUNTED_TO`,
    :data:`_MONTH_BOUND`)."""
    if d.value < 1e7 or d.value % 100:
        return False
    return not _COUNTED_TO.search(text[max(0, d.start - 8):d.start]) and not _MONTH_BOUND.match(text, d.end)


def _durations(qs: list[Quantity], text: str) -> list[Quantity]:
    """``qs`` with each span of years or days read as a duration figure
    (:data:`YEARS_UNIT`, 天): a number of 年 / 日 with a duration qualifier
    (:data:`_DURATION_QUALIFIERS`; days also followed by 內: 「研發經驗 2 年以上」,
    「七日內通知」), and English spans (:data:`_EN_SPAN`) added -- eligibility
    and process rules state them, and claims restate them."""
    out = []
    for q in qs:
        if q.kind == "number" and q.unit in ("年", "日") and q.value < 100 and q.upper is None \
                and (q.qualifier in _DURATION_QUALIFIERS or (q.unit == "日" and _WITHIN.match(text, q.end))):
            q = replace(q, unit=YEARS_UNIT if q.unit == "年" else "天")
        out.append(q)
    if _ASCII_WORD.search(text):
        for m in _EN_SPAN.finditer(text):
            days = m.group("noun").lower().startswith("day")
            if not (m.group("pre") or m.group("post")) or (m.group("pre") or "").lower() == "within" and not days:
                continue  # "over four years", "within two years": the period of a figure, not a rule's span
            v = _en_number(m.group("n"))
            post = (m.group("post") or "").lower()
            qual = _EN_SPAN_QUALIFIERS.get((m.group("pre") or "").lower()) or ("以上" if "or more" in post else None)
            unit = "天" if days else YEARS_UNIT
            span = Quantity(v, "number", unit, None, qual, None, m.start(), m.end(), m.group(0))
            out = [o for o in out if not (o.start < span.end and span.start < o.end)] + [span]
    return sorted(out, key=lambda q: q.start)


# A multiple written out: "tenfold", "five-fold", "by a factor of ten" (10).
_EN_MULTIPLE = re.compile(r"\b(?:(?P<w>" + "|".join(_EN_SPELLED) + r")-?fold"
                          r"|(?:by\s+)?a\s+factor\s+of\s+(?P<f>\d{1,3}|" + "|".join(_EN_SPELLED) + r")"
                          r"|(?P<t>" + "|".join(w for w in _EN_SPELLED if w not in ("zero", "one")) + r")\s+times)\b"
                          r"(?!\s+(?:a|per|each|every)\s+(?:year|month|week|day)\b)",  # "two times a year": a frequency
                          re.I)


def _spelled_english(text: str) -> list[Quantity]:
    """Counts, spans and multiples written with an English number word
    ("three months" -> 3 個月, "five trainees" -> 5 人, "tenfold" /
    "by a factor of ten" / "ten times" -> 10 倍, as 「縮小 5 倍」)."""
    out = []
    for m in _EN_MULTIPLE.finditer(text):
        v = _en_number(m.group("w") or m.group("f") or m.group("t"))
        out.append(Quantity(v, "number", "倍", start=m.start(), end=m.end(), text=m.group(0)))
    for m in _EN_SPELLED_RE.finditer(text):
        v, noun = float(_EN_SPELLED[m.group("n").lower()]), m.group("noun").lower()
        if noun in _EN_SPAN_UNITS:
            out.append(Quantity(v, "number", _EN_SPAN_UNITS[noun], start=m.start(), end=m.end(), text=m.group(0)))
        else:
            out.append(Quantity(v, "count", noun, EN_CLASSIFIERS[noun], start=m.start(), end=m.end(), text=m.group(0)))
    return out


_ASCII_WORD = re.compile(r"[A-Za-z]{3}")
_EN_AGE_BEFORE = re.compile(r"\b(?:aged|ages?|age of)\s*$", re.I)
_EN_AGE_AFTER = re.compile(r"^\s*(?:years?[ -]old|years? of age|or younger|or under)\b", re.I)


def _english_age(q: Quantity, text: str) -> Quantity:
    """An English age ("aged 20", "45 years old", "under 45 years of age",
    "45 or younger") is a number of 歲, as 「年滿 20 歲」 is."""
    if q.kind != "number" or q.unit not in ("", "年"):
        return q
    tail = text[q.end:] if q.unit == "" else q.text[q.text.rfind("year"):] + text[q.end:]
    if not (_EN_AGE_BEFORE.search(text[max(0, q.start - 12):q.start]) or _EN_AGE_AFTER.match(tail)):
        return q
    return Quantity(q.value, "number", "歲", None, q.qualifier, q.upper, q.start, q.end, q.text)


def _fix_glued_year_unit(q: Quantity) -> Quantity:
    """「1,533,000年度」: a large number glued to a following 年度 label is a
    bare number, not a duration."""
    if q.kind == "number" and q.unit in ("年", "年度") and q.value >= 10000:
        return Quantity(q.value, "number", "", None, q.qualifier, q.upper, q.start, q.end, q.text)
    return q


def _bare_year_range(q: Quantity) -> Quantity:
    """「112-113」 without a unit: both ends ROC years (80-150), at most 10
    apart -- a span of years (「期程(年) 112-113」), like 「2018-2021」."""
    if q.kind == "number" and q.unit == "" and q.upper is not None and float(q.value).is_integer() \
            and float(q.upper).is_integer() and _ROC_RUN[0] <= q.value < q.upper <= _ROC_RUN[1] \
            and q.upper - q.value <= 10:
        return Quantity(q.value + 1911, "year", "", None, q.qualifier, q.upper + 1911, q.start, q.end, q.text)
    return q


# The gap between members of an enumeration that shares its last unit.
_ENUM_GAP = re.compile(r"^\s*、\s*$")


def _share_enumeration_unit(qs: list[Quantity], text: str) -> list[Quantity]:
    """Bare numbers listed with 、 before a quantity with a unit take that
    unit (module rules): ROC (80-150) or Western (1900-2100) integers before
    a year become years; any number before money, a percent or a count
    becomes one in the same unit."""
    out = list(qs)
    for i in range(len(out) - 1, 0, -1):
        last = out[i]
        if last.kind not in ("year", "money", "percent", "count") or not last.unit:
            continue
        j = i
        while j > 0 and out[j - 1].kind == "number" and out[j - 1].unit == "" and out[j - 1].upper is None \
                and _ENUM_GAP.match(text[out[j - 1].end:out[j].start]):
            j -= 1
        for k in range(j, i):
            q = out[k]
            if last.kind == "year":
                roc = _ROC_RUN[0] <= q.value <= _ROC_RUN[1]
                if not float(q.value).is_integer() or not (roc or 1900 <= q.value <= 2100) \
                        or roc != (last.value - 1911 == _year_number(text, last)):
                    break
                out[k] = Quantity(q.value + 1911 if roc else q.value, "year", last.unit, None, q.qualifier,
                                  None, q.start, q.end, q.text)
            elif last.kind == "money":
                out[k] = _with_money_unit(q, last.unit)
            else:
                out[k] = Quantity(q.value, last.kind, last.unit, last.classifier, q.qualifier, None,
                                  q.start, q.end, q.text)
    return out


def _year_number(text: str, q: Quantity) -> float:
    """The year number as written (110 for 「110 年」, 2021 for 「2021 年」)."""
    m = re.search(r"\d+", text[q.start:q.end])
    return float(m.group()) if m else q.value


def _with_money_unit(q: Quantity, unit: str) -> Quantity:
    value = money_to_yuan(q.value, unit)
    upper = money_to_yuan(q.upper, unit) if q.upper is not None else None
    return Quantity(value, "money", unit, None, q.qualifier, upper, q.start, q.end, q.text)


def _runs(items: list[Quantity], text: str, ok) -> list[list[Quantity]]:
    """Maximal runs of consecutive ``items`` satisfying ``ok`` separated only
    by list gaps."""
    runs: list[list[Quantity]] = []
    for q in items:
        if not ok(q):
            continue
        if runs and _LIST_GAP.match(text[runs[-1][-1].end:q.start]) and runs[-1][-1] is _prev(items, q):
            runs[-1].append(q)
        else:
            runs.append([q])
    return runs


def _prev(items: list[Quantity], q: Quantity) -> Quantity | None:
    i = items.index(q)
    return items[i - 1] if i else None


def _same_segment(a: Label, b: Label, bounds: list[tuple[int, int]]) -> bool:
    """True when no figure lies between labels ``a`` and ``b``."""
    lo, hi = min(a.end, b.end), max(a.start, b.start)
    return not any(lo <= s and e <= hi for s, e in bounds)


def _labels_for(sentence_labels: list[Label], s0: int, fig_start: int, fig_end: int, clause_end: int,
                last_in_clause: bool, text: str, seg_bounds: list[tuple[int, int]],
                prev_end: int = 0, share: bool = False) -> dict[Group, str]:
    """Per group, the nearest label before the figure (see the module rules);
    period words (每年/全程) only count between the previous figure and it, and
    a finer label (:data:`FINER_THAN`) before the previous figure does not
    carry over a coarser one after it.  A total word (合計, 總額 …) after a
    label starts another subject -- except before a ``share`` with no figure
    between the label and it (a percent is a share *of* the total:
    「管理費…不得高於補助總額 5%」 is still the 管理費's figure)."""
    out: dict[Group, str] = {}
    before = [lb for lb in sentence_labels if lb.end <= fig_start
              and (lb.group is not Group.PERIOD or lb.start >= prev_end)]
    # two different labels of one group side by side, no figure between, are
    # a flattened header (「小計經常支出資本支出」): that group stays unknown
    ambiguous: set[Group] = set()
    for g in {lb.group for lb in before}:
        same = [x for x in before if x.group is g]
        if len(same) >= 2:
            a, b = same[-2], same[-1]
            between = text[a.end:b.start]
            if a.value != b.value and _same_segment(a, b, seg_bounds) and not re.search(r"[\w\u3400-\u9fff]", between):
                ambiguous.add(g)
    totals = [m for m in TOTAL_WORDS.finditer(text, s0, fig_start)]
    for lb in before:
        out[lb.group] = lb.value
        last_end = lb.end
        reset = not (share and last_end >= prev_end) \
            and any(m.start() > last_end + 1 for m in totals if m.start() >= last_end)
        if reset and lb.group not in (Group.PART, Group.SUBITEM, Group.STAGE, Group.PERIOD):
            out.pop(lb.group)
    for g in ambiguous:
        out.pop(g, None)
    # a coarser label after the previous figure starts another subject: the
    # finer label before that figure was that figure's own
    for fine, coarse in FINER_THAN.items():
        last_fine = next((lb for lb in reversed(before) if lb.group is fine), None)
        if last_fine is not None and out.get(fine) == last_fine.value and last_fine.end <= prev_end \
                and any(lb.group is coarse and lb.start >= prev_end for lb in before):
            out.pop(fine)
    if last_in_clause:
        for lb in sentence_labels:
            if fig_end <= lb.start < clause_end and lb.group not in out:
                out[lb.group] = lb.value
    return out


def _year_value_runs(qs: list[Quantity], text: str) -> tuple[dict[int, YearSpan], set[int], set[int], dict[int, str]]:
    """Year-value runs of flattened tables (rule 3).

    Returns ``(year of each value, starts of the year numbers, starts of the
    合計 values, the run's leading label for each value)``, all keyed by
    ``Quantity.start``.
    """
    run_label: dict[int, str] = {}
    run_year: dict[int, YearSpan] = {}
    year_starts: set[int] = set()
    aggregates: set[int] = set()
    n, i = len(qs), 0
    while i < n:
        pairs: list[tuple[Quantity, Quantity, int]] = []
        j = i
        while j + 1 < n:
            y, v = qs[j], qs[j + 1]
            yv = _year_value(y)
            if yv is None or v.kind == "year" or text[y.end:v.start].strip():
                break
            if _year_value(v) is not None and not re.search(r"[,.]", v.text):
                break
            if pairs and (text[pairs[-1][1].end:y.start].strip() or yv <= pairs[-1][2]):
                break
            pairs.append((y, v, yv))
            j += 2
        lead = text[max(0, qs[i].start - 14):qs[i].start]
        if len(pairs) >= 2 or (len(pairs) == 1 and "年度" in lead):
            prev_end = qs[i - 1].end if i else 0
            label = _SENTENCE_END.split(text[prev_end:qs[i].start])[-1].strip()[-24:]
            for y, v, yv in pairs:
                year_starts.add(y.start)
                run_year[v.start] = YearSpan(yv, yv)
                run_label[v.start] = label
            if j < n:
                tail = text[pairs[-1][1].end:qs[j].start]
                if TOTAL_WORDS.search(tail) and len(tail.strip()) <= 6 and qs[j].kind != "year":
                    run_year[qs[j].start] = YearSpan(pairs[0][2], pairs[-1][2])
                    aggregates.add(qs[j].start)
                    run_label[qs[j].start] = f"{label} {tail.strip()}"
            i = j
        else:
            i += 1
    return run_year, year_starts, aggregates, run_label


def _label_amount(q: Quantity, text: str) -> bool:
    """A bare number in parentheses right after a name: an item's amount
    printed in its label (「分項二、建構多元產業應用(19.225)」)."""
    if q.kind != "number" or q.unit or q.upper is not None:
        return False
    before, after = text[:q.start].rstrip(), text[q.end:].lstrip()
    return before[-1:] in ("(", "（") and _CJK_CHAR.match(before[:-1].rstrip()[-1:] or " ") is not None \
        and after[:1] in (")", "）")


def figures_in(text: str, *, default_money_unit: str | None = None,
               labels: Iterable[Label] | None = None, header_labels: bool = False,
               label_amount_unit: str | None = None) -> list[Figure]:
    """The figures of ``text`` with their years, labels and local context.

    Args:
        text: a claim, a sentence or a passage (Traditional or Simplified
            Chinese; English number forms are read too).
        default_money_unit: bare numbers become money in this unit (a key of
            :data:`assistant.figures.quantities.MONEY_UNITS`), e.g. the 單位 of a
            flattened table; years in year–value runs are never converted.
        labels: labels already found in ``text`` (default: found here with
            :func:`assistant.figures.labels.find_labels`).
        header_labels: read ``text`` as a table header (bare 新增/既有,
            合計 are labels).
        label_amount_unit: without ``default_money_unit``, a bare number in
            parentheses after a name (「建構多元產業應用(19.225)」, the item's
            amount in a budget table's label cell) is money in this unit.

    Returns:
        :class:`Figure` objects in order of position.

    Raises:
        ValueError: unknown ``default_money_unit``.
    """
    qs = [_english_age(_bare_year_range(_fix_glued_year_unit(q)), text) for q in extract_quantities(text)]
    if _ASCII_WORD.search(text):
        spelled = _spelled_english(text)
        # "by a factor of 10": the multiple replaces the bare number read in it
        qs = [o for o in qs if not (o.kind == "number" and o.unit == "" and any(
            q.unit == "倍" and o.start < q.end and q.start < o.end for q in spelled))]
        spelled = [q for q in spelled if not any(o.start < q.end and q.start < o.end for o in qs)]
        qs = sorted(qs + spelled, key=lambda q: q.start)
    qs = _durations(_ranks(_share_enumeration_unit(qs, text), text), text)
    run_year, run_year_starts, aggregates, run_label = _year_value_runs(qs, text)
    years = [q for q in qs if q.kind == "year"]
    all_labels = list(labels) if labels is not None else find_labels(text, header=header_labels)
    # a round's number is its name, not a figure (「108-2場」: not 108 and 2 場)
    rounds = [lb for lb in all_labels if lb.group is Group.ROUND]
    figs = [q for q in qs if q.start not in run_year_starts and is_figure_quantity(q, text)
            and not any(lb.start < q.end and q.start < lb.end for lb in rounds)]
    # a date's day and year are not figures of their own ("1 January 2019");
    # a single month is one when an event happened in it (「2017 年 10 月核定」),
    # not when it is the point a figure is counted to (「至 114 年 8 月」,
    # "as of August 2025": :func:`_event_month`)
    every_date = dates_in(text)
    dates = [d for d in every_date if d.upper is not None or d.value % 100 or _event_month(d, text)]
    figs = [q for q in figs if not any(d.start <= q.start and q.end <= d.end for d in every_date)]
    if default_money_unit:
        figs = [_with_money_unit(q, default_money_unit) if q.kind == "number" and q.unit == "" else q
                for q in figs]
    elif label_amount_unit:
        figs = [_with_money_unit(q, label_amount_unit) if _label_amount(q, text) else q for q in figs]
    order = sorted(years + figs, key=lambda q: q.start)

    # 1. years in parentheses right after a figure
    paren: dict[int, YearSpan] = {}
    consumed: set[int] = set()
    for f in figs:
        m = re.match(r"\s*[(（]\s*", text[f.end:])
        if not m:
            continue
        at = f.end + m.end()
        y = next((y for y in years if y.start == at), None)
        if y is not None and re.match(r"\s*[)）]", text[y.end:]):
            paren[id(f)] = YearSpan.of(y)
            consumed.add(id(y))
    # 2. respectively lists
    resp: dict[int, YearSpan] = {}
    year_runs = _runs(order, text, lambda q: q.kind == "year" and id(q) not in consumed)
    for run in year_runs:
        if len(run) < 2:
            continue
        after = [q for q in order if q.start >= run[-1].end]
        cand = after[:len(run)]
        if len(cand) == len(run) and all(q.kind != "year" for q in cand) \
                and len(text[run[-1].end:cand[0].start]) <= 10 \
                and not _SENTENCE_END.search(text[run[-1].end:cand[0].start]) \
                and all(_LIST_GAP.match(text[a.end:b.start]) for a, b in zip(cand, cand[1:])):
            for y, f in zip(run, cand):
                resp[id(f)] = YearSpan.of(y)
    # 2b. a span of years and as many figures after 分別/依序 (「107 至 110 年
    # 分別為 500、1,000、1,500、1,500 人次」): one year each, in order
    for y in years:
        if id(y) in consumed or y.upper is None:
            continue
        span = YearSpan.of(y)
        n = span.hi - span.lo + 1
        cand = [q for q in order if q.start >= y.end][:n]
        if not 2 <= n <= _MAX_RESPECTIVE or len(cand) < n or any(q.kind == "year" or id(q) in resp for q in cand):
            continue
        gap = text[y.end:cand[0].start]
        if len(gap) <= 16 and _RESPECTIVELY.search(gap) and not _SENTENCE_END.search(gap) \
                and all(_LIST_GAP.match(text[a.end:b.start]) for a, b in zip(cand, cand[1:])):
            for k, f in enumerate(cand):
                resp[id(f)] = YearSpan(span.lo + k, span.lo + k)

    out: list[Figure] = []
    bounds = [(g.start, g.end) for g in figs]
    # dates (kind "date") carry their own year and take none; they are
    # read around the other figures, not between them (a year before a date
    # still gives its year to the figures after the date)
    dates = [d for d in dates if not any(g.start < d.end and d.start < g.end for g in figs)]
    listed: tuple[int, str] | None = None  # (end, head words) of a figure joined to the next
    for f in sorted(figs + dates, key=lambda q: q.start):
        s0 = max((m.end() for m in _SENTENCE_END.finditer(text, 0, f.start)), default=0)
        m_end = _SENTENCE_END.search(text, f.end)
        s1 = m_end.start() if m_end else len(text)
        prev_end = max([g.end for g in figs if g.end <= f.start] + [s0])
        nxt = [g.start for g in figs if g.start >= f.end]
        next_start = min(nxt[0], s1) if nxt else s1
        # the year
        span: YearSpan | None = None
        rule = ""
        if f.kind == "date":
            pass  # a date states its own year
        elif id(f) in paren:
            span, rule = paren[id(f)], "paren"
        elif id(f) in resp:
            span, rule = resp[id(f)], "respectively"
        elif f.start in run_year:
            span, rule = run_year[f.start], "run"
        else:
            prev = [y for y in years if id(y) not in consumed and prev_end <= y.start and y.end <= f.start]
            spans = {YearSpan.of(y) for y in prev}
            if len(spans) == 1:
                span, rule = spans.pop(), "before"
        sent_labels = [lb for lb in all_labels if s0 <= lb.start and lb.end <= s1]
        lab = _labels_for(sent_labels, s0, f.start, f.end, s1, next_start == s1, text, bounds, prev_end,
                          share=f.kind == "percent")
        if listed is not None and listed[0] == prev_end:
            before = listed[1]  # the list's head words (「共選出具有創意的」), not the last figure's noun
        else:
            before = _BEFORE_CUT.split(text[prev_end:f.start])[-1][-BEFORE_CHARS:]
        if f.start in run_label:
            before = f"{run_label[f.start]} {before}"
        gap = text[f.end:next_start]
        after_txt = _CLAUSE_CUT.split(gap)[0][:AFTER_CHARS]
        joined = _JOINED.fullmatch(gap) if next_start < s1 else None
        listed = (f.end, before) if joined else None
        if joined:
            after_txt = joined.group("own")  # its own noun, before the list's joiner
        elif next_start < s1 and not _CLAUSE_CUT.search(gap):
            after_txt = ""  # the lead-in of the next figure (「17.4% 提升至 50%」)
        agg = f.start in aggregates or bool(TOTAL_WORDS.search(text[prev_end:f.start][-8:]))
        out.append(Figure(f, span, rule, lab, before, after_txt, text[s0:s1], agg))
    return out


__all__ = ["AFTER_CHARS", "BEFORE_CHARS", "Figure", "RANK_UNIT", "SPAN_UNITS", "YEARS_UNIT", "YearSpan", "figures_in",
           "is_figure_quantity"]
