"""Embedding models: the corpus-fitted LSA default, a sentence-transformers
model the test builds itself (random weights, WordPiece vocabulary trained on
corpus sentences), the bundled all-MiniLM-L6-v2, and hub names that are not
on this machine."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from conftest import CORPUS_SOURCES
from ingest.embeddings import (
    LSA_DIMENSIONS,
    EmbeddingModelError,
    LSAEmbedding,
    lsa_terms,
    load_sentence_transformer,
)
from ingest.errors import IngestError
from ingest.pipeline import ingest_paths
from ingest.store import PlanIndex
from ingest.tokenize import PlanTokenizer

TINY_DIM = 32


# ------------------------------------------------------------------- LSA
def _texts() -> list[str]:
    text = (CORPUS_SOURCES / "most-2018-phd-talent-training.txt").read_text(encoding="utf-8")
    return [ln.strip() for ln in text.split("\n") if len(ln.strip()) >= 12][:120]


def test_lsa_fit_save_load_round_trip(tmp_path):
    tok = PlanTokenizer()
    texts = _texts()
    model, vectors = LSAEmbedding.fit([lsa_terms(tok.words(t), tok.bigrams(t)) for t in texts])
    assert vectors.shape == (len(texts), LSA_DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # The fitted vectors are what the model gives for the same texts.
    assert np.allclose(model.embed_many(texts[:10]), vectors[:10], atol=1e-5)
    model.save(tmp_path / "lsa")
    loaded = LSAEmbedding.load(tmp_path / "lsa")
    assert np.array_equal(loaded.embed_many(texts), model.embed_many(texts))
    query = "分項二經費需求"
    assert loaded.get_query_embedding(query) == model.get_query_embedding(query)


def test_lsa_load_of_an_empty_folder_is_a_clear_error(tmp_path):
    with pytest.raises(EmbeddingModelError, match="no fitted LSA model"):
        LSAEmbedding.load(tmp_path)


@pytest.mark.slow
def test_lsa_ranks_the_budget_table_above_unrelated_text(corpus_index):
    """On the shipped corpus: an LSA model fitted on its chunks (as ingest
    with ``--embed-model lsa`` fits it) puts the budget table of 分項二 above
    an unrelated chunk for a 分項二 budget question."""
    pairs = corpus_index.index.all_chunks()
    tok = PlanTokenizer()
    model, vectors = LSAEmbedding.fit([lsa_terms(tok.words(c.index_text), tok.bigrams(c.index_text))
                                       for c, _ in pairs])
    doc = [k for k, (c, _) in enumerate(pairs) if c.doc_id == "most-2018-phd-talent-training"]
    ids = [pairs[k][0].chunk_id for k in doc]
    texts = [pairs[k][0].text for k in doc]
    metas = [{"chunk_type": pairs[k][0].chunk_type} for k in doc]
    emb = np.asarray(vectors, dtype=np.float32)[doc]
    q = np.asarray(model.get_query_embedding("分項二的經費需求是多少千元？"), dtype=np.float32)
    score = dict(zip(ids, emb @ q))
    budget = [i for i, t, m in zip(ids, texts, metas)
              if m["chunk_type"] == "table" and "分項二" in t and "350,000" in t]
    unrelated = [i for i, t in zip(ids, texts) if "性別" in t and "經費" not in t and "分項" not in t]
    assert budget and unrelated
    best_budget = max(score[i] for i in budget)
    assert best_budget > max(score[i] for i in unrelated)
    # and the budget table is among the best tenth of the document's chunks
    assert sum(s > best_budget for s in score.values()) < len(ids) / 10


# ---------------------------------------------- a tiny sentence-transformer
@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    """A sentence-transformers model folder built here: a WordPiece
    tokenizer trained on corpus sentences, a random 2-layer BERT
    (hidden size 32), mean pooling."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertConfig, BertModel, BertTokenizerFast

    text = (CORPUS_SOURCES / "moeaidb-2019-aigo-intro.txt").read_text(encoding="utf-8")
    sentences = [s.strip() for s in re.split(r"[。\n]", text) if len(s.strip()) >= 8][:60]
    assert len(sentences) >= 30
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(handle_chinese_chars=True, lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok.train_from_iterator(sentences, trainers.WordPieceTrainer(vocab_size=1000, special_tokens=specials))
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", tok.token_to_id("[CLS]")), ("[SEP]", tok.token_to_id("[SEP]"))])
    tok.decoder = decoders.WordPiece()
    fast = BertTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                             sep_token="[SEP]", mask_token="[MASK]")

    folder = tmp_path_factory.mktemp("tiny-st")
    hf = folder / "bert"
    torch.manual_seed(0)
    config = BertConfig(hidden_size=TINY_DIM, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                        vocab_size=len(fast), max_position_embeddings=256)
    BertModel(config).save_pretrained(hf)
    fast.save_pretrained(hf)
    word = Transformer(str(hf), max_seq_length=256)
    SentenceTransformer(modules=[word, Pooling(word.get_embedding_dimension(), pooling_mode="mean")],
                        device="cpu").save(str(folder / "st"))
    return folder / "st"


def test_tiny_model_embeds_with_its_dimension(tiny_model):
    model = load_sentence_transformer(str(tiny_model))
    a = model.get_text_embedding("分項二經費需求為 350,000 千元")
    b = model.get_query_embedding("人才培育計畫")
    assert len(a) == len(b) == TINY_DIM
    assert np.isfinite(a).all() and not np.allclose(a, b)
    assert model.get_text_embedding_batch(["人才", "產業", "計畫"])[0] == pytest.approx(model.get_text_embedding("人才"), abs=1e-5)


def test_ingest_with_the_tiny_model_then_a_different_model_is_refused(tmp_path, tiny_model, small_docs):
    index = PlanIndex(tmp_path / "db")
    report = ingest_paths([small_docs["phd"]], index, embed_model=str(tiny_model))
    assert report.added == ["phd"] and report.embed_model == str(tiny_model)
    assert index.embed_model() == str(tiny_model)
    got = index.chunks.get(include=["embeddings"])
    assert len(got["ids"]) == report.chunks and {len(e) for e in got["embeddings"]} == {TINY_DIM}
    assert not (tmp_path / "db" / "lsa").exists()
    # The same model again is fine (the index's own model is the default).
    again = ingest_paths([small_docs["aigo"]], index)
    assert again.added == ["aigo"] and again.embed_model == str(tiny_model)
    # A different model into the same index: one clear error, index untouched.
    ids = sorted(index.chunk_ids())
    for other in ("lsa", "e5", "minilm"):
        with pytest.raises(IngestError) as info:
            ingest_paths([small_docs["aigo"]], index, embed_model=other)
        msg = str(info.value)
        assert "\n" not in msg
        assert f"index was built with embedding model '{tiny_model}'" in msg
        assert f"--embed-model {tiny_model}" in msg
    assert sorted(index.chunk_ids()) == ids


def test_uncached_hub_name_is_a_clear_error():
    name = "planqa-tests/no-such-model-on-this-machine"
    with pytest.raises(EmbeddingModelError) as info:
        load_sentence_transformer(name)
    msg = str(info.value)
    assert name in msg and "not available locally" in msg and "\n" not in msg


def test_bundled_minilm_embeds_a_sentence():
    model = load_sentence_transformer("minilm")
    vec = model.get_text_embedding("The programme trains 1,000 PhD-level industry talents.")
    assert len(vec) == 384
    assert np.linalg.norm(vec) > 0
