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
"""
from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from .extract import Fact
from .labels import TOTAL, Group, is_total_text
from .quantities import MONEY_UNITS, Quantity
from .sentences import YearSpan
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
    """The kind of sum a figure cell takes part in: ``"money"``, a count's
    classifier (``"count:人次"``), ``"number"`` for a whole bare number (a
    KPI table without units), else None (percentages and rates do not add)."""
    q = f.quantity
    if not f.figure_cell or q.upper is not None:
        return None
    if q.kind == "money":
        return "money"
    if q.kind == "count":
        return f"count:{q.classifier}"
    if q.kind == "number" and not q.unit and float(q.value).is_integer():
        return "number"
    return None


def _sum_fact(yearly: list[Fact], total: Decimal) -> Fact:
    first = yearly[0]
    span = YearSpan(yearly[0].years.lo, yearly[-1].years.lo)  # type: ignore[union-attr]
    value = float(total)
    kind = first.quantity.kind
    if kind == "money":
        shown = format_money(value, first.unit if first.unit in MONEY_UNITS else "元")
        q = Quantity(value, "money", first.unit, text=shown.split()[0])
    else:
        shown = f"{int(total):,} {first.quantity.classifier or ''}".strip()
        q = Quantity(value, kind, first.quantity.unit, first.quantity.classifier, text=f"{int(total):,}")
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


def period_totals(facts: list[Fact]) -> list[Fact]:
    """Totals over consecutive years of a table row: the sum of the row's
    yearly figures for every run of two or more consecutive years (a
    component's 106-109 budget, a KPI's 112-113 target), as facts with that
    span, aggregate and the 全程 label.  The whole span is left out when the
    table prints its own total column."""
    rows: dict[tuple, list[Fact]] = defaultdict(list)
    for f in facts:
        kind = _summable(f)
        if kind is not None:
            rows[(f.chunk_id, f.cell[0], kind)].append(f)  # type: ignore[index]
    out = []
    for cells in rows.values():
        printed = any(is_total_text(c.column) and c.years is None for c in cells)
        for series in _year_series(cells).values():
            yearly = sorted(series, key=lambda c: c.years.lo)  # type: ignore[union-attr]
            years = [c.years.lo for c in yearly]  # type: ignore[union-attr]
            if len(yearly) < 2 or len(set(years)) != len(years) or years != list(range(years[0], years[-1] + 1)):
                continue
            values = [to_decimal(c.quantity.value) for c in yearly]
            for i in range(len(yearly)):
                for j in range(i + 2, len(yearly) + 1):
                    if printed and i == 0 and j == len(yearly):
                        continue
                    out.append(_sum_fact(yearly[i:j], sum(values[i:j], Decimal(0))))
    return out


def derived_facts(facts: list[Fact]) -> list[Fact]:
    """Every derived fact of one document's stated facts (module docstring)."""
    return period_totals(facts)


__all__ = ["derived_facts", "period_totals"]
