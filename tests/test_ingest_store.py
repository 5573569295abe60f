"""The index over re-ingests, edits and removals, embedded and on a Chroma
server: unchanged files are no-ops, a changed file replaces exactly its own
changed chunks, ``--remove`` drops a document, and a Chroma server started
by the test serves the same pipeline."""
from __future__ import annotations

import json

import pytest

from conftest import run_cli
from ingest.cli import main
from ingest.pipeline import ingest_paths, remove_document
from ingest.store import PlanIndex
from ingest.tokenize import PlanTokenizer


def _snapshot(index: PlanIndex) -> dict[str, set[str]]:
    return {d.doc_id: set(index.chunk_ids(d.doc_id)) for d in index.list_documents()}


def _texts(index: PlanIndex, doc_id: str) -> dict[str, str]:
    return {c.chunk_id: c.text for c, _ in index.all_chunks([doc_id])}


def test_reingest_is_idempotent_and_skips_unchanged_files(tmp_path, small_docs):
    index = PlanIndex(tmp_path / "db")
    first = ingest_paths([small_docs["aigo"].parent], index)
    assert sorted(first.added) == ["aigo", "phd"] and first.errors == []
    before, count = _snapshot(index), index.chunks.count()
    assert count == first.chunks == sum(len(v) for v in before.values())

    second = ingest_paths([small_docs["aigo"].parent], index)
    assert sorted(second.unchanged) == ["aigo", "phd"]
    assert second.added == second.updated == second.errors == []
    assert second.chunks == 0 and "write" not in second.stage_seconds
    assert _snapshot(index) == before and index.chunks.count() == count


def test_a_document_read_by_an_older_reader_is_read_again(tmp_path, small_docs):
    """An upgrade that chunks files differently (READER_VERSION) reaches
    the plans already indexed: their unchanged files are read again."""
    from dataclasses import replace

    from ingest.pipeline import READER_VERSION

    index = PlanIndex(tmp_path / "db")
    ingest_paths([small_docs["aigo"].parent], index)
    assert {d.reader for d in index.list_documents()} == {READER_VERSION}
    before = _snapshot(index)
    index.register(replace(index.get_document("phd"), reader=""))  # as indexed before versions were recorded
    again = ingest_paths([small_docs["aigo"].parent], index)
    assert again.updated == ["phd"] and again.unchanged == ["aigo"] and again.errors == []
    assert index.get_document("phd").reader == READER_VERSION
    assert _snapshot(index) == before  # the same reader gives the same chunks


def test_edited_paragraph_replaces_only_its_own_chunk(tmp_path, small_docs):
    index = PlanIndex(tmp_path / "db")
    ingest_paths([small_docs["aigo"], small_docs["phd"]], index)
    before = _snapshot(index)
    old_texts = _texts(index, "aigo")

    # Edit one figure of one paragraph, keeping its length, so the chunk
    # boundaries stay where they are: exactly one chunk must change.
    source = small_docs["aigo"].read_text(encoding="utf-8")
    old, new = "74題", "75題"
    assert source.count(old) == 1
    small_docs["aigo"].write_text(source.replace(old, new), encoding="utf-8")
    [edited_id] = [cid for cid, text in old_texts.items() if old in text]

    report = ingest_paths([small_docs["aigo"], small_docs["phd"]], index)
    assert report.updated == ["aigo"] and report.unchanged == ["phd"] and report.added == []
    after = _snapshot(index)
    assert after["phd"] == before["phd"]
    gone, came = before["aigo"] - after["aigo"], after["aigo"] - before["aigo"]
    assert gone == {edited_id}
    assert len(came) == 1
    new_texts = _texts(index, "aigo")
    [new_id] = came
    assert new_texts[new_id] == old_texts[edited_id].replace(old, new)
    assert index.chunks.get(ids=[edited_id])["ids"] == []  # the stale record is gone
    assert index.chunks.count() == sum(len(v) for v in after.values())
    from ingest.loaders import file_sha256

    assert index.get_document("aigo").content_hash == file_sha256(small_docs["aigo"])
    # BM25 follows: the new figure is found, the old one no longer.
    bm25 = index.bm25("words")
    scores = bm25.scores(PlanTokenizer().words(new))
    assert bm25.ids[int(scores.argmax())] == new_id
    assert float(bm25.scores(["74"]).max()) == 0.0


def test_remove_through_cli_then_reopen(tmp_path, small_docs, capsys):
    db = tmp_path / "db"
    index = PlanIndex(db)
    first = ingest_paths([small_docs["aigo"].parent], index)
    assert sorted(first.added) == ["aigo", "phd"]
    n_aigo = len(index.chunk_ids("aigo"))

    removed = run_cli("--remove", "aigo", "--db", str(db), "--json")  # another process
    assert removed.returncode == 0, removed.stderr
    assert json.loads(removed.stdout) == {"removed": "aigo", "chunks": n_aigo}

    assert main(["--list", "--json", "--db", str(db)]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert [d["doc_id"] for d in docs] == ["phd"]
    # A new client sees no chunk of aigo, and BM25 rebuilt over phd only.
    index = PlanIndex(db)
    assert index.chunk_ids("aigo") == []
    phd_ids = set(index.chunk_ids("phd"))
    assert phd_ids and set(index.chunk_ids()) == phd_ids
    assert set(index.bm25("bigrams").ids) == phd_ids
    assert docs[0]["chunks"] == len(phd_ids)


def test_remove_document_api_refits_and_rebuilds(tmp_path, small_docs):
    index = PlanIndex(tmp_path / "db")
    ingest_paths([small_docs["aigo"], small_docs["phd"]], index)
    n_phd = len(index.chunk_ids("phd"))
    assert remove_document(index, "phd") == n_phd
    assert [d.doc_id for d in index.list_documents()] == ["aigo"]
    assert set(index.bm25("words").ids) == set(index.chunk_ids()) == set(index.chunk_ids("aigo"))


def test_chroma_server(tmp_path, small_docs, chroma_server, capsys):
    host, port = chroma_server
    # Through the API …
    index = PlanIndex(tmp_path / "db", host=host, port=port)
    assert index.location == f"chroma://{host}:{port}"
    report = ingest_paths([small_docs["phd"]], index)
    assert report.added == ["phd"] and report.errors == []
    assert index.chunks.count() == report.chunks
    # … and through the CLI in another process into the same server (its
    # own --db folder holds only the BM25/LSA files: chunks live on the server).
    server = ["--chroma-host", host, "--chroma-port", str(port)]
    proc = run_cli(str(small_docs["aigo"]), "--db", str(tmp_path / "cli-db"), *server)
    assert proc.returncode == 0, proc.stderr
    assert f"index: chroma://{host}:{port}" in proc.stdout
    assert not (tmp_path / "cli-db" / "chroma").exists()
    assert main(["--list", "--json", "--db", str(tmp_path / "cli-db"), *server]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(d["doc_id"] for d in listed) == ["aigo", "phd"]
    assert sorted(d.doc_id for d in index.list_documents()) == ["aigo", "phd"]
    assert next(d for d in listed if d["doc_id"] == "phd")["chunks"] == report.chunks
    assert index.chunks.count() == sum(d["chunks"] for d in listed)


def test_unreachable_chroma_server_is_one_line(tmp_path, capsys):
    from conftest import free_port

    port = free_port()
    assert main(["--list", "--db", str(tmp_path / "db"), "--chroma-host", "127.0.0.1", "--chroma-port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot open Chroma at 127.0.0.1:{port}")
    assert len(err.strip().splitlines()) == 1


def test_both_bm25_views_rebuilt_in_one_pass_equal_the_views_kept_in_place(tmp_path, small_docs):
    import numpy as np

    index = PlanIndex(tmp_path / "db")
    ingest_paths([small_docs["aigo"], small_docs["phd"]], index)  # small run: views updated in place
    kept = {view: index.bm25(view) for view in ("words", "bigrams")}
    rebuilt = index.rebuild_bm25()
    assert set(rebuilt) == {"words", "bigrams"}
    query = {"words": PlanTokenizer().words("分項 經費 人才培育"), "bigrams": PlanTokenizer.bigrams("人才培育經費")}
    for view, idx in rebuilt.items():
        assert sorted(idx.ids) == sorted(kept[view].ids) == sorted(index.chunk_ids())
        order = [idx.ids.index(cid) for cid in kept[view].ids]
        assert np.allclose(idx.scores(query[view])[order], kept[view].scores(query[view]))
        assert PlanIndex(tmp_path / "db").bm25(view).ids == idx.ids  # saved, and loaded as fresh
    with pytest.raises(ValueError, match="valid: words, bigrams"):
        index.rebuild_bm25(("trigrams",))



def test_an_lsa_refit_moves_the_kept_chunks_of_a_reread_document_too(tmp_path, small_docs):
    """Re-reading a document refits a small LSA index; the document's chunks
    kept from before (same content, same id) get their vectors in the
    refitted space like every other chunk: each stored vector is its chunk's
    projection under the saved model."""
    import numpy as np

    from ingest.lsa import LSAModel, lsa_terms

    index = PlanIndex(tmp_path / "db")
    ingest_paths([small_docs["aigo"].parent], index, embed_model="lsa")
    source = small_docs["aigo"].read_text(encoding="utf-8")
    # a new section of other words: the refitted space is another one
    extra = "\n\n陸、國際合作\n\n" + "".join(f"第{i}項國際合作將與海外大學、研究機構及新創加速器共同辦理跨國實證、人才交換與市場拓展活動。"
                                          for i in range(1, 9)) + "\n"
    small_docs["aigo"].write_text(source.replace("74題", "75題") + extra, encoding="utf-8")
    report = ingest_paths([small_docs["aigo"].parent], index, embed_model="lsa")
    assert report.updated == ["aigo"]
    model, tok = LSAModel.load(index.db_dir / "lsa"), PlanTokenizer()
    got = index.chunks.get(include=["embeddings", "metadatas", "documents"])
    chunks = {c.chunk_id: (c, meta) for c, meta in index.all_chunks()}
    stored = dict(zip(got["ids"], np.asarray(got["embeddings"], dtype=float)))
    kept = 0
    for cid, (chunk, meta) in chunks.items():
        expected = model.fold_in(model.lookup([lsa_terms(meta.get("words", "").split(), tok.bigrams(chunk.index_text))]))[0]
        v = stored[cid]
        cos = float(v @ expected / (np.linalg.norm(v) * np.linalg.norm(expected)))
        assert cos > 0.999, (chunk.doc_id, cid, cos)
        kept += chunk.doc_id == "aigo" and "75題" not in chunk.text
    assert kept > 0, "the re-read document kept chunks from before"
