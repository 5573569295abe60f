"""Read files into :class:`~ingest.models.SourceDocument` records.

Supported: PDF (text layer read with pypdf, one :class:`PageText` per page,
1-based), ``.txt`` and ``.md`` (UTF-8, UTF-16 with BOM, or Big5/CP950 —
the encodings Taiwanese government files come in), and folders (recursively).
Everything else, and every unreadable file, raises :class:`IngestError` with a
one-line reason.
"""
from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from enum import Enum
from pathlib import Path
from typing import Iterable, Iterator

from .errors import IngestError
from .layout import layout_page_to_lines
from .models import PageText, SourceDocument
from .textlayer import MAX_GARBAGE_SHARE, garbage_share, page_needs_ocr

PDF_SUFFIXES = {".pdf"}
TEXT_SUFFIXES = {".txt", ".md"}
SUPPORTED_SUFFIXES = PDF_SUFFIXES | TEXT_SUFFIXES

# Encodings tried in order for text files. UTF-8 first (the common case and
# strict enough that it rarely decodes foreign bytes); CP950 is Microsoft's
# superset of Big5, the legacy encoding of Taiwanese government files.
TEXT_ENCODINGS = ("utf-8-sig", "cp950", "big5hkscs")

# A page "has text" when it has at least this many letters or CJK characters;
# scanned pages often carry a few stray glyphs (page numbers) only.
MIN_TEXT_CHARS_PER_DOC = 20


def doc_id_for(path: Path) -> str:
    """A stable document id from a file name: the stem, lower-cased, with
    runs of characters other than letters, digits, CJK and ``-_`` replaced by
    ``-``. ``corpus/pdf/most-2018-phd-talent-training.pdf`` →
    ``most-2018-phd-talent-training``."""
    stem = unicodedata.normalize("NFKC", path.stem).lower()
    stem = re.sub(r"[^\w\-]+", "-", stem).strip("-")
    return stem or "document"


def file_sha256(path: Path) -> str:
    """SHA-256 (hex) of the file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand files and folders (recursively, sorted) into file paths.

    Hidden files and folders (``.name``) inside a folder are skipped; a file
    named explicitly is always yielded, whatever its type, so that the loader
    can report an unsupported type by name.

    Raises:
        IngestError: a path that does not exist.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if child.is_file() and not any(p.startswith(".") for p in rel.parts):
                    yield child
        elif path.exists():
            yield path
        else:
            raise IngestError(str(path), "no such file or folder")


def _check_text(path: Path, text: str) -> None:
    # Garbage first: private-use characters are not alphanumeric, so a file
    # of garbage would otherwise be reported as having no text at all.
    share = garbage_share(text)
    if share > MAX_GARBAGE_SHARE:
        raise IngestError(
            str(path),
            f"text extracts as garbage ({share:.0%} private-use/replacement characters); "
            "the PDF's fonts lack a Unicode map",
        )
    meaningful = sum(1 for c in text if c.isalnum())
    if meaningful < MIN_TEXT_CHARS_PER_DOC:
        if path.suffix.lower() in PDF_SUFFIXES:
            raise IngestError(str(path), "no text layer (image-only or scanned PDF); run OCR first")
        raise IngestError(str(path), "file contains no text")


class PdfReaderMode(str, Enum):
    """How a PDF's pages are read.

    * ``geometry`` — pdfplumber (:mod:`ingest.pdf_geometry`): ruled tables
      cell by cell with wrapped lines joined, borderless tables from aligned
      text, text around them in reading order, running headers/footers
      dropped by position, two-column pages column by column. pypdf serves
      where it reads better: pages whose fonts pdfminer decodes to other
      characters than pypdf does are read in pypdf's layout mode.
    * ``pypdf`` — pypdf's layout mode (:mod:`ingest.layout`): table columns
      recovered from the aligned text; a wrapped cell's lines may split.
    """

    GEOMETRY = "geometry"
    PYPDF = "pypdf"

    @classmethod
    def parse(cls, value: "str | PdfReaderMode") -> "PdfReaderMode":
        """The member for ``value``.

        Raises:
            ValueError: not a mode name (the message lists the valid ones).
        """
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"unknown PDF reader {value!r}; valid: {', '.join(m.value for m in cls)}") from None


#: The reader used unless one is named (measured on the dev split over the
#: shipped, Chromium and LibreOffice renderings: README, "PDF renderings").
DEFAULT_PDF_READER = PdfReaderMode.GEOMETRY


class PypdfText:
    """pypdf's reading of a PDF's pages (:class:`ingest.pdf_geometry.TextLayer`).

    Args:
        reader: an open ``pypdf.PdfReader``.
    """

    def __init__(self, reader):
        self.reader = reader

    def plain(self, number: int) -> str:
        """Page ``number`` (1-based) in pypdf's plain mode."""
        return self.reader.pages[number - 1].extract_text() or ""

    def aligned(self, number: int) -> list[str]:
        """Page ``number``'s lines from pypdf's layout mode, table columns
        recovered from their alignment (:mod:`ingest.layout`)."""
        return layout_page_to_lines(self.reader.pages[number - 1].extract_text(extraction_mode="layout"))[0]


#: Pages a PDF may have: a plan runs to a few hundred; a 5,000-page upload
#: would hold the single writer for an hour.
MAX_PDF_PAGES = 2000


def _refuse_hostile(path: Path, reader, n_pages: int) -> None:
    """Refuse a PDF before its pages are read: more than
    :data:`MAX_PDF_PAGES` pages, or a page whose content stream expands past
    pypdf's decompression limit (``pypdf.filters.ZLIB_MAX_OUTPUT_LENGTH``,
    75 MB) -- a decompression bomb that pdfminer would inflate in memory.

    Raises:
        IngestError: with the reason.
    """
    from pypdf.errors import LimitReachedError
    from pypdf.filters import ZLIB_MAX_OUTPUT_LENGTH

    if n_pages > MAX_PDF_PAGES:
        raise IngestError(str(path), f"{n_pages:,} pages; at most {MAX_PDF_PAGES:,} pages per document")
    for number, page in enumerate(reader.pages, start=1):
        try:
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()
        except LimitReachedError:
            raise IngestError(str(path), f"page {number}: a compressed stream expands past "
                                         f"{ZLIB_MAX_OUTPUT_LENGTH // 1_000_000} MB (a decompression bomb?)") from None


def _read_pdf_text_pages(path: Path, reader, mode: PdfReaderMode) -> tuple[list[PageText], list[int]]:
    """``(pages with text, numbers of pages without a text layer)``."""
    pages: list[PageText] = []
    missing: list[int] = []
    if mode is PdfReaderMode.GEOMETRY:
        from .pdf_geometry import read_pdf_pages

        for g in read_pdf_pages(path, PypdfText(reader)):
            if g.has_text:
                pages.append(PageText(g.page, "\n".join(g.lines)))
            else:
                missing.append(g.page)
        return pages, missing
    columns: list[int] = []
    for number, page in enumerate(reader.pages, start=1):
        raw = page.extract_text(extraction_mode="layout")
        if page_needs_ocr(raw):
            missing.append(number)
            continue
        lines, columns = layout_page_to_lines(raw, columns)
        pages.append(PageText(number, "\n".join(lines)))
    return pages, missing


def _ocr_pages(path: Path, numbers: list[int], warnings: list[str]) -> list[PageText]:
    """OCR the pages without a text layer when Tesseract is there; a warning
    per page either way."""
    from .ocr import ocr_available, ocr_pdf_pages

    ok, why = ocr_available()
    if not ok:
        warnings.extend(f"page {n}: no text layer (scanned image); not indexed: {why}" for n in numbers)
        return []
    out = []
    for n, text in ocr_pdf_pages(path, numbers).items():
        if text:
            out.append(PageText(n, text, ocr=True))
            warnings.append(f"page {n}: no text layer (scanned image); read by OCR, cited with lower trust")
        else:
            warnings.append(f"page {n}: no text layer and OCR read nothing; not indexed")
    return out


def load_pdf(path: Path, mode: PdfReaderMode | str = DEFAULT_PDF_READER) -> SourceDocument:
    """Read a PDF's pages (see :class:`PdfReaderMode`), one :class:`PageText`
    per page with text; table rows become tab-separated lines.

    Pages without a text layer (scans) are OCR'd when Tesseract is installed
    (:mod:`ingest.ocr`; ``PageText.ocr`` is set) and reported in
    ``SourceDocument.warnings`` either way.

    Raises:
        IngestError: zero-byte, corrupt, encrypted (with a non-empty
            password), image-only without OCR, or garbage-text PDFs.
    """
    from pypdf import PdfReader

    mode = PdfReaderMode.parse(mode)
    if path.stat().st_size == 0:
        raise IngestError(str(path), "empty file (0 bytes)")
    # pypdf logs warnings for every recoverable oddity; the user gets our
    # one-line errors instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    warnings: list[str] = []
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - pypdf raises several types here
                ok = 0
            if not ok:
                raise IngestError(str(path), "encrypted PDF (password required)")
        n_pages = len(reader.pages)
        _refuse_hostile(path, reader, n_pages)
        pages, missing = _read_pdf_text_pages(path, reader, mode)
        meta = reader.metadata or {}
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf/pdfminer raise many types on broken files
        raise IngestError(str(path), f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})") from None
    if not n_pages:
        raise IngestError(str(path), "PDF has no pages")
    if missing:
        pages = sorted(pages + _ocr_pages(path, missing, warnings), key=lambda p: p.page)
    if not pages:
        from .ocr import ocr_available

        ok, why = ocr_available()
        raise IngestError(str(path), "no page has a text layer (image-only or scanned PDF); "
                          + ("OCR read no text" if ok else f"cannot OCR it: {why}"))
    _check_text(path, "\n".join(p.text for p in pages))
    title = str(meta.get("/Title") or "").strip()
    extra = {}
    if meta.get("/Author"):
        extra["agency"] = str(meta["/Author"]).strip()
    if meta.get("/Subject"):
        extra["period"] = str(meta["/Subject"]).strip()
    return SourceDocument(
        doc_id=doc_id_for(path),
        title=title or guess_title(pages[0].text, path),
        source_path=str(path),
        content_hash=file_sha256(path),
        pages=pages,
        metadata=extra,
        warnings=warnings,
    )


def decode_text(path: Path, data: bytes) -> str:
    """Decode a text file's bytes: UTF-16 when it starts with a BOM, else the
    first of :data:`TEXT_ENCODINGS` that decodes strictly.

    Raises:
        IngestError: no supported encoding decodes the bytes.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError(str(path), "unknown text encoding (not UTF-8, UTF-16 or Big5/CP950)")


def load_text(path: Path) -> SourceDocument:
    """Read a ``.txt``/``.md`` file as one page.

    Form feeds (``\\f``), which some converters write between pages, split
    the text into pages.

    Raises:
        IngestError: empty file, unknown encoding, garbage text.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read file ({exc.strerror or type(exc).__name__})") from None
    if not data:
        raise IngestError(str(path), "empty file (0 bytes)")
    text = decode_text(path, data).replace("\r\n", "\n").replace("\r", "\n")
    _check_text(path, text)
    parts = text.split("\f")
    pages = [PageText(i, part) for i, part in enumerate(parts, start=1)]
    return SourceDocument(
        doc_id=doc_id_for(path),
        title=guess_title(pages[0].text, path),
        source_path=str(path),
        content_hash=hashlib.sha256(data).hexdigest(),
        pages=pages,
    )


def guess_title(first_page: str, path: Path) -> str:
    """The first line quoted in 「」 or “”, else the first non-empty line of
    at most 60 characters, else the file stem."""
    lines = [re.sub(r"\*\*|__", "", ln).strip() for ln in first_page.splitlines() if ln.strip()]  # markdown bold
    for ln in lines[:15]:
        m = re.search(r"[「“]([^」”]{4,60})[」”]", ln)
        if m:
            return m.group(1)
    for ln in lines[:15]:
        if 2 <= len(ln) <= 60 and "\t" not in ln:
            return ln
    return path.stem


def load_document(path: Path, pdf_reader: PdfReaderMode | str = DEFAULT_PDF_READER) -> SourceDocument:
    """Load one file by its suffix (``pdf_reader``: see :class:`PdfReaderMode`).

    Raises:
        IngestError: unsupported type, or any reason given by
            :func:`load_pdf` / :func:`load_text`.
    """
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return load_pdf(path, pdf_reader)
    if suffix in TEXT_SUFFIXES:
        return load_text(path)
    supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
    raise IngestError(str(path), f"unsupported file type '{suffix or '(none)'}' (supported: {supported})")
