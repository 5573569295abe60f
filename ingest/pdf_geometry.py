"""Read PDF pages from their geometry with pdfplumber: ruled tables cell by
cell, the text around them in reading order, page furniture dropped.

pypdf's text (even in layout mode) breaks a table cell that wraps onto
several lines into separate lines (「分項\\n二：AI\\n智慧應\\n用暨新…」), which
is how Word, LibreOffice and browsers print bordered tables. pdfplumber
(pdfminer.six underneath) finds the ruling lines of a table and assigns every
character to its cell, so a wrapped cell comes back whole.

Output follows the convention of every other source (``ingest/tables.py``):
one line per table row with cells joined by TABs, wrapped lines of a cell
joined, a spanned cell's text in its first row and column and ``""`` in the
positions it covers (headers are resolved downstream, as for text sources),
and a blank line around each table. A table continued on the next page is
one table: the page starts with its rows (no blank line), and a header row
repeated at the top of the continuation is dropped.

Example::

    >>> from ingest.pdf_geometry import read_pdf_pages
    >>> pages = read_pdf_pages(Path("corpus/pdf/most-2018-phd-talent-training.pdf"))  # doctest: +SKIP
    >>> pages[12].lines[5]                                                           # doctest: +SKIP
    '分項二：AI 智慧應用暨新世代人才培育推動\\t350,000\\t116,000\\t0\\t234,000…'

Rules and their sources:

* running headers and footers are the lines inside the top or bottom
  :data:`FURNITURE_BAND` of the page whose text, digits masked, repeats on at
  least :data:`ingest.clean.RUNNING_LINE_MIN_SHARE` of the pages (browser print
  headers carry the date and title, footers the file URL and "n/N"), or that
  are a bare page number (:data:`ingest.clean.PAGE_NUMBER_RE`);
* tables: pdfplumber's ruling-line detection, with lines added where a
  table is cut open by the page end (:func:`_closing_lines`); on pages
  without ruling lines, borderless tables from text alignment
  (:func:`_borderless_tables`); a row broken across pages is joined back
  (:func:`join_continued_tables`);
* two-column pages: prose whose lines leave a vertical gutter of at least
  :data:`MIN_GUTTER_PT` near the middle of the page on most lines is read
  column by column;
* a page whose characters pdfminer decodes differently from pypdf (some
  non-embedded CID fonts) is read by pypdf (:data:`MIN_READER_AGREEMENT`);
* a page without text (or with only private-use / replacement characters,
  :func:`ingest.textlayer.page_needs_ocr`) comes back with ``has_text=False``
  for :mod:`ingest.ocr`.
"""
from __future__ import annotations

import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .clean import PAGE_NUMBER_RE, RUNNING_LINE_MIN_SHARE
from .tables import has_figure, split_header
from .textlayer import page_needs_ocr
from .units import is_figure, join_wrapped

#: Share of the page height at the top and at the bottom where running
#: headers and footers are looked for: 1.8 cm of A4's 29.7 cm, above the
#: body of pages with 2 cm margins (LibreOffice's default; Word's 2.54 cm),
#: below which Word puts its header (1.27 cm) and browsers their print
#: header and footer (0.5–1 cm).
FURNITURE_BAND = 0.06
#: A vertical gap between two text lines larger than this many line heights
#: starts a new paragraph (a blank line in the output): body text is set at
#: about 1.2–1.5 line spacing, paragraph spacing adds at least half a line.
PARAGRAPH_GAP = 0.9
#: Width (pt) of an empty vertical strip that separates two text columns;
#: A4 two-column layouts use a 0.5–1.25 cm gutter (14–35 pt).
MIN_GUTTER_PT = 10.0
#: A page is two-column when at least this share of its text lines have
#: text on both sides of the gutter.
TWO_COLUMN_MIN_SHARE = 0.5
#: Median characters per line piece of a column of prose (a two-column A4
#: page holds 15–25 CJK characters per column line); table cells are shorter.
MIN_COLUMN_LINE_CHARS = 8
#: A ruled region with fewer columns than this is a framed paragraph, not a table.
MIN_TABLE_COLUMNS = 2
#: Two ruled tables on one page with as many columns, the same outer edges
#: (within ``EDGE_SNAP``), no text between them and less than this vertical
#: gap (pt) between them are one table: nothing separates them but the
#: producer's spacing -- a browser prints one HTML table split at a wrapped
#: row-spanning label as two boxed tables 6–7 pt apart (the Chromium
#: rendering of the A003 form's 資源投入 block), LibreOffice leaves an empty
#: ruled strip of about 24 pt where a row-spanning cell breaks (its rendering
#: of the same block).  Three lines of body text (10–12 pt at 1.2 spacing)
#: bound the gap: a larger empty space is layout, not a border.
MERGE_GAP_PT = 36.0
#: pdfplumber character grouping: characters closer than this (pt) belong to
#: the same word/line (pdfplumber's defaults, kept explicit).
X_TOLERANCE = 3
Y_TOLERANCE = 3

_DIGITS = re.compile(r"\d+")


@dataclass
class GeometryPage:
    """One page read by geometry.

    Attributes:
        page: 1-based page number.
        lines: logical lines (table rows TAB-separated, ``""`` between blocks).
        starts_with_table, ends_with_table: the first / last block is a table.
        first_table_columns, last_table_columns: column counts of those tables.
        last_table_header: header rows of the last table (for repeated headers).
        last_row: the last row of the last table.
        first_row_open: the first table has no top border: its first row is
            the rest of a row broken at the previous page's end.
        has_text: the page has a usable text layer.
        reader: ``"geometry"``, or ``"pypdf"`` where the second reader's
            lines were used (:func:`read_page`).
        band_keys: :func:`_furniture_key` of the lines read from the page's
            top and bottom band (candidate running headers and footers).
    """

    page: int
    lines: list[str] = field(default_factory=list)
    starts_with_table: bool = False
    ends_with_table: bool = False
    first_table_columns: int = 0
    last_table_columns: int = 0
    last_table_header: list[list[str]] = field(default_factory=list)
    last_row: list[str] = field(default_factory=list)
    first_row_open: bool = False
    has_text: bool = True
    reader: str = "geometry"
    band_keys: set[str] = field(default_factory=set)


def _quiet_pdfminer() -> None:
    # pdfminer logs "Could not get FontBBox" and similar per page on CJK fonts;
    # they are harmless and must not reach the user's output.
    for name in ("pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _furniture_key(text: str) -> str:
    """A line's text with digits masked and whitespace dropped (so that the
    same footer read by either reader, on any page, has one key)."""
    return _DIGITS.sub("#", "".join(text.split()))


def _in_band(line: dict, height: float) -> bool:
    """The line's middle lies in the page's top or bottom band."""
    mid = (line["top"] + line["bottom"]) / 2
    return mid <= FURNITURE_BAND * height or mid >= (1 - FURNITURE_BAND) * height


def furniture_keys(pages: list[GeometryPage]) -> set[str]:
    """Keys of the band lines that repeat on at least
    :data:`ingest.clean.RUNNING_LINE_MIN_SHARE` of the pages (and on 3 or
    more): running headers and footers. ``set()`` for documents under 3 pages."""
    counts: Counter[str] = Counter(k for p in pages for k in p.band_keys)
    if len(pages) < 3:
        return set()
    floor = max(3, int(RUNNING_LINE_MIN_SHARE * len(pages)))
    return {k for k, c in counts.items() if c >= floor}


def drop_furniture(pages: list[GeometryPage]) -> None:
    """Remove the running headers and footers (:func:`furniture_keys`) from
    the pages' lines, in place; blank lines left doubled or at an end go too."""
    furniture = furniture_keys(pages)
    for p in pages:
        gone = p.band_keys & furniture
        if not gone:
            continue
        kept = [ln for ln in p.lines if _furniture_key(ln) not in gone]
        p.lines = [ln for i, ln in enumerate(kept) if ln or (i and kept[i - 1])]
        while p.lines and p.lines[0] == "":
            p.lines.pop(0)
        while p.lines and p.lines[-1] == "":
            p.lines.pop()


def _cell_text(cell: str | None) -> str:
    if not cell:
        return ""
    out = ""
    for part in cell.split("\n"):
        out = join_wrapped(out, " ".join(part.split()))
    return out


def _table_rows(table) -> list[list[str]]:
    rows = [[_cell_text(c) for c in r] for r in table.extract(x_tolerance=X_TOLERANCE, y_tolerance=Y_TOLERANCE)]
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def _merged_tables(tables: list, text_lines: list[dict]) -> list[tuple[float, list[list[str]]]]:
    """``[(top, rows), ...]`` of a page's ruled tables, top to bottom, a
    table joined to the one above it when both have as many columns, their
    left and right edges agree (within ``EDGE_SNAP``), no line of
    ``text_lines`` (the page's text outside tables) lies between them, less
    than :data:`MERGE_GAP_PT` separates them and the lower one opens with a
    row of the upper one's kind -- a figure row, or the rest of a row (empty
    label cell): one table the producer drew as two boxes (inner column
    widths may differ: a browser sizes each box's columns to its own text).
    A lower box opening with a header row of its own (「推動重點 | 部會 |
    107 | 108」) is a table of its own."""
    def text_between(upper, lower) -> bool:
        return any(ln["bottom"] > upper.bbox[3] and ln["top"] < lower.bbox[1]
                   and ln["x1"] > lower.bbox[0] and ln["x0"] < lower.bbox[2] for ln in text_lines)

    out: list[tuple[float, list[list[str]]]] = []
    above = None
    for t in sorted(tables, key=lambda t: t.bbox[1]):
        rows = _table_rows(t)
        if not rows:
            continue
        if (above is not None and 0 <= t.bbox[1] - above.bbox[3] < MERGE_GAP_PT
                and len(t.columns) == len(above.columns)
                and abs(t.bbox[0] - above.bbox[0]) <= EDGE_SNAP and abs(t.bbox[2] - above.bbox[2]) <= EDGE_SNAP
                and (has_figure(rows[0]) or not rows[0][0]) and not text_between(above, t)):
            out[-1][1].extend(rows)
        else:
            out.append((t.bbox[1], rows))
        above = t
    return out


def _gutter(lines: list[dict], width: float) -> float | None:
    """x of the gutter of a two-column page, or None (one column).

    The gutter is the one strip, at least :data:`MIN_GUTTER_PT` wide and
    inside the middle 40% of the page, that no character covers, with text
    on both sides of it on at least :data:`TWO_COLUMN_MIN_SHARE` of the lines
    (pdfplumber's lines run across both columns when their baselines match),
    and lines of prose on either side (:data:`MIN_COLUMN_LINE_CHARS`): two
    or more such strips, or short pieces, are the columns of a borderless table.
    """
    if len(lines) < 6:
        return None
    covered = [False] * (int(width) + 2)  # one flag per point of the page's width
    for ln in lines:
        for c in ln["chars"]:
            if c["text"].strip():
                for x in range(max(0, int(c["x0"])), min(len(covered), int(c["x1"]) + 1)):
                    covered[x] = True
    strips: list[tuple[int, int]] = []
    start = None
    for x in range(int(0.3 * width), int(0.7 * width) + 2):
        if x <= 0.7 * width and not covered[x]:
            start = x if start is None else start
        elif start is not None:
            if x - start >= MIN_GUTTER_PT:
                strips.append((start, x))
            start = None
    if len(strips) != 1:
        return None
    mid = (strips[0][0] + strips[0][1]) / 2
    sides = [len(text) for ln in lines for _, text in _segments(ln)]
    if statistics.median(sides) < MIN_COLUMN_LINE_CHARS:
        return None  # short cells side by side: a borderless table, not two columns of prose
    both = sum(1 for ln in lines
               if any(c["x1"] <= mid for c in ln["chars"]) and any(c["x0"] >= mid for c in ln["chars"]))
    return mid if both >= TWO_COLUMN_MIN_SHARE * len(lines) else None


#: Characters of a line further apart than this many font sizes are in
#: different cells of a borderless table: prose sets words at most a space
#: (≈0.25–0.5 em) apart, even when justified; table cells sit a column apart.
CELL_GAP_EM = 1.5
#: Segment starts within this distance (pt) are the same table column.
COLUMN_SNAP_PT = 4.0
#: A borderless table has at least this many rows of two or more cells.
MIN_BORDERLESS_ROWS = 2


def _segments(line: dict) -> list[tuple[float, str]]:
    """``[(x0, text), ...]``: the line cut where its characters are more
    than :data:`CELL_GAP_EM` apart."""
    chars = sorted((c for c in line["chars"] if c["text"].strip()), key=lambda c: c["x0"])
    segs: list[list[dict]] = []
    for c in chars:
        if segs and c["x0"] - segs[-1][-1]["x1"] <= CELL_GAP_EM * max(1.0, c.get("size", 10.0)):
            segs[-1].append(c)
        else:
            segs.append([c])
    out = []
    for seg in segs:
        text, prev = "", None
        for c in seg:  # a space where the PDF leaves a word gap (no space glyph drawn)
            if prev is not None and c["x0"] - prev["x1"] > 0.2 * max(1.0, c.get("size", 10.0)):
                text += " "
            text += c["text"]
            prev = c
        out.append((seg[0]["x0"], " ".join(text.split())))
    return out


def _borderless_tables(lines: list[dict]) -> tuple[list[dict], list[tuple[float, str, object]]]:
    """Find borderless tables among text lines: runs of at least
    :data:`MIN_BORDERLESS_ROWS` consecutive lines each cut into two or more
    cells (:func:`_segments`) whose cell starts line up in columns.

    Returns:
        ``(the other lines, [(top, "table", rows), ...])``.
    """
    cut = [_segments(ln) for ln in lines]
    rest: list[dict] = []
    tables: list[tuple[float, str, object]] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and len(cut[j]) >= 2:
            j += 1
        run = cut[i:j]
        columns: list[float] = []
        for x in sorted(x for segs in run for x, _ in segs):
            if not columns or x - columns[-1] > COLUMN_SNAP_PT:
                columns.append(x)
        aligned = len(run) >= MIN_BORDERLESS_ROWS and all(
            sum(1 for segs in run if any(abs(x - col) <= COLUMN_SNAP_PT for x, _ in segs)) >= 2 for col in columns)
        if aligned:
            rows = []
            for segs in run:
                row = [""] * len(columns)
                for x, text in segs:
                    k = max(k for k, col in enumerate(columns) if col <= x + COLUMN_SNAP_PT)
                    row[k] = join_wrapped(row[k], text)
                rows.append(row)
            tables.append((lines[i]["top"], "table", rows))
            i = j
        else:
            rest.append(lines[i])
            i += 1
    return rest, tables


def _prose(lines: list[dict]) -> list[tuple[float, list[str]]]:
    """Text lines grouped into paragraphs: ``[(top, [line, ...]), ...]``."""
    out: list[tuple[float, list[str]]] = []
    prev = None
    for ln in lines:
        text = " ".join(ln["text"].split())
        if not text:
            continue
        height = max(1.0, ln["bottom"] - ln["top"])
        if prev is not None and ln["top"] - prev["bottom"] <= PARAGRAPH_GAP * height and out:
            out[-1][1].append(text)
        else:
            out.append((ln["top"], [text]))
        prev = ln
    return out


#: Edges closer than this (pt) are the same line (pdfplumber's snap tolerance).
EDGE_SNAP = 3.0
#: A horizontal edge shorter than this (pt) is the end of a vertical border
#: drawn as a rectangle, not a row border (cells are wider than 5 pt).
MIN_BORDER_PT = 5.0


def _closing_lines(page) -> tuple[dict, float | None]:
    """Table settings that close tables broken at the page's top or bottom.

    A browser or word processor that breaks a table row across pages draws
    the cell's side borders to the page's text edge but no horizontal border
    there, so pdfplumber cannot close those cells. Explicit horizontal lines
    at the top and bottom ends of the vertical edges close them.

    Returns:
        ``(table settings, y of the added top line when no border was
        there — the first row is then a remainder — else None)``.
    """
    vertical = [e for e in page.edges if e["orientation"] == "v"]
    if not vertical:
        return {}, None
    top = min(e["top"] for e in vertical)
    bottom = max(e["bottom"] for e in vertical)
    # a vertical border drawn as a thin rectangle has horizontal edges of its
    # own, as wide as the line; a real border spans at least a cell
    horizontal = [e["top"] for e in page.edges if e["orientation"] == "h" and e["x1"] - e["x0"] > MIN_BORDER_PT]
    open_top = None if any(abs(y - top) <= EDGE_SNAP for y in horizontal) else top
    return {"explicit_horizontal_lines": [top, bottom]}, open_top


class TextLayer(Protocol):
    """A second reader of the same PDF's text layer (pypdf, see
    :func:`ingest.loaders.load_pdf`), used where it serves better."""

    def plain(self, number: int) -> str:
        """The text of page ``number`` (1-based) in content order."""

    def aligned(self, number: int) -> list[str]:
        """Page ``number``'s lines from its layout text, table rows
        TAB-separated (:func:`ingest.layout.layout_page_to_lines`)."""


def _char_agreement(a: str, b: str) -> float:
    """Share of the letters, digits and CJK characters of ``b`` that ``a``
    also has (multiset overlap): near 1 when two readers decode the same
    page alike."""
    ca = Counter(c for c in a if c.isalnum())
    cb = Counter(c for c in b if c.isalnum())
    total = sum(cb.values())
    return sum((ca & cb).values()) / total if total else 1.0


#: Below this agreement with pypdf's text the page is read by pypdf:
#: pdfminer decodes some non-embedded CID fonts (reportlab's MSung-Light
#: with the UniCNS-UCS2-H CMap) to wrong characters that pypdf decodes right.
#: Measured: every page of the shipped, Chromium and LibreOffice renderings
#: agrees at ≥ 0.99; a page whose body is in MSung-Light (header and footer
#: in an embedded font) at 0.66.
MIN_READER_AGREEMENT = 0.9


def read_page(page, number: int, second: TextLayer | None = None) -> GeometryPage:
    """Read one pdfplumber page (see the module docstring).

    Lines in the page's top and bottom band (:data:`FURNITURE_BAND`) outside
    any table are kept apart as candidate furniture: a bare page number is
    dropped at once; the others are emitted as lines of their own and their
    keys recorded in ``band_keys``, for :func:`drop_furniture` to remove the
    ones that repeat across the document.

    Args:
        page: a ``pdfplumber.page.Page``.
        number: the 1-based page number.
        second: pypdf's reading of the same file. Its lines are used for a
            page whose characters pdfminer decodes differently
            (:data:`MIN_READER_AGREEMENT`).
    """
    height, width = float(page.height), float(page.width)
    lines = page.extract_text_lines(x_tolerance=X_TOLERANCE, y_tolerance=Y_TOLERANCE)
    out = GeometryPage(number)
    all_text = " ".join(ln["text"] for ln in lines)
    if page_needs_ocr(all_text) and (second is None or page_needs_ocr(second.plain(number))):
        out.has_text = False
        return out
    if second is not None and _char_agreement(all_text, second.plain(number)) < MIN_READER_AGREEMENT:
        return _from_second(out, second.aligned(number))
    settings, open_top = _closing_lines(page)
    tables = [t for t in page.find_tables(settings) if len(t.columns) >= MIN_TABLE_COLUMNS]
    boxes = [t.bbox for t in tables]

    def in_table(x: float, y: float) -> bool:
        return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    band = [ln for ln in lines
            if _in_band(ln, height) and not in_table((ln["x0"] + ln["x1"]) / 2, (ln["top"] + ln["bottom"]) / 2)]
    band_spans = [(ln["top"], ln["bottom"]) for ln in band]

    def body_char(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not in_table(cx, cy) and not any(t - 0.5 <= cy <= b + 0.5 for t, b in band_spans)

    body = page.filter(body_char)
    text_lines = body.extract_text_lines(x_tolerance=X_TOLERANCE, y_tolerance=Y_TOLERANCE)
    blocks: list[tuple[float, str, object]] = []
    for ln in band:
        text = " ".join(ln["text"].split())
        if not PAGE_NUMBER_RE.match(text):
            blocks.append((ln["top"], "band", [text]))
            out.band_keys.add(_furniture_key(text))
    gutter = None if tables else _gutter(text_lines, width)
    if not tables and gutter is None:
        text_lines, borderless = _borderless_tables(text_lines)
        blocks += borderless
    if gutter is not None:
        # two columns: the left column's paragraphs, then the right one's
        for offset, box in ((0.0, (0, 0, gutter, height)), (height, (gutter, 0, width, height))):
            column = body.crop(box).extract_text_lines(x_tolerance=X_TOLERANCE, y_tolerance=Y_TOLERANCE)
            blocks += [(offset + top, "text", para) for top, para in _prose(column)]
    else:
        blocks += [(top, "text", para) for top, para in _prose(text_lines)]
    for top, rows in _merged_tables(tables, text_lines):
        blocks.append((top, "table", rows))
    blocks.sort(key=lambda b: b[0])
    content = [b for b in blocks if b[1] != "band"]  # what the page holds, furniture aside
    for block in blocks:
        top, kind, value = block
        if out.lines and out.lines[-1] != "":
            out.lines.append("")
        if kind != "table":
            out.lines += value
            continue
        rows = value
        if block is content[0]:
            out.starts_with_table, out.first_table_columns = True, len(rows[0])
            out.first_row_open = open_top is not None and abs(top - open_top) <= EDGE_SNAP
        if block is content[-1]:
            out.ends_with_table, out.last_table_columns = True, len(rows[0])
            out.last_table_header = rows[:split_header(rows)]
            out.last_row = rows[-1]
        out.lines += ["\t".join(r) for r in rows]
        out.lines.append("")
    while out.lines and out.lines[-1] == "":
        out.lines.pop()
    return out


def _is_row_remainder(row: list[str], prev: list[str]) -> bool:
    """``row`` is the rest of ``prev`` broken by the page end where the
    producer draws a border at the break (LibreOffice does): its label cell
    is empty under a filled one, it has no figure, and it has text only in
    columns where ``prev`` has text. (A new row names itself in its first
    cell; a figure row is never the tail of another.)"""
    if len(row) != len(prev) or not any(row) or row[0] or not prev[0]:
        return False
    return not any(is_figure(c) for c in row) and all(prev[j] for j, c in enumerate(row) if c)


def _from_second(out: GeometryPage, lines: list[str]) -> GeometryPage:
    """``out`` filled with the second reader's lines. Without geometry to
    place them by, its running headers and footers are left to the cleaning
    step (:func:`ingest.clean.strip_page_furniture`: exact repeats, page numbers)."""
    out.lines = lines
    out.starts_with_table = bool(lines) and "\t" in lines[0]
    out.reader = "pypdf"
    return out


def join_continued_tables(pages: list[GeometryPage]) -> None:
    """Join tables across page breaks, in place.

    A page that opens with a table with the column count of the table that
    closed the previous page continues it: a header repeated at its top is
    dropped, and a first row that is the rest of the previous page's last
    row (it has no top border, or :func:`_is_row_remainder`) is joined to it
    cell by cell. Any other
    page that opens with a table gets a leading blank line, so that it is
    not read as the previous page's table going on.
    """
    for prev, cur in zip(pages, pages[1:]):
        if not cur.starts_with_table:
            continue
        if not (prev.ends_with_table and prev.last_table_columns == cur.first_table_columns):
            cur.lines.insert(0, "")
            continue
        header = ["\t".join(r) for r in prev.last_table_header]
        if header and cur.lines[: len(header)] == header:
            del cur.lines[: len(header)]
        first = cur.lines[0].split("\t") if cur.lines and "\t" in cur.lines[0] else []
        if prev.lines and prev.last_row and (
                (cur.first_row_open and len(first) == len(prev.last_row)) or _is_row_remainder(first, prev.last_row)):
            merged = [join_wrapped(a, b) for a, b in zip(prev.last_row, first)]
            prev.lines[len(prev.lines) - 1 - prev.lines[::-1].index("\t".join(prev.last_row))] = "\t".join(merged)
            del cur.lines[0]


def read_pdf_pages(path: Path, second: TextLayer | None = None) -> list[GeometryPage]:
    """Read every page of a PDF by geometry (``second``: see :func:`read_page`).

    Returns:
        One :class:`GeometryPage` per page, in order; pages without a usable
        text layer have ``has_text=False`` and no lines.

    Raises:
        Whatever pdfplumber/pdfminer raise on a corrupt file (the caller,
        :func:`ingest.loaders.load_pdf`, turns it into a one-line error).
    """
    import pdfplumber

    _quiet_pdfminer()
    with pdfplumber.open(str(path)) as pdf:
        pages = []
        for number, page in enumerate(pdf.pages, start=1):
            pages.append(read_page(page, number, second))
            page.flush_cache()  # memory stays flat however long the document
    drop_furniture(pages)
    join_continued_tables(pages)
    return pages
