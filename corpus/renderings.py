"""Render the shipped plans as real-world producers would: Chromium printing
HTML with bordered tables, and LibreOffice converting a Word document.

The shipped PDFs (``corpus/pdf``) come from reportlab (``build_pdfs.py``) and
ingestion was first tuned on them. Plans users bring come out of browsers and
word processors: bordered tables whose cells wrap onto several lines, running
headers and footers. These renderings give the same five texts in those
shapes so that ingestion can be measured on them (issue 11). They are built on
demand into a folder of the caller's, never committed.

Usage::

    python corpus/build_pdfs.py --engine chromium --out build/renderings/chromium
    python corpus/build_pdfs.py --engine libreoffice --out build/renderings/libreoffice

Both read the sources through :func:`build_pdfs.parse_blocks` (one block
model: cover lines, headings, paragraphs, tables) and keep the file names
``<doc_id>.pdf``, so benchmark items (keyed by ``doc``) apply unchanged.

Requirements: Debian ``chromium`` (``/usr/bin/chromium``) for ``chromium``;
Debian ``libreoffice-writer-nogui`` (``soffice``) and PyPI ``python-docx`` for
``libreoffice``; a CJK font (Debian ``fonts-arphic-uming``) for both.
"""
from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path

#: Cell font size of both renderings (pt): the 9 pt of the issue's Chromium probe.
TABLE_FONT_PT = 9
#: Body font size (pt): a common Word default for Chinese government documents.
BODY_FONT_PT = 11
#: CJK font family installed by Debian ``fonts-arphic-uming``.
CJK_FONT = "AR PL UMing TW"
#: Chromium flags: headless printing with no network, as in the README's
#: browser-test notes; the default print header and footer (date, title,
#: URL, "n/N") are kept on purpose — they are running headers and footers a
#: reader must drop.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
#: Seconds one conversion may take before it is reported as failed.
CONVERT_TIMEOUT_S = 300

_CSS = f"""
@page {{ size: A4; margin: 2cm 1.8cm; }}
body {{ font-family: "{CJK_FONT}", serif; font-size: {BODY_FONT_PT}pt; line-height: 1.5; }}
h1 {{ font-size: 18pt; }} h2 {{ font-size: 15pt; }} h3 {{ font-size: 13pt; }}
h4, h5, h6 {{ font-size: {BODY_FONT_PT}pt; }}
table {{ border-collapse: collapse; width: 100%; margin: 6pt 0; font-size: {TABLE_FONT_PT}pt; }}
td {{ border: 1px solid #000; padding: 2pt 3pt; vertical-align: top; }}
.cover {{ text-align: center; font-size: 16pt; page-break-after: always; }}
"""


def blocks_to_html(blocks, title: str) -> str:
    """One HTML page for a document's blocks (escaped; tables bordered)."""
    out = [f"<!DOCTYPE html><html lang='zh-Hant'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
           f"<style>{_CSS}</style></head><body>"]
    for b in blocks:
        if b.kind == "cover":
            out.append("<div class='cover'>" + "".join(f"<p>{html.escape(x)}</p>" for x in b.lines if x) + "</div>")
        elif b.kind == "heading":
            out.append(f"<h{min(b.level + 1, 6)}>{html.escape(b.text)}</h{min(b.level + 1, 6)}>")
        elif b.kind == "para":
            out.append(f"<p>{html.escape(b.text)}</p>")
        elif b.kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c.strip())}</td>" for c in r) + "</tr>" for r in b.rows)
            out.append(f"<table>{rows}</table>")
    out.append("</body></html>")
    return "\n".join(out)


def render_chromium(doc: dict, blocks, out_dir: Path, chromium: str = "/usr/bin/chromium") -> Path:
    """Print one document to ``out_dir/<doc_id>.pdf`` with headless Chromium.

    Args:
        doc: ``{"doc_id", "title", …}`` (an entry of ``build_pdfs.DOCS``).
        blocks: the document's ``build_pdfs.parse_blocks`` output.
        out_dir: existing output folder.

    Raises:
        RuntimeError: Chromium is missing or the print failed (one line).
    """
    if not Path(chromium).exists() and not shutil.which(chromium):
        raise RuntimeError(f"{chromium}: not installed (Debian package chromium)")
    out = out_dir / f"{doc['doc_id']}.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / f"{doc['doc_id']}.html"
        page.write_text(blocks_to_html(blocks, doc["title"]), encoding="utf-8")
        cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}",
               page.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=CONVERT_TIMEOUT_S)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"{doc['doc_id']}: chromium print failed: {proc.stderr.strip().splitlines()[-1:]}")
    return out


def blocks_to_docx(blocks, title: str, path: Path) -> None:
    """Write a document's blocks as a Word file (``Table Grid`` tables, 9 pt cells)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = Document()
    d.core_properties.title = title
    normal = d.styles["Normal"]
    normal.font.size = Pt(BODY_FONT_PT)
    normal.font.name = CJK_FONT
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    for b in blocks:
        if b.kind == "cover":
            for line in b.lines:
                if line:
                    d.add_paragraph(line)
            d.add_page_break()
        elif b.kind == "heading":
            d.add_heading(b.text, level=min(b.level + 1, 9))
        elif b.kind == "para":
            d.add_paragraph(b.text)
        elif b.kind == "gap":
            d.add_paragraph("")  # also keeps two tables apart: Word joins tables with nothing between
        elif b.kind == "table":
            t = d.add_table(rows=len(b.rows), cols=len(b.rows[0]))
            t.style = "Table Grid"
            for r, row in enumerate(b.rows):
                for c, cell in enumerate(row):
                    p = t.cell(r, c).paragraphs[0]
                    run = p.add_run(cell.strip())
                    run.font.size = Pt(TABLE_FONT_PT)
    for style in ("Heading 1", "Heading 2", "Heading 3", "Heading 4", "Heading 5", "Heading 6", "Title"):
        if style in d.styles:
            d.styles[style].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)
    d.save(str(path))


def render_libreoffice(doc: dict, blocks, out_dir: Path, soffice: str = "soffice") -> Path:
    """Write ``<doc_id>.docx`` with python-docx and convert it with LibreOffice
    to ``out_dir/<doc_id>.pdf`` (arguments as :func:`render_chromium`).

    Raises:
        RuntimeError: LibreOffice or python-docx missing, or the conversion failed.
    """
    if not shutil.which(soffice):
        raise RuntimeError(f"{soffice}: not installed (Debian package libreoffice-writer-nogui)")
    try:
        import docx  # noqa: F401
    except ImportError:
        raise RuntimeError("python-docx is not installed (pip install python-docx)") from None
    out = out_dir / f"{doc['doc_id']}.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{doc['doc_id']}.docx"
        blocks_to_docx(blocks, doc["title"], src)
        cmd = [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
               "--outdir", str(out_dir), str(src)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=CONVERT_TIMEOUT_S)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"{doc['doc_id']}: libreoffice conversion failed: {proc.stderr.strip()[-200:]}")
    return out


#: Engines other than the shipped reportlab build, by ``--engine`` name.
ENGINES = {"chromium": render_chromium, "libreoffice": render_libreoffice}
