"""The shipped corpus (corpus/pdf) through the whole pipeline: pages, section
paths, table chunks with their headers, known cells, text fidelity against
the source texts, idempotent re-ingest and a restart in a new process.

The corpus is ingested once per session (fixture ``corpus_index``)."""
from __future__ import annotations

import bisect
import difflib
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import CORPUS_PDF, CORPUS_SOURCES, ROOT, run_python
from corpus.fidelity import cjk_only
from ingest.chunking import chunk_document
from ingest.clean import clean_pages, fold_text
from ingest.loaders import load_document
from ingest.pipeline import ingest_paths
from ingest.store import rows_of
from ingest.tables import is_block_header
from ingest.tokenize import PlanTokenizer
from ingest.units import is_figure

MANIFEST = json.loads((ROOT / "corpus" / "manifest.json").read_text(encoding="utf-8"))
DOC_IDS = [e["doc_id"] for e in MANIFEST]
MIN_FIDELITY = 0.995
#: In-order share of the source's CJK characters (see the test that uses it).
MIN_IN_ORDER = 0.985


# ------------------------------------------------------------- the measure
def _unique_grams(s: str, k: int) -> dict[str, int]:
    counts = Counter(s[i:i + k] for i in range(len(s) - k + 1))
    return {s[i:i + k]: i for i in range(len(s) - k + 1) if counts[s[i:i + k]] == 1}


def _matched(a: str, b: str) -> int:
    return sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def common_subsequence_len(a: str, b: str, k: int = 8) -> int:
    """Length of a common subsequence of ``a`` and ``b`` — a lower bound on
    the longest, close to it for texts that are mostly in the same order.

    Patience-style: k-grams occurring exactly once in each string are
    anchors; the longest chain of anchors in increasing order in both
    strings splits the strings into short gaps, each aligned with difflib.
    Unlike a greedy left-to-right matcher, one block of text out of place
    costs only its own characters.
    """
    ua, ub = _unique_grams(a, k), _unique_grams(b, k)
    pairs = sorted((ia, ub[g]) for g, ia in ua.items() if g in ub)
    tails: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(pairs)
    for n, (_, jb) in enumerate(pairs):  # longest increasing subsequence on b positions
        t = bisect.bisect_left(tails, jb)
        if t == len(tails):
            tails.append(jb)
            tail_idx.append(n)
        else:
            tails[t], tail_idx[t] = jb, n
        prev[n] = tail_idx[t - 1] if t else -1
    chain = []
    n = tail_idx[-1] if tail_idx else -1
    while n >= 0:
        chain.append(pairs[n])
        n = prev[n]
    total = pa = pb = 0
    for ia, jb in reversed(chain):
        if ia < pa or jb < pb:
            continue  # overlaps the previous anchor's extension
        total += _matched(a[pa:ia], b[pb:jb])
        while ia < len(a) and jb < len(b) and a[ia] == b[jb]:
            total, ia, jb = total + 1, ia + 1, jb + 1
        pa, pb = ia, jb
    return total + _matched(a[pa:], b[pb:])


def cjk_fidelity(source: str, extracted: str) -> float:
    """Share of ``source``'s CJK characters found in order in ``extracted``."""
    src = cjk_only(source)
    return common_subsequence_len(src, cjk_only(extracted)) / len(src) if src else 1.0


def test_fidelity_measure_is_exact_on_small_cases():
    assert cjk_fidelity("計畫經費需求", "計畫經費需求") == 1.0
    assert cjk_fidelity("計畫經費需求", "計畫需求") == pytest.approx(4 / 6)
    assert cjk_fidelity("計畫經費需求", "abc 123") == 0.0
    # One block out of place costs its own characters, not the rest.
    body = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(3000))
    moved = body[:1000] + body[1020:1500] + body[1000:1020] + body[1500:]
    assert cjk_fidelity(body, moved) == pytest.approx(1 - 20 / 3000)
    # It agrees with difflib's full alignment where that is affordable.
    a, b = body[:600], body[:200] + "人才" + body[230:600]
    assert common_subsequence_len(a, b) == _matched(a, b) == 570


FIGURE = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])")  # 6,540 · 1,533,000


def _figures_lost(lines, chunks) -> dict[str, tuple[int, int]]:
    """Thousands-separated figures that occur fewer times in the chunks than
    in the cleaned lines: ``{figure: (in lines, in chunks)}``."""
    want = Counter(f for ln in lines for f in FIGURE.findall(ln.text))
    got = Counter(f for c in chunks for f in FIGURE.findall(c.text))
    return {f: (n, got[f]) for f, n in want.items() if got[f] < n}


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_chunking_never_cuts_a_figure_of_a_source_text(doc_id):
    """Long rejoined lines are cut between clauses or words, never inside
    「6,540」 (a thousands comma is no clause boundary)."""
    doc = load_document(CORPUS_SOURCES / f"{doc_id}.txt")
    lines = clean_pages([(p.page, p.text) for p in doc.pages])
    chunks = chunk_document(doc_id, lines)
    assert chunks
    assert _figures_lost(lines, chunks) == {}


# ------------------------------------------------------------- the corpus
slow = pytest.mark.slow


@slow
def test_report_and_registry_match_the_manifest(corpus_index):
    report, index = corpus_index.report, corpus_index.index
    assert report.errors == []
    assert sorted(report.added) == sorted(DOC_IDS)
    assert report.pages == sum(e["pages"] for e in MANIFEST)
    records = {r.doc_id: r for r in index.list_documents()}
    assert sorted(records) == sorted(DOC_IDS)
    for e in MANIFEST:
        rec = records[e["doc_id"]]
        assert rec.pages == e["pages"]
        assert rec.title == e["title"]
        assert rec.agency == e["agency"]
        assert rec.chunks == len(corpus_index.doc_chunks(e["doc_id"]))
    assert len(corpus_index.chunks) == report.chunks == len(index.chunk_ids())
    assert sum(c.chunk_type == "table" for c in corpus_index.chunks) == report.tables


@slow
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_chunk_has_its_page_and_a_section_path(corpus_index, doc_id):
    chunks = corpus_index.doc_chunks(doc_id)
    doc = corpus_index.docs[doc_id]
    n_pages = len(doc.pages)
    assert [c.position for c in chunks] == list(range(len(chunks)))
    first_headed = next(i for i, c in enumerate(chunks) if c.section_path)
    assert first_headed <= 3, "only the cover may come before the first heading"
    for c in chunks[first_headed:]:
        assert c.section_path, f"chunk {c.position} (p. {c.page}) has no section path"
    pages = [c.page for c in chunks]
    assert all(1 <= c.page <= c.page_end <= n_pages for c in chunks)
    # Page numbers are right: the start of each chunk is printed on its page.
    folded = {p.page: re.sub(r"\s+", "", fold_text(p.text)) for p in doc.pages}
    misplaced = []
    for c in chunks:
        if c.chunk_type == "table":
            rows = rows_of(c)[len(c.table_header.split("\n")) if c.table_header else 0:]
            # the row's last label cell: its first ones may repeat labels
            # printed above, on an earlier page (a chunk's first row repeats
            # the spanned labels it sits under); a first row that heads a
            # block of figure rows may be that block's header, repeated
            starts = [rows, rows[1:]] if len(rows) > 1 and is_block_header(rows[0]) else [rows]
            probes = []
            for rs in starts:
                cells = [cell for cell in rs[0] if cell.strip()] if rs else []
                labels = [cell for cell in cells if not is_figure(cell.replace(" ", ""))]
                probes.append(re.sub(r"\s+", "", (labels or cells or [""])[-1])[:6])
        else:
            probes = [re.sub(r"\s+", "", c.text.split("\n")[0])[:6]]
        # the probe starts on the chunk's page (it may run onto the next one)
        on_page = [0 <= (folded[c.page] + folded.get(c.page + 1, "")).find(p) < len(folded[c.page]) for p in probes]
        if probes[0] and not any(on_page):
            misplaced.append((c.position, c.page, probes[0]))
    assert not misplaced, misplaced[:10]
    assert pages == sorted(pages), "chunks follow the page order"


@slow
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_figure_of_a_pdf_lands_whole_in_a_chunk(corpus_index, doc_id):
    doc = corpus_index.docs[doc_id]
    lines = clean_pages([(p.page, p.text) for p in doc.pages])
    assert _figures_lost(lines, corpus_index.doc_chunks(doc_id)) == {}


@slow
def test_table_chunks_carry_their_title_and_header(corpus_index):
    tables = [c for c in corpus_index.chunks if c.chunk_type == "table"]
    assert len(tables) > 100
    for c in tables:
        lines = c.text.split("\n")
        if c.table_title:
            assert c.table_title in (lines[0], c.section_path[-1] if c.section_path else "")
        for header_line in filter(None, c.table_header.split("\n")):
            assert header_line in lines, (c.doc_id, c.page)
    labelled = sum(bool(c.table_title or c.table_header) for c in tables)
    assert labelled / len(tables) >= 0.8


@slow
def test_budget_cell_sits_with_its_row_and_column_headers(corpus_index):
    """most-2018: 分項二's 108 年度 budget, 350,000 千元."""
    hits = []
    for c in corpus_index.doc_chunks("most-2018-phd-talent-training"):
        if c.chunk_type != "table":
            continue
        rows = rows_of(c)
        header = rows[0]
        if "108 年度" not in header:
            continue
        col = header.index("108 年度")
        for row in rows:
            if row and row[0].startswith("分項二") and col < len(row) and row[col] == "350,000":
                hits.append(c)
    assert hits, "no table chunk has 分項二 × 108 年度 = 350,000"
    for c in hits:
        assert "108 年度" in c.text and "分項二" in c.text
        assert "單位:千元" in c.text or c.table_unit == "千元"
        assert c.section_path[:2] == ["第一部分", "參、人力配置/經費需求/經費分攤"]


@slow
def test_rows_whose_cells_hold_bulleted_lists_stay_whole(corpus_index):
    """moda-2025 表 4、分年經費規劃: each work item's cell holds 「<p>…</p>
    <ul> ● …」 and its four yearly figures follow in the same row (source
    lines 1548-1576); every sub-item's row keeps its 子項 label, in the chunk
    that starts after a page or chunk break too."""
    from assistant.figures.cells import table_cells

    chunks = [c for c in corpus_index.doc_chunks("moda-2025-ai-industry-adoption")
              if c.table_title == "表 4、分年經費規劃"]
    assert chunks
    rows = [r for c in chunks for r in rows_of(c)[1:]]
    assert len(rows) == 10  # the work items with figures
    assert all(len(r) == 7 and all(r[j] for j in range(3, 7)) for r in rows)
    cells = {(c.row_label, c.column): c.value for ch in chunks for c in table_cells(ch)}
    assert any("子項 3.2" in row and col == "114" and v == "0.900" for (row, col), v in cells.items())
    assert any("子項 2.3" in row and "AI+新銳選拔賽" in row and col == "114" and v == "0.075"
               for (row, col), v in cells.items())
    assert not any(col in ("分子項", "工作項目說明") for (_, col) in cells)


def test_cost_class_rows_take_the_money_unit_their_table_declares(corpus_index):
    """most-2018's A003 form prints 千元 once, on 「經費小計(千元)」 (source
    lines 45-56): its 人事費 / 其他經常支出 / 經常門小計 figures are money in
    千元, its 人力(人/年) figures stay counts."""
    from assistant.figures.cells import table_cells

    cells = [c for ch in corpus_index.doc_chunks("most-2018-phd-talent-training") for c in table_cells(ch)
             if c.title.endswith("(A003)")]
    costs = {(c.row_label, c.value, c.unit) for c in cells if "108 年度" in c.row_label}
    assert ("108 年度 人事費", "116,000", "千元") in costs
    assert ("108 年度 其他經常支出", "624,000", "千元") in costs
    assert all(c.unit == "" for c in cells if c.column.startswith("人力"))
    from assistant.figures.store import FactStore

    stored = [f for f in FactStore.of_index(corpus_index.db).facts(["most-2018-phd-talent-training"])
              if f.source == "cell" and f.row == "108 年度 人事費"]
    assert stored and all(f.quantity.kind == "money" and f.quantity.value == 116_000_000 for f in stored)


@slow
def test_kpi_table_is_in_its_section_path(corpus_index):
    """moda-2025: 表 1、各績效指標全期目標值 sits under 貳、計畫目標及績效指標 >
    三、預期績效指標及評估基準 (source lines 179, 253, 259)."""
    source = (CORPUS_SOURCES / "moda-2025-ai-industry-adoption.txt").read_text(encoding="utf-8").split("\n")
    caption = source.index("表 1、各績效指標全期目標值")
    level1 = max(i for i in range(caption) if source[i].startswith("貳、"))
    level2 = max(i for i in range(caption) if source[i].startswith("三、"))
    assert level1 < level2 < caption
    expected = [source[level1].strip(), source[level2].strip(), "表 1、各績效指標全期目標值"]

    kpi = [c for c in corpus_index.doc_chunks("moda-2025-ai-industry-adoption")
           if c.table_title == "表 1、各績效指標全期目標值"]
    assert kpi
    for c in kpi:
        assert c.chunk_type == "table"
        assert c.section_path == expected
        header = rows_of(c)[0]
        assert [h for h in header if h] == ["執行單位", "績效指標", "衡量標準", "目標值"]
    rows = next(rows_of(c) for c in kpi if "32.5%" in c.text)
    col = rows[0].index("目標值")
    row = next(r for r in rows if "32.5%" in "".join(r))
    assert row[col] == "數位經濟產業之 AI 應用普及率由32.5%(2023 年)提升至 50%"


@slow
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_loader_output_recovers_the_source_text_in_order(corpus_index, doc_id):
    """The geometry reader keeps every CJK character of the source (≥ 99.5%,
    counted as a multiset) and nearly all in source order (≥ 98.5%), both in
    the loaded pages and in the cleaned text the chunks are cut from. The
    source's repeated table header rows are left out of the reference (the
    reader drops a header repeated atop a continued table, as page
    furniture); the order measure is lower than the character measure because
    a row broken across two pages is joined back cell by cell."""
    seen: set[str] = set()
    kept = []
    for line in (CORPUS_SOURCES / f"{doc_id}.txt").read_text(encoding="utf-8").split("\n"):
        if "\t" in line and line in seen:
            continue
        seen.add(line)
        kept.append(line)
    source = "\n".join(kept)
    doc = corpus_index.docs[doc_id]
    loaded = "\n".join(p.text for p in doc.pages)
    cleaned = "\n".join(ln.text for ln in clean_pages([(p.page, p.text) for p in doc.pages]))
    want = Counter(cjk_only(source))
    for text in (loaded, cleaned):
        assert sum((want & Counter(cjk_only(text))).values()) >= MIN_FIDELITY * sum(want.values())
        assert cjk_fidelity(source, text) >= MIN_IN_ORDER


@slow
def test_reingest_changes_nothing(corpus_index):
    index = corpus_index.index
    ids_before = sorted(index.chunk_ids())
    count_before = index.chunks.count()
    report = ingest_paths([CORPUS_PDF], index)
    assert report.errors == [] and report.added == [] and report.updated == []
    assert sorted(report.unchanged) == sorted(DOC_IDS)
    assert report.chunks == 0
    assert "embed" not in report.stage_seconds and "write" not in report.stage_seconds
    assert sorted(index.chunk_ids()) == ids_before
    assert index.chunks.count() == count_before


RESTART_SCRIPT = r"""
import json, sys
from pathlib import Path
from ingest.store import PlanIndex
from ingest.tokenize import PlanTokenizer
index = PlanIndex(Path(sys.argv[1]))
tok = PlanTokenizer()
out = {"docs": [[d.doc_id, d.content_hash, d.chunks] for d in index.list_documents()],
       "count": index.chunks.count(), "top": {}}
for q in json.loads(sys.argv[2]):
    for view in ("words", "bigrams"):
        bm = index.bm25(view)
        toks = tok.words(q) if view == "words" else tok.bigrams(q)
        s = bm.scores(toks)
        out["top"][view + ":" + q] = [bm.ids[i] for i in s.argsort()[::-1][:5]]
print(json.dumps(out))
"""

QUERIES = ["分項二 108 年度經費", "各績效指標全期目標值", "AI 人才衝刺 預算"]


@slow
def test_reopened_in_a_new_process_sees_the_same_index(corpus_index):
    index = corpus_index.index
    tok = PlanTokenizer()
    expected_top = {}
    for q in QUERIES:
        for view in ("words", "bigrams"):
            bm = index.bm25(view)
            s = bm.scores(tok.words(q) if view == "words" else tok.bigrams(q))
            expected_top[view + ":" + q] = [bm.ids[i] for i in s.argsort()[::-1][:5]]
    proc = run_python(RESTART_SCRIPT.replace("sys.argv[1]", repr(str(corpus_index.db)))
                      .replace("sys.argv[2]", repr(json.dumps(QUERIES))))
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["docs"] == [[d.doc_id, d.content_hash, d.chunks] for d in index.list_documents()]
    assert got["count"] == index.chunks.count()
    assert got["top"] == expected_top
    # The budget question finds the budget table in the reopened index too
    # (in the top 5 of the bigram view; words alone rank the KPI tables,
    # which also name 分項二 and 108 年度, higher).
    budget = {c.chunk_id for c in corpus_index.doc_chunks("most-2018-phd-talent-training")
              if c.chunk_type == "table" and "350,000" in c.text}
    assert budget & set(got["top"]["bigrams:分項二 108 年度經費"])


@slow
def test_corpus_pdfs_are_the_ones_ingested(corpus_index):
    assert sorted(p.stem for p in Path(CORPUS_PDF).glob("*.pdf")) == sorted(corpus_index.docs)
