"""Answer latency without an LLM: warm p50/p95 over the benchmark questions,
per pipeline stage, and the CLI's cold start.

    python benchmarks/answer_latency.py [--db DIR] [--rounds 2] [--json]

Target (issue "Answer plan questions…"): warm p95 ≤ 100 ms on a 2-core
machine. The index is built from corpus/pdf when empty.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, default=None)
    p.add_argument("--questions", type=Path, default=REPO / "eval" / "benchmark.jsonl")
    p.add_argument("--rounds", type=int, default=2, help="passes over the questions (the first warms caches)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    from ingest.config import default_db_dir, offline_env

    offline_env()
    from eval.harness import ensure_index

    db = args.db or default_db_dir()
    ensure_index(db, REPO / "corpus" / "pdf")
    t = time.perf_counter()
    from assistant.answer import Assistant

    assistant = Assistant(db)
    load_s = time.perf_counter() - t
    items = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [(i["question"], i.get("doc")) for i in items if i["kind"] == "question"]
    stages: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        stages = {}
        for q, doc in questions:
            ans = assistant.ask(q, doc_ids=[doc] if doc else None)
            for k, v in ans.timings_ms.items():
                stages.setdefault(k, []).append(v)
    result = {"questions": len(questions), "assistant_load_s": round(load_s, 2),
              "warm_ms": {k: {"p50": round(float(np.percentile(v, 50)), 2), "p95": round(float(np.percentile(v, 95)), 2),
                              "max": round(float(np.max(v)), 2)} for k, v in stages.items()}}
    cold = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "assistant", "ask", "分項二 108 年度經費是多少？", "--db", str(db), "--json"],
                       cwd=REPO, capture_output=True, check=False)
        cold.append(time.perf_counter() - t)
    result["cli_cold_start_s"] = {"min": round(min(cold), 2), "median": round(float(np.median(cold)), 2)}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import assistant.cli"], cwd=REPO, check=False)
    result["cli_import_s"] = round(time.perf_counter() - t, 3)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{len(questions)} questions, assistant load {load_s:.2f} s")
        for k, v in result["warm_ms"].items():
            print(f"  {k:<8} p50 {v['p50']:7.2f} ms   p95 {v['p95']:7.2f} ms   max {v['max']:7.2f} ms")
        print(f"CLI cold start (python -m assistant ask …): median {result['cli_cold_start_s']['median']} s")
        print(f"CLI module import: {result['cli_import_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
