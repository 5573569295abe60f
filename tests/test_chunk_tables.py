"""Table chunks read alone: a table split into several chunks repeats what
its rows sit under."""
from __future__ import annotations

from ingest.chunking import chunk_document
from ingest.clean import clean_pages
from ingest.tables import is_block_header

# A form (基本資料表) whose resource block has a header row of its own in
# the middle of the table, as the A003 form prints it.
FORM = ("壹、基本資料表\n審議編號\t108-1901-06\n計畫名稱\t測試計畫\n"
        "資源投入\t年度\t經費(千元)\t人力(人/年)\n\t106\t10,000\t3\n\t107\t390,000\t10\n\t108\t740,000\t130\n"
        "\t合計\t1,140,000\t143\n政策依據\t前瞻基礎建設計畫專案辦公室\n")
BLOCK = "資源投入\t年度\t經費(千元)\t人力(人/年)"


def test_a_chunk_opening_inside_a_block_repeats_the_block_header():
    chunks = chunk_document("t", clean_pages([(1, FORM)]), table_max=40)
    with_figures = [c for c in chunks if any(v in c.text for v in ("10,000", "390,000", "740,000", "1,140,000"))]
    assert len(with_figures) >= 3, "the block is split over several chunks"
    for c in with_figures:
        lines = c.text.split("\n")
        assert BLOCK in lines, c.text
        figure_line = next(i for i, ln in enumerate(lines) if any(ch.isdigit() for ch in ln.split("\t")[-1]) and "," in ln)
        assert lines.index(BLOCK) < figure_line, "the header row comes before the block's rows"
    # the row after the block is not under it
    policy = next(c for c in chunks if "政策依據" in c.text)
    assert BLOCK not in policy.text.split("\n")


def test_block_header_rows():
    assert is_block_header(["資源投入", "年度", "經費(千元)", "人力(人/年)"])
    assert not is_block_header(["", "107", "390,000", "10"])  # figures
    assert not is_block_header(["政策依據"])  # one cell
    assert not is_block_header(["說明", "本計畫依據行政院核定之前瞻基礎建設計畫辦理"])  # prose
