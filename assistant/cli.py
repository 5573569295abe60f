"""``python -m assistant`` — ask the plans a question, verify a figure, audit
the plans.

Examples::

    python -m assistant ask "分項二 108 年度經費是多少？"
    python -m assistant ask "Who can apply?" --doc most-2018-phd-talent-training --json
    printf '分項一 108 年度經費是多少？\n那 109 年呢？\n' | python -m assistant chat   # follow-ups
    PLANQA_LLM_API_KEY=… python -m assistant ask "分項二 108 年度經費是多少？" \
        --llm openai --llm-base-url http://127.0.0.1:8080/v1 --llm-model qwen2.5-7b-instruct
    python -m assistant ask "分項二 108 年度經費是多少？" --llm local --llm-model ./models/qwen2.5-0.5b-instruct
    python -m assistant verify "分項二 108 年度經費 350,000 千元"
    python -m assistant audit --doc ey-2018-taiwan-ai-action-plan --json
    python -m assistant overview --doc most-2018-phd-talent-training    # exit 0
    python -m assistant facts --doc most-2018-phd-talent-training --year 108 --measure 經費 --csv   # exit 0

``chat`` reads one question a line from stdin and answers each against the
turns before it (「那 109 年呢？」 → 「理解為：109 年度 分項一 經費」); a blank
line starts a new conversation; ``--json`` prints one JSON object a line.

Exit status: ``ask``: 0 answered, 3 abstained (the documents do not say); ``chat``: 0;
``verify``: 0 supported (or approximately), 1 contradicted, 3 not found; ``audit``: 0 (findings
or not); 2 usage or index error for all.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .llm_args import add_llm_arguments, config_from_args


def _add_index_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, default=None, help="index folder (default: $PLANQA_DB or ./.planqa)")
    p.add_argument("--chroma-host", default=None, help="Chroma server host (instead of the embedded store)")
    p.add_argument("--chroma-port", type=int, default=8000, help="Chroma server port")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def print_mode(ans, generator) -> None:
    """Which mode answered (printed when an LLM is configured), and the note."""
    if ans.mode == "llm":
        print(f"\n模式 (mode): LLM（{generator.name}），每句已對照來源查核 (llm, every sentence checked)")
    else:
        print("\n模式 (mode): 擷取式 (extractive)")
    if ans.note:
        print(f"註 (note): {ans.note}")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m assistant", description="Answer questions from plan documents, with checked citations.")
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("ask", help="answer a question")
    a.add_argument("question")
    a.add_argument("--doc", action="append", dest="docs", metavar="ID", help="restrict to a document (repeatable)")
    a.add_argument("--top-k", type=int, default=10, help="retrieved chunks considered (default 10)")
    _add_index_args(a)
    add_llm_arguments(a)
    c = sub.add_parser("chat", help="answer questions read from stdin, one a line; follow-ups (那 109 年呢？) "
                                    "refer to the turns before; a blank line starts a new conversation")
    c.add_argument("--doc", action="append", dest="docs", metavar="ID", help="restrict to a document (repeatable)")
    c.add_argument("--top-k", type=int, default=10, help="retrieved chunks considered (default 10)")
    _add_index_args(c)
    v = sub.add_parser("verify", help="check a budget or KPI figure against the plans")
    v.add_argument("claim")
    v.add_argument("--doc", action="append", dest="docs", metavar="ID", help="restrict to a document (repeatable)")
    v.add_argument("--db", type=Path, default=None, help="index folder (default: $PLANQA_DB or ./.planqa)")
    v.add_argument("--json", action="store_true", help="print one JSON object")
    u = sub.add_parser("audit", help="find totals that do not add up and figures stated differently")
    u.add_argument("--doc", action="append", dest="docs", metavar="ID", help="audit only this document (repeatable)")
    u.add_argument("--db", type=Path, default=None, help="index folder (default: $PLANQA_DB or ./.planqa)")
    u.add_argument("--json", action="store_true", help="print a JSON list")
    o = sub.add_parser("overview", help="a plan at a glance: total, budget by year × 分項, KPI targets, eligibility")
    o.add_argument("--doc", required=True, metavar="ID", help="the document (python -m ingest --list)")
    o.add_argument("--db", type=Path, default=None, help="index folder (default: $PLANQA_DB or ./.planqa)")
    o.add_argument("--json", action="store_true", help="print one JSON object")
    f = sub.add_parser("facts", help="export the fact store (every figure of the plans) as CSV or JSON")
    f.add_argument("--doc", default=None, metavar="ID", help="only this document")
    f.add_argument("--year", type=int, default=None, metavar="Y", help="only figures covering this year (民國 108 or 2019)")
    f.add_argument("--measure", default=None, metavar="M", help="only this measure (經費, 人事費, 人次 …)")
    f.add_argument("--db", type=Path, default=None, help="index folder (default: $PLANQA_DB or ./.planqa)")
    fmt = f.add_mutually_exclusive_group(required=True)
    fmt.add_argument("--csv", action="store_true", help="write CSV (cells that a spreadsheet would run are prefixed with ')")
    fmt.add_argument("--json", action="store_true", help="write a JSON list")
    return p


# Exit status of ``verify`` per verdict.
VERIFY_EXIT = {"supported": 0, "approximately": 0, "contradicted": 1, "not_found": 3}


def print_verdict(v) -> None:
    """Human-readable verdict: the verdict, the plan's value, the cell or
    sentence, conflicts."""
    label = {"supported": "SUPPORTED 符合", "approximately": "APPROXIMATELY 約略符合", "contradicted": "CONTRADICTED 不符", "not_found": "NOT FOUND 查無"}
    print(f"{label[str(v.verdict)]}: {v.claim}")
    if v.correct_value:
        print(f"計畫所載 (the plan states): {v.correct_value}")
    for e in v.evidence:
        if e.table or e.column:
            print(f"  - {e.title or e.doc_id}, p.{e.page}, 表「{e.table or '(untitled)'}」")
            print(f"    列 row: {e.row}  欄 column: {e.column}")
        else:
            print(f"  - {e.title or e.doc_id}, p.{e.page}: {' '.join(e.text.split())[:160]}")
    if v.conflicts:
        print("注意：計畫中對此有不同數值 (the plan states other values):")
        for c in v.conflicts:
            where = f"表「{c.evidence.table}」 {c.evidence.row} × {c.evidence.column}" if c.evidence.column \
                else " ".join(c.evidence.text.split())[:120]
            print(f"  - {c.value} (p.{c.evidence.page}: {where})")
    if v.note:
        print(f"({v.note})")


def print_findings(findings) -> None:
    """Human-readable audit findings, per document."""
    if not findings:
        print("no findings")
        return
    doc = None
    for f in findings:
        if f.doc_id != doc:
            doc = f.doc_id
            print(f"\n{doc}")
        where = f"表「{f.table}」" if f.table else "text"
        print(f"  [{f.kind}] p.{f.page} {where}: {f.message}")
    print(f"\n{len(findings)} finding(s)")


def print_answer(ans) -> None:
    """Human-readable answer: what a follow-up was understood as, the text,
    then numbered sources."""
    if ans.understood:
        print(ans.understood.text)
    print(ans.answer)
    if ans.abstained:
        print("\n最接近的段落 (closest passages):")
        for c in ans.contexts:
            snippet = " ".join(c.text.split())[:80]
            print(f"  - {c.doc_id} p.{c.page} {c.section}: {snippet}…")
        return
    unverified = [s for s in ans.sentences if not s.verified]
    if ans.conflict:
        print("\n注意：文件中對此有不同數值 (the documents state different values).")
    print("\n來源 (sources):")
    for c in ans.citations:
        where = c.table_title or c.section
        trust = " (OCR: read from a scanned page, check the page itself)" if c.ocr else ""
        print(f"  [{c.marker}] {c.title or c.doc_id}, p.{c.page} — {where}{trust}")
    if unverified:
        print(f"\n({len(unverified)} sentence(s) removed: not supported by their cited passages)")


def chat(args) -> int:
    """``python -m assistant chat``: one question a line from stdin, each
    asked with the answers before it as history (a blank line clears it)."""
    from .answer import Assistant

    assistant = Assistant(args.db, host=args.chroma_host, port=args.chroma_port)
    if not assistant.retriever.chunks:
        print("error: the index is empty — ingest documents first: python -m ingest corpus/pdf", file=sys.stderr)
        return 2
    history: list = []
    prompt = sys.stdin.isatty() and not args.json
    while True:
        if prompt:
            print("? ", end="", file=sys.stderr, flush=True)
        line = sys.stdin.readline()
        if not line:
            return 0
        question = line.strip()
        if not question:
            history = []
            continue
        ans = assistant.ask(question, history=history, doc_ids=args.docs, top_k=args.top_k)
        history.append(ans)
        if args.json:
            print(json.dumps(ans.to_dict(), ensure_ascii=False), flush=True)
        else:
            print(f"> {question}")
            print_answer(ans)
            print(flush=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    from ingest.config import offline_env

    offline_env()
    args = build_parser().parse_args(argv)
    from ingest.lsa import EmbeddingModelError
    from ingest.store import StoreError

    try:
        if args.cmd == "ask":
            from .answer import Assistant
            from .llm import make_generator

            llm_config = config_from_args(args)
            assistant = Assistant(args.db, host=args.chroma_host, port=args.chroma_port)
            if not assistant.retriever.chunks:
                print("error: the index is empty — ingest documents first: python -m ingest corpus/pdf", file=sys.stderr)
                return 2
            generator = assistant.generator = make_generator(llm_config)
            ans = assistant.ask(args.question, doc_ids=args.docs, top_k=args.top_k)
            if args.json:
                out = ans.to_dict()
                if generator is not None:
                    out["llm"] = generator.name
                print(json.dumps(out, ensure_ascii=False, indent=2))
            else:
                print_answer(ans)
                if generator is not None:
                    print_mode(ans, generator)
            return 3 if ans.abstained else 0
        if args.cmd == "chat":
            return chat(args)
        if args.cmd == "verify":
            from . import get_assistant
            from .figures.claims import parse_claim
            from .verify import verify

            parse_claim(args.claim)  # a bad claim is reported before the index is opened
            if not get_assistant(args.db).retriever.chunks:
                print("error: the index is empty — ingest documents first: python -m ingest corpus/pdf", file=sys.stderr)
                return 2
            v = verify(args.claim, doc_ids=args.docs, db_dir=args.db)
            if args.json:
                print(json.dumps(v.to_dict(), ensure_ascii=False, indent=2))
            else:
                print_verdict(v)
            return VERIFY_EXIT[str(v.verdict)]
        if args.cmd == "audit":
            from .figures.audit import audit

            findings = audit(doc_ids=args.docs, db_dir=args.db)
            if args.json:
                print(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
            else:
                print_findings(findings)
            return 0
        if args.cmd == "overview":
            from .figures.overview import format_text, overview

            ov = overview(args.doc, db_dir=args.db)
            print(json.dumps(ov.to_dict(), ensure_ascii=False, indent=2) if args.json else format_text(ov))
            return 0
        if args.cmd == "facts":
            from .figures.export import export_rows, open_store, to_csv, to_json

            rows = export_rows(open_store(args.db), doc_id=args.doc, year=args.year, measure=args.measure)
            sys.stdout.write(to_csv(rows) if args.csv else to_json(rows) + "\n")
            return 0
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except (StoreError, EmbeddingModelError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 2
