"""Answering on the shipped corpus: figures with their pages, rules, KPI
targets, Simplified Chinese and English questions, conflicting values,
abstention, and the citation checker rejecting a tampered answer."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from assistant.answer import Assistant
from assistant.citations import Source, check_answer, check_sentence

REPO = Path(__file__).resolve().parent.parent
EY = "ey-2018-taiwan-ai-action-plan"
MOST = "most-2018-phd-talent-training"
MODA = "moda-2025-ai-industry-adoption"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def assistant(corpus_index) -> Assistant:
    return Assistant(corpus_index.db)


def pages_containing(doc_id: str, *needles: str) -> set[int]:
    """1-based pages of a shipped PDF whose text holds every needle."""
    reader = PdfReader(str(REPO / "corpus" / "pdf" / f"{doc_id}.pdf"))
    out = set()
    for n, page in enumerate(reader.pages, start=1):
        text = re.sub(r"\s+", "", page.extract_text())
        if all(x in text for x in needles):
            out.add(n)
    return out


def squash(text: str) -> str:
    return re.sub(r"[\s,]", "", text)


def test_budget_figure_from_table_with_its_page(assistant):
    ans = assistant.ask("分項二 108 年度經費是多少？", doc_ids=[MOST])
    assert not ans.abstained
    assert "350000" in squash(ans.answer) and "千元" in ans.answer
    first = ans.citations[0]
    assert first.doc_id == MOST and first.chunk_type == "table"
    assert "350,000" in first.text and "108" in first.text
    assert first.page in pages_containing(MOST, "分項二", "350,000", "108年度")
    assert all(s.verified for s in ans.sentences if s.text in ans.answer)


def test_a_budget_row_is_named_once_without_its_describing_cells(assistant):
    # p.13's row: 分項二:… | 培育數位經濟跨域人才 (計畫策略) | 智慧科技應用、人才
    # 培育與課程開發 (計畫性質) | 0 | 0 | … | 350,000 …
    ans = assistant.ask("分項二 108 年度經費是多少？", doc_ids=[MOST])
    assert ans.answer.count("分項二") == 1
    assert "培育數位經濟跨域人才" not in ans.answer and "課程開發" not in ans.answer
    lead = ans.sentences[0].text
    assert lead.startswith("分項二") and "350,000 千元" in lead and ans.sentences[0].verified


def test_row_name_keeps_names_and_drops_describing_columns():
    from assistant.figures.cells import Cell, row_name

    def cell(path, heads):
        return Cell("1", " ".join(path), "108 年度", 0, 3, "千元", "", tuple(path), ("108 年度",), tuple(heads))
    budget = cell(["分項一:重點產業高階人才培訓與就業計畫", "育才競才與多元進路", "人才培育與課程開發"],
                  ["計畫名稱", "計畫策略", "計畫性質"])
    assert row_name(budget) == ("分項一:重點產業高階人才培訓與就業計畫",)
    agencies = cell(["科技部產學司", "科技部產學司", "重點產業高階人才培訓與就業計畫"],
                    ["主提機關 (含單位)", "申請機關 (含單位)", "計畫名稱"])
    assert row_name(agencies) == ("科技部產學司", "重點產業高階人才培訓與就業計畫")
    # a work item's description is what its row is about: it stays
    work = cell(["分項三", "子項 3.2", "共通化解決方案之工具與應用公版建構"], ["分子項", "分子項", "工作項目說明"])
    assert row_name(work) == work.row_path
    # a short inner label stays wherever it sits; the outermost always does
    assert row_name(cell(["分項一", "其他"], ["", ""])) == ("分項一", "其他")
    assert row_name(cell(["計畫策略甲"], ["計畫策略"])) == ("計畫策略甲",)


def test_eligibility_rule(assistant):
    ans = assistant.ask("申請單位一次至少要申請幾名訓儲菁英？", doc_ids=[MOST])
    assert not ans.abstained
    assert "至少五名" in ans.answer
    assert ans.qtype in ("eligibility", "target")


def test_kpi_target(assistant):
    ans = assistant.ask("分項一全期程要培訓多少名博士級產業訓儲菁英？", doc_ids=[MOST])
    assert not ans.abstained
    assert "1000名" in squash(ans.answer)
    assert ans.citations and all(c.doc_id == MOST for c in ans.citations)


def test_simplified_chinese_question(assistant):
    ans = assistant.ask("博士级产业训储菁英每个月的培训酬金是多少？", doc_ids=[MOST])
    assert ans.lang == "zh-CN"
    assert not ans.abstained
    assert "6萬元" in squash(ans.answer)


def test_english_question(assistant):
    """An English question reaches the plan's Chinese words through the
    glossary (stipend → 培訓酬金, each trainee → 每人) and is answered with
    the plan's own sentence, cited."""
    ans = assistant.ask("How much is the monthly training stipend for each PhD trainee?", doc_ids=[MOST])
    assert ans.lang == "en" and not ans.abstained
    assert "培訓酬金" in ans.answer and "6萬元" in squash(ans.answer)
    assert ans.citations and all(c.doc_id == MOST for c in ans.citations)


def test_english_total_budget_leads_with_an_exact_checked_conversion(assistant):
    """36.765 億元 is NT$3.6765 billion: a conversion rounded to three
    decimals (NT$3.676 billion) failed the citation checker and the answer
    fell back to one year's total."""
    ans = assistant.ask("What is the total budget of the AI industry application and adoption plan?",
                        doc_ids=[MODA])
    lead = ans.sentences[0]
    assert lead.verified and "36.765億元" in squash(lead.text) and "NT$3.6765 billion" in lead.text


def test_conflicting_values_are_both_cited(assistant):
    ans = assistant.ask("合作廠商參與家數的年度指標到底是每年幾家？", doc_ids=[MOST])
    assert not ans.abstained and ans.conflict
    assert "200家" in squash(ans.answer) and "100家" in squash(ans.answer)
    assert len({c.chunk_id for c in ans.citations}) >= 2 or "另有不同數值" in ans.answer


def test_a_figure_the_plan_states_differently_is_flagged_with_both_places(assistant):
    # B005 gives 分項一 109 年 390,000 千元; the text says 4 億元 (the audit's finding)
    ans = assistant.ask("分項一 109 年度編列多少經費？", doc_ids=[MOST])
    assert not ans.abstained and ans.conflict
    assert "390000千元" in squash(ans.answer)
    notice = [s for s in ans.sentences if s.text.startswith("計畫書內數字不一致") and s.verified]
    assert notice and "4億元" in squash(notice[0].text)
    # the same table on another page says what the lead says: not quoted as a conflict
    assert not any("390000千元" in squash(s.text) for s in notice)

    pages = {c.page for c in ans.citations}
    assert len(pages) >= 2  # the table's page and the text's page are both cited


def test_a_rounded_total_citing_its_table_is_flagged_with_the_tables_total(assistant):
    # 「預期未來四年投入約 360 億元(如表 8)」 against 表 8's grand total 366.24 億元:
    # led by the sentence, the cell it cites is the other place, and the
    # notice passes the citation check (its own words are not the source's)
    ans = assistant.ask("臺灣AI行動計畫四年下來到底要投入多少錢？", doc_ids=[EY])
    assert not ans.abstained and ans.conflict
    notice = [s for s in ans.sentences if s.text.startswith("計畫書內數字不一致")]
    assert notice and all(s.verified for s in notice) and "366.24" in notice[0].text
    assert "360" in ans.sentences[0].text


def test_a_supporting_sentence_that_states_another_value_carries_the_notice(assistant):
    # the audit finds 分項一's 109 budget as 390,000 千元 (B005, p.13) and 4 億元
    # (the text, p.11); an answer led by the cell that already quotes the
    # sentence as support marks it rather than quoting it again
    from assistant.compose import Composition
    from assistant.citations import CONFLICT_NOTICE
    from assistant.figures.audit import FindingKind

    finding = next(f for f in assistant.findings(MOST) if f.kind is FindingKind.INCONSISTENT
                   and any("4億元" in squash(e.text) for e in f.evidence))
    sentence = next(e for e in finding.evidence if "4億元" in squash(e.text))
    cell = next(e for e in finding.evidence if e is not sentence)
    chunks = assistant.retriever.chunks
    comp = Composition([(cell.text, chunks[cell.chunk_id]), (sentence.text, chunks[sentence.chunk_id])], False)
    assistant._add_conflicts(comp, [], assistant.titles())
    assert comp.conflict
    assert [t for t, _ in comp.sentences] == [cell.text, CONFLICT_NOTICE + sentence.text.rstrip("。")]


def test_a_cell_quoted_as_a_conflict_is_printed_by_its_rows_name(assistant):
    # led by the text's 4 億元, the answer quotes B005's cell as the other
    # place: by its row's name, column and value, as composed cells are --
    # the finding names the row without its 計畫策略 / 計畫性質 cells too
    from assistant.compose import Composition
    from assistant.figures.audit import FindingKind

    finding = next(f for f in assistant.findings(MOST) if f.kind is FindingKind.INCONSISTENT
                   and any("4億元" in squash(e.text) for e in f.evidence))
    sentence = next(e for e in finding.evidence if "4億元" in squash(e.text))
    cell = next(e for e in finding.evidence if e is not sentence)
    assert cell.text.startswith("分項一:重點產業高階人才培訓與就業計畫｜") and "育才競才與多元進路" not in cell.text
    comp = Composition([(sentence.text, assistant.retriever.chunks[sentence.chunk_id])], False)
    assistant._add_conflicts(comp, [], assistant.titles())
    notices = [t for t, _ in comp.sentences[1:]]
    assert comp.conflict and any("390,000 千元" in t for t in notices)
    assert not any("育才競才與多元進路" in t or "｜" in t for t in notices)


def test_two_dates_for_one_event_are_flagged(assistant):
    # the MODA plan dates the Executive Yuan's approval of 《臺灣 AI 行動計畫
    # 2.0》 as 2023 年 2 月 (p.1's background) and 2024 年 4 月 (the strategy)
    ans = assistant.ask("計畫書說《臺灣 AI 行動計畫 2.0》是什麼時候核定的？", doc_ids=[MODA], top_k=10)
    assert not ans.abstained and ans.conflict
    text = squash(ans.answer)
    assert "2023年2月" in text and "2024年4月" in text


def test_a_count_of_one_thing_that_differs_is_flagged(assistant):
    # 子項 3.2: 「全程產出 10 項 AI 核心工具模組、20 項公版」 in one place,
    # 「全程產出 20 項 AI 核心工具模組,11 個應用公版」 in another
    ans = assistant.ask("全程要產出多少項 AI 核心工具模組與應用公版？", doc_ids=[MODA], top_k=10)
    assert not ans.abstained and ans.conflict
    text = squash(ans.answer)
    assert "10項AI核心工具模組" in text and "20項AI核心工具模組" in text


def test_an_answer_led_by_a_document_fact_lists_its_passage_first(assistant):
    # the plan period comes from the fact store, not from the retriever's
    # ranking: its passage is the first context, as the passage it cites
    ans = assistant.ask("這個計畫執行幾年？", doc_ids=[MODA])
    assert not ans.abstained and "114" in ans.answer and "117" in ans.answer
    assert ans.contexts[0].chunk_id == ans.citations[0].chunk_id
    assert [c.rank for c in ans.contexts] == list(range(1, len(ans.contexts) + 1))
    assert len({c.chunk_id for c in ans.contexts}) == len(ans.contexts)
    assert "。[" not in ans.answer  # the span's own 。 is not doubled


def test_what_a_count_counts():
    from assistant.figures.counted import Counted, counted, counted_in, same_count
    from assistant.figures.quantities import extract_quantities

    def read(text):
        return [(c.noun, c.per) for c in counted(text, extract_quantities(text))]
    assert read("全程產出 10 項 AI 核心工具模組、20 項公版") == [("AI核心工具", False), ("公版", False)]
    # a count per year is not the whole period's count of the same thing
    assert read("本計畫每年培訓 330 名博士級產業訓儲菁英") == [("博士級產業訓", True)]
    assert read("經費 390,000 千元") == [("", False)]  # money counts nothing
    # a fact's quantity carries offsets into its chunk: read where its sentence prints it
    q = extract_quantities("前文很長的一段話。本計畫以每年100家廠商參與為計畫指標")[0]
    assert counted_in("本計畫以每年100家廠商參與為計畫指標", q) == Counted("廠商參與為計", True, "本計畫以每年")
    assert counted_in("另一句話", q) is None
    # the same thing counted: a run of four characters in common, rates alike
    assert same_count(Counted("合作廠商參與", True, "(二)每年"), Counted("廠商參與為計", True, "本計畫以每年"))
    # what comes before the count names whose it is
    assert not same_count(Counted("AI產業艦隊", False, "每年培育數位經濟產業"),
                          Counted("AI產業艦隊", False, "每年培育製造產業"))
    assert not same_count(Counted("合作廠商參與", True), Counted("廠商參與為計", False))
    assert not same_count(Counted("合作廠商參與", True), Counted("製造業者", True))
    assert not same_count(Counted("智慧科技菁英", False), Counted("智慧應用先鋒", False))  # 「智慧」 alone
    assert same_count(Counted("公版", False), Counted("公版", False))
    assert not same_count(Counted("", True), Counted("廠商", True))


def test_two_sentences_counting_one_thing_differently_conflict(assistant):
    # 「每年 200 家合作廠商參與人才培訓」 (p.15) and 「本計畫以每年 100 家廠商參與為計畫指標」
    # (the review replies) share too few words for the word-share test
    ans = assistant.ask("每年要有多少家合作廠商參與人才培訓？", doc_ids=[MOST])
    assert not ans.abstained and "200" in ans.answer
    assert ans.conflict and "100" in ans.answer


def test_finding_conflicts_quote_each_other_value_once_and_match_classifiers():
    from assistant.conflicts import finding_conflicts
    from assistant.figures.audit import Finding, FindingKind
    from assistant.figures.verify import Evidence

    def place(text, chunk_id, page):
        return Evidence(MOST, "plan", page, "", "", "", text, chunk_id)
    a = place("(二) 每年 200 家合作廠商參與人才培訓", "c6", 6)
    b = place("本計畫以每年 100 家廠商參與為計畫指標", "c32", 32)
    a2 = place("- (二) 每年 200 家合作廠商參與人才培訓", "c46", 46)
    findings = [Finding(FindingKind.INCONSISTENT, MOST, 6, "", "m", "100 家", "200 家", [a, b]),
                Finding(FindingKind.INCONSISTENT, MOST, 32, "", "m", "200 家", "100 家", [b, a2])]
    # the lead states 100 家: the two printings of 200 家 are one other place
    assert finding_conflicts([(b.text, "lead")], findings) == [(a.text, "c6")]
    # 100 筆 is not 100 家: a lead counting something else gets no notice
    assert finding_conflicts([("平均每月約 100 筆招募職缺", "lead")], findings) == []


def test_a_supporting_sentences_figure_raises_no_conflict_notice(assistant):
    # the stipend answer's supporting sentence states the 1,000 trainees the
    # audit finds stated twice; the notice is for the lead's figure only
    ans = assistant.ask("How much is the monthly training stipend for a selected PhD trainee, and does it "
                        "depend on years of experience?", doc_ids=[MOST])
    assert not ans.abstained and "6" in ans.answer
    assert not any(s.text.startswith("計畫書內數字不一致") for s in ans.sentences)


def test_unanswerable_question_abstains_with_closest_passages(assistant):
    ans = assistant.ask("分項一 110 年度編列多少經費？", doc_ids=[MOST])
    assert ans.abstained
    assert ans.citations == []
    assert 1 <= len(ans.contexts) <= 3
    assert ans.answer.count("。") == 1


def test_a_component_the_plan_does_not_have_is_not_answered(assistant):
    ans = assistant.ask("分項三 108 年度的經費是多少？", doc_ids=[MOST])  # the plan has 分項一 and 二
    assert ans.abstained and ans.note == "the documents name no 分項 3"
    assert assistant.ask("子項 3.3 在 114 年的經費？", doc_ids=[MODA]).note == "the documents name no 子項 3.3"
    # the plan's own components are answered
    assert not assistant.ask("分項二 108 年度的經費是多少？", doc_ids=[MOST]).abstained


def test_the_total_budget_leads_with_its_figure_and_unit(assistant):
    ans = assistant.ask("What is the total four-year budget of the Taiwan AI Action Plan (2018-2021)?",
                        doc_ids=["ey-2018-taiwan-ai-action-plan"])
    assert ans.sentences[0].text.startswith("合計: 366.24 億元 (NT$36.624 billion)"), ans.answer
    assert ans.sentences[0].verified
    ans = assistant.ask("這個計畫總經費多少？", doc_ids=[MOST])
    assert ans.sentences[0].text.startswith("經費 合計：1,880,000 千元"), ans.answer
    # the table row it was read from is not quoted again as support
    assert not any("合計\t1,880,000" in s.text for s in ans.sentences[1:])


def test_doc_filter_restricts_contexts(assistant):
    ans = assistant.ask("計畫的總經費是多少？", doc_ids=["moda-2025-ai-industry-adoption"], top_k=5)
    assert ans.contexts and {c.doc_id for c in ans.contexts} == {"moda-2025-ai-industry-adoption"}


def test_tampered_answer_is_rejected(assistant):
    ans = assistant.ask("分項二 108 年度經費是多少？", doc_ids=[MOST])
    sources = {c.marker: Source(assistant.retriever.chunks[c.chunk_id].text, "千元") for c in ans.citations}
    assert all(c.verified for c in check_answer(ans.answer, sources))
    tampered = ans.answer.replace("350,000", "360,000", 1)
    checks = check_answer(tampered, sources)
    assert not checks[0].verified and checks[0].unsupported == ["360,000 千元"]
    # the same figure in another scale is still supported: 350,000 千元 = 3.5 億元
    assert check_sentence(ans.sentences[0].text.replace("350,000 千元", "3.5 億元"), sources).verified


def test_citation_checker_rules():
    src = {1: Source("(二) 每年 200 家合作廠商參與人才培訓,全期程 600 家合作廠商。")}
    assert check_sentence("每年 200 家合作廠商參與人才培訓[1]。", src).verified
    assert not check_sentence("每年 200 家合作廠商參與人才培訓。", src).verified  # no citation
    assert "do not exist" in check_sentence("每年 200 家合作廠商參與[2]。", src).reasons[0]
    low = check_sentence("每年補助新創公司研發與國際行銷[1]。", src)
    assert not low.verified and low.coverage < 0.7
    # the English lead's template words are not looked for in the chunk; its figures are
    table = {1: Source("單位:億元\n項目\t114 年度\t115 年度\n總計\t8.265\t9.500", "億元")}
    assert check_sentence("In 2025 (ROC 114), 總計: 8.265 億元[1]。", table).verified
    assert not check_sentence("In 2025 (ROC 114), 總計: 8.300 億元[1]。", table).verified
    # nor are the words an answer frames a quoted place with (a conflict notice);
    # the place itself still is
    short = {1: Source("單位:億元\n行動計畫\t合計\n合計\t366.24", "億元")}
    assert check_sentence("計畫書內數字不一致：合計 合計：366.24 億元[1]。", short).verified
    assert not check_sentence("計畫書內數字不一致：新增 預算：366.24 億元[1]。", short).verified


def test_an_english_lead_states_a_sentences_one_figure():
    from assistant.english import sentence_lead
    from assistant.figures.quantities import extract_quantities

    def lead(text, kinds=frozenset({"money", "count", "percent"}), years=()):
        return sentence_lead(text, extract_quantities(text), set(kinds), list(years))
    assert lead("培訓酬金皆為每人每月 6萬元") == "6萬元 (NT$60 thousand)"
    # the asked year, when the sentence prints it, in both calendars
    assert lead("109 年編列 4億元,進行博士級產業訓儲菁英在職實務訓練", {"money"}, [109]) == \
        "In 2020 (ROC 109): 4億元 (NT$400 million)"
    assert lead("編列 4億元", {"money"}, [109]) == "4億元 (NT$400 million)"
    # two figures: which one answers is not for a template to say
    assert lead("每隊全程一題最高獎金達70萬,計畫全額總獎金高達2,000萬元") is None
    assert lead("第二屆題目目前有42家業者提出74題AI技術應用需求") is None
    assert lead("認證人數達 1,200人", {"money"}) is None  # not the kind asked


def test_an_english_answer_leads_in_english_and_quotes_the_plan(assistant):
    ans = assistant.ask("How much is the monthly training stipend for a PhD trainee?", doc_ids=[MOST])
    assert not ans.abstained
    first, second = ans.sentences[0], ans.sentences[1]
    assert first.text.startswith("6萬元 (NT$60 thousand)") and first.verified
    assert "每月" in second.text and second.citations == first.citations
    # a question of two parts: each English lead is followed by the cell it restates
    ans = assistant.ask("What is the budget of sub-project 2 in 2019, and what is it in 2020?", doc_ids=[MOST])
    leads = [i for i, s in enumerate(ans.sentences) if s.text.startswith("In 20")]
    assert len(leads) == 2
    for i in leads:
        assert "年度" in ans.sentences[i + 1].text and "350,000 千元" in ans.sentences[i + 1].text


def test_an_english_period_answer_leads_with_western_years(assistant):
    from assistant.docanswer import english_period
    from assistant.figures.docfacts import DocSource, DocumentFact
    from assistant.figures.docfields import DocSlot

    ans = assistant.ask("How long does the MODA AI industry adoption plan run?", doc_ids=[MODA])
    assert ans.answer.startswith("2025–2028 (ROC 114–117)[1]。本計畫期程自 114 年至 117 年")
    period = DocumentFact(MODA, DocSlot.PERIOD, "106 年 9 月至 109 年 12 月", "", 1, "c", DocSource.COVER,
                          date_from="2017-09", date_to="2020-12")
    assert english_period(period) == "2017–2020 (ROC 106–109)"
    assert english_period(DocumentFact(MODA, DocSlot.TITLE, "x", "", 1, "c", DocSource.COVER)) is None


def test_cli_json_schema(corpus_index):
    out = subprocess.run([sys.executable, "-m", "assistant", "ask", "分項二 108 年度經費是多少？", "--doc", MOST,
                          "--db", str(corpus_index.db), "--json"], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr
    obj = json.loads(out.stdout)
    assert {"question", "answer", "abstained", "sentences", "citations", "contexts", "timings_ms"} <= set(obj)
    assert {"text", "citations", "verified"} <= set(obj["sentences"][0])
    assert {"marker", "doc_id", "title", "page", "section", "chunk_id", "text"} <= set(obj["citations"][0])
    assert {"rank", "doc_id", "page", "section", "chunk_id", "score", "text"} <= set(obj["contexts"][0])
    # every quoted text is the chunk's document text, not an index text with headings
    assert obj["citations"][0]["text"] in {c["text"] for c in obj["contexts"]}
    assert not obj["citations"][0]["text"].startswith(obj["citations"][0]["section"])


def test_cli_abstains_with_exit_3(corpus_index):
    out = subprocess.run([sys.executable, "-m", "assistant", "ask", "分項二 2030 年度經費是多少？", "--doc", MOST,
                          "--db", str(corpus_index.db)], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert out.returncode == 3
    assert "找不到" in out.stdout and "Traceback" not in out.stderr
