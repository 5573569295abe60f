"""Claim verification latency: warm p50/p95 of ``verify`` over the claims of
both benchmark splits (dev and test), and the cost of reading the fact store.

    python benchmarks/verify_latency.py [--db DIR] [--rounds 2] [--json]

Target (issue 12, "One fact store"): warm p95 ≤ 50 ms on a 2-core machine.
The index is built from corpus/pdf when empty.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, default=None)
    p.add_argument("--rounds", type=int, default=2, help="passes over the claims (the first warms caches)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    from ingest.config import default_db_dir, offline_env

    offline_env()
    from eval.harness import ensure_index

    db = args.db or default_db_dir()
    ensure_index(db, REPO / "corpus" / "pdf")
    from assistant import get_assistant
    from assistant.verify import verify

    claims = [json.loads(line)["claim"] for f in ("benchmark.jsonl", "test.jsonl")
              for line in (REPO / "eval" / f).read_text(encoding="utf-8").splitlines()
              if line.strip() and json.loads(line)["kind"] == "claim"]
    assistant = get_assistant(db)
    t = time.perf_counter()
    _ = assistant.facts
    load_ms = (time.perf_counter() - t) * 1000
    times: list[float] = []
    for r in range(args.rounds):
        for c in claims:
            t = time.perf_counter()
            verify(c, db_dir=db)
            if r == args.rounds - 1:
                times.append((time.perf_counter() - t) * 1000)
    out = {"claims": len(claims), "fact_store_load_ms": round(load_ms, 1),
           "p50_ms": round(float(np.percentile(times, 50)), 1), "p95_ms": round(float(np.percentile(times, 95)), 1),
           "max_ms": round(max(times), 1)}
    if args.json:
        print(json.dumps(out))
    else:
        print(f"verify over {out['claims']} claims (warm): p50 {out['p50_ms']} ms, p95 {out['p95_ms']} ms, "
              f"max {out['max_ms']} ms; fact store read once in {out['fact_store_load_ms']} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
