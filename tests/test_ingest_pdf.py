"""Ingesting PDFs the tests build themselves (reportlab, CID font MSung-Light):
pages, section paths, and table chunks that carry their title, unit line and
header rows — also when the table continues onto the next page."""
from __future__ import annotations

import re
from pathlib import Path

from ingest.chunking import chunk_document
from ingest.clean import clean_pages
from ingest.loaders import load_document
from ingest.pipeline import ingest_paths
from ingest.store import PlanIndex, rows_of
from ingest.tokenize import PlanTokenizer


def _chunks(pdf: Path):
    doc = load_document(pdf)
    return doc, chunk_document(doc.doc_id, clean_pages([(p.page, p.text) for p in doc.pages]))


def _cell(chunk, row_label: str, column: str) -> str:
    """The cell at (row whose first cell is ``row_label``, header column
    ``column``) of a table chunk, read from its stored rows."""
    rows = rows_of(chunk)
    header = rows[0]
    row = next(r for r in rows if r and r[0] == row_label)
    return row[header.index(column)]


def test_pages_are_one_based_and_sections_nest(plan_pdf):
    doc, chunks = _chunks(plan_pdf)
    assert [p.page for p in doc.pages] == [1, 2]
    assert doc.title == "測試計畫"  # the PDF's /Title

    background = next(c for c in chunks if "培育人工智慧人才" in c.text)
    assert (background.page, background.page_end) == (1, 1)
    assert background.section_path == ["壹、計畫緣起", "一、背景說明"]

    staffing = next(c for c in chunks if "專任研究人員" in c.text)
    assert staffing.page == 2
    # (二) replaces its sibling (一); 貳、 replaced 壹、 and its children.
    assert staffing.section_path == ["貳、計畫內容", "一、經費規劃", "(二)人力配置"]
    assert staffing.section == "貳、計畫內容 > 一、經費規劃 > (二)人力配置"
    assert [c.position for c in chunks] == list(range(len(chunks)))


def test_budget_table_chunk_holds_title_unit_header_and_cell(plan_pdf):
    _, chunks = _chunks(plan_pdf)
    tables = [c for c in chunks if c.chunk_type == "table"]
    assert len(tables) == 1
    table = tables[0]
    assert table.page == 2
    assert table.section_path == ["貳、計畫內容", "一、經費規劃", "(一)經費需求", "表 1、經費需求表"]
    assert table.table_title == "表 1、經費需求表"
    assert table.table_unit == "千元"
    lines = table.text.split("\n")
    assert lines[0] == "表 1、經費需求表"
    assert "單位:千元" in lines  # NFKC folds the full-width colon
    assert "分項\t108 年度\t109 年度" in lines
    assert "分項二\t350,000\t365,000" in lines
    assert table.table_header == "分項\t108 年度\t109 年度"
    # The stored rows address the asked value by row label and column header.
    assert _cell(table, "分項二", "109 年度") == "365,000"
    assert _cell(table, "分項一", "108 年度") == "390,000"
    # The prose above the caption stays prose, under the same section.
    intro = next(c for c in chunks if "如下表所示" in c.text)
    assert intro.chunk_type == "text" and intro.section_path == table.section_path[:-1]


def test_table_continuing_on_next_page_keeps_title_and_headers(make_pdf):
    rows = [["項目", "108 年度", "109 年度"]]
    rows += [[f"工作項目{i:02d}", f"{1000 + 10 * i:,}", f"{2000 + 10 * i:,}"] for i in range(1, 70)]
    pdf = make_pdf("long.pdf", [
        ("h", "壹、長表測試"),
        ("p", "表 2、分項工作經費表"),
        ("p", "單位：千元"),
        ("table", rows),
        ("p", "以上為各工作項目之經費。"),
    ])
    doc, chunks = _chunks(pdf)
    assert len(doc.pages) >= 2
    tables = [c for c in chunks if c.chunk_type == "table"]
    later = [c for c in tables if c.page >= 2]
    assert later, "the table should reach page 2"
    for chunk in tables:
        lines = chunk.text.split("\n")
        assert lines[0] == "表 2、分項工作經費表"
        assert "單位:千元" in lines
        assert "項目\t108 年度\t109 年度" in lines
        assert chunk.table_unit == "千元"
        assert chunk.section_path == ["壹、長表測試", "表 2、分項工作經費表"]
    # Every row is in exactly one chunk, with its own figures, in order.
    body = [ln for c in tables for ln in c.text.split("\n")[3:]]
    assert body == ["\t".join(r) for r in rows[1:]]
    row50 = next(c for c in tables if "工作項目50\t" in c.text)
    assert _cell(row50, "工作項目50", "109 年度") == "2,500"
    # Pages follow the rows: the chunk holding the last row ends on page 2+.
    assert tables[-1].page_end >= 2 and tables[0].page == 1
    tail = next(c for c in chunks if "以上為各工作項目之經費" in c.text)
    assert tail.chunk_type == "text" and tail.page == len(doc.pages) >= tables[-1].page_end


def test_a_label_spanning_rows_heads_every_chunk_the_table_is_cut_into(make_pdf):
    """A 分項 printed once over its work items (a spanned cell) is repeated
    in the first row of each later chunk of the table, so that every figure
    keeps its 分項; a total row is never given the label above it."""
    from assistant.figures.cells import table_cells

    rows = [["分項", "工作項目", "108 年度"]]
    for part in ("分項一", "分項二"):
        rows += [[part if i == 1 else "", f"{part}工作項目{i:02d}：推動產業人才培育與媒合服務", f"{100 * i:,}"]
                 for i in range(1, 36)]
    rows += [["合計", "", "12,600"]]
    pdf = make_pdf("spanned.pdf", [("h", "壹、跨列標籤"), ("p", "表 3、工作項目經費"), ("p", "單位：千元"),
                                   ("table", rows)])
    _, chunks = _chunks(pdf)
    tables = [c for c in chunks if c.chunk_type == "table"]
    assert len(tables) >= 3
    for chunk in tables:
        first = rows_of(chunk)[1]
        assert first[0] in ("分項一", "分項二", "合計"), first
    cells = [cell for c in tables for cell in table_cells(c)]
    items = [cell for cell in cells if "工作項目" in cell.row_label]
    assert len(items) == 70
    # each figure's row label names its own 分項 first: 「分項二 分項二工作項目07：…」
    assert all(cell.row_label.split()[0] == cell.row_label.split()[1][:3] for cell in items)
    total = next(cell for cell in cells if cell.value == "12,600")
    assert total.row_label == "合計"


def test_pdf_through_pipeline_into_chroma(plan_pdf, tmp_path):
    index = PlanIndex(tmp_path / "db")
    report = ingest_paths([plan_pdf], index)
    assert report.errors == []
    assert report.added == ["plan"] and report.pages == 2 and report.tables == 1
    [rec] = index.list_documents()
    assert (rec.doc_id, rec.title, rec.pages, rec.agency) == ("plan", "測試計畫", 2, "測試機關")
    stored = [c for c, _ in index.all_chunks()]
    assert len(stored) == report.chunks == rec.chunks
    table = next(c for c in stored if c.chunk_type == "table")
    # Metadata survives the Chroma round trip.
    assert table.page == 2
    assert table.section == "貳、計畫內容 > 一、經費規劃 > (一)經費需求 > 表 1、經費需求表"
    assert (table.table_title, table.table_unit) == ("表 1、經費需求表", "千元")
    assert _cell(table, "分項二", "109 年度") == "365,000"
    # BM25 over jieba words finds the table for a question about its cell.
    bm25 = index.bm25("words")
    scores = bm25.scores(PlanTokenizer().words("分項二 109 年度經費"))
    assert bm25.ids[int(scores.argmax())] == table.chunk_id


def test_chunks_cut_from_a_line_rejoined_across_pages_have_their_own_page(make_pdf):
    # Short source lines ending mid-sentence (「，」), as converters leave
    # them, one paragraph each over three pages: the cleaner rejoins them
    # into one logical line across the page breaks, and every chunk cut from
    # it must give the pages its first and last sentences are printed on.
    paragraphs = [f"第{k:03d}項完成。第{k:03d}項之後續工作為推動人才培育，" for k in range(1, 131)]
    pdf = make_pdf("broken-lines.pdf", [("h", "壹、工作項目"), *(("p", t) for t in paragraphs)])
    doc, chunks = _chunks(pdf)
    assert len(doc.pages) >= 3
    page_of = {}
    for p in doc.pages:
        for k in re.findall(r"第(\d{3})項完成", "".join(p.text.split())):
            page_of.setdefault(f"第{k}項", p.page)
    assert len(page_of) == len(paragraphs)  # each paragraph is on one page
    lines = clean_pages([(p.page, p.text) for p in doc.pages])
    assert any(ln.page_starts for ln in lines), "the test needs a line rejoined across a page break"
    assert len(chunks) > 5
    for c in chunks:
        items = re.findall(r"第\d{3}項", c.text)
        assert c.page == page_of[items[0]], (c.position, c.page, items[0])
        assert c.page_end == page_of[items[-1]], (c.position, c.page_end, items[-1])
    assert {c.page for c in chunks} == set(range(1, len(doc.pages) + 1))


def test_bare_numbers_inside_a_page_are_content_not_page_numbers():
    # As pypdf + ingest.layout give them: a table whose last rows have only
    # their first cell filled comes out as lone lines (corpus
    # most-2018-phd-talent-training, p. 15).
    pages = [
        (1, "申購儀器送審彙總表\n\n年度\t儀器名稱\t總價\n\n108\n\n總 計\n\n109\n\n總 計\n"
            "填表說明：\n\n1. 本表中儀器名稱以中文為主。\n\n2. 單價以千元計。\n\n- 1 -"),
        (2, "3\n\n本計畫自 2000 年起執行。\n\n計畫期程共四年。\n\n- 2 -"),
    ]
    texts = [ln.text for ln in clean_pages(pages)]
    joined = "\n".join(texts)
    assert "108" in joined and "109" in joined  # inside the page: kept
    assert "- 1 -" not in joined and "- 2 -" not in joined and "3" not in texts  # page furniture: removed
