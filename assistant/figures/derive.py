"""Derived facts: figures a plan implies but does not print, computed from
the facts it states and naming their parts.

* **Whole-period row totals** -- a table row with one total cell per year
  (a component's 106, 107, 108, 109 budget) and no total column of its own
  gets the sum of those cells as a fact for the whole span (labels:
  aggregate, 全程), ``source="derived"``, ``parts`` the summed cells' keys.
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


def _year_total_columns(row_facts: list[Fact]) -> list[Fact]:
    """The cells of one table row that are a year's total: a column naming a
    year and nothing else, or a year's 小計/合計."""
    out = []
    for f in row_facts:
        if f.years is None or not f.years.single or f.year_rule != "column":
            continue
        rest = re.sub(r"\d{2,4}\s*年度?|\(.*?\)|（.*?）", "", f.column).strip()
        if not rest or (is_total_text(rest) and Group.DOOR not in f.labels and Group.COST not in f.labels):
            out.append(f)
    return out


def period_totals(facts: list[Fact]) -> list[Fact]:
    """Whole-period totals of table rows without a total column: the sum of
    the row's yearly totals (a component's 106-109 budget), as facts with
    the whole span, aggregate and the 全程 label."""
    rows: dict[tuple, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.cell is not None and f.quantity.kind == "money" and f.clause == f"{f.row} {f.column}":
            rows[(f.chunk_id, f.cell[0])].append(f)
    out = []
    for cells in rows.values():
        if any(is_total_text(c.column) and c.years is None for c in cells):
            continue  # the table prints its own total
        yearly = _year_total_columns(cells)
        years = sorted({c.years.lo for c in yearly})  # type: ignore[union-attr]
        if len(yearly) < 2 or len(years) != len(yearly) or years != list(range(years[0], years[-1] + 1)):
            continue
        first = yearly[0]
        total = sum((to_decimal(c.quantity.value) for c in yearly), Decimal(0))
        s = float(total)
        shown = format_money(s, first.unit if first.unit in MONEY_UNITS else "元")
        q = Quantity(s, "money", first.unit, text=shown.split()[0])
        labels = {g: v for g, v in first.labels.items() if g is not Group.PERIOD}
        labels[Group.PERIOD] = TOTAL
        out.append(Fact(q, shown, first.unit, YearSpan(years[0], years[-1]), "derived", labels, True,
                        local=first.row, near=first.near, far=first.far, doc_id=first.doc_id, chunk_id=first.chunk_id,
                        page=first.page, table=first.table, row=first.row,
                        column=f"{YearSpan(years[0], years[-1])} (sum of the yearly totals)",
                        text=f"{first.row}｜sum of {', '.join(c.column for c in yearly)}：{shown}",
                        chunk_years=first.chunk_years, position=first.position, cell=first.cell,
                        clause=first.row, source="derived", row_path=first.row_path,
                        parts=tuple(c.key for c in yearly)))
    return out


def derived_facts(facts: list[Fact]) -> list[Fact]:
    """Every derived fact of one document's stated facts (module docstring)."""
    return period_totals(facts)


__all__ = ["derived_facts", "period_totals"]
