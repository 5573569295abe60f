"""An English lead sentence for an English question answered by a table
cell: the year in both calendars, the labels naming the row
(:func:`~assistant.figures.cells.row_name`) and the column as the plan
prints them (so that the citation checker finds them in the cited chunk)
and the figure with its unit, money also in NT$ (short scale, as in the
Executive Yuan's English releases: "NT$3.9 billion").

The Chinese cell statement follows it, quoted and cited, so the reader sees
the evidence in the plan's own words.

Example:
    >>> from assistant.figures.cells import Cell
    >>> c = Cell("390,000", "分項一", "109 年度", 0, 1, "千元", "經費需求表",
    ...          ("分項一",), ("109 年度",))
    >>> cell_lead(c)
    'In 2020 (ROC 109), 分項一: 390,000 千元 (NT$390 million)'
"""
from __future__ import annotations

import re
from decimal import Decimal

from .figures.cells import Cell, row_name
from .figures.quantities import extract_quantities
from .figures.units import to_yuan_decimal
from .language import roc_to_western

#: The words :func:`cell_lead`'s template adds around the plan's own words
#: ("In 2020 (ROC 109), …"): the citation checker does not look for them in
#: the cited chunk (its figures it checks as figures).
LEAD_WORDS = frozenset({"in", "roc"})
_ROC_YEAR = re.compile(r"(?<!\d)(\d{2,3})\s*年")
# Short-scale words and their factors, largest first.
_SCALES = ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"), (Decimal(10) ** 3, "thousand"))


def nt_dollars(yuan: Decimal) -> str:
    """An amount in 元 as English NT$: ``Decimal(390000000)`` → ``"NT$390
    million"``, ``Decimal(3676500000)`` → ``"NT$3.6765 billion"`` (36.765
    億元), ``Decimal(7500)`` → ``"NT$7.5 thousand"``; exact (the citation
    checker compares the conversion with the cited figure), trailing zeros
    dropped."""
    for factor, word in _SCALES:
        if abs(yuan) >= factor:
            v = (yuan / factor).normalize()
            return f"NT${v:,f} {word}"
    return f"NT${yuan.normalize():,f}"


def cell_lead(cell: Cell) -> str | None:
    """「In {Western year} (ROC {year}), {row} {other column levels}: {value}
    {unit}」, money also in NT$; ``None`` for a cell whose value is not one
    figure."""
    quantities = extract_quantities(f"{cell.value} {cell.unit}".strip())
    if len(quantities) != 1:
        return None
    years = [int(m.group(1)) for m in _ROC_YEAR.finditer(cell.column) if 1 <= int(m.group(1)) <= 200]
    column = _ROC_YEAR.sub("", cell.column).replace("度", "", 1).strip() if years else cell.column
    head = " ".join(x for x in (" ".join(row_name(cell)), column) if x)
    unit = cell.money_or_count_unit
    value = cell.value_with_unit()
    q = quantities[0]
    if q.kind == "money" and unit:
        value += f" ({nt_dollars(to_yuan_decimal(cell.value.replace(',', ''), unit))})"
    when = f"In {roc_to_western(years[0])} (ROC {years[0]}), " if len(years) == 1 else ""
    return f"{when}{head}: {value}" if head else None


__all__ = ["LEAD_WORDS", "cell_lead", "nt_dollars"]
