"""Plan overview and facts export on the shipped corpus: the overview's
figures are the fact store's own records (value, page, chunk), its header
and stated total the document facts, the eligibility quotes are verbatim,
the CLI commands and the CSV escaping."""
from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest

from assistant.cli import main
from assistant.figures.docfacts import DocSlot, first_fact
from assistant.figures.export import (
    COLUMNS,
    EMPTY_INDEX,
    csv_cell,
    export_rows,
    to_csv,
    to_json,
)
from assistant.figures.overview import (
    BudgetCell,
    BudgetTable,
    Figure,
    Overview,
    Quote,
    display_width,
    format_text,
    overview,
)
from assistant.figures.store import FactStore

PHD = "most-2018-phd-talent-training"
KPI_WORDS = re.compile(r"指標|目標|KPI|績效", re.IGNORECASE)


@pytest.fixture(scope="module")
def store(corpus_index) -> FactStore:
    return FactStore.of_index(corpus_index.db)


@pytest.fixture(scope="module")
def phd(corpus_index) -> Overview:
    return overview(PHD, db_dir=corpus_index.db)


@pytest.fixture(scope="module")
def all_overviews(corpus_index) -> dict[str, Overview]:
    return {r.doc_id: overview(r.doc_id, db_dir=corpus_index.db) for r in corpus_index.index.list_documents()}


def _record(store: FactStore, fig: Figure) -> dict:
    """The store record a figure was read from."""
    return next(r for r in store.rows() if r["fact_id"] == fig.fact_id)


# ------------------------------------------------------------------ budget
def test_budget_of_part_two_in_108_is_the_tables_cell(phd, store):
    cell = phd.budget.cell(108, "分項二")
    assert cell is not None and cell.year == 2019
    fig = cell.figure
    assert fig.display == "350,000 千元" and fig.unit == "千元"
    assert fig.amount == Decimal(350_000_000)  # normalised to 元
    # the same cell in the fact store: a table cell with the same value and page
    cells = [r for r in store.rows(PHD, year=108, measure="經費")
             if r["source"] == "cell" and r["subject"] == "分項二" and r["aggregate"]]
    assert cells, "the store has no table cell for 分項二 in 108"
    assert (fig.value, fig.page, fig.chunk_id) in {(r["value"], r["page"], r["chunk_id"]) for r in cells}
    assert fig.source == "cell" and fig.fact_id in {r["fact_id"] for r in cells}
    assert ov_years(phd) == [106, 107, 108, 109] and phd.budget.subjects == ["分項一", "分項二"]


def ov_years(ov: Overview) -> list[int]:
    return [y - 1911 for y in ov.budget.years]


def test_every_figure_is_a_store_record_with_its_page(all_overviews, store):
    by_id = {r["fact_id"]: r for r in store.rows()}
    n = 0
    for ov in all_overviews.values():
        figures = [c.figure for c in ov.budget.cells + ov.budget.totals]
        figures += [x for c in ov.budget.cells + ov.budget.totals for x in c.conflicts]
        figures += [k.figure for k in ov.kpis]
        if ov.total is not None and (ov.total.fact_id is not None or ov.total.summed):
            figures.append(ov.total)
        for fig in figures:
            for f in (fig.parts if fig.summed else [fig]):
                r = by_id[f.fact_id]
                assert r["doc_id"] == ov.doc_id
                assert (f.value, f.page, f.chunk_id, f.display) == (r["value"], r["page"], r["chunk_id"], r["display"])
                assert isinstance(f.page, int) and f.page >= 1
                n += 1
    assert n > 50


def test_cells_prefer_tables_and_totals_and_list_other_values_as_conflicts(phd, store):
    for c in phd.budget.cells:
        stated = [r for r in store.rows(PHD, year=c.year, measure="經費")
                  if r["subject"] == c.subject and r["kind"] == "money" and r["year_from"] == r["year_to"]]
        if any(r["source"] == "cell" for r in stated):
            assert c.figure.source == "cell", (c.year, c.subject)
        if any(r["source"] == "cell" and r["aggregate"] for r in stated):
            assert _record(store, c.figure)["aggregate"] == 1
        for x in c.conflicts:
            assert x.amount != c.figure.amount and x.page
    # 分項一 in 109: the table's 390,000 千元 is kept; a sentence elsewhere says otherwise
    cell = phd.budget.cell(109, "分項一")
    assert cell.figure.display == "390,000 千元" and cell.figure.source == "cell"
    assert cell.conflicts and all(x.source == "sentence" for x in cell.conflicts)


def test_total_is_stated_or_the_exact_sum_of_the_yearly_totals(all_overviews, phd):
    for ov in all_overviews.values():
        for t in ov.budget.totals:
            if t.figure.summed:  # no stated total for the year: the sum of its 分項
                parts = [c.figure for c in ov.budget.cells if c.year == t.year]
                assert t.figure.amount == sum(p.amount for p in parts)
        if ov.total is not None and ov.total.summed:
            assert ov.total.parts == [t.figure for t in ov.budget.totals]
            assert ov.total.amount == sum(t.figure.amount for t in ov.budget.totals)
            assert ov.total.page is None
    # the MOST plan states its total in the 基本資料表's 資源投入 table: 合計 of the year
    # block (106~109) in its 經費(千元) column, a money cell of the fact store
    assert not phd.total.summed and phd.total.display == "1,880,000 千元" and phd.total.fact_id is not None
    assert (phd.total.page, phd.total.source, phd.total.text) == (3, "cell", "合計(106~109 年)｜經費(千元)：1,880,000 千元")
    assert phd.total.amount == sum(t.figure.amount for t in phd.budget.totals)  # 10,000 + 390,000 + 740,000 × 2
    # the Executive Yuan plan states its grand total in table 8
    ey = all_overviews["ey-2018-taiwan-ai-action-plan"]
    assert not ey.total.summed and ey.total.source == "cell"
    assert ey.total.amount == sum(t.figure.amount for t in ey.budget.totals)  # the grand total, not a subtotal


def test_header_and_stated_total_are_the_best_document_facts(all_overviews, store):
    for ov in all_overviews.values():
        facts = store.document_facts(ov.doc_id)
        for slot, shown in ((DocSlot.TITLE, ov.title), (DocSlot.AGENCY, ov.agency), (DocSlot.PERIOD, ov.period)):
            assert shown == first_fact(facts, slot).value
        stated = first_fact(facts, DocSlot.TOTAL_BUDGET)
        if stated is None:
            assert ov.total is None or ov.total.summed
        else:
            assert (ov.total.amount, ov.total.page, ov.total.chunk_id) == (stated.amount, stated.page, stated.chunk_id)
    assert (all_overviews[PHD].agency, all_overviews[PHD].period) == ("科技部", "106 年 9 月至 109 年 12 月")


# ---------------------------------------------------------------------- KPI
def test_kpi_targets_come_from_kpi_tables_with_pages(phd, store):
    assert len(phd.kpis) >= 10
    by_id = {r["fact_id"]: r for r in store.rows(PHD)}
    for k in phd.kpis:
        r = by_id[k.figure.fact_id]
        assert r["kind"] in ("count", "percent") and r["source"] in ("cell", "text_cell")
        assert any(KPI_WORDS.search(t) for t in [r["table_title"], r["column_label"], *r["column_path"]])
        assert k.figure.page == r["page"] and k.figure.chunk_id == r["chunk_id"]
        assert (k.year_from, k.year_to) == (r["year_from"], r["year_to"])
    years = [k.year_from for k in phd.kpis if k.year_from is not None]
    assert years == sorted(years)


# -------------------------------------------------------------- eligibility
def test_eligibility_quotes_are_verbatim_with_their_pages(all_overviews, corpus_index):
    chunks = {c.chunk_id: c for c in corpus_index.chunks}
    for ov in all_overviews.values():
        for q in ov.eligibility:
            for quote in [q, *q.items]:
                c = chunks[quote.chunk_id]
                assert c.doc_id == ov.doc_id and c.page == quote.page
                assert quote.text and quote.text in c.text
    phd = all_overviews[PHD]
    assert any("申請資格" in q.text for q in phd.eligibility)
    listed = [q for q in phd.eligibility if q.items]
    assert listed and all(q.text.endswith((":", "：")) for q in listed)
    texts = [q.text for q in phd.eligibility]
    assert len(texts) == len(set(texts))


def test_unknown_document_names_the_valid_ids(corpus_index):
    with pytest.raises(ValueError, match=f"unknown document no-such-plan; indexed: .*{PHD}"):
        overview("no-such-plan", db_dir=corpus_index.db)


# ------------------------------------------------------------------ text/CLI
def test_text_overview_aligns_the_budget_table(phd):
    lines = format_text(phd).splitlines()
    assert lines[0] == f"{phd.title} ({PHD})"
    head = next(i for i, ln in enumerate(lines) if ln.startswith("年度 year"))
    table = lines[head:head + 1 + len(phd.budget.years)]
    col = display_width(table[0][:table[0].index("分項二")])
    for row in table[1:]:
        cut = next(i for i in range(len(row) + 1) if display_width(row[:i]) >= col)
        assert display_width(row[:cut]) == col and row[cut - 2:cut] == "  ", row
    cell = phd.budget.cell(108, "分項二").figure
    assert f"350,000 千元 p.{cell.page}" in table[3]


def test_cli_overview_json_and_text(corpus_index, capsys):
    assert main(["overview", "--doc", PHD, "--db", str(corpus_index.db), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["doc_id"] == PHD and out["title"]
    cell = next(c for c in out["budget"]["cells"] if c["year"] == 2019 and c["subject"] == "分項二")
    assert cell["figure"]["display"] == "350,000 千元" and isinstance(cell["figure"]["page"], int)
    assert out["kpis"] and out["eligibility"]
    assert main(["overview", "--doc", PHD, "--db", str(corpus_index.db)]) == 0
    text = capsys.readouterr().out
    assert f"350,000 千元 p.{cell['figure']['page']}" in text and "申請資格" in text


def test_cli_facts_csv_round_trips_and_years_may_be_roc(corpus_index, store, capsys):
    db = str(corpus_index.db)
    assert main(["facts", "--doc", PHD, "--year", "108", "--measure", "經費", "--csv", "--db", db]) == 0
    roc = capsys.readouterr().out
    assert main(["facts", "--doc", PHD, "--year", "2019", "--measure", "經費", "--csv", "--db", db]) == 0
    assert capsys.readouterr().out == roc
    rows = list(csv.reader(io.StringIO(roc)))
    assert tuple(rows[0]) == COLUMNS
    expected = export_rows(store, doc_id=PHD, year=2019, measure="經費")
    assert len(rows) - 1 == len(expected) > 0
    got = [dict(zip(COLUMNS, r)) for r in rows[1:]]
    assert any(r["subject"] == "分項二" and r["display"] == "350,000 千元" and r["source"] == "cell" for r in got)
    for r, e in zip(got, expected):
        assert r["page"] == str(e["page"]) and r["value"] == e["value"] and r["text"].lstrip("'") == e["text"]
    assert main(["facts", "--doc", PHD, "--year", "108", "--json", "--db", db]) == 0
    js = json.loads(capsys.readouterr().out)
    assert js == export_rows(store, doc_id=PHD, year=108) and all(tuple(r) == COLUMNS for r in js)


def test_cli_errors_are_one_line_with_exit_2(corpus_index, tmp_path, capsys):
    assert main(["overview", "--doc", "no-such-plan", "--db", str(corpus_index.db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown document no-such-plan") and err.count("\n") == 1 and PHD in err
    assert main(["facts", "--doc", "no-such-plan", "--csv", "--db", str(corpus_index.db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown document") and err.count("\n") == 1
    for argv in (["overview", "--doc", PHD], ["facts", "--json"]):
        assert main([*argv, "--db", str(tmp_path / "empty")]) == 2
        assert capsys.readouterr().err == f"error: {EMPTY_INDEX}\n"
    with pytest.raises(SystemExit) as exc:  # one of --csv/--json is required
        main(["facts", "--db", str(corpus_index.db)])
    assert exc.value.code == 2


# --------------------------------------------------------------- CSV escaping
def _row(**values) -> dict:
    return {c: values.get(c, "") for c in COLUMNS}


def test_csv_cells_that_start_a_formula_get_a_quote():
    rows = [_row(doc_id="d", text="=HYPERLINK(\"http://x\",\"y\")", row_label="-5", column_label="+1",
                 table_title="@SUM(A1)", unit="\tTab", measure="\rCR", value="-5", display="350,000 千元",
                 qualifier="a,b \"q\"\nline"),
            _row(doc_id="d", text="-2 + 3", value="12", page=7, year_from=None)]
    parsed = list(csv.reader(io.StringIO(to_csv(rows))))
    assert tuple(parsed[0]) == COLUMNS
    first = dict(zip(COLUMNS, parsed[1]))
    assert first["text"] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert first["row_label"] == "'-5" and first["value"] == "'-5"  # a negative number is quoted too
    assert first["column_label"] == "'+1" and first["table_title"] == "'@SUM(A1)"
    assert first["unit"] == "'\tTab" and first["measure"] == "'\rCR"
    assert first["display"] == "350,000 千元" and first["qualifier"] == "a,b \"q\"\nline"  # csv quoting round-trips
    second = dict(zip(COLUMNS, parsed[2]))
    assert second["text"] == "'-2 + 3" and second["value"] == "12" and second["page"] == "7" and second["year_from"] == ""
    assert csv_cell(None) == "" and csv_cell(-5) == "'-5" and csv_cell(5) == "5"
    # JSON is never altered
    assert json.loads(to_json(rows))[0]["text"] == rows[0]["text"]


# --------------------------------------------------------------------- render
def test_overview_html_escapes_and_shows_pages(phd):
    from planqa_ui.render import budget_chart_frame, overview_html

    html = overview_html(phd)
    fig = phd.budget.cell(108, "分項二").figure
    assert "350,000 千元" in html and f"p.{fig.page}</small>" in html
    frame, unit = budget_chart_frame(phd)
    assert unit == "千元" and len(frame) == len(phd.budget.cells)
    row = frame[(frame["分項"] == "分項二") & (frame["年度 year"] == "108 年")]
    assert float(row["經費 budget"].iloc[0]) == 350_000.0

    evil = "<script>alert(1)</script>"
    f = Figure(display=f"1 千元{evil}", value="1000", unit="千元", kind="money", page=3, chunk_id=evil,
               fact_id=1, source="cell", table_title=evil, row_label="\" onmouseover=\"x", column_label="c")
    ov = Overview(doc_id=evil, title=evil, agency=evil, period=evil, pages=1, total=f,
                  budget=BudgetTable(years=[2019], subjects=["分項一"], cells=[BudgetCell(2019, "分項一", f, [f])],
                                     totals=[BudgetCell(2019, "", f)]),
                  eligibility=[Quote(evil, 2, evil, evil, [Quote(evil, 2, evil)])])
    out = overview_html(ov)
    assert "<script" not in out and "&lt;script&gt;" in out
    assert '" onmouseover="' not in out
