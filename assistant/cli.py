"""``python -m assistant`` — ask the plans a question.

Examples::

    python -m assistant ask "分項二 108 年度經費是多少？"
    python -m assistant ask "Who can apply?" --doc most-2018-phd-talent-training --json

Exit status: 0 answered, 3 abstained (the documents do not say), 2 usage or
index error.
"""
from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path


def _add_index_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, default=None, help="index folder (default: $PLANQA_DB or ./.planqa)")
    p.add_argument("--chroma-host", default=None, help="Chroma server host (instead of the embedded store)")
    p.add_argument("--chroma-port", type=int, default=8000, help="Chroma server port")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m assistant", description="Answer questions from plan documents, with checked citations.")
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("ask", help="answer a question")
    a.add_argument("question")
    a.add_argument("--doc", action="append", dest="docs", metavar="ID", help="restrict to a document (repeatable)")
    a.add_argument("--top-k", type=int, default=10, help="retrieved chunks considered (default 10)")
    _add_index_args(a)
    return p


def print_answer(ans) -> None:
    """Human-readable answer: the text, then numbered sources."""
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
        print(f"  [{c.marker}] {c.title or c.doc_id}, p.{c.page} — {where}")
    if unverified:
        print(f"\n({len(unverified)} sentence(s) removed: not supported by their cited passages)")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `… | head` ends quietly
    from ingest.config import offline_env

    offline_env()
    args = build_parser().parse_args(argv)
    from ingest.lsa import EmbeddingModelError
    from ingest.store import StoreError

    try:
        if args.cmd == "ask":
            from .answer import Assistant

            assistant = Assistant(args.db, host=args.chroma_host, port=args.chroma_port)
            if not assistant.retriever.chunks:
                print("error: the index is empty — ingest documents first: python -m ingest corpus/pdf", file=sys.stderr)
                return 2
            ans = assistant.ask(args.question, doc_ids=args.docs, top_k=args.top_k)
            if args.json:
                print(json.dumps(ans.to_dict(), ensure_ascii=False, indent=2))
            else:
                print_answer(ans)
            return 3 if ans.abstained else 0
    except (StoreError, EmbeddingModelError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 2
