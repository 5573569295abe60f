"""A plan at a glance: title, agency, period, total budget, budget by year ×
分項, KPI targets and the eligibility rules, each figure with its page.

Example:
    >>> ov = overview("most-2018-phd-talent-training", db_dir=".planqa")   # doctest: +SKIP
    >>> cell = ov.budget.cell(2019, "分項二")                                # doctest: +SKIP
    >>> cell.figure.display, cell.figure.page                              # doctest: +SKIP
    ('350,000 千元', 13)

Everything is read from the fact store (:mod:`assistant.figures.store`:
its facts and document facts), the document record of the ingest registry
(page count) and, for the eligibility rules only, the document's chunks.  Nothing is recomputed
from the PDF.  Money is displayed as the plan printed it (``display``,
``unit``: 千元, 億元 …); ``value`` is the normalised decimal (money in 元,
percent as %), as a string.

Rules, with the fact store columns they read:

* **Header** -- the best document fact (:mod:`assistant.figures.docfacts`:
  cover, then 基本資料表, then running text, then the document record) of
  slot TITLE, AGENCY and PERIOD, as printed.
* **Budget by year × 分項** -- records with ``kind`` money, ``subject``
  分項…, ``measure`` 經費 (the whole 分項, not a cost category such as
  人事費 or a 經常/資本 door), one year (``year_from == year_to``), no
  per-person ``period`` (每年, 每月 …), no bound (``approx`` 逾, 以上,
  超過 …; 約 is kept), not ``derived``; a sentence must name a budget word
  (經費, 預算, 編列, 額度, 概估, 核定 …) and its clause no output word (產值,
  投資, 營收 …: 「帶動產值逾 3.2 億元」 is not a budget).  One figure per
  (year, 分項): table cells (``cell``) before cells read from text
  (``text_cell``) before sentences; totals (``aggregate``: 小計/合計)
  before other cells; no budget stage (``qualifier`` ``""``) before a
  stage (法定數, 申請數 …); then reading order.  Candidates of the same
  stage (or none) with another value are kept under ``conflicts`` (the
  table's value stays the figure).
* **Yearly totals** (the 合計 row) -- the same rules for ``subject`` ``""``
  and ``aggregate`` records; a year without a stated total gets the sum of
  its 分項 figures, marked ``summed`` with its parts.
* **Total budget** -- the plan's total as stated: its best TOTAL_BUDGET
  document fact (the 基本資料表's 全程經費 or 資源投入 合計, a budget table's
  grand total, a sentence stating the whole budget), shown as the fact
  store's money record of the same value in the same chunk when there is
  one (else with ``fact_id`` ``None`` and ``source`` the document fact's:
  cover, table, text).  Otherwise the sum of the yearly totals, marked
  ``summed``, with its parts.  Sums are exact (``Decimal``) and written in
  the unit most parts use.
* **KPI targets** -- ``count`` and ``percent`` records from table cells
  (``cell``, ``text_cell``) whose table title or column names 指標, 目標,
  KPI or 績效; repeats (same row, years, period, value) dropped; sorted by
  year, records without a year last, then reading order.
* **Eligibility** -- the chunks whose section path or text names 申請資格,
  申請對象, 補助對象 or 資格: every sentence of a chunk whose section path
  names one, and the sentences that name one elsewhere (a line is cut into
  sentences at 。!?; and at table cell tabs).  A quoted sentence that ends
  with a colon (「符合下列資格之一者：」) brings the list items that follow it
  (lines starting with the same marker: ``1.``, ``(1)``, ``(一)``, ``-`` …),
  also from the following chunks.  Quotes are verbatim (stripped), in
  reading order, each once.

Every figure and quote carries its ``page`` and ``chunk_id`` (a sum carries
its parts instead).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from ..language import as_western, western_to_roc
from .docfacts import DocSlot, DocumentFact, first_fact
from .quantities import money_unit_factor

# -- rule vocabularies (see the module docstring) ---------------------------
_BUDGET_WORDS = re.compile(r"經費|預算|編列|額度|概估|核定|送審|法定|資源投入|總計|合計|共計|金額")
_OUTPUT_WORDS = re.compile(r"產值|出口值|營收|營業額|投資|效益|市值|規模")
_KPI_WORDS = re.compile(r"指標|目標|KPI|績效", re.IGNORECASE)
_ELIGIBILITY_WORDS = re.compile(r"申請資格|申請對象|補助對象|資格")
_KEPT_APPROX = {None, "", "約"}
_SOURCE_RANK = {"cell": 0, "text_cell": 1, "sentence": 2}
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九十")}
# Sentence ends (the chunk text is NFKC-folded at ingest: ASCII !?;).
_SENTENCE_END = re.compile(r"(?<=[。!?;！？；])")
_COLON_END = (":", "：")
# List item markers, by style.
_MARKERS = (
    ("num", re.compile(r"^\d{1,2}\s*[.、)．]")),
    ("pnum", re.compile(r"^[(（]\d{1,2}[)）]")),
    ("pcn", re.compile(r"^[(（][一二三四五六七八九十]{1,3}[)）]")),
    ("cn", re.compile(r"^[一二三四五六七八九十]{1,3}、")),
    ("alpha", re.compile(r"^[a-zA-Z][.)]\s")),
    ("bullet", re.compile(r"^[-•■●◆▪・]")),
)
# At most this many list items follow one quoted sentence.
MAX_LIST_ITEMS = 12


@dataclass
class Figure:
    """One figure of the plan.

    Attributes:
        display: value with unit as the plan printed it (``350,000 千元``);
            for a sum, written in the unit most parts use.
        value: normalised decimal as a string (money in 元, percent as %).
        unit: the unit as printed (千元, 億元, %, 人次 …).
        kind: money | count | percent | number.
        page: the page (``None`` for a sum: see ``parts``).
        chunk_id: the chunk holding it (``""`` for a sum).
        fact_id: the fact store record (``None`` for a sum, and for a total
            read from a document fact the store holds no record of).
        source: cell | text_cell | sentence, ``sum``, or for such a total
            the document fact's source (cover | table | text).
        table_title, row_label, column_label: where the cell sits (``""``
            in prose).
        qualifier: the budget stage (法定數, 申請數 …) or ``""``.
        text: the sentence, or the cell statement 「row｜column：value」.
        summed: True when the figure is a sum computed here.
        parts: the figures a sum adds up (empty otherwise).
    """

    display: str
    value: str
    unit: str
    kind: str
    page: int | None
    chunk_id: str
    fact_id: int | None
    source: str
    table_title: str = ""
    row_label: str = ""
    column_label: str = ""
    qualifier: str = ""
    text: str = ""
    summed: bool = False
    parts: list[Figure] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        """``value`` as a ``Decimal`` (元 for money)."""
        return Decimal(self.value)


@dataclass
class BudgetCell:
    """One cell of the budget table.

    Attributes:
        year: the Western year (民國 = year - 1911).
        subject: 分項一, 分項二 …; ``""`` for the plan's yearly total.
        figure: the figure kept (see the module docstring's ranking).
        conflicts: other figures the store holds for the same cell with a
            different value (same budget stage or none), in reading order.
    """

    year: int
    subject: str
    figure: Figure
    conflicts: list[Figure] = field(default_factory=list)


@dataclass
class BudgetTable:
    """Budget by year × 分項.

    Attributes:
        years: Western years, ascending.
        subjects: 分項 names in their order (分項一, 分項二 …).
        cells: one :class:`BudgetCell` per (year, 分項) the store has a
            figure for.
        totals: one :class:`BudgetCell` (``subject`` ``""``) per year: the
            stated yearly total, or the sum of the year's cells (``summed``).
    """

    years: list[int] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    cells: list[BudgetCell] = field(default_factory=list)
    totals: list[BudgetCell] = field(default_factory=list)

    def cell(self, year: int, subject: str) -> BudgetCell | None:
        """The cell of ``subject`` (``""`` for the total) in ``year``
        (Western, or 民國 below 1000), or ``None``."""
        year = as_western(year)
        pool = self.totals if not subject else self.cells
        return next((c for c in pool if c.year == year and c.subject == subject), None)


@dataclass
class KpiTarget:
    """One KPI target figure from a table.

    Attributes:
        row_label: the row (the indicator) as printed.
        column_label: the column (目標值, 108-109 年度 …).
        year_from, year_to: Western years (``None`` when none is stated).
        year: the years as 民國 (``108 年``, ``108–109 年``) or the period
            (全程, 第一年) or ``""``.
        measure: the count's classifier (人, 人次, 家 …) or 比率.
        figure: the figure (display, page, chunk_id …).
    """

    row_label: str
    column_label: str
    year_from: int | None
    year_to: int | None
    year: str
    measure: str
    figure: Figure


@dataclass
class Quote:
    """A verbatim sentence of the plan.

    Attributes:
        text: the sentence as in the chunk (surrounding spaces stripped).
        page: its page.
        chunk_id: its chunk.
        section: the chunk's section path joined with `` > ``.
        items: list items the sentence introduces (each a :class:`Quote`).
    """

    text: str
    page: int
    chunk_id: str
    section: str = ""
    items: list[Quote] = field(default_factory=list)


@dataclass
class Overview:
    """A plan at a glance (see the module docstring for the rules).

    Attributes:
        doc_id: the document.
        title, agency, period: the best document facts of their slots
            (``""`` when none).
        pages: the page count of the document record.
        total: the grand total (stated, or ``summed``), ``None`` when the
            store has no budget figure for the plan.
        budget: budget by year × 分項 with the yearly totals.
        kpis: KPI targets by year.
        eligibility: the eligibility rules, quoted.
    """

    doc_id: str
    title: str
    agency: str
    period: str
    pages: int
    total: Figure | None
    budget: BudgetTable
    kpis: list[KpiTarget] = field(default_factory=list)
    eligibility: list[Quote] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain JSON-ready dict (nested dataclasses as dicts)."""
        return asdict(self)


# -- helpers ----------------------------------------------------------------

def year_label(year_from: int | None, year_to: int | None, period: str = "") -> str:
    """``108 年``, ``108–109 年`` (民國), else ``period`` (全程 …) or ``""``."""
    if year_from is None:
        return period or ""
    if year_to is None or year_to == year_from:
        return f"{western_to_roc(year_from)} 年"
    return f"{western_to_roc(year_from)}–{western_to_roc(year_to)} 年"


def _cn_number(text: str) -> int | None:
    """一 … 九十九 as an int (``None`` for anything else)."""
    if not text or any(c not in _CN_DIGITS for c in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def subject_key(subject: str) -> tuple:
    """Sort key of 分項 names: 分項一 < 分項二 < … < 分項十一 < other names."""
    rest = subject.removeprefix("分項")
    n = int(rest) if rest.isdigit() else _cn_number(rest)
    return (0, n, subject) if n is not None else (1, 0, subject)


def _figure(r: dict) -> Figure:
    return Figure(display=r["display"], value=r["value"], unit=r["unit"] or "", kind=r["kind"], page=r["page"],
                  chunk_id=r["chunk_id"], fact_id=r["fact_id"], source=r["source"],
                  table_title=r["table_title"] or "", row_label=r["row_label"] or "",
                  column_label=r["column_label"] or "", qualifier=r["qualifier"] or "", text=r["text"] or "")


def _is_budget(r: dict) -> bool:
    """A money record that states a budget (not a bound, a rate or an output)."""
    if r["kind"] != "money" or r["source"] == "derived" or r["approx"] not in _KEPT_APPROX:
        return False
    if r["period"] in ("每年", "每月") or _OUTPUT_WORDS.search(r["clause"] or ""):
        return False
    return r["source"] != "sentence" or bool(_BUDGET_WORDS.search(r["text"] or ""))


def _one_year(r: dict) -> bool:
    return r["year_from"] is not None and r["year_from"] == r["year_to"]


def _rank(r: dict) -> tuple:
    return (_SOURCE_RANK.get(r["source"], 3), 0 if r["aggregate"] else 1, 0 if not r["qualifier"] else 1,
            r["fact_id"])


def _pick(candidates: list[dict], year: int, subject: str) -> BudgetCell:
    """The best candidate and the conflicting others."""
    ranked = sorted(candidates, key=_rank)
    best = ranked[0]
    value = Decimal(best["value"])
    conflicts, seen = [], set()
    for r in sorted(ranked[1:], key=lambda r: r["fact_id"]):
        if r["qualifier"] and best["qualifier"] and r["qualifier"] != best["qualifier"]:
            continue  # another budget stage (法定數 vs 申請數) is not a conflict
        if Decimal(r["value"]) != value and (r["value"], r["page"]) not in seen:
            seen.add((r["value"], r["page"]))
            conflicts.append(_figure(r))
    return BudgetCell(year, subject, _figure(best), conflicts)


def _format_amount(total_yuan: Decimal, unit: str) -> str:
    name, factor = money_unit_factor(unit)
    q = (total_yuan / Decimal(factor)).normalize()
    places = max(0, -q.as_tuple().exponent)
    return f"{q:,.{places}f} {name}"


def summed_figure(parts: list[Figure]) -> Figure:
    """The exact sum of money figures, written in the unit most of them use
    (``summed`` True, ``page`` ``None``, ``parts`` the figures).

    Raises:
        ValueError: ``parts`` is empty.
    """
    if not parts:
        raise ValueError("nothing to sum")
    total = sum((p.amount for p in parts), Decimal(0))
    units = Counter(p.unit for p in parts if p.unit).most_common()
    unit = "元"
    for u, _ in units:
        try:
            money_unit_factor(u)
        except ValueError:
            continue
        unit = u
        break
    name, _ = money_unit_factor(unit)
    return Figure(display=_format_amount(total, unit), value=str(total.normalize() if total != total.to_integral_value()
                                                                   else total.quantize(Decimal(1))),
                  unit=name, kind="money", page=None, chunk_id="", fact_id=None, source="sum", summed=True,
                  parts=list(parts))


# -- the parts of the overview -------------------------------------------------
def budget_table(rows: list[dict]) -> BudgetTable:
    """Budget by year × 分項 and the yearly totals of one document's
    fact store records (``FactStore.rows(doc_id)``); see the module
    docstring for the rules."""
    by_cell: dict[tuple[int, str], list[dict]] = {}
    by_year: dict[int, list[dict]] = {}
    for r in rows:
        if not (_is_budget(r) and _one_year(r) and r["measure"] == "經費"):
            continue
        if r["subject"].startswith("分項"):
            by_cell.setdefault((r["year_from"], r["subject"]), []).append(r)
        elif not r["subject"] and r["aggregate"]:
            by_year.setdefault(r["year_from"], []).append(r)
    cells = [_pick(c, y, s) for (y, s), c in by_cell.items()]
    subjects = sorted({c.subject for c in cells}, key=subject_key)
    years = sorted({c.year for c in cells} | set(by_year))
    cells.sort(key=lambda c: (c.year, subject_key(c.subject)))
    totals = []
    for y in years:
        if y in by_year:
            totals.append(_pick(by_year[y], y, ""))
        else:
            parts = [c.figure for c in cells if c.year == y]
            if parts:
                totals.append(BudgetCell(y, "", summed_figure(parts)))
    return BudgetTable(years=years, subjects=subjects, cells=cells, totals=totals)


def grand_total(doc_facts: list[DocumentFact], rows: list[dict], budget: BudgetTable) -> Figure | None:
    """The plan's total as stated (its best TOTAL_BUDGET document fact),
    else the sum of the yearly totals (``summed``), else ``None``; see the
    module docstring.

    Args:
        doc_facts: the document's facts (``FactStore.document_facts``).
        rows: its fact store records (``FactStore.rows``).
        budget: its :func:`budget_table`.
    """
    stated = first_fact(doc_facts, DocSlot.TOTAL_BUDGET)
    if stated is not None and stated.amount is not None:
        same = [r for r in rows if r["chunk_id"] == stated.chunk_id and r["kind"] == "money"
                and r["source"] != "derived" and Decimal(r["value"]) == stated.amount]
        if same:
            return _figure(min(same, key=lambda r: (f"{r['row_label']}｜{r['column_label']}" != stated.label, _rank(r))))
        return Figure(display=stated.value, value=str(stated.amount), unit=stated.unit, kind="money",
                      page=stated.page, chunk_id=stated.chunk_id, fact_id=None, source=stated.source.value,
                      row_label=stated.label, text=stated.text)
    parts = [t.figure for t in budget.totals]
    return summed_figure(parts) if parts else None


def kpi_targets(rows: list[dict]) -> list[KpiTarget]:
    """KPI targets of one document's records; see the module docstring."""
    out, seen = [], set()
    for r in rows:
        if r["kind"] not in ("count", "percent") or r["source"] not in ("cell", "text_cell"):
            continue
        names = [r["table_title"] or "", r["column_label"] or "", *r["column_path"]]
        if not any(_KPI_WORDS.search(n) for n in names):
            continue
        key = (r["row_label"], r["year_from"], r["year_to"], r["period"], r["display"])
        if key in seen:
            continue
        seen.add(key)
        out.append(KpiTarget(row_label=r["row_label"] or "", column_label=r["column_label"] or "",
                             year_from=r["year_from"], year_to=r["year_to"],
                             year=year_label(r["year_from"], r["year_to"], r["period"] or ""),
                             measure=r["measure"] or "", figure=_figure(r)))
    out.sort(key=lambda k: (k.year_from is None, k.year_from or 0, k.year_to or 0, k.figure.fact_id or 0))
    return out


def _sentences(line: str) -> list[str]:
    """The sentences of one line (cut at 。!?; and at tabs), stripped."""
    out = []
    for cell in line.split("\t"):
        out.extend(s.strip() for s in _SENTENCE_END.split(cell) if s.strip())
    return out


def _marker(line: str) -> str | None:
    for style, pat in _MARKERS:
        m = pat.match(line)
        if m:
            return style + (m.group()[0] if style == "bullet" else "")
    return None


def _list_items(chunks: list, at: int, line_no: int) -> list[Quote]:
    """The list items after line ``line_no`` of ``chunks[at]``: lines with
    the marker of the first one, across chunk boundaries."""
    items: list[Quote] = []
    style = None
    for k in range(at, len(chunks)):
        c = chunks[k]
        lines = c.text.split("\n")
        start = line_no + 1 if k == at else 0
        for line in lines[start:]:
            text = line.strip()
            if not text:
                continue
            mark = _marker(text)
            if mark is None or (style is not None and mark != style):
                return items
            style = mark
            items.append(Quote(text, c.page, c.chunk_id, " > ".join(c.section_path)))
            if len(items) >= MAX_LIST_ITEMS:
                return items
    return items


def eligibility_quotes(chunks: list) -> list[Quote]:
    """The eligibility rules of one document's chunks (in any order;
    :class:`ingest.models.Chunk`), quoted verbatim; see the module
    docstring."""
    chunks = sorted(chunks, key=lambda c: c.position)
    out: list[Quote] = []
    seen: set[str] = set()
    for at, c in enumerate(chunks):
        whole = bool(_ELIGIBILITY_WORDS.search(" ".join(c.section_path)))
        if not whole and not _ELIGIBILITY_WORDS.search(c.text):
            continue
        section = " > ".join(c.section_path)
        for line_no, line in enumerate(c.text.split("\n")):
            for s in _sentences(line):
                if s in seen or not (whole or _ELIGIBILITY_WORDS.search(s)):
                    continue
                seen.add(s)
                q = Quote(s, c.page, c.chunk_id, section)
                if s.endswith(_COLON_END) and line.rstrip().endswith(s):
                    q.items = [i for i in _list_items(chunks, at, line_no) if i.text not in seen]
                    seen.update(i.text for i in q.items)
                out.append(q)
    return out


def overview(doc_id: str, *, db_dir: str | Path | None = None) -> Overview:
    """The overview of one indexed plan (see the module docstring).

    Args:
        doc_id: the document id (``python -m ingest --list``).
        db_dir: index folder (default ``$PLANQA_DB`` or ``./.planqa``).

    Returns:
        An :class:`Overview`; money ``display`` as printed (千元, 億元),
        ``value`` in 元.

    Raises:
        ValueError: the index is empty, or ``doc_id`` is unknown (the
            message lists the indexed ids).
        ingest.store.StoreError: the index cannot be opened.
    """
    from ingest.config import default_db_dir
    from ingest.store import PlanIndex

    from .export import EMPTY_INDEX
    from .store import FactStore

    index = PlanIndex(Path(db_dir) if db_dir else default_db_dir())
    records = {r.doc_id: r for r in index.list_documents()}
    if not records:
        raise ValueError(EMPTY_INDEX)
    if doc_id not in records:
        raise ValueError(f"unknown document {doc_id}; indexed: {', '.join(sorted(records))}")
    rec = records[doc_id]
    store = FactStore.of_index(index.db_dir)
    store.sync(index)
    rows = store.rows(doc_id)
    doc_facts = store.document_facts(doc_id)
    budget = budget_table(rows)
    chunks = [c for c, _ in index.all_chunks([doc_id])]

    def best(slot: DocSlot) -> str:
        f = first_fact(doc_facts, slot)
        return f.value if f else ""

    return Overview(doc_id=doc_id, title=best(DocSlot.TITLE) or doc_id, agency=best(DocSlot.AGENCY),
                    period=best(DocSlot.PERIOD), pages=int(rec.pages or 0),
                    total=grand_total(doc_facts, rows, budget), budget=budget, kpis=kpi_targets(rows),
                    eligibility=eligibility_quotes(chunks))


def display_width(text: str) -> int:
    """Terminal columns of ``text`` (East Asian wide/full-width = 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    if display_width(text) <= width:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def _where(f: Figure) -> str:
    return "Σ" if f.summed else f"p.{f.page}"


def format_text(ov: Overview, *, label_width: int = 40) -> str:
    """The overview as plain text for a terminal: a title line; agency,
    period, total; the budget table year × 分項 (plus 合計) with each
    figure's page (``Σ``: a sum computed here) and ``*`` on cells the plan
    states differently elsewhere (listed below it); the KPI targets (row
    labels clipped to ``label_width`` columns); the eligibility quotes with
    their pages.  Columns are aligned for East Asian wide characters."""
    lines = [f"{ov.title} ({ov.doc_id})",
             f"機關 agency: {ov.agency or '—'} | 期程 period: {ov.period or '—'} | 頁數 pages: {ov.pages}"]
    if ov.total is None:
        lines.append("總經費 total: — (the fact store holds no budget figure for the plan)")
    elif ov.total.summed:
        pages = " + ".join(_where(p) for p in ov.total.parts)
        lines.append(f"總經費 total: {ov.total.display} (各年度合計之加總 sum of the yearly totals: {pages})")
    else:
        lines.append(f"總經費 total: {ov.total.display} (p.{ov.total.page}"
                     + (f", 表「{ov.total.table_title}」" if ov.total.table_title else "") + ")")
    b = ov.budget
    lines.append("")
    if not b.years:
        lines.append("經費 budget by year: — (no budget figure by year in the fact store)")
    else:
        lines.append("經費 budget (年度 × 分項; p. = page, Σ = sum of the row, * = stated differently elsewhere):")
        header = ["年度 year", *b.subjects, "合計 total"]
        table = [header]
        notes = []
        for y in b.years:
            row = [f"{western_to_roc(y)} ({y})"]
            for s in [*b.subjects, ""]:
                c = b.cell(y, s)
                if c is None:
                    row.append("—")
                    continue
                row.append(f"{c.figure.display} {_where(c.figure)}" + (" *" if c.conflicts else ""))
                for x in c.conflicts:
                    notes.append(f"  {s or '合計'} {western_to_roc(y)} 年: {x.display} (p.{x.page}) — "
                                 f"kept {c.figure.display} (p.{c.figure.page})")
            table.append(row)
        widths = [max(display_width(r[i]) for r in table) for i in range(len(header))]
        for r in table:
            lines.append("  ".join(_pad(cell, w) for cell, w in zip(r, widths)).rstrip())
        if notes:
            lines.append("* 計畫他處所載不同數值 (the plan states these elsewhere):")
            lines.extend(notes)
    lines.append("")
    lines.append(f"績效指標目標 KPI targets ({len(ov.kpis)}):" if ov.kpis else "績效指標目標 KPI targets: —")
    if ov.kpis:
        yw = max(display_width(k.year or "—") for k in ov.kpis)
        vw = max(display_width(k.figure.display) for k in ov.kpis)
        pw = max(len(f"p.{k.figure.page}") for k in ov.kpis)
        for k in ov.kpis:
            lines.append(f"  {_pad(k.year or '—', yw)}  {_pad(k.figure.display, vw)}  "
                         f"{_pad(f'p.{k.figure.page}', pw)}  {_clip(k.row_label or k.column_label or k.figure.table_title, label_width)}")
    lines.append("")
    lines.append("申請資格 eligibility (quoted):" if ov.eligibility else "申請資格 eligibility: — (no sentence names it)")
    for q in ov.eligibility:
        lines.append(f"  p.{q.page} 「{q.text}」")
        lines.extend(f"      p.{i.page} 「{i.text}」" for i in q.items)
    return "\n".join(lines)


__all__ = ["MAX_LIST_ITEMS", "BudgetCell", "BudgetTable", "Figure", "KpiTarget", "Overview", "Quote", "budget_table",
           "display_width", "eligibility_quotes", "format_text", "grand_total", "kpi_targets", "overview",
           "subject_key", "summed_figure", "year_label"]
