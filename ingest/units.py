"""What table cells print: figures, year labels and money units, and how a
wrapped cell's lines join.

Shared by the PDF readers (layout and geometry), the table recogniser and the
assistant's cell reader, so that all of them agree on what a figure is.
"""
from __future__ import annotations

import re

# A figure: digits with thousands separators, optionally a sign, a decimal
# part and a percent sign ("390,000", "-5", "7.5%", "7.5 %").
_FIGURE = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?\s*%?$")
# A year label: ROC 80–149 (1991–2060) or Western 1980–2099, optionally with
# 年/年度 ("107", "108 年度", "2019") — a header or row key, not a figure.
_YEAR_LABEL = re.compile(r"^(?:[89]\d|1[0-4]\d|19[89]\d|20\d\d)\s*(?:年度?)?$")


_NUMBER_TAIL = re.compile(r"^[\d.,%]+$")


def join_wrapped(a: str, b: str) -> str:
    """Join the next line ``b`` of a wrapped cell or line to ``a``: directly
    when ``b`` is the rest of a number broken by the cell edge (「117.6」 +
    「5」, 「390,」 + 「000」) or when either side is not an ASCII letter or
    digit (Chinese does not separate words), with a space between two ASCII
    words (「AI」 + 「Taiwan」).

    >>> join_wrapped("分項二：AI 智", "慧應用")
    '分項二：AI 智慧應用'
    >>> join_wrapped("117.6", "5")
    '117.65'
    """
    if not a:
        return b
    if a[-1].isdigit() and _NUMBER_TAIL.match(b) and re.search(r"(?:^|[^\w.])[\d.,]+$", a):
        return a + b
    if a[-1].isascii() and a[-1].isalnum() and b[:1].isascii() and b[:1].isalnum():
        return f"{a} {b}"
    return a + b


def is_figure(cell: str) -> bool:
    """True for a cell holding a number (``390,000``, ``7.5%``, ``-5``)."""
    return bool(_FIGURE.match(cell.strip()))


def is_year_label(cell: str) -> bool:
    """True for a cell that names a year (``"107"``, ``"108 年度"``,
    ``"2019"``), as table headers and row keys print them."""
    return bool(_YEAR_LABEL.match(cell.strip()))

# Units in the order they must be tried (longest first, so 千元 is not read
# as 元). Source: the units the plan templates print (單位：千元/萬元/億元).
_UNITS = ("新臺幣千元", "新台幣千元", "千元", "千萬元", "百萬元", "萬元", "億元", "元")
# A unit in a header is parenthesised (「經費(千元)」), set off by a space
# (「預算總額 億元」), or ends a cell right after a Chinese word when a wrapped
# cell's lines were joined (「預算總額億元」) — the last not for a bare 元,
# which ends ordinary words (單元).
_IN_HEADER = re.compile(r"[(（]\s*(" + "|".join(_UNITS) + r")\s*[)）]|(?<![\d,.])\s(" + "|".join(_UNITS)
                        + r")(?:\s|$)|(?<=[\u4e00-\u9fff])(" + "|".join(u for u in _UNITS if u != "元") + r")(?:\s|$)")


def money_unit_in(text: str) -> str:
    """The money unit a title or header states, e.g. ``"經費(千元)"`` →
    ``"千元"``, ``"預算總額 億元"`` → ``"億元"``; ``""`` when none."""
    m = _IN_HEADER.search(text)
    if not m:
        return ""
    unit = m.group(1) or m.group(2) or m.group(3)
    return unit.replace("新臺幣", "").replace("新台幣", "")
