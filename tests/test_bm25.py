"""BM25 over the shipped corpus: the scores are bm25s's (the reference
implementation of the Lucene variant), and an index updated in place equals
one built from scratch."""
from __future__ import annotations

import bm25s
import numpy as np
import pytest

from ingest.bm25 import B, K1, BM25Index
from ingest.tokenize import PlanTokenizer

QUERIES = ["分項二 108 年度經費", "博士級產業訓儲", "AI 人才培育 KPI", "申請資格", "不存在的詞彙xyz"]


@pytest.fixture(scope="module")
def corpus_tokens(corpus_index):
    chunks = corpus_index.chunks
    return ([c.chunk_id for c in chunks], [c.doc_id for c in chunks],
            [PlanTokenizer.bigrams(c.index_text) for c in chunks])


def _bm25s_scores(token_lists, query):
    vocab: dict[str, int] = {}
    encoded = [[vocab.setdefault(t, len(vocab)) for t in toks] or [vocab.setdefault("\x00", len(vocab))]
               for toks in token_lists]
    ref = bm25s.BM25(k1=K1, b=B)
    ref.index(bm25s.tokenization.Tokenized(ids=encoded, vocab=vocab), show_progress=False)
    known = [vocab[t] for t in query if t in vocab]
    return np.asarray(ref.get_scores(known), dtype=np.float32) if known else np.zeros(len(token_lists))


@pytest.mark.parametrize("query", QUERIES)
def test_scores_equal_bm25s(corpus_tokens, query):
    ids, docs, toks = corpus_tokens
    assert all(toks), "every shipped chunk has bigrams (bm25s pads empty ones)"
    q = PlanTokenizer.bigrams(query)
    ours = BM25Index.build(ids, docs, toks).scores(q)
    np.testing.assert_allclose(ours, _bm25s_scores(toks, q), rtol=1e-4, atol=1e-5)
    if "xyz" not in query:
        assert ours.max() > 0


def test_update_in_place_equals_rebuild(corpus_tokens, tmp_path):
    ids, docs, toks = corpus_tokens
    gone = {d for d in docs if d.startswith("most")}
    first = [i for i, d in enumerate(docs) if d not in gone]
    later = [i for i, d in enumerate(docs) if d in gone]
    start = BM25Index.build([ids[i] for i in first], [docs[i] for i in first], [toks[i] for i in first])
    start.save(tmp_path / "v", "fp0")
    loaded = BM25Index.load(tmp_path / "v", "fp0")
    assert BM25Index.load(tmp_path / "v", "other") is None
    grown = loaded.updated(ids=[ids[i] for i in later], docs=[docs[i] for i in later],
                           token_lists=[toks[i] for i in later])
    full = BM25Index.build([ids[i] for i in first + later], [docs[i] for i in first + later],
                           [toks[i] for i in first + later])
    q = PlanTokenizer.bigrams("博士級產業訓儲菁英 經費")
    assert grown.ids == full.ids
    np.testing.assert_allclose(grown.scores(q), full.scores(q), rtol=1e-5)
    shrunk = grown.updated(remove={ids[i] for i in later})
    np.testing.assert_allclose(shrunk.scores(q), start.scores(q), rtol=1e-5)
    rows = grown.rows_of(gone)
    assert sorted(grown.ids[r] for r in rows) == sorted(ids[i] for i in later)
    only = grown.scores(q, rows)
    assert only[rows].max() > 0 and np.count_nonzero(only) == np.count_nonzero(only[rows])
    assert grown.idf()["博士"] == pytest.approx(float(np.log1p((len(ids) - len(set(
        i for i, t in enumerate(toks) if "博士" in t)) + 0.5) / (len(set(i for i, t in enumerate(toks) if "博士" in t)) + 0.5))))


def test_held_by_is_the_words_some_chunk_of_the_document_holds(corpus_tokens):
    ids, docs, toks = corpus_tokens
    idx = BM25Index.build(ids, docs, toks)
    query = PlanTokenizer.bigrams("博士級產業訓儲菁英 數位產業署 學費補助")
    for doc in sorted(set(docs)):
        held = {t for t, d in zip(toks, docs) if d == doc for t in t}
        assert idx.held_by(query, [doc]) == {t for t in query if t in held}
    assert idx.held_by(query, []) == frozenset()

