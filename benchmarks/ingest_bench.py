"""Ingestion benchmark: ingest the shipped corpus end to end into a fresh
temporary index and report throughput, memory, where the time goes, and the
chunk size distribution.

Usage::

    python benchmarks/ingest_bench.py                 # corpus/pdf, LSA embeddings
    python benchmarks/ingest_bench.py --json          # machine-readable
    python benchmarks/ingest_bench.py PATH... [--embed-model X] [--pdf-reader pypdf] [--tracemalloc]
    python benchmarks/ingest_bench.py --embed-model e5 --cold-cache   # e5 encoding every chunk

Reported:

* pages/s and chunks/s over the wall time of :func:`ingest.pipeline.ingest_paths`,
  and the CPU time of this process (less sensitive to other jobs on the
  machine; the 1-minute load average is printed with it);
* peak RSS of this process (``resource.getrusage``); with ``--tracemalloc``
  also the peak of Python allocations (slows the run down several-fold,
  jieba's dictionary load above all: use it for memory, not for timings);
* the share of wall time per stage — ``IngestReport.stage_seconds`` (load,
  chunk, tokenize, embed, write, bm25) with ``load`` split into pypdf text
  extraction, layout→rows reconstruction, file hashing and the rest (PDF
  parsing, checks), and ``chunk`` split into cleaning and chunking;
* with ``--embed-model e5``, the chunks e5 encoded (the rest came from the
  vector cache; ``--cold-cache`` gives this run an empty one, as on a fresh
  machine);
* chunk sizes in characters (min/p10/median/p90/max, nearest-rank
  percentiles) for text and table chunks, overall and per document.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def percentile(sorted_values: list[int], q: float) -> int:
    """Nearest-rank percentile (``q`` in 0–100) of an ascending list."""
    if not sorted_values:
        return 0
    rank = max(1, -(-len(sorted_values) * q // 100))  # ceil(n*q/100), at least 1
    return sorted_values[int(min(rank, len(sorted_values))) - 1]


def size_stats(sizes: list[int]) -> dict:
    """``{"n", "min", "p10", "median", "p90", "max"}`` of chunk sizes."""
    s = sorted(sizes)
    if not s:
        return {"n": 0}
    return {"n": len(s), "min": s[0], "p10": percentile(s, 10), "median": percentile(s, 50),
            "p90": percentile(s, 90), "max": s[-1]}


class _SubTimer:
    """Accumulates wall time of wrapped functions by name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, name: str, fn):
        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - t

        return timed


@contextmanager
def _instrumented(sub: _SubTimer):
    """Time the sub-steps of the load and chunk stages by wrapping the
    functions the pipeline calls (restored on exit)."""
    import pypdf

    from ingest import loaders, pdf_geometry, pipeline

    patches = [
        (pdf_geometry, "read_pdf_pages", "load: pdfplumber page geometry (incl. pypdf cross-check)"),
        (pypdf.PageObject, "extract_text", "load: pypdf text extraction"),
        (loaders, "layout_page_to_lines", "load: layout → rows"),
        (loaders, "file_sha256", "load: sha256"),
        (pipeline, "file_sha256", "load: sha256"),
        (pipeline, "clean_pages", "chunk: clean"),
    ]
    saved = [(obj, attr, getattr(obj, attr)) for obj, attr, _ in patches]
    try:
        for obj, attr, name in patches:
            setattr(obj, attr, sub.wrap(name, getattr(obj, attr)))
        yield
    finally:
        for obj, attr, fn in saved:
            setattr(obj, attr, fn)


def run(paths: list[Path], db: Path, embed_model: str | None, use_tracemalloc: bool,
        pdf_reader: str | None = None) -> dict:
    """Ingest ``paths`` into a new index at ``db``; return the measurements."""
    from ingest.config import offline_env

    offline_env()
    import tracemalloc

    from ingest import e5
    from ingest.loaders import DEFAULT_PDF_READER
    from ingest.pipeline import ingest_paths
    from ingest.store import PlanIndex

    encoded = []
    e5_encode = e5._encode
    e5._encode = lambda texts, is_query: encoded.append(len(texts)) or e5_encode(texts, is_query)

    if use_tracemalloc:
        tracemalloc.start()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    index = PlanIndex(db)
    sub = _SubTimer()
    try:
        with _instrumented(sub):
            report = ingest_paths(paths, index, embed_model=embed_model, pdf_reader=pdf_reader or DEFAULT_PDF_READER,
                                  embed_progress=sys.stderr.isatty())
    finally:
        e5._encode = e5_encode
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    traced_peak = tracemalloc.get_traced_memory()[1] if use_tracemalloc else None
    if use_tracemalloc:
        tracemalloc.stop()

    stages = dict(report.stage_seconds)
    split: dict[str, float] = {}
    load = stages.pop("load", 0.0)
    load_parts = {k: v for k, v in sub.seconds.items() if k.startswith("load: ")}
    split.update(load_parts)
    split["load: parse + checks"] = max(0.0, load - sum(load_parts.values()))
    chunk = stages.pop("chunk", 0.0)
    clean = sub.seconds.get("chunk: clean", 0.0)
    split["chunk: clean"] = clean
    split["chunk: structure + chunking"] = max(0.0, chunk - clean)
    split.update(stages)
    split["other (registry, file listing)"] = max(0.0, report.seconds - sum(split.values()))

    pairs = index.all_chunks()
    by_type: dict[str, list[int]] = defaultdict(list)
    by_doc: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for chunk_, _ in pairs:
        by_type[chunk_.chunk_type].append(len(chunk_.text))
        by_doc[chunk_.doc_id][chunk_.chunk_type].append(len(chunk_.text))
    docs = {d.doc_id: d for d in index.list_documents()}

    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return {
        "paths": [str(p) for p in paths],
        "embed_model": report.embed_model,
        "documents": len(report.added) + len(report.updated),
        "errors": report.errors,
        "e5_encoded_chunks": sum(encoded),
        "pages": report.pages,
        "chunks": report.chunks,
        "table_chunks": report.tables,
        "wall_seconds": round(report.seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "pages_per_second": round(report.pages / report.seconds, 2) if report.seconds else None,
        "chunks_per_second": round(report.chunks / report.seconds, 1) if report.seconds else None,
        "peak_rss_mib": round(cpu1.ru_maxrss / 1024, 1),  # Linux: KiB
        "tracemalloc_peak_mib": round(traced_peak / 2**20, 1) if traced_peak is not None else None,
        "stage_seconds": {k: round(v, 3) for k, v in split.items()},
        "stage_share": {k: round(v / report.seconds, 3) for k, v in split.items()} if report.seconds else {},
        "chunk_chars": {t: size_stats(v) for t, v in sorted(by_type.items())},
        "chunk_chars_by_document": {
            doc_id: {"pages": docs[doc_id].pages if doc_id in docs else None,
                     **{t: size_stats(v) for t, v in sorted(types.items())}}
            for doc_id, types in sorted(by_doc.items())
        },
    }


def render(m: dict) -> str:
    """The measurements as a plain-text report."""
    encoded = (f" (e5 encoded {m['e5_encoded_chunks']} of {m['chunks']} chunks; the others came from the vector cache)"
               if m["embed_model"] == "e5" else "")
    out = [
        f"ingested {m['documents']} documents ({m['pages']} pages) → {m['chunks']} chunks "
        f"({m['table_chunks']} table chunks), embedding: {m['embed_model']}{encoded}",
        f"wall {m['wall_seconds']:.1f} s (CPU {m['cpu_seconds']:.1f} s; load average {m['load_average_1min']} "
        f"on {os.cpu_count()} cores)",
        f"throughput: {m['pages_per_second']:.2f} pages/s, {m['chunks_per_second']:.1f} chunks/s",
        f"peak RSS: {m['peak_rss_mib']:.0f} MiB"
        + (f"; tracemalloc peak: {m['tracemalloc_peak_mib']:.0f} MiB" if m["tracemalloc_peak_mib"] is not None else ""),
    ]
    if m["errors"]:
        out.append("errors:\n  " + "\n  ".join(m["errors"]))
    out.append("\ntime per stage:")
    for k, v in m["stage_seconds"].items():
        out.append(f"  {k:34s} {v:8.2f} s  {100 * m['stage_share'].get(k, 0):5.1f} %")
    out.append("\nchunk size (characters):      n    min    p10 median    p90    max")

    def row(label: str, s: dict) -> str:
        if not s.get("n"):
            return f"  {label:26s} {0:5d}"
        return (f"  {label:26s} {s['n']:5d} {s['min']:6d} {s['p10']:6d} {s['median']:6d} "
                f"{s['p90']:6d} {s['max']:6d}")

    for t, s in m["chunk_chars"].items():
        out.append(row(f"all / {t}", s))
    for doc_id, d in m["chunk_chars_by_document"].items():
        for t in ("text", "table"):
            if t in d:
                out.append(row(f"{doc_id[:19]} / {t}", d[t]))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (1 when a file was rejected)."""
    from ingest.loaders import PdfReaderMode

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("paths", nargs="*", type=Path, default=[ROOT / "corpus" / "pdf"],
                   help="files/folders to ingest (default: corpus/pdf)")
    p.add_argument("--embed-model", default=None, help="embedding model (default: ingest.config.DEFAULT_EMBED_MODEL)")
    p.add_argument("--cold-cache", action="store_true", help="start from an empty vector cache (e5 encodes every chunk)")
    p.add_argument("--pdf-reader", default=None, choices=[m.value for m in PdfReaderMode],
                   help="how PDF pages are read (ingest.loaders.PdfReaderMode; default: DEFAULT_PDF_READER)")
    p.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (much slower; memory only)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--keep", type=Path, default=None, help="build the index here and keep it (must not exist)")
    args = p.parse_args(argv)
    if args.keep and args.keep.exists():
        p.error(f"{args.keep} exists; --keep needs a new folder")
    tmp = Path(tempfile.mkdtemp(prefix="planqa-bench-"))
    if args.cold_cache:
        os.environ["PLANQA_CACHE"] = str(tmp / "cache")
    try:
        m = run(args.paths, args.keep or tmp / "db", args.embed_model, args.tracemalloc, args.pdf_reader)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(m, ensure_ascii=False, indent=2) if args.json else render(m))
    return 1 if m["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
