"""The fact store (assistant/figures/store.py) on the shipped corpus and on
small plans the tests write: records of known cells with their row and
column paths, derived totals, document facts, replacement on re-ingest,
removal."""
from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from assistant.figures.docfacts import DocSlot, DocSource
from assistant.figures.extract import flattened_columns
from assistant.figures.labels import Group
from assistant.figures.store import FILENAME, SCHEMA_VERSION, FactStore, FactStoreError
from ingest.pipeline import ingest_paths, remove_document
from ingest.store import PlanIndex

PHD = "most-2018-phd-talent-training"
AI_PLAN = "ey-2018-taiwan-ai-action-plan"


@pytest.fixture(scope="module")
def store(corpus_index) -> FactStore:
    return FactStore.of_index(corpus_index.db)


def test_every_document_is_stored_at_ingest(store, corpus_index):
    assert (corpus_index.db / FILENAME).exists()
    assert store.doc_ids() == sorted(d.doc_id for d in corpus_index.index.list_documents())
    assert corpus_index.report.facts == len(store.rows())


def test_document_facts_of_every_document_in_slot_order(store):
    facts = store.document_facts()
    assert sorted({f.doc_id for f in facts}) == store.doc_ids()
    order = list(DocSlot)
    keys = [(f.doc_id, order.index(f.slot)) for f in facts]
    assert keys == sorted(keys)
    phd = store.document_facts(PHD)
    assert phd == [f for f in facts if f.doc_id == PHD]
    assert (phd[0].slot, phd[0].value, phd[0].page) == (DocSlot.TITLE, "重點產業高階人才培訓與就業計畫", 1)


def test_a_known_budget_cell_with_its_paths(store):
    # B005 經費需求表: 分項二 108 年度 小計 350,000 千元 (corpus/sources, 參、人力配置)
    rows = [r for r in store.rows(PHD, year=108) if r["source"] == "cell" and r["value_text"] == "350,000"
            and r["column_path"] == ["108 年度", "小計"]]
    assert rows, "the 108 小計 cell of 分項二 is stored"
    r = rows[0]
    assert r["row_path"][0].startswith("分項二")
    # the row's name leaves out its 計畫策略 / 計畫性質 cells (row_path keeps them)
    assert r["row_name"] == [r["row_path"][0]] and len(r["row_path"]) == 3
    assert r["subject"] == "分項二" and r["measure"] == "經費"
    assert r["kind"] == "money" and Decimal(r["value"]) == Decimal(350000000)  # 元
    assert r["unit"] == "千元" and r["display"] == "350,000 千元"
    assert (r["year_from"], r["year_to"]) == (2019, 2019)
    assert r["page"] >= 1 and r["chunk_id"]


def test_qualifier_and_measure_columns(store):
    applied = [r for r in store.rows(PHD) if r["qualifier"].startswith("申請數")]
    assert applied, "B008 經費分攤表's 申請數 column is a qualifier"
    staff = [r for r in store.rows(PHD) if r["measure"] == "人事費"]
    assert staff and all(r["kind"] == "money" for r in staff)


def test_a_whole_term_figure_does_not_take_the_year_of_its_sentence(store):
    # 「全程將產出 10 個模型，114 年產出 3 個」: 114 is the 3's year only
    rows = [r for r in store.rows("moda-2025-ai-industry-adoption") if "全程將產出 10 個模型" in r["text"]]
    by_value = {r["display"]: r for r in rows}
    assert by_value["10 個"]["year_from"] is None and by_value["10 個"]["period"] == "全程"
    assert by_value["3 個"]["year_from"] == 2025


def test_b008_rows_named_like_a_component_carry_its_label(store):
    # 經費分攤表(B008) labels rows 「計畫名稱-分項計畫名稱」 without the 分項
    # number; the B005 table names the same components with it
    b008 = {r["value_text"]: r for r in store.rows(PHD, year=108)
            if r["table_title"].startswith("經費分攤表") and r["source"] == "cell"}
    assert b008["390,000"]["subject"] == "分項一"  # named like the plan itself
    assert b008["350,000"]["subject"] == "分項二"
    assert b008["740,000"]["subject"] == ""  # 各額度經費合計: the whole plan
    # a table of plans names this plan by its title alone, as 分項一 is named:
    # its 106 執行數 is the plan's
    done = [r for r in store.rows(PHD) if r["value_text"] == "9,699" and r["source"] == "cell"]
    assert done and all(r["subject"] == "" for r in done)


def test_rows_named_by_a_component_heading_carry_its_label(store):
    # 表 6 of the MODA plan names its rows by the 分項's name only
    # (「開發 AI 技術及驗證」); the text heads 分項三 「分項三、開發 AI 技術及驗證」
    rows = [r for r in store.rows("moda-2025-ai-industry-adoption")
            if r["table_title"].startswith("表 6") and r["source"] == "cell"]
    subjects = {r["row_label"]: r["subject"] for r in rows}
    assert subjects["培育產業即戰人才"] == "分項一"
    assert subjects["建構多元產業應用"] == "分項二"
    assert subjects["開發 AI 技術及驗證"] == "分項三"
    assert {r["subject"] for r in rows if "合計" in r["row_label"] or "總計" in r["row_label"]} <= {""}


def test_a_total_row_of_merged_cells_belongs_to_the_year_not_its_first_sub_column(store):
    # 表 8 of the 臺灣 AI 行動計畫: the 合計 row prints one figure per year
    # across 既有 and 新增 (92.59 = 90.59 + 2.00), other rows one per sub-column
    rows = [r for r in store.rows(AI_PLAN) if r["table_title"].startswith("表 8") and r["source"] == "cell"]
    total = {tuple(r["column_path"]): r["value_text"] for r in rows if r["row_label"] == "合計"}
    assert total[("108",)] == "104.77" and total[("107",)] == "92.59"
    assert not any(len(path) == 2 for path in total)
    kind = {tuple(r["column_path"]): r["value_text"] for r in rows if r["row_label"] == "既有預算"}
    assert kind[("108", "既有")] == "74.77", "a row that fills only 既有 by itself stays under 既有"


def test_derived_period_totals_name_their_parts(store):
    derived = [r for r in store.rows(PHD) if r["source"] == "derived"]
    assert derived
    # a part is a stated fact: a cell, or a sentence of a yearly series
    by_key = {f.key: f for f in store.facts([PHD]) if not f.derived}
    for d in derived:
        parts = [by_key[k] for k in d["parts"]]
        assert len(parts) >= 2
        assert sum(Decimal(str(p.quantity.value)) for p in parts) == Decimal(d["value"])
        assert d["year_from"] == min(p.years.lo for p in parts)
        assert d["year_to"] == max(p.years.hi for p in parts)
        assert d["period"] == "全程"
    # 分項二 106-109: 0 + 350,000 + 350,000 (+ 0) = 700,000 千元
    assert any(d["row_label"].startswith("分項二") and d["display"] == "700,000 千元" for d in derived)


def test_a_whole_period_amount_gives_its_yearly_average(store):
    from assistant.figures.derive import yearly_average

    facts = store.facts(["moda-2025-ai-industry-adoption"])
    # 「開發 AI 技術及驗證」 合計 11.300 億元 over 114-117: 2.825 億元 a year,
    # naming the total as its part
    total = next(f for f in facts if f.cell is not None and f.row.startswith("開發 AI 技術及驗證")
                 and f.labels.get(Group.PERIOD) == "total" and f.display == "11.300 億元")
    avg = yearly_average(total)
    assert avg is not None and avg.display == "2.825 億元" and avg.parts == (total.key,)
    assert (avg.years.lo, avg.years.hi) == (2025, 2028) and avg.labels[Group.PERIOD] == "average"
    # a year's cell is no whole period
    year = next(f for f in facts if f.cell is not None and f.row.startswith("開發 AI 技術及驗證")
                and f.years is not None and f.years.single)
    assert yearly_average(year) is None


def test_derived_totals_of_year_series_under_two_header_levels(store):
    # 表 8 prints 「107 既有」, 「107 新增」 … per year: each series adds up on
    # its own (場域與法規開放 既有 107-109: 29.40 + 29.10 + 28.53 = 87.03 億元)
    rows = [r for r in store.rows("ey-2018-taiwan-ai-action-plan") if r["source"] == "derived"
            and r["row_label"] == "場域與法規開放" and r["year_from"] == 2018 and r["year_to"] == 2020]
    assert {r["display"] for r in rows} >= {"87.03 億元", "13.5 億元"}


def test_a_year_printed_only_split_into_existing_and_new_gets_its_total(store):
    # 表 8 prints AI 領航推動's 108 budget only as 既有 20.48 + 新增 9.00 億元:
    # the year's total, 29.48 億元, is a derived fact of 108 without 既有/新增,
    # and so are the totals of runs of such years; the four years' total is
    # printed (預算總額 117.65), so it is not derived again
    ey = "ey-2018-taiwan-ai-action-plan"
    rows = [r for r in store.rows(ey) if r["source"] == "derived" and r["row_label"] == "AI 領航推動"]
    year = [r for r in rows if r["year_from"] == r["year_to"] == 2019]
    assert [r["display"] for r in year] == ["29.48 億元"]
    assert "既有" not in year[0]["column_label"].replace("既有 + 新增", "") and len(year[0]["parts"]) == 2
    whole = [r for r in rows if "既有 + 新增" in r["text"]]
    two = [r for r in whole if (r["year_from"], r["year_to"]) == (2019, 2020)]
    assert [r["display"] for r in two] == ["62.06 億元"]  # 29.48 + 20.58 + 12.00
    assert not [r for r in whole if (r["year_from"], r["year_to"]) == (2018, 2021)]


def test_filters(store):
    assert all(r["year_from"] <= 2019 <= r["year_to"] for r in store.rows(year=2019))
    assert store.rows(year=108) == store.rows(year=2019)
    assert all(r["measure"] == "人次" for r in store.rows(measure="人次"))
    assert all(r["source"] != "derived" for r in store.rows(PHD, include_derived=False))


def test_a_statement_repeated_year_by_year_is_summed(store):
    # the MOEA plan lists 「推動數位人才培育 2,400 人次」 under 112 and again
    # under 113: 112-113 is 4,800 人次, derived from both
    moea = "moea-2023-digital-talent"
    rows = [r for r in store.rows(moea) if r["source"] == "derived" and r["value_text"] == "4,800"
            and (r["year_from"], r["year_to"]) == (2023, 2024)]
    assert rows and rows[0]["period"] == "全程" and len(rows[0]["parts"]) == 2
    stated = {r["year_from"] for r in store.rows(moea) if r["source"] == "sentence"
              and "推動數位人才培育" in r["text"] and r["display"] == "2,400 人次"}
    assert {2023, 2024} <= stated


def test_a_bound_printed_with_its_figure_is_shown_once(store):
    # MOST: 「結訓後至產業就業起薪 6 萬以上」
    shown = {f.display for f in store.facts(["most-2018-phd-talent-training"]) if "起薪" in f.text}
    assert "6 萬以上" in shown and not any("以上以上" in d for d in shown)


def test_a_section_lead_dates_its_undated_results(store):
    # MOEA 肆、前期重要效益成果說明 opens 「本計畫前期 110 年之年度重要執行成果…」;
    # 「補助 36 家企業…」 pages later names no year: its section's year is 110
    moea = "moea-2023-digital-talent"
    got = [f for f in store.facts([moea]) if f.display == "36 家" and f.years is None]
    assert got and {f.section_year for f in got} == {2021}
    # a section whose lead names several years dates nothing (柒、經費需求 …: 112-114)
    budget = [f for f in store.facts([moea]) if f.far.startswith("柒、經費需求")]
    assert budget and {f.section_year for f in budget} == {None}


def test_rows_of_a_budget_table_flattened_into_text_keep_its_unit_year_and_columns(store):
    # MOEA 112 年度經費需求表 (單位：千元, header 小計 / 經常支出 人事費 材料費
    # 其他費用 / 資本支出 土地建築 儀器設備 其他費用) came out of the PDF as
    # text, pages of rows such as 「(一)半導體產業人才培育40,200 8,642 1,600
    # 29,958 0 0 0」 with KPI text between them
    moea = "moea-2023-digital-talent"
    semi = [f for f in store.facts([moea]) if f.source == "sentence" and "半導體產業人才培育40,200" in f.text]
    by_value = {f.display: f for f in semi}
    total, staff = by_value["40,200 千元"], by_value["8,642 千元"]
    assert total.quantity.kind == "money" and total.quantity.value == 40_200_000  # 元
    assert total.years is not None and total.years.lo == 2023 and total.column == "小計"
    assert staff.column == "經常支出 人事費" and staff.labels.get(Group.COST) == "人事費"
    assert staff.labels.get(Group.DOOR) == "經常"
    # the row label printed on the line above its numbers is the row's
    south = [f for f in store.facts([moea]) if f.display == "12,110 千元" and f.column == "小計"]
    assert south and all("南部園區數位轉型人才培育基地" in f.local for f in south)
    assert {f.years.lo for f in south} == {2023, 2024}
    # a component named in the text above the table is not its rows'
    assert all(Group.PART not in f.labels for f in semi)
    # B005's own rows: each year's 小計 / 經常支出 / 資本支出, the year its column's
    # (the row runs into 「112 年度經費需求表」, which is not its year)
    part3 = {(f.years.lo, f.column): f.display for f in store.facts([moea])
             if f.source == "sentence" and f.labels.get(Group.PART) == "3" and f.column.endswith("小計")}
    assert part3[(2025, "114年度 小計")] == "36,020 千元" and part3[(2024, "113年度 小計")] == "53,290 千元"


def test_a_date_alone_in_a_table_cell_is_a_fact(store):
    # the AIGO 作業時程 table: 「構想收件截止 | 5月31日 | 7月15日」 (108-1 and 108-2 rounds)
    got = {(f.row, f.column): f.display for f in store.facts(["moeaidb-2019-aigo-intro"])
           if f.quantity.kind == "date" and f.source == "text_cell"}
    assert got[("構想收件截止", "108-2場時程")] == "7月15日"
    assert got[("構想收件截止", "108-1場時程")] == "5月31日"


def test_the_leaf_columns_of_a_flattened_b005_header():
    header = ("112 年度經費需求表\n單位：千元\n計畫名稱 細部計畫重點描述 主要績效指標\nKPI\n112 年度\n小\n計\n"
              "經 常 支 出 資 本 支 出\n人\n事\n費\n材\n料\n費\n其\n他\n費\n用\n土\n地\n建\n築\n"
              "儀\n器\n設\n備\n其\n他\n費\n用\n一、中小企業數位\n領導計畫 65,260")
    assert flattened_columns(header) == ("小計", "經常支出 人事費", "經常支出 材料費", "經常支出 其他費用",
                                         "資本支出 土地建築", "資本支出 儀器設備", "資本支出 其他費用")
    # a header of several years: each year's leaves in turn
    years = ("經費需求表(B005)\n單位:千元\n細部計畫名稱 計畫屬性112 年度 113 年度 114 年度(8 月)小計經常支出資本支出"
             "小計經常支出資本支出小計經常支出資本支出分項一 : 中小企業數位領導計畫 人才培育 65,260 65,260 0")
    got = flattened_columns(years)
    assert len(got) == 9 and got[:3] == ("112年度 小計", "112年度 經常支出", "112年度 資本支出")
    assert got[-1] == "114年度 資本支出"
    # no 經常/資本 header after the unit line: no columns to read
    assert flattened_columns("單位：千元\n分項\t108 年度\t109 年度\n分項一\t390,000\t400,000") == ()
    assert flattened_columns("人事費 22,386 千元，其他費用 42,874 千元") == ()


def test_loaded_facts_equal_extracted_ones(store, corpus_index):
    from assistant.figures.extract import extract_document

    stored = [f for f in store.facts([PHD]) if not f.derived]
    title = store.document_facts(PHD)[0]
    assert title.slot is DocSlot.TITLE
    fresh = extract_document(corpus_index.doc_chunks(PHD), title.value)
    assert len(stored) == len(fresh)
    for a, b in zip(stored, fresh):
        assert (a.key, a.display, a.years, a.labels, a.quantity.value, a.quantity.kind, a.text, a.far,
                a.section_year) == \
               (b.key, b.display, b.years, b.labels, b.quantity.value, b.quantity.kind, b.text, b.far, b.section_year)


TABLE = "表 1、經費需求表\n單位：千元\n分項\t108 年度\t109 年度\n分項一\t390,000\t400,000\n分項二\t350,000\t365,000\n"
TEXT = "本計畫旨在培育人工智慧人才。\n\n{table}\n本計畫人力配置以專任研究人員為主。\n"


def _doc(path, table: str):
    path.write_text(TEXT.format(table=table), encoding="utf-8")
    return path


def test_reingest_replaces_exactly_the_changed_records(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    a = _doc(docs / "plan-a.txt", TABLE)
    _doc(docs / "plan-b.txt", TABLE.replace("分項", "子計畫"))
    index = PlanIndex(tmp_path / "db")
    ingest_paths([docs], index)
    store = FactStore.of_index(tmp_path / "db")
    before_b = store.rows("plan-b")
    before_a = {(r["row_label"], r["column_label"]): r["value"] for r in store.rows("plan-a") if r["source"] == "cell"}
    assert before_a[("分項二", "109 年度")] == "365000000"
    _doc(a, TABLE.replace("365,000", "366,000"))
    report = ingest_paths([docs], index)
    assert report.updated == ["plan-a"] and report.unchanged == ["plan-b"]
    after_a = {(r["row_label"], r["column_label"]): r["value"] for r in store.rows("plan-a") if r["source"] == "cell"}
    assert after_a == {**before_a, ("分項二", "109 年度"): "366000000"}
    assert store.rows("plan-b") == before_b  # the other document untouched
    assert store.document_facts("plan-a") and store.document_facts("plan-b")
    remove_document(index, "plan-a")
    assert store.rows("plan-a") == [] and store.doc_ids() == ["plan-b"]
    assert store.document_facts("plan-a") == [] and store.document_facts("plan-b")


@pytest.fixture
def one_plan(tmp_path) -> PlanIndex:
    """An index of one small plan (``plan-a``) with its fact store."""
    docs = tmp_path / "docs"
    docs.mkdir()
    _doc(docs / "plan-a.txt", TABLE)
    index = PlanIndex(tmp_path / "db")
    ingest_paths([docs], index)
    return index


def test_sync_fills_an_index_built_before_the_store(tmp_path, one_plan):
    index = one_plan
    (tmp_path / "db" / FILENAME).unlink()
    store = FactStore.of_index(tmp_path / "db")
    assert store.rows() == []
    assert store.sync(index) == ["plan-a"]
    assert any(r["display"] == "390,000 千元" for r in store.rows("plan-a"))
    # the document record (a text file: its first line) is the title's fallback
    title = store.document_facts("plan-a")[0]
    assert (title.slot, title.source, title.value) == (DocSlot.TITLE, DocSource.MANIFEST, "本計畫旨在培育人工智慧人才。")
    assert store.sync(index) == []


def test_a_foreign_file_is_a_one_line_error(tmp_path):
    bad = tmp_path / FILENAME
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(FactStoreError, match=FILENAME):
        FactStore(bad)


def test_an_old_schema_is_rebuilt_and_refilled(tmp_path, one_plan):
    index = one_plan
    path = tmp_path / "db" / FILENAME
    with sqlite3.connect(path) as con:
        con.execute("UPDATE meta SET value='0' WHERE key='schema_version'")
    store = FactStore(path)
    assert store.rows() == []
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (SCHEMA_VERSION,)
    assert store.document_facts() == []
    assert store.sync(index) == ["plan-a"] and store.rows("plan-a") and store.document_facts("plan-a")


def test_facts_written_by_other_rules_are_extracted_again(tmp_path, one_plan):
    index = one_plan
    store = FactStore.of_index(tmp_path / "db")
    assert store.sync(index) == []
    with sqlite3.connect(store.path) as con:
        con.execute("UPDATE documents SET extractor='older-rules'")
    assert store.sync(index) == ["plan-a"]
    assert store.sync(index) == []
