"""Audit the plans' own figures: totals that do not add up, and the same
figure stated differently in different places of one document.

Example:
    >>> for f in audit(doc_ids=["ey-2018-taiwan-ai-action-plan"]):   # doctest: +SKIP
    ...     print(f.kind, f.page, f.message)

Checks, each reported as a :class:`Finding`:

* ``arithmetic`` -- a table's total row or column is not the sum of its parts
  (:mod:`assistant.figures.arithmetic`), and a sentence's total is not the sum of the
  cost categories it lists (「本細部計畫編列 65,260 千元，人事費 22,386 千元
  …其他費用 42,874 千元」) or of a year run (「110 398,500 … 合計 1,533,000」);
* ``inconsistent`` -- within one document:

  1. a sentence citing a table (「約 360 億元(如表 8)」) states a total that
     differs from that table's grand total;
  2. a sentence states a component's (分項/細部計畫) amount for a year, or for
     the whole period, that differs from the table cell -- or the sum of the
     table's yearly totals -- for the same component, year and cost labels;
  3. two tables give the same row and column (same year) different figures
     (a KPI in one table vs another);
  4. a total for a span of years (「112-113 … 560,000」) differs from the sum
     of the plan's figures for each of those years;
  5. the same statement is made twice with different values (the words
     around both figures the same: 「累計參與企業達 600 家次」 vs
     「累計參與企業達 400 家次」).

Figures are compared exactly after unit normalisation (a rounded 「約 360
億元」 against 366.24 億元 is reported, with the difference, since staff need
to know which figure the plan really uses); findings are listed per
document in page order.  Each document is audited once, when its facts
are extracted (:meth:`assistant.figures.store.FactStore.extract`); the
findings are kept in the fact store and :func:`audit` and the answers'
conflict notes read them from there.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.models import Chunk

from ..enums import ValueEnum
from .arithmetic import Mismatch, check_table
from .extract import Fact, FactBase
from .matching import APPROX_QUALIFIERS
from .counted import counted_in, same_count
from .labels import ANNUAL, Group, TOTAL, is_total_text, part_name
from .quantities import MONEY_UNITS
from .units import format_money
from .verify import Evidence, evidence_of

# Label groups that must agree for two figures to be "the same figure".
_SAME_GROUPS = (Group.PART, Group.SUBITEM, Group.DOOR, Group.COST, Group.KIND)
# Words of a sentence that states a budget amount.
_BUDGET_WORDS = re.compile(r"經費|預算|編列|費用|投入|額度|核定|送審|資源投入|金額")
# Cost categories whose amounts add up to a component's amount (budget
# forms B005: 人事費 + 材料費 + 其他費用 (+ 資本支出 categories)).
_PART_COSTS = {"人事費", "材料費", "其他費用", "土地建築", "儀器設備"}


class FindingKind(ValueEnum):
    """What an audit finding is about."""

    ARITHMETIC = "arithmetic"      # a total is not the sum of its parts
    INCONSISTENT = "inconsistent"  # one figure stated differently in two places


@dataclass
class Finding:
    """One problem found in a plan.

    Attributes:
        kind: a :class:`FindingKind`.
        doc_id: the document.
        page: the page of the (first) place.
        table: the table title, ``""`` for prose.
        message: what is wrong, in one line.
        expected: the value the other place (or the sum of the parts) gives,
            with its unit.
        found: the value printed here, with its unit.
        evidence: the places involved (the total first).
    """

    kind: FindingKind
    doc_id: str
    page: int
    table: str
    message: str
    expected: str
    found: str
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON form (plain strings)."""
        d = asdict(self)
        d["kind"] = str(self.kind)
        d["evidence"] = [e.to_dict() for e in self.evidence]
        return d

    def to_record(self) -> dict:
        """The whole finding as plain JSON values (the evidence's chunk ids
        kept), read back by :meth:`from_record` -- the fact store's form."""
        d = asdict(self)
        d["kind"] = str(self.kind)
        return d

    @classmethod
    def from_record(cls, d: dict) -> Finding:
        """The finding :meth:`to_record` wrote."""
        return cls(**{**d, "kind": FindingKind(d["kind"]), "evidence": [Evidence(**e) for e in d["evidence"]]})


# ------------------------------------------------------------------ helpers
def _fmt(value: float, unit: str, decimals: int = 0) -> str:
    """A number in a table's unit: 2 decimals -> ``"366.24 億元"``."""
    u = re.sub(r"新[臺台]幣|\s", "", unit or "")
    s = f"{value:,.{decimals}f}"
    return f"{s} {u}".strip()


def _money(value_yuan: float, unit: str) -> str:
    return format_money(value_yuan, unit if unit in MONEY_UNITS else "元")


def _chunk_evidence(chunk: Chunk, title: str, text: str, row: str = "", column: str = "") -> Evidence:
    return Evidence(chunk.doc_id, title, chunk.page, chunk.table_title, row, column, text, chunk.chunk_id)


def _decimals(text: str) -> int:
    m = re.search(r"\d[\d,]*\.(\d+)", text)
    return len(m.group(1)) if m else 0


def _differs(a: Fact, b: Fact) -> bool:
    """True when two figures of the same kind differ by more than half a unit
    of the finer one's last printed digit (4 億元 vs 390,000 千元 differ;
    366.24 億元 vs 36,624,000 萬元 do not)."""
    qa, qb = a.quantity, b.quantity
    if qa.kind != qb.kind:
        return False

    def step(f: Fact) -> float:
        scale = MONEY_UNITS.get(f.unit, 1) if f.quantity.kind == "money" else 1
        return scale * 10 ** -_decimals(f.quantity.text)

    return abs(qa.value - qb.value) > 0.5 * min(step(a), step(b)) + 1e-9 * max(abs(qa.value), 1)




def _same_labels(a: Fact, b: Fact) -> bool:
    return all(a.labels.get(g) == b.labels.get(g) for g in _SAME_GROUPS)


# --------------------------------------------------------------- arithmetic
def _arith_finding(m: Mismatch, title: str) -> Finding:
    parts = " + ".join(f"{_fmt(v, '', m.decimals)}" for _, v in m.parts if v is not None)
    where = "row" if m.direction == "row" else "column"
    msg = (f"{where} total {m.label}: printed {_fmt(m.found, m.unit, m.decimals)} but the parts "
           f"({parts}) add up to {_fmt(m.expected, m.unit, m.decimals)}")
    c = m.chunk
    return Finding(FindingKind.ARITHMETIC, c.doc_id, c.page, c.table_title, msg,
                   _fmt(m.expected, m.unit, m.decimals), _fmt(m.found, m.unit, m.decimals),
                   [_chunk_evidence(c, title, m.label, *m.label.split(" × ", 1))
                    if " × " in m.label else _chunk_evidence(c, title, m.label, m.label)])


def sentence_sums(facts: list[Fact], titles: dict[str, str]) -> list[Finding]:
    """Prose arithmetic: a component's amount followed in its sentence group
    by its cost categories (人事費/材料費/其他費用 …) that do not add up, and
    year runs whose 合計 is not the sum of the years."""
    out: list[Finding] = []
    by_chunk: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.cell is None and f.quantity.kind == "money":
            by_chunk[f.chunk_id].append(f)
    for fs in by_chunk.values():
        fs.sort(key=lambda f: f.quantity.start)
        for i, total in enumerate(fs):
            # 「本細部計畫編列 X 千元，人事費 A …其他費用 B …材料費 C」
            if Group.COST in total.labels or Group.PART not in total.labels or "編列" not in total.clause:
                continue
            parts = []
            for f in fs[i + 1:]:
                if f.labels.get(Group.PART) != total.labels.get(Group.PART) or "編列" in f.clause:
                    break
                cost = f.labels.get(Group.COST)
                if cost in _PART_COSTS and cost not in {p.labels.get(Group.COST) for p in parts}:
                    parts.append(f)
            if len(parts) < 2:
                continue
            s = sum(p.quantity.value for p in parts)
            if abs(s - total.quantity.value) > 0.5 * MONEY_UNITS.get(total.unit, 1):
                msg = (f"{total.display} for {part_name(total.labels[Group.PART])} is not the sum of its cost "
                       f"categories ({' + '.join(p.labels[Group.COST] + ' ' + p.display for p in parts)} = "
                       f"{_money(s, total.unit)})")
                out.append(Finding(FindingKind.ARITHMETIC, total.doc_id, total.page, "", msg,
                                   _money(s, total.unit), total.display,
                                   [evidence_of(total, titles)] + [evidence_of(p, titles) for p in parts]))
        # year runs: 「110 398,500 … 114 186,000 合計 1,533,000」
        runs = [f for f in fs if f.year_rule == "run"]
        for tot in runs:
            if not tot.aggregate or tot.years is None or tot.years.single:
                continue
            parts = [f for f in runs if f is not tot and not f.aggregate and f.years is not None
                     and f.years.single and tot.years.lo <= f.years.lo <= tot.years.hi
                     and f.text == tot.text]
            years = {f.years.lo for f in parts}  # type: ignore[union-attr]
            if len(years) != tot.years.hi - tot.years.lo + 1 or len(parts) != len(years):
                continue
            s = sum(p.quantity.value for p in parts)
            if abs(s - tot.quantity.value) > 0.5 * MONEY_UNITS.get(tot.unit, 1):
                msg = f"{tot.years} total {tot.display} is not the sum of the years ({_money(s, tot.unit)})"
                out.append(Finding(FindingKind.ARITHMETIC, tot.doc_id, tot.page, "", msg, _money(s, tot.unit),
                                   tot.display, [evidence_of(tot, titles)]))
    return out


# ------------------------------------------------------------- consistency
def _grand_totals(facts: list[Fact]) -> dict[str, list[Fact]]:
    """表 N -> the grand-total cells of table N (total row × total column)."""
    out: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        m = re.match(r"\s*表\s*(\d+)", f.table or "")
        if m and f.figure_cell and f.row and is_total_text(f.row) and (
                is_total_text(f.column) or f.labels.get(Group.PERIOD) == TOTAL):
            out[m.group(1)].append(f)
    return out


def cited_totals(facts: list[Fact], titles: dict[str, str]) -> list[Finding]:
    """Check 1: a sentence citing 「表 N」 with a total that differs from the
    table's grand total."""
    totals = _grand_totals(facts)
    out = []
    for f in facts:
        if f.cell is not None or f.quantity.kind != "money":
            continue
        for n in re.findall(r"表\s*(\d+)", f.text):
            cells = [c for c in totals.get(n, []) if c.quantity.kind == "money"]
            if not cells:
                continue
            if f.labels.get(Group.PERIOD) != TOTAL and not re.search(r"合計|總計|總額|共|全程|四年|投入", f.clause):
                continue
            values = {round(c.quantity.value, 2) for c in cells}
            c = min(cells, key=lambda x: len(x.labels))  # 「合計 × 預算總額」 over 「合計 × 合計 既有」
            if len(values) != 1 or not _differs(f, c):
                continue
            diff = (c.quantity.value - f.quantity.value) / c.quantity.value * 100 if c.quantity.value else 0.0
            msg = (f"the text states {f.display} (p.{f.page}) citing 表 {n}, whose grand total is {c.display} "
                   f"(p.{c.page}; {diff:+.1f}%)")
            out.append(Finding(FindingKind.INCONSISTENT, f.doc_id, f.page, "", msg, c.display, f.display,
                               [evidence_of(f, titles), evidence_of(c, titles)]))
            break
    return out


def prose_vs_tables(facts: list[Fact], titles: dict[str, str]) -> list[Finding]:
    """Check 2: a component's amount in a sentence vs the tables."""
    cells = [f for f in facts if f.figure_cell and f.quantity.kind == "money"]
    derived = [f for f in facts if f.derived]
    out = []
    seen: set[tuple] = set()
    for p in facts:
        if p.cell is not None or p.quantity.kind != "money" or Group.PART not in p.labels:
            continue
        if p.quantity.qualifier not in (None, "約", "共") or not _BUDGET_WORDS.search(p.text):
            continue
        whole = p.labels.get(Group.PERIOD) == TOTAL and p.years is None
        if whole:
            pool = [t for t in derived if _same_labels(p, t)]
            if pool:
                widest = max(t.years.hi - t.years.lo for t in pool)  # type: ignore[union-attr]
                pool = [t for t in pool if t.years.hi - t.years.lo == widest]  # type: ignore[union-attr]
        elif p.years is not None and p.strong_year and p.years.single:
            pool = [t for t in cells if t.years == p.years and t.year_rule == "column" and _same_labels(p, t)]
        else:
            continue
        if Group.STAGE in p.labels:
            pool = [t for t in pool if t.labels.get(Group.STAGE) in (None, p.labels[Group.STAGE])]
        values = {round(t.quantity.value, 2) for t in pool}
        if len(values) != 1 or not _differs(p, pool[0]):
            continue
        t = pool[0]
        key = (p.chunk_id, p.quantity.start)
        if key in seen:
            continue
        seen.add(key)
        part = part_name(p.labels[Group.PART])
        span = "the whole period" if whole else str(p.years)
        msg = (f"the text gives {part} {span} {p.display} (p.{p.page}); the table gives "
               f"{t.display} (「{t.table or 'untitled table'}」 p.{t.page}: {t.row} × {t.column})")
        out.append(Finding(FindingKind.INCONSISTENT, p.doc_id, p.page, "", msg, t.display, p.display,
                           [evidence_of(p, titles), evidence_of(t, titles)]))
    return out


def _norm_key(text: str) -> str:
    text = re.sub(r"\(?\d{2,4}\s*年度?\)?", "", text)
    return re.sub(r"[\s,，、:：()（）]", "", text)


# Row labels too generic to identify a row across tables.
_MIN_ROW_KEY = 4
_GENERIC_ROWS = {"其他", "合計", "小計", "總計", "共計"}


def tables_vs_tables(facts: list[Fact], titles: dict[str, str]) -> list[Finding]:
    """Check 3: the same row label and column (same year) in two tables with
    different figures."""
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for f in facts:
        if not f.figure_cell or f.years is None or not f.row:
            continue
        key = (_norm_key(f.row), f.years, _norm_key(f.column), f.quantity.kind, f.unit)
        if len(key[0]) >= _MIN_ROW_KEY and key[2] and key[0] not in _GENERIC_ROWS:
            groups[key].append(f)
    out = []
    for fs in groups.values():
        tables = {f.table for f in fs}
        if len(tables) < 2:
            continue
        by_value: dict[float, list[Fact]] = defaultdict(list)
        for f in fs:
            by_value[round(f.quantity.value, 6)].append(f)
        if len(by_value) < 2:
            continue
        (va, fa), (vb, fb) = sorted(by_value.items(), key=lambda kv: kv[1][0].page)[:2]
        a, b = fa[0], fb[0]
        if a.table == b.table:
            continue
        msg = (f"{a.row} × {a.column}: {a.display} in 「{a.table or 'untitled table'}」 (p.{a.page}) but "
               f"{b.display} in 「{b.table or 'untitled table'}」 (p.{b.page})")
        out.append(Finding(FindingKind.INCONSISTENT, a.doc_id, a.page, a.table, msg, a.display, b.display,
                           [evidence_of(a, titles), evidence_of(b, titles)]))
    return out


# Whole-period words in a figure's own words.
_OWN_PERIOD = re.compile(r"全程|全期|累計|四年")
# A restated figure's own words: at least this many terms (bigrams) in the
# shorter wording, all of them in the longer one.
MIN_RESTATED_TERMS = 3


def _own_period(f: Fact) -> bool:
    """``f`` has a year of its own or says 全程/累計 in its own words (a
    figure with neither may be of any year: a table's 終點目標 column is not
    the figure's own 全程)."""
    return (f.years is not None and f.strong_year) or bool(_OWN_PERIOD.search(f.clause))


def _restated(a: Fact, b: Fact) -> bool:
    """``a`` and ``b`` state the same thing: both have a year or period of
    their own and their own words are the same (:data:`MIN_RESTATED_TERMS`
    terms at least, one wording containing the other), or they count the
    same thing
    (:func:`~assistant.figures.counted.same_count`: 「每年 200 家合作廠商參與」
    and 「每年 100 家廠商參與為計畫指標」)."""
    ta, tb = a.terms("clause"), b.terms("clause")
    if _own_period(a) and _own_period(b) and min(len(ta), len(tb)) >= MIN_RESTATED_TERMS and (ta <= tb or tb <= ta):
        return True
    if a.quantity.kind != "count" or a.quantity.qualifier or b.quantity.qualifier:
        return False  # 「至少 15 隊」 and 「至少 35 隊」 state floors, not the count
    ca, cb = counted_in(a.text, a.quantity), counted_in(b.text, b.quantity)
    return ca is not None and cb is not None and same_count(ca, cb)


def restatements(facts: list[Fact], titles: dict[str, str]) -> list[Finding]:
    """Check 5: the same statement made twice with different values -- two
    figures in text (sentences or table text cells) of the same kind and
    classifier, the same year of their own (or both for the whole period:
    全程/累計) and component, whose own words (the words right around each
    figure) are the same, one wording containing the other
    (「累計參與企業達 600 家次」 vs 「累計參與企業達 400 家次」), or that
    count the same thing (:func:`_restated`; counts per year too), and no two
    different 分項 named (a table row under 「分項三、…」 and a sentence
    naming none may state the same thing)."""
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for f in facts:
        q = f.quantity
        if f.source not in ("sentence", "text_cell") or q.kind not in ("money", "count", "percent") \
                or q.qualifier in APPROX_QUALIFIERS:
            continue
        if not _own_period(f) and not (q.kind == "count" and f.labels.get(Group.PERIOD) == ANNUAL):
            continue  # of any year; a count per year is compared by what it counts
        groups[(q.kind, q.classifier, f.years, f.labels.get(Group.PERIOD))].append(f)
    out = []
    seen: set[tuple] = set()
    for fs in groups.values():
        for i, a in enumerate(fs):
            ta = a.terms("clause")
            for b in fs[i + 1:]:
                if a.text == b.text or a.quantity.value == b.quantity.value:
                    continue
                pa, pb = a.labels.get(Group.PART), b.labels.get(Group.PART)
                if pa and pb and pa != pb:   # two components' figures (one naming none may be either)
                    continue
                if not _restated(a, b):
                    continue
                tb = b.terms("clause")
                key = (round(a.quantity.value, 6), round(b.quantity.value, 6), " ".join(sorted(ta & tb)))
                if key in seen:
                    continue
                seen.add(key)
                words = " ".join(a.clause.split())
                msg = f"「{words}」: {a.display} (p.{a.page}) but {b.display} (p.{b.page})"
                out.append(Finding(FindingKind.INCONSISTENT, a.doc_id, a.page, a.table, msg, b.display, a.display,
                                   [evidence_of(a, titles), evidence_of(b, titles)]))
    return out


def span_totals(facts: list[Fact], titles: dict[str, str]) -> list[Finding]:
    """Check 4: a plan total for a span of years vs the sum of the plan's
    yearly totals (the figure each year is most often given)."""
    yearly: dict[int, Counter] = defaultdict(Counter)
    where: dict[tuple[int, float], Fact] = {}
    for f in facts:
        if (f.quantity.kind == "money" and f.years is not None and f.years.single and f.strong_year
                and not any(g in f.labels for g in _SAME_GROUPS) and f.labels.get(Group.STAGE) in (None, "核定", "法定")
                and (f.aggregate or f.year_rule == "run" or _BUDGET_WORDS.search(f.near))):
            yearly[f.years.lo][f.quantity.value] += 1
            where.setdefault((f.years.lo, f.quantity.value), f)
    out = []
    for f in facts:
        y = f.years
        if f.quantity.kind != "money" or y is None or y.single or not f.strong_year or f.year_rule == "run":
            continue
        if any(g in f.labels for g in _SAME_GROUPS) or not _BUDGET_WORDS.search(f.far):
            continue
        per_year = [yearly[k].most_common(1)[0] if yearly[k] else None for k in range(y.lo, y.hi + 1)]
        if any(p is None or p[1] < 2 for p in per_year):
            continue
        s = sum(p[0] for p in per_year)  # type: ignore[index]
        if abs(s - f.quantity.value) <= 0.5 * MONEY_UNITS.get(f.unit, 1):
            continue
        each = " + ".join(_money(p[0], f.unit) for p in per_year)  # type: ignore[index]
        msg = (f"{y} total {f.display} (p.{f.page}) but the plan's yearly totals add up to {_money(s, f.unit)} "
               f"({each})")
        years_ev = [evidence_of(where[(k, p[0])], titles)  # type: ignore[index]
                    for k, p in zip(range(y.lo, y.hi + 1), per_year)]
        out.append(Finding(FindingKind.INCONSISTENT, f.doc_id, f.page, f.table, msg, _money(s, f.unit), f.display,
                           [evidence_of(f, titles), *years_ev]))
    return out


# ------------------------------------------------------------------- audit
def audit_document(doc_id: str, chunks: list[Chunk], facts_base: FactBase, titles: dict[str, str]) -> list[Finding]:
    """Every finding of one document, in page order.

    Args:
        doc_id: the document.
        chunks: its chunks (their tables' arithmetic is checked).
        facts_base: the facts of the index.
        titles: doc_id -> title.
    """
    title = titles.get(doc_id, doc_id)
    out = [_arith_finding(m, title) for c in sorted(chunks, key=lambda c: c.position) for m in check_table(c)]
    every = facts_base.doc_facts(doc_id)
    facts = [f for f in every if not f.derived]
    out += sentence_sums(facts, titles)
    out += cited_totals(facts, titles)
    out += prose_vs_tables(every, titles)
    out += tables_vs_tables(facts, titles)
    out += span_totals(facts, titles)
    out += restatements(facts, titles)
    return sorted(out, key=lambda f: (f.page, str(f.kind)))


def audit(*, doc_ids: list[str] | None = None, db_dir: str | Path | None = None) -> list[Finding]:
    """Audit the indexed plans (see the module docstring).

    Args:
        doc_ids: the documents to audit (default: all).
        db_dir: index folder (default ``$PLANQA_DB`` or ``./.planqa``).

    Returns:
        :class:`Finding` objects, per document in page order.

    Raises:
        ValueError: an unknown document id (the message lists the indexed ones).
        ingest.store.StoreError: the index cannot be opened.
    """
    from ingest.config import default_db_dir
    from ingest.store import PlanIndex

    from .store import FactStore

    index = PlanIndex(Path(db_dir) if db_dir else default_db_dir())
    titles = {r.doc_id: r.title for r in index.list_documents()}
    wanted = list(doc_ids) if doc_ids else sorted(titles)
    unknown = [d for d in wanted if d not in titles]
    if unknown:
        raise ValueError(f"unknown document(s) {', '.join(unknown)}; indexed: {', '.join(sorted(titles)) or 'none'}")
    store = FactStore.of_index(index.db_dir)
    store.sync(index)
    return [f for d in wanted for f in store.findings(d)]


__all__ = ["Finding", "FindingKind", "audit", "audit_document", "cited_totals", "restatements",
           "prose_vs_tables", "sentence_sums", "span_totals", "tables_vs_tables"]
