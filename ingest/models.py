"""Plain data records passed between the ingestion stages."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageText:
    """The text of one page.

    Attributes:
        page: 1-based page number (for text files: always 1).
        text: the page's text; table rows are tab-separated lines.
        ocr: the text was read by OCR from an image of the page (lower trust).
    """

    page: int
    text: str
    ocr: bool = False


@dataclass
class SourceDocument:
    """A loaded file, before cleaning.

    Attributes:
        doc_id: stable identifier (the file stem, lower-cased, see
            :func:`ingest.loaders.doc_id_for`).
        title: the document title (PDF /Title, else the first heading-like
            line, else the file stem).
        source_path: the path the file was read from, as given.
        content_hash: SHA-256 of the file bytes (hex); unchanged hash means
            re-ingesting the file is a no-op.
        pages: the pages in order.
        metadata: extra scalar facts (agency, period …) when the file
            carries them.
        warnings: one line per page-level problem (``"page 3: no text
            layer …"``), reported by ingest without rejecting the file.
    """

    doc_id: str
    title: str
    source_path: str
    content_hash: str
    pages: list[PageText]
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Chunk:
    """One retrievable unit: a run of prose sentences or a group of table rows.

    Attributes:
        chunk_id: content-derived id (see :func:`ingest.chunking.chunk_id_for`).
        doc_id: the document it comes from.
        text: the document text exactly as extracted and cleaned; this is what
            citations quote. For table chunks it holds the table title, the
            unit line, the header rows and the chunk's rows, tab-separated.
        chunk_type: ``"text"`` or ``"table"``.
        section_path: the heading titles enclosing the chunk, outermost first,
            e.g. ``["貳、計畫目標及績效指標", "三、預期績效指標及評估基準"]``.
        page: 1-based page of the chunk's first line.
        page_end: 1-based page of its last line.
        position: 0-based order of the chunk within its document.
        table_title: for table chunks, the caption (``表 1、…``) or nearest
            heading; ``""`` otherwise.
        table_unit: for table chunks, the unit line (``單位：千元``) if any.
        table_header: for table chunks, the header rows (tab-separated lines).
        rows_json: for table chunks, ``json.dumps`` of the rows as lists of
            cell strings (header rows first), so that cells can be addressed
            without re-parsing.
        ocr: some of the chunk's pages were read by OCR (cited with lower trust).
        prev_id, next_id: the ids of the chunks just before and after it in
            its document (``""`` at either end; ``None`` when not known --
            a chunk read from an index written before they were stored).
    """

    chunk_id: str
    doc_id: str
    text: str
    chunk_type: str
    section_path: list[str]
    page: int
    page_end: int
    position: int
    table_title: str = ""
    table_unit: str = ""
    table_header: str = ""
    rows_json: str = ""
    ocr: bool = False
    prev_id: str | None = None
    next_id: str | None = None

    @property
    def section(self) -> str:
        """The section path joined with ``" > "``."""
        return " > ".join(self.section_path)

    @property
    def index_text(self) -> str:
        """The text given to BM25 and the embedding model: the section path
        (and for tables the title) prepended to :attr:`text`, so that a
        passage is found by the headings it sits under."""
        head = self.section
        if self.table_title and self.table_title not in head:
            head = f"{head} > {self.table_title}" if head else self.table_title
        return f"{head}\n{self.text}" if head else self.text
