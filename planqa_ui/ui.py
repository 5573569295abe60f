"""The Gradio app: Chat, Documents, Verify and Overview tabs over a
:class:`~planqa_ui.service.PlanService`.

Import this module only after :func:`ingest.config.offline_env` (it imports
Gradio). API names of the events (stable; used by ``gradio_client``):

* ``/ask`` — ``(question, doc_ids) -> dict``: the answer as JSON
  (:meth:`assistant.answer.Answer.to_dict`);
* ``/chat`` — the Chat tab's submit (history and sources panel HTML);
* ``/documents`` — the indexed documents as JSON; ``/ingest`` — upload files;
  ``/remove`` — remove a document;
* ``/verify`` and ``/audit`` — the Verify tab;
* ``/overview`` — ``doc_id -> (html, bar plot)``: the Overview tab (a plan's
  total, budget by year × 分項 with pages, KPI targets, eligibility).
"""
from __future__ import annotations

import logging
import traceback
from pathlib import Path

from ingest.config import offline_env

offline_env()

import gradio as gr  # noqa: E402
from assistant.followup import Turn  # noqa: E402
from ingest.loaders import SUPPORTED_SUFFIXES  # noqa: E402

from . import render  # noqa: E402
from .service import (MAX_UPLOAD_BYTES, MAX_UPLOAD_MB, EmptyIndexError, PlanService, Upload,  # noqa: E402
                      load_verification)

log = logging.getLogger("planqa.ui")

EXAMPLES = [
    ("資格 Eligibility", "博士畢業多久內可以參加培訓？"),
    ("經費 Budget", "分項二 108 年度經費是多少？"),
    ("KPI", "這個計畫的 KPI 有哪些？"),
]
# Accepted upload types; not passed to gr.File(file_types=...), whose
# server-side check rejects a whole batch for one bad file: the service
# reports each refused file on its own line instead.
UPLOAD_TYPES = sorted(SUPPORTED_SUFFIXES)
# Gradio's own cap on any upload (the service refuses files over
# MAX_UPLOAD_MB with a one-line message; this stops absurd uploads early).
SERVER_UPLOAD_CAP = 4 * MAX_UPLOAD_BYTES

# System fonts only: a Google font in the theme would make every browser
# fetch it from fonts.googleapis.com. Listed CJK fonts are Debian's
# fonts-wqy-microhei and fonts-arphic-uming.
FONTS = ["WenQuanYi Micro Hei", "Noto Sans CJK TC", "AR PL UMing TW", "Microsoft JhengHei", "PingFang TC",
         "system-ui", "sans-serif"]
MONO_FONTS = ["DejaVu Sans Mono", "ui-monospace", "monospace"]

CSS = """
.pq-question { white-space: normal; }
.pq-answer p { margin: 0.2em 0; }
.pq-cite { font-weight: 600; text-decoration: none; color: var(--color-accent, #2563eb); cursor: pointer;
           padding: 0 1px; }
.pq-cite:hover { text-decoration: underline; }
.pq-cite-missing { color: #888; }
.pq-src-ocr { background: #fff4e5; border-left: 4px solid #f59e0b; padding: 2px 8px; font-size: 0.9em; }
.pq-conflict { background: #fff4e5; border-left: 4px solid #f59e0b; padding: 6px 10px; margin: 4px 0;
               color: #7c2d12; }
.pq-abstained { border-left: 4px solid #9ca3af; padding: 4px 10px; }
.pq-abstain-title { font-weight: 700; color: #92400e; }
.pq-unverified { margin-top: 8px; border: 1px dashed #dc2626; border-radius: 6px; padding: 4px 10px;
                 background: #fef2f2; }
.pq-unverified-title { font-weight: 600; color: #b91c1c; }
.pq-unverified-text { text-decoration: line-through; text-decoration-color: #dc2626; color: #6b7280; }
.pq-reason, .pq-note { color: #6b7280; font-size: 0.9em; }
.pq-understood { color: #1e3a8a; background: #eff6ff; border-left: 4px solid #2563eb; padding: 2px 8px;
                 margin: 2px 0 6px; font-size: 0.92em; }
.pq-sources { max-height: 75vh; overflow-y: auto; padding-right: 4px; }
.pq-empty { color: #6b7280; padding: 12px; }
.pq-turn-q { font-weight: 700; margin: 4px 0 8px; }
.pq-turn summary { cursor: pointer; color: #4b5563; margin: 6px 0; }
.pq-source { border: 1px solid #e5e7eb; border-radius: 8px; padding: 8px 10px; margin-bottom: 10px;
             background: #fff; transition: box-shadow 0.3s, border-color 0.3s; scroll-margin: 12px; }
.pq-source:target, .pq-source.pq-active { border-color: #2563eb; box-shadow: 0 0 0 3px rgba(37,99,235,0.35); }
.pq-context { background: #f9fafb; }
.pq-src-label { font-weight: 600; color: #92400e; margin-bottom: 6px; }
.pq-src-head { font-weight: 600; }
.pq-badge { display: inline-block; min-width: 2em; color: #1d4ed8; }
.pq-page { color: #374151; font-weight: 400; margin-left: 6px; white-space: nowrap; }
.pq-src-where { color: #6b7280; font-size: 0.88em; margin: 2px 0 6px; }
.pq-passage { font-size: 0.92em; line-height: 1.6; white-space: normal; word-break: break-word; }
.pq-caption { font-weight: 600; }
.pq-mark { background: #fde68a; color: inherit; padding: 0 1px; border-radius: 2px; }
.pq-table-wrap { overflow-x: auto; max-width: 100%; }
table.pq-table { border-collapse: collapse; font-size: 0.85em; margin: 4px 0; }
table.pq-table td, table.pq-table th { border: 1px solid #d1d5db; padding: 2px 6px; vertical-align: top;
                                       white-space: nowrap; }
table.pq-table td.pq-long { white-space: normal; min-width: 9em; max-width: 22em; }
.pq-sources table.pq-table td:first-child { position: sticky; left: 0; background: #fff; z-index: 1;
                                           box-shadow: 1px 0 0 #d1d5db; }
.pq-sources table.pq-table tr.pq-hit-row td:first-child { background: #fffbeb; }
table.pq-table tr.pq-hit-row td { background: #fffbeb; }
table.pq-table td.pq-hit { background: #fef3c7; }
.pq-num { text-align: right; white-space: nowrap; }
.pq-results { list-style: none; padding-left: 0; }
.pq-ok { color: #166534; }
.pq-err { color: #b91c1c; }
.pq-notice { padding: 6px 10px; border-radius: 6px; margin: 4px 0; }
.pq-notice.pq-error { background: #fef2f2; color: #b91c1c; }
.pq-notice.pq-info { background: #eff6ff; color: #1e3a8a; }
.pq-notice.pq-warn { background: #fff7ed; color: #9a3412; }
.pq-verdict { border-radius: 8px; padding: 10px 12px; border: 2px solid #9ca3af; }
.pq-verdict.pq-supported { border-color: #16a34a; background: #f0fdf4; }
.pq-verdict.pq-contradicted { border-color: #dc2626; background: #fef2f2; }
.pq-verdict-label { font-size: 1.3em; font-weight: 700; }
.pq-evidence { border-top: 1px solid #e5e7eb; margin-top: 8px; padding-top: 6px; }
.pq-k { color: #6b7280; }
.pq-ov-head { margin-bottom: 8px; }
.pq-ov-title { font-size: 1.2em; font-weight: 700; }
.pq-ov-meta, .pq-ov-total { margin: 2px 0; }
.pq-ov-h { margin: 14px 0 4px; }
.pq-ov-fig { white-space: nowrap; cursor: help; }
.pq-ov-page { color: #6b7280; font-size: 0.8em; margin-left: 2px; }
.pq-ov-flag { color: #b45309; cursor: help; }
.pq-ov-total-cell { font-weight: 600; }
.pq-ov-quotes q { quotes: "「" "」"; }
.pq-ov-quotes li { margin: 4px 0; }
.pq-ov-items { list-style: none; padding-left: 1.5em; }
"""

# Clicking a citation marker scrolls the sources panel to that source and
# highlights it (event delegation: markers are re-rendered with every
# answer; the chatbot's sanitizer keeps href but drops data-* attributes).
# Registered with launch(js=...); contains no document text.
JS = """
() => {
  if (window.__planqaCites) return;
  window.__planqaCites = true;
  document.addEventListener('click', (ev) => {
    const a = ev.target && ev.target.closest ? ev.target.closest('a.pq-cite') : null;
    if (!a) return;
    const id = (a.getAttribute('href') || '').replace(/^#/, '');
    const el = id ? document.getElementById(id) : null;
    ev.preventDefault();
    ev.stopPropagation();
    if (!el) return;
    const d = el.closest('details');
    if (d) d.open = true;
    document.querySelectorAll('.pq-source.pq-active').forEach((x) => x.classList.remove('pq-active'));
    el.classList.add('pq-active');
    el.scrollIntoView({behavior: 'smooth', block: 'start'});
  }, true);
}
"""


# Wide budget tables: scroll each cited table sideways so that its first
# marked figure is in view (the row label column is sticky). Runs in the
# sources panel after every update.
SOURCES_JS = """
const fit = () => element.querySelectorAll('.pq-table-wrap').forEach((w) => {
  const figure = (sel) => [...w.querySelectorAll(sel)].find((td) => /\\d/.test(td.textContent) && td.cellIndex > 0);
  const hit = figure('tr.pq-hit-row td.pq-hit') || figure('td.pq-hit');
  if (hit) w.scrollLeft = Math.max(0, hit.offsetLeft - w.clientWidth / 2 + hit.offsetWidth / 2);
});
watch('value', fit);
fit();
"""


def theme() -> gr.themes.Base:
    """The app theme: Gradio's default look with local fonts only."""
    return gr.themes.Default(primary_hue="blue", font=FONTS, font_mono=MONO_FONTS)


def new_panel() -> dict:
    """The state of a new chat: answers so far (``turn``), the sources panel's
    ``turns`` and the conversation ``asked`` so far
    (:class:`assistant.followup.Turn` s, the history follow-ups refer to)."""
    return {"turn": 0, "turns": [], "asked": []}


def _doc_choices(service: PlanService) -> list[tuple[str, str]]:
    return [(f"{r.title} ({r.doc_id})", r.doc_id) for r in service.documents()]


def _error_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def build_demo(service: PlanService) -> gr.Blocks:
    """Build the Blocks app over ``service``."""
    tools = load_verification()  # re-checked on every page load and every click

    def ask_api(question: str, doc_ids: list[str] | None = None) -> dict:
        """Answer a question from the indexed plans.

        Args:
            question: Chinese or English.
            doc_ids: restrict to these document ids (none: all).
        Returns:
            The answer as JSON: answer text with [n] markers, abstained,
            sentences, citations (title, page, section, text), contexts,
            conflict, note.
        """
        try:
            return service.ask(question, doc_ids or None).to_dict()
        except (ValueError, EmptyIndexError) as exc:
            raise gr.Error(_error_line(exc), print_exception=False) from None

    def documents_api() -> list[dict]:
        """The indexed documents: doc_id, title, agency, period, pages,
        chunks, tables, ingested_at, source_path, content_hash."""
        return [dict(r.__dict__) for r in service.documents()]

    def chat(question: str, history: list, doc_ids: list[str] | None, panel: dict):
        question = (question or "").strip()
        history = list(history or [])
        panel = dict(panel or new_panel())
        if not question:
            return history, render.sources_panel_html(panel["turns"]), "", panel
        turn = panel["turn"] + 1
        asked = list(panel.get("asked", []))
        try:
            answer = service.ask(question, doc_ids or None, history=asked)
            message = render.answer_message_html(answer, turn)
            section = render.sources_section_html(answer, turn)
        except EmptyIndexError:
            answer, section = None, ""
            message = render.notice_html("索引中沒有文件，請先在「文件 Documents」分頁上傳。(No documents are indexed.)", "warn")
        except ValueError as exc:
            answer, section = None, ""
            message = render.notice_html(f"無法提問 (cannot ask)：{_error_line(exc)}", "error")
        except Exception as exc:  # noqa: BLE001 - the user gets one line, the console the traceback
            log.error("ask failed: %s", traceback.format_exc())
            answer, section = None, ""
            message = render.notice_html(f"內部錯誤 (internal error)：{_error_line(exc)}", "error")
        history += [{"role": "user", "content": render.user_message_html(question)},
                    {"role": "assistant", "content": message}]
        turns = panel["turns"]
        if answer is not None:
            turns = ([{"turn": turn, "question": question, "html": section}] + turns)[:render.MAX_TURNS_IN_PANEL]
            asked = (asked + [Turn.of(answer)])[-render.MAX_TURNS_IN_PANEL:]
        panel = {"turn": turn, "turns": turns, "asked": asked}
        return history, render.sources_panel_html(turns), "", panel

    def clear_chat():
        return [], render.sources_panel_html([]), "", new_panel()

    def documents_html() -> str:
        """The indexed documents as an HTML table."""
        return render.documents_table_html(service.documents())

    def refresh_choices():
        choices = _doc_choices(service)
        return (documents_html(), gr.update(choices=choices, value=[]), gr.update(choices=choices, value=None),
                gr.update(choices=choices, value=[]), gr.update(choices=choices, value=None))

    def ingest(files, progress=gr.Progress()):
        paths = [f if isinstance(f, str) else getattr(f, "name", None) or f.get("path") for f in (files or [])]
        if not paths:
            return (render.notice_html("請先選擇檔案 (choose files first).", "warn"),) + refresh_choices()
        uploads = [Upload(Path(p), Path(p).name) for p in paths]

        def track(files):
            # ingest_paths reads the files in this loop, then writes the
            # index (embeddings, BM25) once the loop is over
            yield from progress.tqdm(list(files), desc="讀取檔案 reading files", unit="file")
            progress(0.95, desc="更新索引 updating the index (embeddings, BM25)…")

        try:
            outcome = service.ingest_uploads(uploads, progress=track)
            status = render.result_lines_html(outcome.lines)
        except Exception as exc:  # noqa: BLE001
            log.error("ingest failed: %s", traceback.format_exc())
            status = render.notice_html(f"匯入失敗 (ingest failed)：{_error_line(exc)}", "error")
        return (status,) + refresh_choices()

    def remove(doc_id: str | None):
        if not doc_id:
            return (render.notice_html("請先選擇要移除的文件 (choose a document).", "warn"),) + refresh_choices()
        try:
            status = render.result_lines_html([(True, service.remove(doc_id))])
        except Exception as exc:  # noqa: BLE001 - IngestError for an unknown id, or a store error
            status = render.result_lines_html([(False, _error_line(exc))])
        return (status,) + refresh_choices()

    def verify(claim: str, doc_ids: list[str] | None):
        try:
            loaded, verdict = service.verify(claim, doc_ids or None)
        except ValueError as exc:
            return render.notice_html(f"請輸入要驗證的敘述 (enter a claim)：{_error_line(exc)}", "warn")
        except Exception as exc:  # noqa: BLE001
            log.error("verify failed: %s", traceback.format_exc())
            return render.notice_html(f"驗證失敗 (verification failed)：{_error_line(exc)}", "error")
        if verdict is None:
            return render.unavailable_html(loaded.reason)
        return render.verdict_html(verdict)

    def audit(doc_ids: list[str] | None):
        try:
            loaded, findings = service.audit(doc_ids or None)
        except Exception as exc:  # noqa: BLE001
            log.error("audit failed: %s", traceback.format_exc())
            return render.notice_html(f"稽核失敗 (audit failed)：{_error_line(exc)}", "error")
        if findings is None:
            return render.unavailable_html(loaded.audit_reason, "稽核", "The audit")
        return render.audit_html(findings, service.titles())

    def show_overview(doc_id: str | None):
        """The Overview tab for ``doc_id``: HTML and the budget bar chart."""
        hidden = gr.update(value=None, visible=False)
        if not doc_id:
            return render.overview_placeholder_html(), hidden
        try:
            ov = service.overview(doc_id)
        except ValueError as exc:
            return render.notice_html(f"無法顯示總覽 (no overview)：{_error_line(exc)}", "warn"), hidden
        except Exception as exc:  # noqa: BLE001 - the user gets one line, the console the traceback
            log.error("overview failed: %s", traceback.format_exc())
            return render.notice_html(f"總覽失敗 (overview failed)：{_error_line(exc)}", "error"), hidden
        frame, unit = render.budget_chart_frame(ov)
        if frame is None:
            return render.overview_html(ov), hidden
        return render.overview_html(ov), gr.update(value=frame, visible=True, y_title=f"經費 ({unit})")

    choices = _doc_choices(service)
    with gr.Blocks(title="planqa — 計畫書問答") as demo:
        gr.Markdown("## planqa — 政府計畫書問答 (plan documents Q&A)\n"
                    "答案只根據已索引的計畫書，每句附來源 [n]；找不到依據時會直說。"
                    "Answers come only from the indexed plans, each sentence with its source.")
        panel = gr.State(new_panel())
        with gr.Tab("問答 Chat", id="chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label="對話 (chat)", elem_id="pq-chatbot", height=520,
                                         sanitize_html=True, allow_tags=False, latex_delimiters=[],
                                         render_markdown=True, line_breaks=False,
                                         buttons=["copy"], feedback_options=None,
                                         placeholder="請輸入問題，或點選下方的範例問題。每句答案都附來源 [n]，"
                                                     "點 [n] 可看到原文段落。<br>Ask in Chinese or English; "
                                                     "click [n] to see the passage.")
                    with gr.Row():
                        question = gr.Textbox(label="問題 (question)", elem_id="pq-question", scale=5,
                                              placeholder="例如：分項二 108 年度經費是多少？ / Who can apply?",
                                              max_lines=3, submit_btn=False)
                        ask_btn = gr.Button("提問 Ask", variant="primary", elem_id="pq-ask", scale=1)
                    doc_filter = gr.Dropdown(choices=choices, value=[], multiselect=True, elem_id="pq-doc-filter",
                                             label="限定文件 (documents; empty = all)")
                    gr.Examples(examples=[[q] for _, q in EXAMPLES], inputs=[question],
                                example_labels=[f"{label}：{q}" for label, q in EXAMPLES],
                                label="範例問題 (examples) — 點選後按「提問」")
                    clear_btn = gr.Button("清除對話 Clear", size="sm", elem_id="pq-clear")
                with gr.Column(scale=2):
                    sources = gr.HTML(render.sources_panel_html([]), elem_id="pq-sources-panel",
                                      js_on_load=SOURCES_JS)
            chat_inputs = [question, chatbot, doc_filter, panel]
            chat_outputs = [chatbot, sources, question, panel]
            ask_btn.click(chat, chat_inputs, chat_outputs, api_name="chat")
            question.submit(chat, chat_inputs, chat_outputs, api_visibility="private")
            clear_btn.click(clear_chat, None, chat_outputs, api_name="clear")

        with gr.Tab("文件 Documents", id="documents"):
            docs = gr.HTML(documents_html(), elem_id="pq-docs")
            with gr.Row():
                with gr.Column():
                    files = gr.File(label=f"上傳文件 (upload: {' '.join(UPLOAD_TYPES)}, ≤ {MAX_UPLOAD_MB} MB each)",
                                    file_count="multiple", elem_id="pq-upload")
                    ingest_btn = gr.Button("加入索引 Ingest", variant="primary", elem_id="pq-ingest")
                with gr.Column():
                    remove_choice = gr.Dropdown(choices=choices, value=None, label="移除文件 (remove a document)",
                                                elem_id="pq-remove-choice")
                    remove_btn = gr.Button("移除 Remove", variant="stop", elem_id="pq-remove")
            doc_status = gr.HTML("", elem_id="pq-doc-status")
            refresh_btn = gr.Button("重新整理 Refresh", size="sm")

        with gr.Tab("驗證 Verify", id="verify"):
            verify_notice = gr.HTML(render.verification_notice_html(tools), elem_id="pq-verify-notice")
            with gr.Row():
                claim = gr.Textbox(label="敘述 (claim)", elem_id="pq-claim", scale=5,
                                   placeholder="例如：分項二 108 年度經費為 350,000 千元")
                verify_btn = gr.Button("驗證 Verify", variant="primary", elem_id="pq-verify", scale=1)
            verify_docs = gr.Dropdown(choices=choices, value=[], multiselect=True,
                                      label="限定文件 (documents; empty = all)")
            verdict = gr.HTML("", elem_id="pq-verdict")
            audit_btn = gr.Button("稽核文件 Audit (check the tables' sums and figures)", elem_id="pq-audit")
            audit_out = gr.HTML("", elem_id="pq-audit-out")
            verify_btn.click(verify, [claim, verify_docs], verdict, api_name="verify")
            claim.submit(verify, [claim, verify_docs], verdict, api_visibility="private")
            audit_btn.click(audit, [verify_docs], audit_out, api_name="audit")

        with gr.Tab("總覽 Overview", id="overview"):
            overview_doc = gr.Dropdown(choices=choices, value=None, label="文件 (document)", elem_id="pq-overview-doc")
            overview_chart = gr.BarPlot(None, x=render.CHART_X, y=render.CHART_Y, color=render.CHART_COLOR,
                                        title="各年度經費 Budget by year", x_title="年度 (民國)", y_title="經費",
                                        elem_id="pq-overview-chart", visible=False, height=280)
            overview_out = gr.HTML(render.overview_placeholder_html(), elem_id="pq-overview")
            overview_doc.change(show_overview, [overview_doc], [overview_out, overview_chart], api_name="overview")

        doc_outputs = [doc_status, docs, doc_filter, remove_choice, verify_docs, overview_doc]
        ingest_btn.click(ingest, [files], doc_outputs, api_name="ingest", show_progress_on=[doc_status]).then(
            lambda: None, None, files, api_visibility="private")
        remove_btn.click(remove, [remove_choice], doc_outputs, api_name="remove", show_progress_on=[doc_status])
        refresh_btn.click(lambda: ("",) + refresh_choices(), None, doc_outputs, api_name="refresh")
        gr.api(ask_api, api_name="ask")
        gr.api(documents_api, api_name="documents")
        demo.load(refresh_choices, None, doc_outputs[1:], api_visibility="private")
        demo.load(lambda: render.verification_notice_html(load_verification()), None, verify_notice,
                  api_visibility="private")
    return demo


def launch_kwargs() -> dict:
    """The theme, CSS, JS and limits passed to ``Blocks.launch``. Run
    history is off: its page offers to upload runs to a Hugging Face bucket,
    and the documents and questions stay on this machine."""
    return {"theme": theme(), "css": CSS, "js": JS, "max_file_size": SERVER_UPLOAD_CAP,
            "run_history": False, "footer_links": ["api", "settings"]}
