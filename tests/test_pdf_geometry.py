"""Reading PDFs by geometry (issue 11): bordered tables with wrapped cells and
multi-level headers, tables across pages, borderless tables, two-column
pages, scanned pages (OCR or reported), and the Chromium rendering of a
shipped plan — all on PDFs the tests build."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from assistant.figures.cells import table_cells
from ingest.chunking import chunk_document
from ingest.clean import clean_pages
from pypdf import PdfReader

from ingest.loaders import PdfReaderMode, PypdfText, load_document
from ingest.pdf_geometry import GeometryPage, furniture_keys, read_pdf_pages
from ingest.store import rows_of
from tests.conftest import CID_FONT

REPO = Path(__file__).resolve().parent.parent
UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
LONG_LABEL = "分項二：AI 智慧應用暨新世代人才培育推動"


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _chunks(pdf: Path, mode: PdfReaderMode = PdfReaderMode.GEOMETRY):
    doc = load_document(pdf, mode)
    return doc, chunk_document(doc.doc_id, clean_pages([(p.page, p.text) for p in doc.pages]))


#: The embedded TrueType font of the shipped PDFs (corpus/build_pdfs.py): Word,
#: LibreOffice and browsers embed their fonts, so the test PDFs do too.
FONT = "UMingTW"
pytestmark = pytest.mark.skipif(not UMING.exists(), reason="needs Debian fonts-arphic-uming (.ci/run installs it)")


def _styles(font: str = FONT):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(UMING), subfontIndex=2))
    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    body = ParagraphStyle(f"body-{font}", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    cell = ParagraphStyle(f"cell-{font}", fontName=font, fontSize=9, leading=11, wordWrap="CJK")
    return body, cell


def _footer(canvas, doc):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm

    canvas.setFont(FONT, 8)
    canvas.drawString(2 * cm, A4[1] - 1 * cm, "測試計畫書（核定本）")  # a running header
    canvas.drawCentredString(A4[0] / 2, 1 * cm, f"第 {doc.page} 頁")


def _build(path: Path, story) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                      bottomMargin=2 * cm, title="測試計畫").build(story, onFirstPage=_footer, onLaterPages=_footer)
    return path


def _grid_table(rows, widths=None, spans=(), grid=True, repeat_rows=0, font=FONT):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    _, cell = _styles(font)
    t = Table([[Paragraph(c, cell) for c in r] for r in rows], colWidths=widths, repeatRows=repeat_rows)
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 4),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    if grid:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    style += [("SPAN", a, b) for a, b in spans]
    t.setStyle(TableStyle(style))
    return t


# A three-level header (年度 × 經常支出 × 人事費/其他費用) with spanned cells,
# and row labels that wrap onto several lines in a narrow first column.
BUDGET_ROWS = [
    ["計畫名稱", "108 年度", "", "", "109 年度", "", ""],
    ["", "小計", "經常支出", "", "小計", "經常支出", ""],
    ["", "", "人事費", "其他費用", "", "人事費", "其他費用"],
    ["分項一：重點產業高階人才培訓與就業計畫", "390,000", "0", "390,000", "390,000", "0", "390,000"],
    [LONG_LABEL, "350,000", "116,000", "234,000", "350,000", "116,000", "234,000"],
]
BUDGET_SPANS = [((1, 0), (3, 0)), ((4, 0), (6, 0)), ((0, 0), (0, 2)), ((2, 1), (3, 1)), ((5, 1), (6, 1)),
                ((1, 1), (1, 2)), ((4, 1), (4, 2))]


def test_bordered_table_with_wrapped_cells_and_three_level_header(tmp_path):
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph

    body, _ = _styles()
    story = [Paragraph("表 1、經費需求表", body), Paragraph("單位：千元", body),
             _grid_table(BUDGET_ROWS, widths=[2.6 * cm] + [2.0 * cm] * 6, spans=BUDGET_SPANS)]
    pdf = _build(tmp_path / "wrapped.pdf", story)
    # pypdf's text breaks the wrapped label into pieces: the reason for the geometry reader
    _, pypdf_chunks = _chunks(pdf, PdfReaderMode.PYPDF)
    assert not any(r and r[0] == LONG_LABEL for c in pypdf_chunks if c.chunk_type == "table" for r in rows_of(c))
    _, chunks = _chunks(pdf)
    (table,) = [c for c in chunks if c.chunk_type == "table"]
    assert table.table_title == "表 1、經費需求表" and table.table_unit == "千元"
    rows = rows_of(table)
    first, second = nfkc("分項一：重點產業高階人才培訓與就業計畫"), nfkc(LONG_LABEL)  # cleaning folds ： to :
    assert [r[0] for r in rows[3:]] == [first, second]
    assert len(table.table_header.split("\n")) == 3  # the three header rows stay header rows
    cells = {(c.row_label, c.column): c.value for c in table_cells(table)}
    assert cells[(second, "108 年度 經常支出 人事費")] == "116,000"
    assert cells[(second, "109 年度 經常支出 其他費用")] == "234,000"
    assert cells[(first, "108 年度 小計")] == "390,000"


def test_table_continued_on_next_page_is_one_table_without_repeated_header(tmp_path):
    from reportlab.platypus import Paragraph, Spacer

    body, _ = _styles()
    rows = [["編號", "培訓單位", "核定人數"]] + [[str(i), f"第{i}培訓單位", f"{10 + i}"] for i in range(1, 71)]
    story = [Paragraph("表 2、核定名單", body), Spacer(1, 400), _grid_table(rows, repeat_rows=1),
             Paragraph("以上共七十個單位。", body)]
    pdf = _build(tmp_path / "long.pdf", story)
    pages = read_pdf_pages(pdf)
    assert len(pages) >= 2 and pages[0].ends_with_table and pages[1].starts_with_table
    _, chunks = _chunks(pdf)
    tables = [c for c in chunks if c.chunk_type == "table"]
    assert {c.table_title for c in tables} == {"表 2、核定名單"}
    data = [r for c in tables for r in rows_of(c)[len(c.table_header.split("\n")):]]
    assert [r[0] for r in data] == [str(i) for i in range(1, 71)]  # every row once, header not among them
    assert tables[-1].page_end >= 2


FORM_TOP = [["審議編號", "108-1901-06-20-01", "", ""], ["資源投入", "年度", "經費(千元)", "人力(人/年)"],
            ["", "106", "10,000", "3"]]
FORM_BOTTOM = [["法定預算數", "107", "390,000", "10"], ["", "合計", "400,000", "13"]]


@pytest.mark.parametrize("gap, text, tables", [(6, "", 1), (24, "", 1), (6, "下表接續上表。", 2), (60, "", 2)])
def test_a_form_drawn_as_two_boxes_close_together_is_one_table(tmp_path, gap, text, tables):
    """A browser prints one form split at a wrapped row-spanning label as two
    boxes a few points apart, inner column widths sized to each box's text
    (the Chromium rendering of the A003 form); LibreOffice leaves an empty
    strip of about 24 pt there: read as one table, so that the block's
    header row stays over its figure rows. Boxes with a line of text between
    them, or far apart, stay two tables."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Spacer

    body, _ = _styles()
    top = _grid_table(FORM_TOP, widths=[3.0 * cm, 4.0 * cm, 5.0 * cm, 5.0 * cm])
    bottom = _grid_table(FORM_BOTTOM, widths=[3.0 * cm, 5.0 * cm, 4.5 * cm, 4.5 * cm])
    between = [Paragraph(text, body)] if text else []
    pdf = _build(tmp_path / f"form-{gap}-{tables}.pdf", [top, Spacer(1, gap), *between, bottom])
    lines = read_pdf_pages(pdf)[0].lines
    rows = lines[next(i for i, ln in enumerate(lines) if ln.startswith("審議編號")):]
    blocks = [b for b in "\n".join(rows).split("\n\n") if "\t" in b]
    assert len(blocks) == tables, rows
    assert [ln.split("\t")[2] for ln in rows if "\t" in ln][2:] == ["10,000", "390,000", "400,000"]


def test_borderless_aligned_table_and_page_furniture(tmp_path):
    from reportlab.platypus import Paragraph

    body, _ = _styles()
    rows = [["年度", "培訓人數", "就業人數"], ["108", "330", "300"], ["109", "340", "310"]]
    story = [Paragraph("表 3、培訓成果", body), Paragraph("本表列出各年度培訓與就業人數。", body),
             _grid_table(rows, grid=False)]
    pdf = _build(tmp_path / "borderless.pdf", story)
    doc, chunks = _chunks(pdf)
    text = "\n".join(p.text for p in doc.pages)
    assert "108\t330\t300" in text and "109\t340\t310" in text
    (table,) = [c for c in chunks if c.chunk_type == "table"]
    assert rows_of(table)[0] == ["年度", "培訓人數", "就業人數"]


def test_page_whose_font_pdfminer_misreads_is_read_by_pypdf(tmp_path):
    """reportlab's non-embedded CID font MSung-Light: pdfminer decodes it to
    other characters, pypdf right — the page falls back to pypdf."""
    from reportlab.platypus import Paragraph

    body, _ = _styles(CID_FONT)
    rows = [["分項", "108 年度"], ["分項一", "390,000"]]
    pdf = _build(tmp_path / "cid.pdf", [Paragraph("表 4、經費表", body), _grid_table(rows, font=CID_FONT)])
    (page,) = read_pdf_pages(pdf, PypdfText(PdfReader(str(pdf))))
    assert page.reader == "pypdf"
    text = "\n".join(p.text for p in load_document(pdf).pages)
    assert "表 4、經費表" in text and "分項一\t390,000" in text


def test_running_headers_and_footers_are_dropped(tmp_path):
    from reportlab.platypus import PageBreak, Paragraph

    body, _ = _styles()
    story = []
    for i in range(4):
        story += [Paragraph(f"第{i + 1}章的內容說明，介紹計畫的推動方式。", body), PageBreak()]
    pdf = _build(tmp_path / "furniture.pdf", story[:-1])
    doc = load_document(pdf)
    text = "\n".join(p.text for p in doc.pages)
    assert "測試計畫書（核定本）" not in text and "第 2 頁" not in text
    assert "第3章的內容說明" in text.replace(" ", "")
    two = [GeometryPage(n, ["x 1/9"], band_keys={"x#/#"}) for n in (1, 2)]
    assert furniture_keys(two) == set()  # under 3 pages nothing is furniture
    assert furniture_keys(two + [GeometryPage(3, ["x 3/9"], band_keys={"x#/#"})]) == {"x#/#"}


def test_two_column_page_reads_column_by_column(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    body, _ = _styles()
    width = (A4[0] - 4 * cm - 1 * cm) / 2
    frames = [Frame(2 * cm, 2 * cm, width, A4[1] - 4 * cm, id="left"),
              Frame(2 * cm + width + 1 * cm, 2 * cm, width, A4[1] - 4 * cm, id="right")]
    doc = BaseDocTemplate(str(tmp_path / "columns.pdf"), pagesize=A4, pageTemplates=[PageTemplate("two", frames)])
    left = [Paragraph(f"左欄第{i}段：申請資格為國內公私立大學校院之博士，須具中華民國國籍。", body) for i in range(1, 9)]
    right = [Paragraph(f"右欄第{i}段：培訓期間每人每月補助六萬元，最長十二個月。", body) for i in range(1, 9)]
    from reportlab.platypus import FrameBreak

    doc.build(left + [FrameBreak()] + right)
    text = "".join("\n".join(p.text for p in load_document(tmp_path / "columns.pdf").pages).split())
    assert "左欄第1段" in text and "右欄第1段" in text
    assert text.index("左欄第8段") < text.index("右欄第1段")  # the whole left column first
    assert "申請資格為國內公私立大學校院之博士，須具中華民國國籍。" in text  # lines not interleaved


def _image_page_pdf(path: Path, text: str) -> Path:
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (1654, 600), 255)  # 200 dpi across A4's width
    font = ImageFont.truetype(str(UMING), 33)  # 12 pt body text at 200 dpi, as a scanner gives it
    draw = ImageDraw.Draw(img)
    for i, line in enumerate([text, "申請單位應於期限內提出申請，逾期不予受理。", "本計畫由經濟部主辦。"]):
        draw.text((160, 120 + 60 * i), line, font=font, fill=0)
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(img), 0, A4[1] - 600 * 72 / 200, width=A4[0], height=600 * 72 / 200)
    c.showPage()
    c.save()
    return path


def test_scanned_page_is_reported_and_read_by_ocr_when_tesseract_is_installed(tmp_path, monkeypatch):
    from ingest import ocr
    from ingest.errors import IngestError

    from reportlab.platypus import Paragraph

    text_pdf = _build(tmp_path / "text.pdf", [Paragraph("第一頁是文字：本計畫培育人工智慧人才。", _styles()[0])])
    scan = _image_page_pdf(tmp_path / "scan_page.pdf", "人工智慧人才培育計畫")
    from pypdf import PdfWriter

    writer = PdfWriter()
    for f in (text_pdf, scan):
        writer.append(PdfReader(str(f)))
    mixed = tmp_path / "mixed.pdf"
    writer.write(str(mixed))

    # without Tesseract: the page is reported, the text page still indexed
    monkeypatch.setattr(ocr, "ocr_available", lambda: (False, "Tesseract is not installed"))
    doc = load_document(mixed)
    assert [p.page for p in doc.pages] == [1]
    assert doc.warnings == ["page 2: no text layer (scanned image); not indexed: Tesseract is not installed"]
    with pytest.raises(IngestError, match="no page has a text layer .* cannot OCR it: Tesseract is not installed"):
        load_document(scan)
    monkeypatch.undo()

    ok, why = ocr.ocr_available()
    if not ok:
        pytest.skip(f"OCR path needs Tesseract: {why} (.ci/run installs it)")
    doc = load_document(mixed)
    assert [(p.page, p.ocr) for p in doc.pages] == [(1, False), (2, True)]
    assert "人工智慧" in doc.pages[1].text.replace(" ", "")
    assert "read by OCR" in doc.warnings[0]
    from ingest.pipeline import mark_ocr_chunks

    chunks = chunk_document(doc.doc_id, clean_pages([(p.page, p.text) for p in doc.pages]))
    mark_ocr_chunks(chunks, {2})
    assert any(c.ocr and "人工智慧" in c.text.replace(" ", "") for c in chunks)


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian chromium (.ci/run installs it)")
def test_known_cells_of_a_shipped_plan_from_its_chromium_rendering(tmp_path):
    import sys

    sys.path.insert(0, str(REPO / "corpus"))
    try:
        from build_pdfs import DOCS, SOURCES_DIR, parse_blocks
        from renderings import render_chromium
    finally:
        sys.path.pop(0)
    meta = next(d for d in DOCS if d["doc_id"] == "most-2018-phd-talent-training")
    blocks = parse_blocks((SOURCES_DIR / f"{meta['doc_id']}.txt").read_text(encoding="utf-8"))
    pdf = render_chromium(meta, blocks, tmp_path)
    _, chunks = _chunks(pdf)
    cells = [c for ch in chunks if ch.chunk_type == "table" for c in table_cells(ch)]

    def find(row: str, column: str) -> set[str]:
        return {c.value for c in cells if row in c.row_label and c.column == column}

    assert "116,000" in find("分項二", "108 年度 經常支出 人事費")
    assert "234,000" in find("分項二", "109 年度 經常支出 其他費用")
    assert "350,000" in find("分項二", "108 年度 小計")
    text = "\n".join(c.text for c in chunks)
    assert "file://" not in text and "PM 重點產業" not in text  # the browser's print header and footer
