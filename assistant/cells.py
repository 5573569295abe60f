"""Table cells with their row and column headers, read from table chunks.

Column headers of multi-level tables (年度 × 經常支出/資本支出 × 人事費/…)
are resolved by filling each header row's empty cells from the nearest
filled cell to their left (a spanned header is printed once, over its first
column); row labels are the non-figure cells left of a figure, with an empty
first cell filled from the row above (a spanned row label).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.models import Chunk
from ingest.store import rows_of

_FIGURE = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?\s*%?$")


def is_figure(cell: str) -> bool:
    """True for a cell holding a number (``390,000``, ``7.5%``, ``-5``)."""
    return bool(_FIGURE.match(cell.strip()))


@dataclass(frozen=True)
class Cell:
    """One figure cell of a table.

    Attributes:
        value: the cell text as printed (``"350,000"``).
        row_label: the row's label cells joined with a space.
        column: the resolved column header path joined with ``" "``
            (``"108 年度 經常支出 人事費"``); ``""`` when the table has no
            header row.
        row: 0-based index among the data rows of the chunk.
        col: 0-based column index.
        unit: the table's unit (``"千元"``) or ``""``.
        title: the table's title.
    """

    value: str
    row_label: str
    column: str
    row: int
    col: int
    unit: str
    title: str

    def describe(self) -> str:
        """``row label column`` in one string, for matching."""
        return f"{self.row_label} {self.column}".strip()


def column_headers(header: list[list[str]]) -> list[str]:
    """Resolved header path of every column (see the module docstring)."""
    width = max((len(r) for r in header), default=0)
    rows = [r + [""] * (width - len(r)) for r in header]
    paths: list[list[str]] = [[] for _ in range(width)]
    for r, row in enumerate(rows):
        last = ""
        for j, cell in enumerate(row):
            # a header above that starts a new span here ends this row's span
            if any(rows[k][j].strip() for k in range(r)):
                last = ""
            if cell.strip():
                last = cell.strip()
                paths[j].append(last)
            elif last and j > 0:
                paths[j].append(last)
    # the label column's own header ("計畫名稱") is not a value header
    return [" ".join(dict.fromkeys(p)) for p in paths]


def table_cells(chunk: Chunk) -> list[Cell]:
    """Every figure cell of a table chunk, with its headers.

    Returns ``[]`` for text chunks.
    """
    if chunk.chunk_type != "table":
        return []
    rows = rows_of(chunk)
    n_header = len([ln for ln in chunk.table_header.split("\n") if ln.strip()]) if chunk.table_header else 0
    header, data = rows[:n_header], rows[n_header:]
    cols = column_headers(header)
    out: list[Cell] = []
    prev_first = ""
    for i, row in enumerate(data):
        first = row[0].strip() if row else ""
        if first and not is_figure(first):
            prev_first = first
        for j, cell in enumerate(row):
            if not cell.strip() or not is_figure(cell) or j == 0:
                continue
            labels = [c.strip() for c in row[:j] if c.strip() and not is_figure(c)]
            if not row[0].strip() and prev_first:
                labels.insert(0, prev_first)
            out.append(Cell(cell.strip(), " ".join(labels), cols[j] if j < len(cols) else "", i, j,
                            chunk.table_unit, chunk.table_title))
    return out
