"""Scale benchmark: N copies of the shipped corpus, each a distinct plan.

    python benchmarks/scale.py --factor N [--embed-model lsa] [--pdf-share S]
                               [--chroma-host H --chroma-port P] [--work DIR] [--json]

Builds an N× corpus (:func:`build_corpus`: copy 0 is the five shipped plans
as they are, so the dev split's questions name real documents; copy k > 0
of a plan gets its own file name, a title 「…（第 k 號複本）」 and every
figure written with thousands separators changed by k, so no two copies
share a content hash; a share ``S`` of the copies is rendered to PDF by the
shipped builder, the rest stays text), then

1. ingests it as a user would (``python -m ingest DIR --db DB``, a child
   process) and prints the wall time, pages/s, chunks/s and the child's peak
   RSS;
2. the index's size on disk;
3. in a fresh child process (:func:`probe`): the time to open the index
   (the :class:`assistant.answer.Assistant` with its retriever), warm answer
   latency p50 / p95 over 100 dev questions without and with a document
   filter (the question's own plan), ``verify`` p95 over 50 dev claims, and
   the RSS of that running assistant.  "Warm" is a running server's state:
   the process has answered a question and the index's files are in the
   operating system's page cache (the probe reads them once first and
   reports how long that took; this machine's memory manager evicts idle
   file pages, and a question that reads evicted pages of Chroma's files
   takes 2-3× longer);
4. adding one more distinct plan to the index (``python -m ingest FILE``).

Targets (issue 15, 2 cores): 100× (≈ 170,000 chunks) ingested with LSA in
≤ 15 min at ≤ 4 GB peak RSS; warm answer p95 ≤ 150 ms; opening ≤ 20 s;
adding one document ≤ 30 s.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
from ingest_bench import percentile  # noqa: E402  (nearest-rank percentile)

SOURCES = REPO / "corpus" / "sources"
MANIFEST = REPO / "corpus" / "manifest.json"
# A figure with thousands separators (「390,000」): the figures a copy changes.
FIGURE = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,])")
# Questions and claims timed per probe (drawn from the dev split, fixed seed).
QUESTIONS = 100
CLAIMS = 50


def variant(text: str, title: str, k: int) -> str:
    """Copy ``k`` of a plan's source text: its title (as printed in the
    plan) becomes 「title（第 k 號複本）」 and every figure with thousands
    separators grows by ``k`` (「390,000」 → 「390,003」 for k = 3); copy 0
    is the text itself."""
    if k == 0:
        return text
    text = text.replace(title, f"{title}（第 {k} 號複本）")
    return FIGURE.sub(lambda m: f"{int(m.group(0).replace(',', '')) + k:,}", text)


def build_corpus(factor: int, out: Path, pdf_share: float = 0.0, *, first: int = 0) -> list[Path]:
    """Write copies ``first`` … ``first + factor - 1`` of the five shipped
    plans into ``out`` (created); a share ``pdf_share`` of the copies
    (every ``1/pdf_share``-th) is rendered to PDF by ``corpus/build_pdfs.py``,
    the rest written as ``.txt``.  Returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    docs = json.loads(MANIFEST.read_text(encoding="utf-8"))
    fonts = None
    files = []
    every = round(1 / pdf_share) if pdf_share > 0 else 0
    for k in range(first, first + factor):
        for meta in docs:
            text = variant((SOURCES / f"{meta['doc_id']}.txt").read_text(encoding="utf-8"), meta["title"], k)
            name = meta["doc_id"] if k == 0 else f"{meta['doc_id']}-copy{k:04d}"
            if every and k % every == 0:
                sys.path.insert(0, str(REPO / "corpus"))
                import build_pdfs

                fonts = fonts or build_pdfs.register_fonts()
                path = out / f"{name}.pdf"
                build_pdfs.render_text(text, dict(meta, title=f"{meta['title']}（第 {k} 號複本）" if k else meta["title"]),
                                       path, fonts)
            else:
                path = out / f"{name}.txt"
                path.write_text(text, encoding="utf-8")
            files.append(path)
    return files


def _ingest(paths: list[Path], db: Path, args) -> dict:
    """Run ``python -m ingest`` in a child process; its report, wall
    seconds and peak RSS (MB)."""
    cmd = [sys.executable, "-m", "ingest", *map(str, paths), "--db", str(db), "--json", "--quiet",
           "--embed-model", args.embed_model]
    if args.chroma_host:
        cmd += ["--chroma-host", args.chroma_host, "--chroma-port", str(args.chroma_port)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    out, err = proc.stdout.read(), proc.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"ingest failed ({os.waitstatus_to_exitcode(status)}): {err.strip()[-2000:]}")
    report = json.loads(out)
    return {"seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024, "report": report}


def probe(db: Path, host: str | None, port: int | None) -> dict:
    """Open the index in this (fresh) process and time it: open seconds,
    answer p50/p95 (ms) without and with a document filter, verify p95
    (ms), RSS (MB) -- see the module docstring."""
    from assistant import get_assistant
    from assistant.verify import verify

    rows = [json.loads(line) for line in (REPO / "eval" / "benchmark.jsonl").read_text(encoding="utf-8").splitlines()]
    rng = random.Random(0)
    questions = rng.sample([r for r in rows if r["kind"] == "question" and r.get("doc")], QUESTIONS)
    claims = rng.sample([r for r in rows if r["kind"] == "claim"], CLAIMS)
    t0 = time.perf_counter()
    for f in sorted(p for p in db.rglob("*") if p.is_file()):
        with f.open("rb") as fh:
            while fh.read(1 << 24):
                pass
    cache_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    assistant = get_assistant(db, host=host, port=port)
    assistant.ask("計畫名稱是什麼？")  # the first question loads the rest (jieba, fact store)
    open_s = time.perf_counter() - t0
    out = {"page_cache_seconds": cache_s, "open_seconds": open_s, "chunks": len(assistant.retriever.chunks)}
    for label, filtered in (("answer", False), ("answer_filtered", True)):
        times = []
        for q in questions:
            t = time.perf_counter()
            assistant.ask(q["question"], doc_ids=[q["doc"]] if filtered else None)
            times.append((time.perf_counter() - t) * 1000)
        out[f"{label}_p50_ms"], out[f"{label}_p95_ms"] = percentile(sorted(times), 50), percentile(sorted(times), 95)
    times = []
    for c in claims:
        t = time.perf_counter()
        verify(c["claim"], db_dir=db, host=host, port=port)
        times.append((time.perf_counter() - t) * 1000)
    out["verify_p95_ms"] = percentile(sorted(times), 95)
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def run(args) -> dict:
    """The whole benchmark (see the module docstring); a dict of numbers."""
    work = Path(args.work or tempfile.mkdtemp(prefix="planqa-scale-"))
    corpus, db = work / "corpus", work / "db"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(db, ignore_errors=True)
    t = time.perf_counter()
    files = build_corpus(args.factor, corpus, args.pdf_share)
    result = {"factor": args.factor, "documents": len(files), "embed_model": args.embed_model,
              "pdf_share": args.pdf_share, "corpus_build_seconds": time.perf_counter() - t}
    print(f"built {len(files)} documents in {result['corpus_build_seconds']:.0f} s; ingesting …", file=sys.stderr)
    ing = _ingest([corpus], db, args)
    rep = ing["report"]
    if rep["errors"]:
        raise SystemExit("ingest rejected files: " + "; ".join(rep["errors"][:3]))
    result.update(ingest_seconds=ing["seconds"], ingest_peak_rss_mb=ing["peak_rss_mb"], pages=rep["pages"],
                  chunks=rep["chunks"], facts=rep["facts"], pages_per_s=rep["pages"] / ing["seconds"],
                  chunks_per_s=rep["chunks"] / ing["seconds"], stage_seconds=rep["stage_seconds"],
                  index_mb=_du_mb(db))
    print(json.dumps(result), file=sys.stderr)  # kept should a later step fail
    cmd = [sys.executable, __file__, "--probe", str(db)]
    if args.chroma_host:
        cmd += ["--chroma-host", args.chroma_host, "--chroma-port", str(args.chroma_port)]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"probe failed: {done.stderr.strip()[-2000:]}")
    result.update(json.loads(done.stdout))
    extra = build_corpus(1, work / "one-more", first=args.factor)[:1]
    add = _ingest(extra, db, args)
    result.update(add_one_seconds=add["seconds"], add_one_peak_rss_mb=add["peak_rss_mb"])
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="scale.py", description="Ingest and answer from an N× corpus.")
    p.add_argument("--factor", type=int, default=1, help="copies of the shipped corpus (default 1)")
    p.add_argument("--embed-model", default="lsa", help="embedding model of the index (default lsa)")
    p.add_argument("--pdf-share", type=float, default=0.0, help="share of copies rendered as PDF (default 0)")
    p.add_argument("--chroma-host", default=None, help="a Chroma server to hold the vectors")
    p.add_argument("--chroma-port", type=int, default=8000)
    p.add_argument("--work", type=Path, default=None, help="keep the corpus and index in this folder")
    p.add_argument("--probe", type=Path, default=None, help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)
    if args.probe:
        print(json.dumps(probe(args.probe, args.chroma_host, args.chroma_port if args.chroma_host else None)))
        return 0
    r = run(args)
    if args.json:
        print(json.dumps(r, ensure_ascii=False, indent=1))
        return 0
    print(f"{r['factor']}×: {r['documents']} documents, {r['pages']} pages, {r['chunks']} chunks, "
          f"{r['facts']} facts ({r['embed_model']}, PDF share {r['pdf_share']})")
    print(f"ingest           {r['ingest_seconds']:8.1f} s   {r['pages_per_s']:.1f} pages/s  "
          f"{r['chunks_per_s']:.0f} chunks/s   peak RSS {r['ingest_peak_rss_mb']:.0f} MB")
    print("stages           " + "  ".join(f"{k} {v:.0f}s" for k, v in r["stage_seconds"].items()))
    print(f"index on disk    {r['index_mb']:8.0f} MB")
    print(f"open index       {r['open_seconds']:8.1f} s   (files read into the page cache first: "
          f"{r['page_cache_seconds']:.1f} s)   assistant RSS {r['rss_mb']:.0f} MB")
    print(f"answer           p50 {r['answer_p50_ms']:.0f} ms  p95 {r['answer_p95_ms']:.0f} ms;  "
          f"with a document filter p50 {r['answer_filtered_p50_ms']:.0f} ms  p95 {r['answer_filtered_p95_ms']:.0f} ms")
    print(f"verify           p95 {r['verify_p95_ms']:.0f} ms")
    print(f"add one document {r['add_one_seconds']:8.1f} s   peak RSS {r['add_one_peak_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
