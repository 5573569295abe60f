"""``report.md`` and PNG plots for an eval run, and run comparison."""
from __future__ import annotations

import json
from pathlib import Path

HEADLINE = ["hit@1", "hit@3", "hit@5", "hit@10", "mrr", "answer_accuracy", "grounded_accuracy",
            "abstention_rate", "false_abstention_rate", "latency_p50_ms", "latency_p95_ms"]
# Metrics where lower is better (for the sign of a delta).
LOWER_IS_BETTER = {"false_abstention_rate", "latency_p50_ms", "latency_p95_ms"}


def _fmt(v) -> str:
    return "–" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))


def _table(groups: dict[str, dict], cols: list[str]) -> list[str]:
    lines = ["| group | n | " + " | ".join(cols) + " |", "|---|---|" + "---|" * len(cols)]
    for name, m in groups.items():
        lines.append(f"| {name} | {m['n']} | " + " | ".join(_fmt(m.get(c)) for c in cols) + " |")
    return lines


def write_report(out: Path, metrics: dict, items: list[dict], scores: list[dict]) -> None:
    """Write ``report.md``, ``accuracy_by_category.png`` and ``latency.png``."""
    o = metrics["overall"]
    lines = [f"# Benchmark report — config `{metrics['config']}`", "",
             f"Questions: {o['n']} from `{metrics['questions_file']}`; claims: {metrics['claims']['n']} "
             f"(skipped: {metrics['claims'].get('skipped', 0)}).", "", "## Headline", "",
             "| metric | value |", "|---|---|"]
    lines += [f"| {k} | {_fmt(o.get(k))} |" for k in HEADLINE]
    lines += [f"| claim verdict accuracy | {_fmt(metrics['claims'].get('verdict_accuracy'))} |", ""]
    cols = ["hit@5", "mrr", "answer_accuracy", "grounded_accuracy", "false_abstention_rate", "abstention_rate"]
    for key, title in (("by_category", "By category"), ("by_lang", "By language"), ("by_difficulty", "By difficulty")):
        lines += [f"## {title}", "", *_table(metrics[key], cols), ""]
    wrong = [(i, s) for i, s in zip(items, scores) if not s["correct"]]
    lines += [f"## Wrong answers ({len(wrong)})", ""]
    lines += [f"- `{i['id']}` ({i['category']}, {i['lang']}): {i['question']}" for i, _ in wrong[:60]]
    lines += ["", "Plots: `accuracy_by_category.png`, `latency.png`."]
    (out / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _plots(out, metrics, scores)


def _plots(out: Path, metrics: dict, scores: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cats = metrics["by_category"]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    names = list(cats)
    ax.bar(names, [cats[n]["accuracy"] or 0 for n in names], color="#4C72B0")
    ax.set_ylim(0, 1)
    ax.set_ylabel("accuracy")
    ax.set_title(f"Accuracy by category ({metrics['config']})")
    fig.tight_layout()
    fig.savefig(out / "accuracy_by_category.png", dpi=100)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist([s["latency_ms"] for s in scores], bins=30, color="#55A868")
    ax.set_xlabel("latency (ms)")
    ax.set_ylabel("questions")
    ax.set_title(f"Answer latency ({metrics['config']})")
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=100)
    plt.close(fig)


def compare(dir_a: Path, dir_b: Path) -> str:
    """A table of the headline metrics of two runs and B − A deltas.

    Raises:
        FileNotFoundError: a folder has no ``metrics.json``.
    """
    a = json.loads((dir_a / "metrics.json").read_text(encoding="utf-8"))
    b = json.loads((dir_b / "metrics.json").read_text(encoding="utf-8"))
    rows = [f"| metric | A: {a['config']} | B: {b['config']} | B − A |", "|---|---|---|---|"]
    pairs = [(k, a["overall"].get(k), b["overall"].get(k)) for k in HEADLINE]
    pairs.append(("claim verdict accuracy", a["claims"].get("verdict_accuracy"), b["claims"].get("verdict_accuracy")))
    for k, va, vb in pairs:
        delta = "–" if va is None or vb is None else f"{vb - va:+.3f}"
        if va is not None and vb is not None and vb != va:
            better = (vb < va) if k in LOWER_IS_BETTER else (vb > va)
            delta += " ✓" if better else " ✗"
        rows.append(f"| {k} | {_fmt(va)} | {_fmt(vb)} | {delta} |")
    return "\n".join(rows)
