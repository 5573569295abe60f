"""Client/server at N×: one Chroma server, two app replicas, a writer.

    python benchmarks/scale_out.py [--factor 10] [--seconds 60] [--work DIR] [--json]

What it does (issue 15, README "Scaling out"):

1. starts ``chroma run`` on a free port (data under the work folder);
2. builds an N× corpus (``benchmarks/scale.py``: copy 0 is the shipped
   plans, copy k a distinct plan) and ingests it into that server with
   ``python -m ingest --chroma-host … --embed-model lsa``;
3. starts two ``python app.py --chroma-host …`` processes on their own ports;
4. drives both through the ``/ask`` API -- one client thread per replica,
   questions about the shipped plans (copy 0) with a document filter and a
   figure the answer must contain -- for ``--seconds`` before the write,
   while ``python -m ingest`` adds one new plan (copy N of
   「AI產業應用與普及發展計畫」), and until both replicas answer a question
   about that plan from it;
5. prints the ingest seconds, the answers and their p50 / p95 before,
   during and after the write, wrong answers, errors, and how long after
   the write each replica answered from the new plan.

Numbers only; nothing is asserted (``tests/test_scale_out.py`` asserts the
same behaviour at 1× in CI).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

#: Questions about the shipped plans (copy 0), each with its document and a
#: figure the right answer contains (checked against the plans' text).
QUESTIONS = (
    ("分項二「AI 智慧應用暨新世代人才培育推動」108 年度編列多少經費？", "most-2018-phd-talent-training", "350,000"),
    ("「AI產業應用與普及發展計畫」全程總經費是多少？", "moda-2025-ai-industry-adoption", "36.765"),
)
#: The plan added while the replicas serve: copy ``factor`` of this plan.
NEW_PLAN = "moda-2025-ai-industry-adoption"
NEW_QUESTION = "「AI產業應用與普及發展計畫」全程總經費是多少？"
NEW_FIGURE = "36.765"  # no thousands separator: the copies keep it (scale.variant)
#: How long to wait for both replicas to answer from the new plan.
SWITCH_DEADLINE_S = 300


def _pct(values: list[float], q: float) -> float | None:
    from ingest_bench import percentile  # nearest-rank

    return percentile(sorted(values), q) if values else None


def _ingest(paths: list[Path], db: Path, host: str, port: int) -> float:
    """``python -m ingest`` into the server with LSA (``scale._ingest``);
    wall seconds.

    Raises:
        SystemExit: the ingest failed (its last error lines)."""
    from scale import _ingest as ingest

    return ingest(paths, db, argparse.Namespace(embed_model="lsa", chroma_host=host, chroma_port=port))["seconds"]


def run(factor: int, seconds: float, work: Path) -> dict:
    """The benchmark (module docstring); a dict of numbers."""
    from gradio_client import Client

    from browser.appserver import AppServer, ChromaServer
    from scale import build_corpus

    corpus, db = work / "corpus", work / "db"
    for p in (corpus, db, work / "new", work / "chroma"):
        shutil.rmtree(p, ignore_errors=True)
    files = build_corpus(factor, corpus)
    new_file = next(p for p in build_corpus(1, work / "new", first=factor) if p.name.startswith(NEW_PLAN))
    new_doc = new_file.stem
    out: dict = {"factor": factor, "documents": len(files)}
    with ChromaServer(work / "chroma") as (host, port):
        print(f"ingesting {len(files)} plans into the Chroma server at {host}:{port} …", file=sys.stderr)
        out["ingest_seconds"] = _ingest([corpus], db, host, port)
        server = ("--chroma-host", host, "--chroma-port", str(port))
        t = time.perf_counter()
        with AppServer(db, work / "app1", *server) as app1, AppServer(db, work / "app2", *server) as app2:
            out["replicas_start_seconds"] = time.perf_counter() - t
            clients = [Client(app1.url, verbose=False), Client(app2.url, verbose=False)]
            for c in clients:  # warm-up: the first question loads jieba and the fact store
                c.predict(QUESTIONS[0][0], [QUESTIONS[0][1]], api_name="/ask")
            phase = ["before"]
            log: list[tuple[str, float, bool]] = []
            errors: list[str] = []
            stop = threading.Event()

            def serve(i: int) -> None:
                n = 0
                while not stop.is_set():
                    q, doc, figure = QUESTIONS[(n + i) % len(QUESTIONS)]
                    n += 1
                    t0 = time.perf_counter()
                    try:
                        res = clients[i].predict(q, [doc], api_name="/ask")
                    except Exception as exc:  # noqa: BLE001 - any failure is the finding
                        errors.append(f"app{i + 1}: {exc}")
                        time.sleep(0.5)  # a replica that is down is not asked in a busy loop
                        continue
                    log.append((phase[0], (time.perf_counter() - t0) * 1000,
                                figure in res["answer"] and not res["abstained"]))

            threads = [threading.Thread(target=serve, args=(i,), daemon=True) for i in (0, 1)]
            for th in threads:
                th.start()
            time.sleep(seconds)
            phase[0] = "during"
            out["add_one_seconds"] = _ingest([new_file], db, host, port)
            written = time.perf_counter()
            phase[0] = "after"
            switched: dict[str, float | None] = {}
            for i, c in enumerate(clients):
                switched[f"app{i + 1}"] = None
                while time.perf_counter() - written < SWITCH_DEADLINE_S:
                    res = c.predict(NEW_QUESTION, [new_doc], api_name="/ask")
                    if NEW_FIGURE in res["answer"] and any(x["doc_id"] == new_doc for x in res["citations"]):
                        switched[f"app{i + 1}"] = time.perf_counter() - written
                        break
                    time.sleep(0.5)
            time.sleep(min(seconds, 10))
            stop.set()
            for th in threads:
                th.join(timeout=120)
            out["new_plan_answered_after_s"] = switched
            out["errors"] = errors[:5]
            out["error_count"] = len(errors)
            for name in ("before", "during", "after"):
                ms = [m for p, m, _ in log if p == name]
                out[name] = {"answers": len(ms), "wrong": sum(1 for p, _, ok in log if p == name and not ok),
                             "p50_ms": _pct(ms, 50), "p95_ms": _pct(ms, 95)}
            every = [m for _, m, _ in log]
            out["all"] = {"answers": len(every), "wrong": sum(1 for *_, ok in log if not ok),
                          "p50_ms": _pct(every, 50), "p95_ms": _pct(every, 95)}
            out["app_logs_with_errors"] = [n for n, a in (("app1", app1), ("app2", app2))
                                           if "traceback" in a.log().lower()]
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="scale_out.py", description="Two app replicas on one Chroma server.")
    p.add_argument("--factor", type=int, default=10, help="copies of the shipped corpus (default 10)")
    p.add_argument("--seconds", type=float, default=60.0,
                   help="seconds of answering before the write (default 60)")
    p.add_argument("--work", type=Path, default=None, help="keep the corpus, index and logs in this folder")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)
    from ingest.config import offline_env

    offline_env()
    work = Path(args.work or tempfile.mkdtemp(prefix="planqa-scale-out-"))
    try:
        out = run(args.factor, args.seconds, work)
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(f"{out['factor']}×: {out['documents']} plans ingested into the server in {out['ingest_seconds']:.0f} s; "
          f"two replicas started in {out['replicas_start_seconds']:.0f} s")
    for name in ("before", "during", "after", "all"):
        r = out[name]
        p50 = "–" if r["p50_ms"] is None else f"{r['p50_ms']:.0f}"
        p95 = "–" if r["p95_ms"] is None else f"{r['p95_ms']:.0f}"
        print(f"{name:>6}: {r['answers']} answers, {r['wrong']} wrong, p50 {p50} ms, p95 {p95} ms")
    print(f"added one plan in {out['add_one_seconds']:.1f} s; answered from it after "
          + ", ".join(f"{k} {'never' if v is None else f'{v:.1f} s'}" for k, v in out["new_plan_answered_after_s"].items()))
    print(f"errors: {out['error_count']}" + (f" ({out['errors'][0]})" if out["errors"] else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
