"""``python -m eval run``: run a benchmark file through a configuration and
write ``results.jsonl``, ``metrics.json``, ``report.md`` and plots."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from . import metrics as M
from .configs import make_system
from .validate import read_jsonl


def ensure_index(db_dir: Path, corpus: Path) -> None:
    """Ingest ``corpus`` into ``db_dir`` when the index holds no documents
    (a fresh clone runs the benchmark with one command)."""
    from ingest.pipeline import ingest_paths
    from ingest.store import PlanIndex

    index = PlanIndex(db_dir)
    if not index.list_documents():
        print(f"index {db_dir} is empty: ingesting {corpus} …", file=sys.stderr)
        report = ingest_paths([corpus], index)
        for line in report.errors:
            print(f"skipped {line}", file=sys.stderr)


def run(questions: Path, out: Path, *, config: str = "shipped", db_dir: Path, doc_filter: bool = True,
        progress: bool = True, limit: int | None = None) -> dict:
    """Run every item of ``questions`` and write the outputs into ``out``.

    Args:
        questions: a JSONL benchmark file (schema: README, evaluators).
        out: output folder (created).
        config: a name from :data:`eval.configs.CONFIG_NAMES`.
        db_dir: the index folder.
        doc_filter: restrict each question's retrieval to its ``doc``.
        progress: show a progress bar on stderr.
        limit: run only the first ``limit`` items (smoke tests).

    Returns:
        The metrics dict (also written to ``metrics.json``).

    Raises:
        ValueError: the file has unparsable lines or an unknown config.
    """
    items, errors = read_jsonl(questions)
    if errors:
        raise ValueError(f"{questions}: " + "; ".join(errors[:3]))
    items = items[:limit] if limit else items
    t0 = time.perf_counter()
    system = make_system(config, db_dir)
    setup_s = time.perf_counter() - t0
    out.mkdir(parents=True, exist_ok=True)
    q_items, q_scores, c_items, c_scores = [], [], [], []
    claims_skipped = 0
    it = items
    if progress:
        from tqdm import tqdm

        it = tqdm(items, desc=f"eval {config}", unit="item", file=sys.stderr)
    with open(out / "results.jsonl", "w", encoding="utf-8") as fh:
        for item in it:
            docs = [item["doc"]] if doc_filter and item.get("doc") else None
            if item["kind"] == "question":
                res = system.answer(item["question"], docs)
                q_items.append(item)
                q_scores.append(M.score_question(item, res))
            else:
                res = system.verify(item["claim"]) if hasattr(system, "verify") else None
                if res is None:
                    claims_skipped += 1
                    continue
                c_items.append(item)
                c_scores.append(M.score_claim(item, res))
            fh.write(json.dumps({"id": item["id"], **res}, ensure_ascii=False) + "\n")
    metrics = {
        "config": config, "questions_file": str(questions), "setup_s": round(setup_s, 2),
        "overall": M.aggregate(q_scores),
        "by_category": M.breakdown(q_items, q_scores, "category"),
        "by_lang": M.breakdown(q_items, q_scores, "lang"),
        "by_difficulty": M.breakdown(q_items, q_scores, "difficulty"),
        "claims": {**M.claim_metrics(c_scores), "skipped": claims_skipped},
    }
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    from .report import write_report

    write_report(out, metrics, q_items, q_scores)
    return metrics
