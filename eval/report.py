"""``report.md`` and PNG plots for an eval run (dev and test side by side),
and the paired comparison of two runs (``python -m eval compare``)."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from .metrics import CLAIM_METRICS, LOWER_IS_BETTER, QUESTION_METRICS, metric_vectors, precision_coverage
from .stats import paired_bootstrap

#: Question metrics in the headline table, in order.
HEADLINE = ["hit@1", "hit@3", "hit@5", "hit@10", "mrr", "answer_accuracy", "grounded_accuracy",
            "abstention_rate", "false_abstention_rate", "inconsistency_flagged", "flagged_untagged",
            "latency_p50_ms", "latency_p95_ms"]
#: Claim metrics in the headline table, in order.
CLAIM_HEADLINE = ["verdict_accuracy", "supported_called_contradicted", "contradicted_called_supported",
                  "not_stated_called_contradicted"]
#: Columns of the per-category / per-language / per-difficulty tables.
GROUP_COLS = ["hit@5", "mrr", "answer_accuracy", "grounded_accuracy", "false_abstention_rate", "abstention_rate"]
#: Verdicts in the confusion table (``not_found``: the verifier found no figure to check).
VERDICT_ORDER = ["supported", "contradicted", "not_found"]


def _fmt(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def _with_ci(m: dict, key: str) -> str:
    v = m.get(key)
    ci = m.get("ci95", {}).get(key)
    if v is None:
        return "–"
    if not ci:
        return _fmt(v)
    if key.startswith("latency"):
        return f"{v:.0f} [{ci[0]:.0f}, {ci[1]:.0f}]"
    return f"{v:.3f} [{ci[0]:.2f}, {ci[1]:.2f}]"


def headline_table(metrics: dict) -> list[str]:
    """Markdown rows: one per headline metric, one column per split (value [95% CI])."""
    splits = metrics["splits"]
    names = list(splits)
    lines = ["| metric | " + " | ".join(f"{n} (n={splits[n]['overall']['n']})" for n in names) + " |",
             "|---|" + "---|" * len(names)]
    for k in HEADLINE:
        lines.append(f"| {k} | " + " | ".join(_with_ci(splits[n]["overall"], k) for n in names) + " |")
    lines.append("| claims (n) | " + " | ".join(str(splits[n]["claims"]["n"]) for n in names) + " |")
    for k in CLAIM_HEADLINE:
        lines.append(f"| claim {k} | " + " | ".join(_with_ci(splits[n]["claims"], k) for n in names) + " |")
    return lines


def _group_table(splits: dict, key: str) -> list[str]:
    """One row per group; each cell gives the splits' values as ``dev / test``."""
    names = list(splits)
    groups = sorted({g for n in names for g in splits[n][key]})
    lines = [f"| group ({' / '.join(names)}) | n | " + " | ".join(GROUP_COLS) + " |",
             "|---|---|" + "---|" * len(GROUP_COLS)]
    for g in groups:
        row = [splits[n][key].get(g, {}) for n in names]
        cells = [" / ".join(_fmt(m.get(c)) for m in row) for c in GROUP_COLS]
        lines.append(f"| {g} | " + " / ".join(str(m.get("n", 0)) for m in row) + " | " + " | ".join(cells) + " |")
    return lines


def confusion_table(claims: dict) -> list[str]:
    """Markdown rows of a claim confusion matrix (gold rows × predicted columns)."""
    conf = claims.get("confusion", {})
    lines = ["| gold \\ predicted | " + " | ".join(VERDICT_ORDER) + " |", "|---|" + "---|" * len(VERDICT_ORDER)]
    for gold in [g for g in VERDICT_ORDER if g in conf]:
        lines.append(f"| {gold} | " + " | ".join(str(conf.get(gold, {}).get(p, 0)) for p in VERDICT_ORDER) + " |")
    return lines


def write_report(out: Path, metrics: dict) -> None:
    """Write ``report.md``, ``accuracy_by_category.png`` and ``latency.png`` for a run."""
    splits = metrics["splits"]
    lines = [f"# Benchmark report — config `{metrics['config']}`", ""]
    for name, m in splits.items():
        lines.append(f"- **{name}**: `{m['file']}` sha256 `{m['sha256']}` — {m['overall']['n']} questions, "
                     f"{m['claims']['n']} claims (skipped: {m['claims'].get('skipped', 0)})")
    i = metrics.get("index") or {}
    if i:
        lines.append(f"- index: `{i['corpus']}` — {i['documents']} documents, {i['pages']} pages, {i['chunks']} chunks "
                     f"({i['table_chunks']} table chunks); ingest {i['ingest_s'] if i['ingest_s'] else '–'} s")
    lines += ["", "## Headline (value [bootstrap 95% interval])", "", *headline_table(metrics), ""]
    for key, title in (("by_category", "By category"), ("by_lang", "By language"), ("by_difficulty", "By difficulty")):
        lines += [f"## {title}", "", *_group_table(splits, key), ""]
    for name, m in splits.items():
        if m["claims"]["n"]:
            lines += [f"## Claim verdicts — {name}", "", *confusion_table(m["claims"]), ""]
    results = read_results(out)
    for name in splits:
        wrong = [r for r in results.get(name, {}).values() if r["kind"] == "question" and not r["score"]["correct"]]
        lines += [f"## Wrong answers — {name} ({len(wrong)})", ""]
        lines += [f"- `{r['id']}`" for r in wrong[:80]] + [""]
    curves = _precision_coverage(results)
    if curves:
        lines += ["## Precision against coverage (abstaining below a confidence)", "",
                  "| confidence ≥ | " + " | ".join(f"{n} coverage | {n} precision" for n in curves) + " |",
                  "|---|" + "---|---|" * len(curves)]
        for k, t in enumerate(next(iter(curves.values()))):
            if k % 2 == 0:
                lines.append(f"| {t['threshold']:.2f} | " + " | ".join(
                    f"{c[k]['coverage']:.3f} | {c[k]['precision']:.3f}" for c in curves.values()) + " |")
        lines.append("")
    lines += ["Plots: `accuracy_by_category.png`, `latency.png`" + (", `precision_coverage.png`." if curves else ".")]
    (out / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _plots(out, metrics, results)


def _precision_coverage(results: dict) -> dict[str, list[dict]]:
    """Split → :func:`eval.metrics.precision_coverage` of its questions, for
    runs whose answers carry a ``confidence``."""
    out = {}
    for name, rows in results.items():
        qs = [r for r in rows.values() if r["kind"] == "question"]
        if qs and all("confidence" in r for r in qs):
            out[name] = precision_coverage([(not r["abstained"], r["score"]["correct"], r["confidence"]) for r in qs])
    return out


def _plots(out: Path, metrics: dict, results: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    splits = metrics["splits"]
    cats = sorted({c for m in splits.values() for c in m["by_category"]})
    fig, ax = plt.subplots(figsize=(7, 3.5))
    width = 0.8 / max(1, len(splits))
    for i, (name, m) in enumerate(splits.items()):
        ax.bar(np.arange(len(cats)) + i * width, [m["by_category"].get(c, {}).get("accuracy") or 0 for c in cats],
               width, label=name)
    ax.set_xticks(np.arange(len(cats)) + width * (len(splits) - 1) / 2, cats)
    ax.set_ylim(0, 1)
    ax.set_ylabel("accuracy")
    ax.legend()
    ax.set_title(f"Accuracy by category ({metrics['config']})")
    fig.tight_layout()
    fig.savefig(out / "accuracy_by_category.png", dpi=100)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for name, rows in results.items():
        ax.hist([r["latency_ms"] for r in rows.values() if r["kind"] == "question"], bins=30, alpha=0.6, label=name)
    ax.set_xlabel("latency (ms)")
    ax.set_ylabel("questions")
    ax.legend()
    ax.set_title(f"Answer latency ({metrics['config']})")
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=100)
    plt.close(fig)
    curves = _precision_coverage(results)
    if curves:
        fig, ax = plt.subplots(figsize=(5, 4))
        for name, curve in curves.items():
            ax.plot([c["coverage"] for c in curve], [c["precision"] for c in curve], marker=".", label=name)
        ax.set_xlabel("coverage (share of questions answered)")
        ax.set_ylabel("precision (share of answers right)")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.legend()
        ax.set_title(f"Precision against coverage ({metrics['config']})")
        fig.tight_layout()
        fig.savefig(out / "precision_coverage.png", dpi=100)
        plt.close(fig)


def read_results(run_dir: Path) -> dict[str, dict[str, dict]]:
    """``split -> id -> result line`` of a run's ``results.jsonl``.

    Raises:
        FileNotFoundError: the run has no ``results.jsonl``.
    """
    out: dict[str, dict[str, dict]] = {}
    for line in (Path(run_dir) / "results.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out.setdefault(r.get("split", "?"), {})[r["id"]] = r
    return out


def _paired_rows(ra: dict[str, dict], rb: dict[str, dict], kind: str, metrics: dict) -> list[tuple[str, object]]:
    ids = sorted(i for i in set(ra) & set(rb) if ra[i]["kind"] == kind)
    if not ids:
        return []
    va = metric_vectors([ra[i]["score"] for i in ids], metrics)
    vb = metric_vectors([rb[i]["score"] for i in ids], metrics)
    rows = []
    for name in metrics:
        (a, ma), (b, mb) = va[name], vb[name]
        rows.append((name, paired_bootstrap(a, b, ma * mb)))
    return rows


def compare(dir_a: Path, dir_b: Path) -> str:
    """Paired comparison of two runs, per split: A, B, B − A with its paired
    bootstrap 95% interval and p-value, and whether the difference is within
    noise (the interval contains 0). Items are paired by split and id.

    Raises:
        FileNotFoundError: a folder has no ``metrics.json`` or ``results.jsonl``.
    """
    a = json.loads((Path(dir_a) / "metrics.json").read_text(encoding="utf-8"))
    b = json.loads((Path(dir_b) / "metrics.json").read_text(encoding="utf-8"))
    res_a, res_b = read_results(dir_a), read_results(dir_b)
    lines = [f"A: {dir_a} (config {a['config']})    B: {dir_b} (config {b['config']})", ""]
    for split in [s for s in a["splits"] if s in b["splits"]]:
        sa, sb = a["splits"][split]["sha256"], b["splits"][split]["sha256"]
        note = "" if sa == sb else "  ⚠ the runs scored different versions of this file; only shared ids are paired"
        lines += [f"## {split} (sha256 {sb[:12]}){note}", "",
                  "| metric | n | A | B | B − A | 95% CI | p | verdict |", "|---|---|---|---|---|---|---|---|"]
        rows = _paired_rows(res_a.get(split, {}), res_b.get(split, {}), "question", QUESTION_METRICS)
        rows += [(f"claim {n}", d) for n, d in
                 _paired_rows(res_a.get(split, {}), res_b.get(split, {}), "claim", CLAIM_METRICS)]
        for name, d in rows:
            if d is None:
                continue
            lines.append(_diff_row(name, name.removeprefix("claim "), d))
        lines += _group_compare(res_a.get(split, {}), res_b.get(split, {}))
        for k in ("latency_p50_ms", "latency_p95_ms"):
            va, vb = a["splits"][split]["overall"].get(k), b["splits"][split]["overall"].get(k)
            if va is not None and vb is not None:
                lines.append(f"| {k} | – | {va:.0f} | {vb:.0f} | {vb - va:+.0f} | – | – | (not paired) |")
        lines.append("")
    return "\n".join(lines)


#: Metrics compared per category and per language in ``compare``.
GROUP_COMPARE = ("answer_accuracy", "hit@5", "abstention_rate")


def _group_compare(ra: dict[str, dict], rb: dict[str, dict]) -> list[str]:
    """Rows ``| category/lang: G | metric | n | A | B | B − A | CI | p | verdict |`` per group."""
    rows = []
    for key in ("category", "lang"):
        for group in sorted({r.get(key) for r in ra.values() if r["kind"] == "question" and r.get(key)}):
            sub_a = {i: r for i, r in ra.items() if r.get(key) == group}
            sub_b = {i: r for i, r in rb.items() if r.get(key) == group}
            for name, d in _paired_rows(sub_a, sub_b, "question", {m: QUESTION_METRICS[m] for m in GROUP_COMPARE}):
                if d is not None:
                    rows.append(_diff_row(f"{key} {group}: {name}", name, d))
    return rows


def _diff_row(label: str, key: str, d) -> str:
    if d.delta == 0 or d.within_noise:
        verdict = "same" if d.delta == 0 else "within noise"
    else:
        better = (d.delta < 0) if key in LOWER_IS_BETTER else (d.delta > 0)
        verdict = "better ✓" if better else "worse ✗"
    return (f"| {label} | {d.n} | {d.a:.3f} | {d.b:.3f} | {d.delta:+.3f} | "
            f"[{d.low:+.3f}, {d.high:+.3f}] | {d.p_value:.3f} | {verdict} |")
