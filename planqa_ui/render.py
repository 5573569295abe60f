"""HTML for everything the UI shows.

Rule: every string that comes from a document, a user or an exception goes
through :func:`esc` (``html.escape`` with quotes) before it is placed in
markup; the only unescaped markup is the fixed tags written here. The output
never contains a blank line, so that the chatbot's Markdown renderer treats a
message as one raw HTML block and leaves the escaped text alone.

Ids used for citation links: ``pq-src-{turn}-{n}`` (source ``n`` of answer
``turn``) and ``pq-ctx-{turn}-{rank}`` (a closest passage of an abstention).
"""
from __future__ import annotations

import html
import re
from collections import defaultdict
from typing import Any, Iterable

from .highlight import MARKER_RE, Span, merge_spans, table_view, text_spans

# Table cells longer than this wrap (shorter ones, figures, stay on one line).
LONG_CELL = 10


def _cell_class(cell: str, spans: list) -> str:
    classes = (["pq-hit"] if spans else []) + (["pq-long"] if len(cell) > LONG_CELL else [])
    return f' class="{" ".join(classes)}"' if classes else ""


# Older answers kept (collapsed) in the sources panel.
MAX_TURNS_IN_PANEL = 8


def esc(value: Any) -> str:
    """``html.escape(str(value), quote=True)``; ``None`` → ``""``."""
    return "" if value is None else html.escape(str(value), quote=True)


def _lines(escaped: str) -> str:
    """Line breaks of escaped text as ``<br>`` (no raw newlines in output)."""
    return escaped.replace("\r\n", "\n").replace("\n", "<br>")


def marked_html(text: str, spans: Iterable[Span]) -> str:
    """``text`` escaped, with ``<mark>`` around ``spans`` (character index
    pairs into ``text``) and line breaks as ``<br>``."""
    out, pos = [], 0
    for a, b in merge_spans(list(spans)):
        a, b = max(a, pos), min(b, len(text))
        if a >= b:
            continue
        out.append(_lines(esc(text[pos:a])))
        out.append(f'<mark class="pq-mark">{_lines(esc(text[a:b]))}</mark>')
        pos = b
    out.append(_lines(esc(text[pos:])))
    return "".join(out)


def passage_html(text: str, chunk_type: str, sentences: list[str]) -> str:
    """A source passage with the spans supporting ``sentences`` marked: a
    table chunk as an HTML table (caption lines above it), prose as text."""
    if chunk_type == "table" or ("\t" in text and chunk_type != "text"):
        view = table_view(text, sentences)
        parts = ['<div class="pq-passage pq-table-passage">']
        for line, spans in view.caption:
            parts.append(f'<div class="pq-caption">{marked_html(line, spans)}</div>')
        if view.rows:
            parts.append('<div class="pq-table-wrap"><table class="pq-table">')
            for r, row in enumerate(view.rows):
                cls = ' class="pq-hit-row"' if r in view.hit_rows else ""
                cells = "".join(f"<td{_cell_class(cell, spans)}>{marked_html(cell, spans)}</td>" for cell, spans in row)
                parts.append(f"<tr{cls}>{cells}</tr>")
            parts.append("</table></div>")
        parts.append("</div>")
        return "".join(parts)
    return f'<div class="pq-passage">{marked_html(text, text_spans(text, sentences))}</div>'


def cite_link(turn: int, marker: int, known: bool = True) -> str:
    """A clickable ``[n]`` that scrolls to source ``n`` of answer ``turn``
    (plain text when the source is not shown)."""
    if not known:
        return f'<span class="pq-cite pq-cite-missing">[{marker}]</span>'
    target = f"pq-src-{turn}-{marker}"
    return f'<a class="pq-cite" href="#{target}" title="來源 {marker} (source {marker})">[{marker}]</a>'


def sentence_html(text: str, turn: int, known: set[int]) -> str:
    """An answer sentence, escaped, with its ``[n]`` markers as links."""
    out, pos = [], 0
    for m in MARKER_RE.finditer(text):
        out.append(_lines(esc(text[pos:m.start()])))
        n = int(m.group()[1:-1])
        out.append(cite_link(turn, n, n in known))
        pos = m.end()
    out.append(_lines(esc(text[pos:])))
    return "".join(out)


def user_message_html(question: str) -> str:
    """The user's question as a chat message (escaped)."""
    return f'<div class="pq-question">{_lines(esc(question))}</div>'


def notice_html(text: str, kind: str = "error") -> str:
    """A one-line notice (``kind``: ``error``, ``info`` or ``warn``)."""
    return f'<div class="pq-notice pq-{esc(kind)}">{esc(text)}</div>'


def _page(page: Any) -> str:
    return f'<span class="pq-page">第 {esc(page)} 頁 (p. {esc(page)})</span>'


def answer_message_html(answer, turn: int) -> str:
    """The chat message for an :class:`~assistant.answer.Answer`.

    Verified sentences form the answer, each ``[n]`` a link to its source;
    sentences the citation checker rejected are listed apart, marked
    unverified; an abstention says so and links the closest passages; a
    conflict gets a notice on top. A follow-up first says what it was
    understood as (「理解為：109 年度 分項二 經費」).
    """
    parts = [f'<div class="pq-answer" data-turn="{turn}">']
    if answer.understood:
        parts.append(f'<div class="pq-understood">{esc(answer.understood.text)}</div>')
    if answer.abstained:
        parts.append('<div class="pq-abstained">')
        parts.append('<div class="pq-abstain-title">⚠ 無法回答：文件中找不到依據 '
                     '(No answer: the documents do not say)</div>')
        parts.append(f'<p class="pq-abstain-text">{esc(answer.answer)}</p>')
        if answer.note:
            parts.append(f'<p class="pq-note">原因 (reason)：{esc(answer.note)}</p>')
        if answer.contexts:
            parts.append('<div class="pq-closest">最接近的段落 (closest passages)：<ol>')
            for c in answer.contexts:
                target = f"pq-ctx-{turn}-{c.rank}"
                parts.append(f'<li><a class="pq-cite" href="#{target}">'
                             f'{esc(c.title or c.doc_id)}，第 {esc(c.page)} 頁</a></li>')
            parts.append("</ol></div>")
        parts.append("</div>")
    else:
        if answer.conflict:
            parts.append('<div class="pq-conflict">⚠ 注意：文件中對此有不同的數值，請逐一核對來源。'
                         '(The documents state different figures for this; check each source.)</div>')
        known = {c.marker for c in answer.citations}
        verified = [s for s in answer.sentences if s.verified]
        body = "".join(f'<span class="pq-sentence">{sentence_html(s.text, turn, known)}</span>' for s in verified)
        parts.append(f'<p class="pq-text">{body or esc(answer.answer)}</p>')
        mode = ("LLM 生成，每句已對照來源查核 (LLM, every sentence checked against its source)"
                if answer.mode == "llm" else "擷取式：直接引用文件 (extractive: quoted from the documents)")
        parts.append(f'<div class="pq-mode" data-mode="{esc(answer.mode)}">模式 (mode)：{mode}</div>')
        if answer.note:
            parts.append(f'<p class="pq-note">註 (note)：{esc(answer.note)}</p>')
    unverified = [s for s in answer.sentences if not s.verified]
    if unverified:
        parts.append('<div class="pq-unverified"><div class="pq-unverified-title">'
                     '⚠ 未驗證：以下句子未通過引用檢查，不列入答案 '
                     '(Unverified: not supported by the cited passages)</div><ul>')
        known = {c.marker for c in answer.citations}
        for s in unverified:
            why = "；".join(s.reasons)
            parts.append(f'<li><span class="pq-unverified-text">{sentence_html(s.text, turn, known)}</span>'
                         + (f' <span class="pq-reason">({esc(why)})</span>' if why else "") + "</li>")
        parts.append("</ul></div>")
    parts.append("</div>")
    return "".join(parts)


#: Shown on a source read by OCR from a scanned page: its text may hold
#: misread characters, so the figure must be checked against the page.
OCR_NOTE = "OCR：掃描頁辨識文字，可能有誤，請對照原頁 (read by OCR from a scanned page: check the page)"


def _source_html(anchor: str, badge: str, title: str, page: Any, where: list[str], body: str,
                 extra_class: str = "", ocr: bool = False) -> str:
    place = " › ".join(esc(w) for w in where if w)
    return (f'<section class="pq-source{extra_class}{" pq-ocr" if ocr else ""}" id="{anchor}">'
            f'<div class="pq-src-head"><span class="pq-badge">{esc(badge)}</span> '
            f'<span class="pq-doc-title">{esc(title)}</span> {_page(page)}</div>'
            + (f'<div class="pq-src-ocr">⚠ {esc(OCR_NOTE)}</div>' if ocr else "")
            + (f'<div class="pq-src-where">{place}</div>' if place else "")
            + f"{body}</section>")


def sources_section_html(answer, turn: int) -> str:
    """The sources of one answer: each cited passage (document title, page,
    section or table title) with the spans supporting its sentences marked;
    for an abstention, the closest passages (words shared with the question
    marked), labelled as not an answer."""
    parts = []
    if answer.abstained:
        parts.append('<div class="pq-src-label">最接近的段落（並非答案）Closest passages — not an answer</div>')
        asked = answer.understood.question if answer.understood else answer.question
        for c in answer.contexts:
            body = passage_html(c.text, "table" if "\t" in c.text else "text", [asked])
            parts.append(_source_html(f"pq-ctx-{turn}-{c.rank}", f"#{c.rank}", c.title or c.doc_id, c.page,
                                      [c.section], body, " pq-context"))
        return "".join(parts)
    by_marker: dict[int, list[str]] = defaultdict(list)
    for s in answer.sentences:
        if s.verified:
            for m in s.citations:
                by_marker[m].append(s.text)
    for c in answer.citations:
        body = passage_html(c.text, c.chunk_type, by_marker.get(c.marker, []))
        where = [c.section]
        if c.table_title and c.table_title not in c.section:
            where.append(f"表：{c.table_title}")
        parts.append(_source_html(f"pq-src-{turn}-{c.marker}", f"[{c.marker}]", c.title or c.doc_id, c.page,
                                  where, body, ocr=c.ocr))
    return "".join(parts)


def sources_panel_html(turns: list[dict]) -> str:
    """The sources panel: the newest answer's sources open, older ones
    collapsed under their question. ``turns``: newest first, each a dict
    with ``turn``, ``question`` and ``html`` (from
    :func:`sources_section_html`)."""
    if not turns:
        return ('<div class="pq-sources pq-empty">提問後，答案引用的段落會列在這裡，'
                '支持答案的數字與文字以醒目標示。(Sources of the answer appear here.)</div>')
    parts = ['<div class="pq-sources">']
    for i, t in enumerate(turns[:MAX_TURNS_IN_PANEL]):
        q = esc(t["question"])
        if i == 0:
            parts.append(f'<div class="pq-turn pq-latest"><div class="pq-turn-q">來源 (sources) — 問：{q}</div>'
                         f'{t["html"]}</div>')
        else:
            parts.append(f'<details class="pq-turn"><summary>較早的問題：{q}</summary>{t["html"]}</details>')
    parts.append("</div>")
    return "".join(parts)


def documents_table_html(records) -> str:
    """The indexed documents as a table (title, agency, period, pages,
    chunks, tables, ingested at, id)."""
    if not records:
        return '<div class="pq-docs pq-empty">索引中沒有文件。(No documents indexed.) 請上傳 PDF 或文字檔。</div>'
    head = "".join(f"<th>{h}</th>" for h in ("標題 Title", "機關 Agency", "期程 Period", "頁數 Pages",
                                             "段落 Chunks", "表格 Tables", "加入時間 Ingested (UTC)", "ID"))
    rows = []
    for r in records:
        when = (r.ingested_at or "").replace("T", " ").replace("+00:00", "")
        rows.append(f"<tr><td>{esc(r.title)}</td><td>{esc(r.agency)}</td><td>{esc(r.period)}</td>"
                    f'<td class="pq-num">{esc(r.pages)}</td><td class="pq-num">{esc(r.chunks)}</td>'
                    f'<td class="pq-num">{esc(r.tables)}</td><td>{esc(when)}</td><td><code>{esc(r.doc_id)}</code></td></tr>')
    return (f'<div class="pq-docs"><div class="pq-docs-count">{len(records)} 份文件 (documents)</div>'
            f'<div class="pq-table-wrap"><table class="pq-table pq-doc-table"><tr>{head}</tr>{"".join(rows)}</table></div></div>')


def result_lines_html(lines: list[tuple[bool, str]]) -> str:
    """Per-file results, one line each: ``(ok, text)``."""
    if not lines:
        return ""
    items = "".join(f'<li class="{"pq-ok" if ok else "pq-err"}">{"✓" if ok else "✗"} {esc(text)}</li>'
                    for ok, text in lines)
    return f'<ul class="pq-results">{items}</ul>'


# ------------------------------------------------------------------ verify
VERDICT_LABELS = {
    "supported": ("✓ 正確 Supported", "pq-supported"),
    "approximately": ("≈ 約略符合 Approximately", "pq-supported"),
    "contradicted": ("✗ 與文件不符 Contradicted", "pq-contradicted"),
    "not_found": ("? 文件中找不到 Not found", "pq-notfound"),
}


def format_value(value: Any, unit: Any = "") -> str:
    """A verdict's value for display: integers with thousands separators
    (``350000`` → ``350,000``), then the unit."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        text = str(value)
    elif isinstance(value, (int, float)):
        text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    else:
        text = str(value).strip()
    if unit and str(unit) not in text:
        text = f"{text} {unit}"
    return text


def _value_spans(text: str, value: Any) -> list[Span]:
    """Spans of ``text`` that hold ``value`` (its figures, or verbatim)."""
    if value is None or value == "":
        return []
    probe = format_value(value)
    spans = [s for s in text_spans(text, [probe]) if any(ch.isdigit() for ch in text[s[0]:s[1]])]
    if not spans and str(value) in text:
        i = text.index(str(value))
        spans = [(i, i + len(str(value)))]
    return spans


def evidence_html(ev, value: Any = None, label: str = "") -> str:
    """One piece of evidence as a cell card: the table title, row, column
    and page, the cell, and the evidence text with the value marked."""
    get = lambda name: getattr(ev, name, "") if not isinstance(ev, dict) else ev.get(name, "")  # noqa: E731
    title, page, table, row, column, text = (get(k) for k in ("title", "page", "table", "row", "column", "text"))
    if text and (row or column) and "：" in str(text):
        cell_value = str(text).rsplit("：", 1)[1]  # the cell statement 「row｜column：value」
    else:
        cell_value = format_value(value) if value not in (None, "") else ""
    head = (f'<div class="pq-cell-head">{esc(label) + " " if label else ""}'
            f'<span class="pq-doc-title">{esc(title or get("doc_id"))}</span> '
            + (_page(page) if page not in (None, "", 0) else "") + "</div>")  # 0: a manifest fact, no page
    meta = "".join(f'<div class="pq-cell-meta"><span class="pq-k">{k}</span> {esc(v)}</div>'
                   for k, v in (("表 Table：", table), ("列 Row：", row), ("欄 Column：", column)) if v not in (None, ""))
    cell = ""
    if row not in (None, "") or column not in (None, ""):
        cell = (f'<table class="pq-table pq-cell"><tr><th></th><th>{esc(column)}</th></tr>'
                f'<tr><th>{esc(row)}</th><td class="pq-hit"><mark class="pq-mark">{esc(cell_value or text)}</mark></td></tr></table>')
    body = f'<div class="pq-passage">{marked_html(str(text), _value_spans(str(text), value))}</div>' if text else ""
    return f'<div class="pq-evidence">{head}{meta}{cell}{body}</div>'


def verdict_html(verdict) -> str:
    """The verdict card of a :class:`Verdict` (object or its ``to_dict()``)."""
    get = lambda name, default="": (verdict.get(name, default) if isinstance(verdict, dict)  # noqa: E731
                                    else getattr(verdict, name, default))
    kind = str(get("verdict", "not_found"))
    label, cls = VERDICT_LABELS.get(kind, (kind, "pq-notfound"))
    value = format_value(get("correct_value", None), get("unit", ""))
    parts = [f'<div class="pq-verdict {cls}"><div class="pq-verdict-label">{esc(label)}</div>',
             f'<div class="pq-claim">主張 (claim)：{esc(get("claim"))}</div>']
    if value:
        parts.append(f'<div class="pq-correct">文件數值 (value in the documents)：<mark class="pq-mark">{esc(value)}</mark></div>')
    if get("note"):
        parts.append(f'<div class="pq-note">{esc(get("note"))}</div>')
    for i, ev in enumerate(get("evidence", []) or [], start=1):
        parts.append(evidence_html(ev, get("correct_value", None), f"證據 {i}"))
    conflicts = get("conflicts", []) or []
    if conflicts:
        parts.append('<div class="pq-conflict">⚠ 文件中對此有不同的數值 (the documents state different values)：</div>')
        for c in conflicts:
            cval = c.get("value") if isinstance(c, dict) else getattr(c, "value", "")
            evs = (c.get("evidence", c) if isinstance(c, dict)  # to_dict() flattens the evidence into it
                   else getattr(c, "evidence", []))
            if evs and not isinstance(evs, (list, tuple)):
                evs = [evs]
            parts.append(f'<div class="pq-conflict-value">{esc(format_value(cval, get("unit", "")))}</div>')
            parts.extend(evidence_html(ev, cval) for ev in (evs or []))
    parts.append("</div>")
    return "".join(parts)


def audit_html(findings, titles: dict[str, str] | None = None) -> str:
    """Audit findings grouped per document (kind, page, table, message,
    expected, found)."""
    titles = titles or {}
    if not findings:
        return '<div class="pq-audit pq-ok">✓ 稽核未發現問題 (the audit found no problems).</div>'
    groups: dict[str, list] = defaultdict(list)
    for f in findings:
        groups[str(getattr(f, "doc_id", "") or "")].append(f)
    parts = [f'<div class="pq-audit"><div class="pq-audit-count">{len(findings)} 項發現 (findings)</div>']
    for doc_id, items in sorted(groups.items()):
        parts.append(f'<details class="pq-audit-doc" open><summary>{esc(titles.get(doc_id, doc_id) or "(unknown)")} '
                     f'<code>{esc(doc_id)}</code> — {len(items)}</summary><div class="pq-table-wrap"><table class="pq-table">'
                     "<tr><th>類型 Kind</th><th>頁 Page</th><th>表 Table</th><th>說明 Message</th>"
                     "<th>應為 Expected</th><th>文件 Found</th></tr>")
        for f in items:
            g = lambda k: getattr(f, k, "")  # noqa: E731
            parts.append(f"<tr><td>{esc(g('kind'))}</td><td class=\"pq-num\">{esc(g('page'))}</td>"
                         f"<td>{esc(g('table'))}</td><td>{esc(g('message'))}</td>"
                         f"<td class=\"pq-num\">{esc(format_value(g('expected')))}</td>"
                         f"<td class=\"pq-num\">{esc(format_value(g('found')))}</td></tr>")
        parts.append("</table></div></details>")
    parts.append("</div>")
    return "".join(parts)


def verification_notice_html(tools) -> str:
    """The Verify tab's header: what it does, or that it is not available
    (``tools``: :func:`~planqa_ui.service.load_verification`'s result)."""
    if not tools.available:
        return unavailable_html(tools.reason)
    text = ("輸入一句關於經費或指標的敘述，查核它與文件表格是否一致。"
            "Enter a claim about a budget figure or target; it is checked against the plans' tables.")
    if tools.audit is None:
        text += " 稽核功能尚未提供 (the audit is not available in this installation)."
    return notice_html(text, "info")


def unavailable_html(reason: str, what: str = "驗證", what_en: str = "Verification") -> str:
    """The plain message shown when ``assistant.verify``/``assistant.audit``
    cannot be imported (``reason``: the import error, one line)."""
    return notice_html(f"{what}功能目前無法使用：此安裝沒有可用的{what}模組。"
                       f"{what_en} is not available in this installation ({reason or 'module missing'}).", "warn")


def plain_text(fragment: str) -> str:
    """The visible text of a fragment made here (tags dropped, entities
    decoded); for logs and API callers."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


# ---------------------------------------------------------------- overview
# KPI row labels longer than this are cut in the table (the full label is
# in the cell's title).
KPI_LABEL_CHARS = 60


def _ov_place(f) -> str:
    """Where a figure is printed, for a ``title`` attribute (plain text)."""
    if f.summed:
        return "加總 sum of: " + " + ".join(f"{p.display} (p.{p.page})" for p in f.parts)
    where = [f"p.{f.page}"]
    if f.table_title:
        where.append(f"表「{f.table_title}」")
    if f.row_label or f.column_label:
        where.append(" × ".join(x for x in (f.row_label, f.column_label) if x))
    elif f.text:
        where.append(" ".join(f.text.split())[:160])
    if f.qualifier:
        where.append(f.qualifier)
    return " · ".join(where)


def _ov_page(f) -> str:
    """The small page reference next to a figure (``p.12``; ``Σ`` for a sum)."""
    if f.summed:
        return '<small class="pq-ov-page pq-ov-sum">Σ</small>'
    return f'<small class="pq-ov-page" data-chunk="{esc(f.chunk_id)}">p.{esc(f.page)}</small>'


def _ov_figure(f) -> str:
    return (f'<span class="pq-ov-fig" title="{esc(_ov_place(f))}"><span class="pq-ov-value">{esc(f.display)}</span> '
            f"{_ov_page(f)}</span>")


def overview_placeholder_html() -> str:
    """The Overview tab before a document is chosen."""
    return ('<div class="pq-overview pq-empty">選擇一份文件，查看總經費、各年度各分項經費、績效指標與申請資格。'
            "(Choose a document to see its budget by year and 分項, KPI targets and eligibility rules.)</div>")


def overview_html(ov) -> str:
    """A plan overview (:class:`assistant.figures.overview.Overview`) as
    HTML: header (title, agency, period, total), the budget table year ×
    分項 with each figure's page next to it (``p.12``, and the table, row
    and column in its ``title``), the values stated differently elsewhere,
    the KPI targets and the eligibility quotes with their pages.  Every
    string from the document is escaped."""
    from assistant.language import western_to_roc

    parts = ['<div class="pq-overview">',
             (f'<div class="pq-ov-head"><div class="pq-ov-title">{esc(ov.title)} <code>{esc(ov.doc_id)}</code></div>'
              f'<div class="pq-ov-meta"><span class="pq-k">機關 Agency：</span>{esc(ov.agency or "—")}　'
              f'<span class="pq-k">期程 Period：</span>{esc(ov.period or "—")}　'
              f'<span class="pq-k">頁數 Pages：</span>{esc(ov.pages)}</div>')]
    if ov.total is None:
        parts.append('<div class="pq-ov-total"><span class="pq-k">總經費 Total：</span>—'
                     '（事實庫中沒有此計畫的經費數字 no budget figure in the fact store）</div>')
    else:
        note = ('<span class="pq-note">（各年度合計之加總 sum of the yearly totals）</span>' if ov.total.summed else "")
        parts.append(f'<div class="pq-ov-total"><span class="pq-k">總經費 Total：</span>{_ov_figure(ov.total)} {note}</div>')
    parts.append("</div>")

    b = ov.budget
    parts.append('<h4 class="pq-ov-h">經費 Budget（年度 × 分項）</h4>')
    if not b.years:
        parts.append('<div class="pq-empty">事實庫中沒有分年經費。(No budget figures by year in the fact store.)</div>')
    else:
        head = "".join(f"<th>{esc(s)}</th>" for s in b.subjects)
        parts.append('<div class="pq-table-wrap"><table class="pq-table pq-ov-budget">'
                     f"<tr><th>年度 Year</th>{head}<th>合計 Total</th></tr>")
        notes = []
        for y in b.years:
            cells = []
            for s in [*b.subjects, ""]:
                c = b.cell(y, s)
                if c is None:
                    cells.append('<td class="pq-num pq-ov-none">—</td>')
                    continue
                flag = ""
                if c.conflicts:
                    others = "；".join(f"{x.display} (p.{x.page})" for x in c.conflicts)
                    flag = f' <span class="pq-ov-flag" title="{esc("計畫他處另載 also stated: " + others)}">⚠</span>'
                    notes.extend((s or "合計", y, c, x) for x in c.conflicts)
                cls = "pq-num pq-ov-total-cell" if not s else "pq-num"
                cells.append(f'<td class="{cls}" data-subject="{esc(s)}" data-year="{esc(y)}">{_ov_figure(c.figure)}{flag}</td>')
            parts.append(f"<tr><th>{esc(western_to_roc(y))} <small>({esc(y)})</small></th>{''.join(cells)}</tr>")
        parts.append("</table></div>")
        if notes:
            parts.append('<div class="pq-conflict">⚠ 計畫他處所載不同數值，表中保留表格所載 '
                         "(the plan states these values elsewhere; the table keeps the table's figure)：<ul>")
            for s, y, c, x in notes:
                parts.append(f"<li>{esc(s)} {esc(western_to_roc(y))} 年：{_ov_figure(x)}（表中 kept {esc(c.figure.display)}，"
                             f"p.{esc(c.figure.page)}）</li>")
            parts.append("</ul></div>")

    parts.append(f'<h4 class="pq-ov-h">績效指標目標 KPI targets（{len(ov.kpis)}）</h4>')
    if not ov.kpis:
        parts.append('<div class="pq-empty">沒有找到績效指標表格中的目標值。(No KPI table targets in the fact store.)</div>')
    else:
        parts.append('<div class="pq-table-wrap"><table class="pq-table pq-ov-kpi">'
                     "<tr><th>年度 Year</th><th>指標 Indicator</th><th>目標值 Target</th></tr>")
        for k in ov.kpis:
            label = " ".join((k.row_label or k.column_label or k.figure.table_title).split())
            short = label if len(label) <= KPI_LABEL_CHARS else label[:KPI_LABEL_CHARS - 1] + "…"
            parts.append(f'<tr><td>{esc(k.year or "—")}</td><td class="pq-long" title="{esc(label)}">{esc(short)}</td>'
                         f'<td class="pq-num">{_ov_figure(k.figure)}</td></tr>')
        parts.append("</table></div>")

    parts.append('<h4 class="pq-ov-h">申請資格 Eligibility（原文 quoted）</h4>')
    if not ov.eligibility:
        parts.append('<div class="pq-empty">文件中沒有提到申請資格的句子。(No sentence names eligibility.)</div>')
    else:
        parts.append('<ul class="pq-ov-quotes">')
        for q in ov.eligibility:
            items = "".join(f'<li><q>{esc(i.text)}</q> <small class="pq-ov-page" data-chunk="{esc(i.chunk_id)}">'
                            f"p.{esc(i.page)}</small></li>" for i in q.items)
            parts.append(f'<li><q>{esc(q.text)}</q> <small class="pq-ov-page" data-chunk="{esc(q.chunk_id)}" '
                         f'title="{esc(q.section)}">p.{esc(q.page)}</small>'
                         + (f'<ul class="pq-ov-items">{items}</ul>' if items else "") + "</li>")
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)


# Column names of the budget chart's data frame.
CHART_X, CHART_Y, CHART_COLOR = "年度 year", "經費 budget", "分項"


def budget_chart_frame(ov):
    """The budget by year for a bar chart: a ``pandas.DataFrame`` with
    columns :data:`CHART_X` (民國 year label), :data:`CHART_Y` (amount in
    ``unit``, float) and :data:`CHART_COLOR` (the 分項, or 合計 when the
    plan has no 分項 figures), and the unit (the one most figures are
    printed in: 千元, 億元 …).  ``(None, "")`` when there is nothing to
    chart."""
    from collections import Counter
    from decimal import Decimal

    import pandas as pd

    from assistant.language import western_to_roc
    from assistant.figures.quantities import money_unit_factor

    b = ov.budget
    cells = b.cells or b.totals
    if not cells:
        return None, ""
    unit = Counter(c.figure.unit for c in cells).most_common(1)[0][0] or "元"
    try:
        name, factor = money_unit_factor(unit)
    except ValueError:
        name, factor = "元", 1
    rows = [{CHART_X: f"{western_to_roc(c.year)} 年", CHART_Y: float(Decimal(c.figure.value) / factor),
             CHART_COLOR: c.subject or "合計"} for c in cells]
    return pd.DataFrame(rows, columns=[CHART_X, CHART_Y, CHART_COLOR]), name
