"""Turn pypdf layout-mode page text into logical lines.

pypdf's ``extraction_mode="layout"`` places each text fragment at a column
proportional to its x position, so table columns stay aligned, rows drawn with
cell padding are separated by blank lines, and a cell that wraps continues on
the next line at the same column. This module reads that picture back:

* table regions become one tab-separated line per row, with the wrapped
  lines of each cell joined;
* every other line is stripped, its runs of spaces collapsed.

The output uses the same convention as the project's text sources (table rows
are tab-separated lines), so one table recogniser (:mod:`ingest.tables`)
serves PDFs and text files alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .clean import PAGE_NUMBER_RE
from .units import is_figure, join_wrapped

# Two or more spaces separate cells. Paragraph text rendered by PDF
# producers has single spaces only (reportlab and Word collapse runs), while
# table cells are at least one cell padding apart (≥ 2 character widths in
# pypdf's layout grid at 6–9 pt).
CELL_GAP = re.compile(r" {2,}")

# Fragments whose start columns differ by at most this many character cells
# belong to the same table column (pypdf rounds x positions to its grid).
COLUMN_TOLERANCE = 2

# A block without a multi-cell line is kept inside a table only when it is
# short: a row with one filled cell. Prose lines run close to the full width.
MAX_LONE_CELL_SHARE = 0.6


@dataclass(frozen=True)
class _Fragment:
    col: int
    text: str


def _fragments(line: str) -> list[_Fragment]:
    out = []
    pos = 0
    for part in CELL_GAP.split(line):
        idx = line.find(part, pos) if part else pos
        if part.strip():
            lead = len(part) - len(part.lstrip(" "))
            out.append(_Fragment(idx + lead, part.strip()))
        pos = idx + len(part)
    return out


def _is_page_number(block: list[str]) -> bool:
    return len(block) == 1 and bool(PAGE_NUMBER_RE.match(block[0]))


def _blocks(lines: list[str]) -> list[list[str]]:
    """Split lines into runs separated by blank lines."""
    blocks: list[list[str]] = []
    cur: list[str] = []
    for ln in lines:
        if ln.strip():
            cur.append(ln)
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def _column_starts(blocks: list[list[str]], carried: list[int] = ()) -> list[int]:
    starts = sorted({f.col for block in blocks for ln in block for f in _fragments(ln)} | set(carried))
    cols: list[int] = []
    for s in starts:
        if not cols or s - cols[-1] > COLUMN_TOLERANCE:
            cols.append(s)
    return cols


def _rows(blocks: list[list[str]], cols: list[int]) -> list[str]:
    rows = []
    for block in blocks:
        cells = [""] * len(cols)
        for ln in block:
            for frag in _fragments(ln):
                idx = max((i for i, c in enumerate(cols) if c <= frag.col + COLUMN_TOLERANCE), default=0)
                cells[idx] = join_wrapped(cells[idx], frag.text)
        while cells and not cells[-1]:
            cells.pop()
        rows.append("\t".join(cells))
    return rows


# A multi-cell block after data rows that holds no figure and either repeats
# the table's first header cell or has at least this share of its fragments
# off the table's columns is the header of the next table drawn right below
# (two tables one blank line apart look alike otherwise).
NEW_TABLE_MISMATCH = 0.5


def _has_figure(block: list[str]) -> bool:
    return any(is_figure(f.text) for ln in block for f in _fragments(ln)[1:])


def _starts_new_table(table: list[list[str]], block: list[str]) -> bool:
    if not any(_has_figure(b) for b in table) or _has_figure(block):
        return False
    first = _fragments(table[0][0])
    frags = [f for ln in block for f in _fragments(ln)]
    if first and frags and frags[0].text == first[0].text:
        return True  # the header row again: a new table (or a repeated header)
    cols = _column_starts(table)
    off = sum(1 for f in frags if all(abs(f.col - c) > COLUMN_TOLERANCE for c in cols))
    return off >= NEW_TABLE_MISMATCH * len(frags)


def layout_page_to_lines(page_text: str, carried_columns: list[int] = ()) -> tuple[list[str], list[int]]:
    """Convert one page of pypdf layout-mode text into logical lines.

    Args:
        page_text: ``page.extract_text(extraction_mode="layout")``.
        carried_columns: the column starts of a table that ended the previous
            page; used when this page opens with a table (a table split
            across pages), so that columns empty on this page keep their
            place.

    Returns:
        ``(lines, columns)``: lines in reading order, and the column starts
        of the table that ends this page (``[]`` if the page ends in prose).
        Lines: Table rows are tab-separated (one line per
        row, wrapped cells joined); other lines are stripped with runs of
        spaces collapsed; a blank line (``""``) separates paragraphs and
        tables.
    """
    lines = page_text.replace("\r", "").split("\n")
    blocks = _blocks(lines)
    width = max((len(ln.rstrip()) for ln in lines), default=0) or 1
    multi = [any(len(_fragments(ln)) >= 2 for ln in b) for b in blocks]

    def lone_cell(block: list[str]) -> bool:
        return all(len(ln.strip()) <= MAX_LONE_CELL_SHARE * width for ln in block)

    out: list[str] = []
    columns: list[int] = []
    i = 0
    while i < len(blocks):
        if not multi[i]:
            out.extend(" ".join(ln.split()) for ln in blocks[i])
            out.append("")
            i += 1
            continue
        # Grow the table over multi-cell blocks and short lone-cell blocks
        # that are followed by another multi-cell block.
        j = i + 1
        while j < len(blocks):
            if multi[j]:
                if _starts_new_table(blocks[i:j], blocks[j]):
                    break
                j += 1
                continue
            k = j
            while k < len(blocks) and not multi[k] and lone_cell(blocks[k]) and k - j < 3:
                k += 1
            if k < len(blocks) and multi[k] and k > j:
                j = k
                continue
            break
        columns = _column_starts(blocks[i:j], carried_columns if i == 0 else ())
        out.extend(_rows(blocks[i:j], columns))
        out.append("")
        i = j
    last = next((k for k in range(len(blocks) - 1, -1, -1) if not _is_page_number(blocks[k])), None)
    if last is None or not multi[last]:
        columns = []
    while out and out[-1] == "":
        out.pop()
    return out, columns
