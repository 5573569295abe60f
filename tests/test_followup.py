"""Follow-up questions: the resolver on realistic follow-ups in Traditional,
Simplified and English (no index), then conversations on the shipped corpus
through ``Assistant.ask(history=...)``, the UI service and ``python -m
assistant chat``."""
from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.followup import (
    MEASURE,
    SUBJECT,
    YEAR,
    Turn,
    Understood,
    is_followup,
    parse,
    resolve,
)

REPO = Path(__file__).resolve().parent.parent
MOST = "most-2018-phd-talent-training"
EY = "ey-2018-taiwan-ai-action-plan"
TITLES = {MOST: "重點產業高階人才培訓與就業計畫", EY: "臺灣 AI 行動計畫",
          "moea-2023-digital-talent": "數位與特殊技術人才發展計畫"}
PHD_TITLE = TITLES[MOST]
BUDGET_1 = "分項一 108 年度經費是多少？"
BUDGET_EN = "What is the budget of sub-project 2 in 2019?"
EY_EXISTING = "AI 人才衝刺在 108 年度的既有預算是多少？"


def after(previous: str, question: str, doc: str = MOST) -> Understood | None:
    return resolve(question, [Turn(previous, (doc,))], TITLES)


def squash(text: str) -> str:
    return re.sub(r"[\s,]", "", text)


# ---------------------------------------------------------------- the resolver
@pytest.mark.parametrize("question, resolved, line", [
    ("那 109 年呢？", "分項一 109 年度經費是多少?", "理解為：109 年度 分項一 經費"),
    ("109 年？", "分項一 109 年度經費是多少?", "理解為：109 年度 分項一 經費"),
    ("那 109 年是多少？", "分項一 109 年度經費是多少?", "理解為：109 年度 分項一 經費"),
    ("分項二呢？", "分項二 108 年度經費是多少?", "理解為：108 年度 分項二 經費"),
    ("那資本支出呢？", "分項一 108 年度資本支出是多少?", "理解為：108 年度 分項一 資本支出"),
    ("那人事費呢？", "分項一 108 年度人事費是多少?", "理解為：108 年度 分項一 人事費"),
    ("那全程呢？", "分項一 全程經費是多少?", "理解為：全程 分項一 經費"),
    ("還有分項二 110 年的人事費呢？", "分項二 110 年度人事費是多少?", "理解為：110 年度 分項二 人事費"),
])
def test_traditional_follow_ups_replace_the_slot_they_name(question, resolved, line):
    u = after(BUDGET_1, question)
    assert u.question == resolved
    assert u.text == f"{line}（{PHD_TITLE}）"
    assert u.doc_ids == [MOST]


@pytest.mark.parametrize("previous, question, resolved, line", [
    ("分项一 108 年经费是多少？", "那 109 年呢？", "分項一 109 年經費是多少?", "理解為：109 年度 分項一 經費"),
    (BUDGET_1, "那分项二呢？", "分項二 108 年度經費是多少?", "理解为：108 年度 分項二 經費"),
    (BUDGET_1, "那资本支出呢？", "分項一 108 年度資本支出是多少?", "理解为：108 年度 分項一 資本支出"),
])
def test_simplified_follow_ups(previous, question, resolved, line):
    u = after(previous, question)
    assert (u.question, u.text) == (resolved, f"{line}（{PHD_TITLE}）")


@pytest.mark.parametrize("previous, question, resolved, line", [
    (BUDGET_EN, "And in 2020?", "What is the budget of sub-project 2 in 2020?",
     "Understood as: 2020 (ROC 109) 分項二 budget"),
    (BUDGET_EN, "What about sub-project 1?", "What is the budget of sub-project 1 in 2019?",
     "Understood as: 2019 (ROC 108) 分項一 budget"),
    (BUDGET_EN, "How about capital expenditure?", "What is the capital expenditure of sub-project 2 in 2019?",
     "Understood as: 2019 (ROC 108) 分項二 capital expenditure"),
    (BUDGET_EN, "And what is it in 2021?", "What is the budget of sub-project 2 in 2021?",
     "Understood as: 2021 (ROC 110) 分項二 budget"),
    # the whole period, named the way English speakers name it
    (BUDGET_EN, "What is its four-year total?", "What is the budget of sub-project 2 in the whole period?",
     "Understood as: the whole period 分項二 budget"),
    (BUDGET_EN, "And over the whole term?", "What is the budget of sub-project 2 in the whole period?",
     "Understood as: the whole period 分項二 budget"),
    # mixed languages: the slot is written in the previous question's language and calendar
    (BUDGET_1, "And in 2020?", "分項一 109 年度經費是多少?", "Understood as: 2020 (ROC 109) 分項一 budget"),
    (BUDGET_1, "What about sub-project 2?", "分項二 108 年度經費是多少?",
     "Understood as: 2019 (ROC 108) 分項二 budget"),
    (BUDGET_EN, "那 109 年呢？", "What is the budget of sub-project 2 in 2020?", "理解為：109 年度 分項二 經費"),
])
def test_english_and_mixed_follow_ups(previous, question, resolved, line):
    u = after(previous, question)
    assert u.question == resolved
    assert u.text.startswith(line), u.text
    assert PHD_TITLE in u.text


@pytest.mark.parametrize("previous, question, resolved", [
    # a named subject (a 主軸 of the action plan) replaced by another
    (EY_EXISTING, "那 AI 領航推動呢？", "AI 領航推動在 108 年度的既有預算是多少?"),
    (EY_EXISTING, "那 109 年呢？", "AI 人才衝刺在 109 年度的既有預算是多少?"),
    (EY_EXISTING, "新增預算呢？", "AI 人才衝刺在 108 年度的新增預算是多少?"),
    # a component with its quoted name: both are replaced by the new component
    ("分項一「中小企業數位領導計畫」112 年度編列多少經費？", "分項二呢？", "分項二 112 年度編列多少經費?"),
    ("分項一「中小企業數位領導計畫」112 年度編列多少經費？", "那 113 年呢？",
     "分項一「中小企業數位領導計畫」113 年度編列多少經費?"),
    ("細部計畫二「數位與特殊技術人才養成計畫」112 年度人事費是多少？", "細部計畫三呢？", "細部計畫三 112 年度人事費是多少?"),
    ("子項 2.1 每年編列多少經費？", "子項 2.2 呢？", "子項 2.2 每年編列多少經費?"),
    # a KPI row by its code and name
    ("C.培育及延攬人才 109 年度目標值是多少？", "那 D1.研究報告呢？", "D1.研究報告 109 年度目標值是多少?"),
    ("分項一全期程要培訓多少名博士級產業訓儲菁英？", "分項二呢？", "分項二全期程要培訓多少名博士級產業訓儲菁英?"),
])
def test_subjects_names_and_components(previous, question, resolved):
    assert after(previous, question, EY).question == resolved


def test_follow_up_with_its_own_question_keeps_it_and_gains_the_subject():
    u = after(BUDGET_1, "那申請資格是什麼？")
    assert u.question == "分項一 申請資格是什麼?"  # an eligibility question: no year, no 經費
    assert u.text == f"理解為：分項一 申請資格是什麼?（{PHD_TITLE}）"
    kpi = after(BUDGET_1, "還有哪些 KPI？")
    assert kpi.question == "分項一 108 年度 哪些 KPI?"  # a figure question keeps the year
    # the previous question asked its own thing: the new subject is added to it
    assert after("博士畢業多久內可以參加培訓？", "那分項二呢？").question == "分項二 博士畢業多久內可以參加培訓?"


def test_naming_another_plan_moves_the_document_restriction():
    u = after(BUDGET_1, "那臺灣 AI 行動計畫呢？")
    assert u.question == "分項一 108 年度經費是多少?"
    assert u.doc_ids == [EY] and u.text.endswith("（臺灣 AI 行動計畫）")
    assert after(BUDGET_1, "「數位與特殊技術人才發展計畫」呢？").doc_ids == ["moea-2023-digital-talent"]


@pytest.mark.parametrize("question", [
    "分項二 109 年度經費是多少？",   # complete on its own
    "AI 領航推動在 108 年度的新增預算是多少？",
    "Who can apply?",
    "博士畢業多久內可以參加培訓？",
    "What is the budget of sub-project 1 in 2020?",
    "109 年度合計多少？",             # a measure-like word of its own
    "那呢？",                         # a cue naming nothing
    "What are their targets?",        # a pronoun and words of its own
])
def test_complete_questions_are_not_rewritten(question):
    assert after(BUDGET_1, question) is None


def test_no_history_no_resolution():
    assert resolve("那 109 年呢？", [], TITLES) is None
    assert resolve("那 109 年呢？", None, TITLES) is None


def test_the_last_turn_carries_the_conversation():
    first = after(BUDGET_1, "分項二呢？")
    second = resolve("那 109 年呢？", [Turn(BUDGET_1, (MOST,)), Turn(first.question, (MOST,))], TITLES)
    assert second.question == "分項二 109 年度經費是多少?"
    third = resolve("那資本支出呢？", [Turn(second.question, ())], TITLES)
    assert third.question == "分項二 109 年度資本支出是多少?" and third.doc_ids == []


def test_parse_finds_the_slots_with_their_spans():
    f = parse("那分项二 2020 年的人事费呢？")
    assert f.lang == "zh-CN" and f.cue and not f.body
    assert [s.zh for s in f.slots[SUBJECT]] == ["分項二"]
    assert [(s.zh, s.years) for s in f.slots[YEAR]] == [("109 年度", (2020,))]
    assert [s.zh for s in f.slots[MEASURE]] == ["人事費"]
    assert all(f.text[s.start:s.end] == s.written for spans in f.slots.values() for s in spans)
    en = parse("What about the personnel costs of sub-item 2.1 in ROC 113?")
    assert [s.zh for s in en.slots[SUBJECT]] == ["子項 2.1"]
    assert [s.years for s in en.slots[YEAR]] == [(2024,)]
    assert [s.en for s in en.slots[MEASURE]] == ["personnel costs"]
    assert parse("108-111 年共投資多少？").slots[YEAR][0].years == (2019, 2020, 2021, 2022)
    assert is_followup(parse("sub-project 2?")) and not is_followup(parse("Who can apply?"))


def test_turn_of_an_answer_takes_the_resolved_question_and_the_lead_citation():
    cited = type("Answer", (), {"question": "那 109 年呢？", "citations": [type("C", (), {"doc_id": EY})()],
                                "understood": Understood("分項一 109 年度經費是多少?", "理解為：…", [MOST])})()
    assert Turn.of(cited) == Turn("分項一 109 年度經費是多少?", (EY,))
    cited.citations = []
    assert Turn.of(cited) == Turn("分項一 109 年度經費是多少?", (MOST,))
    # an abstained first turn (no citation) keeps the plan it was asked in
    first = type("Answer", (), {"question": "分項二 108 年度經費是多少？", "citations": [], "understood": None,
                                "doc_ids": [MOST]})()
    assert Turn.of(first) == Turn("分項二 108 年度經費是多少？", (MOST,))
    first.doc_ids = []
    assert Turn.of(first) == Turn("分項二 108 年度經費是多少？", ())


# ------------------------------------------------------ on the shipped corpus
@pytest.fixture(scope="module")
def assistant(corpus_index):
    from assistant.answer import Assistant

    return Assistant(corpus_index.db)


def direct(assistant, question: str, doc: str):
    """The answer to the complete question, asked on its own."""
    return assistant.ask(question, doc_ids=[doc])


@pytest.mark.slow
def test_next_year_of_the_same_component(assistant):
    first = assistant.ask(BUDGET_1)
    assert not first.abstained and first.understood is None
    assert first.citations[0].doc_id == MOST and "390000" in squash(first.answer)
    ans = assistant.ask("那 109 年呢？", history=[first])
    assert ans.question == "那 109 年呢？"
    assert ans.understood.question == "分項一 109 年度經費是多少?"
    assert ans.understood.text == f"理解為：109 年度 分項一 經費（{PHD_TITLE}）"
    assert ans.understood.doc_ids == [MOST]
    assert not ans.abstained and "390000" in squash(ans.answer)
    assert {c.doc_id for c in ans.contexts} == {MOST}  # the previous turn's plan
    # resolved first, then the unchanged pipeline: the answer of the complete question
    assert ans.answer == direct(assistant, "分項一 109 年度經費是多少？", MOST).answer


@pytest.mark.slow
def test_named_subject_next_year_then_another_subject(assistant):
    first = assistant.ask(EY_EXISTING)
    assert first.citations and first.citations[0].doc_id == EY
    second = assistant.ask("那 109 年呢？", history=[first])
    assert second.understood.text == "理解為：109 年度 AI 人才衝刺 既有預算（臺灣 AI 行動計畫）"
    assert second.answer == direct(assistant, "AI 人才衝刺在 109 年度的既有預算是多少？", EY).answer
    third = assistant.ask("那 AI 領航推動呢？", history=[first, second])
    assert third.understood.question == "AI 領航推動在 109 年度的既有預算是多少?"
    assert {c.doc_id for c in third.contexts} == {EY}
    assert third.answer == direct(assistant, "AI 領航推動在 109 年度的既有預算是多少？", EY).answer


@pytest.mark.slow
def test_another_component_then_another_measure(assistant):
    first = assistant.ask("分項二 108 年度經費是多少？")
    assert "350000" in squash(first.answer)
    second = assistant.ask("分項一呢？", history=[first])
    assert second.understood.text == f"理解為：108 年度 分項一 經費（{PHD_TITLE}）"
    assert "390000" in squash(second.answer)
    third = assistant.ask("那資本支出呢？", history=[first, second])
    assert third.understood.question == "分項一 108 年度資本支出是多少?"
    assert third.answer == direct(assistant, "分項一 108 年度資本支出是多少？", MOST).answer


@pytest.mark.slow
def test_english_follow_up_after_an_english_question(assistant):
    # the first turn in its plan (as a user who picked it): over all plans
    # the answerability gate abstains on it (see README, a strict xfail in
    # test_app_client); a follow-up of an abstained turn keeps its plan too
    # (test_turn_of_an_answer_takes_the_resolved_question_and_the_lead_citation)
    first = assistant.ask(BUDGET_EN, doc_ids=[MOST])
    assert first.doc_ids == [MOST]
    ans = assistant.ask("And in 2020?", history=[first])
    assert ans.understood.text == f"Understood as: 2020 (ROC 109) 分項二 budget — {PHD_TITLE}"
    assert ans.lang == "en" and ans.understood.doc_ids == [MOST]
    assert not ans.abstained and "350000" in squash(ans.answer)
    assert ans.answer == direct(assistant, "What is the budget of sub-project 2 in 2020?", MOST).answer


@pytest.mark.slow
def test_a_follow_up_naming_another_plan_searches_that_plan(assistant):
    first = assistant.ask("分項二 108 年度經費是多少？")
    ans = assistant.ask("那臺灣 AI 行動計畫呢？", history=[first])
    assert ans.understood.doc_ids == [EY]
    assert {c.doc_id for c in ans.contexts} == {EY}


@pytest.mark.slow
def test_single_questions_are_unaffected_by_history(assistant):
    first = assistant.ask(BUDGET_1)
    alone = assistant.ask("分項二 108 年度經費是多少？")
    with_history = assistant.ask("分項二 108 年度經費是多少？", history=[first])
    assert with_history.understood is None
    assert with_history.answer == alone.answer and with_history.contexts == alone.contexts
    # an explicit document filter wins over the one the conversation carries
    filtered = assistant.ask("那 109 年呢？", history=[first], doc_ids=[EY])
    assert {c.doc_id for c in filtered.contexts} == {EY}


@pytest.mark.slow
def test_json_form_carries_what_was_understood(assistant):
    first = assistant.ask(BUDGET_1)
    obj = json.loads(json.dumps(assistant.ask("那 109 年呢？", history=[first]).to_dict(), ensure_ascii=False))
    assert obj["understood"] == {"question": "分項一 109 年度經費是多少?",
                                 "text": f"理解為：109 年度 分項一 經費（{PHD_TITLE}）", "doc_ids": [MOST]}
    assert first.to_dict()["understood"] is None


@pytest.mark.slow
def test_ui_service_and_message_show_the_understood_line(corpus_index):
    from planqa_ui import render
    from planqa_ui.service import PlanService

    service = PlanService(corpus_index.db)
    first = service.ask(BUDGET_1)
    ans = service.ask("那 109 年呢？", history=[Turn.of(first)])
    html = render.answer_message_html(ans, 2)
    assert f'<div class="pq-understood">理解為：109 年度 分項一 經費（{PHD_TITLE}）</div>' in html
    assert html.index("pq-understood") < html.index("pq-text")
    assert "pq-understood" not in render.answer_message_html(first, 1)
    # the line is escaped like everything else
    odd = dataclasses.replace(ans, understood=Understood("q", "理解為：<img src=x onerror=alert(1)>", []))
    assert "<img" not in render.answer_message_html(odd, 3)
    assert "&lt;img src=x onerror=alert(1)&gt;" in render.answer_message_html(odd, 3)


@pytest.mark.slow
def test_cli_chat_reads_turns_from_stdin(corpus_index):
    lines = f"{BUDGET_1}\n那 109 年呢？\n\n那 109 年呢？\n"
    out = subprocess.run([sys.executable, "-m", "assistant", "chat", "--db", str(corpus_index.db), "--json"],
                         input=lines, capture_output=True, text=True, cwd=REPO, timeout=300,
                         check=False)
    assert out.returncode == 0, out.stderr
    answers = [json.loads(line) for line in out.stdout.splitlines()]
    assert [a["question"] for a in answers] == [BUDGET_1, "那 109 年呢？", "那 109 年呢？"]
    assert answers[0]["understood"] is None
    assert answers[1]["understood"]["text"] == f"理解為：109 年度 分項一 經費（{PHD_TITLE}）"
    assert answers[2]["understood"] is None  # the blank line started a new conversation
    text = subprocess.run([sys.executable, "-m", "assistant", "chat", "--db", str(corpus_index.db)],
                          input=lines[:lines.index("\n\n") + 1], capture_output=True, text=True, cwd=REPO, timeout=300,
                         check=False)
    assert text.returncode == 0, text.stderr
    assert f"> 那 109 年呢？\n理解為：109 年度 分項一 經費（{PHD_TITLE}）\n" in text.stdout


# ------------------------------------------------------------ questions in parts
from assistant.parts import part_question, question_parts  # noqa: E402


@pytest.mark.parametrize("question, parts, asked", [
    ("培訓單位可以編列管理費嗎？上限是多少？", ["培訓單位可以編列管理費嗎？", "上限是多少？"],
     ["培訓單位可以編列管理費嗎？", "培訓單位可以編列管理費嗎？上限是多少？"]),       # elliptical: after the first
    ("108 年度全計畫的其他經常支出是多少？人事費又是多少？", ["108 年度全計畫的其他經常支出是多少？", "人事費又是多少？"],
     ["108 年度全計畫的其他經常支出是多少？", "108 年度全計畫的人事費是多少?"]),     # 又: a follow-up
    ("分项三「开发AI技术及验证」2025年拿多少钱？四年合计呢？", None,
     ["分项三「开发AI技术及验证」2025年拿多少钱？", "分項三「開發AI技術及驗證」全程拿多少錢?"]),  # 合計 is no subject
    ("How is the grant paid out to a training unit, and what do they have to meet before the second payment?",
     ["How is the grant paid out to a training unit", "and what do they have to meet before the second payment?"],
     ["How is the grant paid out to a training unit", "what do they have to meet before the second payment?"]),
    ("For the field-and-regulation-opening pillar, how much existing money is there in 2021, and how much was there in 2018?",
     None, [None, "For the field-and-regulation-opening pillar, how much existing money is there in 2018"]),  # names nothing: a follow-up
    # a part asked alone keeps the first part's year, unless it names a period or totals
    ("In 2021 (ROC 110), how much existing budget and how much new budget does the field and regulation opening pillar get?",
     None, [None, "In 2021, how much new budget does the field and regulation opening pillar get?"]),
    ("数位与特殊技术人才养成这个细部计划 112 年编了多少？其中半导体人才培育分到多少？", None,
     [None, "112 年度其中半导体人才培育分到多少？"]),
    ("整个计划 106 到 109 年一共多少钱？108 年分项二的人事费是多少？", None, [None, "108 年分项二的人事费是多少？"]),
    ("In 2019, who may lead an AI flagship project, and how many companies must take part in the team?", None,
     [None, "In 2019, how many companies must take part in the team?"]),
    ("分項二 108 年度經費是多少？", ["分項二 108 年度經費是多少？"], ["分項二 108 年度經費是多少？"]),
    ("分項二 108 年度經費是多少？對嗎？", ["分項二 108 年度經費是多少？對嗎？"], None),   # too short to ask
    ("我是博士生。請問我可以申請嗎？", ["我是博士生。請問我可以申請嗎？"], None),        # a statement is context
    ("I am a PhD. Can I apply?", ["I am a PhD. Can I apply?"], None),
])
def test_a_question_in_parts(question, parts, asked):
    got = question_parts(question)
    if parts is not None:
        assert got == parts
    if asked is not None:
        assert [a if a is None else part_question(got, i) for i, a in enumerate(asked)] == asked


def test_each_part_of_a_question_is_answered(assistant):
    ans = assistant.ask("經濟部新世代AI智慧應用人才培育計畫，在職員工短期課程全程要訓多少人次？認證又要幾人？",
                        doc_ids=["ey-2018-taiwan-ai-action-plan"])
    assert not ans.abstained and "7,150" in ans.answer and "1,200" in ans.answer, ans.answer
    assert all(s.verified for s in ans.sentences if s.text in ans.answer)


def test_the_parts_of_a_question_are_read_through_its_one_encoding(assistant):
    """Each part is retrieved and scored with the whole question's embedding
    (QueryAnalysis.encoded_as): one text is encoded however many parts."""
    retriever = assistant.retriever
    encoded: list[str] = []
    own = retriever._query_vector
    retriever._query_vector = lambda text: (encoded.append(text), own(text))[1]
    try:
        ans = assistant.ask("How much does the PhD industry-training program pay each trainee per month, "
                            "and who can apply to be a training unit?", doc_ids=["most-2018-phd-talent-training"])
    finally:
        retriever._query_vector = own
    assert not ans.abstained and len(encoded) >= 2 and len(set(encoded)) == 1, set(encoded)
