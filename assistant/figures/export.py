"""The fact store as CSV or JSON: one row per figure, a fixed column list.

Example:
    >>> store = open_store(".planqa")                                     # doctest: +SKIP
    >>> rows = export_rows(store, doc_id="most-2018-phd-talent-training", year=108, measure="經費")  # doctest: +SKIP
    >>> print(to_csv(rows)[:60])                                          # doctest: +SKIP
    doc_id,page,source,table_title,row_label,column_label,subject,…

Columns (:data:`COLUMNS`, in this order): ``doc_id``, ``page``, ``source``
(cell | text_cell | sentence | derived), ``table_title``, ``row_label``,
``column_label``, ``subject`` (分項二, 子項 1.1, ``""`` for the plan),
``measure`` (經費, 人事費 …; 人次, 家 …; 比率), ``qualifier`` (核定數 …),
``period`` (全程, 每年 …), ``year_from``/``year_to`` (Western years, empty when
none is stated), ``value_text`` (the number as printed: ``350,000``),
``unit`` (as printed: 千元, 億元, %, 人次), ``value`` (normalised decimal:
money in 元, percent as %), ``kind`` (money | count | percent | number |
year), ``display`` (value with unit as printed: ``350,000 千元``) and
``text`` (the sentence, or the cell as 「row｜column：value」).

CSV injection (OWASP "CSV Injection"): a spreadsheet runs a cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula, so :func:`to_csv` prefixes every such cell with a single quote
``'``.  This applies to numbers too: a negative value ``-5`` is written
``'-5`` (strip the leading ``'`` to read it back as a number); the JSON
output is never altered.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .store import FactStore

#: The exported columns, in order.
COLUMNS = ("doc_id", "page", "source", "table_title", "row_label", "column_label", "subject", "measure",
           "qualifier", "period", "year_from", "year_to", "value_text", "unit", "value", "kind", "display", "text")

#: First characters a spreadsheet reads as the start of a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: The one-line message for an index without documents (the same as the
#: other commands print).
EMPTY_INDEX = "the index is empty — ingest documents first: python -m ingest corpus/pdf"


def open_store(db_dir: str | Path | None = None) -> FactStore:
    """The fact store of an index, brought up to date with it
    (:meth:`FactStore.sync`).

    Args:
        db_dir: index folder (default ``$PLANQA_DB`` or ``./.planqa``).

    Raises:
        ValueError: the index holds no documents (message :data:`EMPTY_INDEX`).
        ingest.store.StoreError: the index cannot be opened.
        assistant.figures.store.FactStoreError: the fact store cannot be read.
    """
    from ingest.config import default_db_dir
    from ingest.store import PlanIndex

    index = PlanIndex(Path(db_dir) if db_dir else default_db_dir())
    if not index.list_documents():
        raise ValueError(EMPTY_INDEX)
    store = FactStore.of_index(index.db_dir)
    store.sync(index)
    return store


def export_rows(store: FactStore, doc_id: str | None = None, year: int | None = None,
                measure: str | None = None) -> list[dict]:
    """The store's records as rows of :data:`COLUMNS`, in document and
    reading order (derived totals included, ``source`` ``derived``).

    Args:
        store: an open :class:`FactStore`.
        doc_id: one document (default: all).
        year: a Western (2019) or 民國 (108) year the record's span covers.
        measure: exact measure (``經費``, ``人事費``, ``人次`` …).

    Returns:
        One dict per record with exactly the keys of :data:`COLUMNS`;
        ``page``, ``year_from``, ``year_to`` are ``int`` or ``None``,
        ``value`` a decimal string (money in 元), the rest strings.

    Raises:
        ValueError: ``doc_id`` is not in the store (the message lists the
            stored ids), or ``year`` is not a positive integer.
    """
    if doc_id is not None:
        known = store.doc_ids()
        if doc_id not in known:
            raise ValueError(f"unknown document {doc_id}; indexed: {', '.join(known) or 'none'}")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or year <= 0):
        raise ValueError(f"year must be a positive 民國 or Western year, got {year!r}")
    return [{c: r.get(c) for c in COLUMNS} for r in store.rows(doc_id, year=year, measure=measure)]


def csv_cell(value) -> str:
    """A value as a CSV cell: ``None`` → ``""``, anything else ``str()``,
    with a ``'`` in front when it starts with one of :data:`FORMULA_STARTS`
    (``"=SUM(A1)"`` → ``"'=SUM(A1)"``, ``"-5"`` → ``"'-5"``)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(rows: list[dict]) -> str:
    """Rows (from :func:`export_rows`) as CSV text: a header of
    :data:`COLUMNS`, then one line per row (``csv`` module, RFC 4180
    quoting, ``\\r\\n`` line ends), every cell passed through
    :func:`csv_cell` (see the module docstring on CSV injection)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([csv_cell(r.get(c)) for c in COLUMNS])
    return buf.getvalue()


def to_json(rows: list[dict]) -> str:
    """Rows as a JSON list of objects with the keys of :data:`COLUMNS`
    (UTF-8 text, not ASCII-escaped; values unchanged)."""
    return json.dumps([{c: r.get(c) for c in COLUMNS} for r in rows], ensure_ascii=False, indent=2)


__all__ = ["COLUMNS", "EMPTY_INDEX", "FORMULA_STARTS", "csv_cell", "export_rows", "open_store", "to_csv", "to_json"]
