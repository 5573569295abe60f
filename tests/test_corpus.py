"""The shipped PDF corpus (corpus/pdf, corpus/manifest.json) matches its sources.

Offline; about 15 s (pypdf extraction of ~300 pages).  Rebuild the corpus
with ``python corpus/build_pdfs.py`` if these fail after a source change.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # plain `pytest` puts tests/, not the root, on sys.path
    sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from corpus import build_pdfs  # noqa: E402
from corpus.fidelity import cjk_only, in_order_recall  # noqa: E402

CORPUS = ROOT / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
DOC_IDS = [e["doc_id"] for e in MANIFEST]
MIN_RECALL = 0.995
A4_PT = (595.2756, 841.8898)


def _entry(doc_id: str) -> dict:
    return next(e for e in MANIFEST if e["doc_id"] == doc_id)


@functools.lru_cache(maxsize=None)
def _reader(doc_id: str) -> PdfReader:
    return PdfReader(str(CORPUS / _entry(doc_id)["file"]))


@functools.lru_cache(maxsize=None)
def _page_texts(doc_id: str) -> tuple[str, ...]:
    return tuple(p.extract_text() for p in _reader(doc_id).pages)


# --------------------------------------------------------------- manifest
def test_manifest_lists_every_source_once():
    sources = sorted(p.stem for p in (CORPUS / "sources").glob("*.txt"))
    assert sorted(DOC_IDS) == sources
    assert len(set(DOC_IDS)) == len(DOC_IDS)
    assert sorted(DOC_IDS) == sorted(d["doc_id"] for d in build_pdfs.DOCS)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_manifest_entry_shape(doc_id):
    e = _entry(doc_id)
    assert set(e) == {"doc_id", "file", "title", "agency", "period", "cover_date",
                      "source_text", "pages"}
    assert e["file"] == f"pdf/{doc_id}.pdf"
    assert e["source_text"] == f"sources/{doc_id}.txt"
    assert (CORPUS / e["source_text"]).is_file()
    assert e["title"] and e["agency"] and e["period"]
    assert isinstance(e["pages"], int) and e["pages"] > 1


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_manifest_facts_appear_on_the_source(doc_id):
    """Title and agency are copied from the source text, not invented."""
    e = _entry(doc_id)
    source = (CORPUS / e["source_text"]).read_text(encoding="utf-8")
    flat = "".join(source.split())
    assert "".join(e["title"].split()) in flat
    assert e["agency"] in source


def test_manifest_known_periods():
    assert _entry("most-2018-phd-talent-training")["period"] == "106 年 9 月至 109 年 12 月"
    assert _entry("most-2018-phd-talent-training")["cover_date"] == "107 年 8 月"
    assert _entry("ey-2018-taiwan-ai-action-plan")["period"] == "2018-2021 年"
    assert _entry("moda-2025-ai-industry-adoption")["period"] == "114 年至 117 年"
    assert _entry("moea-2023-digital-talent")["period"].startswith("112 年")
    assert _entry("moeaidb-2019-aigo-intro")["cover_date"] == "108 年 6 月 11 日"


# --------------------------------------------------------------- PDFs
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_pdf_opens_with_manifest_page_count_and_metadata(doc_id):
    e = _entry(doc_id)
    reader = _reader(doc_id)
    assert len(reader.pages) == e["pages"]
    meta = reader.metadata
    assert meta.title == e["title"]
    assert meta.author == e["agency"]
    assert meta.subject == e["period"]


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_pages_are_a4_with_footer_except_cover(doc_id):
    reader = _reader(doc_id)
    texts = _page_texts(doc_id)
    assert "- 1 -" not in texts[0]
    for n, (page, text) in enumerate(zip(reader.pages, texts), start=1):
        size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert size == pytest.approx(sorted(A4_PT), abs=0.5), n
        if n > 1:
            assert f"- {n} -" in text, n


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_text_extraction_recovers_source_cjk_in_order(doc_id):
    e = _entry(doc_id)
    source = (CORPUS / e["source_text"]).read_text(encoding="utf-8")
    ratio = in_order_recall(source, "\n".join(_page_texts(doc_id)))
    print(f"{doc_id}: in-order CJK recall {ratio:.4f}")
    assert ratio >= MIN_RECALL


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_text_is_rendered_literally(doc_id):
    """Stronger than the CJK measure: with each page's ``- N -`` footer
    removed, the non-whitespace characters pypdf extracts are exactly the
    source's, in order (HTML fragments and markdown marks included)."""
    e = _entry(doc_id)
    source = "".join((CORPUS / e["source_text"]).read_text(encoding="utf-8").split())
    pages = [t.replace(f"- {n} -", "", 1) for n, t in enumerate(_page_texts(doc_id), start=1)]
    extracted = "".join("".join(pages).split())
    assert extracted == source


def test_budget_table_cells_survive_extraction():
    """A 千元 budget row of most-2018 (分項二 108 年度) comes out cell by cell."""
    text = "\n".join(_page_texts("most-2018-phd-talent-training"))
    assert "350,000\n116,000\n0\n234,000" in text


# --------------------------------------------------------------- fidelity measure
def test_cjk_only_ignores_punctuation_latin_and_digits():
    assert cjk_only("計畫（一）：AI 經費 1,234 千元。\U00020000") == "計畫一經費千元\U00020000"


def test_in_order_recall_counts_order_and_loss():
    src = "重點產業高階人才培訓與就業計畫"
    assert in_order_recall(src, src) == 1.0
    assert in_order_recall(src, "- 3 -\n重點產業 高階人才\n培訓與就業計畫") == 1.0
    assert in_order_recall(src, src[::-1]) < 0.2
    assert in_order_recall(src, src[:-3]) == pytest.approx(12 / 15)
    assert in_order_recall("", "任何") == 1.0


def test_in_order_recall_window_bounds_the_look_ahead():
    src = "甲乙"
    far = "丙" * 50 + "甲乙"
    assert in_order_recall(src, far, window=10) == 0.0
    assert in_order_recall(src, far, window=100) == 1.0
    with pytest.raises(ValueError):
        in_order_recall(src, far, window=0)


# --------------------------------------------------------------- layout rules
@pytest.mark.parametrize("line,level", [
    ("第一部分", 0),
    ("壹、基本資料表", 1),
    ("一、 緣起", 2),
    ("（三）細部計畫", 3),
    ("(一) 養成千人智慧科技菁英", 3),
    ("1. 環境建構與改善", 4),
    ("2、具AI技術基礎能力", 4),
    ("(2) 整體計畫經費", 5),
    ("表 8：各行動子計畫年度經費", 3),
    ("圖 17: AI Ecosystem 產業標準與設計框架", 3),
    ("1.5 倍成長", None),
    ("- 一、計畫背景與目的", None),
    ("壹、計畫緣起.....", None),
    ("108 年度", None),
    ("本計畫期程自 114 年至 117 年", None),
])
def test_heading_level(line, level):
    assert build_pdfs.heading_level(line) == level


def test_parse_blocks_tables_cover_and_lines():
    text = ("\n標題\n\n107 年 8 月\n目錄\n壹、背景\t1\n\n一、緣起\n第一行\n第二行\n\n"
            "計畫\t106 年度\t\t\n \t \n分項一\t10,000\n")
    blocks = build_pdfs.parse_blocks(text)
    assert blocks[0].kind == "cover" and "標題" in blocks[0].lines
    kinds = [b.kind for b in blocks[1:]]
    assert kinds == ["para", "table", "gap", "heading", "para", "para", "gap", "table", "gap"]
    table = blocks[-2].rows
    assert table == [["計畫", "106 年度", "", ""], ["分項一", "10,000", "", ""]]


def test_column_widths_keep_numbers_on_one_line():
    font = build_pdfs.register_fonts().main
    rows = [["分項二：AI 智慧應用暨新世代人才培育推動" * 3, "1,234,567"]] * 2
    widths = build_pdfs.column_widths(rows, font, 8, 480)
    number = build_pdfs.pdfmetrics.stringWidth("1,234,567", font, 8)
    assert sum(widths) == pytest.approx(480)
    assert widths[1] >= number + build_pdfs.CELL_HPAD
    assert build_pdfs.column_widths([["國" * 4] * 40], font, 8, 480) is None
