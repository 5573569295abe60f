"""Check that budget tables add up.

A table chunk is read into a grid (:class:`Grid`): its header paths
(:func:`assistant.figures.cells.column_paths`), its data rows with their own labels
and numbers.  Two kinds of totals are checked (rules of the budget forms,
see :mod:`assistant.figures.labels`: 經常支出 = 人事費 + 材料費 + 其他費用;
小計 = 經常支出 + 資本支出; yearly columns add up to 合計):

* **total columns** -- a column whose header path has a total word
  (合計/小計/總計/總額/共計 at some level, e.g. 「108 年度 › 小計」,
  「合計 › 既有」, 「預算總額」): its parts are the non-total columns under the
  same outer headers (and with the same inner header, e.g. every 「› 既有」
  column for 「合計 › 既有」);
* **total rows** -- a row whose own label has a total word: its parts are the
  rows above it back to the previous total row, except rows that are
  themselves sums of the rows above (「既有預算」 in a table with a 「合計」 row).
  When a total row prints one figure for a group of columns (「合計」 row of
  a 既有/新增 table: one figure per year), it is compared with the sum over the
  whole group; when rows print their figures in shifted columns (PDF
  layout), figures are compared in order if every row of the block has the
  same number of figures.

Empty part cells count as 0 when at least one part has a figure.  The
tolerance is the rounding of the printed figures: half a unit of the last
printed decimal for each part and the total.  What cannot be read
confidently is skipped, never reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.models import Chunk
from ingest.store import rows_of

from .cells import column_paths, header_row_count, is_figure, is_year_label, table_unit
from .labels import is_total_text

# A total word only in its own header level / label cell: 「小計」, 「合計」,
# 「經常門小計」, 「預算總額 億元」 -- not 「總人力」.
_TOTAL = re.compile(r"合計|小計|總計|總額|共計")


@dataclass
class Mismatch:
    """A total that does not equal the sum of its parts.

    Attributes:
        chunk: the table chunk.
        direction: ``"row"`` (a total row) or ``"column"`` (a total column).
        label: the total's row label and column header.
        expected: the sum of the parts (as a number).
        found: the printed total.
        parts: ``(label, value)`` of every part that prints a figure.
        decimals: printed decimals (for formatting).
        unit: the table's unit.
    """

    chunk: Chunk
    direction: str
    label: str
    expected: float
    found: float
    parts: list[tuple[str, float]] = field(default_factory=list)
    decimals: int = 0
    unit: str = ""


def _num(cell: str) -> float | None:
    c = cell.strip()
    if not c or not is_figure(c) or c.endswith("%"):
        return None
    return float(c.replace(",", ""))


def _decimals(cell: str) -> int:
    c = cell.strip()
    return len(c.split(".")[1]) if "." in c else 0


@dataclass
class Grid:
    """A table chunk as numbers.

    Attributes:
        chunk: the chunk.
        paths: header path of every column.
        rows: the data rows (cell strings).
        labels: each data row's own label cells, joined.
        values: each data row's numbers by column (``None`` for none).
        keys: columns holding a row's year key (not numbers).
    """

    chunk: Chunk
    paths: list[list[str]]
    rows: list[list[str]]
    labels: list[str]
    values: list[dict[int, float]]

    @classmethod
    def of(cls, chunk: Chunk) -> "Grid":
        rows = rows_of(chunk)
        n = header_row_count(chunk)
        header, data = rows[:n], rows[n:]
        width = max((len(r) for r in rows), default=0)
        paths = column_paths(header) if header else []
        paths += [[] for _ in range(width - len(paths))]
        labels, values = [], []
        for row in data:
            figs = [j for j, c in enumerate(row) if _num(c) is not None]
            if len(figs) >= 2 and all(is_year_label(row[j]) for j in figs):
                figs = []  # a repeated header row (「推動重點 部會 107 108 …」)
            key = figs[0] if len(figs) >= 2 and is_year_label(row[figs[0]]) else None
            labels.append(" ".join(c.strip() for j, c in enumerate(row)
                                   if c.strip() and (_num(c) is None or j == key)))
            values.append({j: _num(row[j]) for j in figs if j != key})  # type: ignore[misc]
        return cls(chunk, paths, data, labels, values)

    def decimals(self, r: int, cols) -> int:
        return max((_decimals(self.rows[r][j]) for j in cols if j < len(self.rows[r])), default=0)


def _tol(decimals: int, n: int) -> float:
    return 0.5 * 10 ** -decimals * (n + 1) + 1e-9


def _total_level(path: list[str]) -> int | None:
    for i, p in enumerate(path):
        if _TOTAL.search(p):
            return i
    return None


def column_parts(paths: list[list[str]]) -> dict[int, list[int]]:
    """Total column -> its part columns (see the module docstring)."""
    out: dict[int, list[int]] = {}
    for t, path in enumerate(paths):
        lvl = _total_level(path)
        if lvl is None:
            continue
        prefix, suffix = path[:lvl], path[lvl + 1:]
        parts = []
        for c, p in enumerate(paths):
            if c == t or _total_level(p) is not None or len(p) <= lvl or p[:lvl] != prefix:
                continue
            if suffix and p[-len(suffix):] != suffix:
                continue
            parts.append(c)
        if parts:
            out[t] = parts
    return out


def _check(grid: Grid, r: int, total: float, parts: list[tuple[str, float | None]], direction: str,
           label: str, cols) -> Mismatch | None:
    vals = [(k, v) for k, v in parts if v is not None]
    if not vals:
        return None
    expected = sum(v for _, v in vals)
    d = grid.decimals(r, cols)
    if abs(expected - total) <= _tol(d, len(vals)):
        return None
    return Mismatch(grid.chunk, direction, label, expected, total, vals, d, table_unit(grid.chunk))


def check_columns(grid: Grid) -> list[Mismatch]:
    """Total columns that do not equal the sum of their parts, per row."""
    out = []
    used = {c for vals in grid.values for c in vals}
    for t, parts in column_parts(grid.paths).items():
        parts = [c for c in parts if c in used]  # not the label columns
        for r, vals in enumerate(grid.values):
            if t not in vals or not any(c in vals for c in parts):
                continue
            if len(vals) < 2:
                continue
            m = _check(grid, r, vals[t], [(" ".join(grid.paths[c]), vals.get(c)) for c in parts], "column",
                       f"{grid.labels[r]} × {' '.join(grid.paths[t])}", [t, *parts])
            if m:
                out.append(m)
    return out


def _is_sum_row(vals: dict[int, float], items: list[dict[int, float]], tol: float) -> bool:
    """A row most of whose figures equal the column sums of the rows above."""
    if len(vals) < 2 or not items:
        return False
    hits = 0
    for c, v in vals.items():
        col = [it[c] for it in items if c in it]
        if col and abs(sum(col) - v) <= tol * (len(col) + 1):
            hits += 1
    return hits >= 2 and hits >= 2 * len(vals) / 3


def check_rows(grid: Grid) -> list[Mismatch]:
    """Total rows that do not equal the sum of the rows above them."""
    out: list[Mismatch] = []
    items: list[int] = []
    # top-level column groups (a year, 「合計」), without the columns that
    # total other columns of the same group (「108 年度 › 小計」)
    groups: dict[str, list[int]] = {}
    for c, p in enumerate(grid.paths):
        if p:
            groups.setdefault(p[0], []).append(c)
    for t, parts in column_parts(grid.paths).items():
        g = grid.paths[t][0]
        if set(parts) <= set(groups.get(g, [])):
            groups[g].remove(t)
    for r, vals in enumerate(grid.values):
        if not vals:
            continue
        if not is_total_text(grid.labels[r]):
            d = max(grid.decimals(r, vals), 0)
            if _is_sum_row(vals, [grid.values[i] for i in items], 0.5 * 10 ** -d):
                continue  # a subtotal by kind (既有預算), not an item
            items.append(r)
            continue
        if len(items) < 2:
            items = []
            continue
        block = [grid.values[i] for i in items] + [vals]
        shifted = len({len(v) for v in block}) == 1 and len({tuple(sorted(v)) for v in block}) > 1
        found = None if shifted else _check_total_row(grid, r, items, groups)
        if found is None:
            found = _check_compact(grid, r, items)
        out.extend(found)
        items = []
    return out


def _check_total_row(grid: Grid, r: int, items: list[int], groups: dict[str, list[int]]) -> list[Mismatch] | None:
    """Column-by-column check of a total row; None when the row's figures do
    not line up with its items' columns."""
    vals = grid.values[r]
    out: list[Mismatch] = []
    done: set[int] = set()
    for g, cols in groups.items():
        printed = [c for c in cols if c in vals]
        used = [c for c in cols if any(c in grid.values[i] for i in items)]
        if len(printed) == 1 and len(used) >= 2:
            c = printed[0]
            parts = [(grid.labels[i], sum(grid.values[i].get(k, 0.0) for k in cols)
                      if any(k in grid.values[i] for k in cols) else None) for i in items]
            m = _check(grid, r, vals[c], parts, "row", f"{grid.labels[r]} × {g}", cols)
            if m:
                out.append(m)
            done.update(cols)
    for c, v in vals.items():
        if c in done:
            continue
        col = [grid.values[i].get(c) for i in items]
        if all(x is None for x in col):
            return None  # the total sits in a column no item uses: shifted layout
        head = (" ".join(grid.paths[c]) if c < len(grid.paths) else "") or _heading_above(grid, items[0], c)
        m = _check(grid, r, v, [(grid.labels[i], x) for i, x in zip(items, col)], "row",
                   f"{grid.labels[r]} × {head or c}", [c])
        if m:
            out.append(m)
    return out


def _heading_above(grid: Grid, r: int, col: int) -> str:
    """The nearest label printed above row ``r`` in column ``col`` by a row
    without figures (a header the ingester left among the data rows)."""
    for i in range(r - 1, -1, -1):
        row = grid.rows[i]
        if not grid.values[i] and col < len(row) and row[col].strip():
            return row[col].strip()
    return ""


def _check_compact(grid: Grid, r: int, items: list[int]) -> list[Mismatch]:
    """Figures compared in order when every row of the block prints the same
    number of figures (columns shifted by the PDF layout)."""
    rows = [grid.values[i] for i in items] + [grid.values[r]]
    k = len(rows[-1])
    if any(len(v) != k for v in rows) or k == 0:
        return []
    out = []
    total = [grid.values[r][c] for c in sorted(grid.values[r])]
    for pos in range(k):
        parts = [(grid.labels[i], [grid.values[i][c] for c in sorted(grid.values[i])][pos]) for i in items]
        cols = sorted({sorted(grid.values[i])[pos] for i in items} | {sorted(grid.values[r])[pos]})
        first_col = sorted(grid.values[items[0]])[pos]
        head = " ".join(grid.paths[first_col]) if first_col < len(grid.paths) and grid.paths[first_col] else \
            _heading_above(grid, items[0], first_col) or f"figure {pos + 1} of the row"
        m = _check(grid, r, total[pos], parts, "row", f"{grid.labels[r]} × {head}", cols)
        if m:
            out.append(m)
    return out


def check_table(chunk: Chunk) -> list[Mismatch]:
    """Every arithmetic mismatch of a table chunk (``[]`` for text chunks)."""
    if chunk.chunk_type != "table":
        return []
    grid = Grid.of(chunk)
    return check_columns(grid) + check_rows(grid)


__all__ = ["Grid", "Mismatch", "check_columns", "check_rows", "check_table", "column_parts"]
