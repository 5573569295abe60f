"""Derived facts: figures a plan implies but does not print, computed from
the facts it states and naming their parts.

* **Row totals over consecutive years** -- a table row with one cell per
  year (a component's 106, 107, 108, 109 budget; a KPI's yearly targets;
  each series of columns that differ only by year, such as 「107 新增」 …
  「110 新增」) gets the sum of every run of two or more consecutive years
  as a fact for that span (labels: aggregate, 全程), ``source="derived"``, ``parts`` the
  summed cells' keys; money, counts of one classifier and whole bare
  numbers add, percentages do not.  The whole span is skipped when the
  table prints its own total column.
  Sums are taken in ``Decimal`` so that no float error enters a total.
* **Year totals over a split** -- a row that prints a year's figure only
  split into 既有 and 新增 (table 8 of the 臺灣 AI 行動計畫: 「108 既有」
  20.48, 「108 新增」 9.00 億元, no 108 total) gets the year's total (29.48
  億元) as a fact of that year without the split's label, and the row's
  totals over runs of those years as above; a year whose split the row
  also totals in a cell of its own gets none.
* **Yearly averages** -- a whole-period amount over the years it spans
  (:func:`yearly_average`), built for a claim that states an average.
* **Prose series** -- one statement repeated under each year's heading
  (「(一) 推動數位人才認證培育 2,400 人次」 under 112 and under 113) gets
  the sums over runs of its consecutive years, as a table row does.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from .extract import Fact
from .labels import AVERAGE, TOTAL, Group, is_total_text
from .quantities import MONEY_UNITS, Quantity
from .sentences import MAX_PLAN_YEARS, YearSpan
from .units import format_money, to_decimal


def _year_series(row_facts: list[Fact]) -> dict[str, list[Fact]]:
    """The cells of one table row grouped into yearly series: cells whose
    columns differ only by their year (「108 年度」, 「109 年度」 …; 「107
    新增」, 「108 新增」 …), keyed by the column without its year (a year's
    小計/合計 counts as the year's total, ``""``)."""
    out: dict[str, list[Fact]] = defaultdict(list)
    for f in row_facts:
        if f.years is None or not f.years.single or f.year_rule != "column":
            continue
        # the year with or without 年/年度 (「108 年度」, 「107 既有」)
        rest = re.sub(r"(?<!\d)\d{2,4}(?!\d)\s*(?:年度?)?|\(.*?\)|（.*?）|\s+", "", f.column)
        if is_total_text(rest) and Group.DOOR not in f.labels and Group.COST not in f.labels:
            rest = ""
        out[rest].append(f)
    return out


def _summable(f: Fact) -> str | None:
    """The kind of sum a figure cell takes part in (:func:`_sum_kind`), None
    for any other fact and for a range."""
    return _sum_kind(f.quantity) if f.figure_cell and f.quantity.upper is None else None


def _sum_kind(q: Quantity) -> str | None:
    """The kind of sum a quantity takes part in: ``"money"``, a count's
    classifier (``"count:人次"``), ``"number"`` for a whole bare number (a
    KPI table without units), else None (percentages and rates do not add)."""
    if q.kind == "money":
        return "money"
    if q.kind == "count":
        return f"count:{q.classifier}"
    if q.kind == "number" and not q.unit and float(q.value).is_integer():
        return "number"
    return None


def _total(first: Fact, total: Decimal) -> tuple[Quantity, str]:
    """The quantity and display of a sum of figures like ``first``: money in
    ``first``'s unit (元 when it has none), a count with its classifier."""
    value = float(total)
    if first.quantity.kind == "money":
        shown = format_money(value, first.unit if first.unit in MONEY_UNITS else "元")
        return Quantity(value, "money", first.unit, text=shown.split()[0]), shown
    shown = f"{int(total):,} {first.quantity.classifier or ''}".strip()
    return Quantity(value, first.quantity.kind, first.quantity.unit, first.quantity.classifier,
                    text=f"{int(total):,}"), shown


def _sum_fact(yearly: list[Fact], total: Decimal) -> Fact:
    first = yearly[0]
    span = YearSpan(yearly[0].years.lo, yearly[-1].years.lo)  # type: ignore[union-attr]
    q, shown = _total(first, total)
    labels = {g: v for g, v in first.labels.items() if g is not Group.PERIOD}
    labels[Group.PERIOD] = TOTAL
    return Fact(q, shown, first.unit, span, "derived", labels, True,
                local=first.row, near=first.near, far=first.far, doc_id=first.doc_id, chunk_id=first.chunk_id,
                page=first.page, table=first.table, row=first.row,
                column=f"{span} (sum of the yearly figures)",
                text=f"{first.row}｜sum of {', '.join(c.column for c in yearly)}：{shown}",
                chunk_years=first.chunk_years, position=first.position, cell=first.cell,
                clause=first.row, source="derived", row_path=first.row_path,
                parts=tuple(c.key for c in yearly))


def yearly_average(total: Fact) -> Fact | None:
    """The yearly average of a whole-period amount (labelled 全程/合計): its
    value over the number of years it spans -- its own span, else the span
    of the years its table names (a 合計 column of 114 … 117) -- as a
    derived fact labelled :data:`~assistant.figures.labels.AVERAGE` naming
    it as its part: 11.300 億元 over 114-117 is 2.825 億元 a year.  None for
    anything else, or a span of one year or more than
    :data:`~assistant.figures.sentences.MAX_PLAN_YEARS`.  Built per claim that states an average
    (:func:`assistant.figures.verify.verify_parsed`), never stored.  A
    derived sum (:func:`period_totals`) counts only over all its table's
    years: 115-116's sum is no whole period."""
    if total.quantity.kind != "money" or total.labels.get(Group.PERIOD) != TOTAL or total.quantity.upper is not None:
        return None
    table = (min(total.chunk_years), max(total.chunk_years)) if total.chunk_years else None
    lo, hi = (total.years.lo, total.years.hi) if total.years is not None else table or (0, -1)
    n = hi - lo + 1
    if not 2 <= n <= MAX_PLAN_YEARS:
        return None
    if total.derived and table is not None and (lo, hi) != table:
        return None  # a sum over some of its table's years is no whole period
    value = to_decimal(total.quantity.value) / n
    unit = total.unit if total.unit in MONEY_UNITS else "元"
    # shown to at most four decimals of the unit (4.64 億元 ÷ 3 = 1.5467 億元)
    shown = format_money(float(round(value / MONEY_UNITS[unit], 4) * MONEY_UNITS[unit]), unit)
    span = YearSpan(lo, hi)
    q = Quantity(float(value), "money", total.unit, text=shown.split()[0])
    return replace(total, quantity=q, display=shown, years=span, year_rule="derived",
                   labels={**total.labels, Group.PERIOD: AVERAGE}, source="derived",
                   column=f"{span} (yearly average)",
                   text=f"{total.text}｜{total.display} ÷ {n} 年：{shown}", parts=(total.key,))


def period_totals(facts: list[Fact]) -> list[Fact]:
    """Totals over consecutive years of a table row: the sum of the row's
    yearly figures for every run of two or more consecutive years (a
    component's 106-109 budget, a KPI's 112-113 target), as facts with that
    span, aggregate and the 全程 label.  The whole span is left out when the
    table prints its own total column."""
    out = []
    for cells in _rows(facts).values():
        printed = any(is_total_text(c.column) and c.years is None for c in cells)
        for series in _year_series(cells).values():
            out.extend(_runs(series, printed))
    return out


def _rows(facts: list[Fact]) -> dict[tuple, list[Fact]]:
    """The summable figure cells (:func:`_summable`) grouped by table row
    and kind of sum."""
    rows: dict[tuple, list[Fact]] = defaultdict(list)
    for f in facts:
        kind = _summable(f)
        if kind is not None:
            rows[(f.chunk_id, f.cell[0], kind)].append(f)  # type: ignore[index]
    return rows


def _runs(series: list[Fact], printed: bool) -> list[Fact]:
    """The sums of every run of two or more consecutive years of one yearly
    series (one figure per year), the whole span left out when ``printed``;
    none when the years repeat or skip."""
    yearly = sorted(series, key=lambda c: c.years.lo)  # type: ignore[union-attr]
    years = [c.years.lo for c in yearly]  # type: ignore[union-attr]
    if len(yearly) < 2 or len(set(years)) != len(years) or years != list(range(years[0], years[-1] + 1)):
        return []
    values = [to_decimal(c.quantity.value) for c in yearly]
    return [_sum_fact(yearly[i:j], sum(values[i:j], Decimal(0)))
            for i in range(len(yearly)) for j in range(i + 2, len(yearly) + 1)
            if not (printed and i == 0 and j == len(yearly))]


#: Label groups whose values split a year's figure into parts that add up
#: to it, with the values that make the whole (既有 + 新增 預算).
SPLITS = {Group.KIND: frozenset({"既有", "新增"})}


def split_totals(facts: list[Fact]) -> list[Fact]:
    """Year totals of rows that print a year only split (:data:`SPLITS`):
    one fact per row and year whose cells hold every part of the split once
    and no cell of that year without the split's label (no printed total),
    with the year's span, the row's other labels and ``parts`` the summed
    cells' keys; then the totals over runs of consecutive such years, as
    :func:`period_totals` sums a yearly series (the whole span left out when
    the row prints a total without the split's label, 「預算總額」)."""
    out: list[Fact] = []
    for cells in _rows(facts).values():
        by_year: dict[int, list[Fact]] = defaultdict(list)
        for c in cells:
            if c.years is not None and c.years.single and c.year_rule == "column":
                by_year[c.years.lo].append(c)
        for group, whole in SPLITS.items():
            totals = []
            for yearly in by_year.values():
                parts = [c for c in yearly if group in c.labels]
                values = sorted(c.labels[group] for c in parts)
                if len(parts) != len(yearly) or set(values) != whole or len(values) != len(whole):
                    continue
                total = sum((to_decimal(c.quantity.value) for c in parts), Decimal(0))
                totals.append(_year_total(parts, group, total))
            printed = any(c.years is None and is_total_text(c.column) and group not in c.labels for c in cells)
            out.extend(totals + _runs(totals, printed))
    return out


def _year_total(parts: list[Fact], group: Group, total: Decimal) -> Fact:
    first = parts[0]
    quantity, shown = _total(first, total)
    labels = {g: v for g, v in first.labels.items() if g is not group}
    column = re.sub(rf"\s*{re.escape(first.labels[group])}\S*", "", first.column).strip()
    return replace(first, quantity=quantity, display=shown, labels=labels, source="derived",
                   column=f"{column} {' + '.join(c.labels[group] for c in parts)}",
                   text=f"{first.row}｜sum of {', '.join(c.column for c in parts)}：{shown}",
                   parts=tuple(c.key for c in parts))


def sentence_totals(facts: list[Fact]) -> list[Fact]:
    """Totals over consecutive years of one statement repeated year by year
    in prose: the MOEA plan lists its goals under each year's heading, 「112
    年度 … (一) 推動數位人才認證培育 2,400 人次」 and again under 113, so
    112-113 is 4,800 人次.  Sentences that read alike with their figure left
    out (spaces aside), with the same labels and a figure of money or of
    one count's classifier (:func:`_sum_kind`; no qualifier such as 約 or
    以上, no range) of a single year, each year stated once (with one
    value), are a yearly series: the sum of every run of two or more
    consecutive years is a fact for that span, as :func:`period_totals`
    sums a table row."""
    series: dict[tuple, dict[int, Fact]] = defaultdict(dict)
    clash: set[tuple] = set()
    for f in facts:
        q = f.quantity
        if f.cell is not None or f.derived or f.years is None or not f.years.single or q.upper is not None \
                or q.qualifier or q.kind not in ("money", "count"):
            continue
        stem = re.sub(r"\s+", "", f.text.replace(q.text, "\u2027", 1))
        key = (stem, _sum_kind(q), tuple(sorted((g.value, v) for g, v in f.labels.items())))
        year = f.years.lo
        seen = series[key].get(year)
        if seen is not None and seen.quantity.value != q.value:
            clash.add(key)
        series[key].setdefault(year, f)
    out: list[Fact] = []
    for key, by_year in series.items():
        if key not in clash and len(by_year) >= 2:
            out.extend(_sentence_runs([by_year[y] for y in sorted(by_year)]))
    return out


def _sentence_runs(yearly: list[Fact]) -> list[Fact]:
    """The sums of every run of two or more consecutive years of a prose
    series (:func:`sentence_totals`)."""
    out = []
    years = [f.years.lo for f in yearly]  # type: ignore[union-attr]
    for i in range(len(yearly)):
        for j in range(i + 2, len(yearly) + 1):
            if years[i:j] != list(range(years[i], years[i] + j - i)):
                break
            part = yearly[i:j]
            q, shown = _total(part[0], sum((to_decimal(f.quantity.value) for f in part), Decimal(0)))
            span = YearSpan(years[i], years[j - 1])
            labels = {**part[0].labels, Group.PERIOD: TOTAL}
            out.append(replace(part[0], quantity=q, display=shown, years=span, year_rule="derived", labels=labels,
                               aggregate=True, source="derived", parts=tuple(f.key for f in part),
                               text=f"{part[0].text}｜sum of {', '.join(str(f.years) for f in part)}：{shown}",
                               _terms={}))
    return out


def derived_facts(facts: list[Fact]) -> list[Fact]:
    """Every derived fact of one document's stated facts (module docstring)."""
    return period_totals(facts) + split_totals(facts) + sentence_totals(facts)


__all__ = ["SPLITS", "derived_facts", "period_totals", "sentence_totals", "split_totals", "yearly_average"]
