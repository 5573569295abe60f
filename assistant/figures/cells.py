"""Table cells with their row and column headers, read from table chunks.

Column headers of multi-level tables (年度 × 經常支出/資本支出 × 人事費/…)
are resolved by filling each header row's empty cells from the nearest
filled cell to their left (a spanned header is printed once, over its first
column); row labels are the label cells left of a figure; an empty label
cell takes the label above it (a spanned row label), until a row has its own
label at that or an outer level (a grand-total row, 「總計」 alone, takes
none).  A year printed as a row key (「106 10,000 3」 in a 資源投入 table) is a
label, not a figure.  A year sub-header row left among the data rows
(「108 年度 109 年度」 under 「初級產出量化值」) counts as a header row, and a
header row further down (a second table in the same chunk, with a year in its
header) starts new column headers.  Tables the ingester found no header for
get one inferred (:func:`header_row_count`).

A table with no unit of its own (:func:`table_unit`) whose labels declare
one money unit (「經費(千元)」, 「經費小計(千元)」 -- the A003 form of a 科技計畫)
gives it to the figures of its cost-class rows (人事費, 其他經常支出, 經常門小計
…; :data:`~assistant.figures.labels.Group` COST and DOOR): a cost class is
money by definition (the budget classification of 主計總處), and the form
prints the unit once, on its subtotal row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingest.models import Chunk
from ingest.store import rows_of
from ingest.tables import TOTAL_WORDS, header_cells, is_block_header
from ingest.units import is_figure, is_year_label, money_unit_in

from .labels import Group, find_labels

__all__ = ["Cell", "column_headers", "column_paths", "header_row_count", "is_figure", "is_year_label",
           "row_name", "table_cells", "table_unit"]



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
        unit: the table's unit (``"千元"``; see :func:`table_unit`), for a
            cost-class row of a table without one the money unit its labels
            declare (module docstring), or ``""``.
        title: the table's title.
        row_path: the row's label cells, outermost first
            (``("分項二：AI 智慧應用…", "小計")``).
        column_path: the column's header levels, outermost first
            (``("108 年度", "經常支出", "人事費")``).
        row_headers: the column header of each of ``row_path``'s label
            cells (``("計畫名稱", "計畫策略", "計畫性質")``; ``""`` where the
            table has none).
    """

    value: str
    row_label: str
    column: str
    row: int
    col: int
    unit: str
    title: str
    row_path: tuple[str, ...] = ()
    column_path: tuple[str, ...] = ()
    row_headers: tuple[str, ...] = ()

    def fact_statement(self, display: str = "") -> str:
        """The cell as its fact states it (:attr:`assistant.figures.extract.Fact.text`):
        「{row label}｜{column}：{display}」 (``display``: the value as the fact
        prints it, e.g. ``"390,000 千元"``; without it, the statement's head)."""
        return statement(self.row_label, self.column, display)

    def named_statement(self, display: str = "") -> str:
        """:meth:`fact_statement` with the row named by :func:`row_name` (as
        ``verify`` evidence and ``audit`` findings print a cell)."""
        return statement(" ".join(row_name(self)), self.column, display)

    def describe(self) -> str:
        """``row label column`` in one string, for matching."""
        return f"{self.row_label} {self.column}".strip()

    @property
    def money_or_count_unit(self) -> str:
        """The table's unit without its currency word (新臺幣/新台幣 千元 →
        ``"千元"``); ``""`` when the table states none."""
        return self.unit.replace("新臺幣", "").replace("新台幣", "").strip()

    def value_with_unit(self) -> str:
        """The value as printed followed by :attr:`money_or_count_unit`
        (``"350,000 千元"``); a percentage or a unitless table's value alone."""
        unit = self.money_or_count_unit
        return f"{self.value} {unit}".strip() if unit and not self.value.endswith("%") else self.value


# A label column whose header says it describes the row rather than names
# it: the 計畫策略 and 計畫性質 columns beside 計畫名稱 in the science-budget
# forms (the shipped MOST plan's 經費需求 table, p.13).  A longer describing
# column (a KPI table's 工作項目說明, the action plan's 辦理措施) stays: it
# holds what such a row is about, and the answer quotes it.
_DESCRIBING_HEADER = re.compile(r"策略|性質")


def statement(row: str, column: str, display: str = "") -> str:
    """A cell stated in one line: 「{row}｜{column}：{display}」 (``display``
    empty: the statement's head, for matching a printed statement)."""
    return f"{row}｜{column}：{display}".strip("｜")


def row_name(cell: Cell) -> tuple[str, ...]:
    """The labels of ``cell.row_path`` that name its row, outermost first:
    without those under a describing header (:data:`_DESCRIBING_HEADER`)
    and without a label repeated from the one before (a 主提機關 and a
    申請機關 that are one agency).  The outermost label is always kept, and
    an inner label elsewhere (「其他」, 「小計」) wherever it sits.
    ``("分項二:AI 智慧應用暨新世代人才培育推動",)`` for the row whose path
    adds 「培育數位經濟跨域人才」 (計畫策略) and 「智慧科技應用、人才培育與
    課程開發」 (計畫性質)."""
    heads = cell.row_headers + ("",) * (len(cell.row_path) - len(cell.row_headers))
    out: list[str] = []
    for k, (label, head) in enumerate(zip(cell.row_path, heads)):
        if k and (_DESCRIBING_HEADER.search(head) or label == out[-1]):
            continue
        out.append(label)
    return tuple(out)


def column_paths(header: list[list[str]]) -> list[list[str]]:
    """Resolved header path of every column, outermost level first
    (``[["108 年度", "經常支出", "人事費"], ...]``; see the module docstring).

    A column without any header gets ``[]``; repeated levels (a spanned cell
    filled down into the next header row) appear once.
    """
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
    return [list(dict.fromkeys(p)) for p in paths]


def column_headers(header: list[list[str]]) -> list[str]:
    """Resolved header path of every column, joined with ``" "``
    (``"108 年度 經常支出 人事費"``); see :func:`column_paths`."""
    return [" ".join(p) for p in column_paths(header)]


# A cell that is only a grand-total word.
_GRAND_TOTAL = re.compile(r"(?:合\s*計|總\s*計|共\s*計|總\s*額)")
# Inferred continuation header rows hold short labels only (既有/新增, 小計).
_SHORT_HEADER = 8


def _is_year_subheader(row: list[str]) -> bool:
    cells = [c.strip() for c in row if c.strip()]
    return (len(cells) >= 2 and any(is_year_label(c) or re.fullmatch(r"\d{2,3}\s*-\s*\d{2,3}\s*年度?", c)
                                     for c in cells)
            and all(len(c) <= _SHORT_HEADER + 4 and (not is_figure(c) or is_year_label(c)) for c in cells))


def header_row_count(chunk: Chunk) -> int:
    """How many leading rows of a table chunk are header rows.

    The chunk's ``table_header`` when the ingester found one; otherwise the
    header is inferred: a first row whose non-empty cells are labels or
    year labels, with at least two year labels (「行動計畫 107 108 … 合計」),
    followed by at most two rows of short labels without figures
    (「既有 新增 …」), and only when a data row with figures follows.
    """
    rows = rows_of(chunk)
    if chunk.table_header:
        n = len([ln for ln in chunk.table_header.split("\n") if ln.strip()])
        # a year sub-header row the ingester left among the data
        # (「初級產出量化值」 over 「108 年度 109 年度」)
        while n < len(rows) and _is_year_subheader(rows[n]):
            n += 1
        return n
    if len(rows) < 2:
        return 0
    first = [c.strip() for c in rows[0] if c.strip()]
    years = [c for c in first if is_year_label(c)]
    if len(first) < 3 or len(years) < 2 or any(is_figure(c) and not is_year_label(c) for c in first):
        return 0
    n = 1
    while n < min(3, len(rows)):
        cells = [c.strip() for c in rows[n] if c.strip()]
        if len(cells) < 2 or any(is_figure(c) for c in cells) or any(len(c) > _SHORT_HEADER for c in cells):
            break
        n += 1
    has_data = any(any(is_figure(c) and not is_year_label(c) for c in r) for r in rows[n:])
    return n if has_data else 0


def table_unit(chunk: Chunk) -> str:
    """The table's unit: the chunk's ``table_unit`` (``"千元"``, ``"新臺幣 億元"``,
    ``"人/年"``), else a money unit written in the header rows or the title
    (「預算總額 億元」), else ``""``."""
    if chunk.table_unit:
        return chunk.table_unit
    rows = rows_of(chunk) if chunk.chunk_type == "table" else []
    head = " ".join(" ".join(r) for r in rows[:header_row_count(chunk)])
    return money_unit_in(f"{chunk.table_title} {head}")


def _is_inline_header(row: list[str]) -> bool:
    """A header row among the data rows: three or more short cells, no
    figures, one of them naming a year (「屬性 績效指標 (108年)初級產出量化值
    預期效益說明」)."""
    cells = header_cells(row, 3)
    return cells is not None and any(re.search(r"\d{2,4}\s*年", c) for c in cells)


def _is_year_block_header(data: list[list[str]], i: int, keys: dict[int, set[int]]) -> bool:
    """Row ``i`` heads a block of year-keyed rows below it (a form's
    「資源投入 | 年度 | 經費(千元) | 人力(人/年)」 over 「106 | 10,000 | 3」 …):
    two or more short cells, no figures, and the next row is keyed by a
    year (:func:`_year_key_columns`)."""
    return i + 1 in keys and is_block_header(data[i])


def _label_text(cell: str) -> str:
    """A label cell as a label: a total word followed by overflowing prose
    (「總計各部會已於細部計畫書中加入…」) is just the total word."""
    c = cell.strip()
    m = TOTAL_WORDS.match(c)
    return m.group() if m and len(c) > m.end() + 10 else c


def _is_label(cell: str) -> bool:
    """A row-label cell has words (not a lone 「-」, 「V」 or bullet)."""
    c = cell.strip()
    return bool(re.search(r"[\u3400-\u9fff]", c)) or len(re.findall(r"[A-Za-z0-9]", c)) >= 2


def _year_key_columns(data: list[list[str]]) -> dict[int, set[int]]:
    """Row -> columns holding the row's year key (「106 10,000 3」 rows of a
    資源投入 table): a column whose first figure is a year label in two or
    more rows, with the years increasing down the table."""
    firsts: dict[int, list[tuple[int, int]]] = {}
    for i, row in enumerate(data):
        figs = [j for j, c in enumerate(row) if c.strip() and is_figure(c)]
        if len(figs) >= 2 and is_year_label(row[figs[0]]) and not all(is_year_label(row[j]) for j in figs):
            firsts.setdefault(figs[0], []).append((i, int(row[figs[0]].strip())))
    out: dict[int, set[int]] = {}
    for j, hits in firsts.items():
        years = [y for _, y in hits]
        if len(hits) >= 2 and years == sorted(set(years)):
            for i, _ in hits:
                out.setdefault(i, set()).add(j)
    return out


def _spanning_totals(row: list[str], paths: list[list[str]]) -> set[int]:
    """Columns of a total row whose figure is a merged cell spanning its
    column group.

    A 合計 row of a table with sub-columns under each year (「107 / 既有、
    新增」) often prints one figure per year across both sub-columns (表 8 of
    the 臺灣 AI 行動計畫: 合計 92.59 = 既有 90.59 + 新增 2.00); in the text
    it lands in the group's first sub-column and the others are empty.  When
    in every group of at least two sub-columns (at least two such groups)
    only the first is filled, the row is read as merged cells: each figure
    belongs to the group (「107」), not to its first sub-column (「107
    既有」).  Returns the column indexes so read (empty when the row does not
    have that shape).
    """
    groups: dict[tuple[str, ...], list[int]] = {}
    for j, path in enumerate(paths):
        if len(path) >= 2:
            groups.setdefault(tuple(path[:-1]), []).append(j)
    multi = [cols for cols in groups.values() if len(cols) >= 2]
    if len(multi) < 2:
        return set()

    def filled(j: int) -> bool:
        return j < len(row) and bool(row[j].strip()) and is_figure(row[j])

    if all(filled(cols[0]) and not any(filled(j) for j in cols[1:]) for cols in multi):
        return {cols[0] for cols in multi}
    return set()


# A column of executing agencies (執行單位 / 主辦機關 / 部會) in a table's header.
_AGENCY_HEADER = re.compile(r"單位|機關|部會")


def _unwrapped_agencies(data: list[list[str]], paths: list[list[str]]) -> list[list[str]]:
    """``data`` with each agency name that wraps over its two rows joined.

    A budget table giving each agency a 經常門 row and a 資本門 row prints
    the agency in a merged cell spanning both; the text splits a long name
    over them (表 5 of the moda plan: 「經常門 經濟部 1.400 …」 over 「資本門
    產業技術司 0.000 …」, one agency, 經濟部產業技術司).  When the first
    column alternates between two labels over two or more pairs of rows and
    the second is an agency column (its header names 單位 / 機關 / 部會)
    filled in every such row, both rows of each pair get the joined name.
    Other tables are returned unchanged.
    """
    if len(paths) < 2 or not _AGENCY_HEADER.search(" ".join(paths[1])):
        return data

    def pair(k: int) -> tuple[str, str] | None:
        """Rows k, k+1's first-column labels when both carry an agency name."""
        rows = data[k:k + 2]
        if len(rows) < 2 or any(len(r) < 2 or not _is_label(r[1]) or is_figure(r[1]) for r in rows):
            return None
        return rows[0][0].strip(), rows[1][0].strip()

    out = [list(r) for r in data]
    i = 0
    while i + 3 < len(data):
        # the longest run of pairs from row i: first column a, b, a, b …
        first = pair(i)
        j = i
        while first is not None and pair(j) == first:
            j += 2
        if first is not None and all(first) and first[0] != first[1] and j - i >= 4:
            for k in range(i, j, 2):
                out[k][1] = out[k + 1][1] = data[k][1].strip() + data[k + 1][1].strip()
            i = j
        else:
            i += 1
    return out


def table_cells(chunk: Chunk) -> list[Cell]:
    """Every figure cell of a table chunk, with its headers.

    Returns ``[]`` for text chunks.
    """
    if chunk.chunk_type != "table":
        return []
    rows = rows_of(chunk)
    n_header = header_row_count(chunk)
    header, data = rows[:n_header], rows[n_header:]
    paths = column_paths(header)
    data = _unwrapped_agencies(data, paths)
    unit = table_unit(chunk)
    keys = _year_key_columns(data)
    out: list[Cell] = []
    carry: dict[int, str] = {}
    skip = -1
    block: list[list[str]] | None = None  # the column paths a year block interrupts
    block_years: list[str] = []  # the year keys of the block's rows
    for i, row in enumerate(data):
        if i == skip:
            continue
        if block is not None and i not in keys and not any(_GRAND_TOTAL.fullmatch(c.strip()) for c in row):
            # the year block (and its total row) ended: the table's own columns resume
            paths, carry, block = block, {}, None
        if block is None and _is_year_block_header(data, i, keys):
            block, paths, carry, block_years = paths, column_paths([row]), {}, []
            continue
        if block is not None and i in keys:
            block_years += [row[j].strip() for j in keys[i]]
        if _is_inline_header(row):
            # a second table's header inside this chunk: columns restart here
            head = [row]
            if i + 1 < len(data) and _is_year_subheader(data[i + 1]):
                head.append(data[i + 1])
                skip = i + 1
            paths = column_paths(head)
            carry = {}
            continue
        label_cols = [j for j, c in enumerate(row)
                      if c.strip() and (j in keys.get(i, ()) or (not is_figure(c) and _is_label(c)))]
        if label_cols:
            # a grand-total row (「總計」 alone) belongs to no group above it
            grand = _GRAND_TOTAL.fullmatch(row[label_cols[0]].strip())
            for k in [k for k in carry if k >= label_cols[0] or grand]:
                del carry[k]
            for j in label_cols:
                carry[j] = _label_text(row[j])
            if grand and block is not None and block_years:
                # the year block's total is over its years: 「合計(106~109 年)」
                carry[label_cols[0]] += f"({block_years[0]}~{block_years[-1]} 年)"
        spans = _spanning_totals(row, paths) if label_cols and _GRAND_TOTAL.search(row[label_cols[0]]) else set()
        for j, cell in enumerate(row):
            if not cell.strip() or not is_figure(cell) or j == 0 or j in keys.get(i, ()):
                continue
            label_keys = [k for k in sorted(carry) if k < j]
            labels = [carry[k] for k in label_keys]
            path = tuple(paths[j]) if j < len(paths) else ()
            if j in spans:
                path = path[:-1]
            heads = tuple(" ".join(paths[k]) if k < len(paths) else "" for k in label_keys)
            out.append(Cell(cell.strip(), " ".join(labels), " ".join(path), i, j, unit, chunk.table_title,
                            tuple(labels), path, heads))
    return out if unit else _with_cost_unit(out)


# Label groups that name a budget cost class: their figures are money.
_COST_GROUPS = (Group.COST, Group.DOOR)


def _with_cost_unit(cells: list[Cell]) -> list[Cell]:
    """``cells`` of a table without a unit, the cost-class rows' figures
    given the one money unit the table's labels declare (module docstring);
    unchanged when the labels declare none or several."""
    declared = {money_unit_in(f"{c.row_label} {c.column}") for c in cells} - {""}
    if len(declared) != 1:
        return cells
    unit = declared.pop()
    return [replace(c, unit=unit) if any(lb.group in _COST_GROUPS for lb in find_labels(c.row_label, header=True))
            else c for c in cells]
