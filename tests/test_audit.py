"""The audit: table arithmetic (synthetic tables), a planted document with a
wrong total and a prose/table mismatch, and the real discrepancies of the
shipped corpus."""
from __future__ import annotations

import json

import pytest

from assistant.figures.arithmetic import check_table, column_parts
from assistant.figures.audit import Finding, FindingKind, audit
from assistant.figures.cells import table_cells
from ingest.models import Chunk

MOST = "most-2018-phd-talent-training"
EY = "ey-2018-taiwan-ai-action-plan"
MOEA = "moea-2023-digital-talent"
MODA = "moda-2025-ai-industry-adoption"


def table_chunk(rows: list[list[str]], header_rows: int, *, unit: str = "千元", title: str = "表 1、經費表") -> Chunk:
    """A table chunk as the ingester stores it (header rows first)."""
    header = "\n".join("\t".join(r) for r in rows[:header_rows])
    text = "\n".join([title, f"單位：{unit}", *("\t".join(r) for r in rows)])
    return Chunk("t1", "doc", text, "table", ["壹、經費"], 1, 1, 0, title, unit, header, json.dumps(rows, ensure_ascii=False))


# B005 layout: year × (小計, 經常支出 × 人事費/材料費/其他費用, 資本支出)
B005 = [
    ["計畫名稱", "108 年度", "", "", "", "", "109 年度"],
    ["", "小計", "經常支出", "", "", "資本支出", "小計"],
    ["", "", "人事費", "材料費", "其他費用", "", ""],
    ["分項一", "390,000", "", "", "390,000", "", "390,000"],
    ["分項二", "350,000", "116,000", "0", "234,000", "0", "350,000"],
]


# ----------------------------------------------------------- cells unit
# 表 5 of the moda plan: each agency's 經常門 and 資本門 rows share a merged
# cell whose name the text splits over them
AGENCIES = [
    ["經費來源", "執行單位", "114 年度", "合計"],
    ["經常門", "數位發展部", "4.895", "21.395"],
    ["資本門", "數位產業署", "0.000", "0.000"],
    ["經常門", "經濟部", "1.400", "7.400"],
    ["資本門", "產業技術司", "0.000", "0.000"],
    ["總計", "", "6.295", "28.795"],
]


def test_an_agency_name_wrapped_over_its_two_rows_is_joined():
    cells = {(c.row_label, c.column): c.value for c in table_cells(table_chunk(AGENCIES, 1, unit="億元"))}
    assert cells[("經常門 經濟部產業技術司", "合計")] == "7.400"
    assert cells[("資本門 經濟部產業技術司", "114 年度")] == "0.000"
    assert cells[("經常門 數位發展部數位產業署", "114 年度")] == "4.895"
    # items, not agencies, under alternating classes stay as printed
    items = [["經費來源", "項目", "114 年度"], ["經常門", "人事費", "1"], ["資本門", "設備費", "2"],
             ["經常門", "業務費", "3"], ["資本門", "土地", "4"]]
    assert {c.row_label for c in table_cells(table_chunk(items, 1))} == {
        "經常門 人事費", "資本門 設備費", "經常門 業務費", "資本門 土地"}


# ---------------------------------------------------------- arithmetic unit
def test_multi_level_total_columns():
    chunk = table_chunk(B005, 3)
    from assistant.figures.arithmetic import Grid

    parts = column_parts(Grid.of(chunk).paths)
    assert parts[1] == [2, 3, 4, 5]  # 108 小計 = 人事費 + 材料費 + 其他費用 + 資本支出
    assert check_table(chunk) == []


def test_planted_error_in_a_b005_table():
    rows = [r[:] for r in B005]
    rows[4][1] = "360,000"  # 分項二 108 小計 no longer 116,000 + 0 + 234,000 + 0
    (m,) = check_table(table_chunk(rows, 3))
    assert m.direction == "column" and m.found == 360_000 and m.expected == 350_000
    assert "分項二" in m.label and "小計" in m.label


def test_total_row_with_subtotal_rows_and_one_figure_per_year():
    """EY 表 8: 既有/新增 columns per year, 既有預算/新增預算 subtotal rows
    and a 合計 row printing one figure per year -- adds up, no finding."""
    rows = [
        ["行動計畫", "107", "", "108", "", "合計", "", "預算總額 億元"],
        ["", "既有", "新增", "既有", "新增", "既有", "新增"],
        ["AI 人才衝刺", "19.43", "0.50", "6.86", "11.50", "26.29", "12.00", "38.29"],
        ["AI 領航推動", "19.51", "1.50", "20.48", "9.00", "39.99", "10.50", "50.49"],
        ["既有預算", "38.94", "", "27.34", "", "66.28", "", "66.28"],
        ["新增預算", "", "2.00", "", "20.50", "", "22.50", "22.50"],
        ["合計", "40.94", "", "47.84", "", "88.78", "", "88.78"],
    ]
    chunk = table_chunk(rows, 0, unit="", title="表 8:各行動子計畫年度經費")
    assert check_table(chunk) == []
    rows[6][3] = "48.84"  # the 108 total of the 合計 row
    found = check_table(table_chunk(rows, 0, unit="", title="表 8:各行動子計畫年度經費"))
    row = [m for m in found if m.direction == "row"]
    assert len(row) == 1 and row[0].found == pytest.approx(48.84) and row[0].expected == pytest.approx(47.84)
    # ... and the 合計 row's own totals (合計 既有, 預算總額) no longer add up along the row
    cols = [m for m in found if m.direction == "column"]
    assert len(cols) == 2 and all(m.label.startswith("合計") and round(m.expected, 2) == 89.78 for m in cols)
    # the inferred header also gives the cells their columns and the unit
    cell = next(c for c in table_cells(chunk) if c.value == "9.00")
    assert cell.column == "108 新增" and cell.unit == "億元"


def test_shifted_rows_are_compared_in_order():
    """A003 layout: rows print their figures in shifted columns."""
    rows = [
        ["資源投入", "年度", "經費(千元)", "人力(人/年)"],
        ["", "106", "10,000", "3"],
        ["法定預算數)", "107", "", "390,000", "10"],
        ["", "108", "", "740,000", "130"],
        ["", "合計", "", "1,140,000", "150"],
    ]
    (m,) = check_table(table_chunk(rows, 1, unit=""))
    assert (m.found, m.expected) == (150, 143) and "人力" in m.label


def test_a_year_block_inside_a_form_gets_its_own_header_row():
    """A003 form: 「資源投入 | 年度 | 經費(千元) | 人力(人/年)」 heads the
    year rows below it (not the form's first row); the form's own rows
    after the block get no column from it."""
    rows = [
        ["審議編號", "108-1901-06-20-01"],
        ["資源投入", "年度", "經費(千元)", "人力(人/年)"],
        ["", "106", "10,000", "3"],
        ["法定預算數)", "107", "390,000", "10"],
        ["", "合計", "400,000", "13"],
        ["108 年度", "人事費", "116,000", "土地建築"],
    ]
    cells = table_cells(table_chunk(rows, 0, unit=""))
    by_value = {c.value: c for c in cells}
    assert (by_value["10,000"].row_label, by_value["10,000"].column) == ("106", "經費(千元)")
    # the block's total is over the block's years
    assert (by_value["400,000"].row_label, by_value["400,000"].column) == ("合計(106~107 年)", "經費(千元)")
    assert by_value["13"].column == "人力(人/年)"
    assert (by_value["116,000"].row_label, by_value["116,000"].column) == ("108 年度 人事費", "")


# ------------------------------------------------------------ planted doc
PLANTED = """測試計畫書

壹、經費需求

本計畫 108 年度至 109 年度經費共計約 350,000 千元(如表 1)。

分項一 109 年度編列 125,000 千元,辦理人才培訓。

表 1、經費需求表
單位：千元
分項\t108 年度\t109 年度\t合計
分項一\t100,000\t120,000\t220,000
分項二\t50,000\t60,000\t100,000
合計\t150,000\t180,000\t330,000

貳、預期效益

每年培訓 300 名人才。
"""


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> list[Finding]:
    from ingest.pipeline import ingest_paths
    from ingest.store import PlanIndex

    folder = tmp_path_factory.mktemp("planted")
    doc = folder / "planted-plan.txt"
    doc.write_text(PLANTED, encoding="utf-8")
    db = folder / "db"
    ingest_paths([doc], PlanIndex(db))
    return audit(db_dir=db)


def test_planted_wrong_total_is_an_arithmetic_finding(planted):
    arith = [f for f in planted if f.kind == FindingKind.ARITHMETIC]
    row = next(f for f in arith if "分項二" in f.message)
    assert (row.found, row.expected) == ("100,000 千元", "110,000 千元")
    assert row.table == "表 1、經費需求表" and row.page == 1
    # the 合計 column's column total follows from the same error; 分項一 adds up
    assert not any("分項一" in f.message for f in arith)


def test_planted_prose_table_mismatches_are_inconsistencies(planted):
    inc = [f for f in planted if f.kind == FindingKind.INCONSISTENT]
    cited = next(f for f in inc if "表 1" in f.message)
    assert (cited.found, cited.expected) == ("約 350,000 千元", "330,000 千元")
    part = next(f for f in inc if "分項一" in f.message)
    assert (part.found, part.expected) == ("125,000 千元", "120,000 千元")
    assert {e.table for e in part.evidence} == {"", "表 1、經費需求表"}
    assert len(inc) == 2


def test_finding_json(planted):
    d = json.loads(json.dumps([f.to_dict() for f in planted], ensure_ascii=False))
    assert set(d[0]) == {"kind", "doc_id", "page", "table", "message", "expected", "found", "evidence"}
    assert d[0]["kind"] in ("arithmetic", "inconsistent")


def test_finding_kind_errors_list_the_valid_values():
    with pytest.raises(ValueError, match="arithmetic, inconsistent"):
        FindingKind.parse("typo")


# ----------------------------------------------------------------- corpus
@pytest.fixture(scope="module")
def corpus_findings(corpus_index) -> list[Finding]:
    return audit(db_dir=corpus_index.db)


@pytest.mark.slow
def test_corpus_arithmetic_finds_the_a003_manpower_total(corpus_findings):
    arith = [f for f in corpus_findings if f.kind == FindingKind.ARITHMETIC]
    (a003,) = [f for f in arith if f.doc_id == MOST and f.page == 3]
    assert (a003.found, a003.expected) == ("388", "273") and "人力" in a003.message
    # EY 表 8 and the MODA 表 5/表 6 add up
    assert not any(f.doc_id in (EY, MODA) for f in arith)


@pytest.mark.slow
def test_corpus_text_versus_table_totals(corpus_findings):
    inc = {(f.doc_id, f.found, f.expected) for f in corpus_findings if f.kind == FindingKind.INCONSISTENT}
    assert (EY, "約 360 億元", "366.24 億元") in inc                 # text vs 表 8
    assert (MOST, "4 億元", "390,000 千元") in inc                   # 109 年 narrative vs B005
    assert (MOST, "12 億元", "1,180,000 千元") in inc                # 分項一 全程 vs the yearly totals
    assert (MOEA, "560,000 千元", "550,000 千元") in inc             # 資安表 112-113 vs 275,000 × 2
    assert (MOST, "1,930", "3,330") in inc                           # KPI in one table vs another (p.76 vs p.7)
    # the same statement twice: 「累計參與企業達 400 家次」 (表 4) vs 「… 600 家次」 (text)
    assert (MODA, "400 家次", "600 家次") in inc
    assert (MODA, "1,400 家", "1,700 家") in inc                     # 「全程協助 … 家企業使用本計畫 AI 應用服務」
    # one count per year stated twice: 「每年 200 家合作廠商參與」 vs 「本計畫以每年 100 家廠商參與」
    assert {(MOST, "200 家", "100 家"), (MOST, "100 家", "200 家")} & inc
    # floors per year of different teams are not restatements (至少 15 隊 數位經濟, 至少 35 隊 both)
    assert not any(f.doc_id == MODA and "隊" in f.found for f in corpus_findings if f.kind == FindingKind.INCONSISTENT)


@pytest.mark.slow
def test_corpus_audit_of_one_document_and_unknown_ids(corpus_index):
    only = audit(doc_ids=[EY], db_dir=corpus_index.db)
    assert only and {f.doc_id for f in only} == {EY}
    with pytest.raises(ValueError, match="indexed: ey-2018"):
        audit(doc_ids=["no-such-plan"], db_dir=corpus_index.db)


@pytest.mark.slow
def test_findings_are_kept_at_ingest(corpus_index, corpus_findings):
    """The findings the fact store keeps from ingest are the audit of the
    documents' chunks and facts as they are now, chunk ids included (an
    answer's conflict notes cite them)."""
    from assistant.figures.audit import audit_document
    from assistant.figures.store import FactStore
    from ingest.store import PlanIndex

    index = PlanIndex(corpus_index.db)
    titles = {r.doc_id: r.title for r in index.list_documents()}
    base = FactStore.of_index(corpus_index.db).fact_base(sorted(titles))
    now = [f for d in sorted(titles) for f in audit_document(d, corpus_index.doc_chunks(d), base, titles)]
    assert [f.to_record() for f in corpus_findings] == [f.to_record() for f in now]
    assert all(e.chunk_id for f in corpus_findings for e in f.evidence)
    assert Finding.from_record(json.loads(json.dumps(now[0].to_record()))) == now[0]
