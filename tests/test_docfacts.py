"""Document-level facts (assistant/figures/docfacts.py): title, agency,
period, cover date, review number and total budget of each shipped plan,
read at ingest with their page and verbatim text; a plan PDF the test
builds; replacement on re-ingest and removal; which slot a question asks."""
from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.citations import Source, check_sentence, money_unit_of
from assistant.figures.compare import quantity_supported
from assistant.figures.docfacts import (
    DocSlot,
    DocSource,
    DocumentFact,
    first_fact,
    read_document_facts,
)
from assistant.figures.docquestions import doc_fact_slot
from assistant.figures.quantities import declared_money_unit, extract_quantities
from assistant.figures.store import FactStore
from ingest.pipeline import ingest_paths, remove_document
from ingest.store import PlanIndex

PHD = "most-2018-phd-talent-training"
EY = "ey-2018-taiwan-ai-action-plan"
MODA = "moda-2025-ai-industry-adoption"
MOEA = "moea-2023-digital-talent"
AIGO = "moeaidb-2019-aigo-intro"

T, A, P, B = DocSlot.TITLE, DocSlot.AGENCY, DocSlot.PERIOD, DocSlot.TOTAL_BUDGET
COVER, TABLE, TEXT, MANIFEST = DocSource.COVER, DocSource.TABLE, DocSource.TEXT, DocSource.MANIFEST

# The best fact of each slot: (value, page, source), as printed in corpus/sources.
EXPECTED = {
    PHD: {  # cover 「重點產業高階人才培訓與就業計畫」 / 科技部 / 計畫全程; 基本資料表(A003) 資源投入 合計 (p.3)
        T: ("重點產業高階人才培訓與就業計畫", 1, COVER),
        A: ("科技部", 1, COVER),
        P: ("106 年 9 月至 109 年 12 月", 1, COVER),
        B: ("1,880,000 千元", 3, TABLE),
    },
    EY: {  # cover: 行政院 … 院臺科會字第 1070172174 號函核定 / 臺灣 AI 行動計畫; 表 8 合計 (p.25)
        T: ("臺灣 AI 行動計畫", 1, COVER),
        A: ("行政院", 1, COVER),
        # the cover line 「(2018-2021 年)」 is lost in chunking: the document record's period
        P: ("2018-2021 年", None, MANIFEST),
        B: ("366.24 億元", 25, TABLE),
    },
    MODA: {  # cover: 數位發展部; 本計畫期程自 114 年至 117 年 (p.51); 表 4 總計 × 合計 (p.54)
        # the cover's first title line 「晶片驅動臺灣產業創新」 is lost in chunking: the
        # 性別影響評估檢視表's 「計畫名稱:」 line is the first whole title
        T: ("晶片驅動臺灣產業創新-生成式 AI 產業應用與普及發展計畫", 62, TEXT),
        A: ("數位發展部", 2, COVER),
        P: ("114 年至 117 年", 51, TEXT),
        B: ("36.765 億元", 54, TABLE),
    },
    MOEA: {  # cover 修正對照表(A009): 計畫名稱 / 申請機關(單位):經濟部; 基本資料表 執行期間, 資源投入 合計 (p.11)
        T: ("數位與特殊技術人才發展計畫", 1, COVER),
        A: ("經濟部", 1, COVER),
        P: ("112 年 01 月 01 日 至 113 年 12 月 31 日", 11, TABLE),
        B: ("1,533,000 千元", 11, TABLE),
    },
    AIGO: {  # cover title line; 「經濟部工業局主辦」 (p.6); no period or budget in the deck
        T: ("AI產業之創新驅動 人才接軌、產業創新人才培育計畫(AI GO)介紹", 1, COVER),
        A: ("經濟部工業局", 6, TEXT),
        P: ("108 年度", None, MANIFEST),
        B: None,
    },
}
YEARS = {PHD: (2017, 2020), EY: (2018, 2021), MODA: (2025, 2028), MOEA: (2023, 2024), AIGO: (2019, 2019)}
AMOUNTS = {PHD: Decimal(1_880_000_000), EY: Decimal(36_624_000_000), MODA: Decimal(3_676_500_000),
           MOEA: Decimal(1_533_000_000)}
OTHER = {  # cover date and review number: (value, page) or None
    PHD: {DocSlot.COVER_DATE: ("107 年 8 月", 1), DocSlot.REVIEW_NUMBER: ("108-1901-06-20-01", 1)},
    EY: {DocSlot.COVER_DATE: ("2018 年 6 月", 2),  # joined to the 目錄 title by the cleaner: page 2
         DocSlot.REVIEW_NUMBER: ("院臺科會字第 1070172174 號", 1)},
    MODA: {DocSlot.COVER_DATE: ("114年03月", 2), DocSlot.REVIEW_NUMBER: None},
    MOEA: {DocSlot.COVER_DATE: None, DocSlot.REVIEW_NUMBER: ("112-1402-11-20-01", 1)},
    AIGO: {DocSlot.COVER_DATE: ("108年6月11日", 1), DocSlot.REVIEW_NUMBER: None},
}


@pytest.fixture(scope="module")
def facts(corpus_index) -> dict[str, list[DocumentFact]]:
    store = FactStore.of_index(corpus_index.db)
    return {d: store.document_facts(d) for d in EXPECTED}


@pytest.mark.parametrize("doc_id", list(EXPECTED))
def test_title_agency_period_and_budget_with_page(facts, doc_id):
    for slot, want in EXPECTED[doc_id].items():
        got = first_fact(facts[doc_id], slot)
        if want is None:
            assert got is None, got
            continue
        assert got is not None, slot
        assert (got.value, got.page, got.source) == want, slot
    period = first_fact(facts[doc_id], P)
    assert (period.year_from, period.year_to) == YEARS[doc_id]
    budget = first_fact(facts[doc_id], B)
    if budget is not None:
        assert budget.amount == AMOUNTS[doc_id] and budget.unit in ("千元", "億元")


@pytest.mark.parametrize("doc_id", list(OTHER))
def test_cover_date_and_review_number(facts, doc_id):
    for slot, want in OTHER[doc_id].items():
        got = first_fact(facts[doc_id], slot)
        assert ((got.value, got.page) if got else None) == want, slot
    date = first_fact(facts[doc_id], DocSlot.COVER_DATE)
    if date is not None:
        assert date.source is COVER and date.date_from == date.date_to
    assert first_fact(facts[PHD], DocSlot.COVER_DATE).date_from == "2018-08"
    assert first_fact(facts[AIGO], DocSlot.COVER_DATE).date_from == "2019-06-11"


def test_labels_and_the_other_agencies_and_periods(facts):
    phd = {(f.slot, f.label): f for f in facts[PHD]}
    assert phd[(A, "主管機關")].value == "科技部"
    assert phd[(A, "預定執行機關")].value == "產學及園區業務司、經濟部工業局"
    assert phd[(P, "全程期間")].date_from == "2017-09-01" and phd[(P, "執行期間")].date_to == "2020-12-31"
    moea = [f for f in facts[MOEA] if f.slot is P]
    assert [(f.label, f.year_from, f.year_to) for f in moea] == [("執行期間", 2023, 2024), ("全程期間", 2021, 2025)]
    assert first_fact(facts[EY], DocSlot.REVIEW_NUMBER).label == "核定文號"
    assert first_fact(facts[EY], A).label == "核定機關"
    # text facts only where the cover and tables say nothing; one per slot
    for doc_facts in facts.values():
        for slot in DocSlot:
            sources = [f.source for f in doc_facts if f.slot is slot]
            assert sources == sorted(sources, key=list(DocSource).index)
            if TEXT in sources or MANIFEST in sources:
                assert len(sources) == 1, (slot, sources)


def test_every_fact_quotes_its_chunk_verbatim_and_passes_the_citation_check(facts, corpus_index):
    chunks = {c.chunk_id: c for c in corpus_index.chunks}
    n = 0
    for doc_id, doc_facts in facts.items():
        for f in doc_facts:
            if f.source is MANIFEST:
                assert f.page is None and f.chunk_id == "" and f.text == f.value
                continue
            c = chunks[f.chunk_id]
            assert c.doc_id == doc_id and c.page == f.page
            assert f.text and f.text in c.text
            src = Source(c.text, money_unit_of(c.table_unit), " ".join([*c.section_path, c.table_title]))
            assert check_sentence(f"「{f.text}」[1]", {1: src}).verified, f
            if f.amount is None:
                assert f.value in f.text
            else:  # the value in 元 is what the chunk states, in its declared unit
                q = extract_quantities(f.value)[0]
                assert Decimal(str(q.value)) == f.amount
                unit = money_unit_of(c.table_unit) or declared_money_unit(c.text)
                assert quantity_supported(q, c.text, default_money_unit=unit), f
            n += 1
    assert n >= 25


# ------------------------------------------------------------- a built PDF
COVER_BLOCKS = [
    ("p", "政府科技發展中長程個案計畫書"),
    ("p", "審議編號：113-1401-02-20-01"),
    ("p", "經濟部"),
    ("p", "「智慧製造人才培育計畫」"),
    ("p", "計畫期程：113 年 1 月至 116 年 12 月"),
    ("p", "中華民國 112 年 10 月"),
    ("break", None),
    ("h", "壹、基本資料表"),
    ("table", [["計畫名稱", "智慧製造人才培育計畫"], ["主管機關", "經濟部"], ["主辦機關", "經濟部產業發展署"],
               ["執行期間", "113 年 1 月 1 日至 116 年 12 月 31 日"], ["全程經費", "新臺幣 12.5 億元"]]),
    ("h", "貳、計畫內容"),
    ("p", "本計畫培育智慧製造人才，每年培訓 500 人次。"),
]


def _by_slot(store: FactStore, doc_id: str) -> dict:
    out: dict = {}
    for f in store.document_facts(doc_id):
        out.setdefault(f.slot, []).append(f)
    return out


def test_a_built_plan_gets_its_cover_and_basic_data_facts(tmp_path, make_pdf):
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf("docs/smart.pdf", COVER_BLOCKS)
    index = PlanIndex(tmp_path / "db")
    ingest_paths([folder], index)
    store = FactStore.of_index(tmp_path / "db")
    got = _by_slot(store, "smart")
    title, = got[T]  # the 基本資料表's 計畫名稱 repeats the cover's: kept once
    assert (title.value, title.page, title.source, title.text) == ("智慧製造人才培育計畫", 1, COVER, "「智慧製造人才培育計畫」")
    assert [(f.value, f.label, f.source, f.page) for f in got[A]] == [
        ("經濟部", "", COVER, 1), ("經濟部", "主管機關", TABLE, 2), ("經濟部產業發展署", "主辦機關", TABLE, 2)]
    cover_period, table_period = got[P]
    assert (cover_period.value, cover_period.date_from, cover_period.date_to) == ("113 年 1 月至 116 年 12 月",
                                                                                 "2024-01", "2027-12")
    assert (table_period.label, table_period.date_from, table_period.date_to) == ("執行期間", "2024-01-01", "2027-12-31")
    assert (got[DocSlot.COVER_DATE][0].value, got[DocSlot.COVER_DATE][0].date_from) == ("中華民國 112 年 10 月", "2023-10")
    assert got[DocSlot.REVIEW_NUMBER][0].value == "113-1401-02-20-01"
    budget, = got[B]
    assert (budget.value, budget.amount, budget.unit, budget.page, budget.source) == (
        "新臺幣 12.5 億元", Decimal(1_250_000_000), "億元", 2, TABLE)
    assert budget.text == "全程經費\t新臺幣 12.5 億元"


def _edit(value):
    """A block value with another title and budget."""
    if isinstance(value, list):
        return [[_edit(cell) for cell in row] for row in value]
    return value.replace("12.5 億元", "13 億元").replace("智慧製造", "智慧機械") if isinstance(value, str) else value


def test_reingest_replaces_and_removal_deletes_the_document_facts(tmp_path, make_pdf):
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf("docs/smart.pdf", COVER_BLOCKS)
    index = PlanIndex(tmp_path / "db")
    ingest_paths([folder], index)
    store = FactStore.of_index(tmp_path / "db")
    before = store.document_facts("smart")
    make_pdf("docs/smart.pdf", [(k, _edit(v)) for k, v in COVER_BLOCKS])
    assert ingest_paths([folder], index).updated == ["smart"]
    after = store.document_facts("smart")
    assert len(after) == len(before)
    assert first_fact(after, T).value == "智慧機械人才培育計畫"
    assert first_fact(after, B).amount == Decimal(1_300_000_000)
    assert not any("智慧製造" in f.value or f.amount == Decimal(1_250_000_000) for f in after)
    remove_document(index, "smart")
    assert store.document_facts("smart") == [] and store.document_facts() == []


def test_the_document_record_is_the_fallback():
    meta = {"title": "測試計畫", "agency": "經濟部", "period": "2018-2021 年"}
    got = read_document_facts("x", [], [], meta)
    assert [(f.slot, f.value, f.source, f.page, f.chunk_id) for f in got] == [
        (T, "測試計畫", MANIFEST, None, ""), (A, "經濟部", MANIFEST, None, ""), (P, "2018-2021 年", MANIFEST, None, "")]
    assert (got[2].year_from, got[2].year_to) == (2018, 2021)
    assert read_document_facts("x", [], [], None) == []


# ------------------------------------------------------------ questions
@pytest.mark.parametrize("question, slot", [
    ("這個計畫的全名是什麼？", T),
    ("數位部這本 AI 普及計畫的正式全名是什麼？", T),
    ("计划的全称是什么", T),
    ("What is the full name of the plan?", T),
    ("本計畫執行期間為何？", P),
    ("計畫期程多久？", P),
    ("這個計畫的全程期間是從哪天到哪天？", P),
    ("执行期间是哪几年？", P),
    ("What years does MODA's AI industry adoption plan run?", P),
    ("How long does the plan run?", P),
    ("How long does the MODA AI industry adoption plan run?", P),
    ("How many years does the PhD training programme run?", P),
    ("What is the programme's duration?", P),
    ("主管機關是哪個部會？", A),
    ("這個計畫是哪些單位在執行？", A),
    ("这个计划由哪个机关负责？", A),
    ("Which government agency runs AI GO?", A),
    ("計畫何時公布？", DocSlot.COVER_DATE),
    ("这份计划书是什么时候发布的？", DocSlot.COVER_DATE),
    ("When was the plan published?", DocSlot.COVER_DATE),
    ("這份計畫書的審議編號是多少？", DocSlot.REVIEW_NUMBER),
    ("What is the review number?", DocSlot.REVIEW_NUMBER),
    ("本計畫全程經費是多少？", B),
    ("「AI產業應用與普及發展計畫」全程總經費是多少？", B),
    ("这个计划的总经费是多少？", B),
    ("這個計畫要花多少錢？", B),
    ("What's the total budget of Taiwan's AI Action Plan over its four years?", B),
    ("計畫名稱為重點產業高階人才培訓與就業計畫的總經費是多少？", B),
])
def test_doc_fact_slot_finds_the_slot(question, slot):
    assert doc_fact_slot(question) is slot


def test_the_plans_own_period_does_not_make_a_total_a_part():
    # years spanning exactly the plan's period still ask for the total
    q = "What is the total four-year budget of the Taiwan AI Action Plan (2018-2021)?"
    assert doc_fact_slot(q, (2018, 2021)) is B
    assert doc_fact_slot("臺灣AI行動計畫（2018-2021年）四年總共預計投入多少經費？", (2018, 2021)) is B
    assert doc_fact_slot("臺灣AI行動計畫107至110年總經費是多少？", (2018, 2021)) is B
    assert doc_fact_slot(q) is None                     # the period unknown: a span of years
    assert doc_fact_slot(q, (2019, 2021)) is None       # not the plan's period
    assert doc_fact_slot("108至109年總經費是多少？", (2017, 2020)) is None
    assert doc_fact_slot("How much will the Taiwan AI Action Plan invest in total over its four years?") is B
    assert doc_fact_slot("Roughly how much money does the Taiwan AI Action Plan (2018–2021) commit in total?",
                         (2018, 2021)) is B


@pytest.mark.parametrize("question", [
    "分項二的經費是多少？",                                # a component's budget
    "分項二 108 年度經費是多少？",
    "108 年度的總經費是多少？",                            # one year's
    "112到113年這一期計畫的總經費是多少？",
    "每年經費多少？",
    "人事費總額是多少？",
    "四年間的既有預算與新增預算合計分別是多少億元？",
    "经济部产业技术司四年经费合计是多少？",               # an organ's part
    "資安經費投入自評表中，資安經費多少？占總經費比例？",
    "AI网络学院教学平台的建置经费是多少？",
    "本計畫經費是用什麼計價方式估算的？",
    "How much does sub-project 2 cost in 2019?",
    "Which ministry is in charge of the 'International AI Innovation Hub' pillar?",
    "申請資格為何？",
    "哪些單位可以申請補助？",
    "Who can apply?",
    "高雄軟體園區的數位轉型共創基地在110年與哪些單位合作啟用了什麼場域？",
    "AI 應用鬥智賽由誰組隊解題？",
    "整個計畫期間要協助多少家企業用到本計畫的 AI 應用服務？",
    "還沒畢業的博士生或目前有工作的人，什麼時候開始領培訓酬金？",
    "實習期間多久？",
    "How long is the internship?",
    "How long is the programme office's contract?",
    "How many years of experience do trainees need?",
    "What is the total resource input over the whole program period (2017-2020)?",
    "KPI 目標值是多少？",
    "臺灣 AI 行動計畫是哪一天由行政院函核定？",            # an approval date, not the cover date
])
def test_doc_fact_slot_is_conservative(question):
    assert doc_fact_slot(question) is None
