"""The UI's HTML (:mod:`planqa_ui.render`, :mod:`planqa_ui.highlight`) for
real answers: the shipped corpus (the session's ``corpus_index``) and a small
index holding a document full of HTML."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from planqa_ui import render
from planqa_ui.highlight import table_view, text_spans
from planqa_ui.service import PlanService
from tests.browser.appserver import XSS_NAME, XSS_QUESTION, XSS_TEXT

ROOT = Path(__file__).resolve().parents[1]
PHD_TITLE = "重點產業高階人才培訓與就業計畫"
BUDGET_Q = "分項二 108 年度經費是多少？"
ROW_LABEL = "分項二:AI 智慧應用暨新世代人才培育推動"


@pytest.fixture(scope="module")
def corpus(corpus_index):
    return PlanService(corpus_index.db)


@pytest.fixture(scope="module")
def budget(corpus):
    return corpus.ask(BUDGET_Q)


@pytest.fixture(scope="module")
def xss_service(tmp_path_factory):
    """A small index: the AI GO deck's source text and a text whose title
    and body carry <script> and <img onerror>."""
    tmp = tmp_path_factory.mktemp("ui-render")
    doc = tmp / XSS_NAME
    doc.write_text(XSS_TEXT, encoding="utf-8")
    service = PlanService(tmp / "db")
    report = service.ingest_paths([ROOT / "corpus" / "sources" / "moeaidb-2019-aigo-intro.txt", doc])
    assert len(report.added) == 2 and not report.errors
    return service


def test_budget_answer_links_every_marker_to_its_source(budget):
    html = render.answer_message_html(budget, 3)
    assert "350,000 千元" in html
    markers = {int(m) for m in re.findall(r'href="#pq-src-3-(\d+)"', html)}
    assert markers == {c.marker for c in budget.citations}
    sources = render.sources_section_html(budget, 3)
    for c in budget.citations:
        assert f'id="pq-src-3-{c.marker}"' in sources
    assert "\n\n" not in html + sources  # one Markdown HTML block


def test_budget_source_marks_the_figure_in_the_named_row(budget):
    sources = render.sources_section_html(budget, 1)
    assert PHD_TITLE in sources
    assert re.search(r"第 \d+ 頁 \(p\. \d+\)", sources)
    # the lead's table: the row the answer reads from is highlighted (a
    # supporting figure of another table marks its own row there)
    lead = budget.citations[0]
    lead_html = render.passage_html(lead.text, lead.chunk_type,
                                    [s.text for s in budget.sentences if s.verified and lead.marker in s.citations])
    assert lead_html in sources
    hit_rows = re.findall(r'<tr class="pq-hit-row">(.*?)</tr>', lead_html)
    assert hit_rows, "the row the answer reads from is highlighted"
    for row in hit_rows:
        assert f'<mark class="pq-mark">{ROW_LABEL}</mark>' in row
    assert any('<mark class="pq-mark">350,000</mark>' in row for row in hit_rows)
    # the other sub-project's row is not marked
    other = re.search(r"<tr>(<td[^>]*>分項一.*?)</tr>", lead_html)
    assert other and "pq-mark" not in other.group(1)
    assert '單位:<mark class="pq-mark">千元</mark>' in sources


def test_table_view_on_the_real_budget_table(corpus_index):
    chunk = next(c for c in corpus_index.chunks if c.chunk_type == "table" and ROW_LABEL in c.text
                 and "350,000" in c.text and "116,000" in c.text)
    view = table_view(chunk.text, [f"{ROW_LABEL} 108 年度 經常支出 人事費：116,000 千元[1]。"])
    (row,) = [view.rows[r] for r in view.hit_rows]
    marked = [cell for cell, spans in row if spans]
    assert marked[0] == ROW_LABEL and "116,000" in marked and "350,000" not in marked


def test_prose_highlight_marks_the_quoted_sentence_not_its_neighbours():
    passage = "本計畫每年培訓 330 名博士級產業訓儲菁英。另補助 1,330 名碩士生參與實習。"
    spans = text_spans(passage, ["本計畫每年培訓 330 名博士級產業訓儲菁英[1]。"])
    assert [passage[a:b] for a, b in spans] == ["本計畫每年培訓 330 名博士級產業訓儲菁英"]


def test_abstention_is_shown_as_such_with_closest_passages(corpus):
    answer = corpus.ask("分項二 2030 年度經費是多少？")
    assert answer.abstained
    html = render.answer_message_html(answer, 2)
    assert "無法回答" in html and 'class="pq-abstained"' in html
    assert "pq-src-" not in html
    assert len(re.findall(r'href="#pq-ctx-2-\d+"', html)) == len(answer.contexts)
    sources = render.sources_section_html(answer, 2)
    assert "最接近的段落（並非答案）" in sources
    assert sources.count('class="pq-source pq-context"') == len(answer.contexts)


def test_unverified_sentences_are_marked_and_kept_out_of_the_answer(budget):
    from assistant.answer import Sentence
    from assistant.citations import Source, check_sentence

    wrong = f"{ROW_LABEL} 108 年度 小計：360,000 千元[1]。"
    check = check_sentence(wrong, {c.marker: Source(c.text, "千元") for c in budget.citations})
    assert not check.verified
    answer = dataclasses.replace(budget, sentences=budget.sentences + [Sentence(wrong, [1], False, check.reasons)])
    html = render.answer_message_html(answer, 1)
    text_part = re.search(r'<p class="pq-text">(.*?)</p>', html).group(1)
    assert "360,000" not in text_part
    block = re.search(r'<div class="pq-unverified">.*?</ul></div>', html).group(0)
    assert "360,000 千元" in block and "未驗證" in block and "figures not in the cited passages" in block
    # its figure is not marked in the sources
    assert "360,000" not in render.sources_section_html(answer, 1)


def test_conflict_notice_follows_the_flag(budget):
    notice = "文件中對此有不同的數值"
    assert (notice in render.answer_message_html(dataclasses.replace(budget, conflict=True), 1))
    assert notice not in render.answer_message_html(dataclasses.replace(budget, conflict=False), 1)


def test_html_in_documents_and_questions_is_escaped_everywhere(xss_service):
    answer = xss_service.ask(XSS_QUESTION)
    assert not answer.abstained and answer.citations[0].doc_id == "xss-test"
    abstained = xss_service.ask("網頁安全測試 2030 年度經費是多少？", ["xss-test"])
    pieces = {
        "answer": render.answer_message_html(answer, 1),
        "sources": render.sources_section_html(answer, 1),
        "closest": render.sources_section_html(abstained, 2),
        "panel": render.sources_panel_html([{"turn": 1, "question": "<b>hi</b><script>x()</script>", "html": ""},
                                            {"turn": 0, "question": "<img src=y onerror=z()>", "html": ""}]),
        "question": render.user_message_html("<img src=x onerror=alert(1)> 問題"),
        "documents": render.documents_table_html(xss_service.documents()),
        "results": render.result_lines_html([(False, "<script>alert(1)</script>.txt: empty file (0 bytes)")]),
    }
    for name, html in pieces.items():
        assert "<script" not in html and "<img" not in html and "<b>" not in html, name
        assert "&lt;script&gt;" in html or "&lt;img" in html or "&lt;b&gt;" in html, name
    assert "<img src=x onerror=alert(1)> 與 <script>alert(1)</script>" in render.plain_text(pieces["sources"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pieces["answer"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 網頁安全測試說明" in pieces["documents"]


def test_verdict_card_for_a_wrong_figure(corpus_index):
    import importlib.util

    if importlib.util.find_spec("assistant.verify") is None:
        pytest.skip("assistant.verify is not installed")
    from assistant.verify import verify

    verdict = verify("分項二 108 年度經費為 360,000 千元", db_dir=corpus_index.db)
    html = render.verdict_html(verdict)
    assert verdict.verdict == "contradicted"
    assert "Contradicted" in html and 'class="pq-verdict pq-contradicted"' in html
    assert '<mark class="pq-mark">350,000 千元</mark>' in html
    ev = verdict.evidence[0]
    for part in (ev.title, ev.row, ev.column, f"第 {ev.page} 頁"):
        assert render.esc(part) in html
    # the same card from the JSON form
    assert "Contradicted" in render.verdict_html(verdict.to_dict())


def test_verdict_card_for_a_period_claim(corpus_index):
    from assistant.verify import verify

    # the plan's 期程 sentence, page 51, as the evidence of a period claim
    verdict = verify("本計畫期程自 2024 年至 2027 年。", doc_ids=["moda-2025-ai-industry-adoption"],
                     db_dir=corpus_index.db)
    html = render.verdict_html(verdict)
    assert verdict.verdict == "contradicted" and "Contradicted" in html
    assert '<mark class="pq-mark">114 年至 117 年</mark>' in html and "第 51 頁" in html
    # a period read from the manifest has no page: none is shown
    ey = verify("The Taiwan AI Action Plan runs from 2018 to 2021.", doc_ids=["ey-2018-taiwan-ai-action-plan"],
                db_dir=corpus_index.db)
    assert ey.verdict == "supported" and ey.evidence[0].page == 0
    assert "第 0 頁" not in render.verdict_html(ey)


def test_format_value():
    assert render.format_value(350000, "千元") == "350,000 千元"
    assert render.format_value("350,000 千元", "千元") == "350,000 千元"
    assert render.format_value(1.5, "億元") == "1.5 億元"
    assert render.format_value(None) == ""


def test_the_answer_says_which_mode_answered(budget):
    extractive = render.answer_message_html(budget, 1)
    assert 'data-mode="extractive"' in extractive and "擷取式" in extractive
    llm = dataclasses.replace(budget, mode="llm", note="1 generated sentence(s) removed")
    html = render.answer_message_html(llm, 2)
    assert 'data-mode="llm"' in html and "每句已對照來源查核" in html and "1 generated sentence(s) removed" in html
