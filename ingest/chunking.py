"""Split a cleaned document into chunks: sentence-packed prose and row groups
of tables that repeat their title, unit line and header rows.

Sizes are counted in characters (the shipped documents are Chinese; a token
count from an English tokenizer would mean little). The defaults were
chosen on the QA benchmark, see ``benchmarks/ingest_bench.py`` for the size
distribution they give.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from .clean import Line
from .models import Chunk
from .structure import SectionTracker, is_caption
from .tables import UNIT_RE, Table, build_table, fill_spanned_labels, has_figure, is_block_header, split_row

# Prose chunks hold whole sentences up to this many characters (a longer
# sentence is cut at a comma, or hard at the limit). Measured on the QA
# benchmark (eval/, 247 questions): 200 → hit@5 0.78, answer accuracy 0.56;
# 300 → 0.86, 0.59; 450 → 0.85, 0.56.
PROSE_MAX_CHARS = 300
# Table chunks hold whole rows until their rows reach this many characters;
# the repeated title/unit/header lines are not counted.
TABLE_MAX_CHARS = 600
# Sentence ends (after NFKC fold, full-width ！？； are ASCII).
_SENTENCE_SPLIT = re.compile(r"(?<=[。!?;])")
# (a comma between digits is a thousands separator: 6,540 stays whole)
_CLAUSE_SPLIT = re.compile(r"(?<=[，、])|(?<=,)(?!(?<=\d,)\d)")
# A hard cut of a comma-less run moves back at most this far to a space.
HARD_CUT_BACKOFF = 40
# A line that may title the table below it.
_MAX_TITLE_LINE = 60


@dataclass
class _Unit:
    page: int
    text: str
    new_line: bool
    page_end: int


def chunk_id_for(doc_id: str, chunk_type: str, section: str, text: str, occurrence: int) -> str:
    """A content-derived chunk id: the first 20 hex digits of SHA-256 over
    the document id, chunk type, section path, text and the occurrence
    number of that same content (0 for the first). Unchanged content gives
    the same id on every ingest."""
    key = "\x1f".join([doc_id, chunk_type, section, text, str(occurrence)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def split_sentences(text: str, max_chars: int = PROSE_MAX_CHARS) -> list[str]:
    """Split on 。!?; keeping the punctuation; a sentence longer than
    ``max_chars`` is cut after commas (not thousands separators), or hard
    at ``max_chars`` — moved back to the last space within
    :data:`HARD_CUT_BACKOFF` characters, if any."""
    out = []
    for sent in filter(None, _SENTENCE_SPLIT.split(text)):
        if len(sent) <= max_chars:
            out.append(sent)
            continue
        piece = ""
        for clause in filter(None, _CLAUSE_SPLIT.split(sent)):
            while len(clause) > max_chars:
                cut = max_chars - len(piece)
                space = clause.rfind(" ", 0, cut)
                if 0 < space and cut - space <= HARD_CUT_BACKOFF:
                    cut = space + 1  # cut between words: a figure stays whole
                out.append(piece + clause[:cut])
                clause = clause[cut:]
                piece = ""
            if len(piece) + len(clause) > max_chars:
                out.append(piece)
                piece = ""
            piece += clause
        if piece:
            out.append(piece)
    return out


class _Builder:
    def __init__(self, doc_id: str, prose_max: int, table_max: int):
        self.doc_id = doc_id
        self.prose_max = prose_max
        self.table_max = table_max
        self.chunks: list[Chunk] = []
        self.seen: dict[tuple, int] = {}

    def emit(self, text: str, chunk_type: str, path: list[str], page: int, page_end: int, **table) -> None:
        section = " > ".join(path)
        key = (chunk_type, section, text)
        occurrence = self.seen.get(key, 0)
        self.seen[key] = occurrence + 1
        self.chunks.append(Chunk(
            chunk_id=chunk_id_for(self.doc_id, chunk_type, section, text, occurrence),
            doc_id=self.doc_id, text=text, chunk_type=chunk_type, section_path=list(path),
            page=page, page_end=page_end, position=len(self.chunks), **table,
        ))

    def prose(self, lines: list[Line], path: list[str]) -> None:
        units = []
        for ln in lines:
            if not ln.text.strip():
                continue
            offset = 0  # the sentences partition the line
            for k, sent in enumerate(split_sentences(ln.text, self.prose_max)):
                units.append(_Unit(ln.page_at(offset), sent, k == 0, ln.page_at(offset + max(len(sent) - 1, 0))))
                offset += len(sent)
        group: list[_Unit] = []
        size = 0
        for unit in units:
            if group and size + len(unit.text) > self.prose_max:
                self._emit_prose(group, path)
                group, size = [], 0
            group.append(unit)
            size += len(unit.text)
        if group:
            self._emit_prose(group, path)

    def _emit_prose(self, group: list[_Unit], path: list[str]) -> None:
        text = "".join(("\n" if u.new_line and i else "") + u.text for i, u in enumerate(group))
        self.emit(text.strip(), "text", path, group[0].page, group[-1].page_end)

    def table(self, table: Table, path: list[str]) -> None:
        head_lines = [t for t in (table.title, table.unit_line) if t and t not in "\n".join(path[-1:])]
        if table.unit_line and table.unit_line in table.title:
            head_lines = [table.title]
        head_lines += ["\t".join(r) for r in table.header]
        full_path = path + [table.title] if table.title and (not path or path[-1] != table.title) else path
        # An untitled table is known by the heading it sits under: every
        # table chunk carries a title (not repeated in its text, which stays
        # document text).
        title = table.title or (path[-1] if path else "")
        extra = dict(table_title=title, table_unit=table.unit, table_header="\n".join("\t".join(r) for r in table.header))
        rows = list(zip(table.rows, table.row_pages))
        if not rows:  # a header-only table (an empty form)
            self.emit("\n".join(head_lines), "table", full_path, table.header_page, table.header_page,
                      rows_json=json.dumps(table.header, ensure_ascii=False), **extra)
            return
        group: list[tuple[list[str], int]] = []
        size = 0
        above: list[str] = []  # the row above with its spanned labels filled in
        block: list[str] | None = None  # the header row of the block of figure rows being read
        for row, page in rows + [(None, 0)]:
            row_text = "\t".join(row) if row is not None else ""
            if group and (row is None or size + len(row_text) > self.table_max):
                body = ["\t".join(r) for r, _ in group]
                self.emit("\n".join(head_lines + body), "table", full_path, group[0][1], group[-1][1],
                          rows_json=json.dumps(table.header + [r for r, _ in group], ensure_ascii=False), **extra)
                group, size = [], 0
            if row is None:
                break
            filled = fill_spanned_labels(row, above)
            if group:
                group.append((row, page))
            else:
                # a chunk's first row repeats the labels it sits under, and a
                # chunk opening inside a block of figure rows repeats the
                # block's header row (「年度 | 經費(千元) | 人力(人/年)」 over
                # 「107 | 390,000 | 10」), so that the chunk reads alone
                # (within a chunk, cells below a spanned label take it from
                # the row that prints it)
                if block is not None and has_figure(row):
                    group.append((block, page))
                    size += len("\t".join(block))
                group.append((filled, page))
            size += len(row_text)
            above = filled
            if is_block_header(row):
                block = filled
            elif not has_figure(row):
                block = None


def _continues_on_next_page(lines: list[Line], i: int, rows: list[Line]) -> bool:
    # The only blank line between a table's last row on one page and a row
    # at the top of a later page is where the page number stood (removed by
    # cleaning): the table continues, and keeps its title and header rows —
    # unless that row is wider than every row so far (another table), or is
    # a header row of its own (no figure, after rows with figures, and not the
    # table's header repeated).
    if not (not lines[i].text and bool(rows) and i + 1 < len(lines) and lines[i + 1].is_table_row
            and lines[i + 1].page > rows[-1].page):
        return False
    nxt = split_row(lines[i + 1].text)
    if len(nxt) > max(len(split_row(r.text)) for r in rows):
        return False
    had_figures = any(has_figure(split_row(r.text)) for r in rows)
    return not (had_figures and not has_figure(nxt) and nxt != split_row(rows[0].text))


def _width(table: Table) -> int:
    """The most cells in any row of a table."""
    return max((len(r) for r in table.header + table.rows), default=0)


def _is_title_line(text: str) -> bool:
    return len(text) <= _MAX_TITLE_LINE and not text.endswith(("。", ";")) or bool(UNIT_RE.fullmatch(text))


def chunk_document(doc_id: str, lines: list[Line], *, prose_max: int = PROSE_MAX_CHARS,
                   table_max: int = TABLE_MAX_CHARS) -> list[Chunk]:
    """Chunk one cleaned document.

    Headings (see :mod:`ingest.structure`) close the current prose chunk,
    update the section path and open the next chunk (or title the table
    right below them). Captions and the
    short lines just above a table become the table's title and unit.

    Args:
        doc_id: the document id, part of every chunk id.
        lines: the output of :func:`ingest.clean.clean_pages`.
        prose_max: prose chunk size limit in characters.
        table_max: table chunk size limit in characters (rows only).

    Returns:
        Chunks in document order, ``position`` 0, 1, 2, ….
    """
    b = _Builder(doc_id, prose_max, table_max)
    tracker = SectionTracker()
    buf: list[Line] = []
    last_unit: tuple[str, str] | None = None
    last_table: Table | None = None
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.is_table_row:
            rows = []
            while i < len(lines) and (lines[i].is_table_row or _continues_on_next_page(lines, i, rows)):
                if lines[i].is_table_row:
                    rows.append(lines[i])
                i += 1
            before: list[str] = []
            while buf and len(before) < 2 and (not buf[-1].text or _is_title_line(buf[-1].text)):
                popped = buf.pop()
                if popped.text:
                    before.insert(0, popped.text)
            had_prose = any(x.text for x in buf)
            b.prose(buf, tracker.path)
            buf = []
            table = build_table(rows, before)
            right_below = not before and not had_prose
            if not table.unit and right_below and last_unit:
                # A table drawn right below another, with no line between,
                # is in the unit stated above the first (budget tables by
                # year and by cost category come in such pairs).
                table.unit, table.unit_line = last_unit
            if not table.title and right_below and last_table and _width(last_table) == _width(table):
                # ... and with as many columns it is the same table split by a
                # blank line (a table of contents in two parts): same title.
                table.title = last_table.title
            last_unit = (table.unit, table.unit_line) if table.unit else None
            last_table = table
            b.table(table, tracker.path)
            continue
        path_before = tracker.path
        if tracker.feed(ln.text):
            b.prose(buf, path_before)
            # The heading line opens its section's first chunk (it is
            # document text, and questions quote headings), or titles the
            # table that follows it.
            buf = [ln]
            last_unit = last_table = None
        elif is_caption(ln.text):
            b.prose(buf, tracker.path)
            buf = [ln]
        else:
            buf.append(ln)
        i += 1
    b.prose(buf, tracker.path)
    return link(b.chunks)


def link(chunks: list[Chunk]) -> list[Chunk]:
    """Set each chunk's :attr:`~ingest.models.Chunk.prev_id` and
    :attr:`~ingest.models.Chunk.next_id` from its neighbours in ``chunks``
    (one document, in order); returns ``chunks``."""
    ids = ["", *(c.chunk_id for c in chunks), ""]
    for i, c in enumerate(chunks, start=1):
        c.prev_id, c.next_id = ids[i - 1], ids[i + 1]
    return chunks

