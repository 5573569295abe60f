"""An English lead sentence for an English question answered by a figure.

Answered by a table cell (:func:`cell_lead`): the year in both calendars,
the labels naming the row (:func:`~assistant.figures.cells.row_name`) and
the column as the plan prints them (so that the citation checker finds
them in the cited chunk) and the figure with its unit, money also in NT$
(short scale, as in the Executive Yuan's English releases: "NT$3.9
billion").  Answered by a sentence (:func:`sentence_lead`): the one figure
of the asked kind the sentence states, with the asked year when the
sentence names it.

The Chinese cell statement or sentence follows the lead, quoted and cited,
so the reader sees the evidence in the plan's own words.

Example:
    >>> from assistant.figures.cells import Cell
    >>> c = Cell("390,000", "分項一", "109 年度", 0, 1, "千元", "經費需求表",
    ...          ("分項一",), ("109 年度",))
    >>> cell_lead(c)
    'In 2020 (ROC 109), 分項一: 390,000 千元 (NT$390 million)'
    >>> text = "109 年編列 4億元,進行博士級產業訓儲菁英在職實務訓練"
    >>> sentence_lead(text, extract_quantities(text), {"money"}, [109])
    'In 2020 (ROC 109): 4億元 (NT$400 million)'
"""
from __future__ import annotations

import re
from decimal import Decimal

from .figures.cells import Cell, row_name
from .figures.quantities import extract_quantities
from .figures.units import to_yuan_decimal
from .language import roc_to_western

#: The words :func:`cell_lead`'s and :func:`sentence_lead`'s templates add
#: around the plan's own words ("In 2020 (ROC 109), …"): the citation
#: checker does not look for them in the cited chunk (its figures it checks
#: as figures).
LEAD_WORDS = frozenset({"in", "roc"})
_ROC_YEAR = re.compile(r"(?<!\d)(\d{2,3})\s*年")
# What a column's year leaves when it is taken out of brackets: 「(108年)初級產出量化值」.
_EMPTY_BRACKETS = re.compile(r"[(（]\s*[)）]")
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
    column = _EMPTY_BRACKETS.sub("", _ROC_YEAR.sub("", cell.column).replace("度", "", 1)).strip() if years else cell.column
    head = " ".join(x for x in (" ".join(row_name(cell)), column) if x)
    unit = cell.money_or_count_unit
    value = cell.value_with_unit()
    q = quantities[0]
    if q.kind == "money" and unit:
        value += f" ({nt_dollars(to_yuan_decimal(cell.value.replace(',', ''), unit))})"
    when = f"In {roc_to_western(years[0])} (ROC {years[0]}), " if len(years) == 1 else ""
    return f"{when}{head}: {value}" if head else None


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def sentence_lead(text: str, quantities: list, kinds: set[str], years_roc: list[int]) -> str | None:
    """「In {Western year} (ROC {year}): {figure}」 for a sentence answering an
    English question: the sentence's one figure, when it is of ``kinds``
    (``"money"``, ``"count"``, ``"percent"``), as printed, money also in
    NT$; the year only when the question names one (``years_roc``, 民國)
    and the sentence prints it.  ``None`` when the sentence states no
    figure of those kinds, or other figures besides (years and dates aside):
    which one answers is not for a template to say (「每隊最高獎金達70萬,
    計畫全額總獎金高達2,000萬元」).

    Args:
        text: the sentence.
        quantities: its :func:`~assistant.figures.quantities.extract_quantities`.
        kinds: the kinds of figure the question asks for.
        years_roc: the years the question names, as ROC years.
    """
    figures = [q for q in quantities if q.kind not in ("year", "date")]
    if len(figures) != 1 or figures[0].kind not in kinds:
        return None
    q = figures[0]
    value = " ".join(q.text.split())
    number = _NUMBER.search(q.text)
    if q.kind == "money" and number:
        try:
            value += f" ({nt_dollars(to_yuan_decimal(number.group().replace(',', ''), q.unit))})"
        except (TypeError, ValueError):
            pass  # a unit the converter does not know: the figure as printed
    when = ""
    if len(years_roc) == 1:
        roc = years_roc[0]
        western = roc_to_western(roc)
        if re.search(rf"(?<!\d)(?:{roc}|{western})(?!\d)", text):
            when = f"In {western} (ROC {roc}): "
    return f"{when}{value}"


__all__ = ["LEAD_WORDS", "cell_lead", "nt_dollars", "sentence_lead"]
