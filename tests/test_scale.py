"""What lets an index grow past one Chroma call and one LSA fit: paged
reads, chunks fetched on demand, LSA folding new chunks in (with its drift
threshold and ``--refit``), and the N× corpus builder of
``benchmarks/scale.py``."""
from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from conftest import ROOT, run_cli
from ingest import lsa, pipeline
from ingest.lsa import LSAModel
from ingest.pipeline import ingest_paths
from ingest.store import PlanIndex

sys.path.insert(0, str(ROOT / "benchmarks"))
import scale  # noqa: E402


def test_every_read_is_paged(corpus_index):
    """A page of 97 records reads what one call reads (a large index must
    never be read in one ``get``: SQLite caps the bound variables)."""
    index = PlanIndex(corpus_index.db)
    whole = index.chunks.get(include=[])["ids"]
    index.page_size = 97
    assert len(whole) > 10 * index.page_size
    assert sorted(index.chunk_ids()) == sorted(whole)
    assert [c.chunk_id for c, _ in index.all_chunks()] == [c.chunk_id for c in corpus_index.chunks]
    assert [d.doc_id for d in index.list_documents()] == sorted({c.doc_id for c in corpus_index.chunks})
    some = whole[::7]
    assert sorted(index.get_chunks(some)) == sorted(some)


def test_chunks_fetched_on_demand_match_the_preloaded_ones(corpus_index):
    from assistant.chunks import ChunkLookup

    index = PlanIndex(corpus_index.db)
    every = ChunkLookup(index, preload=True)
    lazy = ChunkLookup(index, preload=False, capacity=50)
    assert len(lazy) == len(every) == len(corpus_index.chunks)
    doc = corpus_index.chunks[0].doc_id
    for chunk in corpus_index.doc_chunks(doc)[:80:3]:
        assert lazy[chunk.chunk_id] == every[chunk.chunk_id] == chunk
        assert lazy.at(doc, chunk.position) == chunk
    assert lazy.get("no-such-chunk") is None and "no-such-chunk" not in lazy
    assert lazy.at(doc, 10**6) is None
    assert len(lazy._by_id) <= 50  # bounded


def test_neighbours_are_read_by_their_stored_ids(corpus_index):
    """Each chunk carries its neighbours' ids: ``beside`` reads them by id
    (no metadata query) and gives what positions give; a chunk without
    links (an index written before they were stored) falls back to its
    position."""
    from dataclasses import replace

    from assistant.chunks import ChunkLookup

    index = PlanIndex(corpus_index.db)
    lazy = ChunkLookup(index, preload=False, capacity=500)
    doc = corpus_index.doc_chunks(corpus_index.chunks[0].doc_id)
    asked = []
    lazy.at = lambda d, pos: asked.append(pos) or ChunkLookup.at(lazy, d, pos)
    assert lazy.beside(doc[0], -1) is None and lazy.beside(doc[-1], +1) is None
    for before, chunk, after in zip(doc, doc[1:], doc[2:]):
        assert lazy.beside(chunk, -1) == before and lazy.beside(chunk, +1) == after
    assert asked == []
    unlinked = replace(doc[5], prev_id=None, next_id=None)
    assert lazy.beside(unlinked, +1) == doc[6] and asked == [6]


def test_an_update_moves_the_chunks_it_keeps(tmp_path, small_docs):
    """Re-ingesting an edited plan keeps the chunks whose text did not
    change, with their new position, page and neighbours."""
    from assistant.chunks import ChunkLookup

    db = tmp_path / "db"
    index = PlanIndex(db)
    plan = tmp_path / "plan.txt"
    text = small_docs["phd"].read_text(encoding="utf-8")
    plan.write_text(text, encoding="utf-8")
    ingest_paths([plan], index, embed_model="lsa")
    first = {c.chunk_id: c for c, _ in index.iter_chunks(["plan"])}
    plan.write_text("前言\n本計畫於修正版新增一段說明文字，置於全文之前。\n\n" + text, encoding="utf-8")
    assert ingest_paths([plan], index).updated == ["plan"]
    now = [c for c, _ in index.iter_chunks(["plan"])]
    kept = [c for c in now if c.chunk_id in first]
    assert kept and all(c.position != first[c.chunk_id].position for c in kept)
    assert [c.position for c in now] == list(range(len(now)))
    lookup = ChunkLookup(index, preload=False)
    for before, chunk in zip(now, now[1:]):
        assert chunk.prev_id == before.chunk_id and before.next_id == chunk.chunk_id
        assert lookup.beside(chunk, -1) == before


def _lsa_stats(db):
    return json.loads((db / "lsa" / "stats.json").read_text())


def test_lsa_folds_new_chunks_into_a_large_index_and_refits_on_drift(tmp_path, small_docs, monkeypatch):
    """Past LSA_REFIT_CHUNKS (set to 0 here) a new document is folded in:
    the fitted space and the earlier vectors stay; a document whose terms
    the model mostly does not know is refitted; --refit refits."""
    monkeypatch.setattr(pipeline, "LSA_REFIT_CHUNKS", 0)
    db = tmp_path / "db"
    index = PlanIndex(db)
    ingest_paths([small_docs["phd"]], index, embed_model="lsa")
    assert _lsa_stats(db)["folded"] == 0
    fitted = (db / "lsa" / "components.npy").read_bytes()
    before = index.chunks.get(ids=index.chunk_ids("phd"), include=["embeddings"])
    copy = tmp_path / "more" / "phd-copy.txt"
    copy.parent.mkdir()
    copy.write_text(scale.variant(small_docs["phd"].read_text(encoding="utf-8"), "重點產業高階人才培訓與就業計畫", 3),
                    encoding="utf-8")
    ingest_paths([copy], index)
    stats = _lsa_stats(db)
    assert stats["folded"] == len(index.chunk_ids("phd-copy")) > 0
    assert 0 < stats["folded_unknown"] / stats["folded_terms"] < lsa.LSA_MAX_UNKNOWN
    assert (db / "lsa" / "components.npy").read_bytes() == fitted
    after = index.chunks.get(ids=before["ids"], include=["embeddings"])
    np.testing.assert_array_equal(np.asarray(after["embeddings"]), np.asarray(before["embeddings"]))
    # the copy is found: its vectors live in the same space
    model = LSAModel.load(db / "lsa")
    hits = index.chunks.query(query_embeddings=[model.query_vector("第 3 號複本 經費")], n_results=3,
                              where={"doc_id": "phd-copy"}, include=[])
    assert hits["ids"][0]
    # AI GO's deck shares few terms with a budget table: past the drift threshold
    ingest_paths([small_docs["aigo"]], index)
    assert _lsa_stats(db)["folded"] == 0 and (db / "lsa" / "components.npy").read_bytes() != fitted
    proc = run_cli("--refit", "--db", str(db), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"refitted": index.chunk_count()}
    assert _lsa_stats(db) == {"fitted": index.chunk_count(), "folded": 0, "folded_terms": 0, "folded_unknown": 0}


def test_refit_needs_an_lsa_index(tmp_path, small_docs):
    proc = run_cli("--refit", "--db", str(tmp_path / "empty"))
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("error:") and "LSA" in proc.stderr and "Traceback" not in proc.stderr


def test_scale_corpus_copies_are_distinct_plans(tmp_path):
    files = scale.build_corpus(2, tmp_path / "c")
    assert len(files) == 10 and len({f.read_bytes() for f in files}) == 10
    base = {f.name: f.read_text(encoding="utf-8") for f in files}
    original = base["most-2018-phd-talent-training.txt"]
    copy = base["most-2018-phd-talent-training-copy0001.txt"]
    assert (ROOT / "corpus" / "sources" / "most-2018-phd-talent-training.txt").read_text(encoding="utf-8") == original
    assert "重點產業高階人才培訓與就業計畫（第 1 號複本）" in copy
    assert "390,000" in original and "390,001" in copy and "390,000" not in copy
