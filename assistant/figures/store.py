"""The fact store: every figure of the indexed plans as one SQLite record.

Written at ingest (:func:`ingest.pipeline.ingest_paths` calls
:meth:`FactStore.replace_document` per document, in one transaction), removed
with the document, and read by ``ask`` (amount and target answers'
conflict notes), ``verify``, ``audit``, ``overview`` and ``facts``.  The same
transaction writes the document's document-level facts (title, agency,
period, cover date, review number, total budget:
:mod:`assistant.figures.docfacts`), read by :meth:`FactStore.document_facts`
(``overview``; the answer composer).  The file is ``<index
folder>/facts.sqlite`` -- next to the Chroma folder, and still local when the
vectors live on a Chroma server.

Example:
    >>> store = FactStore.of_index(".planqa")                    # doctest: +SKIP
    >>> [r["display"] for r in store.rows(doc_id="most-2018-phd-talent-training", year=2019)][:2]  # doctest: +SKIP
    ['350,000 千元', '116,000 千元']

Schema (``SCHEMA_VERSION`` 8; standard library ``sqlite3``)::

    meta(key TEXT PRIMARY KEY, value TEXT)            -- schema_version
    documents(doc_id TEXT PRIMARY KEY, content_hash TEXT, n_facts INTEGER, written_at TEXT,
              extractor TEXT)                  -- extractor_version() that wrote them
    contexts(chunk_id TEXT PRIMARY KEY, doc_id TEXT, far TEXT, chunk_years TEXT, section_year INTEGER)
        -- far: section path + table title + chunk text (the widest matching
        --      context of the chunk's facts); chunk_years: JSON list of years;
        -- section_year: the year its section's lead names (extract.section_years), or NULL
    facts(
        fact_id INTEGER PRIMARY KEY,      -- reading order within a document
        doc_id, chunk_id TEXT, page INTEGER, position INTEGER,
        source TEXT,                      -- cell | text_cell | sentence | derived
        table_title, row_label, column_label TEXT,
        row_path, column_path TEXT,       -- JSON lists, outermost first
        row_name TEXT,                    -- JSON list: the row_path labels that name the row (cells.row_name)
        cell_row, cell_col INTEGER,       -- a cell's place in its chunk (NULL in prose)
        subject TEXT,                     -- 分項二 / 子項 1.1 / KPI code, '' for the plan
        measure TEXT,                     -- 經費, 經常支出, 人事費 …; 人, 人次, 家 …; 比率
        qualifier TEXT,                   -- 核定數, 申請數, 法定數, 執行數, 預算數, 至 8 月 …
        period TEXT,                      -- '' | 每年 | 全程 | 累計 | 第一年 …
        year_from, year_to INTEGER,       -- Western years (NULL: none stated)
        year_rule TEXT,                   -- how the year was found (column, row, sentence …)
        value_text TEXT,                  -- the value as printed ('350,000', '3.9 億元')
        q_unit TEXT,                      -- the unit the normalised value was read with
        unit TEXT,                        -- the unit as printed/declared (千元, 億元, %, 人次)
        display TEXT,                     -- value with unit ('350,000 千元')
        kind TEXT,                        -- money | count | percent | number | year
        value TEXT, upper TEXT,           -- normalised Decimal: money in 元, percent as %
        classifier TEXT,                  -- a count's 量詞
        approx TEXT,                      -- 約, 以上, 逾 … as printed, or NULL
        aggregate INTEGER,                -- a total (合計/小計/總計)
        labels TEXT,                      -- JSON {group: value} (assistant.figures.labels)
        text, local_ctx, near_ctx, clause TEXT,  -- the statement and matching contexts
        q_start, q_end INTEGER,           -- the quantity's offsets in its text
        parts TEXT                        -- derived: JSON list of the keys it sums
    )
    document_facts(                       -- assistant.figures.docfacts.DocumentFact
        doc_id TEXT, slot TEXT,           -- title | agency | period | cover_date | review_number | total_budget
        rank INTEGER,                     -- order within the slot, 0 best
        value, text TEXT,                 -- value as printed; the verbatim span it was read from
        page INTEGER, chunk_id TEXT,      -- NULL / '' for a manifest fact
        source TEXT,                      -- cover | table | text | manifest
        label TEXT,                       -- 主管機關, 執行期間 … ('' unlabelled)
        date_from, date_to TEXT,          -- period ends / cover date: ISO YYYY[-MM[-DD]], Western
        amount TEXT, unit TEXT            -- total budget: Decimal in 元; unit as printed (千元, 億元)
    )
    components(doc_id, grp, value,        -- each 分項 / 子項 the document names (grp: part | subitem)
               name TEXT)                 -- '' or a name it gives it, spaces removed (extract.component_names)
    findings(doc_id TEXT, rank INTEGER,   -- the document's audit findings (assistant.figures.audit), in order
             finding TEXT)                -- JSON of a Finding (Finding.to_record)

Readers get :class:`~assistant.figures.extract.Fact` objects back
(:meth:`FactStore.fact_base`), identical to the ones extraction made, and
:class:`~assistant.figures.docfacts.DocumentFact` objects
(:meth:`FactStore.document_facts`).
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.models import Chunk

from ..language import as_western
from .derive import derived_facts
from .docfacts import DocSlot, DocSource, DocumentFact, first_fact, plan_periods, read_document_facts
from .extract import Fact, FactBase, component_names, extract_document
from .labels import Group, named_components, part_name
from .quantities import Quantity
from .sentences import YearSpan
from .units import to_decimal

if TYPE_CHECKING:  # audit imports this module
    from .audit import Finding

SCHEMA_VERSION = "8"
FILENAME = "facts.sqlite"
# The modules whose rules decide what a fact (and an audit finding) is: when
# any of them changes, stored facts are stale and :meth:`FactStore.sync`
# extracts them again.  The findings also use verify.py's Evidence record and
# matching.py's approximate qualifiers: a stored finding is read back into
# today's Evidence.
_EXTRACTION_MODULES = ("quantities.py", "dates.py", "units.py", "labels.py", "cells.py", "sentences.py", "extract.py",
                       "derive.py", "docfields.py", "docfacts.py", "store.py", "audit.py", "arithmetic.py",
                       "verify.py", "matching.py", "counted.py")


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A hash of the fact-extraction modules' source (stored with each
    document's facts; a different one makes them stale)."""
    h = hashlib.sha256()
    for name in _EXTRACTION_MODULES:
        h.update((Path(__file__).parent / name).read_bytes())
    return h.hexdigest()[:16]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents(doc_id TEXT PRIMARY KEY, content_hash TEXT, n_facts INTEGER, written_at TEXT,
    extractor TEXT);
CREATE TABLE IF NOT EXISTS contexts(chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, far TEXT, chunk_years TEXT,
                                    section_year INTEGER);
CREATE TABLE IF NOT EXISTS facts(
    fact_id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, chunk_id TEXT NOT NULL, page INTEGER, position INTEGER,
    source TEXT NOT NULL, table_title TEXT, row_label TEXT, column_label TEXT, row_path TEXT, column_path TEXT,
    row_name TEXT, cell_row INTEGER, cell_col INTEGER, subject TEXT, measure TEXT, qualifier TEXT, period TEXT,
    year_from INTEGER, year_to INTEGER, year_rule TEXT, value_text TEXT, q_unit TEXT, unit TEXT, display TEXT, kind TEXT,
    value TEXT, upper TEXT, classifier TEXT, approx TEXT, aggregate INTEGER, labels TEXT, text TEXT,
    local_ctx TEXT, near_ctx TEXT, clause TEXT, q_start INTEGER, q_end INTEGER, parts TEXT);
CREATE TABLE IF NOT EXISTS document_facts(
    doc_id TEXT NOT NULL, slot TEXT NOT NULL, rank INTEGER NOT NULL, value TEXT, text TEXT, page INTEGER,
    chunk_id TEXT, source TEXT, label TEXT, date_from TEXT, date_to TEXT, amount TEXT, unit TEXT);
CREATE TABLE IF NOT EXISTS components(doc_id TEXT NOT NULL, grp TEXT NOT NULL, value TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS findings(doc_id TEXT NOT NULL, rank INTEGER NOT NULL, finding TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS findings_doc ON findings(doc_id);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc_id);
CREATE INDEX IF NOT EXISTS components_doc ON components(doc_id);
CREATE INDEX IF NOT EXISTS document_facts_doc ON document_facts(doc_id);
CREATE INDEX IF NOT EXISTS facts_value ON facts(kind, value);
CREATE INDEX IF NOT EXISTS contexts_doc ON contexts(doc_id);
CREATE INDEX IF NOT EXISTS facts_chunk ON facts(chunk_id);
"""

_PERIOD_NAMES = {"annual": "每年", "monthly": "每月", "total": "全程"}
# 「至 8 月」「截至 6 月」: a figure counted up to a month (a qualifier).
_TO_MONTH = re.compile(r"(?:至|截至|迄)\s*(\d{1,2})\s*月")


@dataclass
class DocumentRows:
    """One document's rows for the store, extracted and not yet written
    (:meth:`FactStore.extract`): ``contexts``, ``document_facts`` and
    ``facts`` rows in the column order of their tables, the
    ``(group, value, name)`` of each 分項 / 子項 the document names
    (:func:`~assistant.figures.labels.named_components`, name ``""``) and
    of each name it gives one (:func:`~assistant.figures.extract.component_names`), and its audit
    findings (:func:`~assistant.figures.audit.audit_document`) as JSON
    records (:meth:`~assistant.figures.audit.Finding.to_record`)."""

    contexts: list[tuple]
    document_facts: list[tuple]
    facts: list[tuple]
    components: list[tuple[str, str, str]]
    findings: list[str]


class FactStoreError(RuntimeError):
    """The fact store cannot be read or written (message names the file)."""


def describe(f: Fact) -> dict[str, str]:
    """The plain-word columns of a fact: ``subject`` (分項二, 子項 1.1, or
    ``""`` for the whole plan), ``measure``, ``qualifier`` and ``period``.

    ``measure`` is the cost category (人事費 …) or cost class (經常支出) a
    money figure names, else 經費; a count's classifier (人, 人次, 家);
    比率 for a percent.  ``qualifier`` is the budget stage (核定數 …), plus
    「至 N 月」 when the statement says the figure runs to a month.
    """
    lab = f.labels
    subject = ""
    if Group.SUBITEM in lab:
        subject = f"子項 {lab[Group.SUBITEM]}"
    elif Group.PART in lab:
        subject = part_name(lab[Group.PART])
    q = f.quantity
    if q.kind == "money":
        measure = lab.get(Group.COST) or (f"{lab[Group.DOOR]}支出" if Group.DOOR in lab else "經費")
    elif q.kind == "count":
        measure = q.classifier or f.unit
    elif q.kind == "percent":
        measure = "比率"
    else:
        measure = f.unit
    qualifier = f"{lab[Group.STAGE]}數" if Group.STAGE in lab else ""
    month = _TO_MONTH.search(f.clause or f.text)
    if month:
        qualifier = (qualifier + f" 至 {month.group(1)} 月").strip()
    period = lab.get(Group.PERIOD, "")
    return {"subject": subject, "measure": measure, "qualifier": qualifier,
            "period": _PERIOD_NAMES.get(period, period)}


def _row(f: Fact) -> tuple:
    """A fact's values in :data:`_COLUMNS` order (``fact_id`` is assigned by
    SQLite, in insertion = reading order)."""
    q = f.quantity
    d = describe(f)
    return (f.doc_id, f.chunk_id, f.page, f.position, f.source, f.table, f.row, f.column,
            json.dumps(list(f.row_path), ensure_ascii=False), json.dumps(list(f.column_path), ensure_ascii=False),
            json.dumps(list(f.row_name), ensure_ascii=False), f.cell[0] if f.cell else None,
            f.cell[1] if f.cell else None, d["subject"], d["measure"], d["qualifier"], d["period"],
            f.years.lo if f.years else None, f.years.hi if f.years else None, f.year_rule, q.text, q.unit, f.unit,
            f.display, q.kind, str(to_decimal(q.value)), str(to_decimal(q.upper)) if q.upper is not None else None,
            q.classifier, q.qualifier, int(f.aggregate),
            json.dumps({g.value: v for g, v in f.labels.items()}, ensure_ascii=False), f.text, f.local, f.near,
            f.clause, q.start, q.end, json.dumps(list(f.parts), ensure_ascii=False))


_COLUMNS = ("doc_id, chunk_id, page, position, source, table_title, row_label, column_label, row_path, "
            "column_path, row_name, cell_row, cell_col, subject, measure, qualifier, period, year_from, year_to, "
            "year_rule, value_text, q_unit, unit, display, kind, value, upper, classifier, approx, aggregate, labels, "
            "text, local_ctx, near_ctx, clause, q_start, q_end, parts")
_N_COLUMNS = _COLUMNS.count(",") + 1


class FactStore:
    """The SQLite fact store of one index.

    Args:
        path: the database file (created with its schema when missing).

    A store of another schema version is emptied (its records are derived
    from the index: :meth:`sync` writes them again).

    Raises:
        FactStoreError: the file cannot be opened or is not a database.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as con, con:
                con.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)")
                got = con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
                if got is not None and got[0] != SCHEMA_VERSION:
                    # derived data of another schema: dropped, refilled by sync()
                    con.executescript("DROP TABLE IF EXISTS facts; DROP TABLE IF EXISTS contexts; "
                                      "DROP TABLE IF EXISTS documents; DROP TABLE IF EXISTS document_facts; "
                                      "DROP TABLE IF EXISTS components; DROP TABLE IF EXISTS findings; "
                                      "DELETE FROM meta;")
                con.executescript(_SCHEMA)
                con.execute("INSERT OR REPLACE INTO meta VALUES('schema_version', ?)", (SCHEMA_VERSION,))
        except sqlite3.DatabaseError as exc:
            raise FactStoreError(f"{self.path}: {exc}") from None

    @classmethod
    def of_index(cls, db_dir: str | Path) -> FactStore:
        """The store of the index in ``db_dir`` (``db_dir/facts.sqlite``)."""
        return cls(Path(db_dir) / FILENAME)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    # -- writing -----------------------------------------------------------
    def replace_document(self, doc_id: str, chunks: list[Chunk], content_hash: str = "",
                         metadata: Mapping[str, str] | None = None) -> int:
        """Extract the facts of one document's chunks (:meth:`extract`) and
        replace whatever the store held for it (:meth:`write`).

        Args:
            doc_id: the document.
            chunks: its chunks.
            content_hash: the file's hash (stored; :meth:`sync` compares it).
            metadata: the document record's ``title``, ``agency`` and
                ``period``: the fallback of its document facts
                (:func:`~assistant.figures.docfacts.read_document_facts`).

        Returns:
            The number of fact records written (stated and derived).

        Raises:
            FactStoreError: the store cannot be written.
        """
        return self.write(doc_id, self.extract(doc_id, chunks, metadata), content_hash)

    @staticmethod
    def extract(doc_id: str, chunks: list[Chunk], metadata: Mapping[str, str] | None = None) -> "DocumentRows":
        """The rows one document's chunks give the store -- its facts,
        derived totals, document-level facts, chunk contexts and audit
        findings -- without writing them (pure: an ingest extracts in its
        reading processes and writes in one).  The findings are computed
        here, once per document version, so that an answer's conflict notes
        and ``audit`` read them instead of reading the document's chunks."""
        from .audit import audit_document

        # the plan's title (from the cover or the manifest), which its facts need
        cover = first_fact(read_document_facts(doc_id, chunks, (), metadata), DocSlot.TITLE)
        facts = extract_document(chunks, cover.value if cover else "")
        doc_facts = read_document_facts(doc_id, chunks, facts, metadata)
        facts += derived_facts(facts)
        title = (metadata or {}).get("title") or doc_id
        findings = audit_document(doc_id, chunks, FactBase(facts), {doc_id: title})
        years = {f.chunk_id: (sorted(f.chunk_years), f.section_year) for f in facts}
        contexts = [(c.chunk_id, doc_id, " ".join([*c.section_path, c.table_title, c.text]),
                     json.dumps(years[c.chunk_id][0]), years[c.chunk_id][1])
                    for c in chunks if c.chunk_id in years]
        named = {(g.value, v, "") for g, v in
                 named_components(" ".join([*c.section_path, c.table_title, c.text]) for c in chunks)}
        named |= {(g.value, v, name) for name, labels in component_names(facts, chunks).items()
                  for g, v in labels.items()}
        return DocumentRows(contexts, _doc_rows(doc_facts), [_row(f) for f in facts], sorted(named),
                            [json.dumps(f.to_record(), ensure_ascii=False) for f in findings])

    def write(self, doc_id: str, rows: "DocumentRows", content_hash: str = "") -> int:
        """Replace whatever the store held for ``doc_id`` with ``rows``
        (:meth:`extract`), in one transaction; returns the number of fact
        records written.

        Raises:
            FactStoreError: the store cannot be written.
        """
        try:
            with closing(self._connect()) as con, con:
                self._delete(con, doc_id)
                con.executemany("INSERT INTO contexts VALUES(?,?,?,?,?)", rows.contexts)
                con.executemany(f"INSERT INTO document_facts({_DOC_COLUMNS}) VALUES({','.join('?' * _N_DOC_COLUMNS)})",
                                rows.document_facts)
                con.executemany(f"INSERT INTO facts({_COLUMNS}) VALUES({','.join('?' * _N_COLUMNS)})", rows.facts)
                con.executemany("INSERT INTO components VALUES(?,?,?,?)", [(doc_id, *c) for c in rows.components])
                con.executemany("INSERT INTO findings VALUES(?,?,?)", [(doc_id, i, f) for i, f in enumerate(rows.findings)])
                con.execute("INSERT INTO documents VALUES(?,?,?,?,?)",
                            (doc_id, content_hash, len(rows.facts), datetime.now(timezone.utc).isoformat(timespec="seconds"),
                             extractor_version()))
        except sqlite3.DatabaseError as exc:
            raise FactStoreError(f"{self.path}: cannot write the facts of {doc_id}: {exc}") from None
        return len(rows.facts)

    def remove_document(self, doc_id: str) -> int:
        """Delete a document's records (facts and document facts); returns
        how many facts went."""
        with closing(self._connect()) as con, con:
            return self._delete(con, doc_id)

    @staticmethod
    def _delete(con: sqlite3.Connection, doc_id: str) -> int:
        n = con.execute("DELETE FROM facts WHERE doc_id=?", (doc_id,)).rowcount
        for table in ("contexts", "documents", "document_facts", "components", "findings"):
            con.execute(f"DELETE FROM {table} WHERE doc_id=?", (doc_id,))
        return n

    def sync(self, index) -> list[str]:
        """Write the facts of the documents ``index`` holds and the store
        lacks or holds stale (an index built before the store existed, a
        write that was cut off, facts written by other extraction rules --
        :func:`extractor_version`), and drop those it no longer holds.

        Args:
            index: the open :class:`ingest.store.PlanIndex`.

        Returns:
            The doc_ids written.
        """
        records = {r.doc_id: r for r in index.list_documents()}
        todo, gone = self.stale(records)
        for d in gone:
            self.remove_document(d)
        if todo:
            by_doc: dict[str, list[Chunk]] = {}
            for c, _ in index.all_chunks(todo):
                by_doc.setdefault(c.doc_id, []).append(c)
            for d in todo:
                r = records[d]
                self.replace_document(d, by_doc.get(d, []), r.content_hash,
                                      {"title": r.title, "agency": r.agency, "period": r.period})
        return todo

    def stale(self, records: dict) -> tuple[list[str], list[str]]:
        """``(to write, to drop)``: the registered documents (``records``:
        doc_id → :class:`ingest.store.DocumentRecord`) whose facts are
        missing or stale -- another content hash or extractor version -- and
        the stored documents no longer registered; both sorted.  Reads only."""
        with closing(self._connect()) as con:
            stored = {d: (h, v) for d, h, v in con.execute("SELECT doc_id, content_hash, extractor FROM documents")}
        todo = sorted(d for d, r in records.items() if stored.get(d) != (r.content_hash, extractor_version()))
        return todo, sorted(set(stored) - set(records))

    # -- reading -----------------------------------------------------------
    def doc_ids(self) -> list[str]:
        """The documents with stored facts, sorted."""
        with closing(self._connect()) as con:
            return [r[0] for r in con.execute("SELECT doc_id FROM documents ORDER BY doc_id")]

    def rows(self, doc_id: str | None = None, *, year: int | None = None, measure: str | None = None,
             include_derived: bool = True, chunk_ids: list[str] | None = None) -> list[dict]:
        """Records as plain dicts (column -> value; JSON columns decoded),
        in document and reading order.

        Args:
            doc_id: one document (default: all).
            year: a Western or 民國 year the record's span covers.
            measure: exact measure (``經費``, ``人事費``, ``人次`` …).
            include_derived: keep derived records.
            chunk_ids: only the records of these chunks.
        """
        return [_as_dict(r) for r in self._select(doc_id, year=year, measure=measure,
                                                  include_derived=include_derived, chunk_ids=chunk_ids)]

    def _select(self, doc_id: str | None = None, *, year: int | None = None, measure: str | None = None,
                include_derived: bool = True, chunk_ids: list[str] | None = None) -> list[tuple]:
        """The fact rows (:data:`_COLUMNS` order, after ``fact_id``) that
        :meth:`rows` describes, as tuples."""
        where, args = [], []
        if chunk_ids is not None:
            where.append(f"chunk_id IN ({_marks(chunk_ids)})")
            args += chunk_ids
        if doc_id:
            where.append("doc_id=?")
            args.append(doc_id)
        if year is not None:
            y = as_western(year)
            where.append("year_from<=? AND year_to>=?")
            args += [y, y]
        if measure:
            where.append("measure=?")
            args.append(measure)
        if not include_derived:
            where.append("source!='derived'")
        sql = f"SELECT fact_id, {_COLUMNS} FROM facts" + (" WHERE " + " AND ".join(where) if where else "") + \
            " ORDER BY doc_id, fact_id"
        with closing(self._connect()) as con:
            return con.execute(sql, args).fetchall()

    def facts(self, doc_ids: Iterable[str] | None = None, *, chunk_ids: list[str] | None = None) -> list[Fact]:
        """The stored facts (of ``doc_ids``, or of the chunks ``chunk_ids``;
        default: all) as :class:`Fact` objects, in reading order."""
        sql = "SELECT chunk_id, far, chunk_years, section_year FROM contexts"
        with closing(self._connect()) as con:
            if chunk_ids is not None:
                found = con.execute(sql + f" WHERE chunk_id IN ({_marks(chunk_ids)})", chunk_ids).fetchall()
                rows = self._select(chunk_ids=chunk_ids)
            elif doc_ids is not None:
                wanted = sorted(set(doc_ids))
                found = [r for d in wanted for r in con.execute(sql + " WHERE doc_id=?", (d,))]
                rows = [r for d in wanted for r in self._select(d)]
            else:
                found, rows = con.execute(sql).fetchall(), self._select()
        ctx = {cid: (far, frozenset(json.loads(years)), section) for cid, far, years, section in found}
        none = ("", frozenset(), None)
        return [_fact(r, *ctx.get(r[2], none)) for r in rows]

    def fact_base(self, doc_ids: Iterable[str] | None = None) -> FactBase:
        """The stored facts grouped by chunk and document: those of
        ``doc_ids`` read now, or (``None``) each document's read when first
        asked for (:class:`StoredFactBase`)."""
        return FactBase(self.facts(doc_ids)) if doc_ids is not None else StoredFactBase(self)

    def components(self, doc_id: str) -> frozenset:
        """``{(Group, value)}`` of the 分項 / 子項 that ``doc_id`` names
        (read at ingest: :func:`~assistant.figures.labels.named_components`
        over its chunks); empty for an unknown document."""
        with closing(self._connect()) as con:
            return frozenset((Group(g), v) for g, v in
                             con.execute("SELECT DISTINCT grp, value FROM components WHERE doc_id=?", (doc_id,)))

    def component_names(self, doc_id: str) -> dict[str, dict]:
        """``{name with no spaces: {Group: value}}``: the names ``doc_id``
        gives its 分項 / 子項 (read at ingest:
        :func:`~assistant.figures.extract.component_names`); empty for an
        unknown document."""
        out: dict[str, dict] = {}
        with closing(self._connect()) as con:
            for g, v, name in con.execute("SELECT grp, value, name FROM components WHERE doc_id=? AND name != ''",
                                          (doc_id,)):
                out.setdefault(name, {})[Group(g)] = v
        return out

    def findings(self, doc_id: str) -> list[Finding]:
        """The audit findings of ``doc_id`` (:class:`~assistant.figures.audit.Finding`,
        in page order), found at ingest; empty for an unknown document."""
        from .audit import Finding

        with closing(self._connect()) as con:
            rows = con.execute("SELECT finding FROM findings WHERE doc_id=? ORDER BY rank", (doc_id,)).fetchall()
        return [Finding.from_record(json.loads(r[0])) for r in rows]

    def document_facts(self, doc_id: str | None = None) -> list[DocumentFact]:
        """The document-level facts (title, agency, period, cover date,
        review number, total budget) of one document (default: all), by
        document, slot (:class:`~assistant.figures.docfacts.DocSlot`
        order) and rank, best first."""
        sql = f"SELECT {_DOC_COLUMNS} FROM document_facts" + (" WHERE doc_id=?" if doc_id else "")
        with closing(self._connect()) as con:
            rows = con.execute(sql, (doc_id,) if doc_id else ()).fetchall()
        order = {s.value: i for i, s in enumerate(DocSlot)}
        rows.sort(key=lambda r: (r[0], order[r[1]], r[2]))
        return [_doc_fact(r) for r in rows]


class StoredFactBase(FactBase):
    """A :class:`FactBase` over a whole store that reads a document's facts
    when they are first asked for and keeps the :data:`CACHED_DOCUMENTS`
    most recently used -- an index of hundreds of plans is never read whole
    to answer one question.

    Args:
        store: the :class:`FactStore`.
    """

    def __init__(self, store: "FactStore"):
        super().__init__([])
        self._store = store
        self._loaded: OrderedDict[str, None] = OrderedDict()
        self._chunks: OrderedDict[str, list[Fact]] = OrderedDict()  # of documents not read whole
        self._periods: dict[str, frozenset[YearSpan]] = {}
        self._names: dict[str, dict[str, dict]] = {}

    def _load(self, doc_id: str) -> None:
        if doc_id in self._loaded:
            self._loaded.move_to_end(doc_id)
            return
        self._add(self._store.facts([doc_id]))
        self._loaded[doc_id] = None
        while len(self._loaded) > CACHED_DOCUMENTS:
            old, _ = self._loaded.popitem(last=False)
            for f in self._by_doc.pop(old, []):
                self._by_chunk.pop(f.chunk_id, None)

    def doc_ids(self) -> list[str]:
        return self._store.doc_ids()

    def facts(self, chunk: Chunk | str) -> list[Fact]:
        """The facts of a chunk (a :class:`Chunk` or its id): from its
        document when that was read, else read for this chunk alone."""
        cid = chunk if isinstance(chunk, str) else chunk.chunk_id
        if cid in self._by_chunk:
            return self._by_chunk[cid]
        if not isinstance(chunk, str) and chunk.doc_id in self._loaded:
            return []
        if cid not in self._chunks:
            self._chunks[cid] = self._store.facts(chunk_ids=[cid])
            while len(self._chunks) > CACHED_CHUNKS:
                self._chunks.popitem(last=False)
        return self._chunks[cid]

    def doc_facts(self, doc_id: str) -> list[Fact]:
        self._load(doc_id)
        return super().doc_facts(doc_id)

    def plan_periods(self, doc_id: str) -> frozenset[YearSpan]:
        """Every period the document states for its plan
        (:func:`~assistant.figures.docfacts.plan_periods`), read once."""
        got = self._periods.get(doc_id)
        if got is None:
            got = self._periods[doc_id] = frozenset(
                YearSpan(lo, hi) for lo, hi in plan_periods(self._store.document_facts(doc_id), doc_id))
        return got

    def component_names(self, doc_id: str) -> dict[str, dict]:
        """The names the document gives its components
        (:meth:`FactStore.component_names`), read once."""
        got = self._names.get(doc_id)
        if got is None:
            got = self._names[doc_id] = self._store.component_names(doc_id)
        return got


# Documents whose facts a StoredFactBase keeps in memory (a plan has a few
# hundred to a thousand facts; a question touches a handful of plans).
CACHED_DOCUMENTS = 64
# Chunks whose facts are kept apart from their documents' (a question's hits).
CACHED_CHUNKS = 2_000

_DOC_COLUMNS = "doc_id, slot, rank, value, text, page, chunk_id, source, label, date_from, date_to, amount, unit"
_N_DOC_COLUMNS = _DOC_COLUMNS.count(",") + 1


def _doc_rows(facts: list[DocumentFact]) -> list[tuple]:
    """Document facts in :data:`_DOC_COLUMNS` order, ranked within their slot."""
    rank: dict[DocSlot, int] = {}
    out = []
    for f in facts:
        rank[f.slot] = rank.get(f.slot, -1) + 1
        out.append((f.doc_id, f.slot.value, rank[f.slot], f.value, f.text, f.page, f.chunk_id, f.source.value, f.label,
                    f.date_from, f.date_to, str(f.amount) if f.amount is not None else None, f.unit))
    return out


def _doc_fact(r: tuple) -> DocumentFact:
    doc_id, slot, _, value, text, page, chunk_id, source, label, date_from, date_to, amount, unit = r
    return DocumentFact(doc_id, DocSlot(slot), value, text, page, chunk_id, DocSource(source), label, date_from,
                        date_to, Decimal(amount) if amount is not None else None, unit)


def _marks(values: list) -> str:
    """SQL placeholders for ``values`` (「?,?,?」)."""
    return ",".join("?" * len(values))


# The columns a fact row is selected with (:meth:`FactStore._select`), in order.
_FIELDS = ("fact_id", *(c.strip() for c in _COLUMNS.split(",")))
# The JSON columns, and what an empty one stands for.
_JSON_EMPTY = {"row_path": [], "column_path": [], "row_name": [], "labels": {}, "parts": []}


def _json(text: str | None, empty):
    """A JSON column's value (``empty``'s kind when the column is empty;
    most are, and skipping the decoder is what makes reading a plan's
    facts fast)."""
    return json.loads(text) if text and text not in ("[]", "{}") else type(empty)()


def _as_dict(r: tuple) -> dict:
    """A selected fact row as a dict (JSON columns decoded)."""
    d = dict(zip(_FIELDS, r))
    for k, empty in _JSON_EMPTY.items():
        d[k] = _json(d[k], empty)
    return d


def _fact(r: tuple, far: str, chunk_years: frozenset, section_year: int | None) -> Fact:
    """The :class:`Fact` of a selected row (:data:`_FIELDS` order)."""
    (_, doc_id, chunk_id, page, position, source, table_title, row_label, column_label, row_path, column_path,
     row_name, cell_row, cell_col, _subject, _measure, _qualifier, _period, year_from, year_to, year_rule, value_text,
     q_unit, unit, display, kind, value, upper, classifier, approx, aggregate, labels, text, local_ctx, near_ctx, clause,
     q_start, q_end, parts) = r
    # float() of the stored decimal string is the float of its Decimal (both round to nearest)
    q = Quantity(float(value), kind, q_unit, classifier, approx, float(upper) if upper is not None else None,
                 q_start or 0, q_end or 0, value_text)
    years = YearSpan(year_from, year_to) if year_from is not None else None
    return Fact(q, display, unit, years, year_rule, {Group(g): v for g, v in _json(labels, {}).items()},
                bool(aggregate), local=local_ctx, near=near_ctx, far=far, doc_id=doc_id, chunk_id=chunk_id, page=page,
                table=table_title, row=row_label, column=column_label, text=text, chunk_years=chunk_years,
                section_year=section_year, position=position, cell=(cell_row, cell_col) if cell_row is not None else None,
                clause=clause,
                source=source, row_path=tuple(_json(row_path, [])), column_path=tuple(_json(column_path, [])),
                row_name=tuple(_json(row_name, [])), parts=tuple(_json(parts, [])))


__all__ = ["FILENAME", "SCHEMA_VERSION", "DocumentRows", "FactStore", "FactStoreError", "describe", "extractor_version"]
