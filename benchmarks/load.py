"""Many chat users at once against a real ``python app.py`` on loopback.

    python benchmarks/load.py [--users 50] [--questions 20] [--think 5 20] [--db DIR] [--json]

Starts the app (on a free port, the index built from corpus/pdf when
empty), then ``--users`` threads, each with its own ``gradio_client``
session, ask ``--questions`` questions each through the ``/ask`` API --
drawn from the dev split, Chinese and English -- waiting a random think time
between an answer and the next question (a chat user reads the answer
first; ``--think 0 0`` sends back to back).  Every loop is bounded and ends
by itself.  Printed: users, questions, errors, latency p50 / p95 / max, the
app's RSS at start and after each quarter of the questions, and the
throughput.

Target (issue 14): 50 users, 0 errors, p95 ≤ 2 s; memory flat over 1,000
questions.  The app serves :data:`planqa_ui.cli.CONCURRENCY` requests of an
event at once and queues at most :data:`planqa_ui.cli.QUEUE_SIZE`.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _questions() -> list[str]:
    lines = (REPO / "eval" / "benchmark.jsonl").read_text(encoding="utf-8").splitlines()
    return [q["question"] for q in map(json.loads, lines) if q["kind"] == "question"]


def run(app, users: int, per_user: int, think: tuple[float, float], seed: int) -> dict:
    """Drive ``app`` (a started :class:`tests.browser.appserver.AppServer`)."""
    from gradio_client import Client

    pool = _questions()
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start_rss = _rss_mb(app.proc.pid)
    # the app's RSS after each quarter of the questions (flat memory: no growth after warm-up)
    marks = {users * per_user * q // 4 for q in (1, 2, 3, 4)}
    rss: dict[int, float] = {}

    def user(k: int) -> None:
        rnd = random.Random(seed + k)
        try:
            client = Client(app.url, verbose=False)
        except Exception as exc:  # noqa: BLE001 - any failure to connect is an error to count
            with lock:
                errors.append(f"connect: {type(exc).__name__}: {exc}")
            return
        for _ in range(per_user):
            time.sleep(rnd.uniform(*think))
            t = time.perf_counter()
            try:
                res = client.predict(rnd.choice(pool), None, api_name="/ask")
                ok = isinstance(res, dict) and "answer" in res
            except Exception as exc:  # noqa: BLE001
                ok, res = False, f"{type(exc).__name__}: {exc}"
            with lock:
                latencies.append(time.perf_counter() - t)
                if not ok:
                    errors.append(str(res)[:200])
                if len(latencies) in marks:
                    rss[len(latencies)] = _rss_mb(app.proc.pid)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=user, args=(k,), daemon=True) for k in range(users)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    lat = np.array(latencies) if latencies else np.zeros(1)
    return {"users": users, "questions": len(latencies), "errors": len(errors), "first_errors": errors[:3],
            "p50_s": round(float(np.percentile(lat, 50)), 3), "p95_s": round(float(np.percentile(lat, 95)), 3),
            "max_s": round(float(lat.max()), 3), "rss_start_mb": round(start_rss, 1),
            "rss_by_quarter_mb": [round(rss[k], 1) for k in sorted(rss)],
            "rss_end_mb": round(_rss_mb(app.proc.pid), 1), "wall_s": round(wall, 1),
            "questions_per_s": round(len(latencies) / wall, 2) if wall else 0.0}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--questions", type=int, default=20, help="questions per user")
    p.add_argument("--think", type=float, nargs=2, default=(5.0, 20.0), metavar=("MIN", "MAX"),
                   help="seconds a user waits before each question (default 5 20)")
    p.add_argument("--db", type=Path, default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    from eval.harness import ensure_index
    from ingest.config import default_db_dir, offline_env
    from tests.browser.appserver import AppServer

    offline_env()
    db = args.db or default_db_dir()
    ensure_index(db, REPO / "corpus" / "pdf")
    with tempfile.TemporaryDirectory(prefix="planqa-load-") as tmp, AppServer(db, Path(tmp)) as app:
        out = run(app, args.users, args.questions, tuple(args.think), args.seed)
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        print(f"{out['users']} users, {out['questions']} questions in {out['wall_s']} s "
              f"({out['questions_per_s']} per s): {out['errors']} errors; latency p50 {out['p50_s']} s, "
              f"p95 {out['p95_s']} s, max {out['max_s']} s; app RSS {out['rss_start_mb']} MB at start, "
              f"{' / '.join(map(str, out['rss_by_quarter_mb']))} MB after each quarter of the questions")
        for e in out["first_errors"]:
            print(f"  error: {e}")
    return 0 if out["errors"] == 0 and out["p95_s"] <= 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
