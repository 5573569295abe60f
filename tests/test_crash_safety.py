"""Crash safety (ingest/journal.py, ingest/consistency.py): a write cut off
at any point is rolled back or completed, ``--check`` says whether the
index's parts agree and ``--repair`` makes them agree.

The cut-offs are made two ways: in-process, by failing the store call after
which a crash is simulated (each recovery branch, deterministically), and
for real, by ``kill -9`` of ``python -m ingest`` at random moments."""
from __future__ import annotations

import os
import random
import subprocess
import sys
import time

import pytest

from conftest import CORPUS_SOURCES, ROOT, run_cli
from ingest import journal
from ingest.consistency import check, repair
from ingest.loaders import file_sha256
from ingest.pipeline import ingest_paths, recover, remove_document
from ingest.store import PlanIndex


class Crash(Exception):
    """Stands for the process dying at this point."""


def _crash_after(monkeypatch, index: PlanIndex, method: str, calls: int = 1) -> None:
    """Make ``index.<method>`` do its work ``calls`` times, then 'crash'."""
    real = getattr(index, method)
    seen = {"n": 0}

    def wrapped(*a, **kw):
        if seen["n"] >= calls:
            raise Crash(method)
        seen["n"] += 1
        return real(*a, **kw)

    monkeypatch.setattr(index, method, wrapped)


def _state(index: PlanIndex) -> dict:
    return {r.doc_id: (r.content_hash, frozenset(index.chunk_ids(r.doc_id))) for r in index.list_documents()}


@pytest.fixture
def indexed(tmp_path, small_docs):
    """An LSA index holding the two small documents, and an edited ``phd``."""
    index = PlanIndex(tmp_path / "db")
    ingest_paths([small_docs["aigo"], small_docs["phd"]], index, embed_model="lsa")
    edited = tmp_path / "edit" / "phd.txt"
    edited.parent.mkdir()
    text = small_docs["phd"].read_text(encoding="utf-8")
    edited.write_text(text.replace("千元", "千元（修正版）", 1) + "\n\n伍、補充說明\n本節為修正版新增的段落。\n",
                      encoding="utf-8")
    return index, edited


@pytest.mark.parametrize("crash_at, outcome", [
    ("add_chunks", "before"),     # nothing written yet
    ("delete_chunks", "before"),  # new chunks in, old ones all there: rolled back
    ("register", "after"),        # old ones deleted: completed
])
def test_an_update_cut_off_is_rolled_back_or_completed(indexed, monkeypatch, crash_at, outcome):
    index, edited = indexed
    before = _state(index)
    _crash_after(monkeypatch, index, crash_at, calls=0)
    with pytest.raises(Crash):
        ingest_paths([edited], index)
    monkeypatch.undo()
    assert journal.pending(index.db_dir).doc_id == "phd"
    assert [p.part for p in check(index)][:1] == ["journal"]
    done = recover(index)
    assert done and journal.pending(index.db_dir) is None
    assert check(index) == []
    after = _state(index)
    if outcome == "before":
        assert after == before
    else:
        assert after["phd"][0] != before["phd"][0] and after["aigo"] == before["aigo"]
    # the next run lands the edit either way
    ingest_paths([edited], index)
    assert check(index) == [] and _state(index)["phd"][0] == file_sha256(edited)


def test_a_new_document_cut_off_while_its_chunks_are_added_is_removed(tmp_path, small_docs, monkeypatch):
    index = PlanIndex(tmp_path / "db")
    ingest_paths([small_docs["aigo"]], index, embed_model="lsa")
    _crash_after(monkeypatch, index, "add_chunks", calls=0)
    with pytest.raises(Crash):
        ingest_paths([small_docs["phd"]], index)
    monkeypatch.undo()
    assert recover(index) == ["phd: removed a document whose first write was cut off"]
    assert set(_state(index)) == {"aigo"} and check(index) == []


def test_a_removal_cut_off_is_finished(indexed, monkeypatch):
    index, _ = indexed
    from ingest import pipeline

    real = pipeline.fact_store
    monkeypatch.setattr(pipeline, "fact_store", lambda idx: (_ for _ in ()).throw(Crash("facts")))
    with pytest.raises(Crash):
        remove_document(index, "phd")
    monkeypatch.setattr(pipeline, "fact_store", real)
    assert journal.pending(index.db_dir).action == "remove"
    assert recover(index) == ["phd: finished its interrupted removal"]
    assert set(_state(index)) == {"aigo"} and check(index) == []


def test_check_and_repair_from_the_command_line(indexed):
    index, _ = indexed
    db = str(index.db_dir)
    assert run_cli("--check", "--db", db).returncode == 0
    # damage three parts by hand: an orphan chunk, a stale BM25 view, missing facts
    (c, meta), *_ = index.all_chunks(["aigo"])
    index.chunks.add(ids=["orphan-1"], documents=[c.text], metadatas=[{**meta, "doc_id": "ghost"}],
                     embeddings=[index.chunks.get(ids=[c.chunk_id], include=["embeddings"])["embeddings"][0]])
    from ingest.pipeline import fact_store

    fact_store(index).remove_document("phd")
    out = run_cli("--check", "--db", db)
    assert out.returncode == 1
    lines = out.stdout.strip().splitlines()
    assert any(line.startswith("problem chunks: 1 chunks of ghost") for line in lines)
    assert any(line.startswith("problem bm25: the words view") for line in lines)
    assert "problem facts: phd: facts missing or from another version of the document" in lines
    out = run_cli("--repair", "--db", db)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "repaired deleted 1 chunks of ghost, which no document lists" in out.stdout
    assert "repaired phd: facts re-extracted" in out.stdout
    assert out.stdout.strip().endswith(f"consistent: {index.location}")
    assert check(index) == []


def test_kill_9_at_random_moments_then_repair_leaves_a_consistent_index(tmp_path):
    """A few real kills (the benchmark, benchmarks/reliability.py, does 20):
    after each, ``--repair`` leaves the parts agreeing with every registered
    document whole; a last run finishes the corpus, the same as an
    uninterrupted ingest."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for src in sorted(CORPUS_SOURCES.glob("*.txt"))[:3]:
        (corpus / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "db"
    rnd = random.Random(7)
    cmd = [sys.executable, "-m", "ingest", str(corpus), "--db", str(db), "--embed-model", "lsa", "--quiet"]
    for attempt in range(3):
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=os.environ.copy())
        time.sleep(rnd.uniform(8.0, 18.0))  # the writes begin some 12 s in (start-up, parsing, LSA)
        proc.kill()
        proc.wait()
        out = run_cli("--repair", "--db", str(db))
        assert out.returncode == 0, (attempt, out.stdout, out.stderr)
        index = PlanIndex(db, fresh=True)
        assert check(index) == []
    assert run_cli(str(corpus), "--db", str(db)).returncode == 0
    clean = tmp_path / "clean"
    assert run_cli(str(corpus), "--db", str(clean), "--embed-model", "lsa").returncode == 0
    assert _state(PlanIndex(db, fresh=True)) == _state(PlanIndex(clean, fresh=True)) and check(PlanIndex(db, fresh=True)) == []


def test_a_batch_cut_off_is_recovered_document_by_document(tmp_path, small_docs, monkeypatch):
    """Two new documents written as one batch (one journal entry each, their
    chunks in one add): cut off after the first one's record, both are
    completed; cut off before the add, both are removed."""
    index = PlanIndex(tmp_path / "db")
    _crash_after(monkeypatch, index, "register", calls=1)
    with pytest.raises(Crash):
        ingest_paths([small_docs["aigo"], small_docs["phd"]], index, embed_model="lsa")
    monkeypatch.undo()
    assert {e.doc_id for e in journal.pending_all(index.db_dir)} == {"aigo", "phd"}
    done = recover(index)
    assert sorted(done) == ["aigo: completed an interrupted write", "phd: completed an interrupted write"]
    assert set(_state(index)) == {"aigo", "phd"} and check(index) == []
    assert journal.pending_all(index.db_dir) == []

    fresh = PlanIndex(tmp_path / "db2")
    _crash_after(monkeypatch, fresh, "add_chunks", calls=0)
    with pytest.raises(Crash):
        ingest_paths([small_docs["aigo"], small_docs["phd"]], fresh, embed_model="lsa")
    monkeypatch.undo()
    assert sorted(recover(fresh)) == ["aigo: removed a document whose first write was cut off",
                                      "phd: removed a document whose first write was cut off"]
    assert _state(fresh) == {} and check(fresh) == []
