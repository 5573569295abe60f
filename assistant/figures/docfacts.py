"""Document-level facts of a plan: its title, agency, period, cover date,
review number and total budget, each with the verbatim span it was read
from (doc_id, page, chunk_id, text), so that an answer quoting ``text`` and
citing ``chunk_id`` passes the citation checker (:mod:`assistant.citations`).

Read at ingest from the document's chunks (:func:`read_document_facts`,
called by :meth:`assistant.figures.store.FactStore.replace_document`) and
stored in the fact store's ``document_facts`` table.

Example:
    >>> facts = FactStore.of_index(".planqa").document_facts("most-2018-phd-talent-training")  # doctest: +SKIP
    >>> [(f.slot.value, f.value, f.page, f.source.value) for f in facts][:2]                     # doctest: +SKIP
    [('title', '重點產業高階人才培訓與就業計畫', 1, 'cover'), ('agency', '科技部', 1, 'cover')]
    >>> first_fact(facts, DocSlot.PERIOD).year_from                                               # doctest: +SKIP
    2017

Where each source reads (field readers: :mod:`assistant.figures.docfields`):

* ``cover`` -- the text before the table of contents: the document's first
  lines on pages 1–2 up to a line holding 目錄/目次 (the part before it is
  kept: the cleaner may join the last cover line to it), a heading, a
  table-of-contents entry, a sentence (。;) or a chunk under a heading.
  On each line, in turn: an approval statement (``行政院 107 年 6 月 29
  日院臺科會字第 1070172174 號函核定`` -> REVIEW_NUMBER 核定文號, AGENCY
  核定機關), labelled fields with or without a colon (``審議編號:108-…``,
  ``計畫全程:106 年 9 月至 …``), a bare period (``(2018-2021 年)``), edition marks (``(核定本)``) skipped,
  dates with a month (the last one is the COVER_DATE), organ names standing
  alone (AGENCY: ``科技部``), and the title: a quoted line (「…」), else the
  labelled 計畫名稱, else the first remaining piece that ends with its plan
  word (``臺灣 AI 行動計畫``).  The cover has no font sizes (chunks are
  text), so "the largest line" is read as "the first title-like line".
* ``table`` -- the 基本資料表: any table row ``label<TAB>value`` whose
  label cell is a field label (``計畫名稱``, ``主管機關``, ``執行期間``,
  ``全程經費(千元)`` …, alternating label/value cells), and in chunks whose
  section or table title names 基本資料, labelled fields in prose (a table
  printed without tabs) and the 資源投入 table's 合計 in the ``經費(千元)``
  column; plus a budget table's grand total from the extracted facts: a
  money cell (no 分項/子項, cost category, 經常/資本 or 既有/新增, no
  per-year period, no bound but 約) for the whole period whose row *and*
  column name a total (合計, 總計, 總額, 總經費 …; 小計 is a subtotal), the
  largest such.
* ``text`` -- running text, used for a slot only when the cover and tables
  gave nothing, and then only its first finding: a labelled statement with a
  colon (``計畫名稱:…``), a sentence of the plan's own period (``本計畫期程自
  114 年至 117 年``), an organ followed by 主辦/主管/負責 (``經濟部工業局主辦``),
  a sentence stating the whole budget (``本計畫全程所需經費總計新台幣 36.765
  億元``: a money fact whose clause names 全程經費/總經費/經費總計 …).
* ``manifest`` -- the document record's ``title``, ``agency`` and
  ``period`` (a PDF's /Title, /Author, /Subject; for the shipped corpus
  these are ``corpus/manifest.json``'s values, written into the PDFs by
  ``corpus/build_pdfs.py``): only for a slot nothing above gave.  These have
  no page, no chunk_id, and ``text`` is the value.

Per slot the facts are ordered cover, table, text, manifest; within a
source by the label's rank (agency roles 主管 > 主辦 > 申請 > 執行) and
reading order; a label is read once per source (its first occurrence) and a
value repeated under the same label (or, for title, review number and total
budget, under any label) is kept once.  One cover title and one cover date.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ingest.models import Chunk
from ingest.structure import heading_level, is_toc_line

from ..enums import ValueEnum
from .docfields import (
    APPROVAL,
    DATE,
    LABELS,
    DocSlot,
    agency_prefix,
    iso_date,
    label_of_cell,
    money_note,
    organ_names,
    quoted,
    read_period,
    review_number,
    scan_labels,
    title_value,
)
from .extract import Fact
from .labels import ANNUAL, MONTHLY, TOTAL, Group
from .quantities import Quantity, extract_quantities, money_unit_factor
from .units import to_decimal, to_yuan_decimal


class DocSource(ValueEnum):
    """Where a document fact was read (see the module docstring)."""

    COVER = "cover"
    TABLE = "table"
    TEXT = "text"
    MANIFEST = "manifest"


@dataclass(frozen=True)
class DocumentFact:
    """One document-level fact of a plan.

    Attributes:
        doc_id: the document.
        slot: which fact (:class:`DocSlot`).
        value: the value as printed (``重點產業高階人才培訓與就業計畫``,
            ``科技部``, ``106 年 9 月至 109 年 12 月``, ``107 年 8 月``,
            ``108-1901-06-20-01``, ``1,880,000 千元`` -- a bare figure gets
            the unit its table declares).
        text: the verbatim span of the chunk text it was read from
            (``計畫全程:106 年 9 月至 109 年 12 月``; ``合計<TAB>1,880,000``);
            for ``manifest`` facts the value.
        page: the chunk's first page (``None`` for ``manifest``).
        chunk_id: the chunk (``""`` for ``manifest``).
        source: :class:`DocSource`.
        label: the label it was read under (``主管機關``, ``執行期間``,
            ``核定文號`` …); ``""`` for an unlabelled cover line.
        date_from, date_to: PERIOD: its ends; COVER_DATE: the date (both
            equal); ISO ``YYYY[-MM[-DD]]``, Western calendar.
        amount: TOTAL_BUDGET: the value in 元 (exact ``Decimal``).
        unit: TOTAL_BUDGET: the money unit it is printed in (千元, 億元 …).
    """

    doc_id: str
    slot: DocSlot
    value: str
    text: str
    page: int | None
    chunk_id: str
    source: DocSource
    label: str = ""
    date_from: str | None = None
    date_to: str | None = None
    amount: Decimal | None = None
    unit: str = ""

    @property
    def year_from(self) -> int | None:
        """The Western year of ``date_from`` (PERIOD start, COVER_DATE year)."""
        return int(self.date_from[:4]) if self.date_from else None

    @property
    def year_to(self) -> int | None:
        """The Western year of ``date_to`` (PERIOD end, COVER_DATE year)."""
        return int(self.date_to[:4]) if self.date_to else None


def first_fact(facts: Iterable[DocumentFact], slot: DocSlot) -> DocumentFact | None:
    """The best fact of ``slot`` in an ordered list (``FactStore.document_facts``)."""
    return next((f for f in facts if f.slot is slot), None)


def plan_periods(facts: Iterable[DocumentFact], doc_id: str) -> frozenset[tuple[int, int]]:
    """Every period a plan states for itself (its PERIOD facts: 全程期間
    110-114 and 執行期間 112-113 both), as Western ``(first year, last year)``."""
    return frozenset((f.year_from, f.year_to) for f in facts
                     if f.doc_id == doc_id and f.slot is DocSlot.PERIOD and f.year_from and f.year_to)


def plan_period(facts: Iterable[DocumentFact], doc_id: str) -> tuple[int, int] | None:
    """A plan's own period as Western ``(first year, last year)``: the widest
    of its :func:`plan_periods` (全程期間 110-114 over 執行期間 112-113: the
    plan's total budget is the 全程's); ``None`` when it states none."""
    spans = plan_periods(facts, doc_id)
    return (min(a for a, _ in spans), max(b for _, b in spans)) if spans else None


# -- rule vocabularies (module docstring) --------------------------------------
_BASIC = re.compile(r"基本資料")
_TOC_TITLE = re.compile(r"(?:目\s*錄|目\s*次|Contents)\s*$", re.IGNORECASE)
_SENTENCE = re.compile(r"[。;]")
_EDITION = re.compile(r"\((?:核定本|修正本|修正版|核定版|草案|定稿本|送審版|初稿)\)")
_COVER_PAGES = 2
_ORGAN_EDGE_BEFORE = " )」-"
_ORGAN_EDGE_AFTER = " (「"
_RESOURCE_HEAD = re.compile(r"經費\s*\(\s*(?:新[臺台]幣)?\s*(千萬元|百萬元|千元|萬元|億元|元)\s*\)")
_RESOURCE_PROSE = re.compile(r"經費\s*\(\s*(?:新[臺台]幣)?\s*(千萬元|百萬元|千元|萬元|億元|元)\s*\)"
                             r"(?:(?!經費\s*\().)*?(合計|總計)\s*:?\s*(\d[\d,]*(?:\.\d+)?)")
_GRAND_TOTAL_WORDS = re.compile(r"合計|總計|總額|總經費|總預算|全程經費|全程所需經費")
_BUDGET_TOTAL_CLAUSE = re.compile(r"全程經費|全程所需經費|總經費|經費總計|經費總額|經費合計|總預算")
_PERIOD_CUE = re.compile(r"(?:本|此)(?:計畫|方案|案)[^。;,，]{0,6}?(?:期程|全程|執行期間|實施期間|計畫期間|為期)")
_AGENCY_VERB = re.compile(r"\s*(主辦|主管|督導|負責)(?!機關|單位)")
_KEPT_APPROX = (None, "約")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
# Slots whose value, once found, is not repeated under another label.
_ONE_VALUE = (DocSlot.TITLE, DocSlot.REVIEW_NUMBER, DocSlot.TOTAL_BUDGET, DocSlot.COVER_DATE)


@dataclass(frozen=True)
class _Candidate:
    fact: DocumentFact
    rank: int          # rule rank within its source (0 first)
    position: int      # chunk position
    offset: int        # offset of the span in the chunk text


def _lines(chunk: Chunk) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", chunk.text)]


def _fact(chunk: Chunk, slot: DocSlot, value: str, start: int, end: int, source: DocSource, rank: int,
          label: str = "", **norm) -> _Candidate:
    """A candidate read from ``chunk.text[start:end]``."""
    text = chunk.text[start:end].strip()
    return _Candidate(DocumentFact(chunk.doc_id, slot, value, text, chunk.page, chunk.chunk_id, source, label, **norm),
                      rank, chunk.position, start)


def _amount(q: Quantity) -> Decimal:
    """A money quantity's value in 元, exact from its printed digits."""
    m = _NUMBER.search(q.text)
    return to_yuan_decimal(m.group(), q.unit) if m else to_decimal(q.value)


def _money_value(q: Quantity) -> str:
    """A money figure as printed, with its unit when the print has none."""
    return q.text.strip() if q.unit in q.text else f"{q.text.strip()} {q.unit}"


def _table_unit(chunk: Chunk) -> str | None:
    try:
        return money_unit_factor(chunk.table_unit)[0] if chunk.table_unit else None
    except ValueError:
        return None


def _parse(slot: DocSlot, value: str, *, unit: str | None, whole_cell: bool) -> tuple[str, int, dict] | None:
    """The value of ``slot`` in the raw text after a label: (value, its end
    within ``value``, normalised fields), or ``None``.

    Args:
        slot: the label's slot.
        value: the raw text after the label (or a table's value cell).
        unit: the money unit bare figures are in (a label note 「(千元)」,
            the table's unit), for TOTAL_BUDGET.
        whole_cell: ``value`` is a table cell (an agency list of any names).
    """
    lead = len(value) - len(value.lstrip())
    if slot is DocSlot.TITLE:
        got = title_value(value, labelled=True)
    elif slot is DocSlot.AGENCY:
        got = agency_prefix(value, whole_cell=whole_cell)
    elif slot is DocSlot.REVIEW_NUMBER:
        got = review_number(value)
    elif slot is DocSlot.PERIOD:
        p = read_period(value)
        if p is None:
            return None
        return p.text, lead + len(p.text), {"date_from": p.start, "date_to": p.end}
    elif slot is DocSlot.TOTAL_BUDGET:
        qs = extract_quantities(value[:60], default_money_unit=unit)
        q = qs[0] if qs else None
        if q is None or q.kind != "money" or q.start > lead + 1 or q.qualifier not in _KEPT_APPROX:
            return None
        return _money_value(q), q.end, {"amount": _amount(q), "unit": q.unit}
    else:
        return None
    if got is None:
        return None
    end = value.find(got) + len(got)
    if end < len(value) and value[end] in "」』”":
        end += 1
    return got, end, {}


def _labelled(chunk: Chunk, base: int, text: str, source: DocSource, *, colon: bool,
              rank_shift: int = 0) -> tuple[list[_Candidate], list[tuple[int, int]]]:
    """Labelled fields in ``text`` (at ``base`` in the chunk text): the
    candidates and the spans they used (relative to ``text``)."""
    out, used = [], []
    for m in scan_labels(text, colon=colon):
        got = _parse(m.rule.slot, m.value, unit=money_note(m.note), whole_cell=False)
        if got is None:
            continue
        value, end, norm = got
        out.append(_fact(chunk, m.rule.slot, value, base + m.start, base + m.value_start + end, source,
                         m.rule.rank + rank_shift, m.label, **norm))
        used.append((m.start, m.value_start + end))
    return out, used


# -- cover -------------------------------------------------------------------------
def cover_lines(chunks: list[Chunk]) -> list[tuple[Chunk, int, str]]:
    """The cover's lines: ``(chunk, offset in chunk.text, line)`` in
    reading order (module docstring: where the cover ends)."""
    out = []
    for c in chunks:
        lines = _lines(c)
        if c.page > _COVER_PAGES or (c.section_path and not (lines and _TOC_TITLE.search(lines[0][1]))):
            break
        for off, line in lines:
            toc = _TOC_TITLE.search(line)
            if toc:
                if line[:toc.start()].strip():
                    out.append((c, off, line[:toc.start()]))
                return out
            if heading_level(line) is not None or is_toc_line(line) or _SENTENCE.search(line):
                return out
            out.append((c, off, line))
    return out


def _free(line: str, used: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """The pieces of ``line`` outside the ``used`` spans."""
    out, at = [], 0
    for s, e in sorted(used):
        if s > at:
            out.append((at, line[at:s]))
        at = max(at, e)
    if at < len(line):
        out.append((at, line[at:]))
    return out


def _cover(chunks: list[Chunk]) -> list[_Candidate]:
    """The cover's facts (module docstring, ``cover``)."""
    out: list[_Candidate] = []
    dates: list[_Candidate] = []
    titles: list[_Candidate] = []
    for c, off, line in cover_lines(chunks):
        used: list[tuple[int, int]] = []
        for m in APPROVAL.finditer(line):
            used.append(m.span())
            no = " ".join(m.group("no").split())
            out.append(_fact(c, DocSlot.REVIEW_NUMBER, no, off + m.start(), off + m.end(), DocSource.COVER, 0, "核定文號"))
            if m.group("org"):
                out.append(_fact(c, DocSlot.AGENCY, m.group("org"), off + m.start(), off + m.end(), DocSource.COVER,
                                 5, "核定機關"))
        found, spans = _labelled(c, off, line, DocSource.COVER, colon=False, rank_shift=1)
        for f, span in zip(found, spans):
            if not any(a < span[1] and span[0] < b for a, b in used):
                used.append(span)
                (titles if f.fact.slot is DocSlot.TITLE else out).append(f)
        for at, piece in _free(line, used):
            p = read_period(piece, anywhere=True)
            if p is not None:
                s = at + piece.index(p.text)
                used.append((s, s + len(p.text)))
                out.append(_fact(c, DocSlot.PERIOD, p.text, off + s, off + s + len(p.text), DocSource.COVER, 0,
                                 date_from=p.start, date_to=p.end))
        used += [(m.start(), m.end()) for m in _EDITION.finditer(line)]
        for at, piece in _free(line, used):
            for m in DATE.finditer(piece):
                day = iso_date(*m.groups())
                if day:
                    used.append((at + m.start(), at + m.end()))
                    dates.append(_fact(c, DocSlot.COVER_DATE, m.group().strip(), off + at + m.start(), off + at + m.end(),
                                       DocSource.COVER, 0, date_from=day, date_to=day))
        for at, piece in _free(line, used):
            for m in organ_names(piece):
                before = piece[m.start() - 1] if m.start() else " "
                after = piece[m.end()] if m.end() < len(piece) else " "
                if before in _ORGAN_EDGE_BEFORE and after in _ORGAN_EDGE_AFTER:
                    used.append((at + m.start(), at + m.end()))
                    out.append(_fact(c, DocSlot.AGENCY, m.group(), off + at + m.start(), off + at + m.end(),
                                     DocSource.COVER, 0))
        for at, piece in _free(line, used):
            q = quoted(piece)
            name = title_value(q.group(), labelled=True) if q else None
            if name:
                titles.append(_fact(c, DocSlot.TITLE, name, off + at + q.start(), off + at + q.end(), DocSource.COVER, 0))
                continue
            name = title_value(piece.replace("()", ""), labelled=False)
            if name and name in piece:
                s = at + piece.index(name)
                titles.append(_fact(c, DocSlot.TITLE, name, off + s, off + s + len(name), DocSource.COVER, 2))
    if titles:
        out.append(min(titles, key=lambda t: (t.rank, t.position, t.offset)))
    if dates:
        out.append(dates[-1])
    return out


# -- tables ------------------------------------------------------------------------
def _is_basic(chunk: Chunk) -> bool:
    return bool(_BASIC.search(" ".join([*chunk.section_path, chunk.table_title])))


def _cell_pairs(chunk: Chunk, off: int, line: str) -> list[_Candidate]:
    """``label<TAB>value`` pairs of one table row (labels and values
    alternating, the cell after a value empty or another label)."""
    cells = line.split("\t")
    starts = [0]
    for cell in cells[:-1]:
        starts.append(starts[-1] + len(cell) + 1)
    out = []
    for i in range(len(cells) - 1):
        label = label_of_cell(cells[i])
        if label is None or label not in LABELS:
            continue
        after = next((c for c in cells[i + 2:] if c.strip()), None)
        if after is not None and label_of_cell(after) is None:
            continue
        rule = LABELS[label]
        got = _parse(rule.slot, cells[i + 1], unit=money_note(cells[i]) or _table_unit(chunk), whole_cell=True)
        if got is None:
            continue
        value, end, norm = got
        out.append(_fact(chunk, rule.slot, value, off + starts[i], off + starts[i + 1] + end, DocSource.TABLE,
                         rule.rank, label, **norm))
    return out


def _resource_total(chunk: Chunk) -> list[_Candidate]:
    """The 合計 row's figure in the ``經費(千元)`` column of a 基本資料表
    table chunk."""
    col, unit, out = None, None, []
    for off, line in _lines(chunk):
        cells = line.split("\t")
        if col is None:
            for j, cell in enumerate(cells):
                m = _RESOURCE_HEAD.search(cell)
                if m:
                    col, unit, head = j, m.group(1), cell.strip()
            continue
        t = next((i for i, cell in enumerate(cells[:col]) if cell.strip() in ("合計", "總計")), None)
        if t is None or col >= len(cells):
            continue
        qs = extract_quantities(cells[col], default_money_unit=unit)
        if len(qs) == 1 and qs[0].kind == "money":
            start = off + sum(len(x) + 1 for x in cells[:t])
            end = off + sum(len(x) + 1 for x in cells[:col]) + len(cells[col])
            out.append(_fact(chunk, DocSlot.TOTAL_BUDGET, _money_value(qs[0]), start, end, DocSource.TABLE, 0,
                             f"{head} {cells[t].strip()}", amount=_amount(qs[0]), unit=qs[0].unit))
    return out


def _resource_prose(chunk: Chunk, off: int, line: str) -> list[_Candidate]:
    """「資源投入 年度 經費(千元)110 398,500 … 合計 1,533,000」 in a 基本資料表
    printed without tabs."""
    out = []
    for m in _RESOURCE_PROSE.finditer(line):
        unit = money_unit_factor(m.group(1))[0]
        q = extract_quantities(m.group(3), default_money_unit=unit)[0]
        out.append(_fact(chunk, DocSlot.TOTAL_BUDGET, _money_value(q), off + m.start(), off + m.end(), DocSource.TABLE,
                         0, f"經費({unit}) {m.group(2)}", amount=_amount(q), unit=q.unit))
    return out


def _plain_budget(f: Fact) -> bool:
    """A money fact of the whole plan (no component, cost category or
    class, no 既有/新增 budget kind, no per-year period, no bound but 約)."""
    lab = f.labels
    return (f.quantity.kind == "money" and f.source != "derived" and f.quantity.qualifier in _KEPT_APPROX
            and not any(g in lab for g in (Group.PART, Group.SUBITEM, Group.COST, Group.DOOR, Group.KIND))
            and lab.get(Group.PERIOD) not in (ANNUAL, MONTHLY))


def _grand_total(facts: list[Fact], chunks: dict[str, Chunk]) -> list[_Candidate]:
    """The largest whole-period money cell whose row and column name a total."""
    best = None
    for f in facts:
        if f.source != "cell" or f.cell is None or not _plain_budget(f):
            continue
        whole = f.labels.get(Group.PERIOD) == TOTAL or (f.years is not None and not f.years.single)
        row = " ".join([f.row, *f.row_path])
        col = " ".join([f.column, *f.column_path])
        if (whole and _GRAND_TOTAL_WORDS.search(row) and _GRAND_TOTAL_WORDS.search(col) and f.chunk_id in chunks
                and (best is None or f.quantity.value > best.quantity.value)):
            best = f
    if best is None:
        return []
    chunk = chunks[best.chunk_id]
    col = best.cell[1]
    for off, line in _lines(chunk):
        cells = line.split("\t")
        if col < len(cells) and cells[col].strip() == best.quantity.text.strip() and \
                any(_GRAND_TOTAL_WORDS.search(x) for x in cells[:col]):
            t = next(i for i, x in enumerate(cells[:col]) if x.strip())
            start = off + sum(len(x) + 1 for x in cells[:t])
            end = off + sum(len(x) + 1 for x in cells[:col]) + len(cells[col])
            label = f"{best.row}｜{best.column}" if best.column else best.row
            return [_fact(chunk, DocSlot.TOTAL_BUDGET, best.display, start, end, DocSource.TABLE, 1, label,
                          amount=_amount(best.quantity), unit=best.quantity.unit)]
    return []


# -- running text ------------------------------------------------------------------
def _text_rules(chunk: Chunk, off: int, line: str) -> list[_Candidate]:
    """A period sentence and an organ that runs the plan (module docstring, ``text``)."""
    out = []
    at = 0
    for sentence in re.split(r"(?<=[。;])", line):
        cue = _PERIOD_CUE.search(sentence)
        p = read_period(sentence[cue.end():], anywhere=True) if cue else None
        if p is not None:
            s = off + at + len(sentence) - len(sentence.lstrip())
            out.append(_fact(chunk, DocSlot.PERIOD, p.text, s, off + at + len(sentence.rstrip()), DocSource.TEXT, 0,
                             cue.group(), date_from=p.start, date_to=p.end))
        at += len(sentence)
    for m in organ_names(line):
        verb = _AGENCY_VERB.match(line, m.end())
        if verb:
            out.append(_fact(chunk, DocSlot.AGENCY, m.group(), off + m.start(), off + verb.end(), DocSource.TEXT, 0,
                             verb.group(1)))
    return out


def _budget_sentences(facts: list[Fact], chunks: dict[str, Chunk]) -> list[_Candidate]:
    out = []
    for f in facts:
        c = chunks.get(f.chunk_id)
        if c is None or f.source != "sentence" or not _plain_budget(f):
            continue
        cue = _BUDGET_TOTAL_CLAUSE.search(f.clause or f.text)
        at = c.text.find(f.text)
        if cue and at >= 0:
            out.append(_fact(c, DocSlot.TOTAL_BUDGET, _money_value(f.quantity), at, at + len(f.text), DocSource.TEXT, 0,
                             cue.group(), amount=_amount(f.quantity), unit=f.quantity.unit))
    return out


# -- manifest -----------------------------------------------------------------------
def _manifest(doc_id: str, metadata: Mapping[str, str]) -> list[_Candidate]:
    out = []
    for slot, key in ((DocSlot.TITLE, "title"), (DocSlot.AGENCY, "agency"), (DocSlot.PERIOD, "period")):
        value = (metadata.get(key) or "").strip()
        if not value:
            continue
        norm = {}
        if slot is DocSlot.PERIOD:
            p = read_period(value, anywhere=True, single=True)
            norm = {"date_from": p.start, "date_to": p.end} if p else {}
        out.append(_Candidate(DocumentFact(doc_id, slot, value, value, None, "", DocSource.MANIFEST, key, **norm),
                              0, 0, 0))
    return out


# -- selection ----------------------------------------------------------------------
def _select(candidates: list[_Candidate]) -> list[DocumentFact]:
    """Order and thin the candidates (module docstring, last paragraph)."""
    out: list[DocumentFact] = []
    for slot in DocSlot:
        mine = [c for c in candidates if c.fact.slot is slot]
        kept: list[DocumentFact] = []
        for source in DocSource:
            if source is DocSource.MANIFEST and kept:
                break
            pool = sorted((c for c in mine if c.fact.source is source), key=lambda c: (c.position, c.offset))
            if source is DocSource.TEXT:
                if kept:
                    continue
                pool = pool[:1]
            firsts: dict[str, _Candidate] = {}
            for c in pool:
                firsts.setdefault(c.fact.label, c)
            for c in sorted(firsts.values(), key=lambda c: (c.rank, c.position, c.offset)):
                key = c.fact.value if slot in _ONE_VALUE else (c.fact.label, c.fact.value)
                if all((k.value if slot in _ONE_VALUE else (k.label, k.value)) != key for k in kept):
                    kept.append(c.fact)
        out += kept
    return out


def read_document_facts(doc_id: str, chunks: Iterable[Chunk], facts: Iterable[Fact] = (),
                        metadata: Mapping[str, str] | None = None) -> list[DocumentFact]:
    """The document-level facts of one document (module docstring).

    Args:
        doc_id: the document.
        chunks: its chunks (any order).
        facts: its extracted facts (:func:`assistant.figures.extract.extract_document`),
            for the budget tables' grand total and budget sentences.
        metadata: the document record's ``title``, ``agency``, ``period``
            (the ``manifest`` fallback); ``None`` for none.

    Returns:
        Facts grouped by slot in :class:`DocSlot` order, best first; a slot
        the document does not state is absent.
    """
    chunks = sorted(chunks, key=lambda c: c.position)
    by_id = {c.chunk_id: c for c in chunks}
    facts = [f for f in facts if f.source != "derived"]
    cover = cover_lines(chunks)
    on_cover = {(c.chunk_id, off) for c, off, _ in cover}
    found = _cover(chunks)
    for c in chunks:
        basic = _is_basic(c)
        if basic and c.chunk_type == "table":
            found += _resource_total(c)
        for off, line in _lines(c):
            if (c.chunk_id, off) in on_cover:
                continue
            if "\t" in line:
                found += _cell_pairs(c, off, line)
                continue
            if basic:
                found += _labelled(c, off, line, DocSource.TABLE, colon=False)[0]
                found += _resource_prose(c, off, line)
            else:
                found += _labelled(c, off, line, DocSource.TEXT, colon=True)[0]
            found += _text_rules(c, off, line)
    found += _grand_total(facts, by_id) + _budget_sentences(facts, by_id)
    found += _manifest(doc_id, metadata or {})
    return _select(found)

__all__ = ["DocSlot", "DocSource", "DocumentFact", "cover_lines", "first_fact", "plan_period", "plan_periods",
           "read_document_facts"]
