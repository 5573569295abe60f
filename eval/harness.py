"""``python -m eval run``: run a benchmark file through a configuration and
write ``results.jsonl``, ``metrics.json``, ``report.md`` and plots."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from . import metrics as M
from .configs import make_system
from .splits import Split
from .validate import read_jsonl


def ensure_index(db_dir: Path, corpus: Path, *, always: bool = False, pdf_reader: str | None = None,
                 embed_model: str | None = None) -> dict:
    """Ingest ``corpus`` into ``db_dir`` when the index holds no documents
    (a fresh clone runs the benchmark with one command), or on every call
    with ``always`` (unchanged files are skipped by content hash);
    ``pdf_reader``: :class:`ingest.loaders.PdfReaderMode` of that ingest
    (default :data:`ingest.loaders.DEFAULT_PDF_READER`); ``embed_model``:
    the embedding model of a new index (default
    :data:`ingest.config.DEFAULT_EMBED_MODEL`).

    Returns:
        What the scored index holds: ``{"corpus", "pdf_reader",
        "embed_model", "documents", "pages", "chunks", "table_chunks",
        "ingest_s"}``; ``ingest_s`` is the time of an ingest done now that
        wrote something, else ``None``.

    Raises:
        ValueError: the index exists with another embedding model than
            ``embed_model``; or it holds no document after the ingest
            (scores of an empty index would be meaningless zeros).
    """
    from ingest.loaders import DEFAULT_PDF_READER, PdfReaderMode
    from ingest.pipeline import ingest_paths
    from ingest.store import PlanIndex

    pdf_reader = PdfReaderMode.parse(pdf_reader or DEFAULT_PDF_READER).value
    index = PlanIndex(db_dir)
    built = index.embed_model() if index.list_documents() else None
    if embed_model and built and built != embed_model:
        raise ValueError(f"{db_dir} was built with embedding model '{built}', not '{embed_model}'; "
                         f"use another --db folder")
    ingest_s = None
    if always or not built:
        print(f"ingesting {corpus} into {db_dir} …", file=sys.stderr)
        report = ingest_paths([corpus], index, embed_model=embed_model, pdf_reader=pdf_reader,
                              embed_progress=sys.stderr.isatty())
        for line in report.errors:
            print(f"skipped {line}", file=sys.stderr)
        for line in report.warnings:
            print(f"warning {line}", file=sys.stderr)
        if report.added or report.updated:
            ingest_s = round(report.seconds, 1)
    docs = index.list_documents()
    if not docs:
        raise ValueError(f"{corpus}: no plan could be indexed from it (no supported files, or all rejected); "
                         f"nothing to score")
    return {"corpus": str(corpus), "pdf_reader": pdf_reader, "embed_model": index.embed_model(),
            "documents": len(docs), "pages": sum(d.pages for d in docs),
            "chunks": sum(d.chunks for d in docs), "table_chunks": sum(d.tables for d in docs), "ingest_s": ingest_s}


def _run_split(system, split: Split, fh, *, doc_filter: bool, progress: bool, limit: int | None) -> dict:
    """Run one split's items, append result lines to ``fh``, return its metrics."""
    items, errors = read_jsonl(split.path)
    if errors:
        raise ValueError(f"{split.path}: " + "; ".join(errors[:3]))
    items = items[:limit] if limit else items
    q_items, q_scores, c_scores = [], [], []
    claims_skipped = 0
    it = items
    if progress:
        from tqdm import tqdm

        it = tqdm(items, desc=f"eval {system.name} {split.name}", unit="item", file=sys.stderr)
    for item in it:
        docs = [item["doc"]] if doc_filter and item.get("doc") else None
        if item["kind"] == "question":
            res = system.answer(item["question"], docs)
            score = M.score_question(item, res)
            q_items.append(item)
            q_scores.append(score)
        else:
            res = system.verify(item["claim"], docs) if hasattr(system, "verify") else None
            if res is None:
                claims_skipped += 1
                continue
            score = M.score_claim(item, res)
            c_scores.append(score)
        fh.write(json.dumps({"split": split.name, "id": item["id"], "kind": item["kind"],
                            "category": item.get("category"), "lang": item.get("lang"), **res, "score": score},
                            ensure_ascii=False) + "\n")
    return {
        "file": str(split.path), "sha256": split.sha256,
        "overall": M.aggregate(q_scores, intervals=True),
        "by_category": M.breakdown(q_items, q_scores, "category"),
        "by_lang": M.breakdown(q_items, q_scores, "lang"),
        "by_difficulty": M.breakdown(q_items, q_scores, "difficulty"),
        "claims": {**M.claim_metrics(c_scores, intervals=True), "skipped": claims_skipped},
    }


def run(splits: list[Split], out: Path, *, config: str = "shipped", db_dir: Path, doc_filter: bool = True,
        progress: bool = True, limit: int | None = None, index_info: dict | None = None) -> dict:
    """Run every item of each split and write the outputs into ``out``.

    Args:
        splits: the question files to score, each on its own
            (:func:`eval.splits.resolve`, or a ``Split`` for any JSONL file
            in the public schema).
        out: output folder (created): ``results.jsonl`` (one line per item
            with its ``split``, the system's result and its ``score``),
            ``metrics.json``, ``report.md`` and plots.
        config: a name from :data:`eval.configs.CONFIG_NAMES`.
        db_dir: the index folder.
        doc_filter: restrict each question's retrieval, and each claim's
            verification, to its ``doc`` (as a user who picked the plan in
            the UI).
        progress: show a progress bar on stderr.
        limit: run only the first ``limit`` items of each split (smoke tests).
        index_info: what the index holds (:func:`ensure_index`), recorded
            in the metrics under ``"index"``.

    Returns:
        The metrics dict (also written to ``metrics.json``):
        ``{"config", "setup_s", "splits": {name: {"file", "sha256",
        "overall", "by_category", "by_lang", "by_difficulty", "claims"}}}``;
        ``overall`` and ``claims`` carry bootstrap 95% intervals (``ci95``).

    Raises:
        ValueError: a file has unparsable lines, or an unknown config.
        FileNotFoundError: a split file does not exist.
    """
    for split in splits:
        if not split.path.exists():
            raise FileNotFoundError(2, "no such file", str(split.path))
    t0 = time.perf_counter()
    system = make_system(config, db_dir)
    setup_s = time.perf_counter() - t0
    out.mkdir(parents=True, exist_ok=True)
    metrics: dict = {"config": config, "setup_s": round(setup_s, 2), "doc_filter": doc_filter,
                     "index": index_info or {}, "splits": {}}
    with open(out / "results.jsonl", "w", encoding="utf-8") as fh:
        for split in splits:
            metrics["splits"][split.name] = _run_split(system, split, fh, doc_filter=doc_filter,
                                                       progress=progress, limit=limit)
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    from .report import write_report

    write_report(out, metrics)
    return metrics
