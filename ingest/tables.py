"""Recognise tables in cleaned lines: rows, header rows, title and unit.

Input is the cleaned document (:class:`ingest.clean.Line` records) in which
every table row is a tab-separated line — from a text source directly, or
from :mod:`ingest.layout` for PDFs. A run of consecutive table rows is one
table; a blank line or any other line ends it (a table split across pages
continues, since page furniture is removed before this step).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clean import Line
from .structure import is_caption
from .units import is_figure, is_year_label, money_unit_in

UNIT_RE = re.compile(r"[(（]?\s*單位\s*[:：]\s*([^)）\t]{1,20})[)）]?")
# Header rows precede the first row holding a figure; templates use up to
# three levels (年度 × 經常支出/資本支出 × 人事費/材料費/其他).
MAX_HEADER_ROWS = 3
# Lines just above a table that can title it: a caption, or a short line
# that is not a sentence.
MAX_TITLE_CHARS = 60
_CLAUSE = re.compile(r"[,，;；。]")
#: Words of total rows and columns (合計, 小計, 總計, 總額, 共計), as the
#: plans' budget forms print them.
TOTAL_WORDS = re.compile(r"合計|小計|總計|總額|共計")


@dataclass
class Table:
    """A table read from the document.

    Attributes:
        title: caption (``表 3、經費需求表``) or the short line above the table;
            ``""`` when there is none.
        unit: the unit line's value, e.g. ``"千元"`` or ``"新臺幣千元"``;
            ``""`` when none is printed.
        unit_line: the unit line as printed (``單位：千元``).
        header: header rows (lists of cell strings).
        rows: data rows.
        row_pages: 1-based page of each data row.
        header_page: page of the first header row.
    """

    title: str
    unit: str
    unit_line: str
    header: list[list[str]]
    rows: list[list[str]]
    row_pages: list[int] = field(default_factory=list)
    header_page: int = 1


def split_row(text: str) -> list[str]:
    """Cells of a tab-separated row, each stripped and with inner runs of
    whitespace collapsed."""
    return [" ".join(c.split()) for c in text.split("\t")]


def has_figure(row: list[str]) -> bool:
    """True when a cell after the first holds a figure (a year label such as
    「107」「2019」 is a column header, not a figure)."""
    cells = [c.replace(" ", "") for c in row[1:] if c]
    return any(is_figure(c) and not is_year_label(c) for c in cells)


#: The longest cell of a header row among a table's data rows (「經費(千元)」,
#: 「人力(人/年)」, 「(108年)初級產出量化值」); longer cells are prose.
BLOCK_HEADER_CELL_CHARS = 16


def header_cells(row: list[str], least: int = 2) -> list[str] | None:
    """The non-empty cells of a row that reads as a header among the data
    rows -- at least ``least`` of them, all short (≤
    :data:`BLOCK_HEADER_CELL_CHARS`), none a figure -- else None."""
    cells = [c.strip() for c in row if c.strip()]
    ok = (len(cells) >= least and all(len(c) <= BLOCK_HEADER_CELL_CHARS for c in cells)
          and not any(is_figure(c) for c in cells))
    return cells if ok else None


def is_block_header(row: list[str]) -> bool:
    """A header row among the data rows, heading the rows below it: two or
    more non-empty short cells, none a figure (:func:`header_cells`; a
    form's 「資源投入 | 年度 | 經費(千元) | 人力(人/年)」)."""
    return header_cells(row) is not None


def fill_spanned_labels(row: list[str], above: list[str]) -> list[str]:
    """``row`` with its leading empty cells taken from ``above`` (the row
    above, already filled): a label cell spanning rows is printed once, in
    its first row (「分項二 | 子項 2.3 | 工作項目 A」 then 「 |  | 工作項目 B」).
    A row that starts with a total word (a grand total belongs to no group
    above it) and figure cells above are not filled.

    Example:
        >>> fill_spanned_labels(["", "", "B", "0.3"], ["分項二", "子項 2.3", "A", "0.35"])
        ['分項二', '子項 2.3', 'B', '0.3']
    """
    lead = next((j for j, c in enumerate(row) if c.strip()), len(row))
    if lead == 0 or lead == len(row) or TOTAL_WORDS.search(row[lead]):
        return row
    return [above[j] if j < lead and j < len(above) and not is_figure(above[j].replace(" ", "")) else c
            for j, c in enumerate(row)]


def find_unit(text: str) -> tuple[str, str]:
    """``(unit, unit_line)`` from a line such as ``(單位：新臺幣千元)``;
    ``("", "")`` when the line states no unit."""
    m = UNIT_RE.search(text)
    if not m:
        return "", ""
    return m.group(1).strip(), m.group(0).strip()


def split_header(rows: list[list[str]]) -> int:
    """How many leading rows are header rows: those before the first row
    with a figure cell (outside the first column), at most
    :data:`MAX_HEADER_ROWS`, and below the first only rows whose first cell
    is empty (the first column's header spans the header rows; a row that
    names itself in the first cell is a data row, even without figures); 1
    for a table without figures (or 0 if it has a single row)."""
    for i, row in enumerate(rows[: MAX_HEADER_ROWS + 1]):
        if has_figure(row) or (i > 0 and row and row[0].strip()):
            return min(i, MAX_HEADER_ROWS) if any(has_figure(r) for r in rows) else (1 if len(rows) > 1 else 0)
    return 1 if len(rows) > 1 else 0


def title_from_context(before: list[str]) -> str:
    """The table title from the (up to three) non-blank lines above it,
    nearest last: a caption wins; else the nearest short line that is not a
    sentence (no 。;, and no comma: a titled table names itself without
    clauses) and not a unit line."""
    for text in reversed(before):
        if is_caption(text):
            return text
    for text in reversed(before):
        if UNIT_RE.fullmatch(text.strip()):
            continue
        if len(text) <= MAX_TITLE_CHARS and not text.endswith(("。", ";", "；")) and not _CLAUSE.search(text):
            return text
        break
    return ""


def build_table(row_lines: list[Line], before: list[str]) -> Table:
    """Assemble a :class:`Table` from its row lines and the lines above it.

    Args:
        row_lines: the table's tab-separated lines, in order.
        before: up to three non-blank, non-table lines preceding the table.
    """
    rows = [split_row(ln.text) for ln in row_lines]
    pages = [ln.page for ln in row_lines]
    title = title_from_context(before)
    unit, unit_line = "", ""
    for text in [*before, title]:
        u = find_unit(text)
        if u[0]:
            unit, unit_line = u
    if not unit and rows:
        unit, unit_line = find_unit(" ".join(rows[0]))
    n_header = split_header(rows)
    if not unit:
        # a unit printed in the title or a header cell: 「經費(千元)」, 「預算總額 億元」
        unit = money_unit_in(" ".join([title, *(" ".join(r) for r in rows[: max(1, n_header)])]))
    return Table(
        title=title,
        unit=unit,
        unit_line=unit_line,
        header=rows[:n_header],
        rows=rows[n_header:],
        row_pages=pages[n_header:],
        header_page=pages[0] if pages else 1,
    )
