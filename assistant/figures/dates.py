"""Calendar dates in a text, as quantities of kind ``"date"``.

Plans state deadlines, approval dates and periods as dates (「行政院 107 年 6
月 29 日…函核定」, 「全程期間 110 年 01 月 01 日至 114 年 08 月 31 日」,
「構想收件 5月31日」), and a claim restates them in either calendar or in
English ("approved on 29 June 2018", "from January 1, 2023").  The number
reader (:mod:`assistant.figures.quantities`) sees such a date as a year, a
month and a day; this module reads the whole date so that a claimed date can
be compared with a stated one.

Value: ``year * 10000 + month * 100 + day`` in the Western calendar
(民國 year + 1911), 0 for a part the text does not give: 「107 年 6 月 29
日」 → 20180629, 「114 年 8 月」 → 20250800, 「5 月 31 日」 → 531.  A range
(「…至…」, "from … to …") has the end in ``upper``; an end without its own
year takes the start's (「110 年 1 月 1 日至 12 月 31 日」).  Two dates are
the same when they agree at the coarser precision of the two
(:func:`same_date`).

Forms read (each tested in ``tests/test_dates.py``): ``[民國]Y 年 M 月 [D 日]``
with Y a ROC (2-3 digits) or Western (4 digits) year; ``M 月 D 日``; days of
one month ``M 月 D-D 日``; a ten-day part of a month ``M 月上旬 / 中旬 / 下旬``
(days 1-10, 11-20, 21-31); ``Y/M/D``; English ``June 29, 2018``, ``29 June 2018``, ``June 2018``,
``31 May``, days of one month ``May 2-3``, with full or three-letter month
names.
"""
from __future__ import annotations

import re

from .quantities import Quantity

_MONTHS = {m: i + 1 for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"))}
_MONTH_RE = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
             r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_SP = r"[ \t]{0,2}"
# 「民國 107 年 6 月 29 日」, 「2018年6月」, 「5月31日」 (a year needs its 月)
_CJK = re.compile(
    rf"(?:(?:(?:民國|中華民國){_SP})?(?P<y>\d{{4}}|\d{{2,3}}){_SP}年度?{_SP})?"
    rf"(?P<m>\d{{1,2}}){_SP}月{_SP}(?:(?P<d>\d{{1,2}}){_SP}[日號]|(?P<x>[上中下])旬)?")
# the ten-day parts of a month (「11 月下旬」): their first and last days
_XUN = {"上": (1, 10), "中": (11, 20), "下": (21, 31)}
# days of one month: 「3月21 - 25日」, 「106 年 7 月 10 日至 12 日」
_CJK_DAYS = re.compile(
    rf"(?:(?:(?:民國|中華民國){_SP})?(?P<y>\d{{4}}|\d{{2,3}}){_SP}年度?{_SP})?"
    rf"(?P<m>\d{{1,2}}){_SP}月{_SP}(?P<d>\d{{1,2}}){_SP}[日號]?{_SP}[-~～–至]{_SP}(?P<d2>\d{{1,2}}){_SP}[日號]")
_SLASH = re.compile(r"(?<![\d/.])(?P<y>\d{4}|\d{2,3})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![\d/])")
_EN_MDY = re.compile(rf"\b(?P<mon>{_MONTH_RE})[ \t]+(?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?[ \t]*)?(?P<y>\d{{4}})?\b",
                     re.I)
_EN_DMY = re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?P<mon>{_MONTH_RE})(?:,?[ \t]+(?P<y>\d{{4}}))?\b",
                     re.I)
# days of one month in English: "May 2-3", "June 19–20, 2019"
_EN_DAYS = re.compile(rf"\b(?P<mon>{_MONTH_RE})[ \t]+(?P<d>\d{{1,2}})[ \t]*[-–~][ \t]*(?P<d2>\d{{1,2}})\b"
                      rf"(?:,?[ \t]*(?P<y>\d{{4}}))?", re.I)
# what joins the two ends of a range (「自 110 年 1 月 1 日起至 114 年 8 月 31 日止」: 起至)
_RANGE_GAP = re.compile(r"^\s*(?:起\s*)?(?:至|到|~|～|－|-|–|—|to|through|until|till)\s*$", re.I)


def _western(y: str | None) -> int:
    if not y:
        return 0
    v = int(y)
    return v + 1911 if v < 1000 else v


def _value(y: int, m: int, d: int) -> float | None:
    if not 1 <= m <= 12 or not 0 <= d <= 31 or (y and not 1900 <= y <= 2100):
        return None
    return float(y * 10000 + m * 100 + d)


def _month(name: str) -> int:
    key = name.rstrip(".").lower()
    return next(v for k, v in _MONTHS.items() if k.startswith(key))


def _matches(text: str) -> list[tuple[int, int, float, float | None]]:
    """``(start, end, value, upper)`` of every date, in order, without
    overlaps (the longest match at a position wins); ``upper`` is the last
    day of a span of days written as one (「7 月 10-12 日」), else None."""
    found: list[tuple[int, int, float, float | None]] = []

    def days(m: re.Match, month: int) -> None:
        # days D-D2 of one month (「7 月 10-12 日」, "May 2-3")
        y = _western(m.group("y"))
        v, v2 = _value(y, month, int(m.group("d"))), _value(y, month, int(m.group("d2")))
        if v is not None and v2 is not None and v2 > v:
            found.append((m.start(), m.end(), v, v2))

    for m in _CJK_DAYS.finditer(text):
        days(m, int(m.group("m")))
    for rx in (_CJK, _SLASH):
        for m in rx.finditer(text):
            xun = rx is _CJK and m.group("x")
            if rx is _CJK and not m.group("y") and not m.group("d") and not xun:
                continue  # 「8 月」 alone is a month count or a label, not a date
            if xun:
                # 「11 月下旬」: days 21 to 31 of the month
                y, month = _western(m.group("y")), int(m.group("m"))
                lo, hi = _XUN[m.group("x")]
                v, v2 = _value(y, month, lo), _value(y, month, hi)
                if v is not None and v2 is not None:
                    found.append((m.start(), m.end(), v, v2))
                continue
            v = _value(_western(m.group("y")), int(m.group("m")), int(m.group("d") or 0))
            if v is not None:
                found.append((m.start(), m.end(), v, None))
    if re.search(r"[A-Za-z]", text):
        for m in _EN_DAYS.finditer(text):
            if m.group("mon") != "may":  # lower-case "may 2-3" is the verb
                days(m, _month(m.group("mon")))
        for rx in (_EN_MDY, _EN_DMY):
            for m in rx.finditer(text):
                if not m.group("d") and not m.group("y"):
                    continue  # a bare month name ("may") is a word
                if m.group("mon") == "may" and not m.group("d"):
                    continue  # "may 2018": the verb, lower-case, before a year
                v = _value(_western(m.group("y")), _month(m.group("mon")), int(m.group("d") or 0))
                if v is not None:
                    found.append((m.start(), len(text[:m.end()].rstrip()), v, None))
    found.sort(key=lambda t: (t[0], -t[1]))
    out: list[tuple[int, int, float, float | None]] = []
    for match in found:
        if not out or match[0] >= out[-1][1]:
            out.append(match)
    return out


def dates_in(text: str) -> list[Quantity]:
    """The dates of ``text`` (module docstring), ranges joined.

    Args:
        text: Chinese (Traditional or Simplified) or English text.

    Returns:
        Quantities of kind ``"date"`` (``unit`` ``"日期"``), sorted by
        ``start``; offsets index ``text``.
    """
    singles = _matches(text)
    out: list[Quantity] = []
    k = 0
    while k < len(singles):
        s, e, v, upper = singles[k]
        if upper is None and k + 1 < len(singles) and _RANGE_GAP.match(text[e:singles[k + 1][0]]):
            _, e2, v2, _ = singles[k + 1]
            if v2 < 10000 <= v:
                v2 += (v // 10000) * 10000  # 「…至 12 月 31 日」: the start's year
            if v2 >= v:
                upper, e = v2, e2
                k += 1
        out.append(Quantity(v, "date", "日期", upper=upper, start=s, end=e, text=text[s:e]))
        k += 1
    return out


def same_date(a: Quantity, b: Quantity) -> bool:
    """Whether two date quantities name the same day, month or range: each
    end compared at the coarser of the two precisions -- without the year
    when either gives none, by month when either gives no day (「2017 年 7
    月」 is 「106 年 7 月 10 日至 12 日」's month; 「2018 年 10 月」 is not
    「107 年 6 月 29 日」's)."""
    def eq(x: float, y: float) -> bool:
        i, j = int(x), int(y)
        if i < 10000 or j < 10000:
            i, j = i % 10000, j % 10000
        if i % 100 == 0 or j % 100 == 0:
            i, j = i // 100, j // 100
        return i == j
    a_hi = a.upper if a.upper is not None else a.value
    b_hi = b.upper if b.upper is not None else b.value
    return eq(a.value, b.value) and eq(a_hi, b_hi)


__all__ = ["dates_in", "same_date"]
