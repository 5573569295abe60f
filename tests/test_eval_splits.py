"""The dev/test splits, bootstrap intervals and paired run comparison."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eval.metrics import aggregate, claim_metrics, score_claim
from eval.report import compare, confusion_table
from eval.splits import FROZEN_SHA256, SplitName, file_sha256, resolve
from eval.stats import bootstrap_interval, paired_bootstrap
from eval.validate import load_sources, read_jsonl, validate_items

DOCS = {"most-2018-phd-talent-training", "ey-2018-taiwan-ai-action-plan", "moda-2025-ai-industry-adoption",
        "moea-2023-digital-talent", "moeaidb-2019-aigo-intro"}


def test_split_names_resolve_and_unknown_lists_valid():
    assert [(s.name, s.path.name) for s in resolve("all")] == [("dev", "benchmark.jsonl"), ("test", "test.jsonl")]
    assert [s.name for s in resolve(SplitName.TEST)] == ["test"]
    with pytest.raises(ValueError, match="valid: dev, test, all"):
        resolve("holdout")


def test_test_split_is_frozen():
    """The committed test split is byte-identical to the recorded hash: a
    changed file needs a new name (eval/splits.py)."""
    (test,) = resolve("test")
    assert FROZEN_SHA256[SplitName.TEST] == file_sha256(test.path)


def test_test_split_is_valid_and_covers_the_brief():
    (test,) = resolve("test")
    items, errors = read_jsonl(test.path)
    assert not errors
    assert validate_items(items, load_sources()) == []
    qs = [i for i in items if i["kind"] == "question"]
    claims = [i for i in items if i["kind"] == "claim"]
    assert len(qs) >= 180 and len(claims) >= 45
    cats = Counter(q["category"] for q in qs)
    assert set(cats) == {"budget", "kpi", "eligibility", "fact", "unanswerable"} and cats["unanswerable"] >= 30
    langs = Counter(q["lang"] for q in qs)
    assert langs["en"] >= 30 and langs["zh-CN"] >= 15
    assert sum(q["difficulty"] == "hard" for q in qs) * 3 >= len(qs)
    assert {q["doc"] for q in qs} == DOCS and {c["doc"] for c in claims} == DOCS
    verdicts = Counter(c["verdict"] for c in claims)
    assert verdicts["supported"] >= 15 and verdicts["contradicted"] >= 15
    assert any("inconsistent" in q.get("tags", []) for q in qs)
    dev_ids = {i["id"] for i in read_jsonl(resolve("dev")[0].path)[0]}
    assert not dev_ids & {i["id"] for i in items}


def test_bootstrap_interval_brackets_the_mean_and_narrows_with_n():
    rng = np.random.default_rng(1)
    small = (rng.random(50) < 0.6).astype(float)
    large = (rng.random(2000) < 0.6).astype(float)
    lo_s, hi_s = bootstrap_interval(small, np.ones_like(small))
    lo_l, hi_l = bootstrap_interval(large, np.ones_like(large))
    assert lo_s < small.mean() < hi_s and lo_l < large.mean() < hi_l
    assert (hi_l - lo_l) < (hi_s - lo_s) / 3
    assert np.isnan(bootstrap_interval(small, np.zeros_like(small))[0])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=60), st.lists(st.booleans(), min_size=60, max_size=60))
def test_bootstrap_interval_is_ordered_within_unit_range(values, mask):
    v = np.array(values, float)
    m = np.array(mask[: len(values)], float)
    lo, hi = bootstrap_interval(v, m, n_resamples=200)
    if m.sum() == 0:
        assert np.isnan(lo) and np.isnan(hi)
    else:
        assert 0.0 <= lo <= hi <= 1.0


def test_paired_bootstrap_tells_noise_from_a_real_difference():
    rng = np.random.default_rng(2)
    a = (rng.random(200) < 0.5).astype(float)
    same = paired_bootstrap(a, a, np.ones(200))
    assert same.delta == 0 and same.within_noise and same.p_value == 1.0
    one_flip = a.copy()
    one_flip[np.argmin(a)] = 1.0  # one more item right: within noise
    assert paired_bootstrap(a, one_flip, np.ones(200)).within_noise
    better = np.maximum(a, (rng.random(200) < 0.5).astype(float))  # ~25% more right
    d = paired_bootstrap(a, better, np.ones(200))
    assert not d.within_noise and d.low > 0 and d.p_value < 0.01


def _q(correct: bool, unanswerable: bool = False, **kw) -> dict:
    return {"correct": correct, "grounded": correct, "abstained": unanswerable and correct,
            "unanswerable": unanswerable, "rank": 1 if correct else None, "has_evidence": not unanswerable,
            "inconsistent": False, "flagged": False, "latency_ms": 10.0, **kw}


def test_aggregate_carries_intervals_and_inconsistency_share():
    scores = [_q(True), _q(False, flagged=True), _q(True, inconsistent=True, flagged=True), _q(True, inconsistent=True),
              _q(True, unanswerable=True)]
    m = aggregate(scores, intervals=True)
    assert m["answer_accuracy"] == 0.75 and m["inconsistency_flagged"] == 0.5 and m["abstention_rate"] == 1.0
    # flagged although not tagged inconsistent: one of the two answered untagged questions
    assert m["flagged_untagged"] == 0.5
    assert set(m["ci95"]) >= {"answer_accuracy", "hit@5", "abstention_rate", "latency_p95_ms"}


def test_claim_confusion_counts_supported_called_contradicted_separately():
    pairs = [("supported", "supported"), ("supported", "contradicted"), ("supported", "not_found"),
             ("contradicted", "contradicted"), ("contradicted", "supported")]
    scores = [score_claim({"verdict": g}, {"verdict": p}) for g, p in pairs]
    m = claim_metrics(scores, intervals=True)
    assert m["verdict_accuracy"] == 0.4
    assert m["supported_called_contradicted"] == pytest.approx(1 / 3, abs=1e-3)
    assert m["contradicted_called_supported"] == 0.5
    assert m["confusion"]["supported"] == {"supported": 1, "contradicted": 1, "not_found": 1}
    assert "| supported | 1 | 1 | 1 |" in confusion_table(m)


def _write_run(folder: Path, correct: list[bool]) -> Path:
    folder.mkdir()
    lines = [{"split": "test", "id": f"q{i}", "kind": "question", "latency_ms": 5.0, "score": _q(c)}
             for i, c in enumerate(correct)]
    (folder / "results.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    m = aggregate([x["score"] for x in lines], intervals=True)
    metrics = {"config": folder.name, "splits": {"test": {"file": "t.jsonl", "sha256": "ab" * 32, "overall": m,
                                                           "claims": {"n": 0}}}}
    (folder / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    return folder


def test_compare_pairs_items_and_says_when_a_difference_is_noise(tmp_path):
    rng = np.random.default_rng(3)
    base = [bool(x) for x in rng.random(200) < 0.5]
    a = _write_run(tmp_path / "a", base)
    near = _write_run(tmp_path / "near", [True] + base[1:])
    far = _write_run(tmp_path / "far", [c or bool(r) for c, r in zip(base, rng.random(200) < 0.6)])
    near_table = compare(a, near)
    row = next(line for line in near_table.splitlines() if line.startswith("| answer_accuracy |"))
    assert "within noise" in row or "same" in row
    row = next(line for line in compare(a, far).splitlines() if line.startswith("| answer_accuracy |"))
    assert "better ✓" in row
