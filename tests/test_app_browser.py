"""The web UI in a real browser: ``python app.py`` as a subprocess, driven in
Debian's Chromium through Playwright.

Two apps are started: one over a copy of the shipped corpus index (the
session's ``corpus_index``), one over a small index of a real plan text, into
which the escaping test uploads a document through the Documents tab (an
upload into the full corpus would refit its embedding for half a minute).
Screenshots go to ``test-artifacts/``.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.appserver import (ARTIFACTS, CHROMIUM, ROOT, XSS_NAME, XSS_QUESTION, XSS_TEXT, AppServer, copy_index,
                                     is_local, launch_chromium)

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

PHD_TITLE = "重點產業高階人才培訓與就業計畫"
BUDGET_Q = "分項二 108 年度經費是多少？"
UNANSWERABLE_Q = "分項二 2030 年度經費是多少？"
FOLLOW_UP_Q = "那 109 年呢？"
# Waits for the app to answer (a safety net, not a performance assertion).
ANSWER_WAIT_MS = 90_000


@pytest.fixture(scope="module")
def corpus_app(corpus_index, tmp_path_factory):
    """The app over a copy of the shipped corpus index."""
    tmp = tmp_path_factory.mktemp("ui-corpus")
    with AppServer(copy_index(corpus_index.db, tmp / "db"), tmp) as app:
        yield app


@pytest.fixture(scope="module")
def small_app(tmp_path_factory):
    """The app over a one-document index (the AI GO deck's source text, a
    real plan text of 40 chunks)."""
    from ingest.pipeline import ingest_paths
    from ingest.store import PlanIndex

    tmp = tmp_path_factory.mktemp("ui-small")
    db = tmp / "db"
    report = ingest_paths([ROOT / "corpus" / "sources" / "moeaidb-2019-aigo-intro.txt"], PlanIndex(db))
    assert report.added and not report.errors
    with AppServer(db, tmp) as app:
        yield app


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


class Page:
    """A browser tab with what it saw: dialogs (dismissed) and requests that
    left the machine."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-TW")
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.external: list[str] = []
        self.errors: list[str] = []  # uncaught exceptions in the page's scripts
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("request", lambda r: None if is_local(r.url) else self.external.append(r.url))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector("#pq-question textarea")

    def ask(self, question: str, press_enter: bool = False):
        """Ask in the Chat tab; returns the locator of the new answer."""
        pg = self.page
        before = pg.locator("#pq-chatbot .pq-answer").count()
        pg.fill("#pq-question textarea", question)
        if press_enter:
            pg.press("#pq-question textarea", "Enter")
        else:
            pg.click("#pq-ask")
        pg.wait_for_function(f"document.querySelectorAll('#pq-chatbot .pq-answer').length > {before}",
                             timeout=ANSWER_WAIT_MS)
        return pg.locator("#pq-chatbot .pq-answer").last

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def tab(browser):
    t = Page(browser)
    yield t
    t.context.close()


def test_budget_answer_shows_figure_and_its_source(tab, corpus_app):
    tab.open(corpus_app.url)
    answer = tab.ask(BUDGET_Q)
    text = answer.inner_text()
    assert "350,000" in text and "千元" in text, text
    sources = tab.page.locator("#pq-sources-panel")
    panel = sources.inner_text()
    assert PHD_TITLE in panel
    assert re.search(r"第 \d+ 頁", panel), panel[:500]
    # the figure is highlighted in the cited passage
    marks = sources.locator("mark").all_inner_texts()
    assert "350,000" in marks, marks[:20]
    tab.shot("chat-budget")
    # a [n] marker scrolls to its source and highlights it
    first = answer.locator("a.pq-cite").first
    target = (first.get_attribute("href") or "").lstrip("#")
    assert target.startswith("pq-src-"), target
    first.click()
    source = tab.page.locator(f"#{target}")
    expect(source).to_have_class(re.compile(r"\bpq-active\b"))
    expect(source).to_be_in_viewport()
    tab.shot("chat-budget-cite-clicked")
    assert tab.dialogs == [] and tab.errors == []
    assert tab.external == [], f"requests left the machine: {tab.external}"


def test_unanswerable_question_is_an_abstention_with_closest_passages(tab, corpus_app):
    tab.open(corpus_app.url)
    answer = tab.ask(UNANSWERABLE_Q, press_enter=True)
    expect(answer.locator(".pq-abstained")).to_be_visible()
    assert "無法回答" in answer.inner_text()
    assert answer.locator("a.pq-cite").count() >= 1  # links to the closest passages
    panel = tab.page.locator("#pq-sources-panel")
    expect(panel).to_contain_text("最接近的段落")
    assert panel.locator(".pq-context").count() >= 1
    assert "350,000" not in answer.inner_text()
    tab.shot("chat-abstention")


def test_example_question_and_document_filter(tab, corpus_app):
    tab.open(corpus_app.url)
    pg = tab.page
    pg.get_by_text("經費 Budget：分項二 108 年度經費是多少？").click()
    expect(pg.locator("#pq-question textarea")).to_have_value(BUDGET_Q)
    # restrict to the Executive Yuan's action plan: nothing from the MOST plan may be cited
    pg.locator("#pq-doc-filter input").click()
    pg.get_by_role("option", name=re.compile("臺灣 AI 行動計畫")).click()
    pg.keyboard.press("Escape")
    answer = tab.ask(BUDGET_Q)
    panel = pg.locator("#pq-sources-panel").inner_text()
    assert PHD_TITLE not in panel
    assert PHD_TITLE not in answer.inner_text()
    tab.shot("chat-filtered")


def test_follow_up_is_read_against_the_previous_turn_until_a_new_chat(tab, corpus_app):
    tab.open(corpus_app.url)
    pg = tab.page
    first = tab.ask(BUDGET_Q)
    expect(first).to_contain_text("350,000")
    assert first.locator(".pq-understood").count() == 0
    second = tab.ask(FOLLOW_UP_Q, press_enter=True)
    understood = second.locator(".pq-understood")
    expect(understood).to_have_text(f"理解為：109 年度 分項二 經費（{PHD_TITLE}）")
    assert understood.bounding_box()["y"] < second.locator(".pq-text").bounding_box()["y"]  # above the answer
    expect(second).to_contain_text("350,000")
    expect(pg.locator("#pq-sources-panel")).to_contain_text(PHD_TITLE)
    tab.shot("chat-follow-up")
    # a new chat forgets the conversation: the same words are a question of their own
    pg.click("#pq-clear")
    expect(pg.locator("#pq-chatbot .pq-answer")).to_have_count(0)
    again = tab.ask(FOLLOW_UP_Q)
    assert again.locator(".pq-understood").count() == 0
    assert tab.dialogs == [] and tab.errors == [], (tab.dialogs, tab.errors)
    assert tab.external == [], f"requests left the machine: {tab.external}"


def test_documents_tab_lists_the_corpus(tab, corpus_app):
    import json

    tab.open(corpus_app.url)
    tab.page.get_by_role("tab", name="文件 Documents").click()
    table = tab.page.locator("#pq-docs")
    manifest = json.loads((ROOT / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    for doc in manifest:
        expect(table).to_contain_text(doc["title"])
        expect(table).to_contain_text(doc["agency"])
    expect(table).to_contain_text("5 份文件")
    tab.shot("documents")


def test_uploaded_html_is_shown_as_text_never_run(tab, small_app, tmp_path):
    doc = tmp_path / XSS_NAME
    doc.write_text(XSS_TEXT, encoding="utf-8")
    docx = tmp_path / "notes.docx"
    docx.write_bytes(b"PK\x03\x04 not a plan")
    pg = tab.page
    tab.open(small_app.url)
    pg.get_by_role("tab", name="文件 Documents").click()
    pg.set_input_files("#pq-upload input[type=file]", [str(doc), str(docx)])
    # both files are listed once uploaded; under a loaded machine that takes
    # longer than the default 5 s (it failed so once in a full run)
    expect(pg.locator("#pq-upload")).to_contain_text(XSS_NAME, timeout=ANSWER_WAIT_MS)
    pg.click("#pq-ingest")
    status = pg.locator("#pq-doc-status")
    expect(status).to_contain_text(f"{XSS_NAME}: added", timeout=ANSWER_WAIT_MS)
    expect(status.locator("li.pq-err")).to_have_text(
        "✗ notes.docx: unsupported file type '.docx' (supported: .md, .pdf, .txt)")
    expect(pg.locator("#pq-docs")).to_contain_text("<script>alert(1)</script> 網頁安全測試說明")
    tab.shot("documents-uploaded-html")

    pg.get_by_role("tab", name="問答 Chat").click()
    answer = tab.ask(XSS_QUESTION)
    expect(answer).to_contain_text("資訊安全推動小組")
    expect(answer).to_contain_text("<script>alert(1)</script>")
    panel = pg.locator("#pq-sources-panel")
    expect(panel).to_contain_text("<img src=x onerror=alert(1)>")
    expect(panel).to_contain_text("<script>alert(1)</script>")
    # the markup exists only as text: no such element was created
    assert pg.locator("img[src='x']").count() == 0
    assert pg.evaluate("[...document.scripts].filter(s => s.textContent.includes('alert(1)')).length") == 0
    pg.wait_for_timeout(500)  # an onerror handler fires asynchronously, after the image fails to load
    tab.shot("chat-uploaded-html")
    assert tab.dialogs == [], tab.dialogs
    assert tab.errors == [], tab.errors
    assert tab.external == [], f"requests left the machine: {tab.external}"


def test_remove_a_document_from_the_documents_tab(tab, small_app):
    doc_id = "moeaidb-2019-aigo-intro"
    pg = tab.page
    tab.open(small_app.url)
    pg.get_by_role("tab", name="文件 Documents").click()
    expect(pg.locator("#pq-docs")).to_contain_text(doc_id)
    pg.locator("#pq-remove-choice input").click()
    pg.get_by_role("option", name=re.compile(doc_id)).click()
    pg.click("#pq-remove")
    expect(pg.locator("#pq-doc-status")).to_contain_text("removed", timeout=ANSWER_WAIT_MS)
    expect(pg.locator("#pq-doc-status")).to_contain_text(f"({doc_id}, 40 chunks)")
    expect(pg.locator("#pq-docs")).not_to_contain_text(doc_id)
    tab.shot("documents-removed")
    # the chat's document filter no longer offers it
    pg.get_by_role("tab", name="問答 Chat").click()
    pg.locator("#pq-doc-filter input").click()
    expect(pg.get_by_role("option", name=re.compile(doc_id))).to_have_count(0)
    assert tab.errors == []


def test_overview_tab_shows_the_budget_table_with_pages(tab, corpus_app):
    doc_id = "most-2018-phd-talent-training"
    pg = tab.page
    tab.open(corpus_app.url)
    pg.get_by_role("tab", name="總覽 Overview").click()
    pg.locator("#pq-overview-doc input").click()
    pg.get_by_role("option", name=re.compile(doc_id)).click()
    overview = pg.locator("#pq-overview")
    budget = overview.locator("table.pq-ov-budget")
    expect(budget).to_contain_text("350,000", timeout=ANSWER_WAIT_MS)
    expect(overview).to_contain_text(PHD_TITLE)
    # 分項二 in 108 (2019): the table's figure with its page next to it
    cell = budget.locator("td[data-subject='分項二'][data-year='2019']")
    expect(cell).to_contain_text("350,000 千元")
    expect(cell.locator(".pq-ov-page")).to_have_text(re.compile(r"^p\.\d+$"))
    expect(cell.locator(".pq-ov-fig")).to_have_attribute("title", re.compile(r"p\.\d+ · 表「"))
    expect(overview.locator(".pq-ov-quotes li").first).to_contain_text("p.")
    expect(pg.locator("#pq-overview-chart")).to_be_visible()
    tab.shot("overview")
    assert tab.dialogs == [] and tab.errors == [], (tab.dialogs, tab.errors)
    assert tab.external == [], f"requests left the machine: {tab.external}"
