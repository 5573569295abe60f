"""``python -m eval`` — run the QA benchmark, compare runs, validate files.

    python -m eval run --out runs/shipped                    # dev and test splits
    python -m eval run --split test --config baseline --out runs/baseline
    python -m eval run --questions mine.jsonl --out runs/mine  # any file in the public schema
    python -m eval run --split test --corpus-dir build/renderings/chromium --out runs/chromium
    python -m eval run --split dev --embed-model lsa --db /tmp/lsadb --out runs/lsa-dev
    python -m eval compare runs/baseline runs/shipped
    python -m eval validate my_questions.jsonl
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


#: Settings of the verdict model's grid printed by fit-verdict (best first).
GRID_SHOWN = 15


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    from ingest.config import default_db_dir, offline_env
    from ingest.loaders import DEFAULT_PDF_READER, PdfReaderMode

    offline_env()
    p = argparse.ArgumentParser(prog="python -m eval", description="planqa QA benchmark")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run a benchmark file")
    src = r.add_mutually_exclusive_group()
    src.add_argument("--split", default="all", help="dev, test or all (default: all; see eval/splits.py)")
    src.add_argument("--questions", type=Path, default=None, help="score this JSONL file instead of a split")
    r.add_argument("--config", default="shipped", help="configuration name (see `python -m eval configs`)")
    r.add_argument("--out", type=Path, required=True, help="output folder")
    r.add_argument("--db", type=Path, default=None, help="index folder (default $PLANQA_DB or ./.planqa)")
    r.add_argument("--corpus", type=Path, default=Path("corpus/pdf"), help="ingested first if the index is empty")
    r.add_argument("--corpus-dir", type=Path, default=None,
                   help="score another rendering of the plans: ingest this folder into its own index "
                        "(DIR/.planqa-index unless --db) and run on it")
    r.add_argument("--pdf-reader", default=DEFAULT_PDF_READER.value, choices=[m.value for m in PdfReaderMode],
                   help="how an ingest done by this run reads PDF pages (default geometry; "
                        "with --corpus-dir, pypdf indexes into DIR/.planqa-index-pypdf)")
    r.add_argument("--embed-model", default=None,
                   help="embedding model of an index this run builds (default: ingest's; "
                        "an existing index must have been built with it)")
    r.add_argument("--no-doc-filter", action="store_true",
                   help="search all documents for each question and claim, not only the item's doc")
    r.add_argument("--limit", type=int, default=None, help="run only the first N items of each split")
    r.add_argument("--json", action="store_true", help="print metrics.json instead of the table")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    c = sub.add_parser("compare", help="compare two runs (B − A)")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    v = sub.add_parser("validate", help="check benchmark files against the documents")
    v.add_argument("files", nargs="+")
    sub.add_parser("configs", help="list configuration names")
    fv = sub.add_parser("fit-verdict", help="fit the claim-verdict model on the dev split (cross-validated)")
    fs = sub.add_parser("fit-selector", help="fit the answer selector and its abstention threshold on the dev split "
                                             "(cross-validated)")
    fl = sub.add_parser("fit-lexicon", help="fit the English→Chinese lexicon on the dev split (cross-validated "
                                            "by writer)")
    fr = sub.add_parser("fit-reranker", help="fit the retrieval reranker on the dev split (cross-validated by writer)")
    for f in (fv, fs, fl, fr):
        f.add_argument("--db", type=Path, default=None, help="index folder (default $PLANQA_DB or ./.planqa)")
        f.add_argument("--corpus", type=Path, default=Path("corpus/pdf"), help="ingested first if the index is empty")
        f.add_argument("--out", type=Path, default=None, help="model file (default: the shipped one)")
    args = p.parse_args(argv)
    if args.cmd in ("fit-selector", "fit-verdict", "fit-lexicon", "fit-reranker"):
        return _fit(args)
    if args.cmd == "configs":
        from .configs import CONFIG_NAMES

        print("\n".join(CONFIG_NAMES))
        return 0
    if args.cmd == "validate":
        from .validate import main as validate_main

        return validate_main(args.files)
    if args.cmd == "compare":
        from .report import compare

        try:
            print(compare(args.a, args.b))
        except FileNotFoundError as exc:
            print(f"error: {exc.filename}: not found (run `python -m eval run` first)", file=sys.stderr)
            return 2
        return 0
    from .configs import UnknownConfig
    from .harness import ensure_index, run
    from .report import headline_table
    from .splits import Split, resolve

    try:
        splits = [Split(args.questions.stem, args.questions)] if args.questions else resolve(args.split)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for split in splits:
        if not split.path.exists():
            print(f"error: {split.path}: no such file", file=sys.stderr)
            return 2
    if args.corpus_dir and not args.corpus_dir.is_dir():
        print(f"error: {args.corpus_dir}: not a folder", file=sys.stderr)
        return 2
    suffix = "" if args.pdf_reader == DEFAULT_PDF_READER.value else f"-{args.pdf_reader}"
    db = args.db or (args.corpus_dir / f".planqa-index{suffix}" if args.corpus_dir else default_db_dir())
    try:
        info = ensure_index(db, args.corpus_dir or args.corpus, always=bool(args.corpus_dir),
                            pdf_reader=args.pdf_reader, embed_model=args.embed_model)
        m = run(splits, args.out, config=args.config, db_dir=db, doc_filter=not args.no_doc_filter,
                progress=not args.quiet, limit=args.limit, index_info=info)
    except (UnknownConfig, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(m, ensure_ascii=False, indent=2))
    else:
        for name, sm in m["splits"].items():
            print(f"{name}: {sm['file']} sha256 {sm['sha256']}")
        i = m["index"]
        print(f"index: {i['corpus']} — {i['documents']} documents, {i['pages']} pages, {i['chunks']} chunks "
              f"({i['table_chunks']} table chunks), embedding {i['embed_model']}" + (f", ingested in {i['ingest_s']} s" if i["ingest_s"] else ""))
        print(f"config {m['config']} (value [bootstrap 95% interval])")
        print("\n".join(headline_table(m)))
    print(f"wrote {args.out}/results.jsonl, metrics.json, report.md", file=sys.stderr)
    return 0



def _fit(args) -> int:
    """``fit-selector`` / ``fit-verdict`` / ``fit-lexicon`` / ``fit-reranker``: index the corpus
    if needed, fit on dev, print the cross-validation grid (none for the
    lexicon) and the chosen setting."""
    from ingest.config import default_db_dir

    from .harness import ensure_index

    if args.cmd == "fit-lexicon":
        from assistant.lexicon import LEXICON_PATH as MODEL_PATH

        from .fit_lexicon import fit

        row = None   # no grid: the lexicon's settings are fixed (assistant.lexicon)
    elif args.cmd == "fit-reranker":
        from assistant.rerank import MODEL_PATH

        from .fit_reranker import fit

        row = None   # no grid: the ensemble's settings are fixed (eval.fit_reranker.PARAMS)
    elif args.cmd == "fit-selector":
        from assistant.selector import MODEL_PATH

        from .fit_selector import fit

        def row(r: dict) -> str:
            ranker = f"C={r['C']:<6g}" if r.get("ranker", "linear") == "linear" else f"{r['ranker']:<8}"
            return (f"{ranker} margin={r['support_margin']:.2f} gate={r.get('gate', 'right'):<10} "
                    f"threshold={r['threshold']:.3f}  "
                    f"cv accuracy {r['accuracy']:.3f}  coverage {r['coverage']:.3f}  precision {r['precision']:.3f}  "
                    f"false abstention {r['false_abstention']:.3f}  abstention {r['abstention']:.3f}")
    else:
        from assistant.figures.decision import MODEL_PATH

        from .fit_verdict import fit

        def row(r: dict) -> str:
            return (f"stated={r['stated_model']:<14} contradiction={r['contradiction_model']:<14} "
                    f"threshold={r['threshold']:.1f} "
                    f"contradict_below={r['contradict_below']:.2f} contradict_above={r['contradict_above']:.1f} "
                    f"min_contradict={r['min_contradict']:.2f} equal_margin={r['equal_margin']:.2f} "
                    f"label_gate={'on' if r['label_gate'] else 'off'}  cv accuracy {r['accuracy']:.3f}  "
                    f"true→contradicted {r['supported_called_contradicted']}  "
                    f"false→supported {r['contradicted_called_supported']}  "
                    f"not stated→contradicted {r['not_stated_called_contradicted']}")
    db = args.db or default_db_dir()
    ensure_index(db, args.corpus)
    out = args.out or MODEL_PATH
    meta = fit(db, out)
    grid = meta.pop("grid", None) or []
    # the best settings by the objective (every setting for the selector)
    for r in (sorted(grid, key=lambda r: -r.get("objective", 0))[:GRID_SHOWN] if grid and "objective" in grid[0]
              else grid):
        print(row(r))
    meta.pop("cv_precision_coverage", None)
    print(f"chosen: {json.dumps(meta, ensure_ascii=False)}; wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
