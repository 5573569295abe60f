"""Candidate facts of the plans: every figure of a chunk with what it is about.

A :class:`Fact` is one stated figure -- a table cell (row label × column
header × unit, via :mod:`assistant.figures.cells`) or a figure in a sentence or in a
table's text cell (via :mod:`assistant.figures.sentences`) -- with its year, its labels
(:mod:`assistant.figures.labels`) and three layers of context for matching a claim:

* ``local`` -- the row label and column header of a cell; the words right
  around a figure in a sentence;
* ``near`` -- the table title and the whole row; the sentence;
* ``far`` -- the section path, the table title and the whole chunk.

Year rules beyond :mod:`assistant.figures.sentences` (the *weak* years, used only when a
figure has no year of its own):

* a sentence naming exactly one year (or range) -- not counting years in
  parentheses that belong to a figure, 「(2023 年)」 -- gives it to its figures,
  except a whole-period one (全程, 合計);
* a heading line naming one year (「113 年度里程碑(當年度成果)：」,
  「112 年主要績效指標：」, a section title 「二、112 年預算編列…」, or the
  tail of a long line leading in a list, 「…前期主要績效第三期 110 年推動成果
  如下：」) gives it to
  the figures after it -- in the same chunk, and in the following chunks of
  the document while the top-level section is the same (at most
  :data:`HEADING_CARRY` chunks).

Likewise a component label (分項/細部計畫 N) earlier in the chunk -- or
carried from earlier chunks like a heading year -- applies to the later
figures whose sentence names no component.

Bare numbers of a text chunk become money in the chunk's declared unit
(「單位：千元」, 「經費(千元)」) when their sentence holds at least two bare
numbers (a flattened table row), or in the unit a table declared earlier in
the section when their sentence holds a row of three or more
(:func:`carried_context`), never otherwise.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from ingest.models import Chunk
from ingest.store import rows_of

from ..language import as_western, squash

from .cells import (Cell, column_headers, header_row_count, is_figure, is_year_label, row_name, statement, table_cells,
                    table_unit)
from .claims import terms_of
from .sentences import RANK_UNIT, SPAN_UNITS, YEARS_UNIT, Figure, YearSpan, figures_in
from .labels import COMPONENT_GROUPS, TOTAL, Group, find_labels, is_total_text
from .quantities import MONEY_UNITS, Quantity, declared_money_unit, extract_quantities
from .units import format_money, money_to_yuan

# Chunks after a year heading that still inherit its year.
HEADING_CARRY = 6
# Heading lines are short.
HEADING_CHARS = 40
_HEADING_CUE = re.compile(r"[:：]\s*$|里程碑|績效指標|年度目標|經費需求表|預算編列")
_LEAD_IN = re.compile(r"[:：]\s*$")
# A year in parentheses right after a figure belongs to that figure only.
_PAREN_YEAR = re.compile(r"[(（]\s*\d{2,4}\s*年度?[^)）]{0,12}[)）]")
_STRONG = {"column", "row", "paren", "respectively", "run", "before"}
_MONEY_UNIT = re.compile(r"(千元|萬元|百萬元|千萬元|億元|十億元|兆元|元)")


@dataclass
class Fact:
    """One figure stated in a plan.

    Attributes:
        quantity: the figure, normalised (money in 元; see
            :class:`assistant.figures.quantities.Quantity`).
        display: the value as printed with its unit (``"350,000 千元"``,
            ``"12.00 億元"``, ``"6 萬元"``, ``"50%"``).
        unit: ``"千元"``, ``"億元"``, ``"%"``, a classifier (``"人次"``) or ``""``.
        years: the year it is stated for, or None.
        year_rule: how the year was found: ``"column"``/``"row"`` (cells),
            the :mod:`assistant.figures.sentences` rules, or the weak ``"sentence"`` /
            ``"heading"``; ``""`` for none.
        labels: group -> value (:mod:`assistant.figures.labels`).
        aggregate: a total (合計/小計/總計 row or column, 「合計 …」).
        local, near, far: context layers (module docstring).
        doc_id, chunk_id, page: where it is.
        table: the table title (``""`` for prose).
        row, column: the cell's row label and column header (``""`` for prose).
        text: the cell statement or the sentence.
        chunk_years: every year (Western) the chunk names.
        section_year: the one year (Western) the lead of the chunk's
            top-level section names (:func:`section_years`), or None.
        position: the chunk's position in its document.
        cell: ``(row, col)`` of a table cell or text cell, else None.
        clause: the figure's own words (its row label and column for a
            figure cell; the words right around it for a figure in text).
        source: ``"cell"`` (a table's figure cell), ``"text_cell"`` (a
            figure written in a table's text cell), ``"sentence"`` (prose)
            or ``"derived"`` (computed from other facts; see ``parts``).
        row_path, column_path: a cell's row labels and column header levels,
            outermost first.
        row_name: the labels of ``row_path`` that name a cell's row
            (:func:`assistant.figures.cells.row_name`: not the 計畫策略 /
            計畫性質 cells that describe it), outermost first.
        parts: for a derived fact, the keys (:attr:`key`) of the facts it is
            computed from.
    """

    quantity: Quantity
    display: str
    unit: str
    years: YearSpan | None
    year_rule: str
    labels: dict
    aggregate: bool
    local: str
    near: str
    far: str
    doc_id: str
    chunk_id: str
    page: int
    table: str = ""
    row: str = ""
    column: str = ""
    text: str = ""
    chunk_years: frozenset = frozenset()
    section_year: int | None = None
    position: int = 0
    cell: tuple[int, int] | None = None
    clause: str = ""
    source: str = "sentence"
    row_path: tuple[str, ...] = ()
    column_path: tuple[str, ...] = ()
    row_name: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    _terms: dict = field(default_factory=dict, repr=False)

    @property
    def key(self) -> str:
        """A fact's place: ``chunk_id:row:col`` for a cell, ``chunk_id@start``
        for a figure in text (start offset of the quantity in its sentence),
        ``derived:…`` for a derived fact."""
        if self.source == "derived":
            return "derived:" + "+".join(self.parts)
        if self.cell is not None and self.source == "cell":
            return f"{self.chunk_id}:{self.cell[0]}:{self.cell[1]}"
        return f"{self.chunk_id}@{self.cell or ''}{self.quantity.start}:{self.quantity.text}"

    @property
    def named_row(self) -> str:
        """A cell's row as people name it: the :attr:`row_name` labels, else
        :attr:`row` (``""`` for a sentence)."""
        return " ".join(self.row_name) or self.row

    @property
    def shown(self) -> str:
        """The statement as people read it: a figure cell's 「row｜column：value」
        with its row named by :attr:`row_name`; :attr:`text` otherwise."""
        if self.figure_cell and self.row_name:
            return statement(self.named_row, self.column, self.display)
        return self.text

    @property
    def figure_cell(self) -> bool:
        """True for a table's figure cell (its own words are its row label
        and column header), not a figure written in a text cell or derived."""
        return self.cell is not None and self.clause == f"{self.row} {self.column}"

    @property
    def derived(self) -> bool:
        """True for a fact computed from other facts."""
        return self.source == "derived"

    @property
    def strong_year(self) -> bool:
        """True when the year is the figure's own (not a sentence's or a
        heading's)."""
        return self.year_rule in _STRONG

    def terms(self, layer: str) -> frozenset[str]:
        """The matching terms of a context layer (``"local"``, ``"near"``,
        ``"far"``), cached."""
        if layer not in self._terms:  # "local", "near", "far" or "clause"
            self._terms[layer] = _terms_cached(getattr(self, layer))
        return self._terms[layer]


@lru_cache(maxsize=20000)
def _terms_cached(text: str) -> frozenset[str]:
    return frozenset(terms_of(text))


def clean_unit(unit: str) -> str:
    """A table unit without 新臺幣/單位 decoration: ``"新臺幣 億元"`` -> ``"億元"``."""
    u = re.sub(r"單位|[:：()（）\s]|新[臺台]幣", "", unit or "")
    return u


def _money_unit(unit: str) -> str | None:
    u = clean_unit(unit)
    return u if u in MONEY_UNITS else None


def _years_of(text: str) -> set[YearSpan]:
    """Year spans named in a header or label (``108 年度``, ``107``,
    ``(108年)``, ``108-109 年度``)."""
    spans = {YearSpan.of(q) for q in extract_quantities(text) if q.kind == "year"}
    for tok in re.split(r"[\s()（）]+", text):
        if tok and is_year_label(tok) and not re.search(r"年", tok):
            y = as_western(int(re.match(r"\d+", tok).group()))  # type: ignore[union-attr]
            spans.add(YearSpan(y, y))
    return spans


def chunk_years(chunk: Chunk) -> frozenset[int]:
    """Every year (Western) named in a chunk: year quantities and bare year
    numbers in table headers/rows (「110 398,500」)."""
    out: set[int] = set()
    for q in extract_quantities(chunk.text):
        if q.kind == "year":
            out.update(range(int(q.value), int(q.upper or q.value) + 1))
    for tok in re.findall(r"(?<![\d,.])(\d{2,4})(?![\d,.])", chunk.text):
        if is_year_label(tok):
            out.add(as_western(int(tok)))
    return frozenset(out)


# ----------------------------------------------------------------- headings
def heading_year_lines(chunk: Chunk) -> list[tuple[int, YearSpan]]:
    """``(offset, year)`` of the year heading lines of a chunk (module
    docstring)."""
    out = []
    pos = 0
    for line in chunk.text.split("\n"):
        s = line.strip()
        if len(s) > HEADING_CHARS and _LEAD_IN.search(s):
            # a long line leading in a list: its tail names what follows
            # (「…計畫名稱…-FIDP-20210306000000前期主要績效第三期 110 年推動成果如下:」,
            # a form's cells run together)
            s = s[-HEADING_CHARS:].lstrip("0123456789,.")
        if s and len(s) <= HEADING_CHARS and _HEADING_CUE.search(s):
            spans = {YearSpan.of(q) for q in extract_quantities(s) if q.kind == "year"}
            if len(spans) == 1:
                out.append((pos, spans.pop()))
        pos += len(line) + 1
    return out


def section_year(chunk: Chunk) -> YearSpan | None:
    """The year of the deepest section title naming exactly one year."""
    for title in reversed(chunk.section_path):
        spans = {YearSpan.of(q) for q in extract_quantities(title) if q.kind == "year"}
        if len(spans) == 1:
            return spans.pop()
        if spans:
            return None
    return None


def section_years(chunks: list[Chunk]) -> dict[str, int]:
    """chunk_id -> the year its top-level section is about, for the chunks
    of ONE document: the one year (Western) the section's first chunk (its
    lead) names, when it names exactly one -- 「肆、前期重要效益成果說明 本計畫
    前期 110 年之年度重要執行成果…如下」 dates the results listed pages
    later (「補助 36 家企業…」), whose own chunks name no year.  Chunks
    outside any section, or in a section whose lead names no year or
    several, are left out."""
    lead: dict[str, Chunk] = {}
    for c in chunks:
        if c.section_path and (c.section_path[0] not in lead or c.position < lead[c.section_path[0]].position):
            lead[c.section_path[0]] = c
    year = {top: next(iter(ys)) for top, c in lead.items() if len(ys := chunk_years(c)) == 1}
    return {c.chunk_id: year[c.section_path[0]] for c in chunks if c.section_path and c.section_path[0] in year}


class Carried(NamedTuple):
    """What earlier chunks of a document put in force at a chunk's start
    (:func:`carried_context`).

    Attributes:
        year: the last heading year (「112 年度經費需求表」), or None.
        parts: the last 分項 / 細部計畫 / 子項 labels (group -> value).
        unit: the money unit a table of the section declared (「單位：千元」),
            for its rows flattened into text, or None.
        columns: that table's leaf column headers when its header was
            flattened too (:func:`flattened_columns`), else ``()``.
    """

    year: YearSpan | None = None
    parts: dict = {}
    unit: str | None = None
    columns: tuple[str, ...] = ()


# A table row flattened into text: three or more bare numbers in a row
# (「40,200 8,642 1,600 29,958 0 0 0」).
_NUMBER_ROW = re.compile(r"(?<![\d.,])(?:\d[\d,]*(?:\.\d+)?(?![\d.,]|\s*[年月])(?:[ \t]+|(?![\d.,]))){3,}")


def carried_context(chunks: list[Chunk]) -> dict[str, Carried]:
    """chunk_id -> what is in force at the chunk's start (:class:`Carried`),
    for the chunks of ONE document in position order, while the top-level
    section stays the same:

    * the last year heading line and the last 分項/細部計畫/子項 label of
      earlier text chunks, at most :data:`HEADING_CARRY` chunks after the
      heading;
    * the money unit a table declared (「單位：千元」) -- a budget table the
      PDF reader flattened into text runs over pages of rows
      (「(一)半導體產業人才培育 40,200 8,642 1,600 29,958 0 0 0」), with
      pages of KPI text between them -- until another unit is declared;
      a chunk holding such a row (:data:`_NUMBER_ROW`) under it also gets
      the section's last heading year (「112 年度經費需求表」) however far
      back, the year of the table it belongs to."""
    out: dict[str, Carried] = {}
    year: YearSpan | None = None
    last_year: YearSpan | None = None
    parts: dict = {}
    unit: str | None = None
    columns: tuple[str, ...] = ()
    top: str | None = None
    age = 0
    for c in chunks:
        c_top = c.section_path[0] if c.section_path else ""
        if c_top != top:
            last_year, unit, columns = None, None, ()
        if c_top != top or age > HEADING_CARRY:
            year, parts = None, {}
        top = c_top
        text = c.chunk_type == "text"
        row = text and unit is not None and _NUMBER_ROW.search(c.text) is not None
        out[c.chunk_id] = Carried(year or (last_year if row else None), dict(parts), unit, columns)
        if not text:
            age += 1
            continue
        lines = heading_year_lines(c)
        found = [lb for lb in find_labels(c.text) if lb.group in (Group.PART, Group.SUBITEM)]
        if lines:
            year = last_year = lines[-1][1]
        if found:
            parts = {}
            for lb in found:
                parts[lb.group] = lb.value
        declared = declared_money_unit(c.text)
        if declared:
            unit, columns = declared, flattened_columns(c.text)
        age = 0 if (lines or found) else age + 1
    return out


# The column headers of the 經費需求表 (the budget form B005 of the GRB
# government research plan templates): per year, 小計 and 經常支出 /
# 資本支出 -- or, in the form's one-year detail, 經常支出 (人事費, 材料費,
# 其他費用) and 資本支出 (土地建築, 儀器設備, 其他費用) -- and the number that
# ends the header (the first row's).
_HEADER_TOKEN = re.compile(r"(?P<year>\d{2,3})年度(?:[(（]\d{1,2}月[)）])?"
                           r"|(?P<leaf>小計|合計|經常支出|資本支出|人事費|材料費|其他費用|土地建築|儀器設備)"
                           r"|(?P<number>\d)")
# Leaves under 經常支出 / 資本支出; 其他費用 after 土地建築 or 儀器設備 is capital's.
_COST_ITEMS = ("人事費", "材料費", "其他費用", "土地建築", "儀器設備")
_CAPITAL_ONLY = ("土地建築", "儀器設備")


def flattened_columns(text: str) -> tuple[str, ...]:
    """The leaf column headers of a budget table whose header the PDF reader
    flattened into text after its unit line, in order, or ``()`` when no
    經常支出 / 資本支出 header follows the unit line.

    * 「單位：千元 … 小 計 經 常 支 出 資 本 支 出 人 事 費 材 料 費 其 他 費 用
      土 地 建 築 儀 器 設 備 其 他 費 用」 → ``("小計", "經常支出 人事費",
      "經常支出 材料費", "經常支出 其他費用", "資本支出 土地建築",
      "資本支出 儀器設備", "資本支出 其他費用")``;
    * 「單位:千元 … 112 年度 113 年度 114 年度(8 月)小計經常支出資本支出
      小計經常支出資本支出小計經常支出資本支出」 → ``("112年度 小計",
      "112年度 經常支出", …, "114年度 資本支出")``: a header of several
      years whose leaves split evenly among them.

    Read up to the first number that is not a year (:data:`_HEADER_TOKEN`)."""
    s = re.sub(r"\s+", "", text)
    i = s.find("單位")
    if i < 0:
        return ()
    years: list[str] = []
    leaves: list[str] = []
    for m in _HEADER_TOKEN.finditer(s, i):
        if m.group("number"):
            if leaves:
                break
        elif m.group("year"):
            years.append(m.group("year"))
        else:
            leaves.append(m.group("leaf"))
    if not any(w in ("經常支出", "資本支出") for w in leaves):
        return ()
    if any(w in _COST_ITEMS for w in leaves):
        out: list[str] = []
        capital = False
        for w in leaves:
            capital = capital or w in _CAPITAL_ONLY
            if w in _COST_ITEMS:
                out.append(f"{'資本' if capital else '經常'}支出 {w}")
            elif w in ("小計", "合計"):
                out.append(w)
        return tuple(out)
    if len(years) > 1 and len(leaves) % len(years) == 0:
        k = len(leaves) // len(years)
        return tuple(f"{years[j // k]}年度 {w}" for j, w in enumerate(leaves))
    return tuple(leaves)


# A date alone in a table cell (「5月31日」 in a 作業時程 table): a figure,
# though shorter than the cells read as labels.
_DATE_CELL = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日")


# -------------------------------------------------------------------- cells
def _cell_quantity(value: str, unit: str, column: str, row_label: str) -> tuple[Quantity, str, str] | None:
    """The quantity of a figure cell, its display and unit."""
    v = value.strip()
    if v.endswith("%"):
        num = float(v[:-1].replace(",", "").strip())
        return Quantity(num, "percent", "%", text=v), v, "%"
    num = float(v.replace(",", ""))
    col_unit = declared_money_unit(column) or declared_money_unit(row_label)
    m = _money_unit(col_unit or unit or "")
    if m is None:
        mm = _MONEY_UNIT.search(column)
        m = mm.group(1) if mm and not unit else None
    if m:
        return Quantity(money_to_yuan(num, m), "money", m, text=v), f"{v} {m}", m
    u = clean_unit(unit)
    return Quantity(num, "number", u, text=v), (f"{v} {u}".strip()), u


def cell_facts(chunk: Chunk, far: str, years_in_chunk: frozenset) -> list[Fact]:
    """Facts of a table chunk: its figure cells and the figures written in its
    text cells (KPI wording, 「全程目標」 cells)."""
    out: list[Fact] = []
    cells = table_cells(chunk)
    by_row: dict[int, list[Cell]] = {}
    for c in cells:
        by_row.setdefault(c.row, []).append(c)
    unit = table_unit(chunk)
    rows = rows_of(chunk)
    n_header = header_row_count(chunk)
    data = rows[n_header:]
    sec_year = section_year(chunk)
    for r, rcells in by_row.items():
        if all(is_year_label(c.value) for c in rcells):
            continue  # a repeated header row (「推動重點 部會 107 108 …」)
        raw = data[r] if r < len(data) else []
        row_text = " ".join(x.strip() for x in raw if x.strip())
        for c in rcells:
            got = _cell_quantity(c.value, c.unit, c.column, c.row_label)
            if got is None:
                continue
            q, display, u = got
            spans = _years_of(c.column)
            rule = "column"
            if len(spans) != 1:
                spans, rule = _years_of(c.row_label), "row"
            years = next(iter(spans)) if len(spans) == 1 else None
            if years is None and not spans and sec_year is not None:
                # a table without year columns or rows under a section titled
                # with one year (「捌、106 年前瞻基礎建設計畫執行情形」)
                years, rule = sec_year, "heading"
            labels: dict = {}
            for lb in find_labels(c.row_label, header=True) + find_labels(c.column, header=True):
                labels[lb.group] = lb.value
            if years is not None and labels.get(Group.PERIOD) == TOTAL:
                labels.pop(Group.PERIOD)
            agg = is_total_text(c.row_label) or is_total_text(c.column)
            out.append(Fact(q, display, u, years, rule if years else "", labels, agg,
                            local=f"{c.row_label} {c.column}", near=f"{chunk.table_title} {row_text}", far=far,
                            doc_id=chunk.doc_id, chunk_id=chunk.chunk_id, page=chunk.page, table=chunk.table_title,
                            row=c.row_label, column=c.column,
                            text=c.fact_statement(display),
                            chunk_years=years_in_chunk, position=chunk.position, cell=(r, c.col),
                            clause=f"{c.row_label} {c.column}", source="cell", row_path=c.row_path,
                            column_path=c.column_path, row_name=row_name(c)))
    # text cells with figures
    cols = column_headers(rows[:n_header])
    for r, raw in enumerate(data):
        labels_left = []
        for j, cell in enumerate(raw):
            t = cell.strip()
            if not t:
                continue
            if (len(t) < 6 and not _DATE_CELL.fullmatch(t)) or not re.search(r"\d", t) or _is_figure_cell(t):
                if t and not _is_figure_cell(t):
                    labels_left.append(t)
                continue
            column = cols[j] if j < len(cols) else ""
            row_label = " ".join(labels_left[:2])
            col_years = _years_of(column)
            base_labels: dict = {}
            for lb in find_labels(row_label, header=True) + find_labels(column, header=True):
                if lb.group is not Group.PERIOD or not col_years:
                    base_labels[lb.group] = lb.value
            for f in figures_in(t, label_amount_unit=_money_unit(unit or "")):
                out.append(_sentence_fact(f, chunk, far, years_in_chunk, base_labels,
                                          col_year=next(iter(col_years)) if len(col_years) == 1 else None,
                                          extra_local=f"{row_label} {column}", table=chunk.table_title,
                                          row=row_label, column=column, near_prefix=row_label, cell=(r, j),
                                          source="text_cell"))
            if re.sub(r"[\d\s月日~～,.\-至]", "", t):  # a date alone labels no cell after it
                labels_left.append(t[:30])
    return out


def _is_figure_cell(t: str) -> bool:
    return is_figure(t)


# ---------------------------------------------------------------- sentences
# Qualifiers shown before / after a prose figure's value (「約 360 億元」,
# 「40 家以上」).
_PREFIX_QUALIFIERS = ("約", "近", "逾", "超過", "至少", "不少於", "不超過", "最多", "最高")
_SUFFIX_QUALIFIERS = ("以上", "以下")


def _display(q: Quantity) -> tuple[str, str]:
    """The display string and unit of a prose figure, with its qualifier."""
    text, unit = _plain_display(q)
    if q.qualifier in _PREFIX_QUALIFIERS and not text.startswith(q.qualifier):
        text = f"{q.qualifier} {text}"
    elif q.qualifier in _SUFFIX_QUALIFIERS and not text.endswith(q.qualifier):
        text = f"{text}{q.qualifier}"  # (a figure shown as printed, 「6 萬以上」, has it already)
    return text, unit


def _plain_display(q: Quantity) -> tuple[str, str]:
    if q.kind == "money":
        return format_money(q.value, q.unit if q.unit in MONEY_UNITS else "元"), q.unit
    if q.kind == "percent":
        return f"{q.value:g}%", "%"
    if q.kind == "count":
        return f"{q.value:,g} {q.classifier}", q.classifier or ""
    if q.kind == "number" and q.unit == RANK_UNIT:
        return f"第 {q.value:g} 名", RANK_UNIT
    if q.kind == "number" and q.unit in SPAN_UNITS:
        # an age or a duration as a number and its unit (「六個月」 -> 6 個月)
        span = f"{q.value:g}" if q.upper is None else f"{q.value:g}~{q.upper:g}"
        return f"{span} {'年' if q.unit == YEARS_UNIT else q.unit}", q.unit
    return q.text.strip(), q.unit


def _weak_year(f: Figure, col_year: YearSpan | None, heading: YearSpan | None) -> tuple[YearSpan | None, str]:
    """The year of a figure with none of its own, and its rule: its table
    column's, its sentence's only year, or its heading's (module docstring);
    ``(None, "")`` when none applies."""
    if col_year is not None:
        return col_year, "column"
    if f.labels.get(Group.PERIOD) != TOTAL:
        # (a whole-period figure is not the year's: 「全程將產出 10 個模型，114 年產出 3 個」)
        loose = _PAREN_YEAR.sub(" ", f.sentence)
        spans = {YearSpan.of(q) for q in extract_quantities(loose) if q.kind == "year"}
        if len(spans) == 1:
            return spans.pop(), "sentence"
    if heading is not None:
        return heading, "heading"
    return None, ""


def _sentence_fact(f: Figure, chunk: Chunk, far: str, years_in_chunk: frozenset, base_labels: dict, *,
                   col_year: YearSpan | None = None, heading: YearSpan | None = None, extra_local: str = "",
                   table: str = "", row: str = "", column: str = "", near_prefix: str = "",
                   cell: tuple[int, int] | None = None, source: str = "sentence") -> Fact:
    years, rule = f.years, f.year_rule
    if years is None and f.quantity.kind != "date":  # a date holds its own year
        years, rule = _weak_year(f, col_year, heading)
    labels = dict(base_labels)
    labels.update(f.labels)
    if years is not None and labels.get(Group.PERIOD) == TOTAL and rule in _STRONG:
        labels.pop(Group.PERIOD)
    q = f.quantity
    display, unit = _display(q)
    s = f.sentence
    i = s.find(q.text)
    near = s if len(s) <= 240 else s[max(0, i - 120):i + 120]
    return Fact(q, display, unit, years, rule if years else "", labels, f.aggregate,
                local=f"{extra_local} {f.before} {f.after}", near=f"{near_prefix} {near}", far=far,
                doc_id=chunk.doc_id, chunk_id=chunk.chunk_id, page=chunk.page, table=table, row=row,
                column=column, text=s.strip(), chunk_years=years_in_chunk, position=chunk.position, cell=cell,
                clause=f"{f.before} {f.after}", source=source)


def _bare_to_money(figs: list[Figure], unit: str, *, rows_only: bool = False) -> list[Figure]:
    """Bare numbers of sentences holding two or more of them -> money
    (``rows_only``: only those of sentences holding a flattened table row,
    :data:`_NUMBER_ROW`)."""
    per_sentence: dict[str, int] = {}
    for f in figs:
        if f.quantity.kind == "number" and f.quantity.unit == "" \
                and (not rows_only or _NUMBER_ROW.search(f.sentence)):
            per_sentence[f.sentence] = per_sentence.get(f.sentence, 0) + 1
    out = []
    for f in figs:
        q = f.quantity
        if q.kind == "number" and q.unit == "" and q.upper is None and per_sentence.get(f.sentence, 0) >= 2:
            nq = Quantity(money_to_yuan(q.value, unit), "money", unit, None, q.qualifier,
                          money_to_yuan(q.upper, unit) if q.upper is not None else None, q.start, q.end, q.text)
            f = Figure(nq, f.years, f.year_rule, f.labels, f.before, f.after, f.sentence, f.aggregate)
        out.append(f)
    return out


def text_facts(chunk: Chunk, far: str, years_in_chunk: frozenset, carried: YearSpan | None,
               carried_parts: dict | None = None, carried_unit: str | None = None,
               carried_columns: tuple[str, ...] = ()) -> list[Fact]:
    """Facts of a text chunk: its figures with years, labels and context
    (``carried_*``: :class:`Carried`)."""
    text = chunk.text
    columns = _row_columns(text, flattened_columns(text) or carried_columns)
    figs = figures_in(text)
    unit = declared_money_unit(text)
    if unit:
        figs = _bare_to_money(figs, unit)
    elif carried_unit:
        figs = _bare_to_money(figs, carried_unit, rows_only=True)
    headings = heading_year_lines(chunk)
    sec_year = section_year(chunk)
    base: dict = dict(carried_parts or {})
    for title in chunk.section_path:
        for lb in find_labels(title):
            if lb.group in (Group.PART, Group.SUBITEM):
                base[lb.group] = lb.value
    # a component named earlier in the chunk (「(二)細部計畫二…；其他費用 115,960 千元」)
    parts = [lb for lb in find_labels(text) if lb.group in (Group.PART, Group.SUBITEM)]
    out = []
    for f in figs:
        head = next((y for off, y in reversed(headings) if off <= f.start), None) or sec_year or carried
        labels = dict(base)
        for lb in parts:
            if lb.end <= f.start:
                labels[lb.group] = lb.value
        label = _row_label_line(text, f) if f.quantity.kind == "money" else ""
        column = columns.get(f.start, "") if f.quantity.kind == "money" else ""
        col_year = None
        if column:
            labels, col_year = _flattened_cell(text, f, column, labels, head)
        out.append(_sentence_fact(f, chunk, far, years_in_chunk, labels, heading=head, extra_local=f"{label} {column}",
                                  near_prefix=label, column=column, col_year=col_year))
    return out


def _flattened_cell(text: str, f: Figure, column: str, labels: dict,
                    heading: YearSpan | None) -> tuple[dict, YearSpan | None]:
    """``(labels, year)`` of a figure in a flattened table row under
    ``column`` (:func:`_row_columns`): the components named before the row
    (carried from other chunks, or in the text above the table) are not its,
    only those on its own line; its column gives its cost class; its year is
    its column's, else its table heading's (not that of text run into its
    line: 「…3,016 0 0 0 113 年度經費需求表」)."""
    line = text[text.rfind("\n", 0, f.start) + 1:f.start]
    out = {g: v for g, v in labels.items() if g not in COMPONENT_GROUPS}
    out.update((lb.group, lb.value) for lb in find_labels(line) if lb.group in COMPONENT_GROUPS)
    out.update((lb.group, lb.value) for lb in find_labels(column) if lb.group in (Group.DOOR, Group.COST))
    years = _years_of(column)
    return out, next(iter(years)) if len(years) == 1 else heading


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _row_columns(text: str, columns: tuple[str, ...]) -> dict[int, str]:
    """Offset in ``text`` -> column header, for the numbers of each
    flattened row (:data:`_NUMBER_ROW`) holding exactly one number per
    column of ``columns`` (:func:`flattened_columns`)."""
    out: dict[int, str] = {}
    if not columns:
        return out
    for row in _NUMBER_ROW.finditer(text):
        numbers = list(_NUMBER.finditer(row.group()))
        if len(numbers) == len(columns):
            out.update((row.start() + m.start(), col) for m, col in zip(numbers, columns))
    return out


# The longest line read as a flattened row's label (「(二)打造「南部園區數位
# 轉型人才培育基地」」 is 22 characters).
_ROW_LABEL_MAX = 40
# An item marker that opens a row label: 「(一)」「（二）」「一、」.
_ITEM_MARK = re.compile(r"[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、")


def _row_label_line(text: str, f: Figure) -> str:
    """The part of a flattened table row's label printed on the line above
    its numbers (「(二)打造「南部園區數位轉型人才培育基地」\n12,110 3,764 0
    …」, 「(一)中小企業\n二代接班人數位成長50,240 …」): the previous line,
    when the figure is in a row (:data:`_NUMBER_ROW`) whose own line does not
    begin with an item marker (:data:`_ITEM_MARK`), and that line is short
    and holds no digit; else ``""``."""
    start = text.rfind("\n", 0, f.start) + 1
    end = text.find("\n", f.start)
    line = text[start:end if end >= 0 else len(text)]
    row = _NUMBER_ROW.search(line)
    if start == 0 or row is None or not row.start() <= f.start - start < row.end() \
            or _ITEM_MARK.match(line[:row.start()].strip()):
        return ""
    prev = text[text.rfind("\n", 0, start - 1) + 1:start - 1].strip()
    return prev if prev and len(prev) <= _ROW_LABEL_MAX and not re.search(r"\d", prev) else ""


def chunk_facts(chunk: Chunk, carried: YearSpan | None = None, carried_parts: dict | None = None,
                carried_unit: str | None = None, carried_columns: tuple[str, ...] = ()) -> list[Fact]:
    """Every fact of one chunk.

    Args:
        chunk: a text or table chunk.
        carried: the heading year carried from earlier chunks of its document
            (:func:`carried_context`), or None.
        carried_parts: the component labels carried the same way.
        carried_unit, carried_columns: the money unit and leaf columns of a
            flattened table going on in the chunk (:class:`Carried`).
    """
    far = " ".join([*chunk.section_path, chunk.table_title, chunk.text])
    years = chunk_years(chunk)
    if chunk.chunk_type == "table":
        return cell_facts(chunk, far, years)
    return text_facts(chunk, far, years, carried, carried_parts, carried_unit, carried_columns)


def extract_document(chunks: list[Chunk], plan_title: str = "") -> list[Fact]:
    """Every fact of ONE document's chunks, in position order (the heading
    years and component labels carried from chunk to chunk, see
    :func:`carried_context`; each its section's year, see
    :func:`section_years`; components named by name only labelled, see
    :func:`label_components_by_name`).

    Args:
        chunks: the chunks of one document, any order.
        plan_title: the plan's title (a row named only by it is the plan's
            own, also when a component bears the same name).
    """
    ordered = sorted(chunks, key=lambda c: c.position)
    carried = carried_context(ordered)
    lead_year = section_years(ordered)
    out: list[Fact] = []
    for c in ordered:
        year, parts, unit, columns = carried.get(c.chunk_id, Carried())
        for f in chunk_facts(c, year, parts, unit, columns):
            f.section_year = lead_year.get(c.chunk_id)
            out.append(f)
    return label_components_by_name(out, component_names(out, ordered), plan_title)


# 「分項一:重點產業高階人才培訓與就業計畫」: a component label and its name.
_NAMED_PART = re.compile(r"^\s*(?:分項|細部計畫|子計畫|子項)[^:：、]{0,6}[:：、]\s*(?P<name>\S.{3,})$")
# The longest text line read as a component's heading (「分項三、開發 AI 技術及
# 驗證」 is 16 characters): a longer line is a sentence that begins with one.
_NAMED_LINE_MAX = 40
# The amount a budget table prints after a component's name, 「(6.240)」.
_NAME_AMOUNT = re.compile(r"[(（][\d.,]+[)）]$")
# 「計畫名稱-分項計畫名稱」: the row label of the 經費分攤表(B008) form.
_NAME_SEPARATOR = re.compile(r"\s*[-－—–]\s*")


def component_names(facts: list[Fact], chunks: list[Chunk] = ()) -> dict[str, dict]:
    """The names ONE document gives its components: ``{name with no spaces
    (:func:`~assistant.language.squash`): {Group: value}}``, learnt where the
    document numbers a component -- a row label, or a line of its own in the
    text (``chunks``), reading 「分項三:開發 AI 技術及驗證」 or 「分項三、開發 AI
    技術及驗證」 (:data:`_NAMED_PART`; the first naming of a name wins)."""
    names: dict[str, dict] = {}

    def learn(label: str) -> None:
        m = _NAMED_PART.match(label)
        found = [lb for lb in find_labels(label, header=True) if lb.group in COMPONENT_GROUPS]
        if m and found:
            name = _NAME_AMOUNT.sub("", squash(m.group("name")))
            names.setdefault(name, {lb.group: lb.value for lb in found})

    for f in facts:
        for label in f.row_path:
            learn(label)
    for c in chunks:
        for line in c.text.splitlines():
            if "\t" not in line and len(line.strip()) <= _NAMED_LINE_MAX:
                learn(line)
    return names


def label_components_by_name(facts: list[Fact], names: dict[str, dict], plan_title: str = "") -> list[Fact]:
    """Give a component's label to table cells that name the component by
    its name only, for the facts of ONE document (returned, labels updated
    in place); ``names``: :func:`component_names`.

    A cell's row names the component when a label of its row path is,
    spaces aside, its name, or ends with it after a dash:

    - 表 6 of the MODA plan has the row 「開發 AI 技術及驗證」 (its 分項三)
      with no number;
    - the 經費分攤表(B008) of a 政府科技發展計畫 labels its rows 「計畫名稱-分項
      計畫名稱」 (「重點產業高階人才培訓與就業計畫-AI智慧應用暨新世代人才培育推動」),
      where the budget tables say 「分項二:AI 智慧應用暨新世代人才培育推動」.

    This is what makes the label matter: a claim about the whole plan must
    not be checked against a component's figure.  A component's own name
    may be the plan's title (``plan_title``; 分項一 of 重點產業高階人才培訓與
    就業計畫): a row named by that alone (the plan in a table of plans, 「科技部
    … 重點產業高階人才培訓與就業計畫 執行數 9,699」) stays the plan's; only the
    「計畫名稱-分項計畫名稱」 form names that component.
    """
    if not names:
        return facts
    title = squash(plan_title)
    for f in facts:
        if f.cell is None or any(g in f.labels for g in COMPONENT_GROUPS):
            continue
        for label in f.row_path:
            pieces = _NAME_SEPARATOR.split(label.strip())
            whole = squash(label)
            named = (names.get(whole) if whole != title else None) \
                or (names.get(squash(pieces[-1])) if len(pieces) > 1 else None)
            if named:
                f.labels.update(named)
                break
    return facts


class FactBase:
    """The facts of an index, grouped by chunk and document.

    Built from the fact store (:meth:`assistant.figures.store.FactStore.fact_base`).

    Args:
        facts: the facts, any order (each document's in position order
            keeps :meth:`doc_facts` in reading order).
    """

    def __init__(self, facts: list[Fact]):
        self._by_chunk: dict[str, list[Fact]] = {}
        self._by_doc: dict[str, list[Fact]] = {}
        self._by_year: dict[tuple[str, YearSpan | None], list[Fact]] = {}
        self._add(facts)

    def _add(self, facts: list[Fact]) -> None:
        for f in facts:
            self._by_chunk.setdefault(f.chunk_id, []).append(f)
            self._by_doc.setdefault(f.doc_id, []).append(f)
        self._by_year.clear()

    def doc_ids(self) -> list[str]:
        """The documents that have facts, sorted."""
        return sorted(self._by_doc)

    def facts(self, chunk: Chunk | str) -> list[Fact]:
        """The facts of a chunk (a :class:`Chunk` or its id)."""
        return self._by_chunk.get(chunk if isinstance(chunk, str) else chunk.chunk_id, [])

    def doc_facts(self, doc_id: str) -> list[Fact]:
        """Every fact of a document, in reading order."""
        return self._by_doc.get(doc_id, [])

    def plan_periods(self, doc_id: str) -> frozenset[YearSpan]:
        """The periods a document states for its plan (全程期間, 執行期間 …;
        :class:`~assistant.figures.docfacts.DocSlot` PERIOD): none here, the
        fact store's base reads them (:class:`~assistant.figures.store.StoredFactBase`)."""
        return frozenset()

    def component_names(self, doc_id: str) -> dict[str, dict]:
        """The names a document gives its components (:func:`component_names`):
        none here, the fact store's base reads them
        (:class:`~assistant.figures.store.StoredFactBase`)."""
        return {}

    def year_facts(self, doc_id: str, years: YearSpan | None) -> list[Fact]:
        """A document's facts stated for ``years`` (None: those without a
        year), in reading order; built once per document and year."""
        key = (doc_id, years)
        got = self._by_year.get(key)
        if got is None:
            got = self._by_year[key] = [f for f in self.doc_facts(doc_id) if f.years == years]
        return got


__all__ = ["Carried", "Fact", "FactBase", "extract_document", "carried_context", "component_names", "label_components_by_name", "cell_facts", "chunk_facts", "chunk_years", "section_years",
           "clean_unit", "heading_year_lines", "section_year", "text_facts"]
