"""The evaluation harness: a question file in the public schema runs
unchanged, metrics are computed as documented, runs compare."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from eval.metrics import aggregate, first_hit_rank, includes_all, score_question
from eval.report import compare

REPO = Path(__file__).resolve().parent.parent
MOST = "most-2018-phd-talent-training"

OWN_ITEMS = [
    {"id": "x1", "kind": "question", "doc": MOST, "category": "budget", "lang": "zh-TW", "difficulty": "easy",
     "question": "分項二 108 年度經費是多少？", "answer": "350,000 千元", "must_include": [["350,000", "3.5億"]],
     "evidence": ["350,000"]},
    {"id": "x2", "kind": "question", "doc": MOST, "category": "unanswerable", "lang": "zh-TW", "difficulty": "easy",
     "question": "分項一 110 年度編列多少經費？", "answer": "文件未提及", "must_include": [], "evidence": []},
    {"id": "x3", "kind": "question", "doc": MOST, "category": "eligibility", "lang": "en", "difficulty": "medium",
     "question": "How many trainees must an applicant unit request at least?", "answer": "5",
     "must_include": [["五名", "5 名"]], "evidence": ["每次總額至少五名"]},
    {"id": "x4", "kind": "claim", "doc": MOST, "category": "budget", "lang": "zh-TW",
     "claim": "分項二 108 年度經費為 350,000 千元", "verdict": "supported", "correct_value": "350,000 千元",
     "evidence": ["350,000"]},
]


def test_metric_definitions():
    assert includes_all("經費為 350,000 千元", [["350000"], ["千元", "萬元"]])
    assert not includes_all("經費為 350,000 千元", [["360,000"]])
    assert first_hit_rank(["無關", "分項二 350,000"], ["分項二350,000"]) == 2
    assert first_hit_rank(["無關"], ["分項二"]) is None
    item = {"category": "budget", "must_include": [["350,000"]], "evidence": ["350,000"]}
    good = {"answer": "350,000 千元[1]", "abstained": False, "citations": [{"text": "x 350,000"}],
            "contexts": [{"text": "a"}, {"text": "350,000"}], "latency_ms": 5}
    s = score_question(item, good)
    assert s["correct"] and s["grounded"] and s["rank"] == 2
    ungrounded = dict(good, citations=[{"text": "other"}])
    assert not score_question(item, ungrounded)["grounded"]
    m = aggregate([s, score_question({"category": "unanswerable", "must_include": [], "evidence": []},
                                     {"answer": "", "abstained": True, "contexts": [], "latency_ms": 7})])
    assert m["hit@1"] == 0.0 and m["hit@3"] == 1.0 and m["mrr"] == 0.5
    assert m["abstention_rate"] == 1.0 and m["false_abstention_rate"] == 0.0


@pytest.mark.slow
def test_own_question_file_runs_unchanged(corpus_index, tmp_path):
    qfile = tmp_path / "mine.jsonl"
    qfile.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in OWN_ITEMS) + "\n", encoding="utf-8")
    out = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "eval", "run", "--questions", str(qfile), "--out", str(out),
                           "--db", str(corpus_index.db), "--quiet"], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert f"mine: {qfile} sha256 {hashlib.sha256(qfile.read_bytes()).hexdigest()}" in proc.stdout
    assert "| answer_accuracy |" in proc.stdout
    results = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    by_id = {r["id"]: r for r in results}
    assert {"x1", "x2", "x3"} <= set(by_id)
    assert {"answer", "abstained", "citations", "contexts", "latency_ms"} <= set(by_id["x1"])
    assert "350,000" in by_id["x1"]["answer"] and by_id["x2"]["abstained"]
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["splits"]["mine"]
    assert metrics["overall"]["n"] == 3
    assert set(metrics["by_category"]) == {"budget", "unanswerable", "eligibility"}
    assert metrics["overall"]["abstention_rate"] == 1.0
    lo, hi = metrics["overall"]["ci95"]["answer_accuracy"]
    assert 0.0 <= lo <= metrics["overall"]["answer_accuracy"] <= hi <= 1.0
    for name in ("report.md", "accuracy_by_category.png", "latency.png"):
        assert (out / name).stat().st_size > 0
    if "x4" in by_id:  # claims run once verification is installed
        assert by_id["x4"]["verdict"] in ("supported", "contradicted", "not_found")
    # the same run twice: every paired difference is zero
    table = compare(out, out)
    assert "| answer_accuracy |" in table and "better" not in table and "worse" not in table


def test_bad_inputs_are_one_line_errors(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "eval", "run", "--questions", str(tmp_path / "missing.jsonl"),
                           "--out", str(tmp_path / "o")], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 2 and "no such file" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "eval", "compare", str(tmp_path), str(tmp_path)],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 2 and "metrics.json" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "eval", "run", "--split", "holdout", "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 2 and "unknown split 'holdout'; valid: dev, test, all" in proc.stderr


@pytest.mark.slow
def test_baseline_config_runs(corpus_index, tmp_path):
    from eval.configs import make_system

    system = make_system("baseline", corpus_index.db)
    res = system.answer("分項二 108 年度經費是多少？", [MOST])
    assert res["contexts"] and len(res["contexts"]) <= 5 and not res["abstained"]
    assert all(len(c["text"]) <= 500 for c in res["contexts"])
    with pytest.raises(ValueError, match="valid:"):
        make_system("no-such-config", corpus_index.db)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["lexical-selector", "no-abstention"])
def test_ablation_configs_answer(corpus_index, name):
    from eval.configs import make_system

    res = make_system(name, corpus_index.db).answer("分項二 108 年度經費是多少？", [MOST])
    assert res["contexts"] and not res["abstained"] and res["answer"]


def test_corpus_dir_scores_another_rendering_in_its_own_index(small_docs, tmp_path):
    """``--corpus-dir`` ingests that folder into DIR/.planqa-index and scores
    it: here the AI GO deck as text, with one question about it."""
    corpus = small_docs["aigo"].parent
    item = {"id": "r1", "kind": "question", "doc": "aigo", "category": "fact", "lang": "zh-TW", "difficulty": "easy",
            "question": "AI GO 由哪個單位主辦？", "answer": "經濟部工業局", "must_include": [["工業局"]],
            "evidence": ["經濟部工業局主辦"]}
    qfile = tmp_path / "r.jsonl"
    qfile.write_text(json.dumps(item, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "eval", "run", "--questions", str(qfile), "--corpus-dir", str(corpus),
                           "--out", str(out), "--quiet"], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert (corpus / ".planqa-index").is_dir()
    index = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["index"]
    assert index["corpus"] == str(corpus) and index["documents"] == 2 and index["ingest_s"] > 0
    assert f"index: {corpus} — 2 documents" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "eval", "run", "--questions", str(qfile), "--corpus-dir",
                           str(tmp_path / "nowhere"), "--out", str(out)], capture_output=True, text=True, cwd=REPO,
                          timeout=120)
    assert proc.returncode == 2 and "not a folder" in proc.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = subprocess.run([sys.executable, "-m", "eval", "run", "--questions", str(qfile), "--corpus-dir", str(empty),
                           "--out", str(tmp_path / "run-empty")], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode == 2 and f"error: {empty}: no plan could be indexed" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "run-empty" / "metrics.json").exists()
