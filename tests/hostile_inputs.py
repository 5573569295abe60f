"""Hostile PDFs (issue 14), built on demand: a 5,000-page PDF, a
decompression bomb, a cyclic page tree and 50,000-deep nested arrays.

Not a test module; used by ``tests/test_ingest_bad_input.py`` and
``benchmarks/reliability.py``.
"""
from __future__ import annotations

from pathlib import Path

from pypdf import PdfWriter

#: name -> the reason (regular expression) the loader must give.
HOSTILE_PDFS = {
    "5000-pages.pdf": r"5,000 pages; at most 2,000 pages per document",
    "decompression-bomb.pdf": r"page 1: a compressed stream expands past 75 MB \(a decompression bomb\?\)",
    "cyclic-page-tree.pdf": r"corrupt or unreadable PDF \(PdfReadError: Detected cyclic page references\.\)",
    "deeply-nested.pdf": r"no text layer|corrupt or unreadable PDF",
}


def pdf_of(objects: list[bytes]) -> bytes:
    """A PDF of these object bodies (object 1 the catalog) with a correct
    cross-reference table."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def write_hostile_pdfs(files: dict[str, Path]) -> None:
    """Write the PDFs of :data:`HOSTILE_PDFS` to ``files[name]``."""
    import zlib

    writer = PdfWriter()
    for _ in range(5000):
        writer.add_blank_page(595, 842)
    writer.write(files["5000-pages.pdf"])
    text = b"BT /F1 12 Tf 72 720 Td (Plan budget 350000) Tj ET"
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >>"
    bomb = zlib.compress(b" " * (200 * 1024 * 1024), 9)  # 200 MB of spaces in 200 KB
    files["decompression-bomb.pdf"].write_bytes(pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page + b" >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream", font]))
    stream = b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream"
    files["cyclic-page-tree.pdf"].write_bytes(pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        page + b" >> >>", stream, font]))
    depth = 50_000
    files["deeply-nested.pdf"].write_bytes(pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page + b" /Deep " + b"[" * depth + b"]" * depth + b" >> >>", stream, font]))
